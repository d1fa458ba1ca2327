// `ringfence reconcile --month` raises the flags born of matching (bank
// lines left unmatched) and of the rules' own flag records (OVERSPEND,
// DIVERSION_TRANSFER), beside the threshold flags (month_flags.h).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/core/records.h"
#include "reconcile/month_flags.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::StatementLine;

namespace {

std::string SourceFlagsCli(Books& books) {
  return std::string(RF_RINGFENCE_BIN) + " --actor finance.manager --ledger " + rf::test::Quote(books.dir());
}

const nlohmann::json* FindSourceFlag(const nlohmann::json& flags, const std::string& id) {
  for (const auto& f : flags) {
    if (f["id"] == id) return &f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("an outflow no payment explains is DIVERSION_UNEXPLAINED_OUTFLOW, and an inflow is UNMATCHED_BANK_LINE") {
  Books books;
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Budget("B-1", "POT-A", "5000.00")});
  books.MustCommit({StatementLine("STMT-9", "1", "-80.00", "2026-05-12", "GB11PAYE00000000000042"),
                    StatementLine("STMT-9", "2", "25.00", "2026-05-13", "GB11FUND00000000000001")});

  auto json = rf::test::Run(SourceFlagsCli(books) + " --format json reconcile --month 2026-05 --dry-run");
  INFO(json.output);
  REQUIRE(json.exit_code == 0);
  const auto j = nlohmann::json::parse(json.output);
  const nlohmann::json* out = FindSourceFlag(j["flags"], "DIVERSION_UNEXPLAINED_OUTFLOW/bankline:STMT-9/1");
  REQUIRE(out != nullptr);
  CHECK((*out)["code"] == "DIVERSION_UNEXPLAINED_OUTFLOW");
  CHECK((*out)["severity"] == "critical");
  CHECK((*out)["entity"] == "bankline:STMT-9/1");
  CHECK((*out)["amount_at_stake"] == "80.00");
  CHECK((*out)["evidence_bank_lines"] == nlohmann::json::array({"STMT-9/1"}));
  CHECK_THAT((*out)["sentence"].get<std::string>(),
             Catch::Contains("no matching payment") && Catch::Contains("who authorised it"));
  const nlohmann::json* in = FindSourceFlag(j["flags"], "UNMATCHED_BANK_LINE/bankline:STMT-9/2");
  REQUIRE(in != nullptr);
  CHECK((*in)["severity"] == "warning");
  CHECK((*in)["amount_at_stake"] == "25.00");
  CHECK_THAT((*in)["sentence"].get<std::string>(), Catch::Contains("money in (£25.00)"));
  CHECK(FindSourceFlag(j["flags"], "UNMATCHED_BANK_LINE/bankline:STMT-9/1") == nullptr);
  CHECK(j["summary"]["flags"]["critical"].get<uint64_t>() >= 1);

  auto text = rf::test::Run(SourceFlagsCli(books) + " reconcile --month 2026-05 --fail-on critical");
  INFO(text.output);
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.output, Catch::Contains("DIVERSION_UNEXPLAINED_OUTFLOW  bankline:STMT-9/1  £80.00") &&
                              Catch::Contains("UNMATCHED_BANK_LINE  bankline:STMT-9/2  £25.00"));
  // An inflow alone is a warning: --fail-on critical passes.
  Books inflow_only;
  inflow_only.MustCommit(
      {inflow_only.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Budget("B-1", "POT-A", "5000.00")});
  inflow_only.MustCommit({StatementLine("STMT-9", "2", "25.00", "2026-05-13", "GB11FUND00000000000001")});
  auto passes = rf::test::Run(SourceFlagsCli(inflow_only) + " reconcile --month 2026-05 --fail-on critical");
  INFO(passes.output);
  CHECK(passes.exit_code == 0);
  CHECK_THAT(passes.output, Catch::Contains("UNMATCHED_BANK_LINE"));
}

TEST_CASE("an override's flag record is OVERSPEND and a transfer out is DIVERSION_TRANSFER, from their month on") {
  Books books;
  books.Standard();
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "1300.00", "2026-05-04", "urgent crisis support", true)});
  books.MustCommit({Books::Move("pot:POT-A", "external:general-fund", "100.00", "2026-05-06", "winter pressures")});

  auto json = rf::test::Run(SourceFlagsCli(books) + " --format json reconcile --month 2026-05 --dry-run");
  INFO(json.output);
  REQUIRE(json.exit_code == 0);
  const auto j = nlohmann::json::parse(json.output);
  const nlohmann::json* over = nullptr;
  const nlohmann::json* diverted = nullptr;
  for (const auto& f : j["flags"]) {
    if (f["code"] == "OVERSPEND") over = &f;
    if (f["code"] == "DIVERSION_TRANSFER") diverted = &f;
  }
  REQUIRE(over != nullptr);
  CHECK((*over)["severity"] == "warning");
  CHECK((*over)["amount_at_stake"] == "100.00");
  REQUIRE((*over)["evidence_seqs"].size() == 1);
  const uint64_t over_seq = (*over)["evidence_seqs"][0].get<uint64_t>();
  CHECK((*over)["id"] == "OVERSPEND/entry:" + std::to_string(over_seq));
  CHECK_THAT((*over)["sentence"].get<std::string>(), Catch::Contains("budget:B-1") &&
                                                         Catch::Contains("urgent crisis support") &&
                                                         Catch::Contains("tester") && Catch::Contains("Recover"));
  REQUIRE(diverted != nullptr);
  CHECK((*diverted)["severity"] == "critical");
  CHECK((*diverted)["amount_at_stake"] == "100.00");
  CHECK((*diverted)["evidence_seqs"].size() == 1);
  CHECK_THAT((*diverted)["sentence"].get<std::string>(), Catch::Contains("external:general-fund") &&
                                                             Catch::Contains("winter pressures") &&
                                                             Catch::Contains("POT-A") && Catch::Contains("tester"));
  CHECK(rf::test::Run(SourceFlagsCli(books) + " reconcile --month 2026-05 --dry-run --fail-on critical").exit_code ==
        1);

  // April, before either entry: views as at 30 April hold neither record.
  auto april = rf::test::Run(SourceFlagsCli(books) + " --format json reconcile --month 2026-04 --dry-run");
  INFO(april.output);
  REQUIRE(april.exit_code == 0);
  const nlohmann::json april_json = nlohmann::json::parse(april.output);  // outlives the loop
  for (const auto& f : april_json["flags"]) {
    CHECK(f["code"] != "OVERSPEND");
    CHECK(f["code"] != "DIVERSION_TRANSFER");
  }
  // June: raised again (no lifecycle yet), the same id.
  auto june = rf::test::Run(SourceFlagsCli(books) + " --format json reconcile --month 2026-06 --dry-run");
  INFO(june.output);
  REQUIRE(june.exit_code == 0);
  CHECK(FindSourceFlag(nlohmann::json::parse(june.output)["flags"], (*over)["id"].get<std::string>()) != nullptr);
}
