// Tiers that match within a date window, each bucket one assignment
// (window_assignment.h): (b) a run's total by amount and date, and (c)
// amount, payee and date.

#include <algorithm>
#include <cassert>
#include <span>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "reconcile/match_internal.h"
#include "reconcile/match_text.h"
#include "reconcile/window_assignment.h"

namespace rf::match_internal {
namespace {

// Calls fn(payments, lines) for every bucket that holds both, as spans of
// the sorted vectors. Linear in their sizes.
template <typename Fn>
void ForEachBucket(const std::vector<Keyed>& pays, const std::vector<Keyed>& lines, Fn&& fn) {
  assert(std::is_sorted(pays.begin(), pays.end()) && std::is_sorted(lines.begin(), lines.end()));
  size_t p = 0, l = 0;
  while (p < pays.size() && l < lines.size()) {
    const auto pk = std::tie(pays[p].payee, pays[p].pence);
    const auto lk = std::tie(lines[l].payee, lines[l].pence);
    if (pk < lk) {
      ++p;
    } else if (lk < pk) {
      ++l;
    } else {
      size_t p_end = p, l_end = l;
      while (p_end < pays.size() && pays[p_end].SameBucket(pays[p])) ++p_end;
      while (l_end < lines.size() && lines[l_end].SameBucket(lines[l])) ++l_end;
      fn(std::span<const Keyed>(pays.data() + p, p_end - p), std::span<const Keyed>(lines.data() + l, l_end - l));
      p = p_end;
      l = l_end;
    }
  }
}

// Runs the window assignment on one bucket; calls on_pair(pay rank, line
// rank) and on_ambiguous(line ranks, pay ranks, outcome, group).
template <typename OnPair, typename OnAmbiguous>
void AssignBucket(const State& s, std::span<const Keyed> pays, std::span<const Keyed> lines, OnPair&& on_pair,
                  OnAmbiguous&& on_ambiguous) {
  std::vector<WindowItem> wp, wl;
  wp.reserve(pays.size());
  wl.reserve(lines.size());
  for (const Keyed& k : pays) wp.push_back({k.date, k.rank});
  for (const Keyed& k : lines) wl.push_back({k.date, k.rank});
  WindowOutcome outcome = AssignWithinWindow(wp, wl, [&](Date d) { return s.WindowEnd(d); });
  for (const auto& [p, l] : outcome.pairs) on_pair(wp[p].index, wl[l].index);
  for (const WindowGroup& g : outcome.ambiguous) on_ambiguous(wp, wl, outcome, g);
}

// Ids of the payment-side items [first, second) of a candidate range.
template <typename IdOf>
std::vector<std::string> IdsOfRange(const std::vector<WindowItem>& items, std::pair<uint32_t, uint32_t> range,
                                    IdOf&& id_of, size_t* count) {
  *count = range.second - range.first;
  std::vector<std::string> ids;
  for (uint32_t i = range.first; i < range.second && ids.size() < kMatchIdsListedMax; ++i) {
    ids.push_back(id_of(items[i].index));
  }
  return ids;
}

// The lines of group g whose candidate range holds payment position p: a
// contiguous range, as both ends of the ranges are nondecreasing.
std::pair<uint32_t, uint32_t> LinesOfPayment(const WindowOutcome& o, const WindowGroup& g, uint32_t p) {
  const auto* first = o.line_candidates.data();
  auto lo = std::partition_point(first + g.lines_begin, first + g.lines_end,
                                 [&](const std::pair<uint32_t, uint32_t>& c) { return c.second <= p; });
  auto hi = std::partition_point(lo, first + g.lines_end,
                                 [&](const std::pair<uint32_t, uint32_t>& c) { return c.first <= p; });
  return {static_cast<uint32_t>(lo - first), static_cast<uint32_t>(hi - first)};
}

}  // namespace

void MatchBatchByAmountAndDate(State& s) {
  std::vector<Keyed> runs, lines;
  for (uint32_t r = 0; r < s.runs.size(); ++r) {
    if (s.runs[r].eligible && !s.runs[r].matched) runs.push_back({"", s.runs[r].total, s.runs[r].in->run_date, r});
  }
  if (runs.empty()) return;  // no run left to match: nothing below would change
  std::unordered_set<std::string_view> our_payees, run_ids;
  our_payees.reserve(s.pays.size());
  run_ids.reserve(s.runs.size());
  for (const Pay& pay : s.pays) our_payees.insert(pay.payee);
  for (const Run& run : s.runs) run_ids.insert(run.in->run_id);
  for (uint32_t l = 0; l < s.lines.size(); ++l) {
    const Line& line = s.lines[l];
    // A batch id naming one of our runs was decided by id; another bank's
    // own batch reference is no id of ours.
    if (!line.open() || !line.in->end_to_end_id.empty() || run_ids.contains(line.in->batch_id) ||
        s.IsClosedRun(line.in->batch_id)) {
      continue;
    }
    if (!line.payee.empty() && our_payees.contains(line.payee)) continue;  // one payment: (c)
    lines.push_back({"", line.out_pence, line.in->booked_on, l});
  }
  std::sort(runs.begin(), runs.end());
  std::sort(lines.begin(), lines.end());
  auto run_id = [&](uint32_t r) { return s.runs[r].in->run_id; };
  ForEachBucket(runs, lines, [&](std::span<const Keyed> bucket_runs, std::span<const Keyed> bucket_lines) {
    AssignBucket(
        s, bucket_runs, bucket_lines, [&](uint32_t r, uint32_t l) { MatchRun(s, l, r); },
        [&](const std::vector<WindowItem>& wr, const std::vector<WindowItem>& wl, const WindowOutcome& o,
            const WindowGroup& g) {
          for (uint32_t k = g.lines_begin; k < g.lines_end; ++k) {
            size_t count = 0;
            auto ids = IdsOfRange(wr, o.line_candidates[k], run_id, &count);
            SetVerdict(s.lines[wl[k].index].verdict, UnmatchedCode::kAmbiguous,
                       text::AmbiguousRuns(ids, count, g.lines_end - g.lines_begin), ids);
          }
          for (uint32_t k = g.payments_begin; k < g.payments_end; ++k) {
            size_t count = 0;
            auto ids = IdsOfRange(
                wl, LinesOfPayment(o, g, k), [&](uint32_t l) { return s.lines[l].in->line_id; }, &count);
            for (uint32_t p : s.runs[wr[k].index].payments) {
              if (!s.pays[p].note.set) {
                SetVerdict(s.pays[p].note, UnmatchedCode::kAmbiguous, text::AmbiguousRunLines(ids, count), ids);
              }
            }
          }
        });
  });
}

// ---- (c) amount, payee and date ----

void MatchByAmountPayeeDate(State& s) {
  std::vector<Keyed> pays, lines;
  for (uint32_t p = 0; p < s.pays.size(); ++p) {
    if (s.pays[p].open() && s.pays[p].pence > 0)
      pays.push_back({s.pays[p].payee, s.pays[p].pence, s.pays[p].in->run_date, p});
  }
  for (uint32_t l = 0; l < s.lines.size(); ++l) {
    if (s.lines[l].open() && !s.lines[l].payee.empty()) {
      lines.push_back({s.lines[l].payee, s.lines[l].out_pence, s.lines[l].in->booked_on, l});
    }
  }
  std::sort(pays.begin(), pays.end());
  std::sort(lines.begin(), lines.end());
  auto pay_id = [&](uint32_t p) { return s.pays[p].in->payment_id; };
  auto line_id = [&](uint32_t l) { return s.lines[l].in->line_id; };
  ForEachBucket(pays, lines, [&](std::span<const Keyed> bucket_pays, std::span<const Keyed> bucket_lines) {
    AssignBucket(
        s, bucket_pays, bucket_lines,
        [&](uint32_t p, uint32_t l) { MatchPayment(s, l, p, MatchRule::kAmountPayeeDate); },
        [&](const std::vector<WindowItem>& wp, const std::vector<WindowItem>& wl, const WindowOutcome& o,
            const WindowGroup& g) {
          const size_t group_lines = g.lines_end - g.lines_begin;
          const size_t group_pays = g.payments_end - g.payments_begin;
          for (uint32_t k = g.lines_begin; k < g.lines_end; ++k) {
            size_t count = 0;
            auto ids = IdsOfRange(wp, o.line_candidates[k], pay_id, &count);
            SetVerdict(s.lines[wl[k].index].verdict, UnmatchedCode::kAmbiguous,
                       text::AmbiguousPayments(ids, count, group_lines, group_pays), ids);
          }
          for (uint32_t k = g.payments_begin; k < g.payments_end; ++k) {
            size_t count = 0;
            auto ids = IdsOfRange(wl, LinesOfPayment(o, g, k), line_id, &count);
            SetVerdict(s.pays[wp[k].index].verdict, UnmatchedCode::kAmbiguous,
                       text::AmbiguousLines(ids, count, group_lines, group_pays), ids);
          }
        });
  });
}

}  // namespace rf::match_internal
