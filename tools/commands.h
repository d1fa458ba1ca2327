#ifndef RINGFENCE_TOOLS_COMMANDS_H_
#define RINGFENCE_TOOLS_COMMANDS_H_

// The `ringfence` subcommands. Each tools/cmd_*.cc registers its commands on
// the CLI11 app and returns what to run when one was chosen; ringfence.cc
// only wires the modules together. Commands are thin: parse, call the
// libraries, print.

#include <CLI/CLI.hpp>
#include <functional>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/storage/ledger.h"
#include "reconcile/table.h"

namespace rf::cli {

inline constexpr char kProgram[] = "ringfence";

// Options every command shares (set on the top-level app).
struct Global {
  std::string ledger;
  std::string format = "text";
  std::string actor;
};

struct Command {
  CLI::App* sub = nullptr;
  std::function<int()> run;
};
using Commands = std::vector<Command>;

// Registration, one per module. `g` outlives the commands.
void AddJournalCommands(CLI::App& app, const Global& g, Commands& out);  // init post verify audit
void AddBooksCommands(CLI::App& app, const Global& g, Commands& out);    // close config report export reverse
void AddDemoCommand(CLI::App& app, const Global& g, Commands& out);      // demo
void AddPaymentCommands(CLI::App& app, const Global& g, Commands& out);  // approve invoices, pay
void AddIngestCommands(CLI::App& app, const Global& g, Commands& out);   // ingest
void AddReconcileCommands(CLI::App& app, const Global& g, Commands& out);  // reconcile, reconcile match
void AddFlagsCommands(CLI::App& app, const Global& g, Commands& out);      // flags, flags explain|resolve
void AddAmendCommands(CLI::App& app, const Global& g, Commands& out);  // amend, invoice reject, payment cancel
void AddViewsCommands(CLI::App& app, const Global& g, Commands& out);  // views rebuild

// Shared helpers.
void PrintJson(const nlohmann::json& j);
// A table as --format asks: json, csv, or aligned text (tools/cmd_books.cc).
void PrintTable(const Global& g, const Table& table);
// Refuses (InvalidInput naming `what`) an effective date more than the
// ledger's future-date horizon ahead of today (ledger/core/date_horizon.h,
// setting future.horizon_days) unless `future_dated` gives the reason it is
// allowed; then says so on stderr (not journalled: the command's output is
// its record). Every command that journals an entry dated by its caller
// checks its dates here.
Status CheckDatesWithinHorizon(const Ledger& ledger, const std::vector<std::pair<Date, std::string>>& dates,
                               const std::optional<std::string>& future_dated);
// Today's date in UTC as YYYY-MM-DD (the default effective date, and where
// the future-date horizon starts); $RINGFENCE_TODAY when set (for tests).
std::string TodayIso();

// The journal commands, callable from the demo.
int RunInit(const Global& g, const std::string& org, const std::string& origin);
int RunVerify(const Global& g);
int RunAuditExport(const Global& g, const std::string& out_dir);
int RunProve(const Global& g, uint64_t seq, std::optional<uint64_t> size);
// `reconcile --month` (the demo reconciles its last month with it).
// `sign_off_by`: non-empty journals that person's sign-off of the result.
// `recovery_out`: --recovery-out FILE (tools/cmd_recovery.h). `out`: --out FILE (--format html).
// `text_rows`: --rows N, the most rows of each list the text output shows (0: all).
// `threads`: --threads N, how many threads a dry run reads on (1 or 2; reconcile/month_dry_run.h).
inline constexpr uint64_t kReconcileTextRowsDefault = 50;
int RunReconcile(const Global& g, const std::string& month, std::optional<uint32_t> window_days, bool dry_run,
                 const std::string& fail_on = "", const std::string& sign_off_by = "",
                 const std::optional<std::string>& recovery_out = std::nullopt, const std::string& out = "",
                 uint64_t text_rows = kReconcileTextRowsDefault, unsigned threads = 2);

}  // namespace rf::cli

#endif  // RINGFENCE_TOOLS_COMMANDS_H_
