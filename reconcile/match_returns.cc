#include "reconcile/match_returns.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "reconcile/business_days.h"
#include "reconcile/match_internal.h"
#include "reconcile/match_text.h"

namespace rf {
namespace {

using match_internal::NormalisePayee;
using match_internal::ToMatchPence;

struct ReturnInLine {
  const BankLineIn* in = nullptr;
  int64_t pence = 0;  // brought in
  std::string payee;  // normalised
  bool done = false;  // matched or given its verdict
};

struct ReturnInPay {
  const SettledPaymentIn* in = nullptr;
  int64_t pence = 0;
  std::string payee;  // normalised
  bool taken = false;
};

std::string ReturnPounds(int64_t pence) { return Pence::FromPence(pence).ToPounds(); }

}  // namespace

Result<ReturnMatchResult> MatchReturns(const std::vector<BankLineIn>& inflows,
                                       const std::vector<SettledPaymentIn>& payments, const MatchOptions& options) {
  if (options.window_business_days > kBusinessDaysWindowMax) {
    return Status::InvalidInput("match window: at most " + std::to_string(kBusinessDaysWindowMax) +
                                " business days, not " + std::to_string(options.window_business_days));
  }
  if (inflows.size() > kMatchLinesMax || payments.size() > kMatchPaymentsMax) {
    return Status::InvalidInput("returns: more bank lines or payments than one month can hold");
  }
  std::vector<ReturnInLine> lines;
  lines.reserve(inflows.size());
  for (const BankLineIn& l : inflows) {
    if (l.line_id.empty()) return Status::InvalidInput("bank line: empty line id");
    RF_ASSIGN(pence, ToMatchPence(l.amount_pence, "bank line " + l.line_id));
    if (pence <= 0) return Status::InvalidInput("bank line " + l.line_id + ": not an inflow");
    lines.push_back({&l, pence, NormalisePayee(l.payee_ref), false});
  }
  std::sort(lines.begin(), lines.end(),
            [](const ReturnInLine& a, const ReturnInLine& b) { return a.in->line_id < b.in->line_id; });
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i - 1].in->line_id == lines[i].in->line_id) {
      return Status::InvalidInput("bank line " + lines[i].in->line_id + ": given twice");
    }
  }
  std::vector<ReturnInPay> pays;
  pays.reserve(payments.size());
  for (const SettledPaymentIn& p : payments) {
    if (p.payment_id.empty()) return Status::InvalidInput("payment: empty payment id");
    RF_ASSIGN(pence, ToMatchPence(p.amount_pence, "payment " + p.payment_id));
    pays.push_back({&p, pence, NormalisePayee(p.payee_ref), false});
  }
  std::sort(pays.begin(), pays.end(),
            [](const ReturnInPay& a, const ReturnInPay& b) { return a.in->payment_id < b.in->payment_id; });
  for (size_t i = 1; i < pays.size(); ++i) {
    if (pays[i - 1].in->payment_id == pays[i].in->payment_id) {
      return Status::InvalidInput("payment " + pays[i].in->payment_id + ": given twice");
    }
  }

  ReturnMatchResult result;
  auto leave = [&](ReturnInLine& line, UnmatchedCode code, std::string reason, std::vector<std::string> related = {}) {
    assert(!line.done);
    line.done = true;
    std::sort(related.begin(), related.end());
    if (related.size() > kMatchIdsListedMax) related.resize(kMatchIdsListedMax);
    result.unmatched_lines.push_back({line.in->line_id, code, std::move(reason), std::move(related)});
  };
  auto match = [&](ReturnInLine& line, ReturnInPay& pay, MatchRule rule) {
    assert(!line.done && !pay.taken && pay.in->returnable && line.pence == pay.pence);
    assert(pay.in->settled_on <= line.in->booked_on);
    line.done = pay.taken = true;
    result.returns.push_back(
        {line.in->line_id, pay.in->payment_id, rule, line.in->booked_on, Pence::FromPence(line.pence)});
  };

  // (a) end-to-end id. Claims are collected first: two lines confirming one
  // payment are both left for a person.
  std::unordered_map<std::string_view, std::vector<uint32_t>> by_id;
  for (uint32_t p = 0; p < pays.size(); ++p) {
    if (!pays[p].in->end_to_end_id.empty()) by_id[pays[p].in->end_to_end_id].push_back(p);
  }
  std::map<uint32_t, std::vector<uint32_t>> claims;  // payment -> lines
  for (uint32_t l = 0; l < lines.size(); ++l) {
    ReturnInLine& line = lines[l];
    const auto found = by_id.find(line.in->end_to_end_id);
    if (line.in->end_to_end_id.empty() || found == by_id.end()) continue;
    // Ids are unique only by the sender's promise: the first carrying it
    // that the line confirms, else the first, explains.
    const ReturnInPay* named = &pays[found->second.front()];
    std::optional<uint32_t> confirmed;
    for (uint32_t p : found->second) {
      const ReturnInPay& pay = pays[p];
      if (pay.in->returnable && pay.pence == line.pence && pay.in->settled_on <= line.in->booked_on &&
          (line.payee.empty() || line.payee == pay.payee)) {
        confirmed = p;
        break;
      }
    }
    if (confirmed) {
      claims[*confirmed].push_back(l);
      continue;
    }
    const std::string& pid = named->in->payment_id;
    // A returned payment is read as settled (on its settlement date) until
    // the line would confirm it, so a line's reason is the same whether the
    // return is planned in this run (by another line, tier (b)) or was
    // journalled before: what planning again after the commit says.
    const bool returned = named->in->state == "returned";
    if (!named->in->returnable && !returned) {
      leave(line, UnmatchedCode::kInflow,
            "money in (" + ReturnPounds(line.pence) + ") carrying the end-to-end id of payment " + pid + ", which is " +
                named->in->state + ", not settled: it returns nothing the ledger can reverse; find out what it is",
            {pid});
    } else if (named->pence != line.pence) {
      leave(line, UnmatchedCode::kAmountDiffers,
            "carries the end-to-end id of payment " + pid + ", which paid out " + ReturnPounds(named->pence) +
                ", but brings back " + ReturnPounds(line.pence) + " (a return is the whole payment, to the penny)",
            {pid});
    } else if (line.in->booked_on < named->in->settled_on) {
      leave(line, UnmatchedCode::kBeforeRunDate,
            "carries the end-to-end id of payment " + pid + ", booked on " + line.in->booked_on.ToIso() +
                ", before the payment settled on " + named->in->settled_on.ToIso(),
            {pid});
    } else if (returned && (line.payee.empty() || line.payee == named->payee)) {
      leave(line, UnmatchedCode::kInflow,
            "money in (" + ReturnPounds(line.pence) + ") carrying the end-to-end id of payment " + pid + ", which is " +
                named->in->state + ", not settled: it returns nothing the ledger can reverse; find out what it is",
            {pid});
    } else {
      leave(line, UnmatchedCode::kPayeeDiffers,
            "carries the end-to-end id of payment " + pid + " and its amount, but comes from " + line.in->payee_ref +
                ", not the payee " + named->in->payee_ref,
            {pid});
    }
  }
  for (auto& [p, claimed_by] : claims) {
    if (claimed_by.size() == 1) {
      match(lines[claimed_by[0]], pays[p], MatchRule::kEndToEndId);
      continue;
    }
    std::vector<std::string> line_ids;
    for (uint32_t l : claimed_by) line_ids.push_back(lines[l].in->line_id);
    for (uint32_t l : claimed_by) {
      std::vector<std::string> related = line_ids;
      related.push_back(pays[p].in->payment_id);
      leave(lines[l], UnmatchedCode::kRepeated,
            "returns payment " + pays[p].in->payment_id + " by its end-to-end id, as do bank lines " +
                match_internal::text::IdList(line_ids, line_ids.size()) + ": a person decides which one",
            std::move(related));
    }
    pays[p].taken = true;  // held for the person, not matched by (b)
  }

  // (b) amount, payee and window: candidates of each line left, then the
  // lines claiming each payment; only a one-to-one pair is matched.
  std::map<std::tuple<std::string_view, int64_t>, std::vector<uint32_t>> by_payee_amount;
  for (uint32_t p = 0; p < pays.size(); ++p) {
    if (pays[p].taken || !pays[p].in->returnable || pays[p].payee.empty()) continue;
    by_payee_amount[{pays[p].payee, pays[p].pence}].push_back(p);
  }
  std::vector<std::vector<uint32_t>> candidates(lines.size());
  std::map<uint32_t, std::vector<uint32_t>> claimed;  // payment -> lines
  for (uint32_t l = 0; l < lines.size(); ++l) {
    const ReturnInLine& line = lines[l];
    if (line.done || line.payee.empty()) continue;
    const auto found = by_payee_amount.find({line.payee, line.pence});
    if (found == by_payee_amount.end()) continue;
    for (uint32_t p : found->second) {
      const Date settled_on = pays[p].in->settled_on;
      if (settled_on <= line.in->booked_on &&
          line.in->booked_on <= AddBusinessDays(settled_on, options.window_business_days)) {
        candidates[l].push_back(p);
        claimed[p].push_back(l);
      }
    }
  }
  for (uint32_t l = 0; l < lines.size(); ++l) {
    ReturnInLine& line = lines[l];
    if (line.done || candidates[l].empty()) continue;
    if (candidates[l].size() == 1 && claimed[candidates[l][0]].size() == 1) {
      match(line, pays[candidates[l][0]], MatchRule::kAmountPayeeDate);
      continue;
    }
    std::vector<std::string> ids;
    for (uint32_t p : candidates[l]) ids.push_back(pays[p].in->payment_id);
    for (uint32_t p : candidates[l]) {
      for (uint32_t other : claimed[p]) {
        if (other != l) ids.push_back(lines[other].in->line_id);
      }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    const size_t count = ids.size();
    leave(line, UnmatchedCode::kAmbiguous,
          "money in (" + ReturnPounds(line.pence) + ") from the payee of more than one payment it could return, or " +
              "claimed by another line too (" + match_internal::text::IdList(ids, count) +
              "): a person decides which payment came back",
          std::move(ids));
  }
  for (ReturnInLine& line : lines) {
    if (!line.done) leave(line, UnmatchedCode::kInflow, match_internal::text::Inflow(line.in->amount_pence));
  }

  std::sort(result.returns.begin(), result.returns.end(),
            [](const ProposedReturn& a, const ProposedReturn& b) { return a.line_id < b.line_id; });
  std::sort(result.unmatched_lines.begin(), result.unmatched_lines.end(),
            [](const UnmatchedItem& a, const UnmatchedItem& b) { return a.id < b.id; });
  assert(result.returns.size() + result.unmatched_lines.size() == inflows.size());
  return result;
}

}  // namespace rf
