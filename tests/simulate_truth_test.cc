// `ringfence simulate` scored against its own truth file: a simulated year
// loaded through the real steps (ingest, approve, pay, reconcile) raises
// every planted anomaly, no near miss, and no critical flag it did not
// plant; the bank lines settle the payments the truth names. And the same
// seed writes the same files.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ledger/core/records.h"
#include "tools/sim/sim_load.h"
#include "tools/sim/simulate.h"
#include "tests/test_util.h"

namespace {

struct SimScoreFlag {
  std::string code, entity, severity, first_month;
};

std::string SimScoreRead(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a simulated year raises every planted anomaly, no near miss, and settles the planted matches") {
  rf::test::TempDir dir;
  const std::string out = dir / "sim";
  rf::sim::SimParams params{.people = 240, .months = 12, .seed = 7, .plant = true};
  auto summary = rf::sim::Simulate(params, out);
  INFO(summary.status().message());
  REQUIRE(summary.ok());
  auto truth = rf::sim::TruthFromJson(nlohmann::json::parse(SimScoreRead(out + "/truth.json")));
  REQUIRE(truth.anomalies.size() >= 30);

  // Load it into a fresh ledger, as the demo does.
  const std::string ledger_dir = dir / "fresh.rf";
  const std::string work = dir / "payments";
  std::filesystem::create_directories(work);
  auto ledger = rf::Ledger::Create(ledger_dir, rf::sim::kSimOrg, "ringfence.invalid/test", "test");
  REQUIRE(ledger.ok());
  auto steps = rf::sim::ReadManifest(out + "/manifest.tsv");
  REQUIRE(steps.ok());
  std::map<std::string, SimScoreFlag> raised;                   // flag id -> first seen
  std::map<std::pair<std::string, std::string>, int> by_month;  // (code, month) -> count
  rf::sim::StepOptions options{.dir = out, .work_dir = work, .actor = "finance.manager", .flags = true};
  for (const auto& step : *steps) {
    auto r = rf::sim::RunStep(**ledger, step, options);
    INFO(step.month << " " << step.op << ": " << r.status().message());
    REQUIRE(r.ok());
    for (const rf::MonthFlag& f : r->flags) {
      raised.emplace(rf::FlagId(f), SimScoreFlag{std::string(rf::ToString(f.code)), f.entity, std::string(rf::ToString(f.severity)), step.month});
      ++by_month[{std::string(rf::ToString(f.code)), step.month}];
    }
  }
  const auto has = [&](const std::string& code, const std::string& entity) {
    return raised.count(code + "/" + entity) > 0;
  };

  // Flags: every anomaly found (a diversion transfer's flag names its entry: counted by month).
  size_t found = 0;
  std::set<std::string> expected_ids;
  std::map<std::string, int> transfers_by_month;
  for (const auto& a : truth.anomalies) {
    if (a.entity.rfind("transfer:", 0) == 0) {
      ++transfers_by_month[a.month];
      continue;
    }
    expected_ids.insert(a.code + "/" + a.entity);
    INFO("planted " << a.code << " " << a.entity << " in " << a.month << " (" << a.note << ")");
    CHECK(has(a.code, a.entity));
    found += has(a.code, a.entity) ? 1 : 0;
    // ...first raised in the month the truth says.
    if (has(a.code, a.entity)) CHECK(raised.at(a.code + "/" + a.entity).first_month == a.month);
  }
  for (const auto& [month, n] : transfers_by_month) {
    INFO("DIVERSION_TRANSFER in " << month);
    CHECK(by_month[{"DIVERSION_TRANSFER", month}] >= n);
    found += static_cast<size_t>(std::min(n, by_month[{"DIVERSION_TRANSFER", month}]));
  }
  for (const auto& [id, f] : raised) {
    if (f.code == "DIVERSION_TRANSFER") expected_ids.insert(id);
  }
  for (const auto& c : truth.consequences) expected_ids.insert(c.code + "/" + c.entity);
  // No near miss flagged.
  for (const auto& n : truth.near_misses) {
    INFO("near miss " << n.code << " " << n.entity << " (" << n.note << ")");
    CHECK_FALSE(has(n.code, n.entity));
  }
  // No critical flag that was not planted.
  size_t true_raised = 0;
  for (const auto& [id, f] : raised) {
    const bool expected = expected_ids.count(id) > 0;
    true_raised += expected ? 1 : 0;
    if (f.severity == "critical") {
      INFO("unplanted critical flag " << id << " first in " << f.first_month);
      CHECK(expected);
    }
  }

  // Matches: the engine's settlements and returns against the truth.
  std::map<std::string, std::string> payment_line, payment_return, payment_run;
  REQUIRE((*ledger)
              ->ReadViews([&](const rf::ViewSource& views) {
                return rf::ForEachRecord<rf::PaymentRecord>(views, [&](const rf::PaymentRecord& p) {
                  payment_run[p.payment_id] = p.run_id;
                  if (!p.bank_line_id.empty()) payment_line[p.payment_id] = p.bank_line_id;
                  if (!p.return_line_id.empty()) payment_return[p.payment_id] = p.return_line_id;
                  return rf::Status::Ok();
                });
              })
              .ok());
  std::map<std::string, std::string> truth_line;  // line -> payment or run
  size_t matched = 0;
  for (const auto& m : truth.matches) {
    bool ok = false;
    if (m.kind == "payment") ok = payment_line.count(m.payment_id) && payment_line[m.payment_id] == m.line_id;
    if (m.kind == "return") ok = payment_return.count(m.payment_id) && payment_return[m.payment_id] == m.line_id;
    if (m.kind == "run") {
      ok = true;
      for (const auto& [payment, run] : payment_run) {
        if (run == m.payment_id) ok = ok && payment_line.count(payment) && payment_line[payment] == m.line_id;
      }
    }
    if (m.kind == "ambiguous") {  // left for a person: no payment may be settled by it
      ok = std::none_of(payment_line.begin(), payment_line.end(),
                        [&](const auto& pl) { return pl.second == m.line_id; });
    }
    if (m.kind != "return") truth_line[m.line_id] = m.payment_id;
    INFO("planted match " << m.line_id << " -> " << m.payment_id << " (" << m.kind << ")");
    CHECK(ok);
    matched += ok ? 1 : 0;
  }
  size_t engine_pairs = 0, engine_right = 0;
  for (const auto& [payment, line] : payment_line) {
    ++engine_pairs;
    const auto t = truth_line.find(line);
    engine_right += t != truth_line.end() && (t->second == payment || t->second == payment_run[payment]) ? 1 : 0;
  }
  const size_t planted = truth.anomalies.size();
  std::printf(
      "simulate truth (240 people, 12 months, seed 7): flags recall %zu/%zu = %.3f, precision %zu/%zu = %.3f "
      "(%zu near misses, none may be flagged); matching recall %zu/%zu = %.3f, precision %zu/%zu = %.3f\n",
      found, planted, planted ? double(found) / planted : 1.0, true_raised, raised.size(),
      raised.empty() ? 1.0 : double(true_raised) / raised.size(), truth.near_misses.size(), matched,
      truth.matches.size(), truth.matches.empty() ? 1.0 : double(matched) / truth.matches.size(), engine_right,
      engine_pairs, engine_pairs ? double(engine_right) / engine_pairs : 1.0);
  for (const auto& [id, f] : raised) {
    if (!expected_ids.count(id))
      std::printf("  not planted: %s (%s, first %s)\n", id.c_str(), f.severity.c_str(), f.first_month.c_str());
  }
  CHECK(found == planted);
}

TEST_CASE("simulate writes byte-identical files for the same seed") {
  rf::test::TempDir dir;
  const std::filesystem::path base(dir / "");
  rf::sim::SimParams params{.people = 150, .months = 3, .seed = 42, .plant = true};
  REQUIRE(rf::sim::Simulate(params, (base / "a").string()).ok());
  REQUIRE(rf::sim::Simulate(params, (base / "b").string()).ok());
  size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(base / "a")) {
    const std::string rel = std::filesystem::relative(e.path(), base / "a").string();
    if (rel.rfind(".work", 0) == 0 || !e.is_regular_file()) continue;
    INFO(rel);
    ++files;
    CHECK(SimScoreRead(e.path()) == SimScoreRead(base / "b" / rel));
  }
  CHECK(files >= 10);
  params.seed = 43;
  REQUIRE(rf::sim::Simulate(params, (base / "c").string()).ok());
  CHECK(SimScoreRead(base / "a" / "2026-04" / "people.csv") != SimScoreRead(base / "c" / "2026-04" / "people.csv"));
}

TEST_CASE("ringfence simulate writes the files, the manifest, load.sh and truth.json, and refuses bad options") {
  rf::test::TempDir dir;
  const std::string cli = std::string(RF_RINGFENCE_BIN) + " ";
  const std::string out = dir / "year";
  auto ran = rf::test::Run(cli + "simulate --out " + rf::test::Quote(out) + " --people 130 --months 2 --seed 5");
  INFO(ran.output);
  REQUIRE(ran.exit_code == 0);
  CHECK_THAT(ran.output, Catch::Contains("Planted"));
  for (const char* f :
       {"manifest.tsv", "load.sh", "truth.json", "2026-04/pots.csv", "2026-04/people.csv", "2026-04/providers.csv",
        "2026-04/budgets.csv", "2026-04/bank.csv", "2026-05/bank.camt053.xml", "2026-05/dp-returns.csv"}) {
    INFO(f);
    CHECK(std::filesystem::exists(std::filesystem::path(out) / f));
  }
  // Not into a folder that holds something, not beyond the bounds: exit 2.
  CHECK(rf::test::Run(cli + "simulate --out " + rf::test::Quote(out) + " --people 10").exit_code == 2);
  CHECK(rf::test::Run(cli + "simulate --out " + rf::test::Quote(dir / "m") + " --months 13").exit_code == 2);
  CHECK(rf::test::Run(cli + "simulate --out " + rf::test::Quote(dir / "p") + " --people 0").exit_code == 2);
}
