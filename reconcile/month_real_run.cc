#include "reconcile/month_real_run.h"

#include <cassert>
#include <thread>
#include <utility>

namespace rf {

Result<RealRunCommitted> PlanAndCommitMonth(Ledger& ledger, const Month& month, const RealRunOptions& options) {
  if (options.threads != 1 && options.threads != kRealRunThreadsMax) {
    return Status::InvalidInput("--threads: 1 or 2, not " + std::to_string(options.threads));
  }
  RealRunCommitted out;
  Result<MonthEndFlagsRead> month_end = Status::InvalidInput("flags: not read");
  Status planned_and_committed = Status::Ok();
  {
    // The worker writes only `month_end`, read after the join below.
    std::optional<std::jthread> worker;
    if (options.threads == kRealRunThreadsMax) {
      const Ledger& reader = ledger;
      worker.emplace([&reader, &month, &options, &month_end] {
        if (options.before_worker_reads) options.before_worker_reads();
        month_end = ReadMonthEndFlags(reader, month);
      });
    }
    planned_and_committed = [&]() -> Status {
      RF_ASSIGN(plan, PlanMonthMatchKeepingLines(ledger, month, options.window_days, options.origin, out.lines,
                                                 MatchDrafts::kBuild));
      out.plan = std::move(plan);
      out.drafts_committed = out.plan.drafts.size();
      if (options.before_commit) options.before_commit();
      if (out.plan.drafts.empty()) return Status::Ok();
      // The drafts are handed over, not copied (300,000 at national scale):
      // nothing reads them after the commit.
      auto c = ledger.Commit(std::move(out.plan.drafts));
      out.plan.drafts.clear();  // moved from: empty, and said so
      if (!c.ok()) {
        return c.status().WithContext(
            "the matcher proposed a settlement the ledger refuses (a bug; nothing was "
            "journalled): ");
      }
      out.appended = c->appended;
      return Status::Ok();
    }();
  }  // joined
  if (!planned_and_committed.ok()) return planned_and_committed;
  assert(out.plan.drafts.empty());
  assert(out.drafts_committed == 0 || out.appended.has_value());
  if (month_end.ok()) out.pre_commit = std::move(*month_end);
  return out;
}

}  // namespace rf
