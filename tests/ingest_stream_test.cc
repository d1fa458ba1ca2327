// Large files stream through one transaction in chunks: all rows or none.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/test_util.h"

using rf::test::Quote;
using rf::test::RingfenceOn;
using rf::test::Run;
using rf::test::TempDir;

namespace {

using rf::test::kIngestData;
constexpr int kRows = 25'000;  // two and a half chunks

std::string Invoices(const std::string& path, bool bad_last_row) {
  std::ofstream out(path, std::ios::binary);
  out << "invoice_id,provider_id,budget_id,amount,service_from,service_to,received_on,category,description\n";
  for (int i = 0; i < kRows; ++i) {
    const bool bad = bad_last_row && i == kRows - 1;
    out << "BIG-" << i << ",V-001,B-102," << (bad ? "1,5" : "0.01")
        << ",2026-04-01,2026-04-30,2026-05-03,activities,row " << i << "\n";
  }
  return path;
}

// A ledger in `tmp` with the pots, people, providers and budgets invoices
// name; returns the ringfence command for it.
std::string LedgerWithReferenceData(const TempDir& tmp) {
  const std::string rf = RingfenceOn(tmp / "ledger.rf");
  REQUIRE(Run(rf + "init --org 'NHS Test ICB'").exit_code == 0);
  for (const char* kind : {"pots", "people", "providers", "budgets"}) {
    REQUIRE(Run(rf + "ingest " + kind + " " + Quote(kIngestData + kind + ".csv")).exit_code == 0);
  }
  return rf;
}

}  // namespace

TEST_CASE("a file larger than a chunk loads in one commit, or not at all when its last row is bad") {
  TempDir tmp;
  const std::string rf = LedgerWithReferenceData(tmp);
  const auto size = [&] {
    return nlohmann::json::parse(Run(rf + "--format json verify").output)["entries"].get<uint64_t>();
  };
  const uint64_t before = size();
  auto bad = Run(rf + "ingest invoices " + Quote(Invoices(tmp / "bad.csv", true)));
  INFO(bad.output.substr(0, 400));
  REQUIRE(bad.exit_code == 2);
  REQUIRE_THAT(bad.output, Catch::Contains("bad.csv:25001"));
  REQUIRE(size() == before);
  auto good = Run(rf + "--format json ingest invoices " + Quote(Invoices(tmp / "good.csv", false)));
  INFO(good.output.substr(0, 400));
  REQUIRE(good.exit_code == 0);
  REQUIRE(size() == before + kRows);
  // One commit: one new checkpoint covering every row.
  auto proof = nlohmann::json::parse(Run(rf + "--format json audit prove --seq 1").output);
  REQUIRE(proof["tree_size"] == before + kRows);
  auto consistency =
      Run(rf + "audit consistency --from " + std::to_string(before + 1) + " --to " + std::to_string(before + kRows));
  REQUIRE_THAT(consistency.output, !Catch::Contains("first_checkpoint"));
  REQUIRE(Run(rf + "verify").exit_code == 0);
}

TEST_CASE("problems found after a row was parsed (on the reading thread) keep their line, also in later chunks") {
  // Rows are read and parsed a chunk ahead on a second thread; problems the
  // writing thread finds (unknown references, an id twice in the file) are
  // located from what the reader kept, including for a record whose quoted
  // line break puts later fields on the next line.
  TempDir tmp;
  const std::string rf = LedgerWithReferenceData(tmp);
  const std::string path = tmp / "late.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "description,invoice_id,provider_id,budget_id,amount,service_from,service_to,received_on,category\n";
    for (int i = 0; i < kRows; ++i) {
      const int line = i + 2;
      if (line == 15'000) {
        out << "\"two\nlines\",LATE-X,V-404,B-102,1.00,2026-04-01,2026-04-30,2026-05-03,activities\n";
      } else if (line == 20'000) {
        out << "dup,LATE-7,V-001,B-102,1.00,2026-04-01,2026-04-30,2026-05-03,activities\n";
      } else {
        out << "row,LATE-" << i << ",V-001,B-102,1.00,2026-04-01,2026-04-30,2026-05-03,activities\n";
      }
    }
  }
  auto r = Run(rf + "ingest invoices " + Quote(path));
  INFO(r.output.substr(0, 800));
  REQUIRE(r.exit_code == 2);
  // The record starts on line 15000; provider_id is on its second line.
  REQUIRE_THAT(r.output,
               Catch::Contains("late.csv:15001: column 3 (provider_id): provider V-404 is not in the ledger"));
  REQUIRE_THAT(r.output, Catch::Contains("late.csv:20001: column 2 (invoice_id)"));
  REQUIRE_THAT(r.output, Catch::Contains("also on line 9"));
  REQUIRE_THAT(r.output, Catch::Contains("2 problems"));
}
