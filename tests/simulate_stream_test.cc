// `ringfence simulate` streamed (issue 19 item 5): the year written without a
// ledger, in memory that does not grow with the people, is the same year
// the ledger-driven path writes (every file byte for byte, when nothing is
// planted), and the same seed gives the same bytes.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/test_util.h"
#include "tools/sim/simulate.h"

namespace {

std::string SimStreamRead(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every file of `a` (but .work) is in `b` with the same bytes, and the other way round.
size_t SimStreamSameFiles(const std::filesystem::path& a, const std::filesystem::path& b) {
  size_t files = 0;
  for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(from)) {
      const std::string rel = std::filesystem::relative(e.path(), from).string();
      if (rel.rfind(".work", 0) == 0 || !e.is_regular_file()) continue;
      INFO(rel);
      REQUIRE(std::filesystem::exists(to / rel));
      CHECK(SimStreamRead(e.path()) == SimStreamRead(to / rel));
      ++files;
    }
  }
  return files / 2;
}

rf::sim::SimSummary SimStreamRun(const rf::sim::SimParams& params, const std::string& out, bool stream) {
  rf::sim::SimRunOptions run;
  run.stream = stream;
  auto s = rf::sim::Simulate(params, out, run);
  INFO(s.status().message());
  REQUIRE(s.ok());
  return *s;
}

}  // namespace

TEST_CASE("a streamed year writes the same files as the ledger-driven year when nothing is planted") {
  rf::test::TempDir dir;
  const std::filesystem::path base(dir / "");
  const rf::sim::SimParams params{.people = 400, .months = 12, .seed = 11, .plant = false};
  const auto held = SimStreamRun(params, (base / "held").string(), false);
  const auto streamed = SimStreamRun(params, (base / "streamed").string(), true);
  CHECK_FALSE(held.streamed);
  CHECK(streamed.streamed);
  CHECK(held.payments > 3000);
  CHECK(streamed.payments == held.payments);
  CHECK(streamed.bank_lines == held.bank_lines);
  CHECK(streamed.steps == held.steps);
  CHECK(streamed.budgets == held.budgets);
  // 12 months of statements, invoices and returns, April's people, pots,
  // providers, budgets, plus manifest, load.sh and truth.json.
  CHECK(SimStreamSameFiles(base / "held", base / "streamed") >= 12 * 4 + 4 + 3);
  CHECK_FALSE(std::filesystem::exists(base / "streamed" / ".work" / "ledger.rf"));
}

TEST_CASE("a streamed year holds no more people, budgets or providers at once as the people grow") {
  using rf::sim::SimBudget;
  using rf::sim::SimLive;
  using rf::sim::SimPerson;
  using rf::sim::SimProvider;
  rf::test::TempDir dir;
  const std::filesystem::path base(dir / "");
  std::vector<int64_t> budget_peaks;
  for (const uint64_t people : {150ULL, 1'500ULL, 6'000ULL}) {
    SimLive<SimBudget>::ResetPeak();
    SimLive<SimPerson>::ResetPeak();
    SimLive<SimProvider>::ResetPeak();
    rf::sim::DateSpool::open_peak = 0;
    rf::sim::SimFileWriter::buffer_peak_bytes = 0;
    const auto s = SimStreamRun({.people = people, .months = 2, .seed = 3, .plant = false},
                                (base / ("n" + std::to_string(people))).string(), true);
    INFO(people << " people, " << s.budgets << " budgets, " << s.payments << " payments");
    CHECK(s.budgets > people / 2);
    // A budget drawn, a copy passed on; a person; a provider and its copy.
    CHECK(SimLive<SimBudget>::peak <= 4);
    CHECK(SimLive<SimPerson>::peak <= 4);
    CHECK(SimLive<SimProvider>::peak <= 4);
    CHECK(rf::sim::DateSpool::open_peak <= 16);
    CHECK(rf::sim::SimFileWriter::buffer_peak_bytes <= rf::sim::kSimWriteBufferBytes);
    budget_peaks.push_back(SimLive<SimBudget>::peak);
  }
  CHECK(budget_peaks.front() == budget_peaks.back());  // flat in the people
  // The counters count: the held world holds every budget.
  SimLive<SimBudget>::ResetPeak();
  const auto held =
      SimStreamRun({.people = 1'500, .months = 1, .seed = 3, .plant = false}, (base / "held").string(), false);
  CHECK(SimLive<SimBudget>::peak >= static_cast<int64_t>(held.budgets));
  CHECK(SimLive<SimBudget>::live == 0);
}

TEST_CASE("a streamed year is the same bytes for the same seed and plants nothing") {
  rf::test::TempDir dir;
  const std::filesystem::path base(dir / "");
  rf::sim::SimParams params{.people = 500, .months = 3, .seed = 42, .plant = true};
  const auto a = SimStreamRun(params, (base / "a").string(), true);
  SimStreamRun(params, (base / "b").string(), true);
  CHECK(SimStreamSameFiles(base / "a", base / "b") >= 3 * 4 + 4 + 3);
  CHECK(a.anomalies == 0);
  CHECK(a.near_misses == 0);
  CHECK(SimStreamRead(base / "a" / "truth.json").find("\"matches\": [\n  {") != std::string::npos);
  params.seed = 43;
  SimStreamRun(params, (base / "c").string(), true);
  CHECK(SimStreamRead(base / "a" / "2026-04" / "people.csv") != SimStreamRead(base / "c" / "2026-04" / "people.csv"));
  CHECK(SimStreamRead(base / "a" / "2026-05" / "bank.camt053.xml") !=
        SimStreamRead(base / "c" / "2026-05" / "bank.camt053.xml"));
}

TEST_CASE("ringfence simulate --stream writes a year without a ledger and says so") {
  rf::test::TempDir dir;
  const std::string cli = std::string(RF_RINGFENCE_BIN) + " ";
  const std::string out = dir / "year";
  auto ran = rf::test::Run(cli + "simulate --stream --out " + rf::test::Quote(out) + " --people 130 --months 2");
  INFO(ran.output);
  REQUIRE(ran.exit_code == 0);
  CHECK_THAT(ran.output, Catch::Contains("Streamed"));
  for (const char* f : {"manifest.tsv", "load.sh", "truth.json", "2026-04/bank.csv", "2026-05/bank.camt053.xml"}) {
    INFO(f);
    CHECK(std::filesystem::exists(std::filesystem::path(out) / f));
  }
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(out) / ".work" / "ledger.rf"));
  // Budget ids sort as numbers only below a million people: refused, nothing written.
  const std::string big = dir / "big";
  CHECK(rf::test::Run(cli + "simulate --out " + rf::test::Quote(big) + " --people 1000000 --months 1").exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(big));
}
