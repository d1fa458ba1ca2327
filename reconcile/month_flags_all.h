#ifndef RINGFENCE_RECONCILE_MONTH_FLAGS_ALL_H_
#define RINGFENCE_RECONCILE_MONTH_FLAGS_ALL_H_

// A month's complete flag list, as `reconcile --month` reports it and as
// `close` checks it (issue 17 item 11): the evaluator's threshold flags over
// views rebuilt to the month's last day (month_flags.h), the rules' flag
// records (ReadRuleFlags, live views), the payee mismatches and the lines
// matching left (UnmatchedLineFlags), sorted (SortMonthFlags).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/storage/ledger.h"
#include "reconcile/month_flags.h"
#include "reconcile/month_match.h"

namespace rf {

// What a payee mismatch flag says: what is wrong and what to do.
std::string PayeeMismatchSentence(const PayeeMismatch& mismatch);

// The flags of `plan.month`. `plan_committed`: the plan's settlements are in
// the journal; when false (a dry run, or `close`), the UNSETTLED_PAYMENT
// flags of the payments the plan would settle are dropped, so the list is
// what a real run would report. `progress(done, total)` reports the replay
// to month end; may be empty. `thresholds_out`, when given, receives the
// thresholds the flags were evaluated with (in force on the month's last
// day; `--recovery-out` names them).
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
