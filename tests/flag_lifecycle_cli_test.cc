// The flag lifecycle through the CLI (issue 17 item 9): `reconcile --month`
// records its flags (flags.raised), carries them over with their age,
// `flags explain|resolve` journal a person's decision, a resolved flag
// raised again later is reopened, and `close` is blocked only by open
// critical flags.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/core/records.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;

namespace {

constexpr char kLifecycleDiversionCode[] = "DIVERSION_TRANSFER";

// A notional budget (no instalments), and 100.00 moved from the pot to
// external:general-fund on 6 May: a critical DIVERSION_TRANSFER raised for
// May and every month after.
void LoadLifecycleDiversion(Books& books) {
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Provider("V-1"),
                    Books::Budget("B-1", "POT-A", "1200.00", "2026-04-20", "P-1", "notional")});
  books.MustCommit({Books::Move("pot:POT-A", "external:general-fund", "100.00", "2026-05-06", "winter pressures")});
}

std::string LifecycleCli(Books& books) {
  return std::string(RF_RINGFENCE_BIN) + " --actor finance.manager --ledger " + rf::test::Quote(books.dir());
}

nlohmann::json LifecycleReconcile(Books& books, const std::string& month, const std::string& extra = "") {
  auto run = rf::test::Run(LifecycleCli(books) + " --format json reconcile --month " + month + extra);
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  return nlohmann::json::parse(run.output);
}

// The month's flag of `code` (the only one of it in these ledgers).
nlohmann::json LifecycleFlag(const nlohmann::json& report, const std::string& code) {
  for (const auto& f : report["flags"]) {
    if (f["code"] == code) return f;
  }
  FAIL("no " << code << " flag in " << report["flags"].dump());
  return {};
}

void LifecycleVerify(Books& books) {
  auto verify = rf::test::Run(LifecycleCli(books) + " verify");
  INFO(verify.output);
  CHECK(verify.exit_code == 0);
  rf::test::RequireViewsMatchJournal(books);
}

}  // namespace

TEST_CASE("a flag raised in May is carried over in June with its age and the same id, and a rerun journals nothing") {
  Books books;
  LoadLifecycleDiversion(books);

  const uint64_t before_may = books.Size();
  const auto may = LifecycleReconcile(books, "2026-05");
  const auto may_flag = LifecycleFlag(may, kLifecycleDiversionCode);
  const std::string id = may_flag["id"];
  CHECK(may_flag["section"] == "new");
  CHECK(may_flag["state"] == "open");
  CHECK(may_flag["first_month"] == "2026-05");
  CHECK(may_flag["age_months"] == 0);
  REQUIRE(books.Size() > before_may);
  CHECK_FALSE(may["flag_lifecycle"].contains("entries"));  // what a run journalled is not the month's result
  const auto record = books.Record(rf::RecordKey(rf::RecordKind::kFlagLife, id));
  REQUIRE(record.has_value());
  CHECK((*record)["state"] == "open");
  CHECK((*record)["first_month"] == "2026-05");
  CHECK((*record)["amount"] == "100.00");
  CHECK((*record)["severity"] == "critical");

  // A rerun of May changes nothing.
  const uint64_t after_may = books.Size();
  const auto may_again = LifecycleReconcile(books, "2026-05");
  CHECK(books.Size() == after_may);
  CHECK(LifecycleFlag(may_again, kLifecycleDiversionCode)["section"] == "new");

  const auto june = LifecycleReconcile(books, "2026-06");
  const auto june_flag = LifecycleFlag(june, kLifecycleDiversionCode);
  CHECK(june_flag["id"] == id);
  CHECK(june_flag["section"] == "carried_over");
  CHECK(june_flag["state"] == "open");
  CHECK(june_flag["first_month"] == "2026-05");
  CHECK(june_flag["age_months"] == 1);
  CHECK(books.Record(rf::RecordKey(rf::RecordKind::kFlagLife, id)).value()["last_month"] == "2026-06");

  // A rerun of June journals nothing and says the same, in text too.
  const uint64_t after_june = books.Size();
  auto text = rf::test::Run(LifecycleCli(books) + " reconcile --month 2026-06");
  INFO(text.output);
  REQUIRE(text.exit_code == 0);
  CHECK(books.Size() == after_june);
  CHECK_THAT(text.output, Catch::Contains("Carried over (") &&
                              Catch::Contains("DIVERSION_TRANSFER  " + june_flag["entity"].get<std::string>()) &&
                              Catch::Contains("[carried over from 2026-05, 1 month]"));
  auto csv = rf::test::Run(LifecycleCli(books) + " --format csv reconcile --month 2026-06");
  INFO(csv.output);
  CHECK_THAT(csv.output, Catch::Contains(",open,carried_over,2026-05,1,"));
  CHECK(books.Size() == after_june);
  // Its dry run of July says what July would record, and records nothing.
  const auto july_dry = LifecycleReconcile(books, "2026-07", " --dry-run");
  CHECK(LifecycleFlag(july_dry, kLifecycleDiversionCode)["age_months"] == 2);
  CHECK(books.Size() == after_june);
  LifecycleVerify(books);
}

TEST_CASE("flags explain and resolve are journalled, and a resolved flag raised again in a later month reopens") {
  Books books;
  LoadLifecycleDiversion(books);
  LifecycleReconcile(books, "2026-05");
  const auto june = LifecycleReconcile(books, "2026-06");
  const std::string id = LifecycleFlag(june, kLifecycleDiversionCode)["id"];
  const std::string cli = LifecycleCli(books);
  CHECK(rf::test::Run(cli + " reconcile --month 2026-06 --fail-on critical").exit_code == 1);

  // Refused, exit 2, nothing journalled: an unknown id, a note without words.
  const uint64_t size = books.Size();
  auto unknown = rf::test::Run(cli + " flags explain DIVERSION_TRANSFER/entry:999 --note 'board approved it'");
  INFO(unknown.output);
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Catch::Contains("is not known"));
  auto wordless = rf::test::Run(cli + " flags explain '" + id + "' --note ' ... '");
  INFO(wordless.output);
  CHECK(wordless.exit_code == 2);
  CHECK(books.Size() == size);

  auto explained = rf::test::Run(cli + " flags explain '" + id + "' --note 'the board approved the transfer'");
  INFO(explained.output);
  REQUIRE(explained.exit_code == 0);
  CHECK(books.Size() == size + 1);
  const auto june_explained = LifecycleReconcile(books, "2026-06");
  CHECK(books.Size() == size + 1);
  const auto flag = LifecycleFlag(june_explained, kLifecycleDiversionCode);
  CHECK(flag["section"] == "explained");
  CHECK(flag["state"] == "explained");
  CHECK(flag["note"] == "the board approved the transfer");
  CHECK(flag["by"] == "finance.manager");
  CHECK(june_explained["flag_lifecycle"]["explained"] == 1);
  auto explained_text = rf::test::Run(cli + " reconcile --month 2026-06");
  INFO(explained_text.output);
  CHECK_THAT(
      explained_text.output,
      Catch::Contains("Explained, not open (1)") &&
          Catch::Contains("[explained by finance.manager: the board approved the transfer (raised since 2026-05, "
                          "1 month)]"));
  // Explained is dealt with: --fail-on counts open flags only.
  CHECK(rf::test::Run(cli + " reconcile --month 2026-06 --fail-on critical").exit_code == 0);
  auto listed = rf::test::Run(cli + " --format json flags --state explained");
  INFO(listed.output);
  REQUIRE(listed.exit_code == 0);
  const auto rows = nlohmann::json::parse(listed.output)["rows"];
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["id"] == id);
  CHECK(rows[0]["first_month"] == "2026-05");
  CHECK(rows[0]["last_month"] == "2026-06");
  CHECK(rows[0]["age_months"] == "1");
  CHECK(rows[0]["note"] == "the board approved the transfer");

  auto resolved = rf::test::Run(cli + " flags resolve '" + id + "' --reason 'the general fund paid the money back'");
  INFO(resolved.output);
  REQUIRE(resolved.exit_code == 0);
  const uint64_t after_resolve = books.Size();
  auto again = rf::test::Run(cli + " flags resolve '" + id + "' --reason 'paid back twice'");
  INFO(again.output);
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.output, Catch::Contains("already resolved"));
  CHECK(books.Size() == after_resolve);
  // June again: resolved through June, so it stays resolved.
  const auto june_resolved = LifecycleReconcile(books, "2026-06");
  CHECK(books.Size() == after_resolve);
  CHECK(LifecycleFlag(june_resolved, kLifecycleDiversionCode)["section"] == "resolved");
  CHECK(LifecycleFlag(june_resolved, kLifecycleDiversionCode)["reason"] == "the general fund paid the money back");

  // July: the condition still holds after the resolution, so it is reopened.
  const auto july = LifecycleReconcile(books, "2026-07");
  const auto reopened = LifecycleFlag(july, kLifecycleDiversionCode);
  CHECK(reopened["id"] == id);
  CHECK(reopened["section"] == "new");
  CHECK(reopened["state"] == "open");
  CHECK(reopened["reopened"] == true);
  CHECK(reopened["first_month"] == "2026-07");
  CHECK(reopened["reason"].is_null());
  CHECK(books.Size() > after_resolve);
  auto text = rf::test::Run(cli + " reconcile --month 2026-07");
  CHECK_THAT(text.output, Catch::Contains("New this month (") && Catch::Contains("[reopened: resolved before"));
  auto open_rows = rf::test::Run(cli + " --format json flags --state open --month 2026-07");
  REQUIRE(open_rows.exit_code == 0);
  CHECK_THAT(open_rows.output, Catch::Contains(id));
  LifecycleVerify(books);
}

TEST_CASE(
    "close refuses an open critical flag and goes ahead once it is explained, and a closed month's flag can still be "
    "explained") {
  Books books;
  LoadLifecycleDiversion(books);
  LifecycleReconcile(books, "2026-05");
  const std::string cli = LifecycleCli(books);
  const uint64_t size = books.Size();
  auto refused = rf::test::Run(cli + " close --month 2026-05 --by 'Finance Manager' --date 2026-06-02");
  INFO(refused.output);
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.output, Catch::Contains("DIVERSION_TRANSFER/") && Catch::Contains("flags explain"));
  CHECK(books.Size() == size);

  const auto may = LifecycleReconcile(books, "2026-05");
  const std::string id = LifecycleFlag(may, kLifecycleDiversionCode)["id"];
  // Dated in May (not closed yet) is fine; the explanation unblocks the close.
  REQUIRE(
      rf::test::Run(cli + " flags explain '" + id + "' --note 'approved by the board' --date 2026-06-01").exit_code ==
      0);
  auto closed = rf::test::Run(cli + " close --month 2026-05 --by 'Finance Manager' --date 2026-06-02");
  INFO(closed.output);
  REQUIRE(closed.exit_code == 0);
  CHECK_THAT(closed.output, !Catch::Contains("forced"));

  // The month is closed: a rerun records nothing; resolving its flag today
  // is not in the closed month, so it is accepted; dated in May it is refused.
  const uint64_t after_close = books.Size();
  const auto may_closed = LifecycleReconcile(books, "2026-05");
  CHECK(may_closed["flag_lifecycle"]["month_closed"] == true);
  CHECK(books.Size() == after_close);
  auto back_dated = rf::test::Run(cli + " flags resolve '" + id + "' --reason 'money returned' --date 2026-05-30");
  INFO(back_dated.output);
  CHECK(back_dated.exit_code == 2);
  CHECK(books.Size() == after_close);
  REQUIRE(rf::test::Run(cli + " flags resolve '" + id + "' --reason 'money returned'").exit_code == 0);
  LifecycleVerify(books);
}
