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
//
// MonthEndFiguresFromViews gives the same figures without the replay
// (issue 17: memory bounded by what the month reads, not by the journal's
// length), from the live views served as of the month end: dp:, spent: and
// pot: balances and settings as MonthEndViews serves them; potnet/ as the
// live totals less the pots' movements dated after the month end (the same
// read of the lines, one bucket more); pots, budgets and invoices as they
// stood then, from the dates their records keep (funded_on, approved_on,
// received_on; an invoice's approval, rejection, and the runs, cancellations
// and returns of its payments). Memory: a few amounts per pot and month, the
// budget-to-pot map (one pair per budget), one balance per dp: account, and
// the page's tables.

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

// The same figures from `live`, the views of exactly the journal's first
// tree_size entries (one snapshot at that size: ReadViewsAtSize), with no
// replay; equal to MonthEndFiguresAt (tests/html_report_test.cc checks it
// over random ledgers with entries dated after the month end).
// Errors: Tampered from a view or an entry line that cannot be read.
Result<MonthEndFigures> MonthEndFiguresFromViews(const Journal& journal, const ViewSource& live, const Month& month,
                                                 uint64_t tree_size);

// The direct-payment budgets approved by `as_of`: the balance held then, the
// weekly funding (amount pro rata over the budget's days, as DP_SURPLUS
// computes it), the weeks of funding held (one decimal, rounded down) and the
// DP_SURPLUS threshold (dp_surplus.weeks). Reads bal/dp: and the budget
// records of `views` (views as of `as_of`).
Result<Table> DpBalancesTable(const ViewSource& views, Date as_of);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MONTH_END_FIGURES_H_
