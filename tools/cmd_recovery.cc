#include "tools/cmd_recovery.h"

#include <cassert>
#include <cstdio>
#include <filesystem>

#include "reconcile/recovery.h"
#include "reconcile/table.h"
#include "tools/cli_output.h"

namespace rf::cli {

Status RequireNewRecoveryFile(const std::string& path) {
  if (path.empty()) return Status::InvalidInput("--recovery-out: name the transfers file to write");
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return Status::InvalidInput("--recovery-out: " + path +
                                " already exists; a recovery proposal someone may have reviewed is never overwritten");
  }
  return Status::Ok();
}

Status WriteRecoveryFile(const std::string& path, const std::vector<MonthFlag>& flags, const Month& month,
                         const FlagThresholds& thresholds, bool say) {
  const std::vector<ProposedRecovery> recoveries = ProposeRecoveries(flags, month, thresholds);
  const std::string csv = RenderCsv(RecoveriesTable(recoveries));
  assert(!csv.empty());
  RF_RETURN_IF_ERROR(WriteFileAtomically(path, csv));
  if (!say) return Status::Ok();
  if (recoveries.empty()) {
    NoteF("No DP surplus in %s: %s holds only the header.\n", month.ToString().c_str(), path.c_str());
  } else {
    NoteF(
        "Proposed %zu DP surplus recover%s in %s: agree each with the holder, write your name in "
        "authorised_by (the file does not load without it), then run `ringfence ingest transfers %s`.\n",
        recoveries.size(), recoveries.size() == 1 ? "y" : "ies", path.c_str(), path.c_str());
  }
  return Status::Ok();
}

}  // namespace rf::cli
