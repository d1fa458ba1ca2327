#ifndef RINGFENCE_RECONCILE_WINDOW_ASSIGNMENT_H_
#define RINGFENCE_RECONCILE_WINDOW_ASSIGNMENT_H_

// One bucket of statement matching solved as an assignment: payments (or
// runs) that all agree with every line of the bucket on everything but the
// date (same amount, same payee), each accepting a line booked from its own
// date to `window_end(date)`. Pure: no I/O.
//
// The candidate graph is an interval graph: a line's candidates are a
// contiguous range of the date-sorted payments, and the ranges of
// date-sorted lines move forward monotonically. It splits into connected
// groups, each a contiguous run of lines and of payments. A group is
//   - matched when it has as many lines as payments and pairing them in
//     date order is valid. Then a perfect matching exists, the date-order
//     one is among them, it never swaps two payments, and every perfect
//     matching has the same total date distance (each pair's distance is
//     line date minus payment date, so the total is sum(lines) - sum(payments)).
//   - ambiguous otherwise (more lines than payments, or fewer): which item
//     is left over cannot be decided from amount, payee and date, so the
//     whole group is left for a person, nothing guessed.
// Cost: O(lines + payments) for sorted input.

#include <cstdint>
#include <utility>
#include <vector>

#include "ledger/core/date.h"

namespace rf {

struct WindowItem {
  Date date;
  uint32_t index = 0;  // the caller's index of the item
};

struct WindowGroup {
  // Ranges into the sorted inputs, half open.
  uint32_t lines_begin = 0, lines_end = 0;
  uint32_t payments_begin = 0, payments_end = 0;
};

struct WindowOutcome {
  // (payment position, line position) in the sorted inputs.
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  std::vector<WindowGroup> ambiguous;
  // For every line position: its candidate payment positions [first, second).
  std::vector<std::pair<uint32_t, uint32_t>> line_candidates;
};

// REQUIRES: payments and lines each sorted by (date, the caller's id
// order) (asserted by date); window_end nondecreasing and window_end(d) >= d.
template <typename WindowEnd>
WindowOutcome AssignWithinWindow(const std::vector<WindowItem>& payments, const std::vector<WindowItem>& lines,
                                 WindowEnd&& window_end);

}  // namespace rf

#include "reconcile/window_assignment_impl.h"

#endif  // RINGFENCE_RECONCILE_WINDOW_ASSIGNMENT_H_
