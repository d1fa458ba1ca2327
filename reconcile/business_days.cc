#include "reconcile/business_days.h"

#include <cassert>

namespace rf {

bool IsBusinessDay(Date day) { return day.iso_weekday() <= 5; }

Date AddBusinessDays(Date from, uint32_t business_days) {
  assert(business_days <= kBusinessDaysWindowMax);
  Date day = from;
  uint32_t counted = 0;
  // Bounded: at most 3 calendar days pass per business day counted.
  for (uint32_t step = 0; counted < business_days && step < 3 * kBusinessDaysWindowMax + 3; ++step) {
    day = day.AddDays(1);
    if (IsBusinessDay(day)) ++counted;
  }
  assert(counted == business_days);
  assert(day >= from);
  return day;
}

}  // namespace rf
