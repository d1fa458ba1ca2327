#ifndef RINGFENCE_RECONCILE_EQUALITY_INTERNAL_H_
#define RINGFENCE_RECONCILE_EQUALITY_INTERNAL_H_

// Shared by the people (equality.cc) and provider (equality_providers.cc)
// halves of the equality report. Not for other callers.

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/core/date.h"
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

// The provider tables (by size, by community-led status). Errors: Tampered.
Result<std::vector<Table>> ProviderTables(const ViewSource& views, Date as_of, uint64_t threshold);

}  // namespace rf::equality_internal

#endif  // RINGFENCE_RECONCILE_EQUALITY_INTERNAL_H_
