#include "ledger/core/records.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "ledger/core/canonical_json.h"
#include "ledger/core/canonical_writer.h"
#include "ledger/core/equality_facts.h"
#include "ledger/core/line_facts.h"
#include "ledger/core/match_facts.h"
#include "ledger/core/money_canonical.h"

namespace rf {
namespace {


// The members of one stored record, flat: each member's name and value as
// seen in the text (or in a parsed DOM). Stored records are written by the
// rules as canonical JSON objects whose values are strings, unsigned
// integers and booleans (a few families hold a list), so most are read
// straight from their text without building a DOM (Scan). A text Scan does
// not take (an escape, a byte outside ASCII, a list, a number that is not a
// plain unsigned integer, more than kScanMembersMax members, anything
// malformed) is parsed as JSON instead, so the result and every error are
// the same either way.
//
// One pass over the text records where each member's name and value lie
// (views into the text, nothing copied, nothing allocated); a decoder then
// finds each member it reads among them, comparing the first 8 bytes of
// the names as one integer before any byte compare (NameHead).
// No member initialisers, so RecordFields' array of them costs nothing until
// used: each is set from RecordField{} (kOther, zeros) as it is filled.
struct RecordField {
  enum class Type : uint8_t { kOther, kString, kUnsigned, kBool, kArray };
  Type type;
  bool boolean;                // kBool
  uint32_t name_size, text_size;
  uint64_t name_head;          // NameHead(name)
  const char* name_data;
  const char* text_data;       // kString: the characters between the quotes
  uint64_t number;             // kUnsigned
  const nlohmann::json* json;  // kArray (from a DOM only)

  std::string_view name() const { return {name_data, name_size}; }
  std::string_view text() const { return {text_data, text_size}; }
  void SetName(std::string_view n) {
    assert(n.size() <= UINT32_MAX);
    name_data = n.data();
    name_size = static_cast<uint32_t>(n.size());
  }
  void SetText(std::string_view t) {
    assert(t.size() <= UINT32_MAX);
    text_data = t.data();
    text_size = static_cast<uint32_t>(t.size());
  }
};
static_assert(std::is_trivially_default_constructible_v<RecordField>);

// The first (up to) 8 bytes of a name, zero-padded, as one integer: equal
// heads and equal sizes mean equal names up to 8 bytes, and equal first 8
// bytes beyond that.
inline uint64_t NameHead(std::string_view name) {
  uint64_t head = 0;
  std::memcpy(&head, name.data(), std::min<size_t>(name.size(), sizeof(head)));
  return head;
}

// More members than any record the rules write (a payment, the largest,
// has ~24): a text with more is parsed as JSON, which has no bound.
constexpr size_t kScanMembersMax = 40;

class RecordFields {
 public:
  RecordFields() {}  // NOLINT: inline_ is filled as read (count_)
  RecordFields(const RecordFields&) = delete;
  RecordFields& operator=(const RecordFields&) = delete;

  // The members of a parsed value; an object only if `j` is one. `j` must
  // outlive this.
  explicit RecordFields(const nlohmann::json& j) : object_(j.is_object()) {
    if (!object_) return;
    if (j.size() > kScanMembersMax) spill_.resize(j.size());
    RecordField* into = spill_.empty() ? inline_.data() : spill_.data();
    for (auto it = j.begin(); it != j.end(); ++it) {
      const nlohmann::json& v = it.value();
      RecordField& f = into[count_++];
      f = RecordField{};
      f.SetName(it.key());
      f.name_head = NameHead(f.name());
      if (v.is_string()) {
        f.type = RecordField::Type::kString;
        f.SetText(v.get_ref<const std::string&>());
      } else if (v.is_number_unsigned()) {
        f.type = RecordField::Type::kUnsigned;
        f.number = v.get<uint64_t>();
      } else if (v.is_boolean()) {
        f.type = RecordField::Type::kBool;
        f.boolean = v.get<bool>();
      } else if (v.is_array()) {
        f.type = RecordField::Type::kArray;
        f.json = &v;
      }
    }
    assert(count_ == j.size());
  }

  // Reads the members of `text` when it is a flat object of at most
  // kScanMembersMax strings without escapes, unsigned integers and
  // booleans, in ASCII, and returns true; false otherwise (the caller parses
  // it as JSON). `text` must outlive this. REQUIRES: default-constructed.
  bool Scan(std::string_view text) {
    assert(count_ == 0 && !object_ && spill_.empty());
    const char* const begin = text.data();
    const char* const end = begin + text.size();
    const char* at = begin;
    // The string at `at` (its opening quote); false when it is not one Scan takes.
    auto string_at = [&](std::string_view* into) {  // NOLINT: a view into `text`
      if (at >= end || *at != '"') return false;
      const char* const start = ++at;
      while (at < end && *at != '"') {
        const unsigned char c = static_cast<unsigned char>(*at);
        if (c == '\\' || c < 0x20 || c >= 0x80) return false;
        ++at;
      }
      if (at >= end) return false;
      *into = std::string_view(start, static_cast<size_t>(at - start));
      ++at;  // the closing quote
      return true;
    };
    if (text.size() < 2 || text.size() > UINT32_MAX || *at != '{') return false;
    ++at;
    if (*at == '}') {
      object_ = at + 1 == end;
      return object_;
    }
    while (true) {
      if (count_ == kScanMembersMax) return false;
      RecordField& f = inline_[count_];
      f = RecordField{};
      std::string_view name;
      if (!string_at(&name)) return false;
      f.SetName(name);
      f.name_head = NameHead(name);
      if (at >= end || *at != ':') return false;
      ++at;
      if (at >= end) return false;
      const char c = *at;
      if (c == '"') {
        f.type = RecordField::Type::kString;
        std::string_view value;
        if (!string_at(&value)) return false;
        f.SetText(value);
      } else if (c >= '0' && c <= '9') {
        const char* const start = at;
        uint64_t value = 0;
        while (at < end && *at >= '0' && *at <= '9') {
          value = value * 10 + static_cast<uint64_t>(*at - '0');  // wraps only past 19 digits, refused below
          ++at;
        }
        const size_t digits = static_cast<size_t>(at - start);
        if (digits > 19 || (digits > 1 && *start == '0')) return false;
        if (at < end && (*at == '.' || *at == 'e' || *at == 'E')) return false;
        f.type = RecordField::Type::kUnsigned;
        f.number = value;
      } else if (end - at >= 4 && std::memcmp(at, "true", 4) == 0) {
        f.type = RecordField::Type::kBool;
        f.boolean = true;
        at += 4;
      } else if (end - at >= 5 && std::memcmp(at, "false", 5) == 0) {
        f.type = RecordField::Type::kBool;
        at += 5;
      } else {
        return false;
      }
      ++count_;
      if (at >= end) return false;
      if (*at == ',') {
        ++at;
        continue;
      }
      if (*at == '}' && at + 1 == end) break;
      return false;
    }
    object_ = true;
    return true;
  }

  bool is_object() const { return object_; }

  // The member named `name` (the last one, as a JSON parser keeps), or nullptr.
  const RecordField* Find(std::string_view name) const {
    const RecordField* const fields = spill_.empty() ? inline_.data() : spill_.data();
    const uint64_t head = NameHead(name);
    for (size_t k = count_; k-- > 0;) {
      const RecordField& f = fields[k];
      if (f.name_head != head || f.name_size != name.size()) continue;
      if (name.size() <= sizeof(head) ||
          std::memcmp(f.name_data + sizeof(head), name.data() + sizeof(head), name.size() - sizeof(head)) == 0) {
        return &f;
      }
    }
    return nullptr;
  }

 private:
  std::array<RecordField, kScanMembersMax> inline_;
  std::vector<RecordField> spill_;  // a DOM object of more than kScanMembersMax members
  size_t count_ = 0;
  bool object_ = false;
};

// Reads members of one stored record, every error naming the key and the
// member. The first error sticks; later reads return defaults.
class RecordReader {
 public:
  RecordReader(std::string_view key, const nlohmann::json& j) : key_(key), owned_(std::in_place, j), j_(*owned_) {
    if (!j_.is_object()) Fail("", "is not a JSON object");
  }
  RecordReader(std::string_view key, const RecordFields& fields) : key_(key), j_(fields) {
    if (!j_.is_object()) Fail("", "is not a JSON object");
  }

  // A required id or code: a non-empty string.
  std::string Id(std::string_view member) { return std::string(StringView(member, /*required=*/true)); }
  // Free text: "" when absent.
  std::string Text(std::string_view member) { return std::string(StringView(member, /*required=*/false)); }

  Pence Amount(std::string_view member) {
    const RecordField* v = Find(member, true);
    if (v == nullptr) return Pence();
    if (v->type != RecordField::Type::kString) return Fail(member, "is not an amount"), Pence();
    const std::string_view text = v->text();
    auto p = Pence::Parse(text, member);
    if (!p.ok()) return Fail(member, p.status().message()), Pence();
    // The rules write canonical decimals only ("12.50", never "12.5").
    if (!IsCanonicalDecimal(text, *p)) return Fail(member, "is not a canonical amount"), Pence();
    return *p;
  }
  std::optional<Pence> OptionalAmount(std::string_view member) {
    if (!Has(member)) return std::nullopt;
    return Amount(member);
  }

  Date Day(std::string_view member) {
    const RecordField* v = Find(member, true);
    if (v == nullptr) return Date();
    if (v->type != RecordField::Type::kString) return Fail(member, "is not a date"), Date();
    auto d = Date::Parse(v->text(), member);
    if (!d.ok()) return Fail(member, d.status().message()), Date();
    return *d;
  }
  std::optional<Date> OptionalDay(std::string_view member) {
    if (!Has(member)) return std::nullopt;
    return Day(member);
  }

  uint64_t Count(std::string_view member) {
    const RecordField* v = Find(member, true);
    if (v == nullptr) return 0;
    if (v->type != RecordField::Type::kUnsigned) return Fail(member, "is not a count"), 0;
    return v->number;
  }
  std::optional<uint64_t> OptionalCount(std::string_view member) {
    if (!Has(member)) return std::nullopt;
    return Count(member);
  }

  bool Flag(std::string_view member) {
    const RecordField* v = Find(member, false);
    if (v == nullptr) return false;
    if (v->type != RecordField::Type::kBool) return Fail(member, "is not true or false"), false;
    return v->boolean;
  }

  // One of `names` (indexed by the enum's values).
  template <typename E, size_t N>
  E Enum(std::string_view member, const std::array<std::string_view, N>& names) {
    const std::string_view text = StringView(member, /*required=*/true);
    for (size_t i = 0; i < N; ++i) {
      if (names[i] == text) return static_cast<E>(i);
    }
    if (status_.ok()) Fail(member, "\"" + std::string(text.substr(0, 40)) + "\" is not a known value");
    return static_cast<E>(0);
  }

  Month MonthOf(std::string_view member) {
    const RecordField* v = Find(member, true);
    if (v == nullptr) return Month();
    if (v->type != RecordField::Type::kString) return Fail(member, "is not a month"), Month();
    auto m = ParseMonth(v->text(), member);
    if (!m.ok()) return Fail(member, m.status().message()), Month();
    return *m;
  }
  std::optional<Month> OptionalMonth(std::string_view member) {
    if (!Has(member)) return std::nullopt;
    return MonthOf(member);
  }

  // The record's own id: the key after its family's prefix (the invoice
  // fast path stores no id member; the key is the truth for every family).
  std::string KeyId(RecordKind kind) {
    const std::string_view prefix = RecordPrefix(kind);
    if (key_.substr(0, prefix.size()) != prefix || key_.size() == prefix.size()) {
      Fail("", "is not a key of the " + std::string(prefix) + " family");
      return "";
    }
    return std::string(key_.substr(prefix.size()));
  }

  bool Has(std::string_view member) const { return j_.is_object() && j_.Find(member) != nullptr; }

  // A required array member; nullptr (and the error) when it is not one.
  const nlohmann::json* Array(std::string_view member) {
    const RecordField* v = Find(member, true);
    if (v == nullptr) return nullptr;
    if (v->type != RecordField::Type::kArray) return Fail(member, "is not a list"), nullptr;
    return v->json;
  }
  // Adopts the first error of a reader of one of this record's members.
  void Adopt(const Status& nested) {
    if (status_.ok() && !nested.ok()) status_ = nested;
  }
  const Status& status() const { return status_; }

  template <typename R>
  Result<R> Done(R record) {
    if (!status_.ok()) return status_;
    return record;
  }

 private:
  const RecordField* Find(std::string_view member, bool required) {
    if (!j_.is_object()) return nullptr;
    const RecordField* f = j_.Find(member);
    if (f == nullptr && required) Fail(member, "is missing");
    return f;
  }
  // A string member's characters (views into the record); "" when absent
  // or on an error.
  std::string_view StringView(std::string_view member, bool required) {
    const RecordField* v = Find(member, required);
    if (v == nullptr) return {};
    if (v->type != RecordField::Type::kString) return Fail(member, "is not text"), std::string_view();
    if (required && v->text_size == 0) return Fail(member, "is empty"), std::string_view();
    return v->text();
  }
  void Fail(std::string_view member, const std::string& what) {
    if (!status_.ok()) return;
    status_ = Status::Tampered("view " + std::string(key_) + (member.empty() ? "" : " member " + std::string(member)) +
                               ": " + what);
  }

  std::string_view key_;
  std::optional<RecordFields> owned_;  // the members of a DOM this reader was given
  const RecordFields& j_;
  Status status_;
};

constexpr std::array<std::string_view, 4> kInvoiceStateNames = {"received", "approved", "paid", "rejected"};
constexpr std::array<std::string_view, 2> kPurposeNames = {"invoice", "instalment"};
constexpr std::array<std::string_view, 4> kPaymentStateNames = {"pending", "settled", "returned", "cancelled"};
constexpr std::array<std::string_view, 2> kAmendmentStateNames = {"requested", "confirmed"};
constexpr std::array<std::string_view, 2> kBankLineStateNames = {"unmatched", "matched"};
constexpr std::array<std::string_view, 3> kFlagStateNames = {"open", "explained", "resolved"};

}  // namespace

std::string_view RecordPrefix(RecordKind kind) {
  switch (kind) {
    case RecordKind::kPot:
      return "pot/";
    case RecordKind::kPerson:
      return "person/";
    case RecordKind::kProvider:
      return "provider/";
    case RecordKind::kBudget:
      return "budget/";
    case RecordKind::kInvoice:
      return kInvoicePrefix;
    case RecordKind::kPayment:
      return "payment/";
    case RecordKind::kProviderTotals:
      return "provsum/";
    case RecordKind::kSignOff:
      return "signoff/";
    case RecordKind::kFlag:
      return "flag/";
    case RecordKind::kReview:
      return "review/";
    case RecordKind::kBankLine:
      return "bankline/";
    case RecordKind::kRun:
      return "run/";
    case RecordKind::kFlagLife:
      return "flagstate/";
    case RecordKind::kAmendment:
      return "amendment/";
  }
  assert(false && "every RecordKind has a prefix");
  return "";
}

std::string PotNetKey(std::string_view pot_id) { return std::string(kPotNetPrefix) + std::string(pot_id); }
std::string BudgetNetKey(std::string_view budget_id) {
  return std::string(kBudgetNetPrefix) + std::string(budget_id);
}
std::string ExternalIdKey(std::string_view external_id) {
  return std::string(kExternalIdPrefix) + std::string(external_id);
}
std::string ReversedKey(uint64_t seq) { return std::string(kReversedPrefix) + SeqKey(seq); }
std::string ConfigKey(std::string_view setting) { return std::string(kConfigPrefix) + std::string(setting); }

std::string ConfigHistoryKey(std::string_view setting, const Date& effective, uint64_t seq) {
  return std::string(kConfigHistoryPrefix) + std::string(setting) + "/" + effective.ToIso() + "/" + SeqKey(seq);
}

Result<ConfigHistoryPoint> ParseConfigHistoryKey(std::string_view key, std::string_view setting) {
  auto damaged = [&] { return Status::Tampered("view " + std::string(key) + ": not a setting history key"); };
  const std::string prefix = std::string(kConfigHistoryPrefix) + std::string(setting) + "/";
  // <prefix><YYYY-MM-DD>/<seq12>
  if (key.size() != prefix.size() + 10 + 1 + 12 || key.substr(0, prefix.size()) != prefix ||
      key[prefix.size() + 10] != '/') {
    return damaged();
  }
  auto date = Date::Parse(key.substr(prefix.size(), 10), "date");
  if (!date.ok()) return damaged();
  uint64_t seq = 0;
  for (const char c : key.substr(prefix.size() + 11)) {
    if (c < '0' || c > '9') return damaged();
    seq = seq * 10 + static_cast<uint64_t>(c - '0');
  }
  if (seq == 0) return damaged();
  return ConfigHistoryPoint{*date, seq};
}
std::string BankLineId(std::string_view statement_id, std::string_view line_id) {
  return std::string(statement_id) + "/" + std::string(line_id);
}

std::string_view RecordIdOfKey(RecordKind kind, std::string_view key) {
  const std::string_view prefix = RecordPrefix(kind);
  assert(key.substr(0, prefix.size()) == prefix);
  return key.substr(prefix.size());
}

std::string_view AccountOfBalanceKey(std::string_view key) {
  assert(key.substr(0, kBalancePrefix.size()) == kBalancePrefix);
  return key.substr(kBalancePrefix.size());
}

std::string_view ToString(InvoiceState s) { return NameOf(s, kInvoiceStateNames); }
std::string_view ToString(PaymentPurpose p) { return NameOf(p, kPurposeNames); }
std::string_view ToString(PaymentState s) { return NameOf(s, kPaymentStateNames); }
std::string_view ToString(BankLineState s) { return NameOf(s, kBankLineStateNames); }
std::string_view ToString(FlagState s) { return NameOf(s, kFlagStateNames); }

std::optional<FlagState> ParseFlagState(std::string_view text) {
  for (size_t i = 0; i < kFlagStateNames.size(); ++i) {
    if (kFlagStateNames[i] == text) return static_cast<FlagState>(i);
  }
  return std::nullopt;
}

Result<uint64_t> RecordSeq(std::string_view key, const nlohmann::json& j) {
  RecordReader r(key, j);
  const uint64_t seq = r.Count("seq");
  return r.Done(seq);
}

Result<PotRecord> DecodePot(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  PotRecord p;
  p.seq = r.Count("seq");
  p.pot_id = r.KeyId(RecordKind::kPot);
  p.name = r.Text("name");
  p.programme = r.Text("programme");
  p.financial_year = r.Text("financial_year");
  p.funder = r.Text("funder");
  p.amount = r.Amount("amount");
  p.funded_on = r.Day("funded_on");
  return r.Done(std::move(p));
}

Result<PersonRecord> DecodePerson(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  PersonRecord p;
  p.seq = r.Count("seq");
  p.person_id = r.KeyId(RecordKind::kPerson);
  p.ethnic_category = r.Text("ethnic_category");
  p.age_band = r.Text("age_band");
  p.sex = r.Text("sex");
  p.locality = r.Text("locality");
  p.s117_eligible = r.Flag("s117_eligible");
  return r.Done(std::move(p));
}

Result<ProviderRecord> DecodeProvider(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  ProviderRecord p;
  p.seq = r.Count("seq");
  p.provider_id = r.KeyId(RecordKind::kProvider);
  p.name = r.Text("name");
  p.kind = r.Text("kind");
  p.size = r.Text("size");
  p.payee_ref = r.Text("payee_ref");
  p.community_led = r.Flag("community_led");
  p.approved = r.Flag("approved");
  return r.Done(std::move(p));
}

Result<BudgetRecord> DecodeBudget(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  BudgetRecord b;
  b.seq = r.Count("seq");
  b.budget_id = r.KeyId(RecordKind::kBudget);
  b.person_id = r.Id("person_id");
  b.pot_id = r.Id("pot_id");
  b.frequency = r.Text("frequency");
  b.payee_ref = r.Text("payee_ref");
  b.management = r.Enum<Management>("management", kManagementNames);
  b.amount = r.Amount("amount");
  b.start_date = r.Day("start_date");
  b.end_date = r.Day("end_date");
  b.approved_on = r.Day("approved_on");
  b.first_payment_seq = r.OptionalCount("first_payment_seq");
  b.first_payment_on = r.OptionalDay("first_payment_on");
  b.payments = r.OptionalCount("payments").value_or(0);
  b.last_payment_id = r.Text("last_payment_id");
  b.last_review_on = r.OptionalDay("last_review_on");
  if (r.Has("last_review_outcome")) {
    b.last_review_outcome = r.Enum<ReviewOutcome>("last_review_outcome", kReviewOutcomeNames);
  }
  return r.Done(std::move(b));
}

Result<InvoiceRecord> DecodeInvoice(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  InvoiceRecord i;
  i.seq = r.Count("seq");
  i.invoice_id = r.KeyId(RecordKind::kInvoice);
  i.provider_id = r.Id("provider_id");
  i.budget_id = r.Id("budget_id");
  i.category = r.Text("category");
  i.description = r.Text("description");
  i.amount = r.Amount("amount");
  i.service_from = r.Day("service_from");
  i.service_to = r.Day("service_to");
  i.received_on = r.Day("received_on");
  i.state = r.Enum<InvoiceState>("state", kInvoiceStateNames);
  i.approved_seq = r.OptionalCount("approved_seq");
  i.approved_on = r.OptionalDay("approved_on");
  i.payment_id = r.Text("payment_id");
  i.returns = r.OptionalCount("returns").value_or(0);
  return r.Done(std::move(i));
}

Result<PaymentRecord> DecodePayment(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  PaymentRecord p;
  p.seq = r.Count("seq");
  p.payment_id = r.KeyId(RecordKind::kPayment);
  p.run_id = r.Id("run_id");
  p.payee_ref = r.Text("payee_ref");
  p.purpose = r.Enum<PaymentPurpose>("purpose", kPurposeNames);
  p.invoice_id = p.purpose == PaymentPurpose::kInvoice ? r.Id("invoice_id") : r.Text("invoice_id");
  p.budget_id = r.Id("budget_id");
  p.provider_id = p.purpose == PaymentPurpose::kInvoice ? r.Id("provider_id") : r.Text("provider_id");
  p.amount = r.Amount("amount");
  p.state = r.Enum<PaymentState>("state", kPaymentStateNames);
  p.run_date = r.Day("run_date");
  p.due_on = r.OptionalDay("due_on");
  p.settled_seq = r.OptionalCount("settled_seq");
  p.settled_on = r.OptionalDay("settled_on");
  p.bank_line_id = r.Text("bank_line_id");
  p.run_prev = r.Text("run_prev");
  p.budget_prev = r.Text("budget_prev");
  p.returned_seq = r.OptionalCount("returned_seq");
  p.returned_on = r.OptionalDay("returned_on");
  p.return_line_id = r.Text("return_line_id");
  p.cancelled_seq = r.OptionalCount("cancelled_seq");
  p.cancelled_on = r.OptionalDay("cancelled_on");
  return r.Done(std::move(p));
}

Result<RunRecord> DecodeRun(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  RunRecord run;
  run.seq = r.Count("seq");
  run.run_id = r.KeyId(RecordKind::kRun);
  run.payments = r.Count("payments");
  run.total = r.Amount("total");
  run.state = r.Enum<PaymentState>("state", kPaymentStateNames);
  run.last_payment_id = r.Text("last_payment_id");
  run.settled_seq = r.OptionalCount("settled_seq");
  run.bank_line_id = r.Text("bank_line_id");
  run.cancelled = r.OptionalCount("cancelled").value_or(0);
  return r.Done(std::move(run));
}

Result<ReviewRecord> DecodeReview(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  ReviewRecord v;
  v.seq = r.Count("seq");
  v.review_id = r.KeyId(RecordKind::kReview);
  v.budget_id = r.Id("budget_id");
  v.outcome = r.Enum<ReviewOutcome>("outcome", kReviewOutcomeNames);
  v.reviewed_by = r.Text("reviewed_by");
  v.reviewed_on = r.Day("reviewed_on");
  return r.Done(std::move(v));
}

Result<BankLineRecord> DecodeBankLine(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  BankLineRecord b;
  b.seq = r.Count("seq");
  b.statement_id = r.Id("statement_id");
  b.line_id = r.Id("line_id");
  b.account = r.Text("account");
  b.counterparty_ref = r.Text("counterparty_ref");
  b.end_to_end_id = r.Text("end_to_end_id");
  b.batch_id = r.Text("batch_id");
  b.description = r.Text("description");
  b.booked_on = r.Day("booked_on");
  b.value_date = r.OptionalDay("value_date");
  b.amount = r.Amount("amount");
  b.state = r.Enum<BankLineState>("state", kBankLineStateNames);
  b.payment_id = r.Text("payment_id");
  b.run_id = r.Text("run_id");
  b.returned_payment_id = r.Text("returned_payment_id");
  b.settled_seq = r.OptionalCount("settled_seq");
  return r.Done(std::move(b));
}

Result<ProviderTotalsRecord> DecodeProviderTotals(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  ProviderTotalsRecord t;
  t.invoices = r.Count("invoices");
  t.received = r.OptionalAmount("received").value_or(Pence());
  t.approved = r.OptionalAmount("approved").value_or(Pence());
  t.paid = r.OptionalAmount("paid").value_or(Pence());
  return r.Done(std::move(t));
}

Result<SignOffRecord> DecodeSignOff(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  SignOffRecord s;
  s.seq = r.Count("seq");
  s.month = r.Id("month");
  s.by = r.Id("by");
  s.tree_size = r.Count("tree_size");
  s.result_sha256 = r.Id("result_sha256");
  s.matches_sha256 = r.Id("matches_sha256");
  s.flags_sha256 = r.Id("flags_sha256");
  s.lines = r.Count("lines");
  s.flags = r.Count("flags");
  return r.Done(std::move(s));
}

Result<FlagLifeRecord> DecodeFlagLife(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  FlagLifeRecord f;
  f.id = r.KeyId(RecordKind::kFlagLife);
  f.code = r.Id("code");
  f.severity = std::string(NameOf(r.Enum<size_t>("severity", kFlagSeverityNames), kFlagSeverityNames));
  f.entity = r.Id("entity");
  f.amount = r.Amount("amount");
  f.first_month = r.MonthOf("first_month");
  f.last_month = r.MonthOf("last_month");
  f.state = r.Enum<FlagState>("state", kFlagStateNames);
  f.raised_seq = r.Count("raised_seq");
  f.reopened = r.Count("reopened");
  f.note = r.Text("note");
  f.reason = r.Text("reason");
  f.actor = r.Text("actor");
  f.action_seq = r.OptionalCount("action_seq");
  f.resolved_month = r.OptionalMonth("resolved_month");
  // What the lifecycle entries always keep true (flag_life.h).
  if (r.status().ok() && f.id != f.code + "/" + f.entity) {
    r.Adopt(Status::Tampered("view " + std::string(key) + ": the id is not <code>/<entity>"));
  }
  if (r.status().ok() && f.last_month < f.first_month) {
    r.Adopt(Status::Tampered("view " + std::string(key) + " member last_month: before first_month"));
  }
  if (r.status().ok() && (f.state == FlagState::kResolved) != f.resolved_month.has_value()) {
    r.Adopt(Status::Tampered("view " + std::string(key) + " member resolved_month: set exactly when resolved"));
  }
  return r.Done(std::move(f));
}

std::string FlagLifeText(const FlagLifeRecord& f) {
  assert(f.id == f.code + "/" + f.entity);
  assert(!(f.last_month < f.first_month));
  assert((f.state == FlagState::kResolved) == f.resolved_month.has_value());
  CanonicalObject o;
  o.Text("code", f.code)
      .Text("severity", f.severity)
      .Text("entity", f.entity)
      .Text("amount", f.amount.ToDecimal())
      .Text("first_month", f.first_month.ToString())
      .Text("last_month", f.last_month.ToString())
      .Text("state", ToString(f.state))
      .Count("raised_seq", f.raised_seq)
      .Count("reopened", f.reopened);
  if (!f.note.empty()) o.Text("note", f.note);
  if (!f.reason.empty()) o.Text("reason", f.reason);
  if (!f.actor.empty()) o.Text("actor", f.actor);
  if (f.action_seq) o.Count("action_seq", *f.action_seq);
  if (f.resolved_month) o.Text("resolved_month", f.resolved_month->ToString());
  return o.Finish();
}


// The same decoders over a parsed DOM (the rules' path).
Result<PotRecord> DecodePot(std::string_view key, const nlohmann::json& j) { return DecodePot(key, RecordFields(j)); }
Result<PersonRecord> DecodePerson(std::string_view key, const nlohmann::json& j) { return DecodePerson(key, RecordFields(j)); }
Result<ProviderRecord> DecodeProvider(std::string_view key, const nlohmann::json& j) { return DecodeProvider(key, RecordFields(j)); }
Result<BudgetRecord> DecodeBudget(std::string_view key, const nlohmann::json& j) { return DecodeBudget(key, RecordFields(j)); }
Result<InvoiceRecord> DecodeInvoice(std::string_view key, const nlohmann::json& j) { return DecodeInvoice(key, RecordFields(j)); }
Result<PaymentRecord> DecodePayment(std::string_view key, const nlohmann::json& j) { return DecodePayment(key, RecordFields(j)); }
Result<RunRecord> DecodeRun(std::string_view key, const nlohmann::json& j) { return DecodeRun(key, RecordFields(j)); }
Result<ReviewRecord> DecodeReview(std::string_view key, const nlohmann::json& j) { return DecodeReview(key, RecordFields(j)); }
Result<BankLineRecord> DecodeBankLine(std::string_view key, const nlohmann::json& j) { return DecodeBankLine(key, RecordFields(j)); }
Result<ProviderTotalsRecord> DecodeProviderTotals(std::string_view key, const nlohmann::json& j) { return DecodeProviderTotals(key, RecordFields(j)); }
Result<SignOffRecord> DecodeSignOff(std::string_view key, const nlohmann::json& j) { return DecodeSignOff(key, RecordFields(j)); }
Result<FlagLifeRecord> DecodeFlagLife(std::string_view key, const nlohmann::json& j) { return DecodeFlagLife(key, RecordFields(j)); }

Result<AmendmentRecord> DecodeAmendment(std::string_view key, const RecordFields& j);

namespace {
// DecodeRecord<R> over members read from text.
template <typename R>
Result<R> DecodeFields(std::string_view key, const RecordFields& j) {
  if constexpr (std::is_same_v<R, PotRecord>) return DecodePot(key, j);
  else if constexpr (std::is_same_v<R, PersonRecord>) return DecodePerson(key, j);
  else if constexpr (std::is_same_v<R, ProviderRecord>) return DecodeProvider(key, j);
  else if constexpr (std::is_same_v<R, BudgetRecord>) return DecodeBudget(key, j);
  else if constexpr (std::is_same_v<R, InvoiceRecord>) return DecodeInvoice(key, j);
  else if constexpr (std::is_same_v<R, PaymentRecord>) return DecodePayment(key, j);
  else if constexpr (std::is_same_v<R, RunRecord>) return DecodeRun(key, j);
  else if constexpr (std::is_same_v<R, ReviewRecord>) return DecodeReview(key, j);
  else if constexpr (std::is_same_v<R, BankLineRecord>) return DecodeBankLine(key, j);
  else if constexpr (std::is_same_v<R, ProviderTotalsRecord>) return DecodeProviderTotals(key, j);
  else if constexpr (std::is_same_v<R, SignOffRecord>) return DecodeSignOff(key, j);
  else if constexpr (std::is_same_v<R, FlagLifeRecord>) return DecodeFlagLife(key, j);
  else {
    static_assert(std::is_same_v<R, AmendmentRecord>, "every record family has a decoder here");
    return DecodeAmendment(key, j);
  }
}
}  // namespace

Result<nlohmann::json> ParseRecordText(std::string_view key, std::string_view text) {
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Status::Tampered("view " + std::string(key) + ": not a JSON object");
  return doc;
}


template <typename R>
Result<R> DecodeRecordText(std::string_view key, std::string_view text) {
  RecordFields fields;
  if (fields.Scan(text)) return DecodeFields<R>(key, fields);
  auto doc = ParseRecordText(key, text);
  if (!doc.ok()) return doc.status();
  return DecodeRecord<R>(key, *doc);
}

template <typename R>
Result<R> DecodeRecord(std::string_view key, const nlohmann::json& j) {
  return DecodeFields<R>(key, RecordFields(j));
}

// Both decoders, for every record family (DecodeFields' dispatch names them).
#define RF_RECORD_DECODERS(R)                                              \
  template Result<R> DecodeRecordText(std::string_view, std::string_view); \
  template Result<R> DecodeRecord(std::string_view, const nlohmann::json&);
RF_RECORD_DECODERS(PotRecord)
RF_RECORD_DECODERS(PersonRecord)
RF_RECORD_DECODERS(ProviderRecord)
RF_RECORD_DECODERS(BudgetRecord)
RF_RECORD_DECODERS(InvoiceRecord)
RF_RECORD_DECODERS(RunRecord)
RF_RECORD_DECODERS(PaymentRecord)
RF_RECORD_DECODERS(ReviewRecord)
RF_RECORD_DECODERS(BankLineRecord)
RF_RECORD_DECODERS(ProviderTotalsRecord)
RF_RECORD_DECODERS(SignOffRecord)
RF_RECORD_DECODERS(FlagLifeRecord)
RF_RECORD_DECODERS(AmendmentRecord)
#undef RF_RECORD_DECODERS

std::string_view ToString(AmendmentState s) { return NameOf(s, kAmendmentStateNames); }

Result<AmendmentRecord> DecodeAmendment(std::string_view key, const RecordFields& j) {
  RecordReader r(key, j);
  AmendmentRecord a;
  a.seq = r.Count("seq");
  a.amendment_id = r.KeyId(RecordKind::kAmendment);
  a.target = r.Id("target");
  a.target_id = r.Id("target_id");
  a.payee_ref = r.Id("payee_ref");
  a.old_payee_ref = r.Text("old_payee_ref");
  a.requested_by = r.Id("requested_by");
  a.requested_on = r.Day("requested_on");
  a.state = r.Enum<AmendmentState>("state", kAmendmentStateNames);
  a.confirmed_seq = r.OptionalCount("confirmed_seq");
  a.confirmed_by = r.Text("confirmed_by");
  a.confirmed_on = r.OptionalDay("confirmed_on");
  a.first_payment_id = r.Text("first_payment_id");
  a.first_payment_seq = r.OptionalCount("first_payment_seq");
  a.first_payment_on = r.OptionalDay("first_payment_on");
  return r.Done(std::move(a));
}
Result<AmendmentRecord> DecodeAmendment(std::string_view key, const nlohmann::json& j) {
  return DecodeAmendment(key, RecordFields(j));
}

void MarkAmendmentConfirmed(nlohmann::json& amendment, uint64_t seq, std::string_view by, Date on) {
  amendment["state"] = ToString(AmendmentState::kConfirmed);
  amendment["confirmed_seq"] = seq;
  amendment["confirmed_by"] = by;
  amendment["confirmed_on"] = on.ToIso();
}

void MarkAmendmentFirstPayment(nlohmann::json& amendment, std::string_view payment_id, uint64_t seq, Date on) {
  amendment["first_payment_id"] = payment_id;
  amendment["first_payment_seq"] = seq;
  amendment["first_payment_on"] = on.ToIso();
}

void MarkPayeeAmended(nlohmann::json& target, std::string_view payee_ref, std::string_view amendment_id) {
  target["payee_ref"] = payee_ref;
  target["payee_amendment"] = amendment_id;
}

void MarkInvoiceRejected(nlohmann::json& invoice, uint64_t seq, Date on) {
  invoice["state"] = ToString(InvoiceState::kRejected);
  invoice["rejected_seq"] = seq;
  invoice["rejected_on"] = on.ToIso();
}

void MarkPaymentCancelled(nlohmann::json& payment, uint64_t seq, Date on) {
  payment["state"] = ToString(PaymentState::kCancelled);
  payment["cancelled_seq"] = seq;
  payment["cancelled_on"] = on.ToIso();
}

void MarkRunPaymentCancelled(nlohmann::json& run, const RunRecord& before, const Pence& amount) {
  run["total"] = (before.total - amount).ToDecimal();
  run["cancelled"] = before.cancelled + 1;
}

// ---- Changes ----

std::string ReceivedInvoiceText(const ReceivedInvoiceTexts& t, uint64_t seq) {
  std::string record;
  record.reserve(192);
  record += "{\"amount\":";
  record += t.amount;
  record += ",\"budget_id\":";
  record += t.budget_id;
  record += ",\"provider_id\":";
  record += t.provider_id;
  record += ",\"received_on\":";
  record += t.received_on;
  record += ",\"seq\":" + std::to_string(seq);
  record += ",\"service_from\":";
  record += t.service_from;
  record += ",\"service_to\":";
  record += t.service_to;
  record += ",\"state\":\"";
  record += ToString(InvoiceState::kReceived);
  record += "\"}";
  return record;
}

void MarkInvoiceApproved(nlohmann::json& invoice, uint64_t seq, Date approved_on) {
  invoice["state"] = ToString(InvoiceState::kApproved);
  invoice["approved_seq"] = seq;
  invoice["approved_on"] = approved_on.ToIso();
}

void MarkInvoicePaid(nlohmann::json& invoice, std::string_view payment_id) {
  invoice["state"] = ToString(InvoiceState::kPaid);
  invoice["payment_id"] = payment_id;
}

void MarkBudgetFirstPayment(nlohmann::json& budget, uint64_t seq, Date paid_on) {
  budget["first_payment_seq"] = seq;
  budget["first_payment_on"] = paid_on.ToIso();
}

void ClearBudgetFirstPayment(nlohmann::json& budget) {
  budget.erase("first_payment_seq");
  budget.erase("first_payment_on");
}

void JoinBudgetPaymentsJson(nlohmann::json& budget, const BudgetRecord& before, nlohmann::json& payment,
                            std::string_view payment_id) {
  if (!before.last_payment_id.empty()) payment["budget_prev"] = before.last_payment_id;
  budget["payments"] = before.payments + 1;
  budget["last_payment_id"] = payment_id;
}

void MarkBudgetReviewed(nlohmann::json& budget, Date reviewed_on, ReviewOutcome outcome) {
  budget["last_review_on"] = reviewed_on.ToIso();
  budget["last_review_outcome"] = NameOf(outcome, kReviewOutcomeNames);
}

void MarkPaymentPending(nlohmann::json& payment, std::string_view budget_id, std::string_view provider_id,
                        Date run_date) {
  payment["budget_id"] = budget_id;
  if (!provider_id.empty()) payment["provider_id"] = provider_id;
  payment["state"] = ToString(PaymentState::kPending);
  payment["run_date"] = run_date.ToIso();
}

void MarkPaymentSettled(nlohmann::json& payment, uint64_t seq, Date settled_on, std::string_view bank_line_id) {
  payment["state"] = ToString(PaymentState::kSettled);
  payment["settled_seq"] = seq;
  payment["settled_on"] = settled_on.ToIso();
  payment["bank_line_id"] = bank_line_id;
}

void MarkPaymentUnsettled(nlohmann::json& payment) {
  payment["state"] = ToString(PaymentState::kPending);
  payment.erase("settled_seq");
  payment.erase("settled_on");
  payment.erase("bank_line_id");
}

void MarkPaymentReturned(nlohmann::json& payment, uint64_t seq, Date returned_on, std::string_view line_id) {
  payment["state"] = ToString(PaymentState::kReturned);
  payment["returned_seq"] = seq;
  payment["returned_on"] = returned_on.ToIso();
  payment["return_line_id"] = line_id;
}

void MarkInvoiceReturned(nlohmann::json& invoice, uint64_t returns) {
  invoice["state"] = ToString(InvoiceState::kApproved);
  invoice.erase("payment_id");
  invoice["returns"] = returns;
}

void MarkPotFunder(nlohmann::json& pot, std::string_view funder) { pot["funder"] = funder; }

void MarkBankLineLoaded(nlohmann::json& line) { line["state"] = ToString(BankLineState::kUnmatched); }

Result<std::string> PaymentSettledText(std::string_view payment, uint64_t seq, Date settled_on,
                                       std::string_view bank_line_id) {
  RF_ASSIGN(line_value, CanonicalStringValue(bank_line_id));
  const std::string state = "\"" + std::string(ToString(PaymentState::kSettled)) + "\"";
  const std::string seq_value = std::to_string(seq);
  const std::string on_value = "\"" + settled_on.ToIso() + "\"";
  return WithCanonicalMembers(payment, {{"state", state},
                                        {"settled_seq", seq_value},
                                        {"settled_on", on_value},
                                        {"bank_line_id", line_value}});
}

namespace {

Result<std::string> BankLineMatchedText(std::string_view line, uint64_t seq, std::string_view id_member,
                                        std::string_view id) {
  RF_ASSIGN(id_value, CanonicalStringValue(id));
  const std::string state = "\"" + std::string(ToString(BankLineState::kMatched)) + "\"";
  const std::string seq_value = std::to_string(seq);
  return WithCanonicalMembers(line, {{"state", state}, {id_member, id_value}, {"settled_seq", seq_value}});
}

}  // namespace

Result<std::string> BankLineMatchedPaymentText(std::string_view line, uint64_t seq, std::string_view payment_id) {
  return BankLineMatchedText(line, seq, "payment_id", payment_id);
}

Result<std::string> BankLineMatchedRunText(std::string_view line, uint64_t seq, std::string_view run_id) {
  return BankLineMatchedText(line, seq, "run_id", run_id);
}

void MarkBankLineReturnsPayment(nlohmann::json& line, uint64_t seq, std::string_view payment_id) {
  line["state"] = ToString(BankLineState::kMatched);
  line["returned_payment_id"] = payment_id;
  line["settled_seq"] = seq;
}

void MarkBankLineUnmatched(nlohmann::json& line) {
  line["state"] = ToString(BankLineState::kUnmatched);
  line.erase("payment_id");
  line.erase("run_id");
  line.erase("settled_seq");
}

nlohmann::json NewRunJson(uint64_t seq) {
  return nlohmann::json{
      {"payments", uint64_t{0}}, {"total", "0.00"}, {"state", ToString(PaymentState::kPending)}, {"seq", seq}};
}

void JoinRunJson(nlohmann::json& run, const RunRecord& before, nlohmann::json& payment, std::string_view payment_id,
                 const Pence& amount) {
  if (!before.last_payment_id.empty()) payment["run_prev"] = before.last_payment_id;
  run["total"] = (before.total + amount).ToDecimal();
  run["payments"] = before.payments + 1;
  run["last_payment_id"] = payment_id;
}

void MarkRunSettled(nlohmann::json& run, uint64_t seq, std::string_view bank_line_id) {
  run["state"] = ToString(PaymentState::kSettled);
  run["settled_seq"] = seq;
  run["bank_line_id"] = bank_line_id;
}

void MarkRunUnsettled(nlohmann::json& run) {
  run["state"] = ToString(PaymentState::kPending);
  run.erase("settled_seq");
  run.erase("bank_line_id");
}

namespace {
constexpr std::array<const char*, 3> kProviderTotalMembers = {"received", "approved", "paid"};
}  // namespace

nlohmann::json NewProviderTotalsJson() { return nlohmann::json{{"invoices", uint64_t{0}}}; }

Status AddToProviderTotals(nlohmann::json& totals, std::string_view key, ProviderTotal which, const Pence& amount,
                           bool count) {
  const char* member = kProviderTotalMembers[static_cast<size_t>(which)];
  Pence sum;
  const auto before = totals.find(member);
  if (before != totals.end()) {
    if (!before->is_string()) return Status::Tampered("view " + std::string(key) + ": " + member + " is not an amount");
    auto parsed = Pence::Parse(before->get_ref<const std::string&>(), member);
    if (!parsed.ok()) return Status::Tampered("view " + std::string(key) + ": " + parsed.status().message());
    sum = *parsed;
  }
  totals[member] = (sum + amount).ToDecimal();
  if (count) {
    const auto invoices = totals.find("invoices");
    if (invoices == totals.end() || !invoices->is_number_unsigned()) {  // stored and new counts are unsigned
      return Status::Tampered("view " + std::string(key) + ": invoices is not a count");
    }
    *invoices = invoices->get<uint64_t>() + 1;
  }
  return Status::Ok();
}

Result<BudgetLink> DecodeBudgetLink(std::string_view key, const nlohmann::json& budget) {
  RecordReader r(key, budget);
  BudgetLink link;
  link.pot_id = r.Id("pot_id");
  link.approved_on = r.Day("approved_on");
  return r.Done(std::move(link));
}

Result<PotLink> DecodePotLink(std::string_view key, const nlohmann::json& pot) {
  RecordReader r(key, pot);
  PotLink link;
  link.funder = r.Id("funder");
  link.funded_on = r.Day("funded_on");
  return r.Done(std::move(link));
}

std::string OverspendFlagId(uint64_t seq) { return std::string(kOverspendFlag) + SeqKey(seq); }
std::string DiversionFlagId(uint64_t seq) { return std::string(kDiversionFlag) + SeqKey(seq); }

nlohmann::json OverspendFlagJson(uint64_t seq, const std::vector<FlaggedBalance>& accounts, std::string_view reason,
                                 std::string_view actor) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& a : accounts) {
    assert(a.balance_after.is_negative());
    list.push_back({{"account", a.account}, {"balance_after", a.balance_after.ToDecimal()}});
  }
  return {{"seq", seq}, {"accounts", list}, {"reason", reason}, {"actor", actor}};
}

nlohmann::json DiversionFlagJson(uint64_t seq, const Pence& amount, const std::vector<std::string>& to,
                                 std::string_view pot, std::string_view reason, std::string_view actor) {
  return {{"seq", seq}, {"amount", amount.ToDecimal()}, {"to", to}, {"pot", pot}, {"reason", reason}, {"actor", actor}};
}

std::string FlagRecordPrefix(FlagRecordKind kind) {
  return std::string(RecordPrefix(RecordKind::kFlag)) +
         std::string(kind == FlagRecordKind::kOverspend ? kOverspendFlag : kDiversionFlag);
}

Result<OverspendFlagRecord> DecodeOverspendFlag(std::string_view key, const nlohmann::json& j) {
  RecordReader r(key, j);
  OverspendFlagRecord f;
  f.seq = r.Count("seq");
  if (const nlohmann::json* list = r.Array("accounts")) {
    for (const nlohmann::json& item : *list) {
      RecordReader a(key, item);
      FlaggedBalance b;
      b.account = a.Id("account");
      b.balance_after = a.Amount("balance_after");
      r.Adopt(a.status());
      f.accounts.push_back(std::move(b));
    }
  }
  f.reason = r.Text("reason");
  f.actor = r.Text("actor");
  return r.Done(std::move(f));
}

Result<DiversionFlagRecord> DecodeDiversionFlag(std::string_view key, const nlohmann::json& j) {
  RecordReader r(key, j);
  DiversionFlagRecord f;
  f.seq = r.Count("seq");
  f.amount = r.Amount("amount");
  if (const nlohmann::json* list = r.Array("to")) {
    for (const nlohmann::json& item : *list) {
      if (!item.is_string()) {
        r.Adopt(Status::Tampered("view " + std::string(key) + " member to: is not a list of accounts"));
        break;
      }
      f.to.push_back(item.get<std::string>());
    }
  }
  f.pot = r.Text("pot");
  f.reason = r.Text("reason");
  f.actor = r.Text("actor");
  return r.Done(std::move(f));
}

nlohmann::json SignOffJson(uint64_t seq, const SignOffRecord& s) {
  return {{"seq", seq},
          {"month", s.month},
          {"by", s.by},
          {"tree_size", s.tree_size},
          {"result_sha256", s.result_sha256},
          {"matches_sha256", s.matches_sha256},
          {"flags_sha256", s.flags_sha256},
          {"lines", s.lines},
          {"flags", s.flags}};
}

// ---- Month indexes ----

namespace {
constexpr std::string_view kLineMonthPrefix = "linemonth/";
constexpr std::string_view kPendingPaymentPrefix = "paypending/";
constexpr std::string_view kSettledPaymentPrefix = "paysettled/";
constexpr size_t kIsoDayChars = 10;  // "YYYY-MM-DD"
}  // namespace

std::string LineMonthPrefix(const Month& month) {
  return std::string(kLineMonthPrefix) + month.ToString() + "/";
}

std::string LineMonthKey(Date booked_on, std::string_view bank_line_id) {
  // "YYYY-MM" of the day.
  return std::string(kLineMonthPrefix) + booked_on.ToIso().substr(0, 7) + "/" + std::string(bank_line_id);
}

std::string PendingPaymentPrefix() { return std::string(kPendingPaymentPrefix); }
std::string PendingPaymentKey(std::string_view payment_id) {
  return std::string(kPendingPaymentPrefix) + std::string(payment_id);
}

std::string SettledPaymentPrefix() { return std::string(kSettledPaymentPrefix); }
std::string SettledPaymentKey(Date settled_on, std::string_view payment_id) {
  return std::string(kSettledPaymentPrefix) + settled_on.ToIso() + "/" + std::string(payment_id);
}

Result<std::string> LineIdOfMonthKey(std::string_view key, const Month& month) {
  const std::string prefix = LineMonthPrefix(month);
  if (!key.starts_with(prefix) || key.size() == prefix.size()) {
    return Status::Tampered("view " + std::string(key) + ": not a bank line of " + month.ToString());
  }
  return std::string(key.substr(prefix.size()));
}

Result<std::string> PaymentIdOfPendingKey(std::string_view key) {
  if (!key.starts_with(kPendingPaymentPrefix) || key.size() == kPendingPaymentPrefix.size()) {
    return Status::Tampered("view " + std::string(key) + ": not a pending payment's key");
  }
  return std::string(key.substr(kPendingPaymentPrefix.size()));
}

Result<SettledPaymentPoint> ParseSettledPaymentKey(std::string_view key) {
  const auto bad = [&] { return Status::Tampered("view " + std::string(key) + ": not a settled payment's key"); };
  if (!key.starts_with(kSettledPaymentPrefix)) return bad();
  const std::string_view rest = key.substr(kSettledPaymentPrefix.size());
  if (rest.size() < kIsoDayChars + 2 || rest[kIsoDayChars] != '/') return bad();
  auto day = Date::Parse(rest.substr(0, kIsoDayChars), key);
  if (!day.ok()) return bad();
  return SettledPaymentPoint{.settled_on = *day, .payment_id = std::string(rest.substr(kIsoDayChars + 1))};
}

// ---- What statement matching reads ----

namespace {
// Calls read(RecordReader&) over the members of `text`: scanned when it is
// flat, else parsed (as DecodeBudgetEqualityFacts does).
template <typename Read>
auto ReadMatchFactsText(std::string_view key, std::string_view text, Read&& read)
    -> decltype(read(std::declval<RecordReader&>())) {
  RecordFields scanned;
  if (scanned.Scan(text)) {
    RecordReader r(key, scanned);
    return read(r);
  }
  RF_ASSIGN(doc, ParseRecordText(key, text));
  const RecordFields parsed(doc);
  RecordReader r(key, parsed);
  return read(r);
}
}  // namespace

Result<BankLineMatchFacts> DecodeBankLineMatchFacts(std::string_view key, std::string_view text) {
  return ReadMatchFactsText(key, text, [](RecordReader& r) -> Result<BankLineMatchFacts> {
    BankLineMatchFacts b;
    b.counterparty_ref = r.Text("counterparty_ref");
    b.end_to_end_id = r.Text("end_to_end_id");
    b.batch_id = r.Text("batch_id");
    b.booked_on = r.Day("booked_on");
    b.amount = r.Amount("amount");
    b.state = r.Enum<BankLineState>("state", kBankLineStateNames);
    return r.Done(std::move(b));
  });
}

Result<PaymentMatchFacts> DecodePaymentMatchFacts(std::string_view key, std::string_view text) {
  return ReadMatchFactsText(key, text, [](RecordReader& r) -> Result<PaymentMatchFacts> {
    PaymentMatchFacts p;
    p.run_id = r.Id("run_id");
    p.payee_ref = r.Text("payee_ref");
    p.amount = r.Amount("amount");
    p.state = r.Enum<PaymentState>("state", kPaymentStateNames);
    p.run_date = r.Day("run_date");
    return r.Done(std::move(p));
  });
}

Result<PaymentFlagFacts> DecodePaymentFlagFacts(std::string_view key, std::string_view text) {
  return ReadMatchFactsText(key, text, [](RecordReader& r) -> Result<PaymentFlagFacts> {
    PaymentFlagFacts p;  // read as DecodePayment reads them
    p.seq = r.Count("seq");
    p.payment_id = r.KeyId(RecordKind::kPayment);
    p.run_id = r.Id("run_id");
    p.purpose = r.Enum<PaymentPurpose>("purpose", kPurposeNames);
    p.invoice_id = p.purpose == PaymentPurpose::kInvoice ? r.Id("invoice_id") : r.Text("invoice_id");
    p.budget_id = r.Id("budget_id");
    p.provider_id = p.purpose == PaymentPurpose::kInvoice ? r.Id("provider_id") : r.Text("provider_id");
    p.amount = r.Amount("amount");
    p.state = r.Enum<PaymentState>("state", kPaymentStateNames);
    p.run_date = r.Day("run_date");
    p.due_on = r.OptionalDay("due_on");
    p.settled_on = r.OptionalDay("settled_on");
    p.returned_seq = r.OptionalCount("returned_seq");
    p.returned_on = r.OptionalDay("returned_on");
    p.return_line_id = r.Text("return_line_id");
    return r.Done(std::move(p));
  });
}

PaymentFlagFacts PaymentFlagFactsOf(const PaymentRecord& p) {
  return PaymentFlagFacts{.seq = p.seq,
                          .payment_id = p.payment_id,
                          .run_id = p.run_id,
                          .purpose = p.purpose,
                          .invoice_id = p.invoice_id,
                          .budget_id = p.budget_id,
                          .provider_id = p.provider_id,
                          .amount = p.amount,
                          .state = p.state,
                          .run_date = p.run_date,
                          .due_on = p.due_on,
                          .settled_on = p.settled_on,
                          .returned_seq = p.returned_seq,
                          .returned_on = p.returned_on,
                          .return_line_id = p.return_line_id};
}

Result<InvoiceFlagFacts> DecodeInvoiceFlagFacts(std::string_view key, std::string_view text) {
  return ReadMatchFactsText(key, text, [](RecordReader& r) -> Result<InvoiceFlagFacts> {
    InvoiceFlagFacts i;  // read as DecodeInvoice reads them
    i.seq = r.Count("seq");
    i.invoice_id = r.KeyId(RecordKind::kInvoice);
    i.provider_id = r.Id("provider_id");
    i.budget_id = r.Id("budget_id");
    i.amount = r.Amount("amount");
    i.service_from = r.Day("service_from");
    i.service_to = r.Day("service_to");
    i.received_on = r.Day("received_on");
    i.state = r.Enum<InvoiceState>("state", kInvoiceStateNames);
    i.payment_id = r.Text("payment_id");
    return r.Done(std::move(i));
  });
}

InvoiceFlagFacts InvoiceFlagFactsOf(const InvoiceRecord& i) {
  return InvoiceFlagFacts{.seq = i.seq,
                          .invoice_id = i.invoice_id,
                          .provider_id = i.provider_id,
                          .budget_id = i.budget_id,
                          .amount = i.amount,
                          .service_from = i.service_from,
                          .service_to = i.service_to,
                          .received_on = i.received_on,
                          .state = i.state,
                          .payment_id = i.payment_id};
}

Result<BudgetFlagFacts> DecodeBudgetFlagFacts(std::string_view key, std::string_view text) {
  return ReadMatchFactsText(key, text, [](RecordReader& r) -> Result<BudgetFlagFacts> {
    BudgetFlagFacts b;  // read as DecodeBudget reads them
    b.seq = r.Count("seq");
    b.budget_id = r.KeyId(RecordKind::kBudget);
    b.frequency = r.Text("frequency");
    b.management = r.Enum<Management>("management", kManagementNames);
    b.amount = r.Amount("amount");
    b.start_date = r.Day("start_date");
    b.end_date = r.Day("end_date");
    b.approved_on = r.Day("approved_on");
    b.first_payment_seq = r.OptionalCount("first_payment_seq");
    b.first_payment_on = r.OptionalDay("first_payment_on");
    b.last_review_on = r.OptionalDay("last_review_on");
    if (r.Has("last_review_outcome")) {
      b.last_review_outcome = r.Enum<ReviewOutcome>("last_review_outcome", kReviewOutcomeNames);
    }
    return r.Done(std::move(b));
  });
}

BudgetFlagFacts BudgetFlagFactsOf(const BudgetRecord& b) {
  return BudgetFlagFacts{.seq = b.seq,
                         .budget_id = b.budget_id,
                         .frequency = b.frequency,
                         .management = b.management,
                         .amount = b.amount,
                         .start_date = b.start_date,
                         .end_date = b.end_date,
                         .approved_on = b.approved_on,
                         .first_payment_seq = b.first_payment_seq,
                         .first_payment_on = b.first_payment_on,
                         .last_review_on = b.last_review_on,
                         .last_review_outcome = b.last_review_outcome};
}

// ---- Provider payments index ----

namespace {
constexpr std::string_view kProviderPaymentPrefix = "provpay/";
constexpr size_t kDaysToPayCharsMax = 7;  // |days| within Date's 0000..9999 years: at most 3,652,424
}  // namespace

std::string ProviderPaymentPrefix() { return std::string(kProviderPaymentPrefix); }

std::string ProviderPaymentKey(Date run_date, std::string_view payment_id) {
  return std::string(kProviderPaymentPrefix) + run_date.ToIso() + "/" + std::string(payment_id);
}

std::string ProviderPaymentValue(std::string_view provider_id, const Pence& amount, int64_t days_to_pay) {
  assert(!provider_id.empty() && provider_id.find(' ') == std::string_view::npos);
  return std::string(provider_id) + " " + amount.ToDecimal() + " " + std::to_string(days_to_pay);
}

Result<ProviderPayment> ParseProviderPayment(std::string_view key, std::string_view value) {
  const auto bad = [&](const char* what) {
    return Status::Tampered("view " + std::string(key) + ": " + what);
  };
  if (!key.starts_with(kProviderPaymentPrefix)) return bad("not a provider payment's key");
  const std::string_view rest = key.substr(kProviderPaymentPrefix.size());
  if (rest.size() < kIsoDayChars + 2 || rest[kIsoDayChars] != '/') return bad("not a provider payment's key");
  auto day = Date::Parse(rest.substr(0, kIsoDayChars), key);
  if (!day.ok() || day->ToIso() != rest.substr(0, kIsoDayChars)) return bad("not a provider payment's key");
  ProviderPayment p{.run_date = *day,
                    .payment_id = std::string(rest.substr(kIsoDayChars + 1)),
                    .provider_id = "",
                    .amount = Pence(),
                    .days_to_pay = 0};
  // "<provider id> <amount> <days to pay>"
  const size_t first = value.find(' ');
  const size_t second = first == std::string_view::npos ? first : value.find(' ', first + 1);
  if (first == 0 || second == std::string_view::npos || value.find(' ', second + 1) != std::string_view::npos) {
    return bad("the value is not \"<provider id> <amount> <days to pay>\"");
  }
  p.provider_id = std::string(value.substr(0, first));
  const std::string_view amount = value.substr(first + 1, second - first - 1);
  auto pence = Pence::Parse(amount, "amount");
  if (!pence.ok() || !IsCanonicalDecimal(amount, *pence)) return bad("the amount is not a canonical decimal");
  p.amount = *pence;
  std::string_view days = value.substr(second + 1);
  const bool negative = days.starts_with('-');
  if (negative) days.remove_prefix(1);
  if (days.empty() || days.size() > kDaysToPayCharsMax || (days.size() > 1 && days[0] == '0') ||
      (negative && days == "0")) {
    return bad("the days to pay are not a whole number");
  }
  for (const char c : days) {
    if (c < '0' || c > '9') return bad("the days to pay are not a whole number");
    p.days_to_pay = p.days_to_pay * 10 + (c - '0');
  }
  if (negative) p.days_to_pay = -p.days_to_pay;
  return p;
}

Result<BudgetEqualityFacts> DecodeBudgetEqualityFacts(std::string_view key, std::string_view text) {
  RecordFields scanned;
  nlohmann::json doc;  // only when the text is not flat: RecordFields points into it
  std::optional<RecordFields> parsed_fields;
  const RecordFields* fields = &scanned;
  if (!scanned.Scan(text)) {
    RF_ASSIGN(parsed, ParseRecordText(key, text));
    doc = std::move(parsed);
    parsed_fields.emplace(doc);
    fields = &*parsed_fields;
  }
  RecordReader r(key, *fields);
  BudgetEqualityFacts b;
  b.budget_id = r.KeyId(RecordKind::kBudget);
  b.person_id = r.Id("person_id");
  b.management = r.Enum<Management>("management", kManagementNames);
  b.amount = r.Amount("amount");
  b.end_date = r.Day("end_date");
  b.approved_on = r.Day("approved_on");
  b.first_payment_on = r.OptionalDay("first_payment_on");
  const std::optional<Date> last_review_on = r.OptionalDay("last_review_on");
  std::optional<ReviewOutcome> last_review_outcome;
  if (r.Has("last_review_outcome")) {
    last_review_outcome = r.Enum<ReviewOutcome>("last_review_outcome", kReviewOutcomeNames);
  }
  b.ended_on = BudgetEndedOn(last_review_on, last_review_outcome);
  return r.Done(std::move(b));
}

// ---- What a month's tally and its result read of a bank line
// (line_facts.h) ----

namespace {
// One read of a bank line's text for its matching facts, its settlement
// facts, or both (either may be null), members in DecodeBankLine's order:
// the values and first error DecodeBankLine gives for them.
Status ReadBankLineFacts(std::string_view key, std::string_view text, BankLineMatchFacts* match,
                         BankLineSettlementFacts* settlement) {
  return ReadMatchFactsText(key, text, [&](RecordReader& r) -> Status {
    std::string line_id, counterparty_ref, batch_id, payment_id, run_id, returned_payment_id;
    if (settlement != nullptr) line_id = r.KeyId(RecordKind::kBankLine);
    if (match != nullptr) counterparty_ref = r.Text("counterparty_ref");
    std::string end_to_end_id = r.Text("end_to_end_id");
    if (match != nullptr) batch_id = r.Text("batch_id");
    const Date booked_on = r.Day("booked_on");
    const Pence amount = r.Amount("amount");
    const BankLineState state = r.Enum<BankLineState>("state", kBankLineStateNames);
    std::optional<uint64_t> settled_seq;
    if (settlement != nullptr) {
      payment_id = r.Text("payment_id");
      run_id = r.Text("run_id");
      returned_payment_id = r.Text("returned_payment_id");
      settled_seq = r.OptionalCount("settled_seq");
    }
    if (!r.status().ok()) return r.status();
    if (settlement != nullptr) {
      const bool by_id = !end_to_end_id.empty() && end_to_end_id == payment_id;
      *settlement = BankLineSettlementFacts{.line_id = std::move(line_id),
                                            .booked_on = booked_on,
                                            .amount = amount,
                                            .state = state,
                                            .payment_id = std::move(payment_id),
                                            .run_id = std::move(run_id),
                                            .returned_payment_id = std::move(returned_payment_id),
                                            .settled_seq = settled_seq,
                                            .end_to_end_id_is_payment = by_id};
    }
    if (match != nullptr) {
      *match = BankLineMatchFacts{.end_to_end_id = std::move(end_to_end_id),
                                  .batch_id = std::move(batch_id),
                                  .counterparty_ref = std::move(counterparty_ref),
                                  .booked_on = booked_on,
                                  .amount = amount,
                                  .state = state};
    }
    return Status::Ok();
  });
}
}  // namespace

Result<BankLineSettlementFacts> DecodeBankLineSettlementFacts(std::string_view key, std::string_view text) {
  BankLineSettlementFacts facts;
  RF_RETURN_IF_ERROR(ReadBankLineFacts(key, text, nullptr, &facts));
  return facts;
}

Result<BankLineMatchFacts> DecodeBankLineFacts(std::string_view key, std::string_view text,
                                               BankLineSettlementFacts* settlement) {
  BankLineMatchFacts match;
  RF_RETURN_IF_ERROR(ReadBankLineFacts(key, text, &match, settlement));  // writes only when both read
  return match;
}

Result<PersonEqualityFacts> DecodePersonEqualityFacts(std::string_view key, std::string_view text,
                                                      std::string_view level_member) {
  assert(level_member.empty() || level_member == "age_band" || level_member == "sex" || level_member == "locality");
  return ReadMatchFactsText(key, text, [&](RecordReader& r) -> Result<PersonEqualityFacts> {
    PersonEqualityFacts p;
    p.person_id = r.KeyId(RecordKind::kPerson);
    p.ethnic_category = r.Text("ethnic_category");
    if (!level_member.empty()) p.level = r.Text(level_member);
    return r.Done(std::move(p));
  });
}

Result<FlagLifeEqualityFacts> DecodeFlagLifeEqualityFacts(std::string_view key, std::string_view text) {
  return ReadMatchFactsText(key, text, [&](RecordReader& r) -> Result<FlagLifeEqualityFacts> {
    // DecodeFlagLife's order, leaving out what is not read.
    FlagLifeEqualityFacts f;
    const std::string id = r.KeyId(RecordKind::kFlagLife);
    f.code = r.Id("code");
    f.entity = r.Id("entity");
    f.first_month = r.MonthOf("first_month");
    f.state = r.Enum<FlagState>("state", kFlagStateNames);
    if (r.status().ok() && id != f.code + "/" + f.entity) {
      r.Adopt(Status::Tampered("view " + std::string(key) + ": the id is not <code>/<entity>"));
    }
    return r.Done(std::move(f));
  });
}

// ---- Flag indexes ----

namespace {
constexpr std::string_view kPaymentRunFamily = "payrun/";
constexpr std::string_view kPaymentReturnedFamily = "payreturned/";
constexpr std::string_view kInvoiceReceivedFamily = "invrecv/";
constexpr std::string_view kInvoiceOpenFamily = "invopen/";
constexpr std::string_view kInvoiceRejectedFamily = "invrejected/";
constexpr std::string_view kInvoiceFailedPayerFamily = "payfailed/";
constexpr std::string_view kBudgetPaidFamily = "budpaid/";
constexpr std::string_view kBudgetPaidMonthFamily = "budpaidm/";
constexpr std::string_view kInstalmentsPaidFamily = "instpaid/";
constexpr std::string_view kDuplicateKeyFamily = "dupkey/";
constexpr std::string_view kDuplicateGroupFamily = "dupgroup/";
constexpr size_t kIsoMonthChars = 7;  // "YYYY-MM"

std::string Joined(std::string_view family, std::string_view middle, std::string_view id) {
  std::string out;
  out.reserve(family.size() + middle.size() + id.size() + 1);
  out.append(family);
  if (!middle.empty()) out.append(middle).push_back('/');
  out.append(id);
  return out;
}
}  // namespace

std::string PaymentRunKey(Date run_date, std::string_view payment_id) {
  return Joined(kPaymentRunFamily, run_date.ToIso().substr(0, kIsoMonthChars), payment_id);
}
std::string PaymentRunPrefix(const Month& month) { return Joined(kPaymentRunFamily, month.ToString(), ""); }
std::string PaymentRunFamily() { return std::string(kPaymentRunFamily); }
std::string PaymentReturnedKey(Date returned_on, std::string_view payment_id) {
  return Joined(kPaymentReturnedFamily, returned_on.ToIso(), payment_id);
}
std::string PaymentReturnedFamily() { return std::string(kPaymentReturnedFamily); }
std::string InvoiceReceivedKey(Date received_on, std::string_view invoice_id) {
  return Joined(kInvoiceReceivedFamily, received_on.ToIso().substr(0, kIsoMonthChars), invoice_id);
}
std::string InvoiceReceivedPrefix(const Month& month) { return Joined(kInvoiceReceivedFamily, month.ToString(), ""); }
std::string InvoiceReceivedFamily() { return std::string(kInvoiceReceivedFamily); }
std::string InvoiceOpenKey(std::string_view invoice_id) { return Joined(kInvoiceOpenFamily, "", invoice_id); }
std::string InvoiceOpenFamily() { return std::string(kInvoiceOpenFamily); }
std::string InvoiceRejectedKey(std::string_view invoice_id) { return Joined(kInvoiceRejectedFamily, "", invoice_id); }
std::string InvoiceRejectedFamily() { return std::string(kInvoiceRejectedFamily); }
std::string InvoiceFailedPayerKey(std::string_view invoice_id) {
  return Joined(kInvoiceFailedPayerFamily, "", invoice_id);
}
std::string InvoiceFailedPayerFamily() { return std::string(kInvoiceFailedPayerFamily); }
std::string BudgetPaidKey(std::string_view budget_id) { return Joined(kBudgetPaidFamily, "", budget_id); }
std::string BudgetPaidFamily() { return std::string(kBudgetPaidFamily); }
std::string BudgetPaidMonthKey(const Month& month, std::string_view budget_id) {
  return Joined(kBudgetPaidMonthFamily, month.ToString(), budget_id);
}
std::string BudgetPaidMonthPrefix(const Month& month) { return Joined(kBudgetPaidMonthFamily, month.ToString(), ""); }
std::string BudgetPaidMonthFamily() { return std::string(kBudgetPaidMonthFamily); }
std::string InstalmentsPaidKey(std::string_view budget_id) { return Joined(kInstalmentsPaidFamily, "", budget_id); }
std::string InstalmentsPaidFamily() { return std::string(kInstalmentsPaidFamily); }
std::string DuplicateKeyKey(std::string_view hash) { return Joined(kDuplicateKeyFamily, "", hash); }
std::string DuplicateKeyFamily() { return std::string(kDuplicateKeyFamily); }
std::string DuplicateGroupKey(std::string_view hash, std::string_view invoice_id) {
  return Joined(kDuplicateGroupFamily, hash, invoice_id);
}
std::string DuplicateGroupFamily() { return std::string(kDuplicateGroupFamily); }

std::string DuplicateKeyHashText(std::string_view provider_id, std::string_view budget_id, const Pence& amount,
                             Date service_from, Date service_to) {
  constexpr uint64_t kOffset = 14695981039346656037ULL;
  constexpr uint64_t kPrime = 1099511628211ULL;
  uint64_t h = kOffset;
  const auto field = [&](std::string_view text) {
    const std::string length = std::to_string(text.size()) + ":";
    for (const char c : length) h = (h ^ static_cast<unsigned char>(c)) * kPrime;
    for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * kPrime;
  };
  field(provider_id);
  field(budget_id);
  field(amount.ToDecimal());
  field(service_from.ToIso());
  field(service_to.ToIso());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = kHex[h & 0xf];
  return out;
}

Result<FlagIndexKey> ParseFlagIndexKey(std::string_view key, std::string_view family) {
  const auto bad = [&] { return Status::Tampered("view " + std::string(key) + ": not a key of " + std::string(family)); };
  if (!key.starts_with(family)) return bad();
  const std::string_view rest = key.substr(family.size());
  const size_t slash = rest.rfind('/');
  FlagIndexKey out;
  if (slash != std::string_view::npos) {
    out.middle = std::string(rest.substr(0, slash));
    out.id = std::string(rest.substr(slash + 1));
  } else {
    out.id = std::string(rest);
  }
  if (out.id.empty() || (slash != std::string_view::npos && out.middle.empty())) return bad();
  return out;
}

std::string FailedPayerText(const FailedPayer& payer) { return payer.run_date.ToIso() + "/" + payer.payment_id; }

Result<FailedPayer> ParseFailedPayer(std::string_view value, std::string_view key) {
  const auto bad = [&] {
    return Status::Tampered("view " + std::string(key) + ": \"" + std::string(value.substr(0, 80)) +
                            "\" is not a run date and payment id");
  };
  if (value.size() < kIsoDayChars + 2 || value[kIsoDayChars] != '/') return bad();
  auto day = Date::Parse(value.substr(0, kIsoDayChars), key);
  if (!day.ok()) return bad();
  return FailedPayer{.run_date = *day, .payment_id = std::string(value.substr(kIsoDayChars + 1))};
}

std::string InstalmentsPaidText(const std::vector<Date>& due_dates) {
  assert(std::is_sorted(due_dates.begin(), due_dates.end()));
  std::string out;
  out.reserve(due_dates.size() * (kIsoDayChars + 1));
  for (const Date d : due_dates) {
    if (!out.empty()) out.push_back(',');
    out += d.ToIso();
  }
  return out;
}

Result<std::vector<Date>> ParseInstalmentsPaid(std::string_view value, std::string_view key) {
  std::vector<Date> out;
  out.reserve(value.size() / (kIsoDayChars + 1) + 1);
  for (size_t at = 0; at < value.size(); at += kIsoDayChars + 1) {
    const std::string_view day_text = value.substr(at, kIsoDayChars);
    auto day = Date::Parse(day_text, key);
    const bool separated = at + kIsoDayChars == value.size() || value[at + kIsoDayChars] == ',';
    if (!day.ok() || day_text.size() != kIsoDayChars || !separated || (!out.empty() && *day < out.back())) {
      return Status::Tampered("view " + std::string(key) + ": not due dates ascending");
    }
    out.push_back(*day);
  }
  if (value.empty() || value.back() == ',') return Status::Tampered("view " + std::string(key) + ": no due dates");
  return out;
}

}  // namespace rf
