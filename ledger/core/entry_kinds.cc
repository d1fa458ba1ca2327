#include "ledger/core/entry_kinds.h"

#include <cassert>

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

EntryDraft KindDraft(const char* kind_name, Date effective, const DraftOrigin& origin, nlohmann::json body) {
  EntryDraft d;
  d.kind = kind_name;
  d.effective = effective;
  d.actor = origin.actor;
  d.source = origin.source;
  d.body = std::move(body);
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

Result<std::vector<Posting>> ParsePostings(const nlohmann::json& body) {
  const auto it = body.find("postings");
  if (it == body.end() || !it->is_array()) {
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

EntryDraft PotDraft(const PotFields& f, const std::string& org_account_id, const DraftOrigin& origin) {
  return KindDraft(kind::kPot, f.funded_on, origin,
               {{"pot_id", f.pot_id},
                {"name", f.name},
                {"programme", f.programme},
                {"financial_year", f.financial_year},
                {"amount", f.amount.ToDecimal()},
                {"funded_on", f.funded_on.ToIso()},
                {"postings", PostingsJson(Move(Acct(AccountType::kFunding, org_account_id),
                                               Acct(AccountType::kPot, f.pot_id), f.amount))}});
}

EntryDraft PersonDraft(const PersonFields& f, Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kPerson, effective, origin,
               {{"person_id", f.person_id},
                {"ethnic_category", f.ethnic_category},
                {"age_band", f.age_band},
                {"sex", f.sex},
                {"locality", f.locality},
                {"s117_eligible", f.s117_eligible}});
}

EntryDraft ProviderDraft(const ProviderFields& f, Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kProvider, effective, origin,
               {{"provider_id", f.provider_id},
                {"name", f.name},
                {"kind", f.kind},
                {"size", f.size},
                {"community_led", f.community_led},
                {"approved", f.approved},
                {"payee_ref", f.payee_ref}});
}

EntryDraft BudgetDraft(const BudgetFields& f, const DraftOrigin& origin) {
  return KindDraft(kind::kBudget, f.approved_on, origin,
               {{"budget_id", f.budget_id},
                {"person_id", f.person_id},
                {"pot_id", f.pot_id},
                {"management", f.management},
                {"amount", f.amount.ToDecimal()},
                {"start_date", f.start_date.ToIso()},
                {"end_date", f.end_date.ToIso()},
                {"approved_on", f.approved_on.ToIso()},
                {"frequency", f.frequency},
                {"payee_ref", f.payee_ref},
                {"postings", PostingsJson(Move(Acct(AccountType::kPot, f.pot_id),
                                               Acct(AccountType::kBudget, f.budget_id), f.amount))}});
}

EntryDraft InvoiceReceivedDraft(const InvoiceFields& f, const DraftOrigin& origin) {
  // Built as canonical text (members in JCS order): an invoices file has a
  // million of these rows, and a DOM per row was most of their cost.
  EntryDraft d = KindDraft(kind::kInvoiceReceived, f.received_on, origin, nlohmann::json::object());
  std::string& text = d.body_canonical;
  text.reserve(256);
  bool utf8 = true;
  const auto member = [&](const char* name_and_colon, std::string_view value) {
    text += name_and_colon;
    utf8 = utf8 && AppendCanonicalString(value, &text).ok();
  };
  member("{\"amount\":", f.amount.ToDecimal());
  member(",\"budget_id\":", f.budget_id);
  member(",\"category\":", f.category);
  member(",\"description\":", f.description);
  member(",\"invoice_id\":", f.invoice_id);
  member(",\"provider_id\":", f.provider_id);
  member(",\"received_on\":", f.received_on.ToIso());
  member(",\"service_from\":", f.service_from.ToIso());
  member(",\"service_to\":", f.service_to.ToIso());
  text += '}';
  if (utf8) return d;
  // Text that is not UTF-8 goes the DOM way, to be refused as any body is.
  return KindDraft(kind::kInvoiceReceived, f.received_on, origin,
               {{"invoice_id", f.invoice_id},
                {"provider_id", f.provider_id},
                {"budget_id", f.budget_id},
                {"amount", f.amount.ToDecimal()},
                {"service_from", f.service_from.ToIso()},
                {"service_to", f.service_to.ToIso()},
                {"received_on", f.received_on.ToIso()},
                {"category", f.category},
                {"description", f.description}});
}

EntryDraft InvoiceApprovedDraft(const std::string& invoice_id, const std::string& budget_id,
                                const std::string& provider_id, const Pence& amount, Date approved_on,
                                const DraftOrigin& origin) {
  return KindDraft(kind::kInvoiceApproved, approved_on, origin,
               {{"invoice_id", invoice_id},
                {"postings", PostingsJson(Move(Acct(AccountType::kBudget, budget_id),
                                               Acct(AccountType::kPayable, budget_id, provider_id), amount))}});
}

EntryDraft PaymentPendingDraft(const PaymentFields& f, const DraftOrigin& origin) {
  assert(f.purpose == "invoice" || f.purpose == "instalment");
  nlohmann::json body = {{"payment_id", f.payment_id},
                         {"run_id", f.run_id},
                         {"purpose", f.purpose},
                         {"amount", f.amount.ToDecimal()},
                         {"payee_ref", f.payee_ref}};
  if (f.purpose == "invoice") {
    body["invoice_id"] = f.invoice_id;
    body["postings"] = PostingsJson(Move(Acct(AccountType::kPayable, f.budget_id, f.provider_id),
                                         Acct(AccountType::kPaid, f.provider_id), f.amount));
  } else {
    body["budget_id"] = f.budget_id;
    body["postings"] =
        PostingsJson(Move(Acct(AccountType::kBudget, f.budget_id), Acct(AccountType::kDp, f.budget_id), f.amount));
  }
  if (f.due_on) body["due_on"] = f.due_on->ToIso();
  return KindDraft(kind::kPaymentPending, f.run_date, origin, std::move(body));
}

EntryDraft PaymentSettledDraft(const std::string& payment_id, const std::string& bank_line_id, Date booked_on,
                               const DraftOrigin& origin) {
  return KindDraft(kind::kPaymentSettled, booked_on, origin,
               {{"payment_id", payment_id}, {"bank_line_id", bank_line_id}, {"booked_on", booked_on.ToIso()}});
}

EntryDraft RunSettledDraft(const std::string& run_id, const std::string& bank_line_id, Date booked_on,
                           const DraftOrigin& origin) {
  return KindDraft(kind::kPaymentSettled, booked_on, origin,
               {{"run_id", run_id}, {"bank_line_id", bank_line_id}, {"booked_on", booked_on.ToIso()}});
}

EntryDraft PaymentUnsettledDraft(const std::string& bank_line_id, const std::string& reason, Date effective,
                                 const DraftOrigin& origin) {
  return KindDraft(kind::kPaymentUnsettled, effective, origin, {{"bank_line_id", bank_line_id}, {"reason", reason}});
}

EntryDraft PaymentReturnedDraft(const ReturnedFields& f, const DraftOrigin& origin) {
  assert(f.purpose == "invoice" || f.purpose == "instalment");
  nlohmann::json body = {
      {"payment_id", f.payment_id}, {"bank_line_id", f.bank_line_id}, {"amount", f.amount.ToDecimal()}};
  if (f.purpose == "invoice") {
    body["postings"] = PostingsJson(Move(Acct(AccountType::kPaid, f.provider_id),
                                         Acct(AccountType::kPayable, f.budget_id, f.provider_id), f.amount));
  } else {
    body["postings"] =
        PostingsJson(Move(Acct(AccountType::kDp, f.budget_id), Acct(AccountType::kBudget, f.budget_id), f.amount));
  }
  return KindDraft(kind::kPaymentReturned, f.booked_on, origin, std::move(body));
}

EntryDraft ReviewDraft(const ReviewFields& f, const DraftOrigin& origin) {
  return KindDraft(kind::kReview, f.reviewed_on, origin,
               {{"review_id", f.review_id},
                {"budget_id", f.budget_id},
                {"reviewed_on", f.reviewed_on.ToIso()},
                {"outcome", f.outcome},
                {"reviewed_by", f.reviewed_by}});
}

EntryDraft BankLineDraft(const BankLineFields& f, const DraftOrigin& origin) {
  nlohmann::json body = {
      {"statement_id", f.statement_id},   {"line_id", f.line_id},           {"account", f.account},
      {"booked_on", f.booked_on.ToIso()}, {"amount", f.amount.ToDecimal()}, {"counterparty_ref", f.counterparty_ref},
      {"end_to_end_id", f.end_to_end_id}, {"batch_id", f.batch_id},         {"description", f.description}};
  if (f.value_date) body["value_date"] = f.value_date->ToIso();
  return KindDraft(kind::kBankLine, f.booked_on, origin, std::move(body));
}

EntryDraft PostingDraft(const PostingFields& f, const DraftOrigin& origin) {
  nlohmann::json body = {{"postings", PostingsJson(f.postings)}};
  if (!f.memo.empty()) body["memo"] = f.memo;
  if (!f.reason.empty()) body["reason"] = f.reason;
  if (!f.external_id.empty()) body["external_id"] = f.external_id;
  if (f.allow_negative) body["allow_negative"] = true;
  return KindDraft(kind::kPosting, f.effective, origin, std::move(body));
}

EntryDraft ReversalDraft(uint64_t seq, const std::vector<Posting>& original, const std::string& reason, Date effective,
                         const DraftOrigin& origin) {
  std::vector<Posting> negated;
  negated.reserve(original.size());
  for (const auto& p : original) negated.push_back({p.account, -p.amount});
  return KindDraft(kind::kReversal, effective, origin,
               {{"reverses", seq}, {"reason", reason}, {"postings", PostingsJson(negated)}});
}

EntryDraft ConfigSetDraft(const std::string& key, const std::string& value, Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kConfigSet, effective, origin, {{"key", key}, {"value", value}});
}

EntryDraft MonthCloseDraft(const Month& month, const std::string& by, Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kMonthClose, effective, origin, {{"month", month.ToString()}, {"by", by}});
}

EntryDraft ForcedMonthCloseDraft(const Month& month, const std::string& by, const std::string& reason,
                                 const std::vector<std::string>& critical_flag_ids, Date effective,
                                 const DraftOrigin& origin) {
  EntryDraft d = MonthCloseDraft(month, by, effective, origin);
  d.body["force_reason"] = reason;
  d.body["critical_flags"] = critical_flag_ids;
  return d;
}

EntryDraft FlagsRaisedDraft(const Month& month, const std::vector<RaisedFlagFields>& flags, const DraftOrigin& origin) {
  assert(!flags.empty());
  nlohmann::json list = nlohmann::json::array();
  for (const RaisedFlagFields& f : flags) {
    list.push_back({{"id", f.id},
                    {"code", f.code},
                    {"severity", f.severity},
                    {"entity", f.entity},
                    {"amount", f.amount.ToDecimal()}});
  }
  return KindDraft(kind::kFlagsRaised, month.last_day(), origin, {{"month", month.ToString()}, {"flags", list}});
}

EntryDraft FlagExplainedDraft(const std::string& flag_id, const std::string& note, Date effective,
                              const DraftOrigin& origin) {
  return KindDraft(kind::kFlagExplained, effective, origin, {{"flag_id", flag_id}, {"note", note}});
}

EntryDraft FlagResolvedDraft(const std::string& flag_id, const std::string& reason, Date effective,
                             const DraftOrigin& origin) {
  return KindDraft(kind::kFlagResolved, effective, origin, {{"flag_id", flag_id}, {"reason", reason}});
}

}  // namespace rf
