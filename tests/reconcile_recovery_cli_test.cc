// DP_SURPLUS nets the journalled contingency (dp_surplus.contingency), and
// `reconcile --month M --recovery-out FILE` writes the proposed recoveries
// as a transfers file that loads, once a person has signed it, with
// `ringfence ingest transfers` (reconcile/recovery.h).
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ledger/core/entry_kinds.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;

namespace {

// A direct-payment budget of £3,640.00 from 2 April 2026 to 31 March 2027
// (364 days): £70.00 a week, 8 weeks £560.00. With the £100.00 contingency
// set from 1 May, dp:B-1 may hold £660.00 at the end of May.
void RecoveryBooks(Books& books, const char* dp_paid) {
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Budget("B-1", "POT-A", "3640.00")});
  books.MustCommit({rf::ConfigSetDraft("dp_surplus.contingency", "100.00", D("2026-05-01"), rf::test::kTester)});
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", dp_paid, "2026-05-10")});
}

std::string RecoveryCli(Books& books) {
  return std::string(RF_RINGFENCE_BIN) + " --actor finance.manager --ledger " + rf::test::Quote(books.dir());
}

const nlohmann::json* RecoveryFlag(const nlohmann::json& flags) {
  for (const auto& f : flags) {
    if (f["id"] == "DP_SURPLUS/budget:B-1") return &f;
  }
  return nullptr;
}

std::string RecoveryRead(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("DP_SURPLUS is raised a penny above N weeks of funding plus the configured contingency, not at it") {
  for (const auto& [paid, flagged] : {std::pair{"660.01", true}, std::pair{"660.00", false}}) {
    CAPTURE(paid);
    Books books;
    RecoveryBooks(books, paid);
    auto json = rf::test::Run(RecoveryCli(books) + " --format json reconcile --month 2026-05");
    INFO(json.output);
    REQUIRE(json.exit_code == 0);
    const nlohmann::json report = nlohmann::json::parse(json.output);
    const nlohmann::json* flag = RecoveryFlag(report["flags"]);
    CHECK((flag != nullptr) == flagged);
    if (flag != nullptr) {
      CHECK((*flag)["amount_at_stake"] == "0.01");  // the reclaimable amount, net of the contingency
      const std::string sentence = (*flag)["sentence"];
      CHECK_THAT(sentence, Catch::Contains("more than 8 weeks of funding (£560.00 at £70.00 a week)") &&
                               Catch::Contains("the contingency of £100.00") &&
                               Catch::Contains("£0.01 can be reclaimed, as the NHS (Direct Payments) "
                                               "Regulations 2013 allow"));
    }
  }
}

TEST_CASE("config set refuses a contingency that is not an amount of zero or more") {
  Books books;
  for (const char* bad : {"-1.00", "ten", "1.234", ""}) {
    CAPTURE(bad);
    auto r = rf::test::Run(RecoveryCli(books) + " config set dp_surplus.contingency '" + bad + "'");
    CHECK(r.exit_code == 2);
  }
  CHECK(rf::test::Run(RecoveryCli(books) + " config set dp_surplus.contingency 250").exit_code == 0);
}

TEST_CASE("reconcile --recovery-out writes the DP surplus as a transfers file that loads once signed, and only once") {
  Books books;
  RecoveryBooks(books, "1000.00");  // £340.00 above £560.00 and £100.00
  const std::string file = books.dir() + "-recoveries.csv";
  auto run = rf::test::Run(RecoveryCli(books) + " reconcile --month 2026-05 --recovery-out " + rf::test::Quote(file));
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.output, Catch::Contains("Proposed 1 DP surplus recovery"));
  const std::string written = RecoveryRead(file);
  CHECK(written ==
        "transfer_id,date,from_account,to_account,amount,reason,authorised_by\r\n"
        "RECOVER-B-1-2026-05,2026-06-01,dp:B-1,budget:B-1,340.00,\"DP surplus recovery for 2026-05: the amount dp:B-1 "
        "held on 2026-05-31 above 8 weeks of funding and the contingency of £100.00 (flag DP_SURPLUS/budget:B-1), "
        "returned to the budget as the NHS (Direct Payments) Regulations 2013 allow\",\r\n");

  // Never overwritten: a second run naming the file stops before journalling.
  const uint64_t size = books.Size();
  auto again = rf::test::Run(RecoveryCli(books) + " reconcile --month 2026-05 --recovery-out " + rf::test::Quote(file));
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.output, Catch::Contains("already exists"));
  CHECK(RecoveryRead(file) == written);

  // As written it does not load: nobody has authorised it yet.
  auto unsigned_load = rf::test::Run(RecoveryCli(books) + " ingest transfers " + rf::test::Quote(file));
  INFO(unsigned_load.output);
  CHECK(unsigned_load.exit_code == 2);
  CHECK_THAT(unsigned_load.output, Catch::Contains("authorised_by"));
  CHECK(books.Size() == size);

  // Signed by the person who reviewed it, it loads.
  std::string signed_text = written;
  signed_text.replace(signed_text.size() - 2, 2, "Jo Finance\r\n");
  std::ofstream(file, std::ios::binary | std::ios::trunc) << signed_text;
  auto load = rf::test::Run(RecoveryCli(books) + " ingest transfers " + rf::test::Quote(file));
  INFO(load.output);
  REQUIRE(load.exit_code == 0);
  CHECK(books.Size() == size + 1);
  CHECK(books.Balance("dp:B-1") == P("660.00"));
  CHECK_THAT(rf::test::Run(RecoveryCli(books) + " --format csv report balances").output,
             Catch::Contains("Total,0.00"));
  // Loading it again changes nothing (the transfer id is its external id).
  auto reload = rf::test::Run(RecoveryCli(books) + " ingest transfers " + rf::test::Quote(file));
  INFO(reload.output);
  CHECK(reload.exit_code == 0);
  CHECK(books.Size() == size + 1);
  CHECK(books.Balance("dp:B-1") == P("660.00"));

  // June no longer shows the surplus; May, rerun, still does (the recovery
  // is dated 1 June), so May's result is unchanged.
  auto june = rf::test::Run(RecoveryCli(books) + " --format json reconcile --month 2026-06");
  INFO(june.output);
  REQUIRE(june.exit_code == 0);
  CHECK(RecoveryFlag(nlohmann::json::parse(june.output)["flags"]) == nullptr);
  auto may = rf::test::Run(RecoveryCli(books) + " --format json reconcile --month 2026-05");
  REQUIRE(may.exit_code == 0);
  const nlohmann::json may_report = nlohmann::json::parse(may.output);
  const nlohmann::json* flag = RecoveryFlag(may_report["flags"]);
  REQUIRE(flag != nullptr);
  CHECK((*flag)["amount_at_stake"] == "340.00");
}

TEST_CASE("a dry run writes the recovery proposal too, and a month without surplus writes only the header") {
  Books books;
  RecoveryBooks(books, "500.00");
  const std::string file = books.dir() + "-none.csv";
  const uint64_t size = books.Size();
  auto run = rf::test::Run(RecoveryCli(books) + " reconcile --month 2026-05 --dry-run --recovery-out " +
                           rf::test::Quote(file));
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK(RecoveryRead(file) == "transfer_id,date,from_account,to_account,amount,reason,authorised_by\r\n");
  CHECK(books.Size() == size);
}
