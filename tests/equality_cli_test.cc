// `ringfence report equality` end to end: people and budgets loaded with
// ingest, the report in json and csv, small counts suppressed in the output
// (directly and by differencing), and a bad --by refused with exit 2.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/test_util.h"

namespace rf::equality_cli_test {

using rf::test::Quote;
using rf::test::RingfenceOn;
using rf::test::Run;
using rf::test::TempDir;
using rf::test::WriteFile;

// Seven White people (three on direct payments) and one Black person.
struct EqualityCli {
  TempDir tmp;
  std::string rf = RingfenceOn(tmp / "ledger.rf");
  EqualityCli() {
    REQUIRE(Run(rf + "init --org 'NHS Test ICB'").exit_code == 0);
    std::string people = "person_id,ethnic_category,age_band,sex,locality,s117_eligible\n";
    std::string budgets = "budget_id,person_id,pot_id,management,amount,start_date,end_date,approved_on,frequency,payee_ref\n";
    for (int i = 1; i <= 8; ++i) {
      const std::string id = "P-" + std::to_string(i);
      people += id + "," + (i == 8 ? "M" : "A") + "," + (i % 2 ? "25-34" : "75+") + "," +
                (i % 2 ? "female" : "male") + ",North,no\n";
      const bool dp = i <= 3;
      budgets += "B-" + std::to_string(i) + "," + id + ",POT-MH," + (dp ? "direct-payment" : "notional") + "," +
                 std::to_string(1000 * i) + ".00,2026-04-01,2027-03-31,2026-04-02," +
                 (dp ? "monthly,GB29NWBK60161331926819" : "none,") + "\n";
    }
    WriteFile(tmp / "people.csv", people);
    WriteFile(tmp / "budgets.csv", budgets);
    for (const char* kind : {"pots", "people", "budgets"}) {
      const std::string file = std::string(kind) == "pots" ? rf::test::kIngestData + "pots.csv"
                                                            : std::string(tmp / (std::string(kind) + ".csv"));
      auto r = Run(rf + "ingest " + kind + " " + Quote(file));
      INFO(r.output);
      REQUIRE(r.exit_code == 0);
    }
  }
};

TEST_CASE("report equality --format json shows small counts as <5 and hides what would give them away") {
  EqualityCli cli;
  auto r = Run(cli.rf + "--format json report equality --as-of 2026-06-30");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.output);
  CHECK(j["as_of"] == "2026-06-30");
  REQUIRE(j["tables"].size() == 3);
  const auto& ethnic = j["tables"][0];
  CHECK(ethnic["rows"][0]["ethnic_group"] == "White");
  CHECK(ethnic["rows"][0]["people"] == "[c]");  // else Black = total - White
  CHECK(ethnic["rows"][0]["on_dp"] == "<5");
  CHECK(ethnic["rows"][0]["median_allocation"] == "[c]");
  CHECK(ethnic["rows"][3]["ethnic_group"] == "Black or Black British");
  CHECK(ethnic["rows"][3]["people"] == "<5");
  CHECK(ethnic["rows"][3]["on_dp_pct"] == "[c]");
  CHECK(ethnic["total"]["people"] == "8");
  CHECK(ethnic["rows"][1]["people"] == "0");  // zero is shown
  CHECK(j["tables"][1]["title"].get<std::string>().starts_with("Provider diversity by size"));
}

TEST_CASE("report equality --format csv writes each table's header and rows, --by adds the breakdown") {
  EqualityCli cli;
  auto r = Run(cli.rf + "--format csv report equality --as-of 2026-06-30 --by sex");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("ethnic_group,people,on_dp,on_dp_pct,median_allocation,"
                                       "median_days_to_first_payment,flagged,flagged_pct\r\n"));
  CHECK_THAT(r.output, Catch::Contains("Black or Black British,<5,"));
  CHECK_THAT(r.output, Catch::Contains("White,[c],<5,"));
  CHECK_THAT(r.output, Catch::Contains("\r\nsex,people,"));
  CHECK_THAT(r.output, Catch::Contains("\r\nethnic_group,sex,people,"));
  CHECK_THAT(r.output, Catch::Contains("\r\nsize,providers,spend,spend_pct,median_days_to_pay\r\n"));
  auto text = Run(cli.rf + "report equality");
  INFO(text.output);
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.output, Catch::Contains("Equality: people with a personal health budget by ethnic group"));
  auto bad = Run(cli.rf + "report equality --by postcode");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("age-band, sex, locality"));
  CHECK(Run(cli.rf + "report pots --by sex").exit_code == 2);
}

TEST_CASE("equality.suppress_below is a journalled setting the report reads") {
  EqualityCli cli;
  auto zero = Run(cli.rf + "config set equality.suppress_below 0 --date 2026-04-01");
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.output, Catch::Contains("from 1 to 100000"));
  REQUIRE(Run(cli.rf + "config set equality.suppress_below 2 --date 2026-04-01").exit_code == 0);
  auto r = Run(cli.rf + "--format json report equality --as-of 2026-06-30");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.output);
  CHECK(j["tables"][0]["rows"][3]["people"] == "<2");
  CHECK(j["tables"][0]["rows"][0]["on_dp"] == "3");
}

}  // namespace rf::equality_cli_test

namespace rf::equality_cli_test {

TEST_CASE("reconcile --month appends the equality tables to its text and json") {
  EqualityCli cli;
  auto json = Run(cli.rf + "--format json reconcile --month 2026-06 --dry-run");
  INFO(json.output);
  REQUIRE(json.exit_code == 0);
  const auto j = nlohmann::json::parse(json.output);
  REQUIRE(j["equality"].size() == 3);
  CHECK(j["equality"][0]["rows"][3]["people"] == "<5");
  CHECK(j["equality"][0]["total"]["people"] == "8");
  auto text = Run(cli.rf + "reconcile --month 2026-06 --dry-run");
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.output, Catch::Contains("Equality: people with a personal health budget by ethnic group, "
                                          "2026-04-01 to 2026-06-30"));
  CHECK_THAT(text.output, Catch::Contains("Provider diversity by community-led status"));
}

}  // namespace rf::equality_cli_test
