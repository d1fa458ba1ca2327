#ifndef RINGFENCE_RECONCILE_MONTH_REAL_RUN_H_
#define RINGFENCE_RECONCILE_MONTH_REAL_RUN_H_

// A real run's plan and commit (`reconcile --month M` without --dry-run),
// with the month-end flags read on a second thread meanwhile (issue 17's
// target; README "Two threads").
//
// The month-end flags (ReadMonthEndFlags) need no plan, so a std::jthread
// reads them from the start, in a snapshot of the journal BEFORE the commit,
// while the calling thread makes the plan (PlanMonthMatchKeepingLines,
// MatchDrafts::kNone) and commits its drafts, made a chunk at a time
// (PlanDraft; one write transaction: Ledger::CommitStream). The
// result's flags are then built from that read (MonthResultFromPreCommitFlags,
// sign_off.h) instead of being evaluated again after the commit, when it
// can be shown to be the same list. Contracts:
// - Each thread reads through its own LMDB read transactions (MDB_NOTLS,
//   lmdb_env.h); the commit's write transaction runs beside the worker's
//   read one (LMDB's one writer, many readers). The worker writes only its
//   own result, read after the join.
// - One journal size: the worker's read is used only when its snapshot had
//   the size the plan read its lines at and the commit appended right after
//   it (nothing else appended: ReadMonthEndFlags' journal_size, the plan's
//   MonthTallyLines::journal_size, the commit's first seq); else the flags
//   are evaluated after the commit, as on one thread.
// - Errors are values, in the one-thread order: the plan's, then the
//   commit's; the worker's read is dropped when it failed (the flags are then
//   evaluated after the commit, which reports its own error, as one thread
//   does). A failed plan or commit waits for the worker (joined) before it
//   is returned.
// - Memory: the worker's flags (one MonthFlag each) are held through the
//   commit; the flags are then not evaluated again after it. The plan's
//   drafts are never all held: at most chunk_drafts_max of them, made by
//   PlanDraft inside the one transaction (the drafts MatchDrafts::kBuild
//   would hold, in the same order: the same journal), and the commit's
//   per-chunk state (applied views, built lines) is as bounded.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/storage/ledger.h"
#include "reconcile/month_flags_all.h"
#include "reconcile/month_match.h"
#include "reconcile/month_tally.h"
#include "reconcile/run_threads.h"

namespace rf {

// The worker and the calling thread.
inline constexpr unsigned kRealRunThreadsMax = kReconcileThreadsMax;
// Drafts made and applied per chunk of the commit (as ingest's rows).
inline constexpr size_t kRealRunChunkDrafts = 10'000;

struct RealRunOptions {
  std::optional<uint32_t> window_days;    // PlanMonthMatch's window_business_days
  DraftOrigin origin;                     // the settlement drafts' envelope
  unsigned threads = kRealRunThreadsMax;  // 1 (no worker: the flags read after the commit) or 2
  // Tests only: called on the worker before it reads, and on the calling
  // thread after the plan, before the commit (to append as another process
  // would).
  std::function<void()> before_worker_reads;
  std::function<void()> before_commit;
  // Tests only: drafts per chunk (0 is taken as 1), and a look at each chunk
  // as it is handed to the commit.
  size_t chunk_drafts_max = kRealRunChunkDrafts;
  std::function<void(const std::vector<EntryDraft>&)> each_chunk;
};

// What the run planned and committed, and the worker's read.
struct RealRunCommitted {
  MonthMatchPlan plan;    // planned under MatchDrafts::kNone (drafts empty)
  MonthTallyLines lines;  // as PlanMonthMatchKeepingLines kept them
  uint64_t drafts_committed = 0;
  std::optional<AppendResult> appended;  // nullopt when nothing was committed
  // The worker's read, when it succeeded (two threads); its journal_size
  // says which snapshot (MonthResultFromPreCommitFlags checks it).
  std::optional<MonthEndFlagsRead> pre_commit;
};

// Plans `month`, commits the plan's drafts (one transaction: a refused one
// refuses the month, nothing written), reading the month-end flags meanwhile
// when options.threads is 2. Errors: InvalidInput for threads not 1 or 2;
// PlanMonthMatchKeepingLines'; the commit's, prefixed "the matcher proposed
// a settlement the ledger refuses (a bug; nothing was journalled): ".
Result<RealRunCommitted> PlanAndCommitMonth(Ledger& ledger, const Month& month, const RealRunOptions& options);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MONTH_REAL_RUN_H_
