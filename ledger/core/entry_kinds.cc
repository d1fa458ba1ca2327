#include "ledger/core/entry_kinds.h"

#include <cassert>
#include <optional>

#include "ledger/core/canonical_writer.h"

namespace rf {
namespace {

// from -> to, `amount` (positive); none when the amount is zero.
std::vector<Posting> Move(const Account& from, const Account& to, const Pence& amount) {
  if (amount.is_zero()) return {};
  return {{from, -amount}, {to, amount}};
}

Account Acct(AccountType type, std::string id, std::string detail = "") {
  return Account{type, std::move(id), std::move(detail)};
}

}  // namespace

EntryDraft KindDraft(const char* kind_name, Date effective, const DraftOrigin& origin, std::string body_json) {
  EntryDraft d;
  d.kind = kind_name;
  d.effective = effective;
  d.actor = origin.actor;
  d.source = origin.source;
  d.body_json = std::move(body_json);
  return d;
}

std::string OrgAccountId(const std::string& org) {
  std::string slug = NameSlug(org);
  if (slug.size() > kAccountIdBytesMax) slug.resize(kAccountIdBytesMax);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "org" : slug;
}

nlohmann::json PostingsJson(const std::vector<Posting>& postings) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : postings) out.push_back({{"account", p.account.ToString()}, {"amount", p.amount.ToDecimal()}});
  return out;
}

std::string PostingsText(const std::vector<Posting>& postings) {
  std::string out = "[";
  CanonicalObject item;
  for (const auto& p : postings) {
    if (out.size() > 1) out.push_back(',');
    out += item.Text("account", p.account.ToString()).Text("amount", p.amount.ToDecimal()).Finish();
  }
  out.push_back(']');
  return out;
}

namespace {

// The list of a body's "postings" member; `it` is null when there is none.
Result<std::vector<Posting>> PostingList(const nlohmann::json* it) {
  if (it == nullptr || !it->is_array()) {
    return Status::InvalidInput("body.postings: required, a list of {\"account\", \"amount\"}");
  }
  if (it->size() > kPostingsPerEntryMax) {
    return Status::InvalidInput("body.postings: more than " + std::to_string(kPostingsPerEntryMax) + " postings");
  }
  std::vector<Posting> out;
  out.reserve(it->size());
  for (size_t i = 0; i < it->size(); ++i) {
    const auto& item = (*it)[i];
    // Field names are spelled out only for an error: this runs per posting.
    const auto where = [i] { return "body.postings[" + std::to_string(i) + "]"; };
    const auto account_text = item.is_object() && item.size() == 2 ? item.find("account") : item.end();
    const auto amount_text = item.is_object() && item.size() == 2 ? item.find("amount") : item.end();
    if (account_text == item.end() || amount_text == item.end() || !account_text->is_string() ||
        !amount_text->is_string()) {
      return Status::InvalidInput(where() + ": expected {\"account\": \"type:name\", \"amount\": \"12.34\"}");
    }
    auto account = ParseAccount(account_text->get_ref<const std::string&>(), "account");
    if (!account.ok()) return ParseAccount(account_text->get_ref<const std::string&>(), where() + ".account").status();
    auto amount = Pence::Parse(amount_text->get_ref<const std::string&>(), "amount");
    if (!amount.ok()) return Pence::Parse(amount_text->get_ref<const std::string&>(), where() + ".amount").status();
    out.push_back({std::move(*account), *amount});
  }
  return out;
}

}  // namespace

Result<std::vector<Posting>> ParsePostings(const nlohmann::json& body) {
  const auto it = body.find("postings");
  return PostingList(it == body.end() ? nullptr : &*it);
}

namespace {

// The end of the canonical JSON value starting at `at` (one past it).
// REQUIRES: `text` is canonical JSON (scanned).
size_t ValueEnd(std::string_view text, size_t at) {
  int depth = 0;
  for (size_t i = at; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (depth == 0) return i + 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    } else if (depth == 0 && (c == ',')) {
      return i;
    }
  }
  return text.size();
}

std::string_view StringValue(std::string_view raw, std::string* scratch) {
  const std::string_view inner = raw.substr(1, raw.size() - 2);
  if (inner.find('\\') == std::string_view::npos) return inner;
  return *scratch = UnescapeCanonicalString(raw);
}

// The usual shape read without a DOM: [{"account":"..","amount":".."},...].
// nullopt when the list has another shape (the DOM reader then names what
// is wrong).
std::optional<std::vector<Posting>> FlatPostings(std::string_view list) {
  if (list.size() < 2 || list.front() != '[') return std::nullopt;
  std::vector<Posting> out;
  std::vector<ScannedMember> members;
  std::string account_scratch, amount_scratch;
  size_t at = 1;
  while (at < list.size() && list[at] != ']') {
    if (out.size() == kPostingsPerEntryMax || list[at] != '{') return std::nullopt;
    const size_t end = ValueEnd(list, at);
    if (!ScanCanonicalObject(list.substr(at, end - at), &members).ok() || members.size() != 2 ||
        members[0].key != "account" || members[1].key != "amount" || members[0].value.front() != '"' ||
        members[1].value.front() != '"') {
      return std::nullopt;
    }
    auto account = ParseAccount(StringValue(members[0].value, &account_scratch), {});
    auto amount = Pence::Parse(StringValue(members[1].value, &amount_scratch), {});
    if (!account.ok() || !amount.ok()) return std::nullopt;
    out.push_back({std::move(*account), *amount});
    at = end;
    if (at < list.size() && list[at] == ',') ++at;
  }
  return out;
}

}  // namespace

Result<std::vector<Posting>> ParsePostingsText(std::string_view raw_list) {
  if (raw_list.empty()) return PostingList(nullptr);
  if (auto flat = FlatPostings(raw_list)) return std::move(*flat);
  // Another shape: read through a DOM of the list alone, which names what
  // is wrong. The text was scanned canonical, so it parses.
  const nlohmann::json list = nlohmann::json::parse(raw_list, nullptr, /*allow_exceptions=*/false);
  return PostingList(&list);
}

Result<std::vector<Posting>> ParseBodyPostings(std::string_view body_json) {
  RF_ASSIGN(body, BodyReader::Scan(body_json));
  return ParsePostingsText(body.Raw("postings"));
}

EntryDraft PotDraft(const PotFields& f, const std::string& org_account_id, const DraftOrigin& origin) {
  return KindDraft(kind::kPot, f.funded_on, origin,
                   CanonicalObject()
                       .Text("pot_id", f.pot_id)
                       .Text("name", f.name)
                       .Text("programme", f.programme)
                       .Text("financial_year", f.financial_year)
                       .Text("amount", f.amount.ToDecimal())
                       .Text("funded_on", f.funded_on.ToIso())
                       .Raw("postings", PostingsText(Move(Acct(AccountType::kFunding, org_account_id),
                                                          Acct(AccountType::kPot, f.pot_id), f.amount)))
                       .Finish());
}

EntryDraft PersonDraft(const PersonFields& f, Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kPerson, effective, origin,
                   CanonicalObject()
                       .Text("person_id", f.person_id)
                       .Text("ethnic_category", f.ethnic_category)
                       .Text("age_band", f.age_band)
                       .Text("sex", f.sex)
                       .Text("locality", f.locality)
                       .Bool("s117_eligible", f.s117_eligible)
                       .Finish());
}

EntryDraft ProviderDraft(const ProviderFields& f, Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kProvider, effective, origin,
                   CanonicalObject()
                       .Text("provider_id", f.provider_id)
                       .Text("name", f.name)
                       .Text("kind", f.kind)
                       .Text("size", f.size)
                       .Bool("community_led", f.community_led)
                       .Bool("approved", f.approved)
                       .Text("payee_ref", f.payee_ref)
                       .Finish());
}

EntryDraft BudgetDraft(const BudgetFields& f, const DraftOrigin& origin) {
  return KindDraft(kind::kBudget, f.approved_on, origin,
                   CanonicalObject()
                       .Text("budget_id", f.budget_id)
                       .Text("person_id", f.person_id)
                       .Text("pot_id", f.pot_id)
                       .Text("management", f.management)
                       .Text("amount", f.amount.ToDecimal())
                       .Text("start_date", f.start_date.ToIso())
                       .Text("end_date", f.end_date.ToIso())
                       .Text("approved_on", f.approved_on.ToIso())
                       .Text("frequency", f.frequency)
                       .Text("payee_ref", f.payee_ref)
                       .Raw("postings", PostingsText(Move(Acct(AccountType::kPot, f.pot_id),
                                                          Acct(AccountType::kBudget, f.budget_id), f.amount)))
                       .Finish());
}

// An invoices file has a million of these rows: the body is written once,
// as text, with no DOM per row.
EntryDraft InvoiceReceivedDraft(const InvoiceFields& f, const DraftOrigin& origin) {
  return KindDraft(kind::kInvoiceReceived, f.received_on, origin,
                   CanonicalObject()
                       .Text("amount", f.amount.ToDecimal())
                       .Text("budget_id", f.budget_id)
                       .Text("category", f.category)
                       .Text("description", f.description)
                       .Text("invoice_id", f.invoice_id)
                       .Text("provider_id", f.provider_id)
                       .Text("received_on", f.received_on.ToIso())
                       .Text("service_from", f.service_from.ToIso())
                       .Text("service_to", f.service_to.ToIso())
                       .Finish());
}

EntryDraft InvoiceApprovedDraft(const std::string& invoice_id, const std::string& budget_id,
                                const std::string& provider_id, const Pence& amount, Date approved_on,
                                const DraftOrigin& origin) {
  return KindDraft(kind::kInvoiceApproved, approved_on, origin,
                   CanonicalObject()
                       .Text("invoice_id", invoice_id)
                       .Raw("postings", PostingsText(Move(Acct(AccountType::kBudget, budget_id),
                                                          Acct(AccountType::kPayable, budget_id, provider_id), amount)))
                       .Finish());
}

EntryDraft PaymentPendingDraft(const PaymentFields& f, const DraftOrigin& origin) {
  assert(f.purpose == "invoice" || f.purpose == "instalment");
  CanonicalObject body;
  body.Text("payment_id", f.payment_id)
      .Text("run_id", f.run_id)
      .Text("purpose", f.purpose)
      .Text("amount", f.amount.ToDecimal())
      .Text("payee_ref", f.payee_ref);
  if (f.purpose == "invoice") {
    body.Text("invoice_id", f.invoice_id)
        .Raw("postings", PostingsText(Move(Acct(AccountType::kPayable, f.budget_id, f.provider_id),
                                           Acct(AccountType::kPaid, f.provider_id), f.amount)));
  } else {
    body.Text("budget_id", f.budget_id)
        .Raw("postings", PostingsText(Move(Acct(AccountType::kBudget, f.budget_id),
                                           Acct(AccountType::kDp, f.budget_id), f.amount)));
  }
  if (f.due_on) body.Text("due_on", f.due_on->ToIso());
  return KindDraft(kind::kPaymentPending, f.run_date, origin, body.Finish());
}

EntryDraft PaymentSettledDraft(const std::string& payment_id, const std::string& bank_line_id, Date booked_on,
                               const DraftOrigin& origin) {
  return KindDraft(kind::kPaymentSettled, booked_on, origin,
                   CanonicalObject()
                       .Text("payment_id", payment_id)
                       .Text("bank_line_id", bank_line_id)
                       .Text("booked_on", booked_on.ToIso())
                       .Finish());
}

EntryDraft RunSettledDraft(const std::string& run_id, const std::string& bank_line_id, Date booked_on,
                           const DraftOrigin& origin) {
  return KindDraft(kind::kPaymentSettled, booked_on, origin,
                   CanonicalObject()
                       .Text("run_id", run_id)
                       .Text("bank_line_id", bank_line_id)
                       .Text("booked_on", booked_on.ToIso())
                       .Finish());
}

EntryDraft PaymentUnsettledDraft(const std::string& bank_line_id, const std::string& reason, Date effective,
                                 const DraftOrigin& origin) {
  return KindDraft(kind::kPaymentUnsettled, effective, origin,
                   CanonicalObject().Text("bank_line_id", bank_line_id).Text("reason", reason).Finish());
}

EntryDraft PaymentReturnedDraft(const ReturnedFields& f, const DraftOrigin& origin) {
  assert(f.purpose == "invoice" || f.purpose == "instalment");
  CanonicalObject body;
  body.Text("payment_id", f.payment_id).Text("bank_line_id", f.bank_line_id).Text("amount", f.amount.ToDecimal());
  if (f.purpose == "invoice") {
    body.Raw("postings", PostingsText(Move(Acct(AccountType::kPaid, f.provider_id),
                                           Acct(AccountType::kPayable, f.budget_id, f.provider_id), f.amount)));
  } else {
    body.Raw("postings", PostingsText(Move(Acct(AccountType::kDp, f.budget_id),
                                           Acct(AccountType::kBudget, f.budget_id), f.amount)));
  }
  return KindDraft(kind::kPaymentReturned, f.booked_on, origin, body.Finish());
}

EntryDraft ReviewDraft(const ReviewFields& f, const DraftOrigin& origin) {
  return KindDraft(kind::kReview, f.reviewed_on, origin,
                   CanonicalObject()
                       .Text("review_id", f.review_id)
                       .Text("budget_id", f.budget_id)
                       .Text("reviewed_on", f.reviewed_on.ToIso())
                       .Text("outcome", f.outcome)
                       .Text("reviewed_by", f.reviewed_by)
                       .Finish());
}

EntryDraft BankLineDraft(const BankLineFields& f, const DraftOrigin& origin) {
  CanonicalObject body;
  body.Text("statement_id", f.statement_id)
      .Text("line_id", f.line_id)
      .Text("account", f.account)
      .Text("booked_on", f.booked_on.ToIso())
      .Text("amount", f.amount.ToDecimal())
      .Text("counterparty_ref", f.counterparty_ref)
      .Text("end_to_end_id", f.end_to_end_id)
      .Text("batch_id", f.batch_id)
      .Text("description", f.description);
  if (f.value_date) body.Text("value_date", f.value_date->ToIso());
  return KindDraft(kind::kBankLine, f.booked_on, origin, body.Finish());
}

EntryDraft PostingDraft(const PostingFields& f, const DraftOrigin& origin) {
  CanonicalObject body;
  body.Raw("postings", PostingsText(f.postings));
  if (!f.memo.empty()) body.Text("memo", f.memo);
  if (!f.reason.empty()) body.Text("reason", f.reason);
  if (!f.external_id.empty()) body.Text("external_id", f.external_id);
  if (f.allow_negative) body.Bool("allow_negative", true);
  return KindDraft(kind::kPosting, f.effective, origin, body.Finish());
}

EntryDraft ReversalDraft(uint64_t seq, const std::vector<Posting>& original, const std::string& reason, Date effective,
                         const DraftOrigin& origin, bool allow_negative) {
  std::vector<Posting> negated;
  negated.reserve(original.size());
  for (const auto& p : original) negated.push_back({p.account, -p.amount});
  CanonicalObject body;
  body.Count("reverses", seq).Text("reason", reason).Raw("postings", PostingsText(negated));
  if (allow_negative) body.Bool("allow_negative", true);
  return KindDraft(kind::kReversal, effective, origin, body.Finish());
}

EntryDraft ConfigSetDraft(const std::string& key, const std::string& value, Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kConfigSet, effective, origin, CanonicalObject().Text("key", key).Text("value", value).Finish());
}

EntryDraft MonthCloseDraft(const Month& month, const std::string& by, Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kMonthClose, effective, origin,
                   CanonicalObject().Text("month", month.ToString()).Text("by", by).Finish());
}

EntryDraft ForcedMonthCloseDraft(const Month& month, const std::string& by, const std::string& reason,
                                 const std::vector<std::string>& critical_flag_ids, Date effective,
                                 const DraftOrigin& origin) {
  return KindDraft(kind::kMonthClose, effective, origin,
                   CanonicalObject()
                       .Text("month", month.ToString())
                       .Text("by", by)
                       .Text("force_reason", reason)
                       .Raw("critical_flags", CanonicalTextList(critical_flag_ids))
                       .Finish());
}

EntryDraft FlagsRaisedDraft(const Month& month, const std::vector<RaisedFlagFields>& flags, const DraftOrigin& origin) {
  assert(!flags.empty());
  std::string list = "[";
  CanonicalObject item;
  for (const RaisedFlagFields& f : flags) {
    if (list.size() > 1) list.push_back(',');
    list += item.Text("id", f.id)
                .Text("code", f.code)
                .Text("severity", f.severity)
                .Text("entity", f.entity)
                .Text("amount", f.amount.ToDecimal())
                .Finish();
  }
  list.push_back(']');
  return KindDraft(kind::kFlagsRaised, month.last_day(), origin,
                   CanonicalObject().Text("month", month.ToString()).Raw("flags", list).Finish());
}

EntryDraft FlagExplainedDraft(const std::string& flag_id, const std::string& note, Date effective,
                              const DraftOrigin& origin) {
  return KindDraft(kind::kFlagExplained, effective, origin,
                   CanonicalObject().Text("flag_id", flag_id).Text("note", note).Finish());
}

EntryDraft FlagResolvedDraft(const std::string& flag_id, const std::string& reason, Date effective,
                             const DraftOrigin& origin) {
  return KindDraft(kind::kFlagResolved, effective, origin,
                   CanonicalObject().Text("flag_id", flag_id).Text("reason", reason).Finish());
}

}  // namespace rf
