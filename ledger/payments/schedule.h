#ifndef RINGFENCE_LEDGER_PAYMENTS_SCHEDULE_H_
#define RINGFENCE_LEDGER_PAYMENTS_SCHEDULE_H_

// The instalment schedule of a direct-payment or third-party budget
// (PRODUCT.md, "Accounts": instalments follow `frequency` from start_date to
// end_date, each an exact share of the amount, pro-rated by days for a part
// period, the last taking the remainder). Pure: no I/O, no views.
//
// Periods (every day from start_date to end_date, both inclusive, lies in
// exactly one period):
//   monthly      calendar months. The first period runs from start_date to
//                the end of its month, the last from the 1st of end_date's
//                month to end_date; either may be a part month.
//   four-weekly  28-day periods from start_date; the last ends on end_date
//                and may be shorter.
//   one-off      one period, start_date..end_date.
//   none         no instalments (paid through invoices only).
// Notional budgets have no instalments whatever their frequency.
//
// Amounts: a full period weighs 1; a part period weighs its days over the
// days of the full period it belongs to (the calendar month, or 28). So full
// periods get equal instalments and a budget starting on the 16th of a
// 30-day month gets 15/30 of a month for its first. The budget amount is
// split by those weights with SplitExact (money.h): each share is rounded
// half-to-even once and the last instalment takes the remainder, so the
// instalments sum to the budget amount to the penny.
//   In integers: a monthly period weighs days * (kMonthWeightUnits / days in
//   its month), where kMonthWeightUnits = lcm(28, 29, 30, 31), so every
//   weight is exact; a four-weekly period weighs its days.
// Should the remainder come out negative (only possible when the amount in
// pence is below the number of instalments), the split falls back to
// rounding the running total: share i = round(total * cumulative weight to
// i / all weight) - the same for i - 1. That is never negative, is within a
// penny of exact, and still sums to the amount.
//
// Due dates: an instalment is paid in advance, due on the first day of its
// period (so the first is due on start_date). Every due date lies inside
// start_date..end_date.

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "crypto/status.h"

namespace rf {

// lcm(28, 29, 30, 31): a monthly weight unit that divides by every month
// length. A weight is at most 31 * 12,180 = 377,580; with the instalment
// bound below, the weight sum is under 1.6e9 and cannot overflow.
inline constexpr uint64_t kMonthWeightUnits = 377'580;
inline constexpr uint32_t kFourWeeklyPeriodDays = 28;
// At most this many instalments (SplitExact's bound): 341 years monthly or
// 314 years four-weekly, beyond any budget the date bounds allow.
inline constexpr size_t kInstalmentsMax = kSplitSharesMax;

struct Instalment {
  uint32_t number = 0;  // 1-based
  Date due_on;          // == period_from
  Date period_from;
  Date period_to;  // inclusive
  Pence amount;    // >= 0; zero only when the budget is under a penny a period
};

struct BudgetTerms {
  std::string budget_id;   // for messages only
  std::string management;  // notional | third-party | direct-payment
  std::string frequency;   // monthly | four-weekly | one-off | none
  Pence amount;
  Date start_date, end_date;
};

// The schedule, in order (numbers 1..n, periods contiguous and disjoint,
// amounts summing exactly to terms.amount). Empty for notional budgets and
// frequency none.
// REQUIRES (else InvalidInput naming the budget and the field): a known
// management and frequency, amount > 0, start_date <= end_date, and at most
// kInstalmentsMax periods.
Result<std::vector<Instalment>> InstalmentSchedule(const BudgetTerms& terms);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_PAYMENTS_SCHEDULE_H_
