#include "reconcile/flag_lifecycle.h"

#include <cassert>
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
  return RaisedFlagFields{.id = flag.id,
                          .code = flag.code,
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
                                        const std::vector<MonthFlag>& flags, const DraftOrigin& origin) {
  FlagLifecycle out;
  out.statuses.reserve(flags.size());
  RF_ASSIGN(closed, views.Get(kClosedKey));
  if (closed) {
    RF_ASSIGN(closed_month, ParseMonth(*closed, "closed"));
    out.month_closed = !(closed_month < month);
  }
  std::vector<RaisedFlagFields> changed;
  for (const MonthFlag& flag : flags) {
    const RaisedFlagFields raised = RaisedFlagOf(flag);
    RF_RETURN_IF_ERROR(CheckRaisedFlag(raised, "flag " + flag.id.substr(0, 120)));
    RF_ASSIGN(before, FindRecord<FlagLifeRecord>(views, flag.id));
    // A closed month records nothing: its flags show as their records stand.
    const bool changes = !out.month_closed && RaiseChanges(before, raised, month);
    if (changes) changed.push_back(raised);
    if (!changes && !before) {
      // Never recorded (a closed month reconciled before flags were
      // journalled): open, new.
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
    const FlagLifeRecord after = changes ? RaiseFlag(before, raised, month, /*seq=*/0) : *before;
    assert(after.id == flag.id);
    out.statuses.push_back(LifecycleStatusOf(after, month));
  }
  assert(out.statuses.size() == flags.size());
  out.flags_recorded = changed.size();
  for (size_t i = 0; i < changed.size(); i += kFlagsPerRaisedEntryMax) {
    const size_t end = std::min(changed.size(), i + kFlagsPerRaisedEntryMax);
    const std::vector<RaisedFlagFields> chunk(changed.begin() + static_cast<std::ptrdiff_t>(i),
                                              changed.begin() + static_cast<std::ptrdiff_t>(end));
    out.drafts.push_back(FlagsRaisedDraft(month, chunk, origin));
  }
  return out;
}

Result<FlagLifecycle> RecordFlagLifecycle(Ledger& ledger, const Month& month, const std::vector<MonthFlag>& flags,
                                          const DraftOrigin& origin, bool dry_run) {
  Result<FlagLifecycle> plan = Status::InvalidInput("no plan");
  RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) {
    plan = PlanFlagLifecycle(views, month, flags, origin);
    return plan.status();
  }));
  if (dry_run || plan->drafts.empty()) return plan;
  auto committed = ledger.Commit(plan->drafts);
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
