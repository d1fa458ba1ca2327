// Reasons for what the tiers left: the nearest miss a person can act on.

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <tuple>

#include "reconcile/match_internal.h"
#include "reconcile/match_text.h"

namespace rf::match_internal {
namespace {

// Near misses looked at per item: keeps a pathological month linear.
constexpr size_t kNearMissScanMax = 64;

// The member of bucket (payee, pence) in `sorted` nearest to `date`; ties go
// to the earlier date, then the lower rank. nullptr when the bucket is empty.
const Keyed* Nearest(const std::vector<Keyed>& sorted, std::string_view payee, int64_t pence, Date date) {
  const Keyed probe{payee, pence, date, 0};
  auto at = std::lower_bound(sorted.begin(), sorted.end(), probe);
  const Keyed* best = nullptr;
  if (at != sorted.begin()) {
    auto before = std::prev(at);
    // The latest member dated before `date`: the first of its date, so ties keep the lower rank.
    if (before->SameBucket(probe)) {
      const Date d = before->date;
      while (before != sorted.begin() && std::prev(before)->SameBucket(probe) && std::prev(before)->date == d) --before;
      best = &*before;
    }
  }
  if (at != sorted.end() && at->SameBucket(probe)) {
    if (best == nullptr || DaysBetween(date, at->date) < DaysBetween(best->date, date)) best = &*at;
  }
  return best;
}

// Calendar days before a booking that a window of `business_days` can reach.
int32_t LookbackDays(uint32_t business_days) { return static_cast<int32_t>(business_days) * 7 / 5 + 4; }

void ExplainPayments(State& s) {
  std::vector<Keyed> open_lines;
  for (uint32_t l = 0; l < s.lines.size(); ++l) {
    const Line& line = s.lines[l];
    if (line.open() && !line.payee.empty()) open_lines.push_back({line.payee, line.out_pence, line.in->booked_on, l});
  }
  std::sort(open_lines.begin(), open_lines.end());
  for (Pay& pay : s.pays) {
    if (!pay.open()) continue;
    const Date run_date = pay.in->run_date;
    const Date window_end = s.WindowEnd(run_date);
    if (pay.pence <= 0) {
      SetVerdict(pay.verdict, UnmatchedCode::kNoCandidate, text::PaymentNotPositive(pay.pence));
    } else if (pay.note.set) {
      pay.verdict = std::move(pay.note);
    } else if (const Keyed* near = Nearest(open_lines, pay.payee, pay.pence, run_date); near != nullptr) {
      assert(!s.InWindow(run_date, near->date));  // else (c) matched it or found it ambiguous
      const std::string& line_id = s.lines[near->rank].in->line_id;
      SetVerdict(pay.verdict, UnmatchedCode::kNoCandidate,
                 text::PaymentLineOutsideWindow(line_id, near->date, run_date, window_end), {line_id});
    } else {
      SetVerdict(pay.verdict, UnmatchedCode::kNoCandidate,
                 text::PaymentNoLine(pay.pence, pay.in->payee_ref, run_date, window_end));
    }
  }
}

void ExplainLines(State& s) {
  std::vector<Keyed> by_bucket, by_payee, by_amount;
  for (uint32_t p = 0; p < s.pays.size(); ++p) {
    const Pay& pay = s.pays[p];
    if (pay.matched) continue;
    by_bucket.push_back({pay.payee, pay.pence, pay.in->run_date, p});
    by_payee.push_back({pay.payee, 0, pay.in->run_date, p});
    by_amount.push_back({"", pay.pence, pay.in->run_date, p});
  }
  std::sort(by_bucket.begin(), by_bucket.end());
  std::sort(by_payee.begin(), by_payee.end());
  std::sort(by_amount.begin(), by_amount.end());
  const uint32_t window = s.options->window_business_days;
  for (Line& line : s.lines) {
    if (!line.open()) continue;
    if (line.note.set) {
      line.verdict = std::move(line.note);
      continue;
    }
    const Date booked = line.in->booked_on;
    const Date earliest = booked.AddDays(-LookbackDays(window));
    if (!line.payee.empty()) {
      if (const Keyed* near = Nearest(by_bucket, line.payee, line.out_pence, booked); near != nullptr) {
        const PaymentIn& pay = *s.pays[near->rank].in;
        if (s.InWindow(near->date, booked)) {
          // Held back by an earlier tier (claimed twice, or its run contested).
          SetVerdict(line.verdict, UnmatchedCode::kAmbiguous, text::LineCandidateHeld(pay.payment_id),
                     {pay.payment_id});
        } else {
          SetVerdict(line.verdict, UnmatchedCode::kNoCandidate,
                     text::LineOutsideWindow(pay.payment_id, pay.run_date, s.WindowEnd(pay.run_date), booked),
                     {pay.payment_id});
        }
        continue;
      }
      // Same payee within the window, nearest amount (then lowest id).
      const Keyed* best = nullptr;
      auto at = std::lower_bound(by_payee.begin(), by_payee.end(), Keyed{line.payee, 0, earliest, 0});
      for (size_t n = 0; at != by_payee.end() && at->payee == line.payee && at->date <= booked && n < kNearMissScanMax;
           ++at, ++n) {
        if (!s.InWindow(at->date, booked)) continue;
        const auto diff = [&](const Keyed* k) { return std::llabs(s.pays[k->rank].pence - line.out_pence); };
        if (best == nullptr || std::make_pair(diff(&*at), at->rank) < std::make_pair(diff(best), best->rank)) {
          best = &*at;
        }
      }
      if (best != nullptr) {
        const Pay& pay = s.pays[best->rank];
        SetVerdict(line.verdict, UnmatchedCode::kAmountDiffers,
                   text::LineAmountDiffers(pay.in->payment_id, pay.in->run_date, line.out_pence, pay.pence),
                   {pay.in->payment_id});
        continue;
      }
    }
    // Same amount within the window, another payee (lowest id).
    const Keyed* other = nullptr;
    auto at = std::lower_bound(by_amount.begin(), by_amount.end(), Keyed{"", line.out_pence, earliest, 0});
    for (size_t n = 0;
         at != by_amount.end() && at->pence == line.out_pence && at->date <= booked && n < kNearMissScanMax;
         ++at, ++n) {
      if (s.InWindow(at->date, booked) && (other == nullptr || at->rank < other->rank)) other = &*at;
    }
    if (other != nullptr) {
      const PaymentIn& pay = *s.pays[other->rank].in;
      SetVerdict(line.verdict, UnmatchedCode::kNoCandidate,
                 text::LineOtherPayee(pay.payment_id, pay.payee_ref, line.in->payee_ref), {pay.payment_id});
    } else if (line.payee.empty()) {
      SetVerdict(line.verdict, UnmatchedCode::kNoCandidate, text::LineNoPayeeNoRun(line.out_pence, window));
    } else {
      SetVerdict(line.verdict, UnmatchedCode::kNoCandidate,
                 text::LineNoPayment(line.out_pence, line.in->payee_ref, window));
    }
  }
}

}  // namespace

void ExplainLeftovers(State& s) {
  ExplainPayments(s);  // first: it reads which lines are still open
  ExplainLines(s);
  for (const Line& line : s.lines) assert(line.matched != line.verdict.set);
  for (const Pay& pay : s.pays) assert(pay.matched != pay.verdict.set);
}

}  // namespace rf::match_internal
