#ifndef RINGFENCE_RECONCILE_MONTH_END_FIGURES_H_
#define RINGFENCE_RECONCILE_MONTH_END_FIGURES_H_

// The figures the HTML month report draws (html_report.h) that depend on
// dates: each pot's position at every month end of the financial year so far
// (the chart) and at the month's end (the table), the unpaid invoices by age
// and the direct-payment balances then.
//
// Every figure is computed from the journal's first `tree_size` entries
// effective on or before the month end (RebuildViewsAt, as `report --as-of`
// does), so the page states one tree size and a later entry, back-dated or
// not, changes nothing on it. The month's figures read those views; an
// earlier month end's pot position is the month end's less the potnet/
// movements (views.h) of the entries dated after it, summed from one read
// of the journal's lines (potnet/ totals are sums of postings, so this
// equals a replay as of that day: tests/html_report_test.cc checks it
// against `report pots --as-of` for every month end).
//
// Cost: one replay of the first tree_size entries and one read of their
// lines (the body parsed only where it has postings); memory the views of
// the one replay plus a few amounts per pot and month.

#include <cstdint>
#include <functional>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/storage/ledger.h"
#include "reconcile/html_report.h"
#include "reconcile/table.h"

namespace rf {

struct MonthEndFigures {
  std::vector<HtmlPotPosition> pots;  // at the month's last day
  std::vector<HtmlPotChart> charts;   // month ends from April of the month's financial year
  Table aged_invoices;
  Table dp_balances;
};

// April 1 of the financial year `month` is in.
Month FinancialYearStart(const Month& month);

// Errors: RebuildViewsAt's; Tampered from a view that cannot be read.
Result<MonthEndFigures> MonthEndFiguresAt(const Journal& journal, const Month& month, uint64_t tree_size,
                                          const std::function<void(uint64_t, uint64_t)>& progress = {});

// The direct-payment budgets approved by `as_of`: the balance held then, the
// weekly funding (amount pro rata over the budget's days, as DP_SURPLUS
// computes it), the weeks of funding held (one decimal, rounded down) and the
// DP_SURPLUS threshold (dp_surplus.weeks). Reads bal/dp: and the budget
// records of `views` (views as of `as_of`).
Result<Table> DpBalancesTable(const ViewSource& views, Date as_of);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MONTH_END_FIGURES_H_
