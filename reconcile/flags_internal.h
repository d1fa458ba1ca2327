#ifndef RINGFENCE_RECONCILE_FLAGS_INTERNAL_H_
#define RINGFENCE_RECONCILE_FLAGS_INTERNAL_H_

// Shared by the flag evaluator's files (flags.cc, flags_delay.cc,
// flags_budget.cc, flags_spend.cc); not part of the API. Each family appends its flags to
// `out`; EvaluateReportedFlags sorts the whole.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reconcile/flags.h"

namespace rf::flags_internal {

// What the families read per budget, in FlagInputs::budgets' order:
// looked up once while the index is built, not once per family.
struct BudgetFacts {
  Pence dp_balance, dp_spent;     // FlagInputs::dp_balances, dp_spent; absent = 0
  Pence paid_invoice_spend;       // FlagInputs::paid_invoice_spend; absent = 0
  Pence paid_invoices;            // the listed invoices paid (PaidBy) by month end
  std::optional<Date> ended_on;   // EndedOn
  // Its first payment as at month end: the record's (the earliest live
  // one now), or an earlier one returned after month end (the return's
  // ForgetFirstPayment moved the record's on; as at month end it had not).
  std::optional<Date> first_payment_on;
  std::optional<uint64_t> first_payment_seq;
};

// Lookups built once per call; string_views point into the inputs.
struct Index {
  Date month_first, month_end;
  std::unordered_map<std::string_view, const ProviderRecord*> providers;
  std::unordered_map<std::string_view, const BudgetFlagFacts*> budgets;
  std::unordered_map<std::string_view, Pence> pot_unallocated;
  // Reviews on or before month_end, per budget (any order).
  std::unordered_map<std::string_view, std::vector<const ReviewRecord*>> reviews;
  // Per invoice, in FlagInputs::invoices' order: the payment that paid it
  // on or before month_end (PaidBy: the one it names, else the earliest
  // (run_date, payment_id) naming it), or nullptr; and its provider, or
  // nullptr when not known.
  std::vector<const PaymentFlagFacts*> paid_by;
  std::vector<const ProviderRecord*> invoice_provider;
  // Per budget, in FlagInputs::budgets' order.
  std::vector<BudgetFacts> budget;

  // REQUIRES: `b` is an element of the inputs' budgets.
  const BudgetFacts& Of(const FlagInputs& in, const BudgetFlagFacts& b) const {
    return budget[static_cast<size_t>(&b - in.budgets.data())];
  }
};

// The amount stored for `id`, zero when absent.
Pence AmountOf(const std::unordered_map<std::string_view, Pence>& amounts, std::string_view id);

bool InMonth(const Index& index, Date day);

// `day` + `months` on the calendar, the day clamped to the month's end.
// REQUIRES: months <= kFlagReviewMonthsMax.
Date AddMonths(Date day, uint32_t months);

// The date a budget ended (its record, or a review ending it) on or
// before month_end, if any.
std::optional<Date> EndedOn(const Index& index, const BudgetFlagFacts& budget);

// Both ends counted. REQUIRES: from <= to.
int64_t DaysInclusive(Date from, Date to);

// The sentence is left to FlagSentence(facts) (flag_sentence.h).
MonthFlag MakeFlag(FlagCode code, FlagSeverity severity, std::string entity, Pence at_stake,
              std::vector<uint64_t> evidence_seqs, FlagFacts facts);

// DELAY_INVOICE, DELAY_FIRST_PAYMENT, DELAY_DP_MISSED, UNSETTLED_PAYMENT.
Status DelayFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out);
// UNDERSPEND_BUDGET, DP_SURPLUS, REVIEW_OVERDUE.
Status BudgetFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out);
// UNAPPROVED_PROVIDER, POT_UNALLOCATED.
Status ProviderPotFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out);
// PROHIBITED_SPEND, DUPLICATE_INVOICE (flags_spend.cc).
Status SpendFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out);

}  // namespace rf::flags_internal

#endif  // RINGFENCE_RECONCILE_FLAGS_INTERNAL_H_
