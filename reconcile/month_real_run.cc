#include "reconcile/month_real_run.h"

#include <algorithm>
#include <cassert>
#include <thread>
#include <utility>

namespace rf {

Result<RealRunCommitted> PlanAndCommitMonth(Ledger& ledger, const Month& month, const RealRunOptions& options) {
  RF_RETURN_IF_ERROR(CheckReconcileThreads(options.threads));
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
                                                 MatchDrafts::kNone));
      out.plan = std::move(plan);
      const size_t count = PlanDraftCount(out.plan);
      out.drafts_committed = count;
      if (options.before_commit) options.before_commit();
      if (count == 0) return Status::Ok();
      // The drafts are made from the plan a chunk at a time inside the one
      // transaction (300,000 at national scale are never held at once).
      const size_t chunk_max = std::max<size_t>(options.chunk_drafts_max, 1);
      size_t next = 0;
      auto c = ledger.CommitStream([&](const ViewSource&, std::vector<EntryDraft>* chunk) -> Result<bool> {
        const size_t end = std::min(count, next + chunk_max);
        chunk->reserve(end - next);
        for (; next < end; ++next) chunk->push_back(PlanDraft(out.plan, next, options.origin));
        if (options.each_chunk) options.each_chunk(*chunk);
        return next < count;
      });
      if (!c.ok()) {
        return c.status().WithContext(
            "the matcher proposed a settlement the ledger refuses (a bug; nothing was "
            "journalled): ");
      }
      assert(next == count && c->committed && c->appended.last_seq + 1 - c->appended.first_seq == count);
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
