#ifndef RINGFENCE_RECONCILE_MONTH_DRY_RUN_H_
#define RINGFENCE_RECONCILE_MONTH_DRY_RUN_H_

// Everything `reconcile --month M --dry-run` reads before it prints: the
// plan (PlanMonthMatchKeepingLines), the month's flags (ReadMonthEndFlags
// then FinishMonthFlags), the tally, the month's sign-off and the equality
// tables, with the journal size they reflect.
//
// Two threads (issue 17's target, README "Two threads"): the
// month-end flags need no plan, so a second thread (std::jthread) reads them
// while the calling thread makes the plan and then reads the tally, the
// sign-off and the equality tables. Never more than two. Contracts:
// - Each thread reads through its own LMDB read transactions (the
//   environment is opened MDB_NOTLS, lmdb_env.h; LmdbEnv::NoteRead's
//   mapped-pages bound is thread-safe). The threads share nothing else: the
//   worker writes only its own result, read after the join.
// - One journal size: the journal only grows, so when its size before the
//   first read equals its size after the last, every snapshot either thread
//   read saw that size. Otherwise (another process appended meanwhile) the
//   two threads' results are dropped and everything is read again on one
//   thread, in the order `threads = 1` reads it (`fell_back`).
// - Errors are values: each thread's Result is kept and reported after the
//   join in the one-thread order (the plan's, then the flags', then the
//   tally's, sign-off's or equality tables'); a failed read is never retried.
// - Progress: the worker reports none (nothing it reads is long enough to).
// - Deterministic: the same reads, each in its own snapshot, give the same
//   values on either thread, so the output is byte-identical to one thread.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"
#include "reconcile/flags.h"
#include "reconcile/month_flags.h"
#include "reconcile/month_match.h"
#include "reconcile/month_tally.h"
#include "reconcile/run_threads.h"
#include "reconcile/table.h"

namespace rf {

inline constexpr unsigned kDryRunThreadsMax = kReconcileThreadsMax;

struct DryRunReadOptions {
  std::optional<uint32_t> window_days;   // PlanMonthMatch's window_business_days
  DraftOrigin origin;                    // PlanMonthMatch's
  unsigned threads = kDryRunThreadsMax;  // 1 or 2 (`reconcile --threads`)
  // Tests only: called on the worker thread before it reads (to append
  // between the two threads' snapshots).
  std::function<void()> before_worker_reads;
};

// What every reconcile output reflects besides the plan and the flags: the
// tally, the month's latest sign-off and the equality tables as of month
// end, read at one journal size (`tree_size`, whose signed root is stated).
struct MonthTallyAndTables {
  MonthTally tally;
  std::optional<SignOffRecord> sign_off;
  std::vector<Table> equality;  // BuildEqualityTables as of month end
  uint64_t tree_size = 0;
};
// Reads them after `plan` (TallyMonth with `tally_lines`, as
// PlanMonthMatchKeepingLines kept them), repeating the reads while another
// process appends (AtStableSize). Errors: TallyMonth's,
// BuildEqualityTables', AtStableSize's; Tampered from the sign-off record.
Result<MonthTallyAndTables> ReadTallyAndTables(const Ledger& ledger, const MonthMatchPlan& plan,
                                               const MonthTallyLines& tally_lines);

struct DryRunReads {
  MonthMatchPlan plan;
  std::vector<MonthFlag> flags;  // sorted (SortMonthFlags)
  FlagThresholds thresholds;     // in force on the month's last day
  MonthTallyAndTables rest;
  bool two_threads = false;  // the two threads' reads were used
  bool fell_back = false;    // two threads saw the journal grow: read again on one
};

// The month's reads as above, on `options.threads` threads. `ledger` may be
// read-only. Errors: PlanMonthMatchKeepingLines', MonthFlags', TallyMonth's,
// BuildEqualityTables', AtStableSize's; InvalidInput for threads not 1 or 2.
Result<DryRunReads> ReadDryRunMonth(const Ledger& ledger, const Month& month, const DryRunReadOptions& options);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MONTH_DRY_RUN_H_
