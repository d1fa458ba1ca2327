// ringfence: the command-line program. Exit 0 success, 1 findings
// (tampering), 2 usage or input errors (the CLI contract in PRODUCT.md).
// Each tools/cmd_*.cc registers its subcommands; this file wires them.

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <string>

#include "tools/cli_output.h"
#include "tools/commands.h"

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

  rf::cli::Commands commands;
  rf::cli::AddJournalCommands(app, g, commands);
  rf::cli::AddBooksCommands(app, g, commands);
  rf::cli::AddDemoCommand(app, g, commands);
  rf::cli::AddPaymentCommands(app, g, commands);
  rf::cli::AddIngestCommands(app, g, commands);
  rf::cli::AddReconcileCommands(app, g, commands);
  rf::cli::AddFlagsCommands(app, g, commands);
  rf::cli::AddAmendCommands(app, g, commands);

  if (auto exit_code = rf::cli::ParseArguments(app, argc, argv)) return *exit_code;
  for (const auto& command : commands) {
    if (command.sub->parsed()) return command.run();
  }
  return 2;
}
