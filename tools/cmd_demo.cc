// simulate, demo.
//
// `simulate` writes a synthetic ICB year of input files (sim/simulate.h).
// `demo` simulates one (about 2,000 people, 12 months), loads it month by
// month into a fresh ledger through the functions the commands call
// (ingest, approve invoices --all-valid, pay, reconcile), prints the last
// month's reconciliation (signed off) and the year's flags by code, and ends
// with the paths and the commands to explore next. Progress goes to stderr,
// only when stderr is a terminal.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "tools/sim/simulate.h"
#include "tools/cli_output.h"
#include "tools/commands.h"

namespace rf::cli {
namespace {

struct SimArgs {
  std::string out;
  uint64_t people = 0;
  int months = 12;
  uint64_t seed = 1;
  bool no_plant = false;
  bool stream = false;
};

void MonthProgress(const char* what, int index, int months) {
  if (!StderrIsTerminal()) return;
  std::fprintf(stderr, "\r%s: %s (%d/%d)   ", what, sim::SimMonth(index).ToString().c_str(), index + 1, months);
  std::fflush(stderr);
}

Result<sim::SimSummary> SimulateInto(const SimArgs& a, const char* what) {
  sim::SimParams params{.people = a.people, .months = a.months, .seed = a.seed, .plant = !a.no_plant};
  sim::SimRunOptions run;
  run.progress = [&](int index) { MonthProgress(what, index, a.months); };
  run.stream = a.stream || a.people > sim::kSimHeldPeopleMax;
  auto summary = sim::Simulate(params, a.out, run);
  if (StderrIsTerminal()) std::fprintf(stderr, "\n");
  return summary;
}

int RunSimulate(const Global& g, const SimArgs& a) {
  if (a.out.empty()) return Fail(kProgram, Status::InvalidInput("simulate: --out DIR is required"));
  auto s = SimulateInto(a, "simulating");
  if (!s.ok()) return Fail(kProgram, s.status());
  if (g.format == "json") {
    PrintJson({{"out", a.out},
               {"people", s->people},
               {"budgets", s->budgets},
               {"providers", s->providers},
               {"steps", s->steps},
               {"payments", s->payments},
               {"bank_lines", s->bank_lines},
               {"anomalies", s->anomalies},
               {"near_misses", s->near_misses},
               {"streamed", s->streamed}});
    return 0;
  }
  std::printf(
      "Simulated %d months of an ICB into %s: %llu people, %llu budgets, %llu providers; %llu payments, %llu bank "
      "lines.\nPlanted %llu anomalies and %llu near misses (truth.json). Load order: manifest.tsv.\n",
      a.months, a.out.c_str(), static_cast<unsigned long long>(s->people), static_cast<unsigned long long>(s->budgets),
      static_cast<unsigned long long>(s->providers), static_cast<unsigned long long>(s->payments),
      static_cast<unsigned long long>(s->bank_lines), static_cast<unsigned long long>(s->anomalies),
      static_cast<unsigned long long>(s->near_misses));
  if (s->streamed) {
    std::printf(
        "Streamed: the payment runs are the ones `pay` would make, computed without a ledger; no anomalies are "
        "planted at this scale (truth.json lists the matches).\n");
  }
  return 0;
}

// The last month as one self-contained page (`reconcile --month M --format
// html --out PATH`): a rerun of the signed-off month, which journals
// nothing. nullopt when it could not be written (the reason is on stderr).
std::optional<std::string> WriteDemoHtmlReport(const Global& g, const std::string& month, const std::string& path) {
  Global html = g;
  html.format = "html";
  if (RunReconcile(html, month, std::nullopt, /*dry_run=*/false, "", "", std::nullopt, path) != 0) {
    return std::nullopt;
  }
  return path;
}

int RunDemo(const Global& g, SimArgs a) {
  const auto started = std::chrono::steady_clock::now();
  if (a.people == 0) a.people = 2000;
  if (a.out.empty()) a.out = g.ledger + ".sim";
  std::printf("== ringfence demo: a synthetic ICB year, loaded, paid and reconciled month by month\n\n");
  Global manager = g;
  manager.actor = "finance.manager";
  manager.format = "text";
  std::printf("$ ringfence init --org \"%s\"\n", sim::kSimOrg);
  if (int rc = RunInit(manager, sim::kSimOrg, ""); rc != 0) return rc;
  std::printf("\n$ ringfence simulate --out %s --people %llu --months %d --seed %llu\n", a.out.c_str(),
              static_cast<unsigned long long>(a.people), a.months, static_cast<unsigned long long>(a.seed));
  std::printf(
      "Month by month, as each month's files are written: ingest them, then for each payment run (the 1st and "
      "every Friday) approve invoices --all-valid and pay, then ingest the bank statement and reconcile "
      "(manifest.tsv lists every step; replaying it into another fresh ledger gives the same year).\n");
  std::fflush(stdout);
  const std::string last_month = sim::SimMonth(a.months - 1).ToString();
  std::map<std::string, std::set<std::string>> year_flags;  // code -> flag ids
  std::map<std::string, uint64_t> last_flags;               // code -> count in the last month
  sim::SimParams params{.people = a.people, .months = a.months, .seed = a.seed, .plant = !a.no_plant};
  sim::SimRunOptions run;
  run.ledger_dir = g.ledger;
  run.flags = true;
  run.on_step = [&](const sim::SimStep& step, const sim::StepOutcome& outcome) {
    for (const MonthFlag& f : outcome.flags) {
      year_flags[std::string(ToString(f.code))].insert(FlagId(f));
      if (step.month == last_month) ++last_flags[std::string(ToString(f.code))];
    }
  };
  run.progress = [&](int index) { MonthProgress("loading, paying, reconciling", index, a.months); };
  auto s = sim::Simulate(params, a.out, run);
  if (StderrIsTerminal()) std::fprintf(stderr, "\n");
  if (!s.ok()) return Fail(kProgram, s.status());
  std::printf(
      "%llu people, %llu budgets, %llu providers; %llu payments in %llu steps; %llu anomalies planted "
      "(truth.json)\n",
      static_cast<unsigned long long>(s->people), static_cast<unsigned long long>(s->budgets),
      static_cast<unsigned long long>(s->providers), static_cast<unsigned long long>(s->payments),
      static_cast<unsigned long long>(s->steps), static_cast<unsigned long long>(s->anomalies));
  const std::string work = a.out + "/.work";
  std::printf("\n$ ringfence reconcile --month %s --sign-off finance.manager\n", last_month.c_str());
  std::fflush(stdout);
  if (int rc = RunReconcile(manager, last_month, std::nullopt, false, "", "finance.manager"); rc != 0) return rc;
  std::printf("\n== The year's flags by code (each flag counted once, however many months it stayed open)\n");
  std::printf("  %-32s %8s %12s\n", "code", "year", last_month.c_str());
  for (const auto& [code, ids] : year_flags) {
    std::printf("  %-32s %8zu %12llu\n", code.c_str(), ids.size(), static_cast<unsigned long long>(last_flags[code]));
  }
  const std::string html = a.out + "/report.html";
  const auto html_written = WriteDemoHtmlReport(manager, last_month, html);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("\n== Done in %.1f s\n", seconds);
  std::printf("  ledger               %s\n", g.ledger.c_str());
  std::printf("  simulated files      %s (manifest.tsv: the load order; truth.json: what was planted)\n",
              a.out.c_str());
  std::printf("  payment files        %s\n", work.c_str());
  if (html_written) std::printf("  HTML report          %s\n", html_written->c_str());
  const std::string l = "ringfence --ledger " + g.ledger;
  std::printf("\nExplore next:\n");
  std::printf("  %s report pots --as-of %s\n", l.c_str(), sim::SimMonth(a.months - 1).last_day().ToIso().c_str());
  std::printf("  %s report equality\n", l.c_str());
  std::printf("  %s flags --month %s\n", l.c_str(), last_month.c_str());
  std::printf("  %s verify\n", l.c_str());
  std::printf("  %s audit export --out %s.audit-pack\n", l.c_str(), g.ledger.c_str());
  std::printf("  %s audit prove --seq 3\n", l.c_str());
  std::printf("  %s reconcile --month %s --check\n", l.c_str(), last_month.c_str());
  return 0;
}

}  // namespace

void AddDemoCommand(CLI::App& app, const Global& g, Commands& out) {
  auto sa = std::make_shared<SimArgs>();
  auto* simulate = app.add_subcommand("simulate", "Write a synthetic ICB year of input files with planted anomalies");
  simulate->add_option("--out", sa->out, "Folder to write (new or empty)")->required();
  simulate->add_option("--people", sa->people, "People with a PHB (default 300)")->default_val(300);
  simulate->add_option("--months", sa->months, "Months from April 2026 (1-12)")->default_val(12);
  simulate->add_option("--seed", sa->seed, "Seed: the same seed writes the same files")->default_val(1);
  simulate->add_flag("--no-anomalies", sa->no_plant, "Plant no anomalies (a well-behaved year)");
  simulate->add_flag("--stream", sa->stream,
                     "Stream in bounded memory without a ledger and without anomalies (automatic above 25,000 people)");
  out.push_back({simulate, [&g, sa] { return RunSimulate(g, *sa); }});

  auto da = std::make_shared<SimArgs>();
  auto* demo = app.add_subcommand("demo", "Simulate an ICB year, load, pay and reconcile it into a fresh ledger");
  demo->add_option("--out", da->out, "Folder for the simulated files (default LEDGER.sim)");
  demo->add_option("--people", da->people, "People with a PHB (default 2000)");
  demo->add_option("--months", da->months, "Months from April 2026 (1-12)")->default_val(12);
  demo->add_option("--seed", da->seed, "Seed")->default_val(1);
  out.push_back({demo, [&g, da] { return RunDemo(g, *da); }});
}

}  // namespace rf::cli
