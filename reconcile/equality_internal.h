#ifndef RINGFENCE_RECONCILE_EQUALITY_INTERNAL_H_
#define RINGFENCE_RECONCILE_EQUALITY_INTERNAL_H_

// Shared by the people (equality.cc) and provider (equality_providers.cc)
// halves of the equality report. Not for other callers.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "ledger/storage/ledger.h"
#include "reconcile/disclosure.h"
#include "reconcile/table.h"

namespace rf::equality_internal {

// 1 April of the financial year containing `as_of`.
Date EqualityYearStart(Date as_of);

// The note explaining <N, [c], zeros, percents and medians.
extern const char* const kEqualityLegend;

// A count as shown: its value, "<N" or "[c]".
// REQUIRES: figure < r.status.size().
std::string FigureText(const DisclosureResult& r, size_t figure, uint64_t threshold);

// One invoice payment counted in the provider tables.
struct ProviderPaid {
  std::string_view provider_id;
  Pence amount;
  int64_t days_to_pay = 0;  // invoice received_on to run date
};
using ProviderPaidFn = std::function<Status(const ProviderPaid&)>;
// Calls fn for every invoice payment run from `year_start` to `as_of` (both
// included) that the bank has not returned and nobody cancelled, in any order.
using ProviderPaymentSource = std::function<Status(Date year_start, Date as_of, const ProviderPaidFn& fn)>;

// The source the report reads: the provpay/ index (records.h "Provider
// payments index"), one range read from year_start's key to as_of's.
// REQUIRES: the views are in kViewForm (RequireMonthIndexes). Errors:
// Tampered naming a key that does not parse.
ProviderPaymentSource IndexedProviderPayments(const ViewSource& views);

// The provider tables (by size, by community-led status) of the payments
// `payments` gives. Errors: Tampered (a payment naming a provider not
// recorded, a view that does not decode).
Result<std::vector<Table>> ProviderTables(const ViewSource& views, Date as_of, uint64_t threshold,
                                          const ProviderPaymentSource& payments);

}  // namespace rf::equality_internal

#endif  // RINGFENCE_RECONCILE_EQUALITY_INTERNAL_H_
