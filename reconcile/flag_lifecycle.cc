#include "reconcile/flag_lifecycle.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <utility>

#include "ledger/core/flag_life.h"

namespace rf {

std::string_view ToString(FlagSection section) {
  switch (section) {
    case FlagSection::kNew:
      return "new";
    case FlagSection::kCarried:
      return "carried_over";
    case FlagSection::kExplained:
      return "explained";
    case FlagSection::kResolved:
      return "resolved";
  }
  return "";
}

RaisedFlagFields RaisedFlagOf(const MonthFlag& flag) {
  return RaisedFlagFields{.id = FlagId(flag),
                          .code = std::string(ToString(flag.code)),
                          .severity = std::string(ToString(flag.severity)),
                          .entity = flag.entity,
                          .amount = flag.amount_at_stake_pence};
}

namespace {

// The status of a flag of `month` whose record, after the month's entries,
// is `after`.
FlagStatus LifecycleStatusOf(const FlagLifeRecord& after, const Month& month) {
  FlagStatus s;
  s.state = after.state;
  s.first_month = after.first_month;
  s.age_months = std::max<int32_t>(0, MonthsBetween(after.first_month, month));
  s.reopened = after.reopened > 0 && after.first_month == month;
  s.note = after.note;
  s.reason = after.reason;
  s.actor = after.actor;
  s.action_seq = after.action_seq;
  switch (after.state) {
    case FlagState::kResolved:
      s.section = FlagSection::kResolved;
      break;
    case FlagState::kExplained:
      s.section = FlagSection::kExplained;
      break;
    case FlagState::kOpen:
      s.section = s.age_months > 0 ? FlagSection::kCarried : FlagSection::kNew;
      break;
  }
  return s;
}

}  // namespace

Result<FlagLifecycle> PlanFlagLifecycle(const ViewSource& views, const Month& month,
                                        const std::vector<MonthFlag>& flags, const DraftOrigin& origin,
                                        bool make_drafts) {
  FlagLifecycle out;
  out.statuses.reserve(flags.size());
  RF_ASSIGN(closed, views.Get(kClosedKey));
  if (closed) {
    RF_ASSIGN(closed_month, ParseMonth(*closed, "closed"));
    out.month_closed = !(closed_month < month);
  }
  // The records are read in the flags' order: by severity, then code and
  // entity, so three ascending runs of flagstate/ keys (neighbouring reads
  // share the index's pages).
  std::vector<uint32_t> changed;  // flag indexes
  // One flag's entry form at a time, its strings' storage reused.
  RaisedFlagFields raised;
  for (uint32_t i = 0; i < flags.size(); ++i) {
    const MonthFlag& flag = flags[i];
    raised.code.assign(ToString(flag.code));
    raised.id.assign(raised.code).append("/").append(flag.entity);  // FlagId(flag), its storage reused
    raised.severity.assign(ToString(flag.severity));
    raised.entity.assign(flag.entity);
    raised.amount = flag.amount_at_stake_pence;
    if (!CheckRaisedFlag(raised, "flag").ok()) return CheckRaisedFlag(raised, "flag " + raised.id.substr(0, 120));
    RF_ASSIGN(before, FindRecord<FlagLifeRecord>(views, raised.id));
    // A closed month records nothing: its flags show as their records stand.
    const bool changes = !out.month_closed && RaiseChanges(before, raised, month);
    if (changes) changed.push_back(i);
    if (!before) {
      // Raised for the first time now (RaiseFlag: open, first raised this
      // month, never reopened), or never recorded (a closed month reconciled
      // before flags were journalled): open, new.
      out.statuses.push_back(FlagStatus{.section = FlagSection::kNew,
                                   .state = FlagState::kOpen,
                                   .first_month = month,
                                   .age_months = 0,
                                   .reopened = false,
                                   .note = "",
                                   .reason = "",
                                   .actor = "",
                                   .action_seq = std::nullopt});
      continue;
    }
    if (changes) {
      const FlagLifeRecord after = RaiseFlag(before, raised, month, /*seq=*/0);
      assert(after.id == raised.id);
      out.statuses.push_back(LifecycleStatusOf(after, month));
    } else {
      assert(before->id == raised.id);
      out.statuses.push_back(LifecycleStatusOf(*before, month));
    }
  }
  assert(out.statuses.size() == flags.size());
  out.flags_recorded = changed.size();
  if (!make_drafts) return out;
  for (size_t i = 0; i < changed.size(); i += kFlagsPerRaisedEntryMax) {
    const size_t end = std::min(changed.size(), i + kFlagsPerRaisedEntryMax);
    std::vector<RaisedFlagFields> chunk;
    chunk.reserve(end - i);
    for (size_t k = i; k < end; ++k) chunk.push_back(RaisedFlagOf(flags[changed[k]]));
    out.drafts.push_back(FlagsRaisedDraft(month, chunk, origin));
  }
  return out;
}

Result<FlagLifecycle> RecordFlagLifecycle(Ledger& ledger, const Month& month, const std::vector<MonthFlag>& flags,
                                          const DraftOrigin& origin, bool dry_run) {
  Result<FlagLifecycle> plan = Status::InvalidInput("no plan");
  RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) {
    // A dry run journals nothing: its drafts would only be dropped.
    plan = PlanFlagLifecycle(views, month, flags, origin, /*make_drafts=*/!dry_run);
    return plan.status();
  }));
  if (dry_run || plan->drafts.empty()) return plan;
  // Handed over, not copied (1,000 entries listing 500,000 flags at
  // national scale): nothing reads them after the commit.
  auto committed = ledger.Commit(std::move(plan->drafts));
  plan->drafts.clear();  // moved from: empty, and said so
  if (!committed.ok()) return committed.status().WithContext("flags: ");
  plan->appended = committed->appended;
  return plan;
}

std::string FlagStatusText(const FlagStatus& s) {
  const auto months = [](int32_t n) { return std::to_string(n) + (n == 1 ? " month" : " months"); };
  const std::string by = s.actor.empty() ? "" : " by " + s.actor;
  switch (s.section) {
    case FlagSection::kNew:
      return s.reopened ? "reopened: resolved before, raised again" : "new";
    case FlagSection::kCarried:
      return "carried over from " + s.first_month.ToString() + ", " + months(s.age_months);
    case FlagSection::kExplained:
      return "explained" + by + ": " + s.note +
             (s.age_months > 0 ? " (raised since " + s.first_month.ToString() + ", " + months(s.age_months) + ")" : "");
    case FlagSection::kResolved:
      return "resolved" + by + ": " + s.reason;
  }
  return "";
}

}  // namespace rf
