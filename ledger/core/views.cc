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

// Balances: "<decimal>" then ";YYYY-MM-DD=<decimal>" per day (views.h).
// Written for every account a commit moves, so serialised and parsed by
// hand; the parser accepts exactly what the serialiser writes.
namespace {

void AppendDigits(unsigned value, int width, std::string* out) {
  char digits[4];
  for (int i = width - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->append(digits, static_cast<size_t>(width));
}

void AppendIsoDate(Date on, std::string* out) {
  assert(on.year() >= 0 && on.year() <= 9999);
  AppendDigits(static_cast<unsigned>(on.year()), 4, out);
  out->push_back('-');
  AppendDigits(on.month(), 2, out);
  out->push_back('-');
  AppendDigits(on.day(), 2, out);
}

Status DamagedBalance(std::string_view key, std::string_view why) {
  return Status::Tampered("view " + std::string(key) + ": not a canonical balance (" + std::string(why) + ")");
}

}  // namespace

std::string SerializeBalance(const StoredBalance& balance) {
  std::string out = balance.balance.ToDecimal();
  for (const auto& [on, delta] : balance.days.days) {
    assert(!delta.is_zero());
    out.push_back(';');
    AppendIsoDate(on, &out);
    out.push_back('=');
    out += delta.ToDecimal();
  }
  return out;
}

Result<Pence> ParseBalanceAmount(std::string_view text, std::string_view key) {
  return ParseBalance(text.substr(0, text.find(';')), key);
}

Result<StoredBalance> ParseStoredBalance(std::string_view text, std::string_view key) {
  StoredBalance out;
  const size_t first = text.find(';');
  auto balance = ParseBalance(text.substr(0, first), key);
  if (!balance.ok()) return balance.status();
  out.balance = *balance;
  if (first == std::string_view::npos) {
    // Plain balances come back exactly as written ("1.0" would not).
    if (out.balance.ToDecimal() != text) return DamagedBalance(key, "amount");
    return out;
  }
  std::string_view rest = text.substr(first + 1);
  while (true) {
    const size_t end = rest.find(';');
    const std::string_view day = rest.substr(0, end);
    // YYYY-MM-DD=<decimal>
    if (day.size() < 12 || day[10] != '=') return DamagedBalance(key, "a day");
    auto on = Date::Parse(day.substr(0, 10), key);
    if (!on.ok()) return DamagedBalance(key, "a date");
    if (!out.days.days.empty() && out.days.days.back().first >= *on) return DamagedBalance(key, "days out of order");
    auto delta = ParseBalance(day.substr(11), key);
    if (!delta.ok()) return delta.status();
    if (delta->is_zero()) return DamagedBalance(key, "a day without movement");
    out.days.days.emplace_back(*on, *delta);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  // The days are not required to sum to the balance: a ledger written
  // before they were kept has a balance that predates its days (README,
  // "Rule 1 at every date"); verify compares the whole value with the
  // journal's replay.
  if (SerializeBalance(out) != text) return DamagedBalance(key, "not in canonical form");
  return out;
}

Pence MovementAfter(const DayDeltas& days, Date after) {
  Pence later;
  for (auto it = days.days.rbegin(); it != days.days.rend() && it->first > after; ++it) later += it->second;
  return later;
}

Result<Views::Slot<StoredBalance>*> Views::BalanceSlot(const std::string& key) {
  return Load(balances_, backing_, key, [&](std::string_view t) { return ParseStoredBalance(t, key); });
}

Result<LowestBalance> Views::LowestBalanceFrom(const Account& account, Date from) {
  auto slot = BalanceSlot(BalanceKey(account));
  if (!slot.ok()) return slot.status();
  const StoredBalance& stored = (*slot)->value;
  // Backwards from the latest day: the balance at the end of day t is the
  // balance now less every movement dated after t.
  Pence at_end = stored.balance;
  std::optional<LowestBalance> lowest;
  const auto& days = stored.days.days;
  for (auto it = days.rbegin(); it != days.rend() && it->first > from; ++it) {
    if (!lowest || at_end <= lowest->balance) lowest = LowestBalance{at_end, it->first};
    at_end -= it->second;
  }
  if (!lowest || at_end <= lowest->balance) lowest = LowestBalance{at_end, from};
  return *lowest;
}

Status Views::LoadBalance(const Account& account) { return Balance(account).status(); }

const Pence& Views::PeekBalance(const std::string& balance_key) const {
  const auto it = balances_.find(balance_key);
  assert(it != balances_.end() && "PeekBalance REQUIRES LoadBalance");
  return it->second.value.balance;
}

const nlohmann::json* Views::PeekRecord(RecordKind kind, const std::string& id) const {
  const auto it = records_.find(RecordKey(kind, id));
  assert(it != records_.end() && "PeekRecord REQUIRES Record");
  assert((!it->second.present || !it->second.value.doc.is_null()) && "Record parsed it");
  return it->second.present ? &it->second.value.doc : nullptr;
}

Result<Pence> Views::Balance(const Account& account) {
  auto slot = BalanceSlot(BalanceKey(account));
  if (!slot.ok()) return slot.status();
  return (*slot)->value.balance;
}

Status Views::AddToBalance(const Account& account, Date on, const Pence& delta) {
  const std::string key = BalanceKey(account);
  auto slot = BalanceSlot(key);
  if (!slot.ok()) return slot.status();
  StoredBalance& stored = (*slot)->value;
  auto sum = stored.balance.Add(delta);
  if (!sum.ok()) return sum.status().WithContext(key + ": ");
  stored.balance = *sum;
  (*slot)->present = true;
  (*slot)->dirty = true;
  if (!KeepsDayDeltas(account.type) || delta.is_zero()) return Status::Ok();
  auto& days = stored.days.days;
  // Usually the latest day or a new one after it.
  auto it = days.end();
  if (!days.empty() && days.back().first >= on) {
    it = std::lower_bound(days.begin(), days.end(), on, [](const auto& d, Date v) { return d.first < v; });
  }
  if (it != days.end() && it->first == on) {
    auto day_sum = it->second.Add(delta);
    if (!day_sum.ok()) return day_sum.status().WithContext(key + ": ");
    if (day_sum->is_zero()) {
      days.erase(it);
    } else {
      it->second = *day_sum;
    }
  } else {
    days.emplace(it, on, delta);
  }
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

Result<Views::Slot<Views::RecordValue>*> Views::RecordSlot(const std::string& key) {
  // Loaded as text: parsed when a DOM is asked for (Record).
  return Load(records_, backing_, key, [](std::string_view t) -> Result<RecordValue> {
    return RecordValue{nlohmann::json(), std::string(t)};
  });
}

Result<std::optional<std::string_view>> Views::RecordText(RecordKind kind, const std::string& id) {
  const std::string key = RecordKey(kind, id);
  auto slot = RecordSlot(key);
  if (!slot.ok()) return slot.status();
  if (!(*slot)->present) return std::optional<std::string_view>();
  RecordValue& record = (*slot)->value;
  if (record.text.empty()) {
    assert(!record.doc.is_null());
    auto text = Canonicalize(record.doc);
    if (!text.ok()) return text.status().WithContext("view " + key + ": ");
    record.text = std::move(*text);
  }
  return std::optional<std::string_view>(record.text);
}

Result<const nlohmann::json*> Views::Record(RecordKind kind, const std::string& id) {
  const std::string key = RecordKey(kind, id);
  auto slot = RecordSlot(key);
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

const Views::RecordLink* Views::CachedLink(const std::string& record_key) const {
  const auto it = links_.find(record_key);
  return it == links_.end() ? nullptr : &it->second;
}

const Views::RecordLink* Views::CacheLink(const std::string& record_key, RecordLink link) {
  return &links_.insert_or_assign(record_key, std::move(link)).first->second;
}

Result<nlohmann::json*> Views::RecordToChange(RecordKind kind, const std::string& id) {
  auto record = Record(kind, id);  // loads and parses
  if (!record.ok()) return record.status();
  if (*record == nullptr) return nullptr;
  links_.erase(RecordKey(kind, id));
  auto& slot = records_.find(RecordKey(kind, id))->second;
  assert(slot.present && &slot.value.doc == *record);
  slot.dirty = true;
  slot.value.text.clear();  // the DOM is the value now
  return &slot.value.doc;
}

void Views::PutRecord(RecordKind kind, const std::string& id, nlohmann::json record) {
  assert(record.is_object());
  const std::string key = RecordKey(kind, id);
  links_.erase(key);
  auto& slot = records_[key];
  slot.value = RecordValue{std::move(record), {}};
  slot.present = slot.dirty = true;
}

void Views::PutRecordText(RecordKind kind, const std::string& id, std::string canonical) {
  assert(canonical.size() >= 2 && canonical.front() == '{' && canonical.back() == '}');
  const std::string key = RecordKey(kind, id);
  links_.erase(key);
  auto& slot = records_[key];
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

void Views::DeleteText(const std::string& key) {
  if (backing_ == nullptr) {
    texts_.erase(key);
    return;
  }
  auto& slot = texts_[key];
  slot.value.clear();
  slot.present = false;
  slot.dirty = true;
}

Status Views::ForEachDeleted(const std::function<Status(std::string_view key)>& fn) const {
  std::vector<std::string_view> keys;
  for (const auto& [key, slot] : texts_) {
    if (slot.dirty && !slot.present) keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  for (const std::string_view key : keys) RF_RETURN_IF_ERROR(fn(key));
  return Status::Ok();
}

size_t Views::dirty_count() const {
  size_t n = 0;
  for (const auto& [k, s] : balances_) n += s.dirty;
  for (const auto& [k, s] : totals_) n += s.dirty;
  for (const auto& [k, s] : records_) n += s.dirty;
  for (const auto& [k, s] : texts_) n += s.dirty;
  return n;
}

void Views::MarkWritten() {
  const auto clean = [](auto& slots) {
    for (auto& [key, slot] : slots) slot.dirty = false;
  };
  clean(balances_);
  clean(totals_);
  clean(texts_);
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
  links_.clear();
}

Status Views::CollectDirty(std::vector<DirtyValue>* out, std::deque<std::string>* serialised) const {
  // Values held as text (invoice records, plain texts) are not copied.
  out->clear();
  serialised->clear();
  out->reserve(slot_count());  // an upper bound, without a walk of every slot to count the dirty
  for (const auto& [key, slot] : balances_) {
    if (slot.dirty) out->emplace_back(key, serialised->emplace_back(SerializeBalance(slot.value)));
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
    if (slot.dirty && slot.present) out->emplace_back(key, slot.value);
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
