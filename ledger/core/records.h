#ifndef RINGFENCE_LEDGER_CORE_RECORDS_H_
#define RINGFENCE_LEDGER_CORE_RECORDS_H_

// The stored records of the views, typed: the one place that knows each
// view family's key prefix, the members its records hold and how they read
// back. Readers (reports, approval, payment runs, verify, exports) go
// through here and get Date, Pence and enums, never JSON by member name.
//
// Key families (views.h says what each is for):
//   bal/<account>                 balance, canonical decimal; for ring-fenced
//                                 and spent: accounts followed by the net
//                                 movement per day, ";YYYY-MM-DD=<decimal>"
//                                 (StoredBalance, views.h; read with
//                                 ParseStoredBalance or ParseBalanceAmount)
//   potnet/<pot>  budnet/<budget> net movement per account type
//   pot/ person/ provider/ budget/ invoice/ payment/ review/ run/ <id>
//   bankline/<statement id>/<line id>
//   provsum/<provider>            invoice totals per provider
//   xid/<external id>             seq of the entry that loaded it
//   reversed/<seq12>              seq of the entry that reversed it
//   flag/overspend/<seq12>  flag/diversion/<seq12>
//   config/<key>  signoff/<YYYY-MM>  closed  org
//   confighist/<key>/<YYYY-MM-DD>/<seq12>  a setting's value as set by the
//                                 config.set entry seq, effective that day
//   amendment/<id>                a bank-detail change and its confirmation
//   linemonth/ paypending/ paysettled/ viewform   the month indexes
//                                 reconcile reads ("Month indexes", below)
//   provpay/<YYYY-MM-DD>/<payment id>   the provider payments index the
//                                 equality tables read ("Provider payments index")
//   payrun/ payreturned/ invrecv/ invopen/ invrejected/ payfailed/ budpaid/
//   budpaidm/ instpaid/ dupkey/ dupgroup/   the flag indexes ("Flag indexes")
//
// Records as stored (canonical JSON; * = may be absent). A record's own id
// is its key; reference records (pot, person, provider, budget, review,
// bank line) are the entry's body without postings, plus seq:
//   pot       seq, pot_id, name, programme, financial_year, amount,
//             funded_on, funder
//   person    seq, person_id, ethnic_category, age_band, sex, locality,
//             s117_eligible (bool)
//   provider  seq, provider_id, name, kind, size, community_led (bool),
//             approved (bool), payee_ref
//   budget    seq, budget_id, person_id, pot_id, management, amount,
//             start_date, end_date, approved_on, frequency, payee_ref,
//             first_payment_seq*, first_payment_on*, last_review_on*,
//             last_review_outcome*, payments* (count of its payments,
//             cancelled and returned ones included), last_payment_id*
//             (the latest committed; each payment names the budget's one
//             before it, budget_prev*)
//   invoice   seq, invoice_id, provider_id, budget_id, amount, service_from,
//             service_to, received_on, category, description, state,
//             approved_seq*, approved_on*, payment_id*, returns* (count of
//             its payments the bank returned; the next is PAY-<id>-R<n>)
//   payment   seq, payment_id, run_id, purpose, amount, payee_ref, state,
//             run_date, invoice_id* (purpose invoice), budget_id,
//             provider_id* (purpose invoice), due_on*, settled_seq*,
//             settled_on*, bank_line_id*, returned_seq*, returned_on*,
//             return_line_id* (state returned: the bank sent it back),
//             run_prev*, budget_prev* (the run's and the budget's payment
//             before it)
//   review    seq, review_id, budget_id, reviewed_on, outcome, reviewed_by
//   bankline  seq, statement_id, line_id, account, booked_on, value_date*,
//             amount (signed: out negative), counterparty_ref,
//             end_to_end_id, batch_id, description, state, payment_id*
//             or run_id* (a batch line) or returned_payment_id* (an
//             inflow returning a payment), settled_seq*
//   run       seq, payments (count), total, state, last_payment_id,
//             settled_seq*, bank_line_id*   (payment gains run_prev*)
//   provsum   invoices (count), received*, approved*, paid*
//   flagstate code, severity, entity, amount, first_month, last_month,
//             state, raised_seq, reopened (count), note*, reason*, actor*,
//             action_seq*, resolved_month*   (key: flagstate/<flag id>)
//   amendment seq, amendment_id, target (provider|budget), target_id,
//             payee_ref (new), old_payee_ref, requested_by, requested_on,
//             state (requested|confirmed), confirmed_seq*, confirmed_by*,
//             confirmed_on*, first_payment_id*, first_payment_seq*,
//             first_payment_on* (the first payment to the new details)
//   provider and budget records gain payee_amendment* (the amendment that
//             set their payee_ref) and payee_requested* ({amendment id:
//             IBAN} of requests not yet confirmed); an invoice gains rejected_seq*,
//             rejected_on*; a payment cancelled_seq*, cancelled_on*; a run
//             cancelled* (count; its total is less the cancelled payments)
//
// Decoding is strict about what the rules always write (ids, amounts,
// dates, states, enums): a missing or malformed value is Status::Tampered
// naming the view key and the member, because views are written only by
// ApplyEntry and a bad one means the store was altered. Free text members
// (names, descriptions, codes) read as "" when absent. Unknown members are
// ignored, so a later version may add members.
//
// Pure: no I/O.

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/codes.h"
#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "ledger/core/views.h"

namespace rf {

// ---- Keys ----

// The prefix of a record family ("budget/"), and of the plain families.
std::string_view RecordPrefix(RecordKind kind);
// The invoice family, which storage keeps in its own table (views_store.h).
inline constexpr std::string_view kInvoicePrefix = "invoice/";
inline constexpr std::string_view kBalancePrefix = "bal/";
inline constexpr std::string_view kPotNetPrefix = "potnet/";
inline constexpr std::string_view kBudgetNetPrefix = "budnet/";
inline constexpr std::string_view kExternalIdPrefix = "xid/";
inline constexpr std::string_view kReversedPrefix = "reversed/";
inline constexpr std::string_view kConfigPrefix = "config/";
inline constexpr std::string_view kConfigHistoryPrefix = "confighist/";
inline constexpr std::string_view kClosedKey = "closed";
inline constexpr std::string_view kOrgKey = "org";
// Flag record ids (under RecordPrefix(kFlag)): "overspend/<seq12>".
inline constexpr std::string_view kOverspendFlag = "overspend/";
inline constexpr std::string_view kDiversionFlag = "diversion/";

std::string PotNetKey(std::string_view pot_id);
std::string BudgetNetKey(std::string_view budget_id);
std::string ExternalIdKey(std::string_view external_id);
std::string ReversedKey(uint64_t seq);
std::string ConfigKey(std::string_view setting);
// "confighist/<setting>/<YYYY-MM-DD>/<seq12>": one per config.set entry, so
// a setting can be read as it stood on a date (SettingAsOf).
std::string ConfigHistoryKey(std::string_view setting, const Date& effective, uint64_t seq);
// A confighist/ key's date and seq; Tampered naming the key when it does
// not parse.
struct ConfigHistoryPoint {
  Date effective;
  uint64_t seq = 0;
};
Result<ConfigHistoryPoint> ParseConfigHistoryKey(std::string_view key, std::string_view setting);
// The id of a bank line record: "<statement id>/<line id>".
std::string BankLineId(std::string_view statement_id, std::string_view line_id);

// The id in a key of `kind`'s family ("budget/B-1" -> "B-1").
// REQUIRES: key begins with RecordPrefix(kind) (asserted).
std::string_view RecordIdOfKey(RecordKind kind, std::string_view key);
// The account text of a bal/ key. REQUIRES: key begins with "bal/".
std::string_view AccountOfBalanceKey(std::string_view key);

// ---- States (strings only in the canonical JSON; coded values such as
// Management are in codes.h) ----

// kRejected: withdrawn with a reason (invoice.rejected); never approved or
// paid after.
enum class InvoiceState { kReceived, kApproved, kPaid, kRejected };
enum class PaymentPurpose { kInvoice, kInstalment };
// kReturned: settled, then sent back by the bank (payment.returned); a run
// is never returned as a whole.
// kCancelled: withdrawn while pending (payment.cancelled), its money back.
enum class PaymentState { kPending, kSettled, kReturned, kCancelled };
enum class BankLineState { kUnmatched, kMatched };

std::string_view ToString(InvoiceState s);
std::string_view ToString(PaymentPurpose p);
std::string_view ToString(PaymentState s);
std::string_view ToString(BankLineState s);

// A reconciliation flag's lifecycle (reconcile/flag_lifecycle.h):
// open until a person explains it (still listed, not blocking) or resolves
// it; a resolved flag raised again for a later month is open again.
enum class FlagState { kOpen, kExplained, kResolved };
std::string_view ToString(FlagState s);
// "open", "explained", "resolved"; nullopt for anything else.
std::optional<FlagState> ParseFlagState(std::string_view text);
// The severities a flag record may hold (reconcile/flags.h's FlagSeverity).
inline constexpr std::array<std::string_view, 3> kFlagSeverityNames = {"critical", "warning", "info"};

// ---- Records ----

struct PotRecord {
  uint64_t seq = 0;
  std::string pot_id, name, programme, financial_year, funder;
  Pence amount;
  Date funded_on;
};

struct PersonRecord {
  uint64_t seq = 0;
  std::string person_id, ethnic_category, age_band, sex, locality;
  bool s117_eligible = false;
};

struct ProviderRecord {
  uint64_t seq = 0;
  std::string provider_id, name, kind, size, payee_ref;
  bool community_led = false, approved = false;
};

// The date of the review that ended a budget, when its last review did
// (outcome end); nullopt otherwise. The one rule every reader of a budget's
// review members uses (BudgetRecord, BudgetFlagFacts, the equality facts).
inline std::optional<Date> BudgetEndedOn(const std::optional<Date>& last_review_on,
                                         const std::optional<ReviewOutcome>& last_review_outcome) {
  if (last_review_outcome != ReviewOutcome::kEnd) return std::nullopt;
  return last_review_on;
}

struct BudgetRecord {
  uint64_t seq = 0;
  std::string budget_id, person_id, pot_id, frequency, payee_ref;
  Management management = Management::kNotional;
  Pence amount;
  Date start_date, end_date, approved_on;
  std::optional<uint64_t> first_payment_seq;
  std::optional<Date> first_payment_on;
  std::optional<Date> last_review_on;
  std::optional<ReviewOutcome> last_review_outcome;  // nullopt when never reviewed
  // Its payments chain back from the last along budget_prev (as a run's do
  // along run_prev), so its first live payment is found without a scan.
  uint64_t payments = 0;        // in the chain, cancelled and returned ones included
  std::string last_payment_id;  // "" until paid

  std::optional<Date> ended_on() const { return BudgetEndedOn(last_review_on, last_review_outcome); }
};

struct InvoiceRecord {
  uint64_t seq = 0;
  std::string invoice_id, provider_id, budget_id, category, description;
  Pence amount;
  Date service_from, service_to, received_on;
  InvoiceState state = InvoiceState::kReceived;
  std::optional<uint64_t> approved_seq;
  std::optional<Date> approved_on;
  std::string payment_id;  // "" until paid (again, after a return)
  uint64_t returns = 0;    // its payments the bank returned
};

struct PaymentRecord {
  uint64_t seq = 0;
  std::string payment_id, run_id, payee_ref;
  PaymentPurpose purpose = PaymentPurpose::kInvoice;
  std::string invoice_id;   // purpose invoice
  std::string budget_id;    // always (an invoice's budget, or the instalment's)
  std::string provider_id;  // purpose invoice
  Pence amount;
  PaymentState state = PaymentState::kPending;
  Date run_date;
  std::optional<Date> due_on;
  std::optional<uint64_t> settled_seq;
  std::optional<Date> settled_on;
  std::string bank_line_id;  // "" until settled
  std::string run_prev;      // the run's payment before this one; "" first
  std::string budget_prev;   // the budget's payment before this one; "" first
  std::optional<uint64_t> returned_seq;  // state returned: the payment.returned entry
  std::optional<Date> returned_on;
  std::string return_line_id;  // the inflow that returned it; "" unless returned
  std::optional<uint64_t> cancelled_seq;  // state cancelled: the payment.cancelled entry
  std::optional<Date> cancelled_on;
};

// A payment run: its payments chain back from the last along run_prev.
struct RunRecord {
  uint64_t seq = 0;  // the entry of its first payment
  std::string run_id, last_payment_id;
  uint64_t payments = 0;   // in the chain, cancelled ones included
  uint64_t cancelled = 0;  // of them cancelled (payment.cancelled): not in total
  Pence total;
  PaymentState state = PaymentState::kPending;
  std::optional<uint64_t> settled_seq;
  std::string bank_line_id;  // "" until settled by a batch line
};

struct ReviewRecord {
  uint64_t seq = 0;
  std::string review_id, budget_id, reviewed_by;
  ReviewOutcome outcome = ReviewOutcome::kContinue;
  Date reviewed_on;
};

struct BankLineRecord {
  uint64_t seq = 0;
  std::string statement_id, line_id, account, counterparty_ref, end_to_end_id, batch_id, description;
  Date booked_on;
  std::optional<Date> value_date;
  Pence amount;  // signed: out negative
  BankLineState state = BankLineState::kUnmatched;
  std::string payment_id;  // "" until matched to one payment
  std::string run_id;      // "" until matched to a whole run (batch line)
  std::string returned_payment_id;  // "" unless it is an inflow returning that payment
  std::optional<uint64_t> settled_seq;
};

struct ProviderTotalsRecord {
  uint64_t invoices = 0;
  Pence received, approved, paid;
};

// A month's latest reconciliation sign-off (reconcile.signoff; a later one
// replaces it): who signed which result (reconcile/month_result.h), and the
// journal's size when that result was computed, so it can be recomputed.
// Hashes are 64 lowercase hex characters.
struct SignOffRecord {
  uint64_t seq = 0;  // the reconcile.signoff entry
  std::string month, by;
  uint64_t tree_size = 0;  // entries the result was computed from (< seq)
  std::string result_sha256, matches_sha256, flags_sha256;
  uint64_t lines = 0, flags = 0;  // the result's bank lines and flags, counted
};

// The lifecycle of one reconciliation flag, under flagstate/<id> (id
// "<CODE>/<entity>", the flag's stable id). Written only by the flags.raised,
// flag.explained and flag.resolved entries (ledger/core/flag_life.h).
struct FlagLifeRecord {
  std::string id, code, severity, entity;  // severity: one of kFlagSeverityNames
  Pence amount;                            // at stake, as last raised
  Month first_month, last_month;           // first (or reopened) and latest month raised
  FlagState state = FlagState::kOpen;
  uint64_t raised_seq = 0;              // the flags.raised entry that raised (or reopened) it
  uint64_t reopened = 0;                // times raised again after a resolution
  std::string note;                     // the explanation ("" when never explained since raised)
  std::string reason;                   // the resolution ("" unless resolved)
  std::string actor;                    // who explained or resolved it last ("" when neither)
  std::optional<uint64_t> action_seq;   // that flag.explained / flag.resolved entry
  std::optional<Month> resolved_month;  // last_month when resolved: raised for a later month reopens it
};

// Each: the record stored under `key` (used in messages), from its parsed
// JSON or its canonical text. Errors: Tampered naming key and member.
// The entry that wrote any record (its seq member).
Result<uint64_t> RecordSeq(std::string_view key, const nlohmann::json& j);
Result<PotRecord> DecodePot(std::string_view key, const nlohmann::json& j);
Result<PersonRecord> DecodePerson(std::string_view key, const nlohmann::json& j);
Result<ProviderRecord> DecodeProvider(std::string_view key, const nlohmann::json& j);
Result<BudgetRecord> DecodeBudget(std::string_view key, const nlohmann::json& j);
Result<InvoiceRecord> DecodeInvoice(std::string_view key, const nlohmann::json& j);
Result<PaymentRecord> DecodePayment(std::string_view key, const nlohmann::json& j);
Result<RunRecord> DecodeRun(std::string_view key, const nlohmann::json& j);
Result<ReviewRecord> DecodeReview(std::string_view key, const nlohmann::json& j);
Result<BankLineRecord> DecodeBankLine(std::string_view key, const nlohmann::json& j);
Result<ProviderTotalsRecord> DecodeProviderTotals(std::string_view key, const nlohmann::json& j);
Result<SignOffRecord> DecodeSignOff(std::string_view key, const nlohmann::json& j);
Result<FlagLifeRecord> DecodeFlagLife(std::string_view key, const nlohmann::json& j);
// The stored form of a flag's lifecycle (its id is the key, not a member),
// as its canonical text, written straight without a DOM (a month's
// reconcile raises up to hundreds of thousands): the bytes the DOM form
// the rules once built gave (tests/body_writer_test.cc keeps it as the
// reference).
std::string FlagLifeText(const FlagLifeRecord& record);

// The stored text parsed as a JSON object. Errors: Tampered naming key.
Result<nlohmann::json> ParseRecordText(std::string_view key, std::string_view text);

// Decodes the stored text of `key` as record type R.
template <typename R>
Result<R> DecodeRecordText(std::string_view key, std::string_view text);

// The family each record type is stored under.
template <typename R>
struct RecordFamily;
template <>
struct RecordFamily<PotRecord> : std::integral_constant<RecordKind, RecordKind::kPot> {};
template <>
struct RecordFamily<PersonRecord> : std::integral_constant<RecordKind, RecordKind::kPerson> {};
template <>
struct RecordFamily<ProviderRecord> : std::integral_constant<RecordKind, RecordKind::kProvider> {};
template <>
struct RecordFamily<BudgetRecord> : std::integral_constant<RecordKind, RecordKind::kBudget> {};
template <>
struct RecordFamily<InvoiceRecord> : std::integral_constant<RecordKind, RecordKind::kInvoice> {};
template <>
struct RecordFamily<PaymentRecord> : std::integral_constant<RecordKind, RecordKind::kPayment> {};
template <>
struct RecordFamily<RunRecord> : std::integral_constant<RecordKind, RecordKind::kRun> {};
template <>
struct RecordFamily<ReviewRecord> : std::integral_constant<RecordKind, RecordKind::kReview> {};
template <>
struct RecordFamily<BankLineRecord> : std::integral_constant<RecordKind, RecordKind::kBankLine> {};
template <>
struct RecordFamily<ProviderTotalsRecord> : std::integral_constant<RecordKind, RecordKind::kProviderTotals> {};
template <>
struct RecordFamily<SignOffRecord> : std::integral_constant<RecordKind, RecordKind::kSignOff> {};
template <>
struct RecordFamily<FlagLifeRecord> : std::integral_constant<RecordKind, RecordKind::kFlagLife> {};

// ---- Changes: the write side's edits of stored records (ApplyEntry's
// only vocabulary for members it adds or changes; reference records are
// written as the entry's body without postings, plus seq). Each edits the
// record's JSON in place; the caller has checked the change is allowed
// (state, amounts) on the decoded record. ----

// The record an invoice.received entry stores, as canonical text (members in
// JCS order), from its members' canonical JSON texts: the invoice fast path
// writes it without a DOM.
struct ReceivedInvoiceTexts {
  std::string_view amount, budget_id, provider_id, received_on, service_from, service_to;  // canonical JSON
};
std::string ReceivedInvoiceText(const ReceivedInvoiceTexts& t, uint64_t seq);

void MarkInvoiceApproved(nlohmann::json& invoice, uint64_t seq, Date approved_on);
void MarkInvoicePaid(nlohmann::json& invoice, std::string_view payment_id);
// A budget's first payment: the earliest dated (the caller decides; a
// back-dated payment replaces a later-dated one).
void MarkBudgetFirstPayment(nlohmann::json& budget, uint64_t seq, Date paid_on);
// A budget paid by nothing live (its only payments cancelled or returned):
// no first payment until the next payment.pending.
void ClearBudgetFirstPayment(nlohmann::json& budget);
// A new payment joins its budget's chain: it names the budget's last
// payment (budget_prev), and the budget names it and counts it.
void JoinBudgetPaymentsJson(nlohmann::json& budget, const BudgetRecord& before, nlohmann::json& payment,
                            std::string_view payment_id);
void MarkBudgetReviewed(nlohmann::json& budget, Date reviewed_on, ReviewOutcome outcome);
// A payment record made from its entry's body: pending, dated by its run,
// with the budget (and provider, for an invoice) it draws on.
void MarkPaymentPending(nlohmann::json& payment, std::string_view budget_id, std::string_view provider_id,
                        Date run_date);
void MarkPaymentSettled(nlohmann::json& payment, uint64_t seq, Date settled_on, std::string_view bank_line_id);
// Undoes MarkPaymentSettled exactly: pending again, the settlement's members
// gone, so the record's bytes are those it had before it settled.
void MarkPaymentUnsettled(nlohmann::json& payment);
// A settled payment the bank sent back (payment.returned): state returned,
// the settlement's members kept, the return's added.
void MarkPaymentReturned(nlohmann::json& payment, uint64_t seq, Date returned_on, std::string_view line_id);
// An invoice whose payment was returned: approved again (so the next run
// pays it, as PAY-<id>-R<returns>), its payment_id gone, returns counted.
void MarkInvoiceReturned(nlohmann::json& invoice, uint64_t returns);
void MarkPotFunder(nlohmann::json& pot, std::string_view funder);
void MarkBankLineLoaded(nlohmann::json& line);  // unmatched
// On a record's canonical text (WithCanonicalMembers, no DOM): a payment
// settled (MarkPaymentSettled's members), a line matched to one payment or
// (a batch line) to a whole run: state "matched", payment_id or run_id,
// settled_seq. Errors: InvalidInput when the text is not a canonical object
// or an id is not valid UTF-8.
Result<std::string> PaymentSettledText(std::string_view payment, uint64_t seq, Date settled_on,
                                       std::string_view bank_line_id);
Result<std::string> BankLineMatchedPaymentText(std::string_view line, uint64_t seq, std::string_view payment_id);
Result<std::string> BankLineMatchedRunText(std::string_view line, uint64_t seq, std::string_view run_id);
// An inflow matched as the return of a settled payment.
void MarkBankLineReturnsPayment(nlohmann::json& line, uint64_t seq, std::string_view payment_id);
// Undoes either match (BankLineMatchedPaymentText, BankLineMatchedRunText): unmatched, as MarkBankLineLoaded left it.
void MarkBankLineUnmatched(nlohmann::json& line);

// A run: new (no payments yet, pending), joined by a payment (which gains
// run_prev, the run's payment before it), settled by a batch line.
nlohmann::json NewRunJson(uint64_t seq);
void JoinRunJson(nlohmann::json& run, const RunRecord& before, nlohmann::json& payment, std::string_view payment_id,
                 const Pence& amount);
void MarkRunSettled(nlohmann::json& run, uint64_t seq, std::string_view bank_line_id);
// Undoes MarkRunSettled exactly.
void MarkRunUnsettled(nlohmann::json& run);

// Provider totals: which sum an invoice event adds to; `count` adds one
// invoice. Errors: Tampered naming key and member.
enum class ProviderTotal { kReceived, kApproved, kPaid };
nlohmann::json NewProviderTotalsJson();
Status AddToProviderTotals(nlohmann::json& totals, std::string_view key, ProviderTotal which, const Pence& amount,
                           bool count);

// What the posting rules read of a budget and a pot on every posting,
// decoded without the rest of the record. Errors: Tampered.
struct BudgetLink {
  std::string pot_id;
  Date approved_on;
};
Result<BudgetLink> DecodeBudgetLink(std::string_view key, const nlohmann::json& budget);
struct PotLink {
  std::string funder;
  Date funded_on;
};
Result<PotLink> DecodePotLink(std::string_view key, const nlohmann::json& pot);

// Flag records the rules leave for reconciliation (ids under
// RecordPrefix(kFlag): "overspend/<seq12>", "diversion/<seq12>") and the
// sign-off record of a month.
struct FlaggedBalance {
  std::string account;
  Pence balance_after;  // negative
};
std::string OverspendFlagId(uint64_t seq);
std::string DiversionFlagId(uint64_t seq);
nlohmann::json OverspendFlagJson(uint64_t seq, const std::vector<FlaggedBalance>& accounts, std::string_view reason,
                                 std::string_view actor);
nlohmann::json DiversionFlagJson(uint64_t seq, const Pence& amount, const std::vector<std::string>& to,
                                 std::string_view pot, std::string_view reason, std::string_view actor);
// The sign-off record: `signed_off` as its entry's body held it (month too).
nlohmann::json SignOffJson(uint64_t seq, const SignOffRecord& signed_off);

// The flag records read back (reconcile/month_flags.h raises OVERSPEND and
// DIVERSION_TRANSFER from them). The record holds no effective date: the
// entry's seq is the only link back to the journal.
struct OverspendFlagRecord {
  uint64_t seq = 0;
  std::vector<FlaggedBalance> accounts;  // the accounts left below zero
  std::string reason, actor;             // the override's authority
};
struct DiversionFlagRecord {
  uint64_t seq = 0;
  Pence amount;                 // moved to external:*
  std::vector<std::string> to;  // the external accounts, as written
  std::string pot;              // "" when the entry named no pot
  std::string reason, actor;
};
// Errors: Tampered naming key and member.
Result<OverspendFlagRecord> DecodeOverspendFlag(std::string_view key, const nlohmann::json& j);
Result<DiversionFlagRecord> DecodeDiversionFlag(std::string_view key, const nlohmann::json& j);

// The two flag record families, both under RecordPrefix(kFlag).
enum class FlagRecordKind { kOverspend, kDiversion };
// "flag/overspend/", "flag/diversion/".
std::string FlagRecordPrefix(FlagRecordKind kind);
template <typename R>
struct FlagRecordFamily;
template <>
struct FlagRecordFamily<OverspendFlagRecord> : std::integral_constant<FlagRecordKind, FlagRecordKind::kOverspend> {};
template <>
struct FlagRecordFamily<DiversionFlagRecord> : std::integral_constant<FlagRecordKind, FlagRecordKind::kDiversion> {};

// ---- Amendments (issue 20 items 7, 8; ledger/core/apply_amendments.cc) ----

enum class AmendmentState { kRequested, kConfirmed };
std::string_view ToString(AmendmentState s);

// A change of a provider's or a budget holder's bank details: requested by
// one person, in effect only once another confirms it (amendment/<id>).
struct AmendmentRecord {
  uint64_t seq = 0;  // the amendment.requested entry
  std::string amendment_id, target, target_id;  // target: "provider" or "budget"
  std::string payee_ref, old_payee_ref;         // the new and the replaced IBANs
  std::string requested_by;
  Date requested_on;
  AmendmentState state = AmendmentState::kRequested;
  std::optional<uint64_t> confirmed_seq;
  std::string confirmed_by;  // "" until confirmed
  std::optional<Date> confirmed_on;
  std::string first_payment_id;  // "" until a payment goes to the new details
  std::optional<uint64_t> first_payment_seq;
  std::optional<Date> first_payment_on;
};
Result<AmendmentRecord> DecodeAmendment(std::string_view key, const nlohmann::json& j);
template <>
struct RecordFamily<AmendmentRecord> : std::integral_constant<RecordKind, RecordKind::kAmendment> {};

// The changes the amendment entries make.
void MarkAmendmentConfirmed(nlohmann::json& amendment, uint64_t seq, std::string_view by, Date on);
void MarkAmendmentFirstPayment(nlohmann::json& amendment, std::string_view payment_id, uint64_t seq, Date on);
// A provider's or budget's payee_ref replaced by a confirmed amendment.
void MarkPayeeAmended(nlohmann::json& target, std::string_view payee_ref, std::string_view amendment_id);
void MarkInvoiceRejected(nlohmann::json& invoice, uint64_t seq, Date on);
void MarkPaymentCancelled(nlohmann::json& payment, uint64_t seq, Date on);
// A run less one cancelled payment of `amount`: total down, cancelled counted.
void MarkRunPaymentCancelled(nlohmann::json& run, const RunRecord& before, const Pence& amount);

// Decodes a parsed record of R's family stored under `key`: the one
// per-family dispatch DecodeRecordText uses too (records.cc), instantiated
// there for every record type.
template <typename R>
Result<R> DecodeRecord(std::string_view key, const nlohmann::json& j);

// Reading through any view source with Get(key) -> Result<optional<text>>
// and ForEach(prefix, fn(key, text)) (the live views, views rebuilt in
// memory): the record of id `id`, nullopt when there is none.
template <typename R, typename Source>
Result<std::optional<R>> FindRecord(const Source& views, std::string_view id) {
  const std::string key = RecordKey(RecordFamily<R>::value, id);
  auto text = views.Get(key);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return std::optional<R>();
  auto record = DecodeRecordText<R>(key, **text);
  if (!record.ok()) return record.status();
  return std::optional<R>(std::move(*record));
}

// Calls fn(const R&) -> Status for every record of R's family, in key order.
template <typename R, typename Source, typename Fn>
Status ForEachRecord(const Source& views, Fn&& fn) {
  return views.ForEach(RecordPrefix(RecordFamily<R>::value),
                       [&](std::string_view key, std::string_view value) -> Status {
                         auto record = DecodeRecordText<R>(key, value);
                         if (!record.ok()) return record.status();
                         return fn(*record);
                       });
}

// Calls fn(const R&) -> Status for every flag record of R's family
// (OverspendFlagRecord, DiversionFlagRecord), in key (seq) order.
template <typename R, typename Source, typename Fn>
Status ForEachFlagRecord(const Source& views, Fn&& fn) {
  return views.ForEach(FlagRecordPrefix(FlagRecordFamily<R>::value),
                       [&](std::string_view key, std::string_view value) -> Status {
                         auto doc = ParseRecordText(key, value);
                         if (!doc.ok()) return doc.status();
                         Result<R> record = [&] {
                           if constexpr (std::is_same_v<R, OverspendFlagRecord>) {
                             return DecodeOverspendFlag(key, *doc);
                           } else {
                             return DecodeDiversionFlag(key, *doc);
                           }
                         }();
                         if (!record.ok()) return record.status();
                         return fn(*record);
                       });
}

// A balance as stored (bal/<account>); zero when the account never moved.
template <typename Source>
Result<Pence> FindBalance(const Source& views, const Account& account) {
  const std::string key = BalanceKey(account);
  auto text = views.Get(key);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return Pence();
  return ParseBalanceAmount(**text, key);
}

// `account`'s balance and movement per day as stored (StoredBalance; no
// days for accounts that keep none); an empty one when it never moved.
template <typename Source>
Result<StoredBalance> FindStoredBalance(const Source& views, const Account& account) {
  const std::string key = BalanceKey(account);
  auto text = views.Get(key);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return StoredBalance{};
  return ParseStoredBalance(**text, key);
}

// The value a setting had on `as_of`: the one set by the config.set entry
// with the highest seq among those effective on or before `as_of` (what a
// replay of the journal up to that day leaves), nullopt when none.
// Errors: Tampered naming a history key that does not parse.
template <typename Source>
Result<std::optional<std::string>> SettingAsOf(const Source& views, std::string_view setting, const Date& as_of) {
  std::optional<std::string> value;
  uint64_t best_seq = 0;
  const std::string prefix = std::string(kConfigHistoryPrefix) + std::string(setting) + "/";
  Status s = views.ForEach(prefix, [&](std::string_view key, std::string_view text) -> Status {
    auto point = ParseConfigHistoryKey(key, setting);
    if (!point.ok()) return point.status();
    if (point->effective <= as_of && point->seq > best_seq) {
      best_seq = point->seq;
      value = std::string(text);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return value;
}

// A journalled setting's stored text (config/<key>), nullopt when unset.
template <typename Source>
Result<std::optional<std::string>> FindSetting(const Source& views, std::string_view setting) {
  return views.Get(ConfigKey(setting));
}

// ---- Month indexes (issue 17: a month's reconcile reads only its items) ----
// Plain text views ApplyEntry keeps beside the records, so PlanMonthMatch
// and TallyMonth read a month's lines and the payments it can settle or
// return without scanning every bankline/ and payment/ record:
//   linemonth/<YYYY-MM>/<bank line id>       -> its booked date; every bank
//                                               line, by the month it is booked in
//   paypending/<payment id>                  -> its run date; present exactly
//                                               while the payment is pending
//   paysettled/<YYYY-MM-DD>/<payment id>     -> the bank line that settled it;
//                                               present exactly while it is
//                                               settled (not returned), by
//                                               its settled date
//   viewform                                 -> kViewForm: the form the views
//                                               are stored in (written by
//                                               ledger.init, so a replay and
//                                               `views rebuild` write it; a
//                                               ledger made before it lacks
//                                               it and the indexes)
inline constexpr std::string_view kViewFormKey = "viewform";
// "1": the month indexes above; "2": and the provider payments index
// (provpay/) and the flag indexes (both below). A reader that needs them
// refuses a ledger whose viewform is absent or another value
// (RequireMonthIndexes).
inline constexpr std::string_view kViewForm = "2";
std::string LineMonthKey(Date booked_on, std::string_view bank_line_id);
std::string LineMonthPrefix(const Month& month);  // "linemonth/YYYY-MM/"
std::string PendingPaymentKey(std::string_view payment_id);
std::string PendingPaymentPrefix();
std::string SettledPaymentKey(Date settled_on, std::string_view payment_id);
std::string SettledPaymentPrefix();
// The bank line id of a linemonth/ key of `month`, the payment id of a
// paypending/ key; Tampered naming the key when it is not one.
Result<std::string> LineIdOfMonthKey(std::string_view key, const Month& month);
Result<std::string> PaymentIdOfPendingKey(std::string_view key);
struct SettledPaymentPoint {
  Date settled_on;
  std::string payment_id;
};
Result<SettledPaymentPoint> ParseSettledPaymentKey(std::string_view key);

// Refused, naming `ringfence views rebuild`, unless the views are stored in
// kViewForm (a missing index must not read as an empty month).
template <typename Source>
Status RequireMonthIndexes(const Source& views) {
  auto form = views.Get(kViewFormKey);
  if (!form.ok()) return form.status();
  if (form->has_value() && **form == kViewForm) return Status::Ok();
  return Status::Refused(
      "this ledger's views were written by an earlier version, without the month indexes reconciliation reads "
      "(view form " + std::string(form->has_value() ? **form : std::string("none")) + ", not " +
      std::string(kViewForm) + "): run `ringfence views rebuild` once, then reconcile again");
}

// ---- Provider payments index (issue 17: the equality tables read the
// financial year to date, not every payment) ----
// A plain text view ApplyEntry keeps beside the payment records, so the
// provider tables (reconcile/equality.h) read the invoice payments of a
// period by one range read, without a payment or invoice record:
//   provpay/<YYYY-MM-DD>/<payment id> -> "<provider id> <amount> <days to pay>"
//     every invoice payment the bank has not returned and nobody cancelled,
//     under its run date: added by payment.pending (purpose invoice),
//     removed by payment.returned and payment.cancelled (settling and
//     unmatching leave it). Amount: the payment's, a canonical decimal; days
//     to pay: from its invoice's received_on to the run date, signed. Every
//     member is fixed when the payment is made (a provider id is an id: no
//     spaces).
struct ProviderPayment {
  Date run_date;
  std::string payment_id, provider_id;
  Pence amount;
  int64_t days_to_pay = 0;
};
std::string ProviderPaymentPrefix();  // "provpay/"
std::string ProviderPaymentKey(Date run_date, std::string_view payment_id);
// REQUIRES: provider_id is an id (no spaces, not empty).
std::string ProviderPaymentValue(std::string_view provider_id, const Pence& amount, int64_t days_to_pay);
// A provpay/ key and value read back; Tampered naming the key when either
// is not one ProviderPaymentKey / ProviderPaymentValue writes.
Result<ProviderPayment> ParseProviderPayment(std::string_view key, std::string_view value);

// What the equality tables read of a budget (reconcile/equality.h), decoded
// from its stored text without the rest of the record (as BudgetLink is):
// the same values DecodeBudget gives for these members, and the same
// Tampered errors for them; members it does not read are not checked.
struct BudgetEqualityFacts {
  std::string budget_id, person_id;
  Management management = Management::kNotional;
  Pence amount;
  Date end_date, approved_on;
  std::optional<Date> first_payment_on;
  std::optional<Date> ended_on;  // BudgetRecord::ended_on()
};
Result<BudgetEqualityFacts> DecodeBudgetEqualityFacts(std::string_view key, std::string_view text);

// ---- Flag indexes (issue 17 item 1: a month's flags read the month) ----
// Plain text views ApplyEntry keeps (ledger/core/apply_indexes.cc) so
// ReadMonthFlagInputs (reconcile/month_flag_records.h) reads the payments
// and invoices a month's flags need, and the paid spend of the rest,
// without scanning every payment/ and invoice/ record. "Payer": the payment
// that pays an invoice as the flag evaluator decides it over every payment
// (reconcile/flags.h "Bounded inputs", PaidBy): the one the invoice names
// while it is paid, else the earliest (run date, payment id) of its
// cancelled or returned payments, else none. Every index is a function of
// the records alone (tests/flag_indexes_scan.h computes each by a full
// scan), so a replay writes it exactly as a commit did and `verify`
// compares it like every other view.
//   payrun/<YYYY-MM>/<payment id>          -> its run date; every payment, by
//                                             the month it was run in
//   payreturned/<YYYY-MM-DD>/<payment id>  -> the bank line that returned it;
//                                             every returned payment, by its
//                                             return date
//   invrecv/<YYYY-MM>/<invoice id>         -> its received date; every invoice,
//                                             by the month it was received in
//   invopen/<invoice id>                   -> its received date; present exactly
//                                             while it is received or approved
//                                             (not paid, not rejected)
//   invrejected/<invoice id>               -> its provider; every rejected one
//   payfailed/<invoice id>                 -> "<YYYY-MM-DD>/<payment id>": the
//                                             earliest (run date, id) of its
//                                             cancelled or returned payments
//   budpaid/<budget id>                    -> the summed amounts of the budget's
//                                             invoices that have a Payer,
//                                             whatever its run date; absent
//                                             when zero
//   budpaidm/<YYYY-MM>/<budget id>         -> the part of budpaid whose Payer
//                                             was run in that month; absent
//                                             when zero (so budpaid as at a
//                                             month end = budpaid less the
//                                             budpaidm of later months)
//   instpaid/<budget id>                   -> the due dates of its instalment
//                                             payments not cancelled, one per
//                                             payment, ascending, comma-
//                                             separated ("2026-05-05,2026-06-05")
//   dupkey/<hash>                          -> the first invoice received with
//                                             that DUPLICATE_INVOICE key hash
//                                             (DuplicateKeyHashText)
//   dupgroup/<hash>/<invoice id>           -> "1": each later invoice of a hash,
//                                             and the first
// Ids hold no '/' (Body::Id), so an id is the last segment of its key.
std::string PaymentRunKey(Date run_date, std::string_view payment_id);
std::string PaymentRunPrefix(const Month& month);  // "payrun/YYYY-MM/"
std::string PaymentRunFamily();                    // "payrun/"
std::string PaymentReturnedKey(Date returned_on, std::string_view payment_id);
std::string PaymentReturnedFamily();
std::string InvoiceReceivedKey(Date received_on, std::string_view invoice_id);
std::string InvoiceReceivedPrefix(const Month& month);  // "invrecv/YYYY-MM/"
std::string InvoiceReceivedFamily();
std::string InvoiceOpenKey(std::string_view invoice_id);
std::string InvoiceOpenFamily();
std::string InvoiceRejectedKey(std::string_view invoice_id);
std::string InvoiceRejectedFamily();
std::string InvoiceFailedPayerKey(std::string_view invoice_id);
std::string InvoiceFailedPayerFamily();
std::string BudgetPaidKey(std::string_view budget_id);
std::string BudgetPaidFamily();
std::string BudgetPaidMonthKey(const Month& month, std::string_view budget_id);
std::string BudgetPaidMonthPrefix(const Month& month);  // "budpaidm/YYYY-MM/"
std::string BudgetPaidMonthFamily();
std::string InstalmentsPaidKey(std::string_view budget_id);
std::string InstalmentsPaidFamily();
std::string DuplicateKeyKey(std::string_view hash);
std::string DuplicateKeyFamily();
// A dupgroup/ key's value: a view is never empty (Views::ForEachDirty).
inline constexpr std::string_view kDuplicateGroupMark = "1";
std::string DuplicateGroupKey(std::string_view hash, std::string_view invoice_id);
std::string DuplicateGroupFamily();
// 16 lowercase hex digits: FNV-1a of the DUPLICATE_INVOICE key (provider,
// budget, amount, service_from, service_to), each field length-prefixed.
// Stored in views: never change it without a new kViewForm.
std::string DuplicateKeyHashText(std::string_view provider_id, std::string_view budget_id, const Pence& amount,
                             Date service_from, Date service_to);
// A key of `family` split: `middle` between the family and the last '/'
// ("" when none), `id` after it. Tampered naming the key when it is not one.
struct FlagIndexKey {
  std::string middle, id;
};
Result<FlagIndexKey> ParseFlagIndexKey(std::string_view key, std::string_view family);
// payfailed/ values.
struct FailedPayer {
  Date run_date;
  std::string payment_id;
  friend bool operator<(const FailedPayer& a, const FailedPayer& b) {
    return std::tie(a.run_date, a.payment_id) < std::tie(b.run_date, b.payment_id);
  }
};
std::string FailedPayerText(const FailedPayer& payer);
Result<FailedPayer> ParseFailedPayer(std::string_view value, std::string_view key);
// instpaid/ values: dates ascending, repeats kept.
std::string InstalmentsPaidText(const std::vector<Date>& due_dates);
Result<std::vector<Date>> ParseInstalmentsPaid(std::string_view value, std::string_view key);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_RECORDS_H_
