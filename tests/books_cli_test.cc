// The accounting commands end to end, as a finance manager runs them:
// post (and --dry-run), close, config, report, export, reverse.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ledger/storage/journal.h"
#include "tests/test_util.h"

using rf::test::Quote;
using rf::test::RingfenceOn;
using rf::test::Run;
using rf::test::TempDir;
using rf::test::WriteFile;
using rf::test::kSetupPostJson;

namespace {


// A ledger with a pot, a person, a budget and an allocation, made with `post`.
struct Fixture {
  TempDir tmp;
  std::string rf;
  Fixture() : rf(RingfenceOn(tmp / "ledger.rf")) {
    REQUIRE(Run(rf + " init --org 'NHS Test ICB'").exit_code == 0);
    WriteFile(tmp / "setup.json", kSetupPostJson);
    auto r = Run(rf + " post " + Quote(tmp / "setup.json"));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
  }
  rf::test::RunResult PostOne(const std::string& from, const std::string& to, const std::string& amount,
                              const std::string& date, const std::string& extra = "", const std::string& flags = "") {
    WriteFile(tmp / "one.json", R"({"kind": "posting", "effective": ")" + date +
                                    R"(", "body": {"postings": [{"account": ")" + from + R"(", "amount": "-)" + amount +
                                    R"("}, {"account": ")" + to + R"(", "amount": ")" + amount + "\"}]" + extra + "}}");
    return Run(rf + " post " + flags + " " + Quote(tmp / "one.json"));
  }
};

}  // namespace

TEST_CASE("ringfence post refuses an overdraft naming the file, account and shortfall, exit 2, nothing written") {
  Fixture f;
  auto r = f.PostOne("budget:B-1", "dp:B-1", "300.01", "2026-05-01");
  REQUIRE(r.exit_code == 2);
  REQUIRE_THAT(r.output, Catch::Contains("one.json"));
  REQUIRE_THAT(r.output, Catch::Contains("budget:B-1 would go below zero: short by £0.01"));
  auto bal = Run(f.rf + " --format csv report balances");
  REQUIRE_THAT(bal.output, Catch::Contains("budget:B-1,300.00"));
}

TEST_CASE("ringfence post --dry-run checks the rules and writes nothing") {
  Fixture f;
  auto dry = f.PostOne("budget:B-1", "dp:B-1", "100.00", "2026-05-01", "", "--dry-run");
  INFO(dry.output);
  REQUIRE(dry.exit_code == 0);
  REQUIRE_THAT(dry.output, Catch::Contains("nothing was written"));
  REQUIRE_THAT(Run(f.rf + " --format csv report balances").output, Catch::Contains("budget:B-1,300.00"));
}

TEST_CASE("ringfence close locks the month, and a later entry dated in it is refused with exit 2") {
  Fixture f;
  auto close = Run(f.rf + " close --month 2026-04 --by 'Finance Manager' --date 2026-05-02");
  INFO(close.output);
  REQUIRE(close.exit_code == 0);
  auto late = f.PostOne("budget:B-1", "dp:B-1", "1.00", "2026-04-30");
  REQUIRE(late.exit_code == 2);
  REQUIRE_THAT(late.output, Catch::Contains("closed month"));
  REQUIRE(f.PostOne("budget:B-1", "dp:B-1", "1.00", "2026-05-01").exit_code == 0);
  REQUIRE(Run(f.rf + " close --month 2026-04 --by x --date 2026-05-02").exit_code == 2);
  REQUIRE(Run(f.rf + " close --month 2026-13 --by x").exit_code == 2);
  REQUIRE(Run(f.rf + " verify").exit_code == 0);
}

TEST_CASE("ringfence config set is journalled and config show lists values and defaults") {
  Fixture f;
  REQUIRE(Run(f.rf + " config set delay.invoice_days 21").exit_code == 0);
  REQUIRE(Run(f.rf + " config set delay.invoice_days never").exit_code == 2);
  auto show = Run(f.rf + " --format json config show");
  auto j = nlohmann::json::parse(show.output);
  bool found = false;
  for (const auto& row : j["rows"]) {
    if (row["key"] == "delay.invoice_days") found = row["value"] == "21" && row["default"] == "30";
  }
  REQUIRE(found);
}

TEST_CASE("ringfence report pots shows funded, allocated and unallocated that add up, as text, json and csv") {
  Fixture f;
  REQUIRE(f.PostOne("budget:B-1", "dp:B-1", "100.00", "2026-05-01").exit_code == 0);
  REQUIRE(f.PostOne("dp:B-1", "spent:B-1:therapy", "40.00", "2026-05-10").exit_code == 0);
  auto text = Run(f.rf + " report pots --as-of 2026-09-30");
  INFO(text.output);
  REQUIRE(text.exit_code == 0);
  REQUIRE_THAT(text.output, Catch::Contains("1,000.00"));
  auto json = nlohmann::json::parse(Run(f.rf + " --format json report pots").output);
  const auto& pot = json["rows"][0];
  REQUIRE(pot["funded"] == "1000.00");
  REQUIRE(pot["allocated"] == "300.00");
  REQUIRE(pot["unallocated"] == "700.00");
  REQUIRE(pot["paid"] == "100.00");
  REQUIRE(pot["spent"] == "40.00");
  // As of a date before the payment, the replayed journal shows none of it.
  auto before = nlohmann::json::parse(Run(f.rf + " --format json report pots --as-of 2026-04-30").output);
  REQUIRE(before["rows"][0]["paid"] == "0.00");
  REQUIRE(before["rows"][0]["allocated"] == "300.00");
  auto csv = Run(f.rf + " --format csv report budgets");
  REQUIRE_THAT(csv.output, Catch::StartsWith("budget_id,person_id,pot_id"));
  REQUIRE(Run(f.rf + " report nonsense").exit_code == 2);
}

TEST_CASE("ringfence reverse posts the exact negation, once") {
  Fixture f;
  REQUIRE(f.PostOne("budget:B-1", "dp:B-1", "100.00", "2026-05-01").exit_code == 0);
  auto r = Run(f.rf + " reverse --seq 5 --reason 'wrong budget' --date 2026-05-02");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  REQUIRE_THAT(Run(f.rf + " --format csv report balances").output, Catch::Contains("budget:B-1,300.00"));
  REQUIRE(Run(f.rf + " reverse --seq 5 --reason again --date 2026-05-02").exit_code == 2);
}

TEST_CASE("ringfence close refuses a month with a critical flag open, exit 2, the month stays open") {
  Fixture f;
  auto moved = f.PostOne("pot:POT-1", "external:general-fund", "100.00", "2026-04-20",
                         R"(, "reason": "winter pressures")");
  INFO(moved.output);
  REQUIRE(moved.exit_code == 0);
  auto refused = Run(f.rf + " close --month 2026-04 --by 'Finance Manager' --date 2026-05-02");
  INFO(refused.output);
  REQUIRE(refused.exit_code == 2);
  CHECK_THAT(refused.output, Catch::Contains("DIVERSION_TRANSFER") && Catch::Contains("critical flag") &&
                                 Catch::Contains("ringfence reconcile --month 2026-04") &&
                                 Catch::Contains("--force --reason"));
  // Nothing written: an entry dated in April is still accepted.
  REQUIRE(f.PostOne("budget:B-1", "dp:B-1", "1.00", "2026-04-30").exit_code == 0);

  auto no_reason = Run(f.rf + " close --month 2026-04 --by x --date 2026-05-02 --force");
  INFO(no_reason.output);
  REQUIRE(no_reason.exit_code == 2);
  REQUIRE_THAT(no_reason.output, Catch::Contains("--reason"));
  REQUIRE(Run(f.rf + " close --month 2026-04 --by x --date 2026-05-02 --force --reason '...!'").exit_code == 2);
  REQUIRE(Run(f.rf + " close --month 2026-04 --by x --date 2026-05-02 --reason 'board approved'").exit_code == 2);
  REQUIRE(f.PostOne("budget:B-1", "dp:B-1", "1.00", "2026-04-30").exit_code == 0);

  auto forced = Run(f.rf + " close --month 2026-04 --by 'Finance Manager' --date 2026-05-02 --force --reason " +
                    Quote("board approved the transfer"));
  INFO(forced.output);
  REQUIRE(forced.exit_code == 0);
  CHECK_THAT(forced.output, Catch::Contains("forced over 1 critical flag"));
  REQUIRE(f.PostOne("budget:B-1", "dp:B-1", "1.00", "2026-04-30").exit_code == 2);
  REQUIRE(Run(f.rf + " verify").exit_code == 0);
  // The override is in the month.close entry itself.
  auto journal = rf::Journal::Open(f.tmp / "ledger.rf", false);
  REQUIRE(journal.ok());
  std::string close_line;
  REQUIRE((*journal)->ForEachLine(1, [&](uint64_t, std::string_view line) {
    if (line.find("\"month.close\"") != std::string_view::npos) close_line = std::string(line);
    return rf::Status::Ok();
  }).ok());
  INFO(close_line);
  CHECK_THAT(close_line, Catch::Contains("\"force_reason\":\"board approved the transfer\"") &&
                             Catch::Contains("\"critical_flags\":[\"DIVERSION_TRANSFER/"));
}

TEST_CASE("ringfence close goes ahead over warnings, and a forced close without critical flags is a plain close") {
  Fixture f;
  auto over = f.PostOne("budget:B-1", "dp:B-1", "400.00", "2026-04-20",
                        R"(, "reason": "agreed with the panel", "allow_negative": true)");
  INFO(over.output);
  REQUIRE(over.exit_code == 0);
  auto close = Run(f.rf + " close --month 2026-04 --by 'Finance Manager' --date 2026-05-02");
  INFO(close.output);
  REQUIRE(close.exit_code == 0);
  CHECK_THAT(close.output, !Catch::Contains("forced"));
}
