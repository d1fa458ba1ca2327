#ifndef RINGFENCE_RECONCILE_FLAGS_H_
#define RINGFENCE_RECONCILE_FLAGS_H_

// The month-end flag evaluator (issue 17, items 6-8): which of the
// contract's threshold flags (PRODUCT.md "Reconciliation flags") hold as of
// a month's last day. Pure: no I/O, no journal, no views; the caller reads
// the typed records and balances as they stood on that day, and the
// thresholds in force on it (the journalled configuration), and records
// the flags. Matching-born flags (DIVERSION_*, UNMATCHED_BANK_LINE,
// PAYMENT_RETURNED) and rule-born ones (OVERSPEND, DIVERSION_TRANSFER) are
// not evaluated here (month_flags.h raises those built so far).
//
// "The month" is the calendar month of `month_end`; "as of month end" means
// dates on or before it. Records dated later (a live view read after the
// month) are read as not yet having happened: a payment whose run date is
// after month_end has not paid its invoice, a settlement after it has not
// settled, a review after it has not been done. Delays count calendar days
// (to - from, so received 1 March and paid 31 March is 30 days).
//
// What each flag means here (thresholds are FlagThresholds members):
//   DELAY_INVOICE        an invoice received on or before month_end, either
//                        unpaid at month_end with month_end - received_on >
//                        delay_invoice_days, or paid by a run in the month
//                        with run_date - received_on > that. Providers of
//                        kind "vcse" and size "micro" or "small" use
//                        delay_invoice_small_vcse_days. An invoice paid late
//                        in an earlier month was flagged in that month.
//   DELAY_FIRST_PAYMENT  a budget approved on or before month_end, either
//                        with no payment run by month_end and month_end -
//                        approved_on > delay_first_payment_days, or first
//                        paid (first_payment_on) in the month and later than
//                        that. Any management (a notional budget's first
//                        payment is its first invoice payment).
//   UNDERSPEND_BUDGET    active days = from start_date to the earliest of
//                        month_end, end_date and the ending review, both
//                        ends counted; period days = start_date to end_date,
//                        both counted. A budget with active days >=
//                        underspend_active_days and not ended before the
//                        month began is flagged when spent * 100 < pro_rata *
//                        underspend_share_pct, where pro_rata =
//                        ProRate(amount, active days, period days) and spent
//                        = the invoices paid by a run on or before month_end
//                        (those listed, plus paid_invoice_spend for those
//                        left out) + the DP spend reported (BudgetAmount dp_spent: the
//                        sum of its spent:<budget>:* balances). Instalments
//                        paid into dp: are not spend: they are held until
//                        the holder reports spending them. At stake:
//                        pro_rata - spent.
//   DP_SURPLUS           a direct-payment budget (not third-party) whose
//                        dp:<budget> balance > allowance + contingency, where
//                        allowance = N weeks of funding = ProRate(amount, 7 *
//                        dp_surplus_weeks, period days) (weekly funding is
//                        amount * 7 / period days, rounded once, at the end)
//                        and contingency = dp_surplus_contingency_pence
//                        (dp_surplus.contingency, pounds). Reclaimable = balance - allowance
//                        - contingency: the amount at stake.
//   REVIEW_OVERDUE       a direct-payment budget first paid on or before
//                        month_end, not ended: due = first_payment_on +
//                        review_first_months until a review on or after the
//                        first payment, then that latest review +
//                        review_interval_months (months added on the
//                        calendar, the day clamped to the month's end: 30
//                        Nov + 3 months = 28 Feb). Flagged when month_end >
//                        due. Reviews are the ReviewRecords plus the budget's
//                        last_review_on, each counted only when on or before
//                        month_end.
//   UNSETTLED_PAYMENT    a payment with run_date <= month_end, not settled on
//                        or before month_end, and month_end later than
//                        AddBusinessDays(run_date, unsettled_business_days)
//                        (Mon-Fri, business_days.h).
//   UNAPPROVED_PROVIDER  an invoice (received by month_end and either
//                        received in the month or unpaid at month_end), or a
//                        payment (run in the month), whose provider is not
//                        approved or not known. Critical.
//   POT_UNALLOCATED      a pot of financial year "YYYY-YY" (1 April to 31
//                        March) with month_end in or after the year, where
//                        (month_end - 1 April + 1) * 100 > year days *
//                        pot_unallocated_year_pct and unallocated (its pot:
//                        balance) * 100 > amount * pot_unallocated_share_pct.
//   DELAY_DP_MISSED      an instalment (entity "instalment:<budget>/<due_on>")
//                        either paid by a run in the month with run_date -
//                        due_on > delay_dp_missed_days (a PaymentRecord with
//                        a due_on), or listed in due_instalments, not paid by
//                        a run on or before month_end (no instalment payment
//                        of that budget and due_on), with month_end - due_on
//                        > delay_dp_missed_days, and its budget not ended by
//                        review on or before its due date. The schedule
//                        (ledger/payments/schedule.h) is the caller's to
//                        compute (month_flags.h does), so this file needs
//                        only ledger/core. The same instalment, missed one
//                        month and paid late the next, is the same flag.
//   PROHIBITED_SPEND     a spent:<budget>:<category> balance at month end
//                        (spent_by_category) above zero whose category is
//                        in prohibited_categories (prohibited.categories):
//                        one flag per (budget, category), entity
//                        "spent:<budget>:<category>", at stake the balance.
//                        Critical: PHB money spent on what it may not buy
//                        is a misuse of public funds that must be recovered
//                        (or the direct payment reviewed), not a delay or a
//                        surplus to watch, and is raised every month until
//                        the balance is corrected.
//   DUPLICATE_INVOICE    invoices received on or before month_end with the
//                        same provider, budget, amount, service_from and
//                        service_to: each but the first (by received_on,
//                        then invoice id) is flagged, entity
//                        "invoice:<id>", at stake its amount, evidence both
//                        invoices, the sentence naming the first. The same
//                        provider, amount and period on another budget is
//                        not one (one invoice per person at the same rate).
//                        Warning: approval (approval.h) already refuses to
//                        approve a duplicate, and a resent copy is often
//                        harmless; someone must still check it.
//
// Every flag: a stable id "<CODE>/<entity>" (so the same condition next
// month is the same flag), the evidence (the entries' seqs, sorted), and a
// sentence that says what is wrong and what to do next. The result is
// sorted by severity (critical first), then code, then entity, and depends
// only on the set of inputs, not their order.
// Cost: O(n log n) in the records; memory linear (bounded inputs, below,
// keep it to the month's open items). Figures in bench/README.md.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/match_facts.h"
#include "ledger/core/money.h"
#include "ledger/core/records.h"
#include "reconcile/flag_sentence.h"

namespace rf {

// Bounds on one call (a national roll-up is ~200,000 budgets).
inline constexpr size_t kFlagBudgetsMax = 2'000'000;
inline constexpr size_t kFlagInvoicesMax = 20'000'000;
inline constexpr size_t kFlagPaymentsMax = 20'000'000;
// Months a review interval may be (100 years).
inline constexpr uint32_t kFlagReviewMonthsMax = 1200;
// Days any delay threshold may be (the largest count a setting takes).
inline constexpr uint32_t kFlagDaysMax = 100'000;

enum class FlagCode : uint8_t {
  kDelayDpMissed,
  kDelayFirstPayment,
  kDelayInvoice,
  kDiversionPayeeMismatch,       // from matching (month_flags.h)
  kDiversionTransfer,            // from the rules' flag records (month_flags.h)
  kDiversionUnexplainedOutflow,  // from matching (month_flags.h)
  kDpSurplus,
  kDuplicateInvoice,
  kOverspend,        // from the rules' flag records (month_flags.h)
  kPayeeDetailsChanged,  // from amendment records (payee_flags.h)
  kPaymentReturned,  // from payment.returned records (returned_flags.h)
  kPotUnallocated,
  kProhibitedSpend,
  kReviewOverdue,
  kUnapprovedProvider,
  kUnderspendBudget,
  kUnmatchedBankLine,  // from matching (month_flags.h)
  kUnsettledPayment,
};
// "DELAY_INVOICE", ... as in the contract. Enum order is name order. The
// evaluator raises only the threshold codes; month_flags.h raises the codes
// born of matching and of the rules' flag records.
std::string_view ToString(FlagCode code);

// Sorted critical first.
enum class FlagSeverity : uint8_t { kCritical, kWarning, kInfo };
// "critical", "warning", "info".
std::string_view ToString(FlagSeverity severity);

struct Flag {
  FlagCode code = FlagCode::kDelayInvoice;
  FlagSeverity severity = FlagSeverity::kWarning;
  std::string entity;  // "budget:B-001", "invoice:INV-7", "payment:P-1", "pot:P-26"
  Pence amount_at_stake_pence;
  std::vector<uint64_t> evidence_seqs;           // sorted, unique
  std::vector<std::string> evidence_bank_lines;  // sorted; none of these flags names one yet
  std::string sentence;                          // what is wrong, and what to do next (EvaluateFlags)
  std::string id;                                // "<CODE>/<entity>": stable across months
  FlagFacts facts;                               // what the sentence names: FlagSentence(facts) is it
};

// The words a flag of matching, the rules or the records carries: its bank
// lines and its written sentence. An evaluator's flag has none (its facts
// make its sentence), so MonthFlag holds these by pointer (8 bytes, not 56).
struct FlagWords {
  std::vector<std::string> evidence_bank_lines;  // sorted
  std::string sentence;
};
// A FlagWords or none, copied deeply (MonthFlag stays a copyable value).
// Made implicitly from a FlagWords so that flags are written
// `.words = FlagWords{.evidence_bank_lines = ..., .sentence = ...}`.
class HeldFlagWords {
 public:
  HeldFlagWords() = default;
  HeldFlagWords(FlagWords words)  // NOLINT(google-explicit-constructor): see above
      : words_(std::make_unique<FlagWords>(std::move(words))) {}
  HeldFlagWords(const HeldFlagWords& other)
      : words_(other.words_ ? std::make_unique<FlagWords>(*other.words_) : nullptr) {}
  HeldFlagWords& operator=(const HeldFlagWords& other) {
    if (this != &other) words_ = other.words_ ? std::make_unique<FlagWords>(*other.words_) : nullptr;
    return *this;
  }
  HeldFlagWords(HeldFlagWords&&) noexcept = default;
  HeldFlagWords& operator=(HeldFlagWords&&) noexcept = default;
  ~HeldFlagWords() = default;

  explicit operator bool() const { return words_ != nullptr; }
  // REQUIRES: held (operator bool).
  const FlagWords& operator*() const { return *words_; }
  FlagWords& operator*() { return *words_; }
  const FlagWords* operator->() const { return words_.get(); }
  FlagWords* operator->() { return words_.get(); }

 private:
  std::unique_ptr<FlagWords> words_;
};

// One flag as a month reports it (month_flags.h): an evaluator's flag or
// one of matching, the rules or the records. Declared here so that the
// evaluator writes its flags in this form directly (one vector, no copy).
// Held compactly (~500,000 a national month): the code as its FlagCode
// (every code a month raises is one), the id made when it is needed
// (FlagId), the facts' amounts as int64 (FlagPence), the rarely set words
// by pointer.
struct MonthFlag {
  FlagCode code = FlagCode::kDelayInvoice;  // ToString: "DELAY_INVOICE", "DIVERSION_PAYEE_MISMATCH", ...
  FlagSeverity severity = FlagSeverity::kWarning;
  std::string entity;
  Pence amount_at_stake_pence;
  std::vector<uint64_t> evidence_seqs;
  // A flag of matching, the rules or the records: its bank lines and
  // written sentence (none for an evaluator's flag). Read with
  // BankLinesOf and SentenceOf (month_flags.h).
  HeldFlagWords words = HeldFlagWords();
  // An evaluator's flag: the facts its sentence names, the words written
  // when it is shown (flag_sentence.h: ~500,000 flags a national month).
  // None (FlagFacts::none()) for any other flag.
  FlagFacts facts = FlagFacts();
};

// The flag's bank lines (its words'; none when it holds no words).
const std::vector<std::string>& BankLinesOf(const MonthFlag& flag);

// A flag's stable id, "<CODE>/<entity>" (the same condition next month is
// the same flag): ToString(code) + "/" + entity.
std::string FlagId(FlagCode code, std::string_view entity);
inline std::string FlagId(const MonthFlag& flag) { return FlagId(flag.code, flag.entity); }
// The code whose ToString is `name`; nullopt for any other text.
std::optional<FlagCode> FlagCodeNamed(std::string_view name);

// Every threshold, defaults as in the contract. Each is a config setting
// (config.h, named beside it).
struct FlagThresholds {
  uint32_t underspend_active_days = 90;         // underspend.active_days
  uint32_t underspend_share_pct = 50;           // underspend.share_pct
  uint32_t dp_surplus_weeks = 8;                // dp_surplus.weeks
  Pence dp_surplus_contingency_pence;           // dp_surplus.contingency (pounds; 0)
  uint32_t pot_unallocated_share_pct = 20;      // pot_unallocated.share_pct
  uint32_t pot_unallocated_year_pct = 50;       // pot_unallocated.year_pct
  uint32_t delay_first_payment_days = 14;       // delay.first_payment_days
  uint32_t delay_invoice_days = 30;             // delay.invoice_days
  uint32_t delay_invoice_small_vcse_days = 10;  // delay.invoice_small_vcse_days
  uint32_t delay_dp_missed_days = 3;            // delay.dp_missed_days
  uint32_t review_first_months = 3;             // review.first_months
  uint32_t review_interval_months = 12;         // review.interval_months
  uint32_t unsettled_business_days = 5;         // unsettled.business_days
  // prohibited.categories: slugs, as the spent:<budget>:<category> accounts name them.
  std::vector<std::string> prohibited_categories = {"alcohol",        "tobacco",       "gambling",
                                                    "debt-repayment", "emergency-care", "gp-services"};
};

// The thresholds from the settings in force: `setting(key)` is the stored
// text of a setting, nullopt when unset (then its default applies).
// Errors: InvalidInput naming the key when a value is not what
// ValidateConfig accepts or is beyond the bounds above.
Result<FlagThresholds> FlagThresholdsFromSettings(
    const std::function<std::optional<std::string>(std::string_view)>& setting);

// An amount per budget or pot, from the balances view.
struct BudgetAmount {
  std::string budget_id;
  Pence amount_pence;
};
struct PotAmount {
  std::string pot_id;
  Pence amount_pence;
};
// One spent:<budget>:<category> balance.
struct SpentAmount {
  std::string budget_id;
  std::string category;
  Pence amount_pence;
};
// An instalment of a budget's schedule (InstalmentSchedule, schedule.h).
struct DueInstalment {
  std::string budget_id;
  Date due_on;
  Pence amount_pence;
};

struct FlagInputs {
  Date month_end;  // REQUIRES: the last day of its month
  std::vector<BudgetFlagFacts> budgets;    // the members the flags read (match_facts.h)
  std::vector<InvoiceFlagFacts> invoices;  // the members the flags read (match_facts.h)
  std::vector<PaymentFlagFacts> payments;  // the members the flags read (match_facts.h)
  std::vector<ReviewRecord> reviews;
  std::vector<ProviderRecord> providers;
  std::vector<PotRecord> pots;
  std::vector<BudgetAmount> dp_balances;   // dp:<budget> at month end; absent = 0
  std::vector<BudgetAmount> dp_spent;      // sum of spent:<budget>:* at month end; absent = 0
  std::vector<PotAmount> pot_unallocated;  // pot:<pot> at month end; absent = 0
  std::vector<SpentAmount> spent_by_category;  // each spent:<budget>:<category> at month end; absent = 0
  // Instalments of direct-payment and third-party budgets due on or before
  // month_end (earlier ones may be left out once paid); empty = not known.
  std::vector<DueInstalment> due_instalments;
  // Per budget, the summed amounts of the invoices NOT listed in `invoices`
  // that a payment run on or before month_end paid (as the evaluator would
  // decide it were they listed, over every payment of the ledger); absent
  // = 0. UNDERSPEND_BUDGET adds it to the listed invoices' paid spend.
  // Empty when `invoices` is every invoice (how tests build inputs).
  std::vector<BudgetAmount> paid_invoice_spend;
};

// Bounded inputs. `invoices` and `payments` need not be every record: the
// flags are the same (ids, amounts, evidence, sentences) as over every
// record when the lists hold at least
//   - each invoice received on or before month_end that is unpaid at
//     month_end (PaidBy below), paid by a run in the month, or received in
//     the month, with the payment that pays it (the one it names, else the
//     earliest (run_date, payment_id) naming it) whatever its run date;
//   - each invoice of a DUPLICATE_INVOICE group (same provider, budget,
//     amount, service_from and service_to, received on or before
//     month_end, not rejected) of two or more;
//   - each payment run in the month, and each run on or before month_end
//     that is neither settled by month_end nor cancelled, and each returned
//     after month_end (live at month end: a budget's first payment is the
//     earliest of its record's and these);
// and paid_invoice_spend sums the paid invoices left out, and
// due_instalments leaves out every instalment a payment (not cancelled)
// run on or before month_end paid. month_flags.h reads inputs so
// (reconcile/flag_reducer.h); tests/flag_reducer_test.cc compares both.
// "Paid" (PaidBy): the payment the invoice names when there is one of that
// id, else the earliest (run_date, payment_id) invoice payment naming it,
// and that payment's run_date is on or before month_end.

// Errors (InvalidInput, naming the item): month_end not a month's last day,
// more items than the bounds, a repeated budget, invoice, payment, provider
// or pot id, a repeated budget in paid_invoice_spend, a repeated due instalment (budget and due_on), a repeated
// spent account (budget and category), a budget ending before it starts, a threshold beyond its
// bound (unsettled_business_days > kBusinessDaysWindowMax, months > kFlagReviewMonthsMax, days > kFlagDaysMax, a
// percent > 100), a negative contingency, a flag whose facts name an amount
// beyond kFlagPenceMax (flag_sentence.h; naming the flag's id).
Result<std::vector<Flag>> EvaluateFlags(const FlagInputs& inputs, const FlagThresholds& thresholds);

// The same flags with their sentences not yet written (`sentence` empty):
// a month's report writes only those it shows (FlagSentence(flag.facts)).
// EvaluateFlags is this, then every sentence written.
Result<std::vector<Flag>> EvaluateFlagFacts(const FlagInputs& inputs, const FlagThresholds& thresholds);

// The same flags as a month reports them (EvaluateMonthFlagInputs): each
// with its facts and no sentence, in the same order. EvaluateFlagFacts is
// this, each flag then read back into a Flag.
Result<std::vector<MonthFlag>> EvaluateReportedFlags(const FlagInputs& inputs, const FlagThresholds& thresholds);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_FLAGS_H_
