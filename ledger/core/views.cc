#include "ledger/core/views.h"

#include <algorithm>
#include <cassert>
#include <deque>
#include <vector>

#include "ledger/core/canonical_json.h"
#include "ledger/core/records.h"

namespace rf {
namespace {

constexpr std::array<std::string_view, kAccountTypes> kTypeNames = {"funding", "pot",  "budget", "payable",
                                                                    "dp",      "paid", "spent",  "external"};

// Loads `key` into `slots` if not cached, parsing with `parse`.
template <typename T, typename Parse>
Result<T*> Load(std::unordered_map<std::string, T>& slots, const ViewBacking* backing, const std::string& key,
                Parse parse) {
  auto it = slots.find(key);
  if (it != slots.end()) return &it->second;
  T slot;
  if (backing != nullptr) {
    auto stored = backing->Get(key);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) {
      auto parsed = parse(**stored);
      if (!parsed.ok()) return parsed.status();
      slot.value = std::move(*parsed);
      slot.present = true;
    }
  }
  return &slots.emplace(key, std::move(slot)).first->second;
}

Result<Pence> ParseBalance(std::string_view text, std::string_view key) {
  auto pence = Pence::Parse(text, key);
  if (!pence.ok()) return Status::Tampered("view " + std::string(key) + ": " + pence.status().message());
  return *pence;
}

Result<nlohmann::json> ParseRecord(std::string_view text, std::string_view key) {
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Status::Tampered("view " + std::string(key) + ": not a JSON object");
  return doc;
}

}  // namespace

std::string SeqKey(uint64_t seq) {
  std::string digits = std::to_string(seq);
  assert(digits.size() <= 12);
  return std::string(12 - digits.size(), '0') + digits;
}

std::string RecordKey(RecordKind kind, std::string_view id) {
  std::string key(RecordPrefix(kind));
  key += id;
  return key;
}

std::string BalanceKey(const Account& account) { return std::string(kBalancePrefix) + account.ToString(); }

// Totals are written on every commit for every pot and budget touched, so
// they are serialised by hand, in JCS form: members in sorted order, only
// non-zero ones, amounts as canonical decimal strings. The parser accepts
// exactly that form (anything else is a damaged view).
namespace {
// kTypeNames indexes in sorted (JCS) order of the names.
constexpr std::array<size_t, kAccountTypes> kSortedTypes = {2, 4, 7, 0, 5, 3, 1, 6};
}  // namespace

std::string SerializeTotals(const TypeTotals& totals) {
  std::string out = "{";
  for (const size_t i : kSortedTypes) {
    if (totals.net[i].is_zero()) continue;
    if (out.size() > 1) out += ',';
    out += '"';
    out += kTypeNames[i];
    out += "\":\"";
    out += totals.net[i].ToDecimal();
    out += '"';
  }
  out += '}';
  return out;
}

Result<TypeTotals> ParseTotals(std::string_view text, std::string_view key) {
  const auto damaged = [&] { return Status::Tampered("view " + std::string(key) + ": not a canonical totals object"); };
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return damaged();
  std::string_view rest = text.substr(1, text.size() - 2);
  TypeTotals totals;
  size_t next_sorted = 0;
  while (!rest.empty()) {
    if (rest.front() != '"') return damaged();
    const size_t name_end = rest.find('"', 1);
    if (name_end == std::string_view::npos) return damaged();
    const std::string_view name = rest.substr(1, name_end - 1);
    while (next_sorted < kAccountTypes && kTypeNames[kSortedTypes[next_sorted]] != name) ++next_sorted;
    if (next_sorted == kAccountTypes) return damaged();  // unknown or out of order
    rest.remove_prefix(name_end + 1);
    if (rest.size() < 2 || rest[0] != ':' || rest[1] != '"') return damaged();
    const size_t value_end = rest.find('"', 2);
    if (value_end == std::string_view::npos) return damaged();
    auto amount = ParseBalance(rest.substr(2, value_end - 2), key);
    if (!amount.ok()) return amount.status();
    if (amount->is_zero()) return damaged();
    totals.net[kSortedTypes[next_sorted++]] = *amount;
    rest.remove_prefix(value_end + 1);
    if (!rest.empty()) {
      if (rest.front() != ',' || rest.size() == 1) return damaged();
      rest.remove_prefix(1);
    }
  }
  // Non-canonical amounts ("1.0") parse but would not round-trip.
  if (SerializeTotals(totals) != text) return damaged();
  return totals;
}

// Day deltas: {"MM-DD":"<decimal>",...}, days ascending (JCS order, as the
// keys are fixed-width), no zero amounts. The parser accepts exactly that.
std::string SerializeDayDeltas(const DayDeltas& days) {
  std::string out = "{";
  for (const auto& [mmdd, amount] : days.days) {
    assert(!amount.is_zero());
    if (out.size() > 1) out += ',';
    const unsigned month = mmdd / 100, day = mmdd % 100;
    out += '"';
    out += static_cast<char>('0' + month / 10);
    out += static_cast<char>('0' + month % 10);
    out += '-';
    out += static_cast<char>('0' + day / 10);
    out += static_cast<char>('0' + day % 10);
    out += "\":\"";
    out += amount.ToDecimal();
    out += '"';
  }
  out += '}';
  return out;
}

Result<DayDeltas> ParseDayDeltas(std::string_view text, std::string_view key) {
  const auto damaged = [&] {
    return Status::Tampered("view " + std::string(key) + ": not a canonical day deltas object");
  };
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return damaged();
  std::string_view rest = text.substr(1, text.size() - 2);
  DayDeltas days;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (!rest.empty()) {
    // "MM-DD":"
    if (rest.size() < 10 || rest[0] != '"' || !digit(rest[1]) || !digit(rest[2]) || rest[3] != '-' || !digit(rest[4]) ||
        !digit(rest[5]) || rest[6] != '"' || rest[7] != ':' || rest[8] != '"') {
      return damaged();
    }
    const unsigned month = (rest[1] - '0') * 10u + (rest[2] - '0');
    const unsigned day = (rest[4] - '0') * 10u + (rest[5] - '0');
    if (month < 1 || month > 12 || day < 1 || day > 31) return damaged();
    const auto mmdd = static_cast<uint16_t>(month * 100 + day);
    if (!days.days.empty() && days.days.back().first >= mmdd) return damaged();  // out of order
    rest.remove_prefix(9);
    const size_t value_end = rest.find('"');
    if (value_end == std::string_view::npos) return damaged();
    auto amount = ParseBalance(rest.substr(0, value_end), key);
    if (!amount.ok()) return amount.status();
    if (amount->is_zero()) return damaged();
    days.days.emplace_back(mmdd, *amount);
    rest.remove_prefix(value_end + 1);
    if (!rest.empty()) {
      if (rest.front() != ',' || rest.size() == 1) return damaged();
      rest.remove_prefix(1);
    }
  }
  if (days.days.size() > 366 || SerializeDayDeltas(days) != text) return damaged();
  return days;
}

namespace {

Result<std::optional<int>> ParseYear(const std::optional<std::string>& text) {
  if (!text) return std::optional<int>();
  if (text->size() != 4 || !std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::Tampered("view " + std::string(kDayDeltaYearKey) + ": not a year");
  }
  return std::optional<int>(std::stoi(*text));
}

std::string YearText(int year) {
  assert(year >= 0 && year <= 9999);
  std::string digits = std::to_string(year);
  return std::string(4 - digits.size(), '0') + digits;
}

}  // namespace

Result<Views::Slot<DayDeltas>*> Views::Days(const std::string& key) {
  return Load(days_, backing_, key, [&](std::string_view t) { return ParseDayDeltas(t, key); });
}

Status Views::AddDayDelta(const Account& account, Date on, const Pence& delta) {
  assert(KeepsDayDeltas(account.type));
  if (delta.is_zero()) return Status::Ok();
  const std::string key = DayDeltaKey(account.ToString(), on.year());
  auto slot = Days(key);
  if (!slot.ok()) return slot.status();
  auto& days = (*slot)->value.days;
  const auto mmdd = static_cast<uint16_t>(on.month() * 100 + on.day());
  auto it = std::lower_bound(days.begin(), days.end(), mmdd, [](const auto& d, uint16_t v) { return d.first < v; });
  if (it != days.end() && it->first == mmdd) {
    auto sum = it->second.Add(delta);
    if (!sum.ok()) return sum.status().WithContext(key + ": ");
    if (sum->is_zero()) {
      days.erase(it);
    } else {
      it->second = *sum;
    }
  } else {
    days.emplace(it, mmdd, delta);
  }
  assert(days.size() <= 366);
  (*slot)->present = (*slot)->dirty = true;
  // The latest year any account moved in bounds LowestBalanceFrom's walk.
  const std::string year_key(kDayDeltaYearKey);
  auto latest_text = Text(year_key);
  if (!latest_text.ok()) return latest_text.status();
  auto latest = ParseYear(*latest_text);
  if (!latest.ok()) return latest.status();
  if (!latest->has_value() || **latest < on.year()) PutText(year_key, YearText(on.year()));
  return Status::Ok();
}

Result<LowestBalance> Views::LowestBalanceFrom(const Account& account, Date from) {
  auto balance = Balance(account);
  if (!balance.ok()) return balance.status();
  const std::string year_key(kDayDeltaYearKey);
  auto latest_text = Text(year_key);
  if (!latest_text.ok()) return latest_text.status();
  auto latest = ParseYear(*latest_text);
  if (!latest.ok()) return latest.status();
  // Backwards from the latest day: the balance at the end of day t is the
  // balance now less every movement dated after t.
  const std::string account_text = account.ToString();
  const auto from_mmdd = static_cast<uint16_t>(from.month() * 100 + from.day());
  Pence after;  // movement dated after the day being looked at
  std::optional<LowestBalance> lowest;
  const int last_year = latest->value_or(from.year());
  assert(last_year - from.year() <= kDateYearMax - kDateYearMin + 1);
  for (int year = last_year; year >= from.year(); --year) {
    auto slot = Days(DayDeltaKey(account_text, year));
    if (!slot.ok()) return slot.status();
    if (!(*slot)->present) continue;
    const auto& days = (*slot)->value.days;
    for (auto it = days.rbegin(); it != days.rend(); ++it) {
      if (year == from.year() && it->first <= from_mmdd) break;
      const Pence at_end = *balance - after;
      if (!lowest || at_end <= lowest->balance) {
        lowest = LowestBalance{at_end, Month{year, it->first / 100u}.first_day().AddDays(it->first % 100 - 1)};
      }
      after += it->second;
    }
  }
  const Pence on_from = *balance - after;
  if (!lowest || on_from <= lowest->balance) lowest = LowestBalance{on_from, from};
  return *lowest;
}

Status Views::LoadBalance(const Account& account) { return Balance(account).status(); }

const Pence& Views::PeekBalance(const std::string& balance_key) const {
  const auto it = balances_.find(balance_key);
  assert(it != balances_.end() && "PeekBalance REQUIRES LoadBalance");
  return it->second.value;
}

const nlohmann::json* Views::PeekRecord(RecordKind kind, const std::string& id) const {
  const auto it = records_.find(RecordKey(kind, id));
  assert(it != records_.end() && "PeekRecord REQUIRES Record");
  assert((!it->second.present || !it->second.value.doc.is_null()) && "Record parsed it");
  return it->second.present ? &it->second.value.doc : nullptr;
}

Result<Pence> Views::Balance(const Account& account) {
  const std::string key = BalanceKey(account);
  auto slot = Load(balances_, backing_, key, [&](std::string_view t) { return ParseBalance(t, key); });
  if (!slot.ok()) return slot.status();
  return (*slot)->value;
}

Status Views::AddToBalance(const Account& account, const Pence& delta) {
  const std::string key = BalanceKey(account);
  auto slot = Load(balances_, backing_, key, [&](std::string_view t) { return ParseBalance(t, key); });
  if (!slot.ok()) return slot.status();
  auto sum = (*slot)->value.Add(delta);
  if (!sum.ok()) return sum.status().WithContext(key + ": ");
  (*slot)->value = *sum;
  (*slot)->present = true;
  (*slot)->dirty = true;
  return Status::Ok();
}

Result<Views::Slot<TypeTotals>*> Views::Totals(const std::string& key) {
  return Load(totals_, backing_, key, [&](std::string_view t) { return ParseTotals(t, key); });
}

Status Views::AddToTotals(const std::string& key, AccountType type, const Pence& delta) {
  auto slot = Totals(key);
  if (!slot.ok()) return slot.status();
  (*slot)->value[type] += delta;
  (*slot)->present = (*slot)->dirty = true;
  return Status::Ok();
}

Status Views::AddPotNet(const std::string& pot, AccountType type, const Pence& delta) {
  return AddToTotals(PotNetKey(pot), type, delta);
}

Status Views::AddBudgetNet(const std::string& budget, AccountType type, const Pence& delta) {
  return AddToTotals(BudgetNetKey(budget), type, delta);
}

Result<const nlohmann::json*> Views::Record(RecordKind kind, const std::string& id) {
  const std::string key = RecordKey(kind, id);
  auto slot = Load(records_, backing_, key, [&](std::string_view t) -> Result<RecordValue> {
    auto doc = ParseRecord(t, key);
    if (!doc.ok()) return doc.status();
    return RecordValue{std::move(*doc), {}};
  });
  if (!slot.ok()) return slot.status();
  if (!(*slot)->present) return nullptr;
  RecordValue& record = (*slot)->value;
  if (record.doc.is_null()) {
    auto doc = ParseRecord(record.text, key);
    if (!doc.ok()) return doc.status();
    record.doc = std::move(*doc);
  }
  return &record.doc;
}

Result<nlohmann::json*> Views::RecordToChange(RecordKind kind, const std::string& id) {
  auto record = Record(kind, id);  // loads and parses
  if (!record.ok()) return record.status();
  if (*record == nullptr) return nullptr;
  auto& slot = records_.find(RecordKey(kind, id))->second;
  assert(slot.present && &slot.value.doc == *record);
  slot.dirty = true;
  slot.value.text.clear();  // the DOM is the value now
  return &slot.value.doc;
}

void Views::PutRecord(RecordKind kind, const std::string& id, nlohmann::json record) {
  assert(record.is_object());
  auto& slot = records_[RecordKey(kind, id)];
  slot.value = RecordValue{std::move(record), {}};
  slot.present = slot.dirty = true;
}

void Views::PutRecordText(RecordKind kind, const std::string& id, std::string canonical) {
  assert(canonical.size() >= 2 && canonical.front() == '{' && canonical.back() == '}');
  auto& slot = records_[RecordKey(kind, id)];
  slot.value = RecordValue{nlohmann::json(), std::move(canonical)};
  slot.present = slot.dirty = true;
}

Result<std::optional<std::string>> Views::Text(const std::string& key) {
  auto slot = Load(texts_, backing_, key, [](std::string_view t) { return Result<std::string>(std::string(t)); });
  if (!slot.ok()) return slot.status();
  if (!(*slot)->present) return std::optional<std::string>();
  return std::optional<std::string>((*slot)->value);
}

void Views::PutText(const std::string& key, std::string value) {
  auto& slot = texts_[key];
  slot.value = std::move(value);
  slot.present = slot.dirty = true;
}

size_t Views::dirty_count() const {
  size_t n = 0;
  for (const auto& [k, s] : balances_) n += s.dirty;
  for (const auto& [k, s] : totals_) n += s.dirty;
  for (const auto& [k, s] : records_) n += s.dirty;
  for (const auto& [k, s] : texts_) n += s.dirty;
  for (const auto& [k, s] : days_) n += s.dirty;
  return n;
}

void Views::MarkWritten() {
  const auto clean = [](auto& slots) {
    for (auto& [key, slot] : slots) slot.dirty = false;
  };
  clean(balances_);
  clean(totals_);
  clean(texts_);
  clean(days_);
  // Records written are mostly new ones (an ingest's invoices) that later
  // entries rarely read again; keep only those read (pots, budgets,
  // providers), so a streamed file does not hold every record it made.
  std::erase_if(records_, [](const auto& item) { return item.second.dirty; });
}

void Views::Clear() {
  balances_.clear();
  totals_.clear();
  records_.clear();
  texts_.clear();
  days_.clear();
}

Status Views::CollectDirty(std::vector<DirtyValue>* out, std::deque<std::string>* serialised) const {
  // Values held as text (invoice records, plain texts) are not copied.
  out->clear();
  serialised->clear();
  out->reserve(dirty_count());
  for (const auto& [key, slot] : balances_) {
    if (slot.dirty) out->emplace_back(key, serialised->emplace_back(slot.value.ToDecimal()));
  }
  for (const auto& [key, slot] : totals_) {
    if (slot.dirty) out->emplace_back(key, serialised->emplace_back(SerializeTotals(slot.value)));
  }
  for (const auto& [key, slot] : records_) {
    if (!slot.dirty) continue;
    if (!slot.value.text.empty()) {
      out->emplace_back(key, slot.value.text);
      continue;
    }
    auto text = Canonicalize(slot.value.doc);
    if (!text.ok()) return text.status().WithContext("view " + key + ": ");
    out->emplace_back(key, serialised->emplace_back(std::move(*text)));
  }
  for (const auto& [key, slot] : texts_) {
    if (slot.dirty) out->emplace_back(key, slot.value);
  }
  for (const auto& [key, slot] : days_) {
    if (slot.dirty) out->emplace_back(key, serialised->emplace_back(SerializeDayDeltas(slot.value)));
  }
  // In key order: LMDB writes best in order.
  std::sort(out->begin(), out->end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return Status::Ok();
}

Status Views::ForEachDirty(const std::function<Status(std::string_view key, std::string_view value)>& fn) const {
  std::vector<DirtyValue> out;
  std::deque<std::string> serialised;
  RF_RETURN_IF_ERROR(CollectDirty(&out, &serialised));
  for (const auto& [key, value] : out) {
    assert(!value.empty());
    RF_RETURN_IF_ERROR(fn(key, value));
  }
  return Status::Ok();
}

}  // namespace rf
