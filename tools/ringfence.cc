// ringfence: the command-line program. Exit 0 success, 1 findings
// (tampering), 2 usage or input errors (the CLI contract in PRODUCT.md).
// Each tools/cmd_*.cc registers its subcommands; this file wires them.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "ledger/storage/entries_written.h"
#include "tools/cli_output.h"
#include "tools/commands.h"
#include "tools/ops_log.h"

#ifdef RF_WITH_JEMALLOC
// jemalloc's options, read at its start-up. One arena: ringfence runs a
// handful of threads, and memory one thread allocates another frees (the
// CSV reader's rows, the line builder's drafts); with an arena per thread
// that memory was returned to the kernel and faulted in again. An invoices
// load took half the page faults and 40% less system time
// (bench/README.md). MALLOC_CONF in the environment still overrides it.
extern "C" {
// NOLINTNEXTLINE: the name and type jemalloc looks for.
const char* malloc_conf = "narenas:1";
}
#endif

namespace {

std::string DefaultLedger() {
  const char* env = std::getenv("RINGFENCE_LEDGER");
  return env != nullptr && *env != '\0' ? env : "./ledger.rf";
}

std::string DefaultActor() {
  for (const char* name : {"RINGFENCE_ACTOR", "USER", "LOGNAME"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') return v;
  }
  return "unknown";
}

// The operations log (tools/ops_log.h): one line per command run against a
// ledger, written as it ends. Only where a ledger is (a command that found
// none, or `--ledger` pointing at a typo, leaves no directory behind). The
// log never changes the exit code: on a read-only ledger the line is
// dropped (a debug note), so a read prints exactly what it prints on a
// writable one; any other failure to write it is a warning.
void LogCommand(const rf::cli::Global& g, int argc, char** argv, int exit_code,
                std::chrono::steady_clock::time_point started) {
  std::error_code ec;
  if (!std::filesystem::exists(g.ledger + "/data.mdb", ec)) {
    rf::cli::Debug("no ledger at " + g.ledger + ": the command is not in an operations log");
    return;
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  rf::cli::OpsLogLine line{
      .actor = g.actor,
      .command = rf::cli::MaskCommandLine(std::vector<std::string>(argv + 1, argv + argc)),
      .exit_code = exit_code,
      .entries_written = rf::EntriesWrittenByThisProcess(),
      .duration_ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()),
  };
  const rf::Status logged = rf::cli::AppendOpsLog(g.ledger, line, rf::cli::OpsLogLimitsFromEnvironment());
  if (logged.code() == rf::Status::Code::kRefused) {
    rf::cli::Debug(logged.message() + "; the command is not in the operations log");
    return;
  }
  if (!logged.ok()) {
    rf::cli::Warn(logged.message() + "; the command's outcome stands, it is not in the operations log");
    return;
  }
  rf::cli::Debug(g.ledger + "/" + rf::cli::kOpsLogFileName + ": " + rf::cli::FormatOpsLine(line));
}

}  // namespace

int main(int argc, char** argv) {
  rf::cli::Global g;
  g.ledger = DefaultLedger();
  g.actor = DefaultActor();
  CLI::App app{"ringfence: a ring-fenced budget ledger and payments engine for NHS Personal Health Budgets"};
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--ledger", g.ledger, "Ledger directory (default $RINGFENCE_LEDGER, else ./ledger.rf)");
  app.add_option("--format", g.format, "Output: text, json, csv or html (where the command offers it)")
      ->check(CLI::IsMember({"text", "json", "csv", "html"}));
  app.add_option("--actor", g.actor, "Who is making the change (default $RINGFENCE_ACTOR, else $USER)");
  bool quiet = false, verbose = false;
  auto* quiet_flag = app.add_flag("--quiet,-q", quiet, "Errors only on stderr: no notes, warnings or progress");
  app.add_flag("--verbose,-v", verbose, "Debug detail on stderr too (what was logged, timings)")->excludes(quiet_flag);

  rf::cli::Commands commands;
  rf::cli::AddJournalCommands(app, g, commands);
  rf::cli::AddBooksCommands(app, g, commands);
  rf::cli::AddDemoCommand(app, g, commands);
  rf::cli::AddPaymentCommands(app, g, commands);
  rf::cli::AddIngestCommands(app, g, commands);
  rf::cli::AddReconcileCommands(app, g, commands);
  rf::cli::AddFlagsCommands(app, g, commands);
  rf::cli::AddAmendCommands(app, g, commands);
  rf::cli::AddViewsCommands(app, g, commands);

  if (auto exit_code = rf::cli::ParseArguments(app, argc, argv)) return *exit_code;
  rf::cli::SetVerbosity(quiet     ? rf::cli::Verbosity::kQuiet
                        : verbose ? rf::cli::Verbosity::kVerbose
                                  : rf::cli::Verbosity::kNormal);
  for (const auto& command : commands) {
    if (!command.sub->parsed()) continue;
    const auto started = std::chrono::steady_clock::now();
    const int exit_code = command.run();
    LogCommand(g, argc, argv, exit_code, started);
    return exit_code;
  }
  return 2;
}
