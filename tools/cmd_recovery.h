#ifndef RINGFENCE_TOOLS_CMD_RECOVERY_H_
#define RINGFENCE_TOOLS_CMD_RECOVERY_H_

// `reconcile --month M --recovery-out FILE`: the month's proposed DP surplus
// recoveries (reconcile/recovery.h) written as a transfers CSV for a person
// to review and then load with `ringfence ingest transfers FILE`.

#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "reconcile/flags.h"
#include "reconcile/month_flags.h"

namespace rf::cli {

// Checked before reconcile journals anything: a path is named and nothing is
// there (a proposal a person may already have reviewed is never
// overwritten). Errors: InvalidInput naming --recovery-out.
Status RequireNewRecoveryFile(const std::string& path);

// Writes the proposals for `flags` (one row per DP_SURPLUS flag; only the
// header when there is none) to `path` atomically and, when `say`, tells
// stderr how many and what to do next. Errors: Io naming the path (nothing
// written).
Status WriteRecoveryFile(const std::string& path, const std::vector<MonthFlag>& flags, const Month& month,
                         const FlagThresholds& thresholds, bool say);

}  // namespace rf::cli

#endif  // RINGFENCE_TOOLS_CMD_RECOVERY_H_
