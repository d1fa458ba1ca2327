#include "reconcile/month_dry_run.h"

#include <malloc.h>

#include <thread>
#include <utility>

#include "reconcile/equality.h"
#include "reconcile/month_flags_all.h"
#include "reconcile/provenance.h"

namespace rf {

Result<MonthTallyAndTables> ReadTallyAndTables(const Ledger& ledger, const MonthMatchPlan& plan,
                                               const MonthTallyLines& tally_lines) {
  MonthTallyAndTables out;
  const auto read = [&]() -> Status {
    RF_ASSIGN(tally, TallyMonth(ledger, plan, &tally_lines));
    out.tally = std::move(tally);
    return ledger.ReadViews([&](const ViewSource& views) -> Status {
      RF_ASSIGN(found, FindRecord<SignOffRecord>(views, plan.month.ToString()));
      out.sign_off = std::move(found);
      // Equality and provider diversity as of month end (reconcile/equality.h).
      RF_ASSIGN(equality, BuildEqualityTables(views, plan.month.last_day(), EqualityOptions{}));
      out.equality = std::move(equality);
      return Status::Ok();
    });
  };
  RF_ASSIGN(size, AtStableSize(ledger.journal(), read));
  out.tree_size = size;
  return out;
}

namespace {

// One thread: the plan, then the flags, then the rest.
Result<DryRunReads> ReadOnOneThread(const Ledger& ledger, const Month& month, const DryRunReadOptions& options) {
  DryRunReads out;
  MonthTallyLines tally_lines;
  RF_ASSIGN(plan, PlanMonthMatchKeepingLines(ledger, month, options.window_days, options.origin, tally_lines,
                                             MatchDrafts::kNone));
  out.plan = std::move(plan);
  RF_ASSIGN(flags, MonthFlags(ledger, out.plan, /*plan_committed=*/false, {}, &out.thresholds));
  out.flags = std::move(flags);
  RF_ASSIGN(rest, ReadTallyAndTables(ledger, out.plan, tally_lines));
  out.rest = std::move(rest);
  return out;
}

// Two threads: the month-end flags on a worker while this thread makes the
// plan and reads the rest. nullopt when the journal grew meanwhile.
Result<std::optional<DryRunReads>> ReadOnTwoThreads(const Ledger& ledger, const Month& month,
                                                    const DryRunReadOptions& options) {
  RF_ASSIGN(size_before, ledger.journal().Size());
  DryRunReads out;
  MonthTallyLines tally_lines;
  Result<MonthEndFlagsRead> month_end = Status::InvalidInput("flags: not read");
  Result<MonthMatchPlan> plan = Status::InvalidInput("no plan");
  Result<MonthTallyAndTables> rest = Status::InvalidInput("no tally");
  {
    // The worker writes only `month_end`, read after the join below.
    std::jthread worker([&ledger, &month, &options, &month_end] {
      if (options.before_worker_reads) options.before_worker_reads();
      month_end = ReadMonthEndFlags(ledger, month);
    });
    plan =
        PlanMonthMatchKeepingLines(ledger, month, options.window_days, options.origin, tally_lines, MatchDrafts::kNone);
    if (plan.ok()) rest = ReadTallyAndTables(ledger, *plan, tally_lines);
    // What this thread freed (the plan's and the tables' working memory)
    // is given back to the system while the worker still grows: its arena
    // cannot reuse this thread's free pages. Measured: national peak RSS
    // lower in 3 of 4 runs (bench/README.md, "Merged: seventh session").
    malloc_trim(0);
  }  // joined
  // The one-thread order of errors.
  if (!plan.ok()) return plan.status();
  if (!month_end.ok()) return month_end.status();
  out.plan = std::move(*plan);
  out.thresholds = month_end->thresholds;
  RF_ASSIGN(flags, FinishMonthFlags(ledger, std::move(*month_end), out.plan, /*plan_committed=*/false));
  out.flags = std::move(flags);
  if (!rest.ok()) return rest.status();
  RF_ASSIGN(size_after, ledger.journal().Size());
  // The journal only grows: equal sizes before the first read and after the
  // last mean every snapshot between saw the same journal.
  if (size_after != size_before || rest->tree_size != size_before) return std::optional<DryRunReads>();
  out.rest = std::move(*rest);
  out.two_threads = true;
  return std::optional<DryRunReads>(std::move(out));
}

}  // namespace

Result<DryRunReads> ReadDryRunMonth(const Ledger& ledger, const Month& month, const DryRunReadOptions& options) {
  RF_RETURN_IF_ERROR(CheckReconcileThreads(options.threads));
  if (options.threads == 1) return ReadOnOneThread(ledger, month, options);
  RF_ASSIGN(two, ReadOnTwoThreads(ledger, month, options));
  if (two) return std::move(*two);
  // Another process appended while the two threads read: read again on one,
  // as a one-thread run would have.
  RF_ASSIGN(one, ReadOnOneThread(ledger, month, options));
  one.fell_back = true;
  return one;
}

}  // namespace rf
