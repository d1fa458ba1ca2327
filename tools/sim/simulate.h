#ifndef RINGFENCE_TOOLS_SIM_SIMULATE_H_
#define RINGFENCE_TOOLS_SIM_SIMULATE_H_

// `ringfence simulate --out DIR --people N --months M --seed S`: a synthetic
// ICB year of input files (sim_world.h), written month by month:
//   DIR/<YYYY-MM>/*.csv|*.xml   the month's input files
//   DIR/manifest.tsv            every step, in load order (sim_load.h)
//   DIR/truth.json              what was planted (sim_truth.h)
//   DIR/.work/                  the scratch ledger and its pain.001 files
// Every file is written row by row through a bounded buffer (sim_spool.h).
// Held (the default): the month loop drives the scratch ledger through the
// real steps (ingest, approve, pay, reconcile's matching) and writes each
// month's bank statement from the payment runs the real `pay` made.
// Streamed (SimRunOptions::stream, `simulate --stream`, and any run of more
// than kSimHeldPeopleMax people): no ledger and no planting; each run's
// payments are what `pay` would make (sim_pay_model.cc), and memory does
// not grow with the people. For the same parameters with no anomalies, the
// two write the same bytes (a test compares them). Either way the bank
// books the runs with its habits: a run
// reaches the statement as one Bacs debit with the run id as batch id, or
// one Bacs debit with no reference (matched by amount and date), or line by
// line as Faster Payments echoing each end-to-end id; booked 0-2 business
// days after the run. Statements alternate between CSV (April, June, ...)
// and camt.053.001.02 (May, July, ...). Deterministic for a seed: the same
// parameters give byte-identical files (the scratch ledger's timestamps
// never reach them).

#include <functional>
#include <string>

#include "crypto/status.h"
#include "tools/sim/sim_load.h"
#include "tools/sim/sim_world.h"

namespace rf::sim {

// Checks the parameters' bounds (InvalidInput naming the option).
Status CheckSimParams(const SimParams& params);

// Above this many people `simulate` streams (a ledger-driven year of
// 20,000 people already takes minutes; see bench/README.md).
inline constexpr uint64_t kSimHeldPeopleMax = 25'000;

struct SimSummary {
  uint64_t people = 0, budgets = 0, providers = 0, steps = 0, payments = 0, bank_lines = 0;
  uint64_t anomalies = 0, near_misses = 0;
  bool streamed = false;
};

struct SimRunOptions {
  // The ledger the month loop drives: empty = a scratch ledger created in
  // DIR/.work/ledger.rf; else an existing, empty ledger (the demo's, made
  // by `init`), which then holds the whole year. Opened without syncing
  // each commit (atomic against a killed process, not a power cut).
  std::string ledger_dir;
  // reconcile steps: also compute and record the month's flags (the demo);
  // a scratch ledger needs only the matching.
  bool flags = false;
  // Called after each step with what it did; may be empty.
  std::function<void(const SimStep&, const StepOutcome&)> on_step;
  // Called as each month starts (0 = April); may be empty.
  std::function<void(int)> progress;
  // Streamed: no ledger (ledger_dir must be empty, on_step is never
  // called), no planted anomalies, fewer than a million people.
  bool stream = false;
};

// REQUIRES: `out_dir` does not exist or is an empty folder.
Result<SimSummary> Simulate(const SimParams& params, const std::string& out_dir, const SimRunOptions& run = {});

}  // namespace rf::sim

#endif  // RINGFENCE_TOOLS_SIM_SIMULATE_H_
