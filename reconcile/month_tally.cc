#include "reconcile/month_tally.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <map>

#include "ledger/core/entry.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/records.h"

namespace rf {
namespace {

constexpr std::array<std::string_view, 4> kMatchedByNames = {"end_to_end_id", "batch", "amount_payee_date",
                                                             "person"};

MatchedBy ByRule(MatchRule rule) {
  switch (rule) {
    case MatchRule::kEndToEndId:
      return MatchedBy::kEndToEndId;
    case MatchRule::kBatch:
      return MatchedBy::kBatch;
    case MatchRule::kAmountPayeeDate:
      return MatchedBy::kAmountPayeeDate;
  }
  assert(false);
  return MatchedBy::kAmountPayeeDate;
}

// The engine's tier for a line it settled (see the header).
MatchedBy EngineTier(const BankLineRecord& line) {
  if (!line.run_id.empty()) return MatchedBy::kBatch;
  if (!line.end_to_end_id.empty() && line.end_to_end_id == line.payment_id) return MatchedBy::kEndToEndId;
  return MatchedBy::kAmountPayeeDate;
}

// The payments of run `run_id`, from its last along run_prev; at most its
// recorded count (a longer chain is a damaged view).
Result<std::vector<std::string>> RunPaymentIds(const ViewSource& views, const std::string& run_id) {
  RF_ASSIGN(run, FindRecord<RunRecord>(views, run_id));
  if (!run) return Status::Tampered("run " + run_id + ": settles a bank line but is not recorded");
  std::vector<std::string> ids;
  for (std::string id = run->last_payment_id; !id.empty();) {
    if (ids.size() >= run->payments) return Status::Tampered("run " + run_id + ": more payments than recorded");
    RF_ASSIGN(payment, FindRecord<PaymentRecord>(views, id));
    if (!payment || payment->run_id != run_id) return Status::Tampered("run " + run_id + ": payment " + id);
    ids.push_back(id);
    id = payment->run_prev;
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Whether the entry after a settlement is a person's reconcile.match note
// for that line (ManualMatchDrafts commits the two together).
Result<bool> MatchedByPerson(const Journal& journal, uint64_t journal_size, uint64_t settled_seq,
                             const std::string& line_id) {
  if (settled_seq >= journal_size) return false;
  RF_ASSIGN(text, journal.Line(settled_seq + 1));
  auto entry = ParseEntryLine(text);
  if (!entry.ok()) {
    return Status::Tampered("entry " + std::to_string(settled_seq + 1) + ": " + entry.status().message());
  }
  if (entry->draft.kind != kind::kNote) return false;
  auto body = BodyReader::Scan(entry->draft.body_json);
  if (!body.ok()) return false;
  return body->Text("note") == "reconcile.match" && body->Text("bank_line_id") == line_id;
}

// The item for line `id` in `sorted` (by line id; the first of equals), or
// nullptr: a binary search, no index built.
template <typename T>
const T* FindByLine(const std::vector<T>& sorted, std::string_view id) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), id,
                             [](const T& item, std::string_view line_id) { return item.line_id < line_id; });
  return it != sorted.end() && it->line_id == id ? &*it : nullptr;
}

bool ByLineId(const MonthMatch& a, const MonthMatch& b) { return a.line_id < b.line_id; }

}  // namespace

std::string_view ToString(MatchedBy by) { return kMatchedByNames.at(static_cast<size_t>(by)); }

std::optional<uint32_t> MonthTally::auto_match_permille() const {
  if (lines_out == 0) return std::nullopt;
  assert(matched_automatically() <= lines_out);
  return static_cast<uint32_t>((matched_automatically() * 1000 + lines_out / 2) / lines_out);
}

std::string PercentText(uint32_t permille) {
  assert(permille <= 1000);
  return std::to_string(permille / 10) + "." + std::to_string(permille % 10);
}

Result<MonthTally> TallyMonth(const Ledger& ledger, const MonthMatchPlan& plan) {
  MonthTally t;
  const Date first = plan.month.first_day(), last = plan.month.last_day();
  // The plan lists both by line id (month_match.h).
  const std::vector<ProposedMatch>& proposed = plan.result.matches;
  const std::vector<ProposedReturn>& proposed_returns = plan.returns;
  assert(std::is_sorted(proposed.begin(), proposed.end(),
                        [](const ProposedMatch& a, const ProposedMatch& b) { return a.line_id < b.line_id; }));
  assert(std::is_sorted(proposed_returns.begin(), proposed_returns.end(),
                        [](const ProposedReturn& a, const ProposedReturn& b) { return a.line_id < b.line_id; }));
  std::vector<MonthMatch> matched;  // as read; then by line id, the first of a line kept
  std::vector<std::pair<std::string, uint64_t>> earlier;  // line id, settled_seq
  Status read = ledger.ReadViews([&](const ViewSource& views) -> Status {
    RF_RETURN_IF_ERROR(RequireMonthIndexes(views));
    // The month's lines through linemonth/, in bank line id order.
    RF_RETURN_IF_ERROR(views.ForEach(LineMonthPrefix(plan.month), [&](std::string_view key,
                                                                      std::string_view) -> Status {
      RF_ASSIGN(line_id, LineIdOfMonthKey(key, plan.month));
      RF_ASSIGN(found, FindRecord<BankLineRecord>(views, line_id));
      if (!found || found->booked_on < first || found->booked_on > last) {
        return Status::Tampered("view " + std::string(key) + ": names no bank line booked in " +
                                plan.month.ToString());
      }
      const BankLineRecord& r = *found;
      ++t.lines_in_month;
      if (r.amount.is_negative()) {
        ++t.lines_out;
        t.money_out += -r.amount;
      } else {
        ++t.lines_in;
        t.money_in += r.amount;
      }
      std::string id = BankLineId(r.statement_id, r.line_id);
      if (const ProposedReturn* p = FindByLine(proposed_returns, id)) {
        ++t.lines_returned;
        t.returns.push_back({id, p->payment_id, r.booked_on, r.amount});
        return Status::Ok();
      }
      if (!r.returned_payment_id.empty()) {
        ++t.lines_returned;
        t.returns.push_back({id, r.returned_payment_id, r.booked_on, r.amount});
        return Status::Ok();
      }
      if (const ProposedMatch* p = FindByLine(proposed, id)) {
        // This run's: settled now, or (a dry run) still to be.
        const ProposedMatch& m = *p;
        matched.push_back(MonthMatch{.line_id = id,
                                       .payment_id = m.payment_id,
                                       .run_id = m.run_id,
                                       .payment_ids = m.run_id.empty() ? std::vector<std::string>{m.payment_id}
                                                                       : m.run_payment_ids,
                                       .booked_on = m.booked_on,
                                       .amount_pence = m.amount_pence,
                                       .by = ByRule(m.rule)});
        return Status::Ok();
      }
      if (r.state != BankLineState::kMatched) return Status::Ok();
      if (!r.settled_seq) return Status::Tampered("bank line " + id + ": matched without its settlement");
      std::vector<std::string> payment_ids{r.payment_id};
      if (!r.run_id.empty()) {
        RF_ASSIGN(run_ids, RunPaymentIds(views, r.run_id));
        payment_ids = std::move(run_ids);
      }
      earlier.emplace_back(id, *r.settled_seq);
      matched.push_back(MonthMatch{.line_id = id,
                                     .payment_id = r.payment_id,
                                     .run_id = r.run_id,
                                     .payment_ids = std::move(payment_ids),
                                     .booked_on = r.booked_on,
                                     .amount_pence = -r.amount,
                                     .by = EngineTier(r)});
      return Status::Ok();
    }));
    return Status::Ok();
  });
  if (!read.ok()) return read;
  // Read in key order, which is line id order; sorted all the same, and a
  // line read twice (a damaged index) counts once, as first read.
  std::stable_sort(matched.begin(), matched.end(), ByLineId);
  matched.erase(std::unique(matched.begin(), matched.end(),
                            [](const MonthMatch& a, const MonthMatch& b) { return a.line_id == b.line_id; }),
                matched.end());
  if (!earlier.empty()) {
    const Journal& journal = ledger.journal();
    RF_ASSIGN(size, journal.Size());
    for (const auto& [line_id, settled_seq] : earlier) {
      RF_ASSIGN(by_person, MatchedByPerson(journal, size, settled_seq, line_id));
      if (by_person) {
        auto it = std::lower_bound(matched.begin(), matched.end(), line_id,
                                   [](const MonthMatch& m, const std::string& id) { return m.line_id < id; });
        assert(it != matched.end() && it->line_id == line_id);
        it->by = MatchedBy::kPerson;
      }
    }
  }
  t.matches.reserve(matched.size());
  for (MonthMatch& m : matched) {
    switch (m.by) {
      case MatchedBy::kEndToEndId:
        ++t.matched_end_to_end_id;
        break;
      case MatchedBy::kBatch:
        ++t.matched_batch;
        break;
      case MatchedBy::kAmountPayeeDate:
        ++t.matched_amount_payee_date;
        break;
      case MatchedBy::kPerson:
        ++t.matched_by_person;
        break;
    }
    t.payments_settled += m.payment_ids.size();
    t.matches.push_back(std::move(m));
  }
  for (const UnmatchedItem& u : plan.result.unmatched_lines) {
    const BankLineIn* line = plan.FindLine(u.id);
    assert(line != nullptr);
    if (line == nullptr || !line->amount_pence.is_negative()) {
      ++t.lines_in_unmatched;
    } else if (u.code == UnmatchedCode::kNoCandidate || u.code == UnmatchedCode::kUnknownEndToEndId) {
      ++t.unmatched;  // as UnmatchedLineFlags: DIVERSION_UNEXPLAINED_OUTFLOW
    } else {
      ++t.left_for_review;
    }
  }
  t.payments_unsettled = plan.summary.payments_unsettled;
  // Every line of the month is settled or left (the plan read the rest).
  assert(t.matches.size() <= t.lines_in_month);
  return t;
}

}  // namespace rf
