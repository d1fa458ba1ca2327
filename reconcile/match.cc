#include "reconcile/match.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "reconcile/business_days.h"
#include "reconcile/match_internal.h"
#include "reconcile/match_text.h"

namespace rf {

std::string_view ToString(MatchRule rule) {
  switch (rule) {
    case MatchRule::kEndToEndId:
      return "end_to_end_id";
    case MatchRule::kBatch:
      return "batch";
    case MatchRule::kAmountPayeeDate:
      return "amount_payee_date";
  }
  return "?";
}

std::string_view ToString(UnmatchedCode code) {
  switch (code) {
    case UnmatchedCode::kInflow:
      return "inflow";
    case UnmatchedCode::kNoCandidate:
      return "no_candidate";
    case UnmatchedCode::kAmbiguous:
      return "ambiguous";
    case UnmatchedCode::kAmountDiffers:
      return "amount_differs";
    case UnmatchedCode::kPayeeDiffers:
      return "payee_differs";
    case UnmatchedCode::kNoPayee:
      return "no_payee";
    case UnmatchedCode::kUnknownEndToEndId:
      return "unknown_end_to_end_id";
    case UnmatchedCode::kBeforeRunDate:
      return "before_run_date";
    case UnmatchedCode::kRepeated:
      return "repeated";
  }
  return "?";
}

namespace match_internal {

std::string NormalisePayee(std::string_view ref) {
  std::string out;
  out.reserve(ref.size());
  for (char c : ref) {
    if (c == ' ') continue;
    out.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

std::string_view State::Payee(std::string_view ref) {
  const bool normal = std::none_of(ref.begin(), ref.end(), [](char c) { return c == ' ' || (c >= 'a' && c <= 'z'); });
  if (normal) return ref;
  return normalised_payees.emplace_back(NormalisePayee(ref));
}

// Amounts the matcher compares as int64 pence: far beyond any parsed amount
// (kParsedPenceMagnitudeMax), and safe to negate and subtract.
constexpr int64_t kMatchPenceMagnitudeMax = int64_t{1} << 60;

Result<int64_t> ToMatchPence(const Pence& amount, std::string_view what) {
  auto pence = amount.ToInt64();
  if (!pence.ok() || std::llabs(*pence) > kMatchPenceMagnitudeMax) {
    return Status::InvalidInput(std::string(what) + ": amount " + amount.ToPounds() + " is out of range");
  }
  return *pence;
}

const ClosedPaymentIn* State::ClosedPayment(std::string_view id) const {
  const auto& all = closed->payments;
  auto it = std::lower_bound(all.begin(), all.end(), id,
                             [](const ClosedPaymentIn& p, std::string_view key) { return p.payment_id < key; });
  return it != all.end() && it->payment_id == id ? &*it : nullptr;
}

bool State::IsClosedRun(std::string_view run_id) const {
  return !run_id.empty() && std::binary_search(closed->run_ids.begin(), closed->run_ids.end(), run_id);
}

void SetVerdict(Verdict& v, UnmatchedCode code, std::string reason, std::vector<std::string> related) {
  assert(!v.set);
  v.set = true;
  v.code = code;
  v.reason = std::move(reason);
  std::sort(related.begin(), related.end());
  if (related.size() > kMatchIdsListedMax) related.resize(kMatchIdsListedMax);
  v.related = std::move(related);
}

void MatchPayment(State& s, uint32_t l, uint32_t p, MatchRule rule) {
  Line& line = s.lines[l];
  Pay& pay = s.pays[p];
  assert(line.open() && pay.open());
  assert(line.out_pence == pay.pence && pay.in->run_date <= line.in->booked_on);
  line.matched = pay.matched = true;
  pay.matched_by = line.in;
  s.matches.push_back(
      {line.in->line_id, rule, pay.in->payment_id, "", {}, line.in->booked_on, Pence::FromPence(pay.pence)});
  s.match_lines.push_back(l);
}

void MatchRun(State& s, uint32_t l, uint32_t r) {
  Line& line = s.lines[l];
  Run& run = s.runs[r];
  assert(line.open() && run.eligible && !run.matched);
  assert(line.out_pence == run.total && run.in->run_date <= line.in->booked_on);
  line.matched = run.matched = true;
  ProposedMatch m{line.in->line_id,   MatchRule::kBatch,          "", run.in->run_id, {},
                  line.in->booked_on, Pence::FromPence(run.total)};
  for (uint32_t p : run.payments) {
    assert(s.pays[p].open());
    s.pays[p].matched = true;
    s.pays[p].matched_by = line.in;
    m.run_payment_ids.push_back(s.pays[p].in->payment_id);
  }
  s.matches.push_back(std::move(m));
  s.match_lines.push_back(l);
}

// ---- (a) end-to-end id ----

void MatchByEndToEndId(State& s) {
  // (end-to-end id, payment) sorted: the payments carrying an id are one
  // range, in payment id order. One vector, no map of vectors; already
  // sorted when every end-to-end id is its payment id (ours are).
  std::vector<std::pair<std::string_view, uint32_t>> by_id;
  by_id.reserve(s.pays.size());
  for (uint32_t p = 0; p < s.pays.size(); ++p) {
    if (!s.pays[p].in->end_to_end_id.empty()) by_id.emplace_back(s.pays[p].in->end_to_end_id, p);
  }
  if (!std::is_sorted(by_id.begin(), by_id.end())) std::sort(by_id.begin(), by_id.end());
  const auto id_less = [](const std::pair<std::string_view, uint32_t>& a, std::string_view id) { return a.first < id; };
  // (payment, line) for each line confirming one payment, in line order.
  std::vector<std::pair<uint32_t, uint32_t>> claims;
  std::vector<uint32_t> confirmed;
  for (uint32_t l = 0; l < s.lines.size(); ++l) {
    Line& line = s.lines[l];
    const std::string& id = line.in->end_to_end_id;
    if (!line.open() || id.empty()) continue;
    const auto begin = std::lower_bound(by_id.begin(), by_id.end(), std::string_view(id), id_less);
    auto end = begin;
    while (end != by_id.end() && end->first == id) ++end;
    if (begin == end) {
      const ClosedPaymentIn* closed = s.ClosedPayment(id);
      if (closed == nullptr) {
        SetVerdict(line.verdict, UnmatchedCode::kUnknownEndToEndId, text::UnknownEndToEndId(id));
      } else {
        const bool payee_differs = line.payee != s.Payee(closed->payee_ref);
        SetVerdict(line.verdict, UnmatchedCode::kUnknownEndToEndId,
                   text::ClosedEndToEndId(*closed, line.out_pence, line.in->payee_ref, payee_differs),
                   {closed->payment_id});
      }
      continue;
    }
    confirmed.clear();
    for (auto it = begin; it != end; ++it) {
      const uint32_t p = it->second;
      if (s.pays[p].pence == line.out_pence && !line.payee.empty() && s.pays[p].payee == line.payee &&
          s.pays[p].in->run_date <= line.in->booked_on) {
        confirmed.push_back(p);
      }
    }
    if (confirmed.size() == 1) {
      claims.emplace_back(confirmed[0], l);
      continue;
    }
    if (confirmed.size() > 1) {
      std::vector<std::string> ids;
      ids.reserve(confirmed.size());
      for (uint32_t p : confirmed) ids.push_back(s.pays[p].in->payment_id);
      SetVerdict(line.verdict, UnmatchedCode::kAmbiguous, text::EndToEndIdOnPayments(id, ids), ids);
      continue;
    }
    // Not confirmed: explained against the first payment carrying the id.
    Pay& pay = s.pays[begin->second];
    const std::string& pid = pay.in->payment_id;
    if (pay.pence != line.out_pence) {
      SetVerdict(line.verdict, UnmatchedCode::kAmountDiffers,
                 text::EndToEndAmountDiffers(pid, line.out_pence, pay.pence), {pid});
      if (!pay.note.set) {
        SetVerdict(pay.note, UnmatchedCode::kAmountDiffers,
                   text::PaymentNamedAmountDiffers(line.in->line_id, line.out_pence, pay.pence), {line.in->line_id});
      }
    } else if (line.payee.empty()) {
      SetVerdict(line.verdict, UnmatchedCode::kNoPayee, text::EndToEndNoPayee(pid), {pid});
    } else if (pay.payee != line.payee) {
      SetVerdict(line.verdict, UnmatchedCode::kPayeeDiffers,
                 text::EndToEndPayeeDiffers(pid, line.in->payee_ref, pay.in->payee_ref), {pid});
      s.mismatches.push_back(
          {line.in->line_id, pid, line.in->payee_ref, pay.in->payee_ref, Pence::FromPence(pay.pence)});
      if (!pay.note.set) {
        SetVerdict(pay.note, UnmatchedCode::kPayeeDiffers,
                   text::PaymentNamedPayeeDiffers(line.in->line_id, line.in->payee_ref), {line.in->line_id});
      }
    } else {
      SetVerdict(line.verdict, UnmatchedCode::kBeforeRunDate,
                 text::BeforeRunDate("payment " + pid, pay.in->run_date, line.in->booked_on), {pid});
    }
  }
  // By payment, then line (each payment's claims in line order).
  std::sort(claims.begin(), claims.end());
  for (size_t i = 0; i < claims.size();) {
    const uint32_t p = claims[i].first;
    size_t j = i + 1;
    while (j < claims.size() && claims[j].first == p) ++j;
    if (j - i == 1) {
      MatchPayment(s, claims[i].second, p, MatchRule::kEndToEndId);
    } else {
      std::vector<std::string> line_ids;
      for (size_t k = i; k < j; ++k) line_ids.push_back(s.lines[claims[k].second].in->line_id);
      const std::string& pid = s.pays[p].in->payment_id;
      for (size_t k = i; k < j; ++k) {
        std::vector<std::string> related = line_ids;
        related.push_back(pid);
        SetVerdict(s.lines[claims[k].second].verdict, UnmatchedCode::kRepeated,
                   text::LineRepeated("payment " + pid, line_ids), std::move(related));
      }
      SetVerdict(s.pays[p].verdict, UnmatchedCode::kRepeated, text::ConfirmedByLines("its end-to-end id", line_ids),
                 line_ids);
    }
    i = j;
  }
}

// ---- (b) batch ----

void FindEligibleRuns(State& s) {
  if (s.runs.empty()) return;
  std::unordered_map<std::string_view, uint32_t> run_of_id;
  run_of_id.reserve(s.runs.size());
  for (uint32_t r = 0; r < s.runs.size(); ++r) run_of_id.emplace(s.runs[r].in->run_id, r);
  for (uint32_t p = 0; p < s.pays.size(); ++p) {
    auto found = run_of_id.find(s.pays[p].in->run_id);
    if (found == run_of_id.end()) continue;
    s.pays[p].run = found->second;
    s.runs[found->second].payments.push_back(p);
  }
  for (Run& run : s.runs) {
    int64_t sum = 0;
    bool all_open = true, overflow = false;
    for (uint32_t p : run.payments) {
      overflow = overflow || __builtin_add_overflow(sum, s.pays[p].pence, &sum);
      all_open = all_open && s.pays[p].open();
    }
    all_open = all_open && !overflow;
    run.eligible = all_open && run.total > 0 && run.payments.size() == run.in->payment_count && sum == run.total;
  }
}

void MatchBatchById(State& s) {
  if (s.runs.empty()) return;
  std::unordered_map<std::string_view, uint32_t> run_of_id;
  run_of_id.reserve(s.runs.size());
  for (uint32_t r = 0; r < s.runs.size(); ++r) run_of_id.emplace(s.runs[r].in->run_id, r);
  std::vector<std::vector<uint32_t>> claims(s.runs.size());
  for (uint32_t l = 0; l < s.lines.size(); ++l) {
    Line& line = s.lines[l];
    if (!line.open() || line.in->batch_id.empty()) continue;
    auto found = run_of_id.find(line.in->batch_id);
    if (found == run_of_id.end()) {
      // One of our runs no payment of which is open: as a run not all open.
      if (s.IsClosedRun(line.in->batch_id)) {
        SetVerdict(line.note, UnmatchedCode::kNoCandidate, text::BatchRunNotOpen(line.in->batch_id),
                   {line.in->batch_id});
      }
      continue;  // else a batch id not ours: amount, payee and date decide
    }
    const Run& run = s.runs[found->second];
    // A line of one transfer in our batch may carry the batch id too, so a
    // line that is not the run's total goes on to (c), keeping the note.
    if (!run.eligible) {
      SetVerdict(line.note, UnmatchedCode::kNoCandidate, text::BatchRunNotOpen(run.in->run_id), {run.in->run_id});
    } else if (run.total != line.out_pence) {
      SetVerdict(line.note, UnmatchedCode::kAmountDiffers,
                 text::BatchTotalDiffers(run.in->run_id, run.payments.size(), line.out_pence, run.total),
                 {run.in->run_id});
    } else if (line.in->booked_on < run.in->run_date) {
      SetVerdict(line.verdict, UnmatchedCode::kBeforeRunDate,
                 text::BeforeRunDate("payment run " + run.in->run_id, run.in->run_date, line.in->booked_on),
                 {run.in->run_id});
    } else {
      claims[found->second].push_back(l);
    }
  }
  for (uint32_t r = 0; r < s.runs.size(); ++r) {
    if (claims[r].size() == 1) {
      MatchRun(s, claims[r][0], r);
    } else if (claims[r].size() > 1) {
      std::vector<std::string> line_ids;
      for (uint32_t l : claims[r]) line_ids.push_back(s.lines[l].in->line_id);
      const std::string& rid = s.runs[r].in->run_id;
      for (uint32_t l : claims[r]) {
        std::vector<std::string> related = line_ids;
        related.push_back(rid);
        SetVerdict(s.lines[l].verdict, UnmatchedCode::kRepeated, text::LineRepeated("payment run " + rid, line_ids),
                   std::move(related));
      }
      s.runs[r].eligible = false;
      for (uint32_t p : s.runs[r].payments) {
        SetVerdict(s.pays[p].verdict, UnmatchedCode::kRepeated,
                   text::ConfirmedByLines("its run's batch id (" + rid + ")", line_ids), line_ids);
      }
    }
  }
}

}  // namespace match_internal
}  // namespace rf

namespace rf {
namespace {

// One pass: its result, and which inputs it took (by input position).
struct OnePass {
  MatchResult result;
  std::vector<const BankLineIn*> settled_by;  // per payment: the line matched to it, or nullptr
  std::vector<bool> line_taken;               // per line
};

// `closed` sorted by id, each id once and none also among the open inputs
// (`pay_order`, `run_order`, sorted by id).
Status CheckClosed(const ClosedIds& closed, const std::vector<const PaymentIn*>& pay_order,
                   const std::vector<const RunIn*>& run_order) {
  for (size_t i = 0; i < closed.payments.size(); ++i) {
    const std::string& id = closed.payments[i].payment_id;
    auto it = std::lower_bound(pay_order.begin(), pay_order.end(), id,
                               [](const PaymentIn* p, const std::string& key) { return p->payment_id < key; });
    const bool open = it != pay_order.end() && (*it)->payment_id == id;
    if (id.empty() || (i > 0 && !(closed.payments[i - 1].payment_id < id)) || open) {
      return Status::InvalidInput("closed payment " + id + ": empty, given twice, or also unsettled");
    }
  }
  for (size_t i = 0; i < closed.run_ids.size(); ++i) {
    const std::string& id = closed.run_ids[i];
    auto it = std::lower_bound(run_order.begin(), run_order.end(), id,
                               [](const RunIn* r, const std::string& key) { return r->run_id < key; });
    const bool open = it != run_order.end() && (*it)->run_id == id;
    if (id.empty() || (i > 0 && !(closed.run_ids[i - 1] < id)) || open) {
      return Status::InvalidInput("closed payment run " + id + ": empty, given twice, or also open");
    }
  }
  return Status::Ok();
}

// One pass of the tiers over the inputs (the header's order). REQUIRES:
// `closed` sorted by id (CheckClosed says whether it is well formed).
Result<OnePass> MatchOnce(const std::vector<BankLineIn>& lines, const std::vector<PaymentIn>& unsettled,
                          const std::vector<RunIn>& runs, const MatchOptions& options, const ClosedIds& closed) {
  using namespace match_internal;  // NOLINT(google-build-using-namespace): this file's own internals
  if (options.window_business_days > kBusinessDaysWindowMax) {
    return Status::InvalidInput("match window: at most " + std::to_string(kBusinessDaysWindowMax) +
                                " business days, not " + std::to_string(options.window_business_days));
  }
  if (lines.size() > kMatchLinesMax || unsettled.size() > kMatchPaymentsMax || runs.size() > kMatchRunsMax) {
    return Status::InvalidInput("match: more bank lines, payments or runs than one month can hold (" +
                                std::to_string(kMatchLinesMax) + ", " + std::to_string(kMatchPaymentsMax) + ", " +
                                std::to_string(kMatchRunsMax) + ")");
  }
  State s;
  s.options = &options;
  s.closed = &closed;
  // Inputs sorted by id, so nothing below depends on their order.
  std::vector<const BankLineIn*> line_order;
  line_order.reserve(lines.size());
  for (const BankLineIn& line : lines) line_order.push_back(&line);
  const auto line_less = [](auto* a, auto* b) { return a->line_id < b->line_id; };
  if (!std::is_sorted(line_order.begin(), line_order.end(), line_less)) {
    std::sort(line_order.begin(), line_order.end(), line_less);
  }
  std::vector<const PaymentIn*> pay_order;
  pay_order.reserve(unsettled.size());
  for (const PaymentIn& pay : unsettled) pay_order.push_back(&pay);
  const auto pay_less = [](auto* a, auto* b) { return a->payment_id < b->payment_id; };
  if (!std::is_sorted(pay_order.begin(), pay_order.end(), pay_less)) {
    std::sort(pay_order.begin(), pay_order.end(), pay_less);
  }
  std::vector<const RunIn*> run_order;
  run_order.reserve(runs.size());
  s.lines.reserve(lines.size());
  s.pays.reserve(unsettled.size());
  s.runs.reserve(runs.size());
  for (const RunIn& run : runs) run_order.push_back(&run);
  std::sort(run_order.begin(), run_order.end(), [](auto* a, auto* b) { return a->run_id < b->run_id; });

  for (size_t i = 0; i < line_order.size(); ++i) {
    const BankLineIn* in = line_order[i];
    if (in->line_id.empty()) return Status::InvalidInput("bank line: empty line id");
    if (i > 0 && line_order[i - 1]->line_id == in->line_id) {
      return Status::InvalidInput("bank line " + in->line_id + ": given twice");
    }
    // The item's name is made only for the error (two per item otherwise).
    const auto amount = ToMatchPence(in->amount_pence, {});
    if (!amount.ok()) return ToMatchPence(in->amount_pence, "bank line " + in->line_id).status();
    Line line;
    line.in = in;
    line.out_pence = -*amount;
    line.payee = s.Payee(in->payee_ref);
    s.lines.push_back(std::move(line));
  }
  for (size_t i = 0; i < pay_order.size(); ++i) {
    const PaymentIn* in = pay_order[i];
    if (in->payment_id.empty()) return Status::InvalidInput("payment: empty payment id");
    if (i > 0 && pay_order[i - 1]->payment_id == in->payment_id) {
      return Status::InvalidInput("payment " + in->payment_id + ": given twice");
    }
    const auto amount = ToMatchPence(in->amount_pence, {});
    if (!amount.ok()) return ToMatchPence(in->amount_pence, "payment " + in->payment_id).status();
    Pay pay;
    pay.in = in;
    pay.pence = *amount;
    pay.payee = s.Payee(in->payee_ref);
    s.pays.push_back(std::move(pay));
  }
  for (size_t i = 0; i < run_order.size(); ++i) {
    const RunIn* in = run_order[i];
    if (in->run_id.empty()) return Status::InvalidInput("payment run: empty run id");
    if (i > 0 && run_order[i - 1]->run_id == in->run_id) {
      return Status::InvalidInput("payment run " + in->run_id + ": given twice");
    }
    RF_ASSIGN(total, ToMatchPence(in->total_pence, "payment run " + in->run_id));
    Run run;
    run.in = in;
    run.total = total;
    s.runs.push_back(std::move(run));
  }

  RF_RETURN_IF_ERROR(CheckClosed(closed, pay_order, run_order));

  for (Line& line : s.lines) {
    if (line.out_pence <= 0) SetVerdict(line.verdict, UnmatchedCode::kInflow, text::Inflow(line.in->amount_pence));
  }
  MatchByEndToEndId(s);
  FindEligibleRuns(s);
  MatchBatchById(s);
  MatchBatchByAmountAndDate(s);
  MatchByAmountPayeeDate(s);
  ExplainLeftovers(s);

  OnePass pass;
  pass.settled_by.assign(unsettled.size(), nullptr);
  pass.line_taken.assign(lines.size(), false);
  for (const Line& line : s.lines) {
    if (line.matched) pass.line_taken[static_cast<size_t>(line.in - lines.data())] = true;
  }
  for (const Pay& pay : s.pays) {
    if (pay.matched) pass.settled_by[static_cast<size_t>(pay.in - unsettled.data())] = pay.matched_by;
  }
  MatchResult& result = pass.result;
  // By line id: lines are indexed in id order, so by line index (sorting
  // indexes, not the matches and their strings).
  assert(s.match_lines.size() == s.matches.size());
  std::vector<uint32_t> match_order(s.matches.size());
  for (uint32_t i = 0; i < match_order.size(); ++i) match_order[i] = i;
  std::sort(match_order.begin(), match_order.end(),
            [&](uint32_t a, uint32_t b) { return s.match_lines[a] < s.match_lines[b]; });
  result.matches.reserve(s.matches.size());
  for (uint32_t i : match_order) result.matches.push_back(std::move(s.matches[i]));
  assert(std::is_sorted(result.matches.begin(), result.matches.end(),
                        [](const ProposedMatch& a, const ProposedMatch& b) { return a.line_id < b.line_id; }));
  for (Line& line : s.lines) {
    assert(line.matched != line.verdict.set);
    if (line.matched) continue;
    result.unmatched_lines.push_back(
        {line.in->line_id, line.verdict.code, std::move(line.verdict.reason), std::move(line.verdict.related)});
  }
  for (Pay& pay : s.pays) {
    assert(pay.matched != pay.verdict.set);
    if (pay.matched) continue;
    result.unmatched_payments.push_back(
        {pay.in->payment_id, pay.verdict.code, std::move(pay.verdict.reason), std::move(pay.verdict.related)});
  }
  result.payee_mismatches = std::move(s.mismatches);
  std::sort(result.payee_mismatches.begin(), result.payee_mismatches.end(),
            [](const PayeeMismatch& a, const PayeeMismatch& b) {
              return std::tie(a.line_id, a.payment_id) < std::tie(b.line_id, b.payment_id);
            });
  assert(result.matches.size() + result.unmatched_lines.size() == lines.size());
  return pass;
}

// What a plan over the views with `matched` committed reads: the lines and
// payments no match took, and the runs still holding one of those payments,
// dated by the earliest (PlanMonthMatch reads runs so, from their pending
// payments; a run settled one payment at a time stays pending); the
// payments matched and the runs dropped are closed, as it reads them.
struct Remainder {
  std::vector<BankLineIn> lines;
  std::vector<PaymentIn> unsettled;
  std::vector<RunIn> runs;
  ClosedIds closed;
};

bool ClosedPaymentLess(const ClosedPaymentIn& a, const ClosedPaymentIn& b) { return a.payment_id < b.payment_id; }

// Closed ids are kept only when a line left names them: the rest could
// never be looked up (a national month settles ~300,000 payments).
Remainder RemainderAfter(const std::vector<BankLineIn>& lines, const std::vector<PaymentIn>& unsettled,
                         const std::vector<RunIn>& runs, const ClosedIds& closed, const OnePass& pass) {
  assert(pass.line_taken.size() == lines.size() && pass.settled_by.size() == unsettled.size());
  Remainder r;
  std::unordered_set<std::string_view> named_ids, named_runs;  // by the lines left
  for (size_t i = 0; i < lines.size(); ++i) {
    if (pass.line_taken[i]) continue;
    r.lines.push_back(lines[i]);
    if (!lines[i].end_to_end_id.empty()) named_ids.insert(lines[i].end_to_end_id);
    if (!lines[i].batch_id.empty()) named_runs.insert(lines[i].batch_id);
  }
  std::vector<ClosedPaymentIn> now_closed;
  std::unordered_map<std::string_view, Date> run_dates;
  for (size_t i = 0; i < unsettled.size(); ++i) {
    const PaymentIn& pay = unsettled[i];
    if (const BankLineIn* by = pass.settled_by[i]; by != nullptr) {
      if (named_ids.contains(pay.payment_id)) {
        now_closed.push_back({.payment_id = pay.payment_id,
                              .state = ClosedAs::kSettled,
                              .bank_line_id = by->line_id,
                              .run_date = pay.run_date,
                              .amount_pence = pay.amount_pence,
                              .payee_ref = pay.payee_ref});
      }
      continue;
    }
    r.unsettled.push_back(pay);
    auto [it, added] = run_dates.try_emplace(pay.run_id, pay.run_date);
    if (!added && pay.run_date < it->second) it->second = pay.run_date;
  }
  std::vector<std::string> runs_closed;
  for (const RunIn& run : runs) {
    auto it = run_dates.find(run.run_id);
    if (it == run_dates.end()) {
      if (named_runs.contains(run.run_id)) runs_closed.push_back(run.run_id);
      continue;
    }
    RunIn kept = run;
    kept.run_date = it->second;
    r.runs.push_back(std::move(kept));
  }
  // Both sorted by id: the earlier ones already, the new ones sorted here.
  std::sort(now_closed.begin(), now_closed.end(), ClosedPaymentLess);
  std::sort(runs_closed.begin(), runs_closed.end());
  std::merge(closed.payments.begin(), closed.payments.end(), now_closed.begin(), now_closed.end(),
             std::back_inserter(r.closed.payments), ClosedPaymentLess);
  std::merge(closed.run_ids.begin(), closed.run_ids.end(), runs_closed.begin(), runs_closed.end(),
             std::back_inserter(r.closed.run_ids));
  return r;
}

}  // namespace

Result<MatchResult> MatchStatement(const std::vector<BankLineIn>& lines, const std::vector<PaymentIn>& unsettled,
                                   const std::vector<RunIn>& runs, const MatchOptions& options,
                                   const ClosedIds& closed) {
  if (options.passes_max < 1 || options.passes_max > kMatchPassesMax) {
    return Status::InvalidInput("match: from 1 to " + std::to_string(kMatchPassesMax) + " passes, not " +
                                std::to_string(options.passes_max));
  }
  if (closed.payments.size() > kMatchPaymentsMax || closed.run_ids.size() > kMatchRunsMax) {
    return Status::InvalidInput("match: more closed payments or runs than one month can hold");
  }
  ClosedIds sorted_closed = closed;
  std::sort(sorted_closed.payments.begin(), sorted_closed.payments.end(), ClosedPaymentLess);
  std::sort(sorted_closed.run_ids.begin(), sorted_closed.run_ids.end());
  RF_ASSIGN(first, MatchOnce(lines, unsettled, runs, options, sorted_closed));
  MatchResult result = std::move(first.result);
  result.passes = 1;
  if (result.matches.empty()) return result;
  // Again over what the matches leave, until a pass matches nothing: each
  // pass's inputs are what a plan reads after the earlier passes' matches
  // are committed, so the last (empty) pass is what planning the month
  // again would say of the lines and payments left.
  std::vector<ProposedMatch> matched = std::move(result.matches);
  Remainder left = RemainderAfter(lines, unsettled, runs, sorted_closed, first);
  while (true) {
    if (result.passes == options.passes_max) {
      result.stable = false;  // a further pass might match more
      break;
    }
    RF_ASSIGN(next, MatchOnce(left.lines, left.unsettled, left.runs, options, left.closed));
    const uint32_t passes = result.passes + 1;
    result = std::move(next.result);
    result.passes = passes;
    if (result.matches.empty()) break;
    left = RemainderAfter(left.lines, left.unsettled, left.runs, left.closed, next);
    std::move(result.matches.begin(), result.matches.end(), std::back_inserter(matched));
    result.matches.clear();
  }
  assert(result.matches.empty());
  std::sort(matched.begin(), matched.end(),
            [](const ProposedMatch& a, const ProposedMatch& b) { return a.line_id < b.line_id; });
  result.matches = std::move(matched);
  assert(result.matches.size() + result.unmatched_lines.size() == lines.size());
  return result;
}

}  // namespace rf
