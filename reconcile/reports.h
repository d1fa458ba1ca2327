#ifndef RINGFENCE_RECONCILE_REPORTS_H_
#define RINGFENCE_RECONCILE_REPORTS_H_

// `ringfence report ...`: the views as tables, as of a date. The caller
// chooses the views: the live ones (as of today) or ones rebuilt from the
// journal up to the as-of date (ledger.h RebuildViews). Reading only.
//
// Pot figures come from the pot's net movement per account type
// (views.h potnet/), which every entry scoped to the pot updates:
//   funded       money from the funder, net of returns    -net[funding]
//   allocated    moved into its budgets, net of returns   budget+payable+dp+paid+spent
//   committed    approved invoices awaiting payment       payable
//   paid         to providers and into DP accounts        paid+dp+spent
//   spent        paid to providers + DP spend reported    paid+spent
//   unallocated  still in the pot                         pot
//   diverted     moved to external:*                      external
//   forecast     spent, straight-line to the financial year's end
// so funded = unallocated + allocated + diverted, to the penny.

#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "ledger/core/views.h"
#include "ledger/storage/ledger.h"
#include "reconcile/table.h"

namespace rf {

enum class ReportKind { kPots, kBudgets, kProviders, kAgedInvoices, kBalances };

// "pots" ... ; InvalidInput naming the choices otherwise.
Result<ReportKind> ParseReportKind(std::string_view name);

// Errors: Tampered if a view cannot be read back; Io.
Result<Table> BuildReport(ReportKind kind, const ViewSource& views, Date as_of);

// A pot's figures from a net movement per account type, as the table above
// maps them: the pots report's columns from the pot's potnet/, and the HTML
// report's month-end charts (month_end_figures.cc) from the movements dated
// after a month end. Linear: the figures of a sum of movements are the sum
// of their figures, so funded = unallocated + allocated + diverted for any
// movements that balance.
struct PotFigures {
  Pence funded, allocated, committed, paid, spent, unallocated, diverted;
};
PotFigures PotFiguresOf(const TypeTotals& net);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_REPORTS_H_
