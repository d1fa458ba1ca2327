#ifndef RINGFENCE_RECONCILE_MATCH_INTERNAL_H_
#define RINGFENCE_RECONCILE_MATCH_INTERNAL_H_

// The matcher's working state, shared by match.cc (the tiers) and
// match_explain.cc (reasons for what is left). Not part of the API.

#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "reconcile/business_days.h"
#include "reconcile/match.h"

namespace rf::match_internal {

// A line or payment is open until it is matched or given a verdict; a note
// is a reason kept for it should it end unmatched.
struct Verdict {
  bool set = false;
  UnmatchedCode code = UnmatchedCode::kNoCandidate;
  std::string reason;
  std::vector<std::string> related;
};

struct Line {
  const BankLineIn* in = nullptr;
  int64_t out_pence = 0;    // paid out: -amount
  std::string_view payee;  // normalised (State::Payee)
  bool matched = false;
  Verdict verdict, note;
  bool open() const { return !matched && !verdict.set; }
};

struct Pay {
  const PaymentIn* in = nullptr;
  int64_t pence = 0;
  std::string_view payee;  // normalised (State::Payee)
  uint32_t run = kNoRun;
  bool matched = false;
  const BankLineIn* matched_by = nullptr;  // the line, once matched
  Verdict verdict, note;
  bool open() const { return !matched && !verdict.set; }
  static constexpr uint32_t kNoRun = std::numeric_limits<uint32_t>::max();
};

struct Run {
  const RunIn* in = nullptr;
  int64_t total = 0;
  std::vector<uint32_t> payments;  // by payment id
  bool eligible = false, matched = false;
};

struct State {
  const MatchOptions* options = nullptr;
  const ClosedIds* closed = nullptr;  // payments and run ids each sorted by id
  std::vector<Line> lines;  // by line id
  std::vector<Pay> pays;    // by payment id
  std::vector<Run> runs;    // by run id
  std::vector<ProposedMatch> matches;  // in the order made
  std::vector<uint32_t> match_lines;   // each match's line (index into lines)
  std::vector<PayeeMismatch> mismatches;
  // Payee references that normalising changed; most are stored normalised
  // already and are viewed in place (in the caller's BankLineIn/PaymentIn).
  std::deque<std::string> normalised_payees;

  // `ref` normalised (NormalisePayee), viewing `ref` itself when it already
  // is, else a copy kept in normalised_payees. REQUIRES: `ref` outlives the
  // state.
  std::string_view Payee(std::string_view ref);

  // The closed payment whose id (its end-to-end id) is `id`; nullptr if none.
  const ClosedPaymentIn* ClosedPayment(std::string_view id) const;
  bool IsClosedRun(std::string_view run_id) const;

  Date WindowEnd(Date d) const { return AddBusinessDays(d, options->window_business_days); }
  bool InWindow(Date from, Date booked) const { return from <= booked && booked <= WindowEnd(from); }
};

// One bucket member: sorted by (payee, pence, date, rank), rank being the
// position in id order, so a bucket is a contiguous, date-sorted range.
struct Keyed {
  std::string_view payee;
  int64_t pence = 0;
  Date date;
  uint32_t rank = 0;
  friend bool operator<(const Keyed& a, const Keyed& b) {
    return std::tie(a.payee, a.pence, a.date, a.rank) < std::tie(b.payee, b.pence, b.date, b.rank);
  }
  bool SameBucket(const Keyed& o) const { return payee == o.payee && pence == o.pence; }
};

// A payee reference as compared: spaces removed, letters upper-cased.
std::string NormalisePayee(std::string_view ref);
// `amount` as int64 pence the matcher may negate and subtract.
// Errors: InvalidInput naming `what` when it is beyond that.
Result<int64_t> ToMatchPence(const Pence& amount, std::string_view what);

// Records why an item is left (or a note kept for it). REQUIRES: !v.set.
void SetVerdict(Verdict& v, UnmatchedCode code, std::string reason, std::vector<std::string> related = {});

// Records a match. REQUIRES: both open, amounts equal, not before the
// payment's (run's) date (asserted); a run eligible and unmatched.
void MatchPayment(State& s, uint32_t l, uint32_t p, MatchRule rule);
void MatchRun(State& s, uint32_t l, uint32_t r);

// The tiers, in the contract's order (match.h); each leaves what it cannot
// decide open for the next, or gives it a verdict.
void MatchByEndToEndId(State& s);          // (a)            match.cc
void FindEligibleRuns(State& s);           // before (b)     match.cc
void MatchBatchById(State& s);             // (b) by id      match.cc
void MatchBatchByAmountAndDate(State& s);  // (b) by window  match_window.cc
void MatchByAmountPayeeDate(State& s);     // (c)            match_window.cc

// Gives every line and payment still open a verdict: the nearest miss
// (outside the window, another amount, another payee) or none at all.
void ExplainLeftovers(State& s);

}  // namespace rf::match_internal

#endif  // RINGFENCE_RECONCILE_MATCH_INTERNAL_H_
