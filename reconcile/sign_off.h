#ifndef RINGFENCE_RECONCILE_SIGN_OFF_H_
#define RINGFENCE_RECONCILE_SIGN_OFF_H_

// Signing off a month's reconciliation and checking it later (issue 17
// item 10; `reconcile --month M --sign-off NAME`, `reconcile --month M
// --check`).
//
// The result signed (month_result.h) is computed from the journal as it
// stood at a tree size N, never from the journal as it is:
//   lines, rule flags, unmatched-line flags  views of the first N entries
//       (every rule enforced, as when posted: the ledger's views at N); the
//       matching plan over them uses the configured window
//       (match.window_business_days as those entries set it);
//   threshold flags  views of the first N entries effective on or before
//       the month's last day (balances and settings then, month_flags.h).
// Entries after N, whatever their date (later months, a config.set, a
// back-dated invoice), are not read, so the result at N is the same value
// every time it is computed. `reconcile --month M` computes it at the size
// its settlements left (N), prints its hash, and with --sign-off journals a
// reconcile.signoff entry naming N and the hashes; --check recomputes the
// result at the latest sign-off's N and compares.
//
// Cost: at the journal's current size the live views serve the first part
// (one replay, the month-end one, as `reconcile` always did); at an earlier
// N (a check) both parts are replays: two passes over the first N entries,
// memory the views of one at a time.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"
#include "reconcile/month_flags_all.h"
#include "reconcile/month_match.h"
#include "reconcile/month_result.h"
#include "reconcile/month_tally.h"

namespace rf {

using ReplayProgress = std::function<void(uint64_t, uint64_t)>;

// The result of `month` from the journal's first `tree_size` entries, in
// CanonicalOrder. `window_business_days`: nullopt for the configured window
// (what a sign-off signs); a value recomputes what a run with --window-days
// reports. Errors: InvalidInput when the journal holds fewer entries;
// PlanMonthMatch's, RebuildViewsAt's, the flags' (prefixed "flags: ").
Result<MonthResult> MonthResultAt(const Ledger& ledger, const Month& month, uint64_t tree_size,
                                  std::optional<uint32_t> window_business_days, const ReplayProgress& progress = {});

// What a real run committed: `plan` (PlanMonthMatchKeepingLines, its lines
// kept in `lines`), whose `drafts_committed` drafts (one per match, then one
// per return, as the plan made them; 0 when none) were appended as
// `appended` (nullopt when nothing was committed).
struct CommittedPlan {
  const MonthMatchPlan& plan;
  const MonthTallyLines& lines;
  uint64_t drafts_committed = 0;
  std::optional<AppendResult> appended;
};

// MonthResultAt(ledger, plan.month, N, window) for the journal's size N
// after the commit, without planning the month again: the lines are those
// the plan read, with what the commit settled; the flags are evaluated over
// the live views at N, and the lines' flags are the plan's. Equal to
// MonthResultAt's (its hash and every flag's sentence; tested on random
// ledgers) when it returns a value, which it does only when it can show the
// plan is what planning again would give:
//   - nothing else was appended: the lines were read at size S, the commit
//     appended entries S+1 .. S+drafts_committed, and the flags were read at
//     S+drafts_committed (an append by another process: nullopt);
//   - the plan read every line of the month (its settled and unmatched
//     lines add up to the month's);
//   - no line the plan leaves (nor a payee mismatch) names a payment or run
//     the commit settled or returned, nor lists the most candidates a reason
//     lists (some may be left out): a second plan, with those settled, could
//     read such a line differently.
// nullopt: the caller computes MonthResultAt. `*tree_size` receives N.
// Errors: the views', the flags' (prefixed "flags: ").
Result<std::optional<MonthResult>> MonthResultAfterCommit(const Ledger& ledger, const CommittedPlan& committed,
                                                          uint64_t* tree_size);

// The same result with the flags read BEFORE the commit, in the snapshot the
// plan read its lines in (`pre_commit`: ReadMonthEndFlags, on a second
// thread while the plan is made and committed: month_real_run.h), adjusted
// as a dry run adjusts them (FinishMonthFlags with plan_committed=false:
// the UNSETTLED_PAYMENT flags of the payments the plan settles dropped), so
// the month's flags are not evaluated a second time after the commit.
// Equal to MonthResultAfterCommit's and MonthResultAt's (tested on random
// ledgers) because a settlement (payment.settled, apply_payments.cc) changes
// only what UNSETTLED_PAYMENT reads: it posts nothing (no balance, so no
// DP_SURPLUS, UNDERSPEND, POT_UNALLOCATED moves), writes no flag record (no
// rule flag), keeps each payment's seq, run date and first-payment dates
// (every DELAY_* flag, PAYEE_DETAILS_CHANGED), and sets state settled,
// settled_on = the line's date (in the month, so "settled by month end").
// A batch settles every pending payment of its run, which are the run's
// payments the plan lists (an eligible run has them all open). A return
// does more (money back in a budget, the first-payment dates moved, the
// PAYMENT_RETURNED flag's evidence seq), so a plan with returns is not
// built this way. nullopt (the caller evaluates after the commit:
// MonthResultAfterCommit) unless, besides MonthResultAfterCommit's
// conditions on the lines: the plan has no returns, and the flags' snapshot
// had the journal size the plan's lines were read at
// (pre_commit.journal_size == committed.lines.journal_size, the commit
// appended right after it). `*tree_size` receives N.
bool PreCommitFlagsUsable(const CommittedPlan& committed, const MonthEndFlagsRead& pre_commit);
std::optional<MonthResult> MonthResultFromPreCommitFlags(const CommittedPlan& committed, MonthEndFlagsRead pre_commit,
                                                         uint64_t* tree_size);

// The reconcile.signoff entry: `by` signs `hashes` of `result`, computed at
// `tree_size`; dated `effective` (the day it was signed).
// REQUIRES: by has a letter; tree_size >= 1.
EntryDraft SignOffDraft(const MonthResult& result, const MonthResultHashes& hashes, uint64_t tree_size,
                        const std::string& by, Date effective, const DraftOrigin& origin);

// What --check found: the latest sign-off of the month and the result
// recomputed at its tree size.
struct SignOffCheck {
  SignOffRecord signed_off;
  MonthResult recomputed;
  MonthResultHashes hashes;
  bool reproduces = false;  // result_sha256 equal
  bool matches_differ = false, flags_differ = false;
};

// nullopt when `month` was never signed off. Journals nothing.
// Errors: Tampered from a sign-off record that cannot be read; MonthResultAt's.
Result<std::optional<SignOffCheck>> CheckSignOff(const Ledger& ledger, const Month& month,
                                                 const ReplayProgress& progress = {});

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_SIGN_OFF_H_
