#ifndef RINGFENCE_LEDGER_AUDIT_VIEWS_REBUILD_H_
#define RINGFENCE_LEDGER_AUDIT_VIEWS_REBUILD_H_

// `ringfence views rebuild`: rewrites the stored views from the journal, so a
// ledger whose views were written in an earlier stored form (README,
// "Rule 1 at every date") verifies again without touching its journal.
//
// What must hold:
// - The journal is verified first (chain, tree, every checkpoint signature:
//   VerifyLedgerInTxn), in the same transaction as the rewrite. A damaged
//   journal is refused, Tampered naming the entry, nothing written: a
//   rebuild must never make a tampered journal's views look sound.
// - Every entry is replayed (DiffViewsInTxn, the replay `verify` runs) and
//   the views are made exactly the rebuilt ones (added, replaced, removed)
//   in ONE LMDB write transaction: all or nothing, so a crash leaves the old
//   views. Nothing is appended to the journal, no checkpoint is signed: the
//   tree size and root are unchanged.
// - Afterwards CompareViews (verify) finds no difference.
//
// Memory: bounded, not the journal's length. The replay spills its views
// to a scratch database under TMPDIR (DiffViewsInTxn, scratch_env.h), and
// the changes found wait in another until the comparison ends; both are
// removed on return, and need about the views' size on disk. LMDB keeps the
// ledger transaction's dirty pages until commit, spilling them to its file
// once they are many.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "ledger/audit/ledger_verify.h"
#include "ledger/storage/journal.h"

namespace rf {

struct ViewsRebuildCounts {
  uint64_t added = 0;    // views the ledger lacked
  uint64_t removed = 0;  // views no entry produces
  uint64_t changed = 0;  // views whose value differed
};

struct ViewsRebuildReport {
  LedgerVerifyReport journal;    // what was verified before anything else
  uint64_t views_unchanged = 0;  // views that already matched the journal
  // By family: the key up to and including its first '/' ("bal/").
  std::map<std::string, ViewsRebuildCounts, std::less<>> families;
  bool written = false;  // false for a dry run or when nothing differed

  ViewsRebuildCounts Totals() const;
};

// `dry_run` reads in a read transaction and writes nothing (the report is
// what a rebuild would do). REQUIRES: `journal` opened writable unless dry_run.
// Errors: Tampered when the journal does not verify or an entry cannot be
// replayed (naming it); Io (LMDB). On any error nothing is written.
Result<ViewsRebuildReport> RebuildStoredViews(const Journal& journal, bool dry_run,
                                              const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace rf

#endif  // RINGFENCE_LEDGER_AUDIT_VIEWS_REBUILD_H_
