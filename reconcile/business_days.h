#ifndef RINGFENCE_RECONCILE_BUSINESS_DAYS_H_
#define RINGFENCE_RECONCILE_BUSINESS_DAYS_H_

// Business days for settlement windows: Monday to Friday. Bank holidays are
// not known here (out of scope): a window spanning one is a day shorter than
// a bank's own count, so a payment settled late over a bank holiday may fall
// outside it and be left for a person rather than matched. Pure: no I/O.

#include <cstdint>

#include "ledger/core/date.h"

namespace rf {

// A window is never wider than this many business days (about a quarter).
inline constexpr uint32_t kBusinessDaysWindowMax = 66;

bool IsBusinessDay(Date day);

// The day on which the `business_days`-th business day after `from` falls
// (from itself is not counted): Friday + 3 = Wednesday, Saturday + 3 =
// Wednesday, Monday + 0 = Monday. Nondecreasing in `from`.
// REQUIRES: business_days <= kBusinessDaysWindowMax (asserted).
Date AddBusinessDays(Date from, uint32_t business_days);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_BUSINESS_DAYS_H_
