// close, config set|show, report, export, reverse.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "ledger/core/config.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/storage/ledger.h"
#include "ledger/audit/plaintext_export.h"
#include "reconcile/equality.h"
#include "reconcile/flag_lifecycle.h"
#include "reconcile/month_flags_all.h"
#include "reconcile/provenance.h"
#include "reconcile/reports.h"
#include "tools/cli_output.h"
#include "tools/commands.h"
#include "ledger/core/records.h"
#include "ledger/core/rules.h"

namespace rf::cli {

void PrintTable(const Global& g, const Table& table) {
  if (g.format == "json") {
    PrintJson(RenderJson(table));
  } else {
    std::fputs((g.format == "csv" ? RenderCsv(table) : RenderText(table)).c_str(), stdout);
  }
}

namespace {

struct BooksOptions {
  std::string month, by, key, value, report, as_of, date, export_format, out, reason;
  uint64_t seq = 0;
  bool allow_negative = false;
  bool force = false;
  std::string equality_by;  // report equality --by
};

Result<Date> DateOr(const std::string& text, const char* flag) {
  return Date::Parse(text.empty() ? TodayIso() : text, flag);
}

// Commits one draft and prints what happened.
int CommitOne(const Global& g, Ledger& ledger, EntryDraft draft, const std::string& done) {
  auto committed = ledger.Commit({std::move(draft)});
  if (!committed.ok()) return Fail(kProgram, committed.status());
  const uint64_t seq = committed->appended.last_seq;
  if (g.format == "json") {
    PrintJson({{"seq", seq}, {"message", done}});
  } else {
    std::printf("%s (entry %llu)\n", done.c_str(), static_cast<unsigned long long>(seq));
  }
  return 0;
}

int CommitOne(const Global& g, EntryDraft draft, const std::string& done) {
  auto ledger = Ledger::Open(g.ledger, /*writable=*/true);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  return CommitOne(g, **ledger, std::move(draft), done);
}

// Refuses a month with open critical flags (the flags `reconcile --month M
// --dry-run` would list, less those explained or resolved: flag_lifecycle.h)
// unless --force --reason, which the month.close entry records with the
// flags' ids (issue 17 item 11).
int RunClose(const Global& g, const BooksOptions& o) {
  auto month = ParseMonth(o.month, "--month");
  if (!month.ok()) return Fail(kProgram, month.status());
  auto today = DateOr(o.date, "--date");
  if (!today.ok()) return Fail(kProgram, today.status());
  if (o.force && !IsReason(o.reason)) {
    return Fail(kProgram, Status::InvalidInput("--force needs --reason \"...\": say in words why the month closes "
                                               "with critical flags open"));
  }
  if (!o.force && !o.reason.empty()) {
    return Fail(kProgram, Status::InvalidInput("--reason goes with --force (a close over critical flags)"));
  }
  auto ledger = Ledger::Open(g.ledger, /*writable=*/true);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  const DraftOrigin origin{g.actor, "close"};
  auto flags = DryRunMonthFlags(**ledger, *month, origin, [](uint64_t done, uint64_t total) {
    Progress("replaying the journal to month end", done, total);
  });
  ProgressDone();
  if (!flags.ok()) return Fail(kProgram, flags.status());
  auto life = RecordFlagLifecycle(**ledger, *month, *flags, origin, /*dry_run=*/true);
  if (!life.ok()) return Fail(kProgram, life.status());
  std::vector<const MonthFlag*> critical;
  std::vector<std::string> critical_ids;
  for (size_t i = 0; i < flags->size(); ++i) {
    const MonthFlag& f = (*flags)[i];
    if (f.severity != FlagSeverity::kCritical || !life->statuses[i].open()) continue;
    critical.push_back(&f);
    critical_ids.push_back(FlagId(f));
  }
  if (!critical.empty() && !o.force) {
    std::string message = month->ToString() + " has " + std::to_string(critical.size()) + " critical flag" +
                          (critical.size() == 1 ? "" : "s") + " open; nothing was closed:";
    for (const MonthFlag* f : critical) message += "\n  " + FlagId(*f) + "  " + SentenceOf(*f);
    message += "\nDeal with them (then run `ringfence reconcile --month " + month->ToString() +
               "`), explain or resolve each (`ringfence flags explain|resolve ID`), or close anyway with --force "
               "--reason \"why, in words\" (the reason and the flags are journalled).";
    return Fail(kProgram, Status::InvalidInput(message));
  }
  std::string done =
      "Closed " + month->ToString() + ": entries dated on or before " + month->last_day().ToIso() + " are now refused";
  if (critical.empty()) return CommitOne(g, **ledger, MonthCloseDraft(*month, o.by, *today, origin), done);
  done += " (forced over " + std::to_string(critical.size()) + " critical flag" + (critical.size() == 1 ? "" : "s") +
          ": " + o.reason + ")";
  return CommitOne(g, **ledger,
                   ForcedMonthCloseDraft(*month, o.by, o.reason, critical_ids, *today, origin), done);
}

int RunConfigSet(const Global& g, const BooksOptions& o) {
  if (Status valid = ValidateConfig(o.key, o.value); !valid.ok()) return Fail(kProgram, valid);
  auto today = DateOr(o.date, "--date");
  if (!today.ok()) return Fail(kProgram, today.status());
  return CommitOne(g, ConfigSetDraft(o.key, o.value, *today, {g.actor, "config"}), o.key + " = " + o.value);
}

int RunConfigShow(const Global& g) {
  auto ledger = Ledger::Open(g.ledger, /*writable=*/false);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  Table t;
  t.title = "Reconciliation settings";
  t.columns = {{"key", "Setting", false},
               {"value", "Value", false},
               {"default", "Default", false},
               {"meaning", "Meaning", false}};
  Status s = (*ledger)->ReadViews([&](const ViewSource& views) -> Status {
    for (const auto& setting : ConfigSettings()) {
      auto v = views.Get(ConfigKey(setting.key));
      if (!v.ok()) return v.status();
      t.rows.push_back({std::string(setting.key), v->value_or(std::string(setting.default_value)),
                        std::string(setting.default_value), std::string(setting.meaning)});
    }
    return Status::Ok();
  });
  if (!s.ok()) return Fail(kProgram, s);
  PrintTable(g, t);
  return 0;
}

// Runs `build` over the views a report reads: the live ones when no
// --as-of was given, else the journal replayed to the as-of date; returns
// the tree size they stand at (reconcile/provenance.h states it).
Result<uint64_t> ReadReportViews(const Ledger& ledger, bool live, Date as_of,
                                 const std::function<Status(const ViewSource&)>& build) {
  if (live) return ReadViewsAtSize(ledger, build);
  RF_ASSIGN(tree_size, ledger.journal().Size());
  auto views = RebuildViewsAt(ledger.journal(), tree_size, as_of, [](uint64_t done, uint64_t total) {
    Progress("replaying the journal", done, total);
  });
  ProgressDone();
  if (!views.ok()) return views.status();
  RF_RETURN_IF_ERROR(build(*views));
  return tree_size;
}

// `report equality`: several tables (reconcile/equality.h). Text: one after
// another; JSON: {"as_of", "tables": [...]}; CSV: each table's header and
// rows, tables separated by an empty line.
int RunEqualityReport(const Global& g, const BooksOptions& o) {
  auto by = ParseEqualityBy(o.equality_by);
  if (!by.ok()) return Fail(kProgram, by.status());
  auto as_of = DateOr(o.as_of, "--as-of");
  if (!as_of.ok()) return Fail(kProgram, as_of.status());
  auto ledger = Ledger::Open(g.ledger, /*writable=*/false);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  const EqualityOptions options{.by = *by, .threshold = std::nullopt};
  Result<std::vector<Table>> tables = Status::InvalidInput("no report");
  auto tree_size = ReadReportViews(**ledger, o.as_of.empty(), *as_of, [&](const ViewSource& views) {
    tables = BuildEqualityTables(views, *as_of, options);
    return tables.status();
  });
  if (!tree_size.ok()) return Fail(kProgram, tree_size.status());
  if (!tables.ok()) return Fail(kProgram, tables.status());
  auto provenance = ProvenanceAt((*ledger)->journal(), *tree_size, *as_of);
  if (!provenance.ok()) return Fail(kProgram, provenance.status());
  if (g.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const Table& t : *tables) list.push_back(RenderJson(t));
    PrintJson({{"as_of", as_of->ToIso()}, {"tables", list}, {"provenance", ProvenanceJson(*provenance)}});
    return 0;
  }
  for (size_t i = 0; i < tables->size(); ++i) {
    if (i > 0) std::fputs(g.format == "csv" ? "\r\n" : "\n", stdout);
    std::fputs((g.format == "csv" ? RenderCsv((*tables)[i]) : RenderText((*tables)[i])).c_str(), stdout);
  }
  std::fputs((g.format == "csv" ? ProvenanceCsvLine(*provenance) : "\n" + ProvenanceText(*provenance)).c_str(),
             stdout);
  return 0;
}

int RunReport(const Global& g, const BooksOptions& o) {
  if (o.report == "equality") return RunEqualityReport(g, o);
  if (!o.equality_by.empty()) return Fail(kProgram, Status::InvalidInput("--by goes with report equality"));
  auto kind = ParseReportKind(o.report);
  if (!kind.ok()) return Fail(kProgram, kind.status());
  auto as_of = DateOr(o.as_of, "--as-of");
  if (!as_of.ok()) return Fail(kProgram, as_of.status());
  auto ledger = Ledger::Open(g.ledger, /*writable=*/false);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  Result<Table> table = Status::InvalidInput("no report");
  auto tree_size = ReadReportViews(**ledger, o.as_of.empty(), *as_of, [&](const ViewSource& views) {
    table = BuildReport(*kind, views, *as_of);
    return table.status();
  });
  if (!tree_size.ok()) return Fail(kProgram, tree_size.status());
  if (!table.ok()) return Fail(kProgram, table.status());
  auto provenance = ProvenanceAt((*ledger)->journal(), *tree_size, *as_of);
  if (!provenance.ok()) return Fail(kProgram, provenance.status());
  if (g.format == "json") {
    nlohmann::json j = RenderJson(*table);
    j["provenance"] = ProvenanceJson(*provenance);
    PrintJson(j);
  } else if (g.format == "csv") {
    std::fputs((RenderCsv(*table) + ProvenanceCsvLine(*provenance)).c_str(), stdout);
  } else {
    std::fputs((RenderText(*table) + "\n" + ProvenanceText(*provenance)).c_str(), stdout);
  }
  return 0;
}

int RunExport(const Global& g, const BooksOptions& o) {
  auto format = ParsePlainTextFormat(o.export_format);
  if (!format.ok()) return Fail(kProgram, format.status());
  auto journal = Journal::Open(g.ledger, /*writable=*/false);
  if (!journal.ok()) return Fail(kProgram, journal.status());
  std::ofstream file;
  if (!o.out.empty()) {
    file.open(o.out, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(kProgram, Status::Io(o.out + ": cannot write the file"));
  }
  auto report = ExportPlainText(**journal, *format, o.out.empty() ? std::cout : file);
  if (!report.ok()) return Fail(kProgram, report.status().WithContext(o.out.empty() ? "" : o.out + ": "));
  if (!o.out.empty()) {
    NoteF("Wrote %s: %llu transactions from %llu entries\n", o.out.c_str(),
          static_cast<unsigned long long>(report->transactions), static_cast<unsigned long long>(report->entries));
  }
  return 0;
}

int RunReverse(const Global& g, const BooksOptions& o) {
  auto date = DateOr(o.date, "--date");
  if (!date.ok()) return Fail(kProgram, date.status());
  auto ledger = Ledger::Open(g.ledger, /*writable=*/true);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  auto line = (*ledger)->journal().Line(o.seq);
  if (!line.ok()) return Fail(kProgram, line.status().WithContext("--seq: "));
  auto entry = ParseEntryLine(*line);
  if (!entry.ok()) return Fail(kProgram, entry.status());
  auto body = BodyReader::Scan(entry->draft.body_json);
  if (!body.ok()) return Fail(kProgram, body.status());
  if (!body->Has("postings")) {
    return Fail(kProgram, Status::InvalidInput("--seq: entry " + std::to_string(o.seq) + " has no postings"));
  }
  auto postings = ParsePostingsText(body->Raw("postings"));
  if (!postings.ok()) return Fail(kProgram, postings.status());
  EntryDraft draft = ReversalDraft(o.seq, *postings, o.reason, *date, {g.actor, "reverse"}, o.allow_negative);
  auto committed = (*ledger)->Commit({std::move(draft)});
  if (!committed.ok()) return Fail(kProgram, committed.status());
  std::printf("Reversed entry %llu (entry %llu)\n", static_cast<unsigned long long>(o.seq),
              static_cast<unsigned long long>(committed->appended.last_seq));
  return 0;
}

}  // namespace

void AddBooksCommands(CLI::App& app, const Global& g, Commands& out) {
  auto o = std::make_shared<BooksOptions>();
  auto* close = app.add_subcommand("close", "Lock a month: later entries effective in it (or before) are refused");
  close->add_option("--month", o->month, "YYYY-MM")->required();
  close->add_option("--by", o->by, "Who signs the close")->required();
  close->add_option("--date", o->date, "Date of the close (default today)");
  close->add_flag("--force", o->force, "Close over open critical flags (needs --reason; both are journalled)");
  close->add_option("--reason", o->reason, "Why the month closes with critical flags open (with --force)");
  out.push_back({close, [&g, o] { return RunClose(g, *o); }});

  auto* config = app.add_subcommand("config", "Reconciliation thresholds (changes are journal entries)");
  config->require_subcommand(1);
  auto* set = config->add_subcommand("set", "Change a threshold");
  set->add_option("key", o->key, "KEY (see config show)")->required();
  set->add_option("value", o->value, "VALUE")->required();
  set->add_option("--date", o->date, "Effective date (default today)");
  out.push_back({set, [&g, o] { return RunConfigSet(g, *o); }});
  auto* show = config->add_subcommand("show", "List every threshold with its value and default");
  out.push_back({show, [&g] { return RunConfigShow(g); }});

  auto* report = app.add_subcommand("report", "Views as tables: pots, budgets, providers, aged-invoices, balances, equality");
  report->add_option("name", o->report, "pots | budgets | providers | aged-invoices | balances | equality")->required();
  report->add_option("--as-of", o->as_of, "Replay the journal up to this date (default: today, from live views)");
  report->add_option("--by", o->equality_by, "report equality: also by age-band | sex | locality");
  out.push_back({report, [&g, o] { return RunReport(g, *o); }});

  auto* exp = app.add_subcommand("export", "The postings as a plain-text accounting journal");
  exp->add_option("--format", o->export_format, "hledger | ledger | beancount")->required();
  exp->add_option("--out", o->out, "File to write (default standard output)");
  out.push_back({exp, [&g, o] { return RunExport(g, *o); }});

  auto* reverse = app.add_subcommand("reverse", "Correct a posting with its exact reversing entry");
  reverse->add_option("--seq", o->seq, "The entry to reverse")->required();
  reverse->add_option("--reason", o->reason, "Why (recorded in the entry)")->required();
  reverse->add_option("--date", o->date, "Effective date (default today)");
  reverse->add_flag("--allow-negative", o->allow_negative, "Override rule 1 (recorded and flagged OVERSPEND)");
  out.push_back({reverse, [&g, o] { return RunReverse(g, *o); }});
}

}  // namespace rf::cli
