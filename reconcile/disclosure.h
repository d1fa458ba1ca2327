#ifndef RINGFENCE_RECONCILE_DISCLOSURE_H_
#define RINGFENCE_RECONCILE_DISCLOSURE_H_

// Statistical disclosure control for counts of people (PRODUCT.md "Equality
// and provider diversity"): which published figures must be hidden so that
// no small count is shown, and none can be worked out from what is shown.
//
// The model. A report's counts are sums over one vector of interior cells
// (non-negative integers: the finest cross-classification, e.g. ethnic group
// x age band x on-DP x flagged). Every figure a report shows, or that a
// reader can compute from what it shows (a complement such as "not on DP" =
// people - on DP), is a `DisclosureFigure`: the set of cells it sums. Tables,
// their row/column totals, subtotals and grand totals, and every breakdown
// published in the same report are all figures over the same cells, so
// differencing across tables is covered.
//
// The rules:
//  - primary: a shown figure from 1 to threshold-1 is suppressed (`<5`);
//    zero is shown (a zero is not disclosive; the suppressor assumes the
//    reader knows every zero cell, which is stronger than what is shown).
//  - protected: every suppressed figure, and every hidden figure or cell
//    from 1 to threshold-1, must not be derivable: its 0/1 vector may not
//    lie in the row space of the shown figures plus the unit vectors of the
//    zero cells (exact integer Gaussian elimination).
//  - secondary: while a protected figure is derivable, one more shown
//    figure is suppressed, chosen in this preference order (first wins):
//      1. a suppression that on its own makes the target underivable,
//         over one that does not;
//      2. the figure sharing the tightest total with the target (the fewest
//         cells of the smallest shown figure containing both: same row or
//         column before the grand total);
//      3. an interior figure (one cell) before a total;
//      4. a count of at least 2 * threshold - 1 before a smaller one: a
//         "[c]" (so at least threshold) beside a "<5" in a total of 6
//         would pin both (1 and 5); with 9 or more the small one stays 1..4;
//      5. the smallest count;
//      6. the lowest index.
//    Zero figures are never chosen (their cells are known anyway).
// Linear derivation is the contract; bounds a reader gets from
// non-negativity or from the labels (an interval, not a value) beyond zero
// cells and rule 4 are not modelled.
//
// Pure: no I/O. Bounded: at most kDisclosureCellsMax cells and
// kDisclosureFiguresMax figures; elimination is O(figures * cells * rank)
// per step, at most one step per figure.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/status.h"

namespace rf {

inline constexpr size_t kDisclosureCellsMax = 4096;
inline constexpr size_t kDisclosureFiguresMax = 8192;
inline constexpr uint64_t kDisclosureThresholdDefault = 5;

struct DisclosureFigure {
  std::vector<uint32_t> cells;  // interior cells summed: distinct, each < cell count
  bool shown = true;            // false: not displayed, but a reader can derive it (protected when small)
};

struct DisclosureProblem {
  std::vector<uint64_t> cell_counts;  // the interior cells
  std::vector<DisclosureFigure> figures;
  uint64_t threshold = kDisclosureThresholdDefault;  // counts 1..threshold-1 are suppressed
};

enum class FigureStatus {
  kShown,       // published
  kPrimary,     // 1..threshold-1: shown as "<threshold"
  kSecondary,   // hidden so a primary (or another hidden figure) cannot be derived
  kNotShown,    // a hidden figure (shown == false)
};

struct DisclosureResult {
  std::vector<FigureStatus> status;  // one per figure
  std::vector<uint64_t> values;      // each figure's count (for the caller's display)
  size_t primary = 0, secondary = 0;
};

// Errors: InvalidInput when the bounds are exceeded, a cell index is out of
// range or repeated in a figure, or threshold is 0.
Result<DisclosureResult> SuppressFigures(const DisclosureProblem& problem);

// True when `target` (a 0/1 vector given as its cells) lies in the span of
// `published` (each a 0/1 vector given as its cells) over the rationals.
// Exact. REQUIRES: every index < cells.
bool InRowSpace(size_t cells, const std::vector<std::vector<uint32_t>>& published,
                const std::vector<uint32_t>& target);

// The text of a suppressed figure: "<5" for primary, "[c]" for secondary.
std::string SuppressedText(FigureStatus status, uint64_t threshold);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_DISCLOSURE_H_
