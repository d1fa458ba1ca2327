#ifndef RINGFENCE_RECONCILE_FLAGS_INTERNAL_H_
#define RINGFENCE_RECONCILE_FLAGS_INTERNAL_H_

// Shared by the flag evaluator's files (flags.cc, flags_delay.cc,
// flags_budget.cc, flags_spend.cc); not part of the API. Each family appends its flags to
// `out`; EvaluateFlags sorts the whole.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reconcile/flags.h"

namespace rf::flags_internal {

// Lookups built once per call; string_views point into the inputs.
struct Index {
  Date month_first, month_end;
  std::unordered_map<std::string_view, const ProviderRecord*> providers;
  std::unordered_map<std::string_view, const BudgetRecord*> budgets;
  std::unordered_map<std::string_view, const PaymentRecord*> payments;
  // The payment that pays each invoice: the one the invoice names, else the
  // earliest (run_date, payment_id) naming it.
  std::unordered_map<std::string_view, const PaymentRecord*> invoice_payment;
  std::unordered_map<std::string_view, Pence> dp_balance, dp_spent, pot_unallocated;
  // FlagInputs::paid_invoice_spend: paid invoices not listed, per budget.
  std::unordered_map<std::string_view, Pence> paid_invoice_spend;
  // Reviews on or before month_end, per budget (any order).
  std::unordered_map<std::string_view, std::vector<const ReviewRecord*>> reviews;
};

// The payment that paid `invoice` on or before month_end, or nullptr.
const PaymentRecord* PaidBy(const Index& index, const InvoiceRecord& invoice);

// The amount stored for `id`, zero when absent.
Pence AmountOf(const std::unordered_map<std::string_view, Pence>& amounts, std::string_view id);

bool InMonth(const Index& index, Date day);

// `day` + `months` on the calendar, the day clamped to the month's end.
// REQUIRES: months <= kFlagReviewMonthsMax.
Date AddMonths(Date day, uint32_t months);

// The date a budget ended by review on or before month_end, if any.
std::optional<Date> EndedOn(const Index& index, const BudgetRecord& budget);

// Both ends counted. REQUIRES: from <= to.
int64_t DaysInclusive(Date from, Date to);

// The sentence is left to FlagSentence(facts) (flag_sentence.h).
Flag MakeFlag(FlagCode code, FlagSeverity severity, std::string entity, Pence at_stake,
              std::vector<uint64_t> evidence_seqs, FlagFacts facts);

// DELAY_INVOICE, DELAY_FIRST_PAYMENT, DELAY_DP_MISSED, UNSETTLED_PAYMENT.
Status DelayFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<Flag>& out);
// UNDERSPEND_BUDGET, DP_SURPLUS, REVIEW_OVERDUE.
Status BudgetFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<Flag>& out);
// UNAPPROVED_PROVIDER, POT_UNALLOCATED.
Status ProviderPotFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<Flag>& out);
// PROHIBITED_SPEND, DUPLICATE_INVOICE (flags_spend.cc).
Status SpendFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<Flag>& out);

}  // namespace rf::flags_internal

#endif  // RINGFENCE_RECONCILE_FLAGS_INTERNAL_H_
