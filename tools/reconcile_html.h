#ifndef RINGFENCE_TOOLS_RECONCILE_HTML_H_
#define RINGFENCE_TOOLS_RECONCILE_HTML_H_

// `reconcile --month M --format html --out F` (issue 18 item 1): gathers the
// month's figures (reconcile/month_end_figures.h, from the live views) and what the run computed
// (tally, flags and their lifecycle), renders the page
// (reconcile/html_report.h) and publishes it to the file reserved before
// anything was journalled (tools/output_file.h: whole or not at all).

#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/storage/ledger.h"
#include "reconcile/flag_lifecycle.h"
#include "reconcile/month_flags.h"
#include "reconcile/month_tally.h"
#include "reconcile/provenance.h"
#include "reconcile/table.h"
#include "tools/output_file.h"

namespace rf::cli {

struct ReconcileHtmlInputs {
  const MonthTally& tally;
  const std::vector<MonthFlag>& flags;  // critical first
  const FlagLifecycle& life;            // statuses parallel to flags
  std::string result_sha256;            // "" when not hashed
  const Provenance& provenance;         // figures are computed at its tree size
  // reconcile/equality.h's tables; nullopt until that module is wired in.
  std::optional<std::vector<Table>> equality;
};

// The figures: MonthEndFiguresFromViews over the live views at the
// provenance's tree size (MonthEndFiguresAt, a replay to it, only if the
// journal has grown since). Errors: theirs; Publish's (then nothing is left
// at the path).
Status WriteReconcileHtml(const Ledger& ledger, const Month& month, const ReconcileHtmlInputs& in,
                          NewOutputFile& out);

}  // namespace rf::cli

#endif  // RINGFENCE_TOOLS_RECONCILE_HTML_H_
