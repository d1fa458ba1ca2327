#include "reconcile/sign_off.h"

#include <cassert>
#include <set>
#include <unordered_map>
#include <utility>

#include "ledger/core/canonical_writer.h"
#include "ledger/core/entry_kinds.h"
#include "reconcile/month_end_views.h"
#include "reconcile/month_flags_all.h"
#include "reconcile/month_match.h"

namespace rf {
namespace {

// Bank lines one month's result holds: four times the national target of
// ~250,000 a month (about 200 bytes each in memory).
constexpr size_t kMonthResultLinesMax = 1'000'000;

// What the result reads from the views of the first N entries (all dates).
struct ViewsPart {
  MonthMatchPlan plan;
  std::vector<MonthResultLine> lines;
  std::vector<MonthFlag> rule_flags;
};

Result<ViewsPart> ReadViewsPart(const ViewSource& views, const Journal& journal, const Month& month,
                                std::optional<uint32_t> window_business_days) {
  ViewsPart part;
  // The month's lines: their settlement facts, from the plan's one read of
  // each for matching (ledger/core/line_facts.h).
  const auto each_line = [&](const BankLineSettlementFacts& r) -> Status {
    if (part.lines.size() >= kMonthResultLinesMax) {
      return Status::InvalidInput("month " + month.ToString() + ": more than " + std::to_string(kMonthResultLinesMax) +
                                  " bank lines");
    }
    const bool settled = r.state != BankLineState::kUnmatched;
    // A settled line names what settles it (the apply rules keep one of
    // the three: a payment, a run, or the payment an inflow returns), an
    // unmatched one none. A return is told from a settlement by its sign.
    assert(!settled || (r.payment_id.empty() ? 0 : 1) + (r.run_id.empty() ? 0 : 1) +
                               (r.returned_payment_id.empty() ? 0 : 1) ==
                           1);
    const std::string& payment_id = r.returned_payment_id.empty() ? r.payment_id : r.returned_payment_id;
    part.lines.push_back(MonthResultLine{.bank_line_id = r.line_id,
                                         .booked_on = r.booked_on,
                                         .amount = r.amount,
                                         .payment_id = settled ? payment_id : "",
                                         .run_id = settled ? r.run_id : "",
                                         .settled_seq = settled ? r.settled_seq : std::nullopt});
    return Status::Ok();
  };
  // The plan's drafts are never committed: the origin is not journalled.
  RF_ASSIGN(plan, PlanMonthMatch(views, month, window_business_days, DraftOrigin{"sign-off", "reconcile --check"},
                                 each_line));
  part.plan = std::move(plan);
  auto rule_flags = ReadRuleFlags(views, month, JournalEffectiveOf(journal));
  if (!rule_flags.ok()) return rule_flags.status().WithContext("flags: ");
  part.rule_flags = std::move(*rule_flags);
  return part;
}

}  // namespace

Result<MonthResult> MonthResultAt(const Ledger& ledger, const Month& month, uint64_t tree_size,
                                  std::optional<uint32_t> window_business_days, const ReplayProgress& progress) {
  const Journal& journal = ledger.journal();
  RF_ASSIGN(size_before, journal.Size());
  if (tree_size == 0 || tree_size > size_before) {
    return Status::InvalidInput("the journal holds " + std::to_string(size_before) + " entries, not " +
                                std::to_string(tree_size));
  }
  std::optional<ViewsPart> part;
  std::optional<std::vector<MonthFlag>> evaluated;
  if (tree_size == size_before) {
    // The live views are the views at N when the snapshot read holds N
    // entries: the size before and after it agree (appends only grow it).
    // The month-end views over them equal a replay of the first N entries
    // dated on or before the month's last day (month_end_views.h; tested
    // against it), so a sign-off needs no replay and --check, which
    // replays, recomputes the same result.
    Status read = ledger.ReadViews([&](const ViewSource& views) -> Status {
      RF_ASSIGN(p, ReadViewsPart(views, journal, month, window_business_days));
      part = std::move(p);
      RF_ASSIGN(month_end, MonthEndViews::Make(views, month.last_day()));
      auto flags = MonthEndFlags(*month_end, month);
      if (!flags.ok()) return flags.status().WithContext("flags: ");
      evaluated = std::move(*flags);
      return Status::Ok();
    });
    if (!read.ok()) return read;
    RF_ASSIGN(size_after, journal.Size());
    if (size_after != tree_size) {  // another process appended meanwhile
      part.reset();
      evaluated.reset();
    }
  }
  if (!part) {
    RF_ASSIGN(at_n, RebuildViewsAt(journal, tree_size, std::nullopt, progress));
    RF_ASSIGN(p, ReadViewsPart(at_n, journal, month, window_business_days));
    part = std::move(p);
    RF_ASSIGN(as_at_month_end, RebuildViewsAt(journal, tree_size, month.last_day(), progress));
    auto flags = MonthEndFlags(as_at_month_end, month);
    if (!flags.ok()) return flags.status().WithContext("flags: ");
    evaluated = std::move(*flags);
  }
  MonthResult result;
  result.month = month;
  result.lines = std::move(part->lines);
  // A plan with drafts at N (a window narrower than the run's) reports
  // what settling them would leave, as a dry run does.
  result.flags = AssembleMonthFlags(std::move(*evaluated), std::move(part->rule_flags), part->plan,
                                    /*plan_committed=*/part->plan.drafts.empty());
  CanonicalOrder(result);
  return result;
}

namespace {

// Whether a second plan, over the views with `plan`'s settlements and
// returns committed, could read a line `plan` leaves otherwise. The matcher
// is stable (match.h): its last pass already reads the plan's settled
// payments as closed, as a second plan reads them from the views, so a line
// naming one by its end-to-end id is told the same (returned since or not).
// What it cannot know is the returns planned after it: a line whose other
// reason (the return matcher's), or a payee mismatch, names a payment or run
// the plan settles or returns; or a line listing as many candidates as a
// reason lists (one so settled may be left out).
bool LeftLinesDependOnPlan(const MonthMatchPlan& plan) {
  std::set<std::string, std::less<>> settled, returned;
  for (const ProposedMatch& m : plan.result.matches) {
    if (m.run_id.empty()) {
      settled.insert(m.payment_id);
    } else {
      settled.insert(m.run_id);
      settled.insert(m.run_payment_ids.begin(), m.run_payment_ids.end());
    }
  }
  for (const ProposedReturn& r : plan.returns) returned.insert(r.payment_id);
  if (settled.empty() && returned.empty()) return false;
  const auto names = [](const std::set<std::string, std::less<>>& ids, const std::string& id) {
    return ids.count(id) > 0;
  };
  for (const UnmatchedItem& u : plan.result.unmatched_lines) {
    if (u.related.size() >= kMatchIdsListedMax) return true;
    // The matcher's closed-id reason holds after the commit for a payment
    // it settled, returned since or not (match.h ClosedAs).
    if (u.code == UnmatchedCode::kUnknownEndToEndId) continue;
    for (const std::string& id : u.related) {
      if (names(returned, id) || names(settled, id)) return true;
    }
  }
  for (const PayeeMismatch& m : plan.result.payee_mismatches) {
    if (names(settled, m.payment_id) || names(returned, m.payment_id)) return true;
  }
  return false;
}

}  // namespace

namespace {

// The result's lines after `committed`, in MonthResultAfterCommit's
// conditions on the lines (nothing else appended between the plan's read and
// the commit; every line of the month read; no line left depends on the
// plan); nullopt when one fails. `*size_after` receives the journal's size
// after the commit (its flags are for that size).
std::optional<MonthResult> CommittedLines(const CommittedPlan& committed, uint64_t* size_after_out) {
  const MonthMatchPlan& plan = committed.plan;
  const MonthTallyLines& read = committed.lines;
  const std::optional<MonthResult> fall_back;
  // Nothing but the plan's drafts appended since its lines were read.
  if (!read.journal_size) return fall_back;
  const uint64_t size_before = *read.journal_size;
  const uint64_t drafts = committed.drafts_committed;
  if (drafts != plan.result.matches.size() + plan.returns.size()) return fall_back;
  if (drafts == 0 ? committed.appended.has_value()
                  : !committed.appended || committed.appended->first_seq != size_before + 1 ||
                        committed.appended->last_seq != size_before + drafts) {
    return fall_back;
  }
  const uint64_t size_after = size_before + drafts;
  // Every line of the month read: settled before (tally), or unmatched then.
  if (read.lines_in_month != read.settled.size() + plan.lines.size()) return fall_back;
  for (const BankLineSettlementFacts& s : read.settled) {
    if (s.state != BankLineState::kMatched) return fall_back;  // a line ReadViewsPart would read as unmatched
  }
  // Matching that stopped at its bound may match more when planned again.
  if (!plan.result.stable) return fall_back;
  if (LeftLinesDependOnPlan(plan)) return fall_back;

  MonthResult result;
  result.month = plan.month;
  result.lines.reserve(read.lines_in_month);
  for (const BankLineSettlementFacts& s : read.settled) {
    result.lines.push_back(MonthResultLine{
        .bank_line_id = s.line_id,
        .booked_on = s.booked_on,
        .amount = s.amount,
        .payment_id = s.returned_payment_id.empty() ? s.payment_id : s.returned_payment_id,
        .run_id = s.run_id,
        .settled_seq = s.settled_seq});
  }
  // The seq each draft was appended at: matches first, then returns.
  struct Settles {
    const std::string* payment_id;
    const std::string* run_id;
    uint64_t seq;
  };
  static const std::string kNone;
  std::unordered_map<std::string_view, Settles> settled_by_plan;
  settled_by_plan.reserve(drafts);
  uint64_t seq = size_before;
  for (const ProposedMatch& m : plan.result.matches) {
    ++seq;
    const bool added =
        settled_by_plan.emplace(m.line_id, Settles{m.run_id.empty() ? &m.payment_id : &kNone, &m.run_id, seq}).second;
    if (!added) return fall_back;
  }
  for (const ProposedReturn& r : plan.returns) {
    ++seq;
    if (!settled_by_plan.emplace(r.line_id, Settles{&r.payment_id, &kNone, seq}).second) return fall_back;
  }
  assert(seq == size_after);
  size_t lines_settled = 0;
  for (const BankLineIn& l : plan.lines) {
    auto it = settled_by_plan.find(l.line_id);
    const bool settled = it != settled_by_plan.end();
    lines_settled += settled ? 1 : 0;
    result.lines.push_back(MonthResultLine{.bank_line_id = l.line_id,
                                           .booked_on = l.booked_on,
                                           .amount = l.amount_pence,
                                           .payment_id = settled ? *it->second.payment_id : "",
                                           .run_id = settled ? *it->second.run_id : "",
                                           .settled_seq = settled ? std::optional(it->second.seq) : std::nullopt});
  }
  if (lines_settled != drafts) return fall_back;  // a draft for a line the plan did not read
  *size_after_out = size_after;
  return result;
}

}  // namespace

Result<std::optional<MonthResult>> MonthResultAfterCommit(const Ledger& ledger, const CommittedPlan& committed,
                                                          uint64_t* tree_size) {
  assert(tree_size != nullptr);
  const MonthMatchPlan& plan = committed.plan;
  const std::optional<MonthResult> fall_back;
  uint64_t size_after = 0;
  std::optional<MonthResult> result = CommittedLines(committed, &size_after);
  if (!result) return fall_back;

  // The flags over the live views at size_after, as MonthResultAt reads them.
  const Journal& journal = ledger.journal();
  RF_ASSIGN(size_at_read, journal.Size());
  if (size_at_read != size_after) return fall_back;
  std::vector<MonthFlag> evaluated, rule_flags;
  Status flags_read = ledger.ReadViews([&](const ViewSource& views) -> Status {
    auto rules = ReadRuleFlags(views, plan.month, JournalEffectiveOf(journal));
    if (!rules.ok()) return rules.status().WithContext("flags: ");
    rule_flags = std::move(*rules);
    RF_ASSIGN(month_end, MonthEndViews::Make(views, plan.month.last_day()));
    auto flags = MonthEndFlags(*month_end, plan.month);
    if (!flags.ok()) return flags.status().WithContext("flags: ");
    evaluated = std::move(*flags);
    return Status::Ok();
  });
  if (!flags_read.ok()) return flags_read;
  RF_ASSIGN(size_after_read, journal.Size());
  if (size_after_read != size_after) return fall_back;  // another process appended meanwhile
  result->flags = AssembleMonthFlags(std::move(evaluated), std::move(rule_flags), plan, /*plan_committed=*/true);
  CanonicalOrder(*result);
  *tree_size = size_after;
  return result;
}

bool PreCommitFlagsUsable(const CommittedPlan& committed, const MonthEndFlagsRead& pre_commit) {
  // Returns change more than a payment's state (module comment): none.
  if (!committed.plan.returns.empty()) return false;
  // The snapshot the flags were read in is the one the plan read its lines
  // in: the same journal size, the commit appended right after it
  // (CommittedLines checks the rest).
  return pre_commit.journal_size.has_value() && committed.lines.journal_size.has_value() &&
         *pre_commit.journal_size == *committed.lines.journal_size;
}

std::optional<MonthResult> MonthResultFromPreCommitFlags(const CommittedPlan& committed, MonthEndFlagsRead pre_commit,
                                                         uint64_t* tree_size) {
  assert(tree_size != nullptr);
  const std::optional<MonthResult> fall_back;
  if (!PreCommitFlagsUsable(committed, pre_commit)) return fall_back;
  uint64_t size_after = 0;
  std::optional<MonthResult> result = CommittedLines(committed, &size_after);
  if (!result) return fall_back;
  assert(size_after == *pre_commit.journal_size + committed.drafts_committed);
  // No returns: the planned returns' flags (FinishMonthFlags) are none, and
  // the settled payments' UNSETTLED_PAYMENT flags are dropped, as the commit
  // settles them.
  assert(committed.plan.returns.empty());
  result->flags = AssembleMonthFlags(std::move(pre_commit.evaluated), std::move(pre_commit.rule_flags), committed.plan,
                                     /*plan_committed=*/false);
  CanonicalOrder(*result);
  *tree_size = size_after;
  return result;
}

EntryDraft SignOffDraft(const MonthResult& result, const MonthResultHashes& hashes, uint64_t tree_size,
                        const std::string& by, Date effective, const DraftOrigin& origin) {
  assert(tree_size >= 1 && !by.empty());
  return KindDraft(kind::kSignOff, effective, origin,
                   CanonicalObject()
                       .Text("month", result.month.ToString())
                       .Text("by", by)
                       .Count("tree_size", tree_size)
                       .Text("result_sha256", hashes.result_sha256)
                       .Text("matches_sha256", hashes.matches_sha256)
                       .Text("flags_sha256", hashes.flags_sha256)
                       .Count("lines", result.lines.size())
                       .Count("flags", result.flags.size())
                       .Finish());
}

Result<std::optional<SignOffCheck>> CheckSignOff(const Ledger& ledger, const Month& month,
                                                 const ReplayProgress& progress) {
  std::optional<SignOffRecord> latest;
  Status read = ledger.ReadViews([&](const ViewSource& views) -> Status {
    RF_ASSIGN(found, FindRecord<SignOffRecord>(views, month.ToString()));
    latest = std::move(found);
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (!latest) return std::optional<SignOffCheck>();
  // The record was checked when its entry was applied; a view that says
  // otherwise is damaged.
  if (latest->month != month.ToString() || latest->tree_size >= latest->seq) {
    return Status::Tampered("view of the sign-off of " + month.ToString() + " disagrees with its entry " +
                            std::to_string(latest->seq));
  }
  RF_ASSIGN(recomputed, MonthResultAt(ledger, month, latest->tree_size, std::nullopt, progress));
  RF_ASSIGN(hashes, HashMonthResult(recomputed));
  SignOffCheck check{.signed_off = std::move(*latest),
                     .recomputed = std::move(recomputed),
                     .hashes = std::move(hashes),
                     .reproduces = false,
                     .matches_differ = false,
                     .flags_differ = false};
  check.reproduces = check.hashes.result_sha256 == check.signed_off.result_sha256;
  check.matches_differ = check.hashes.matches_sha256 != check.signed_off.matches_sha256;
  check.flags_differ = check.hashes.flags_sha256 != check.signed_off.flags_sha256;
  return std::optional<SignOffCheck>(std::move(check));
}

}  // namespace rf
