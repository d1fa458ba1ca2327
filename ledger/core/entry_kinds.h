#ifndef RINGFENCE_LEDGER_CORE_ENTRY_KINDS_H_
#define RINGFENCE_LEDGER_CORE_ENTRY_KINDS_H_

// The entry kinds and their bodies. Every change is one of these; apply.h
// says what each does to the views and which rules it must pass. Builders
// here produce drafts with the postings the kind requires, so ingest, the
// CLI, tests and benchmarks all write the same bytes.
//
// Postings travel in the body as {"postings": [{"account": "pot:P1",
// "amount": "100.00"}, ...]}, amounts as canonical decimal strings, positive
// into the account. Kinds and their body members (* = optional):
//
//   ledger.init        format, org, origin, verifier_key (the journal writes it)
//   pot.create         pot_id, name, programme, financial_year, amount,
//                      funded_on, postings (funding:<org> -> pot:<pot>)
//   person.create      person_id, ethnic_category, age_band, sex, locality,
//                      s117_eligible
//   provider.create    provider_id, name, kind, size, community_led, approved,
//                      payee_ref
//   budget.create      budget_id, person_id, pot_id, management, amount,
//                      start_date, end_date, approved_on, frequency,
//                      payee_ref, postings (pot -> budget)
//   invoice.received   invoice_id, provider_id, budget_id, amount,
//                      service_from, service_to, received_on, category,
//                      description
//   invoice.approved   invoice_id, postings (budget -> payable)
//   payment.pending    payment_id, run_id, purpose ("invoice" | "instalment"),
//                      invoice_id | budget_id, amount, payee_ref, due_on*,
//                      postings (payable -> paid, or budget -> dp)
//   payment.settled    payment_id | run_id, bank_line_id, booked_on (a
//                      run_id settles every payment of the run against one
//                      batch line)
//   payment.unsettled  bank_line_id, reason (a person undoes a match: the
//                      payment, or every payment of the run, pending again
//                      and the line unmatched; no postings)
//   payment.returned   payment_id, bank_line_id, amount, postings (the bank
//                      sent a settled payment back: the inflow line is
//                      used up, the payment returned, and the money goes
//                      back where it came from: paid:<provider> ->
//                      payable:<budget>:<provider> for an invoice (approved
//                      again), dp:<budget> -> budget:<budget> for an
//                      instalment)
//   review.recorded    review_id, budget_id, reviewed_on, outcome, reviewed_by
//   bank.line          statement_id, line_id, account, booked_on, value_date,
//                      amount (signed: out negative), counterparty_ref,
//                      end_to_end_id, batch_id, description (no postings:
//                      the bank's record, matched by reconciliation)
//   posting            postings, memo*, reason*, allow_negative*,
//                      external_id* (adjustments, transfers, returns)
//   reversal           reverses (a seq), reason, postings (the negation)
//   config.set         key, value
//   reconcile.signoff  month, by, tree_size, result_sha256, matches_sha256,
//                      flags_sha256, lines, flags (who signed which month
//                      result, computed from the first tree_size entries:
//                      reconcile/sign_off.h; no postings)
//   month.close        month, by
//   flags.raised       month, flags ([{id, code, severity, entity, amount}]:
//                      the month's flags whose lifecycle record it creates,
//                      carries forward or reopens; dated the month's last
//                      day; no postings; flag_life.h)
//   flag.explained     flag_id, note (a person's explanation; the flag stays
//                      listed but no longer blocks; no postings)
//   flag.resolved      flag_id, reason (a person resolved it; raised again
//                      for a later month it is reopened; no postings)
//   note               anything (no effect on the views)
//   amendment.requested  amendment_id, target (provider|budget), target_id,
//                      payee_ref, reason (a bank-detail change asked for;
//                      no effect on payments until confirmed; no postings)
//   amendment.confirmed  amendment_id (a second, different person confirms:
//                      the provider's or budget's payee_ref changes; no
//                      postings)
//   provider.approval  provider_id, approved (bool), reason (no postings)
//   invoice.rejected   invoice_id, reason, postings* (payable:<budget>:
//                      <provider> -> budget:<budget> when it was approved)
//   payment.cancelled  payment_id, reason, postings (a pending payment
//                      withdrawn: paid:<provider> -> payable (the invoice
//                      approved again) or dp:<budget> -> budget:<budget>)

#include <optional>
#include <string>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/core/entry.h"
#include "ledger/core/money.h"
#include "ledger/core/rules.h"

namespace rf {

namespace kind {
inline constexpr char kInit[] = "ledger.init";
inline constexpr char kPot[] = "pot.create";
inline constexpr char kPerson[] = "person.create";
inline constexpr char kProvider[] = "provider.create";
inline constexpr char kBudget[] = "budget.create";
inline constexpr char kInvoiceReceived[] = "invoice.received";
inline constexpr char kInvoiceApproved[] = "invoice.approved";
inline constexpr char kPaymentPending[] = "payment.pending";
inline constexpr char kPaymentSettled[] = "payment.settled";
inline constexpr char kPaymentUnsettled[] = "payment.unsettled";
inline constexpr char kPaymentReturned[] = "payment.returned";
inline constexpr char kReview[] = "review.recorded";
inline constexpr char kBankLine[] = "bank.line";
inline constexpr char kPosting[] = "posting";
inline constexpr char kReversal[] = "reversal";
inline constexpr char kConfigSet[] = "config.set";
inline constexpr char kSignOff[] = "reconcile.signoff";
inline constexpr char kMonthClose[] = "month.close";
inline constexpr char kNote[] = "note";
inline constexpr char kFlagsRaised[] = "flags.raised";
inline constexpr char kFlagExplained[] = "flag.explained";
inline constexpr char kFlagResolved[] = "flag.resolved";
// Amendments and cancellations (amendment_kinds.h; issue 20 items 7, 8).
inline constexpr char kAmendmentRequested[] = "amendment.requested";
inline constexpr char kAmendmentConfirmed[] = "amendment.confirmed";
inline constexpr char kProviderApproval[] = "provider.approval";
inline constexpr char kInvoiceRejected[] = "invoice.rejected";
inline constexpr char kPaymentCancelled[] = "payment.cancelled";
}  // namespace kind

// The funding account id of an organisation: its name as a lower-case slug
// ("NHS Example ICB" -> "nhs-example-icb").
std::string OrgAccountId(const std::string& org);

// {"postings": [...]} member value, in the given order: as a DOM (for JSON
// written by hand: tests, messages) and as canonical text (the builders).
nlohmann::json PostingsJson(const std::vector<Posting>& postings);
std::string PostingsText(const std::vector<Posting>& postings);
// Parses a body's "postings" member: of a DOM; of a body's canonical text
// (EntryDraft::body_json); of the member's raw canonical value (empty when
// absent). Errors: InvalidInput naming body.postings[i].field.
Result<std::vector<Posting>> ParsePostings(const nlohmann::json& body);
Result<std::vector<Posting>> ParseBodyPostings(std::string_view body_json);
Result<std::vector<Posting>> ParsePostingsText(std::string_view raw_list);

// Envelope shared by builders: who and where from.
struct DraftOrigin {
  std::string actor;
  std::string source;
};

// An entry of `kind_name` dated `effective`, by `origin`, with `body_json`
// (canonical text, written with canonical_writer.h): the envelope every
// builder here (and in amendment_kinds.h) fills.
EntryDraft KindDraft(const char* kind_name, Date effective, const DraftOrigin& origin, std::string body_json);

struct PotFields {
  std::string pot_id, name, programme, financial_year;
  Pence amount;
  Date funded_on;
};
EntryDraft PotDraft(const PotFields& f, const std::string& org_account_id, const DraftOrigin& origin);

struct PersonFields {
  std::string person_id, ethnic_category, age_band, sex, locality;
  bool s117_eligible = false;
};
EntryDraft PersonDraft(const PersonFields& f, Date effective, const DraftOrigin& origin);

struct ProviderFields {
  std::string provider_id, name, kind, size, payee_ref;
  bool community_led = false, approved = false;
};
EntryDraft ProviderDraft(const ProviderFields& f, Date effective, const DraftOrigin& origin);

struct BudgetFields {
  std::string budget_id, person_id, pot_id, management, frequency, payee_ref;
  Pence amount;
  Date start_date, end_date, approved_on;
};
EntryDraft BudgetDraft(const BudgetFields& f, const DraftOrigin& origin);

struct InvoiceFields {
  std::string invoice_id, provider_id, budget_id, category, description;
  Pence amount;
  Date service_from, service_to, received_on;
};
EntryDraft InvoiceReceivedDraft(const InvoiceFields& f, const DraftOrigin& origin);
EntryDraft InvoiceApprovedDraft(const std::string& invoice_id, const std::string& budget_id,
                                const std::string& provider_id, const Pence& amount, Date approved_on,
                                const DraftOrigin& origin);

struct PaymentFields {
  std::string payment_id, run_id;
  std::string purpose;  // "invoice" or "instalment"
  std::string invoice_id, budget_id, provider_id, payee_ref;
  Pence amount;
  Date run_date;
  std::optional<Date> due_on;
};
EntryDraft PaymentPendingDraft(const PaymentFields& f, const DraftOrigin& origin);
EntryDraft PaymentSettledDraft(const std::string& payment_id, const std::string& bank_line_id, Date booked_on,
                               const DraftOrigin& origin);
// A whole payment run settled by one batch bank line (a Bacs submission that
// reaches the statement as one debit).
EntryDraft RunSettledDraft(const std::string& run_id, const std::string& bank_line_id, Date booked_on,
                           const DraftOrigin& origin);
// A person undoes the match of `bank_line_id` (reason in words; the actor is
// the envelope's), dated `effective`.
EntryDraft PaymentUnsettledDraft(const std::string& bank_line_id, const std::string& reason, Date effective,
                                 const DraftOrigin& origin);

// The bank returned settled payment `payment_id` with inflow `bank_line_id`
// booked on `booked_on` (the entry's date). The postings undo the payment's:
// purpose "invoice" moves paid:<provider> -> payable:<budget>:<provider>,
// "instalment" dp:<budget> -> budget:<budget>.
struct ReturnedFields {
  std::string payment_id, bank_line_id;
  std::string purpose;  // "invoice" or "instalment"
  std::string budget_id, provider_id;
  Pence amount;
  Date booked_on;
};
EntryDraft PaymentReturnedDraft(const ReturnedFields& f, const DraftOrigin& origin);

struct ReviewFields {
  std::string review_id, budget_id, outcome, reviewed_by;
  Date reviewed_on;
};
EntryDraft ReviewDraft(const ReviewFields& f, const DraftOrigin& origin);

struct BankLineFields {
  std::string statement_id, line_id, account, counterparty_ref, end_to_end_id, batch_id, description;
  Date booked_on;
  std::optional<Date> value_date;
  Pence amount;  // signed: payments out negative
};
EntryDraft BankLineDraft(const BankLineFields& f, const DraftOrigin& origin);

struct PostingFields {
  std::vector<Posting> postings;
  Date effective;
  std::string memo, reason, external_id;
  bool allow_negative = false;
};
EntryDraft PostingDraft(const PostingFields& f, const DraftOrigin& origin);

// The reversal of entry `seq`, whose postings were `original`
// (allow_negative: a person's override of rule 1, with the reason).
EntryDraft ReversalDraft(uint64_t seq, const std::vector<Posting>& original, const std::string& reason, Date effective,
                         const DraftOrigin& origin, bool allow_negative = false);

EntryDraft ConfigSetDraft(const std::string& key, const std::string& value, Date effective, const DraftOrigin& origin);
EntryDraft MonthCloseDraft(const Month& month, const std::string& by, Date effective, const DraftOrigin& origin);
// A close over open critical flags (`close --force --reason`, issue 17 item
// 11): the month.close body plus "force_reason" and "critical_flags" (the
// overridden flags' ids). A close without them keeps its bytes.
// REQUIRES: IsReason(reason).
EntryDraft ForcedMonthCloseDraft(const Month& month, const std::string& by, const std::string& reason,
                                 const std::vector<std::string>& critical_flag_ids, Date effective,
                                 const DraftOrigin& origin);

// One flag a flags.raised entry lists (ledger/core/flag_life.h).
struct RaisedFlagFields {
  std::string id;        // "<code>/<entity>"
  std::string code;      // "DELAY_INVOICE", ...
  std::string severity;  // "critical", "warning" or "info"
  std::string entity;    // "invoice:INV-7", ...
  Pence amount;          // at stake, zero or more
};
// REQUIRES: 1 <= flags.size() <= kFlagsPerRaisedEntryMax (flag_life.h).
EntryDraft FlagsRaisedDraft(const Month& month, const std::vector<RaisedFlagFields>& flags, const DraftOrigin& origin);
// A person's explanation or resolution of flag `flag_id` (words; the actor is
// the envelope's), dated `effective`.
EntryDraft FlagExplainedDraft(const std::string& flag_id, const std::string& note, Date effective,
                              const DraftOrigin& origin);
EntryDraft FlagResolvedDraft(const std::string& flag_id, const std::string& reason, Date effective,
                             const DraftOrigin& origin);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_ENTRY_KINDS_H_
