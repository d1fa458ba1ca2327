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
MatchedBy EngineTier(const BankLineSettlementFacts& line) {
  if (!line.run_id.empty()) return MatchedBy::kBatch;
  if (line.end_to_end_id_is_payment) return MatchedBy::kEndToEndId;
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

namespace {

// What the tally gathers from the lines, before the journal is asked who
// matched the earlier ones.
struct TallyReading {
  MonthTally t;
  std::vector<MonthMatch> matched;                        // as read; then by line id
  std::vector<std::pair<std::string, uint64_t>> earlier;  // line id, settled_seq
};

MonthMatch ProposedMatchOf(const std::string& id, const ProposedMatch& m) {
  return MonthMatch{.line_id = id,
                    .payment_id = m.payment_id,
                    .run_id = m.run_id,
                    .payment_ids = m.run_id.empty() ? std::vector<std::string>{m.payment_id} : m.run_payment_ids,
                    .booked_on = m.booked_on,
                    .amount_pence = m.amount_pence,
                    .by = ByRule(m.rule)};
}

// One line of the month that is not unmatched for the plan's sake, or any
// line (the reading path): returned (by this run or before), matched by
// this run, or matched before. Counts are the caller's.
Status TallyLine(const ViewSource& views, const MonthMatchPlan& plan, const BankLineSettlementFacts& line,
                 TallyReading& out) {
  MonthTally& t = out.t;
  const std::string& id = line.line_id;
  if (const ProposedReturn* p = FindByLine(plan.returns, id)) {
    ++t.lines_returned;
    t.returns.push_back({id, p->payment_id, line.booked_on, line.amount});
    return Status::Ok();
  }
  if (!line.returned_payment_id.empty()) {
    ++t.lines_returned;
    t.returns.push_back({id, line.returned_payment_id, line.booked_on, line.amount});
    return Status::Ok();
  }
  if (const ProposedMatch* p = FindByLine(plan.result.matches, id)) {
    // This run's: settled now, or (a dry run) still to be.
    out.matched.push_back(ProposedMatchOf(id, *p));
    return Status::Ok();
  }
  if (line.state != BankLineState::kMatched) return Status::Ok();
  if (!line.settled_seq) return Status::Tampered("bank line " + id + ": matched without its settlement");
  std::vector<std::string> payment_ids{line.payment_id};
  if (!line.run_id.empty()) {
    RF_ASSIGN(run_ids, RunPaymentIds(views, line.run_id));
    payment_ids = std::move(run_ids);
  }
  out.earlier.emplace_back(id, *line.settled_seq);
  out.matched.push_back(MonthMatch{.line_id = id,
                                   .payment_id = line.payment_id,
                                   .run_id = line.run_id,
                                   .payment_ids = std::move(payment_ids),
                                   .booked_on = line.booked_on,
                                   .amount_pence = -line.amount,
                                   .by = EngineTier(line)});
  return Status::Ok();
}

// The reading path: the month's lines through linemonth/, in bank line id
// order, a point read each (their settlement facts only).
Status ReadMonthLines(const ViewSource& views, const MonthMatchPlan& plan, TallyReading& out) {
  const Date first = plan.month.first_day(), last = plan.month.last_day();
  MonthTally& t = out.t;
  RF_RETURN_IF_ERROR(RequireMonthIndexes(views));
  return views.ForEach(LineMonthPrefix(plan.month), [&](std::string_view key, std::string_view) -> Status {
    RF_ASSIGN(line_id, LineIdOfMonthKey(key, plan.month));
    const std::string record_key = RecordKey(RecordKind::kBankLine, line_id);
    RF_ASSIGN(text, views.Get(record_key));
    std::optional<BankLineSettlementFacts> found;
    if (text) {
      RF_ASSIGN(facts, DecodeBankLineSettlementFacts(record_key, *text));
      found = std::move(facts);
    }
    if (!found || found->booked_on < first || found->booked_on > last) {
      return Status::Tampered("view " + std::string(key) + ": names no bank line booked in " + plan.month.ToString());
    }
    const BankLineSettlementFacts& r = *found;
    ++t.lines_in_month;
    if (r.amount.is_negative()) {
      ++t.lines_out;
      t.money_out += -r.amount;
    } else {
      ++t.lines_in;
      t.money_in += r.amount;
    }
    return TallyLine(views, plan, r, out);
  });
}

// The plan's path: the counts as the plan read them, the lines settled
// before as kept, and this run's matches and returns from the plan (every
// one of them a line the plan read unmatched: month_match.cc).
Status TallyKeptLines(const ViewSource& views, const MonthMatchPlan& plan, const MonthTallyLines& lines,
                      TallyReading& out) {
  MonthTally& t = out.t;
  t.lines_in_month = lines.lines_in_month;
  t.lines_out = lines.lines_out;
  t.lines_in = lines.lines_in;
  t.money_in = lines.money_in;
  t.money_out = lines.money_out;
  for (const BankLineSettlementFacts& s : lines.settled) RF_RETURN_IF_ERROR(TallyLine(views, plan, s, out));
  // Kept in line id order (the index's); the plan's by line id too.
  for (const ProposedReturn& r : plan.returns) {
    if (FindByLine(lines.settled, r.line_id) != nullptr) continue;  // taken above, as read
    const BankLineIn* line = plan.FindLine(r.line_id);
    if (line == nullptr) return Status::Tampered("return of " + r.line_id + ": a line the plan did not read");
    ++t.lines_returned;
    t.returns.push_back({r.line_id, r.payment_id, line->booked_on, line->amount_pence});
  }
  for (const ProposedMatch& m : plan.result.matches) {
    if (FindByLine(lines.settled, m.line_id) != nullptr || FindByLine(plan.returns, m.line_id) != nullptr) continue;
    out.matched.push_back(ProposedMatchOf(m.line_id, m));
  }
  // As the reading path lists them: by line id.
  const auto by_line = [](const MonthTally::Return& a, const MonthTally::Return& b) { return a.line_id < b.line_id; };
  if (!std::is_sorted(t.returns.begin(), t.returns.end(), by_line)) {
    std::stable_sort(t.returns.begin(), t.returns.end(), by_line);
  }
  return Status::Ok();
}

}  // namespace

Status MonthTallyLines::Add(const BankLineSettlementFacts& r) {
  ++lines_in_month;
  if (r.amount.is_negative()) {
    ++lines_out;
    money_out += -r.amount;
  } else {
    ++lines_in;
    money_in += r.amount;
  }
  if (r.state != BankLineState::kMatched && r.returned_payment_id.empty()) return Status::Ok();
  settled.push_back(r);
  return Status::Ok();
}

Result<MonthMatchPlan> PlanMonthMatchKeepingLines(const Ledger& ledger, const Month& month,
                                                  std::optional<uint32_t> window_business_days,
                                                  const DraftOrigin& origin, MonthTallyLines& lines,
                                                  MatchDrafts drafts) {
  lines = MonthTallyLines{};
  RF_ASSIGN(before, ledger.journal().Size());
  Result<MonthMatchPlan> plan = Status::InvalidInput("no plan");
  RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) {
    plan = PlanMonthMatch(views, month, window_business_days, origin,
                          [&lines](const BankLineSettlementFacts& r) { return lines.Add(r); }, drafts);
    return plan.status();
  }));
  RF_ASSIGN(after, ledger.journal().Size());
  if (before == after) lines.journal_size = before;
  return plan;
}

Result<MonthTally> TallyMonth(const Ledger& ledger, const MonthMatchPlan& plan, const MonthTallyLines* lines,
                              bool* lines_read_again) {
  // The plan lists both by line id (month_match.h).
  const std::vector<ProposedMatch>& proposed = plan.result.matches;
  const std::vector<ProposedReturn>& proposed_returns = plan.returns;
  assert(std::is_sorted(proposed.begin(), proposed.end(),
                        [](const ProposedMatch& a, const ProposedMatch& b) { return a.line_id < b.line_id; }));
  assert(std::is_sorted(proposed_returns.begin(), proposed_returns.end(),
                        [](const ProposedReturn& a, const ProposedReturn& b) { return a.line_id < b.line_id; }));
  const Journal& journal = ledger.journal();
  TallyReading reading;
  bool read_again = true;
  if (lines != nullptr && lines->journal_size) {
    assert(std::is_sorted(lines->settled.begin(), lines->settled.end(),
                          [](const BankLineSettlementFacts& a, const BankLineSettlementFacts& b) {
                            return a.line_id < b.line_id;
                          }));
    RF_ASSIGN(before, journal.Size());
    if (before == *lines->journal_size) {
      RF_RETURN_IF_ERROR(
          ledger.ReadViews([&](const ViewSource& views) { return TallyKeptLines(views, plan, *lines, reading); }));
      RF_ASSIGN(after, journal.Size());
      read_again = after != before;
      if (read_again) reading = TallyReading{};
    }
  }
  if (read_again) {
    RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) { return ReadMonthLines(views, plan, reading); }));
  }
  if (lines_read_again != nullptr) *lines_read_again = read_again;
  MonthTally& t = reading.t;
  std::vector<MonthMatch>& matched = reading.matched;
  // Read in key order, which is line id order; sorted all the same, and a
  // line read twice (a damaged index) counts once, as first read.
  // (Usually sorted already: then neither moves a match.)
  if (!std::is_sorted(matched.begin(), matched.end(), ByLineId)) {
    std::stable_sort(matched.begin(), matched.end(), ByLineId);
  }
  matched.erase(std::unique(matched.begin(), matched.end(),
                            [](const MonthMatch& a, const MonthMatch& b) { return a.line_id == b.line_id; }),
                matched.end());
  if (!reading.earlier.empty()) {
    RF_ASSIGN(size, journal.Size());
    for (const auto& [line_id, settled_seq] : reading.earlier) {
      RF_ASSIGN(by_person, MatchedByPerson(journal, size, settled_seq, line_id));
      if (by_person) {
        auto it = std::lower_bound(matched.begin(), matched.end(), line_id,
                                   [](const MonthMatch& m, const std::string& id) { return m.line_id < id; });
        assert(it != matched.end() && it->line_id == line_id);
        it->by = MatchedBy::kPerson;
      }
    }
  }
  for (const MonthMatch& m : matched) {
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
  }
  t.matches = std::move(matched);
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
  return std::move(t);
}

}  // namespace rf
