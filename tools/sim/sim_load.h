#ifndef RINGFENCE_TOOLS_SIM_SIM_LOAD_H_
#define RINGFENCE_TOOLS_SIM_SIM_LOAD_H_

// Loading a simulated year (DIR/manifest.tsv) into a ledger, step by step,
// through the functions the commands call: `config set`, `ingest`,
// `approve invoices --all-valid`, `pay` and `reconcile --month` (matching
// committed, then the month's flags and their lifecycle, as the command
// records them). `ringfence simulate` runs the same steps on its scratch
// ledger (DIR/.work) to learn what each payment run pays; the demo and the
// truth test run them on a fresh ledger.
//
// Manifest: one step a line, tab-separated: month, operation, arguments.
//   <YYYY-MM> config    <key> <value> <date>
//   <YYYY-MM> ingest    <kind> <file, relative to DIR>
//   <YYYY-MM> approve   <date>          (approve invoices --all-valid --date)
//   <YYYY-MM> pay       <date>          (pay --date; the file goes to the work dir)
//   <YYYY-MM> reconcile <YYYY-MM>
// Lines starting with '#' are comments. Each step runs as if today were the
// month's first day (DIR/load.sh sets RINGFENCE_TODAY so).

#include <functional>
#include <string>
#include <vector>

#include "ledger/payments/payment_run.h"
#include "ledger/storage/ledger.h"
#include "reconcile/month_flags.h"

namespace rf::sim {

struct SimStep {
  std::string month, op;
  std::vector<std::string> args;
};

std::string StepLine(const SimStep& step);
Result<std::vector<SimStep>> ReadManifest(const std::string& path);

struct StepOutcome {
  std::optional<PaymentRunPlan> run;  // pay: the run made (none when nothing was due)
  std::vector<MonthFlag> flags;       // reconcile with flags: the month's flags
};

struct StepOptions {
  std::string dir;       // the simulated folder (files are relative to it)
  std::string work_dir;  // where pay writes its pain.001 files
  std::string actor = "finance.manager";
  bool flags = true;  // reconcile: compute and record the flags (false: matching only)
};

// Runs one step. Errors: the step's own (ingest, approval, run, matching).
Result<StepOutcome> RunStep(Ledger& ledger, const SimStep& step, const StepOptions& options);

}  // namespace rf::sim

#endif  // RINGFENCE_TOOLS_SIM_SIM_LOAD_H_
