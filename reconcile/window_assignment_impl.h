#ifndef RINGFENCE_RECONCILE_WINDOW_ASSIGNMENT_IMPL_H_
#define RINGFENCE_RECONCILE_WINDOW_ASSIGNMENT_IMPL_H_

// The template body of window_assignment.h; include that header instead.

#include <algorithm>
#include <cassert>

namespace rf {

template <typename WindowEnd>
WindowOutcome AssignWithinWindow(const std::vector<WindowItem>& payments, const std::vector<WindowItem>& lines,
                                 WindowEnd&& window_end) {
  const auto n_pay = static_cast<uint32_t>(payments.size());
  const auto n_line = static_cast<uint32_t>(lines.size());
  WindowOutcome out;
  out.line_candidates.resize(n_line);
  // Candidate ranges: payments dated on or before the line (a prefix), and
  // whose window reaches it (a suffix, as window_end is nondecreasing).
  uint32_t lo = 0, hi = 0;
  for (uint32_t l = 0; l < n_line; ++l) {
    assert(l == 0 || lines[l - 1].date <= lines[l].date);
    while (hi < n_pay && payments[hi].date <= lines[l].date) {
      assert(hi == 0 || payments[hi - 1].date <= payments[hi].date);
      ++hi;
    }
    while (lo < hi && window_end(payments[lo].date) < lines[l].date) ++lo;
    out.line_candidates[l] = {lo, std::max(lo, hi)};
  }
  // Groups: consecutive lines whose candidate ranges overlap.
  uint32_t l = 0;
  while (l < n_line) {
    const auto [first_lo, first_hi] = out.line_candidates[l];
    if (first_lo == first_hi) {
      ++l;  // no candidate: the caller explains it
      continue;
    }
    WindowGroup g{l, l + 1, first_lo, first_hi};
    while (g.lines_end < n_line) {
      const auto [next_lo, next_hi] = out.line_candidates[g.lines_end];
      if (next_lo == next_hi || next_lo >= g.payments_end) break;
      g.payments_end = std::max(g.payments_end, next_hi);
      ++g.lines_end;
    }
    const uint32_t group_lines = g.lines_end - g.lines_begin;
    const uint32_t group_payments = g.payments_end - g.payments_begin;
    bool in_order = group_lines == group_payments;
    for (uint32_t k = 0; in_order && k < group_lines; ++k) {
      const auto [cand_lo, cand_hi] = out.line_candidates[g.lines_begin + k];
      const uint32_t p = g.payments_begin + k;
      in_order = cand_lo <= p && p < cand_hi;
    }
    if (in_order) {
      for (uint32_t k = 0; k < group_lines; ++k) out.pairs.emplace_back(g.payments_begin + k, g.lines_begin + k);
    } else {
      out.ambiguous.push_back(g);
    }
    l = g.lines_end;
  }
  assert(out.pairs.size() <= std::min(n_pay, n_line));
  return out;
}

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_WINDOW_ASSIGNMENT_IMPL_H_
