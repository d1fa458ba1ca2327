// ingest KIND FILE [--dry-run].
#include <cstdio>
#include <memory>
#include <optional>

#include "ingest/ingest_file.h"
#include "ingest/ingest_kinds.h"
#include "ledger/storage/ledger.h"
#include "tools/cli_output.h"
#include "tools/commands.h"

namespace rf::cli {
namespace {

struct IngestArgs {
  std::string kind, file;
  bool dry_run = false;
  std::optional<std::string> future_dated;  // --future-dated REASON
};

void PrintText(const IngestSummary& s, bool dry_run) {
  const auto n = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  const char* rows_word = s.format == "csv" ? "rows" : "bank lines";
  if (s.loaded == 0) {
    if (s.rows == 0) {
      std::printf("%s has no %s; nothing changed\n", s.file.c_str(), rows_word);
    } else {
      std::printf("All %llu %s of %s were already loaded; nothing changed\n", n(s.rows), rows_word, s.file.c_str());
    }
  } else if (dry_run) {
    std::printf("Dry run: %llu %s of %s (%s) pass every check; nothing was written\n", n(s.loaded), rows_word,
                s.file.c_str(), s.kind.c_str());
  } else {
    std::printf("Loaded %llu %s of %s (%s): entries %llu..%llu\n", n(s.loaded), rows_word, s.file.c_str(),
                s.kind.c_str(), n(s.first_seq), n(s.last_seq));
  }
  if (s.loaded > 0 && s.skipped > 0) {
    std::printf("%llu %s already loaded, skipped\n", n(s.skipped), s.skipped == 1 ? "row was" : "rows were");
  }
  if (s.bank_entries_not_booked > 0) {
    std::printf("%llu statement entries not booked (pending or information only) were not loaded\n",
                n(s.bank_entries_not_booked));
  }
}

int RunIngest(const Global& g, const IngestArgs& a) {
  auto ledger = Ledger::Open(g.ledger, /*writable=*/true);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  IngestOptions options;
  options.dry_run = a.dry_run;
  options.actor = g.actor;
  // People and providers have no date column: they take the day they were
  // loaded (UTC), which is never in a closed month.
  auto today = Date::Parse(TodayIso(), "today");
  if (!today.ok()) return Fail(kProgram, today.status());
  options.load_date = *today;
  options.today = *today;
  options.future_dated_reason = a.future_dated;
  const std::string what = "reading " + a.file + " (bytes)";
  options.progress = [&what](uint64_t done, uint64_t total) { Progress(what.c_str(), done, total); };
  auto summary = IngestFile(**ledger, a.kind, a.file, options);
  ProgressDone();
  if (!summary.ok()) return Fail(kProgram, summary.status());
  const IngestSummary& s = *summary;
  if (g.format == "json") {
    PrintJson({{"kind", s.kind},
               {"file", s.file},
               {"format", s.format},
               {"rows", s.rows},
               {"loaded", s.loaded},
               {"skipped", s.skipped},
               {"committed", s.committed},
               {"dry_run", a.dry_run},
               {"first_seq", s.first_seq},
               {"last_seq", s.last_seq},
               {"bank_entries_not_booked", s.bank_entries_not_booked},
               {"future_dated_reason", a.future_dated ? nlohmann::json(*a.future_dated) : nlohmann::json()}});
  } else {
    PrintText(s, a.dry_run);
    // Not journalled (entry formats are fixed): the command's output is its record.
    if (a.future_dated) std::printf("Dates more than the horizon ahead were allowed: %s\n", a.future_dated->c_str());
  }
  return 0;
}

}  // namespace

void AddIngestCommands(CLI::App& app, const Global& g, Commands& out) {
  auto args = std::make_shared<IngestArgs>();
  auto* ingest = app.add_subcommand("ingest", "Load an input file: all or nothing, idempotent");
  ingest->add_option("kind", args->kind, std::string("Kind of file: ") + std::string(IngestKindNames()))->required();
  ingest->add_option("file", args->file, "FILE (CSV; for bank also camt.053 XML)")->required();
  ingest->add_flag("--dry-run", args->dry_run, "Check every row and rule, write nothing");
  ingest->add_option("--future-dated", args->future_dated,
                     "Allow dates more than dates.future_days_max days ahead, giving the reason");
  out.push_back({ingest, [&g, args] { return RunIngest(g, *args); }});
}

}  // namespace rf::cli
