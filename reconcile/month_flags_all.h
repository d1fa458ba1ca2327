#ifndef RINGFENCE_RECONCILE_MONTH_FLAGS_ALL_H_
#define RINGFENCE_RECONCILE_MONTH_FLAGS_ALL_H_

// A month's complete flag list, as `reconcile --month` reports it and as
// `close` checks it (issue 17 item 11): the evaluator's threshold flags over
// the views as at the month's last day (month_end_views.h: the live views,
// balances and settings taken back to that day; no replay), the rules' flag
// records (ReadRuleFlags, live views), the payee mismatches and the lines
// matching left (UnmatchedLineFlags), sorted (SortMonthFlags).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/storage/ledger.h"
#include "reconcile/month_flags.h"
#include "reconcile/month_match.h"

namespace rf {

// What a payee mismatch flag says: what is wrong and what to do.
std::string PayeeMismatchSentence(const PayeeMismatch& mismatch);

// The effective date of entry `seq`, read from `journal` (ReadRuleFlags'
// effective_of). `journal` outlives the function.
std::function<Result<Date>(uint64_t)> JournalEffectiveOf(const Journal& journal);

// The flags read from the views as at the month's last day (`month_end`:
// MonthEndViews over the live views, or the journal replayed to that day):
// the thresholds' flags (EvaluateMonthFlags), returned payments and payments
// to changed payee details, in that order. The one place the three are put
// together, for reconcile and for a sign-off's result alike.
Result<std::vector<MonthFlag>> MonthEndFlags(const ViewSource& month_end, const Month& month);

// The complete list from its parts: the evaluator's threshold flags, the
// rules' flag records, and the plan's payee mismatches and unmatched lines;
// `plan_committed` as for MonthFlags; sorted (SortMonthFlags).
std::vector<MonthFlag> AssembleMonthFlags(std::vector<MonthFlag> evaluated, std::vector<MonthFlag> rule_flags,
                                          const MonthMatchPlan& plan, bool plan_committed);

// The part of a month's flags that needs no plan, so it can be read while
// the plan is made (month_dry_run.h): MonthEndFlags over the month-end
// views, the thresholds in force on the month's last day, and the rules'
// flag records (ReadRuleFlags), all in one read snapshot.
struct MonthEndFlagsRead {
  std::vector<MonthFlag> evaluated;   // MonthEndFlags'
  std::vector<MonthFlag> rule_flags;  // ReadRuleFlags'
  FlagThresholds thresholds;
  // The journal's size in that snapshot (the size before and after the read,
  // when the two agree); nullopt when another process appended meanwhile.
  std::optional<uint64_t> journal_size;
};
// Thread-safe: it reads `ledger` through its own read transaction and
// shares nothing else (LMDB is opened MDB_NOTLS, lmdb_env.h), so it may run
// on a second thread while the first reads the same ledger. Reports no
// progress. Errors: MonthEndFlags' and ReadRuleFlags', prefixed "flags: ".
Result<MonthEndFlagsRead> ReadMonthEndFlags(const Ledger& ledger, const Month& month);

// The rest of MonthFlags once the plan is made: the planned returns' flags
// (PlannedReturnFlags, unless `plan_committed`; a snapshot of its own) and
// AssembleMonthFlags. Errors: PlannedReturnFlags', prefixed "flags: ".
Result<std::vector<MonthFlag>> FinishMonthFlags(const Ledger& ledger, MonthEndFlagsRead read,
                                                const MonthMatchPlan& plan, bool plan_committed);

// The flags of `plan.month`. `plan_committed`: the plan's settlements are in
// the journal; when false (a dry run, or `close`), the UNSETTLED_PAYMENT
// flags of the payments the plan would settle are dropped, so the list is
// what a real run would report. `progress(done, total)`: for a replay to
// month end, which the month-end views no longer need (never called now);
// may be empty. `thresholds_out`, when given, receives the thresholds the
// flags were evaluated with (in force on the month's last day;
// `--recovery-out` names them). ReadMonthEndFlags then FinishMonthFlags.
// Errors: RebuildViews', EvaluateMonthFlags' and ReadRuleFlags' (prefixed
// "flags: " for the last two).
Result<std::vector<MonthFlag>> MonthFlags(const Ledger& ledger, const MonthMatchPlan& plan, bool plan_committed,
                                          const std::function<void(uint64_t, uint64_t)>& progress = {},
                                          FlagThresholds* thresholds_out = nullptr);

// The plan and the flags of `month` from the ledger as it is, settling
// nothing (what `reconcile --month M --dry-run` lists).
// `origin`: the envelope of the (uncommitted) settlement drafts.
Result<std::vector<MonthFlag>> DryRunMonthFlags(const Ledger& ledger, const Month& month, const DraftOrigin& origin,
                                                const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MONTH_FLAGS_ALL_H_
