// `ringfence reconcile --month` lists the month's flags (month_flags.h) as
// at the month's last day, in text, json and csv, and `--fail-on` turns
// them into exit 1 for scripts.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/core/records.h"
#include "reconcile/month_flags.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;

namespace {

// A notional budget approved and started 20 April (so no instalments, and
// its first payment is not late in April), and an invoice from a small
// VCSE provider (V-1; limit 10 days) received 25 April that nobody pays:
// 5 days old at the end of April, 36 at the end of May.
void LoadUnpaidVcseInvoice(Books& books) {
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Provider("V-1"),
                    Books::Budget("B-1", "POT-A", "1200.00", "2026-04-20", "P-1", "notional")});
  books.MustCommit({rf::InvoiceReceivedDraft({"INV-7", "V-1", "B-1", "activities", "Art group, April", P("120.00"),
                                              D("2026-04-20"), D("2026-04-24"), D("2026-04-25")},
                                             rf::test::kTester)});
}

std::string FlagsCli(Books& books) {
  return std::string(RF_RINGFENCE_BIN) + " --actor finance.manager --ledger " + rf::test::Quote(books.dir());
}

const nlohmann::json* FindMonthFlag(const nlohmann::json& flags, const std::string& id) {
  for (const auto& f : flags) {
    if (f["id"] == id) return &f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("an invoice unpaid past its limit at month end is a DELAY_INVOICE flag in text, json and csv") {
  Books books;
  LoadUnpaidVcseInvoice(books);

  auto text = rf::test::Run(FlagsCli(books) + " reconcile --month 2026-05");
  INFO(text.output);
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.output, Catch::Contains("\nFlags\n") && Catch::Contains("Warning (") &&
                              Catch::Contains("DELAY_INVOICE  invoice:INV-7  £120.00 at stake") &&
                              Catch::Contains("36 days later"));
  CHECK_THAT(text.output, !Catch::Contains("Critical ("));

  auto json = rf::test::Run(FlagsCli(books) + " --format json reconcile --month 2026-05");
  INFO(json.output);
  REQUIRE(json.exit_code == 0);
  const auto j = nlohmann::json::parse(json.output);
  const nlohmann::json* flag = FindMonthFlag(j["flags"], "DELAY_INVOICE/invoice:INV-7");
  REQUIRE(flag != nullptr);
  CHECK((*flag)["code"] == "DELAY_INVOICE");
  CHECK((*flag)["severity"] == "warning");
  CHECK((*flag)["entity"] == "invoice:INV-7");
  CHECK((*flag)["amount_at_stake"] == "120.00");
  CHECK((*flag)["evidence_seqs"].is_array());
  CHECK_FALSE((*flag)["evidence_seqs"].empty());
  CHECK((*flag)["evidence_bank_lines"].is_array());
  CHECK_FALSE((*flag)["sentence"].get<std::string>().empty());
  CHECK(j["summary"]["flags"]["critical"] == 0);
  CHECK(j["summary"]["flags"]["warning"].get<uint64_t>() >= 1);
  CHECK(j["summary"]["flags"]["warning"].get<uint64_t>() + j["summary"]["flags"]["info"].get<uint64_t>() ==
        j["flags"].size());

  auto csv = rf::test::Run(FlagsCli(books) + " --format csv reconcile --month 2026-05");
  INFO(csv.output);
  REQUIRE(csv.exit_code == 0);
  CHECK_THAT(csv.output,
             Catch::StartsWith("id,code,severity,entity,amount_at_stake,sentence") &&
                 Catch::Contains("DELAY_INVOICE/invoice:INV-7,DELAY_INVOICE,warning,invoice:INV-7,120.00,"));
}

TEST_CASE("reconcile --fail-on exits 1 only for a flag of that severity or worse, after printing") {
  Books books;
  LoadUnpaidVcseInvoice(books);

  auto warning = rf::test::Run(FlagsCli(books) + " reconcile --month 2026-05 --fail-on warning");
  INFO(warning.output);
  CHECK(warning.exit_code == 1);
  CHECK_THAT(warning.output, Catch::Contains("DELAY_INVOICE  invoice:INV-7"));

  auto critical = rf::test::Run(FlagsCli(books) + " reconcile --month 2026-05 --fail-on critical");
  INFO(critical.output);
  CHECK(critical.exit_code == 0);

  auto bad = rf::test::Run(FlagsCli(books) + " reconcile --month 2026-05 --fail-on info");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("--fail-on"));
}

TEST_CASE("a clean month shows no flags and passes --fail-on warning") {
  Books books;
  LoadUnpaidVcseInvoice(books);

  auto text = rf::test::Run(FlagsCli(books) + " reconcile --month 2026-04 --fail-on warning");
  INFO(text.output);
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.output, Catch::Contains("Flags                          0 critical, 0 warning, 0 info"));
  CHECK_THAT(text.output, !Catch::Contains("\nFlags\n"));

  auto json = rf::test::Run(FlagsCli(books) + " --format json reconcile --month 2026-04 --fail-on warning");
  INFO(json.output);
  CHECK(json.exit_code == 0);
  const auto j = nlohmann::json::parse(json.output);
  CHECK(j["flags"] == nlohmann::json::array());
}

TEST_CASE("month flags read balances and thresholds as at the month's last day") {
  Books books;
  LoadUnpaidVcseInvoice(books);
  // Paid the invoice's limit up to 60 days, but only from 1 June: May's
  // flags are read with the limit in force on 31 May.
  books.MustCommit({rf::ConfigSetDraft("delay.invoice_small_vcse_days", "60", D("2026-06-01"), rf::test::kTester)});

  auto may = rf::test::Run(FlagsCli(books) + " --format json reconcile --month 2026-05");
  INFO(may.output);
  REQUIRE(may.exit_code == 0);
  CHECK(FindMonthFlag(nlohmann::json::parse(may.output)["flags"], "DELAY_INVOICE/invoice:INV-7") != nullptr);

  // In June (unpaid 66 days) the 60-day limit still flags it; the live
  // views agree with the rebuilt ones there.
  auto june = rf::test::Run(FlagsCli(books) + " --format json reconcile --month 2026-06");
  INFO(june.output);
  REQUIRE(june.exit_code == 0);
  CHECK(FindMonthFlag(nlohmann::json::parse(june.output)["flags"], "DELAY_INVOICE/invoice:INV-7") != nullptr);

  rf::Result<std::vector<rf::MonthFlag>> flags = rf::Status::InvalidInput("not read");
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                flags = rf::EvaluateMonthFlags(views, {2026, 5});
                return flags.status();
              })
              .ok());
  // The live views hold the 60-day limit: read as now, May shows no delay.
  bool delayed = false;
  for (const auto& f : *flags) delayed = delayed || rf::FlagId(f) == "DELAY_INVOICE/invoice:INV-7";
  CHECK_FALSE(delayed);
}

TEST_CASE("month flag inputs read dp and spent balances and due instalments as the views given hold them") {
  Books books;
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"),
                    Books::Budget("B-1", "POT-A", "1200.00")});  // direct payment, monthly from 2 April
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "100.00", "2026-05-10")});
  books.MustCommit({Books::Move("dp:B-1", "spent:B-1:care", "30.00", "2026-05-20")});
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "50.00", "2026-06-10")});
  books.MustCommit({Books::Move("dp:B-1", "spent:B-1:transport", "5.00", "2026-06-12")});

  auto may_end = rf::RebuildViews(books.ledger().journal(), D("2026-05-31"));
  REQUIRE(may_end.ok());
  auto in = rf::ReadMonthFlagInputs(*may_end, {2026, 5});
  INFO(in.status().message());
  REQUIRE(in.ok());
  REQUIRE(in->dp_balances.size() == 1);
  CHECK(in->dp_balances[0].budget_id == "B-1");
  CHECK(in->dp_balances[0].amount_pence == P("70.00"));
  REQUIRE(in->dp_spent.size() == 1);
  CHECK(in->dp_spent[0].amount_pence == P("30.00"));
  REQUIRE(in->spent_by_category.size() == 1);
  CHECK(in->spent_by_category[0].budget_id == "B-1");
  CHECK(in->spent_by_category[0].category == "care");
  CHECK(in->spent_by_category[0].amount_pence == P("30.00"));
  REQUIRE(in->pot_unallocated.size() == 1);
  CHECK(in->pot_unallocated[0].pot_id == "POT-A");
  CHECK(in->pot_unallocated[0].amount_pence == P("8800.00"));
  // Instalments due 2 April and 1 May; 1 June is after the month.
  REQUIRE(in->due_instalments.size() == 2);
  CHECK(in->due_instalments[0].due_on == D("2026-04-02"));
  CHECK(in->due_instalments[1].due_on == D("2026-05-01"));
  CHECK(in->month_end == D("2026-05-31"));

  // The live views hold June's movements too.
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                auto live = rf::ReadMonthFlagInputs(views, {2026, 5});
                if (!live.ok()) return live.status();
                CHECK(live->dp_balances[0].amount_pence == P("115.00"));
                CHECK(live->dp_spent[0].amount_pence == P("35.00"));
                return rf::Status::Ok();
              })
              .ok());
}

TEST_CASE("a direct payment spent on alcohol is a critical PROHIBITED_SPEND flag in reconcile --month") {
  Books books;
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Budget("B-1", "POT-A", "1200.00")});
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "100.00", "2026-05-10")});
  books.MustCommit({Books::Move("dp:B-1", "spent:B-1:alcohol", "12.50", "2026-05-20")});
  books.MustCommit({Books::Move("dp:B-1", "spent:B-1:care", "30.00", "2026-05-21")});

  auto json = rf::test::Run(FlagsCli(books) + " --format json reconcile --month 2026-05");
  INFO(json.output);
  REQUIRE(json.exit_code == 0);
  const auto flags = nlohmann::json::parse(json.output)["flags"];
  const nlohmann::json* flag = FindMonthFlag(flags, "PROHIBITED_SPEND/spent:B-1:alcohol");
  REQUIRE(flag != nullptr);
  CHECK((*flag)["severity"] == "critical");
  CHECK(FindMonthFlag(flags, "PROHIBITED_SPEND/spent:B-1:care") == nullptr);
}

TEST_CASE("the text output shows at most --rows flags of a code, the largest at stake, and counts every code") {
  Books books;
  LoadUnpaidVcseInvoice(books);  // INV-7, £120.00
  books.MustCommit({rf::InvoiceReceivedDraft({"INV-8", "V-1", "B-1", "activities", "Art group, extra", P("150.00"),
                                              D("2026-04-20"), D("2026-04-24"), D("2026-04-25")},
                                             rf::test::kTester),
                    rf::InvoiceReceivedDraft({"INV-9", "V-1", "B-1", "activities", "Art group, more", P("130.00"),
                                              D("2026-04-20"), D("2026-04-24"), D("2026-04-25")},
                                             rf::test::kTester)});
  const std::string reconcile = FlagsCli(books) + " reconcile --month 2026-05 --dry-run";

  // Three DELAY_INVOICE flags: --rows 3 shows every one, --rows 2 cuts one.
  auto all = rf::test::Run(reconcile + " --rows 3");
  INFO(all.output);
  REQUIRE(all.exit_code == 0);
  CHECK_THAT(all.output, Catch::Contains("invoice:INV-7  £120.00") && Catch::Contains("invoice:INV-8  £150.00") &&
                             Catch::Contains("invoice:INV-9  £130.00"));
  CHECK_THAT(all.output, !Catch::Contains("more DELAY_INVOICE flags"));
  CHECK_THAT(all.output, Catch::Contains("Flags by code") && Catch::Contains("Open at stake"));
  CHECK_THAT(all.output, Catch::Matches("[\\s\\S]*DELAY_INVOICE +warning +3 +0 +0 +400\\.00[\\s\\S]*"));

  auto cut = rf::test::Run(reconcile + " --rows 2");
  INFO(cut.output);
  REQUIRE(cut.exit_code == 0);
  CHECK_THAT(cut.output, Catch::Contains("invoice:INV-8  £150.00") && Catch::Contains("invoice:INV-9  £130.00"));
  CHECK_THAT(cut.output, !Catch::Contains("invoice:INV-7  £120.00"));
  CHECK_THAT(cut.output, Catch::Contains("... and 1 more DELAY_INVOICE flags: the 2 largest at stake are shown"));
  // The table counts every flag however many rows are shown.
  CHECK_THAT(cut.output, Catch::Matches("[\\s\\S]*DELAY_INVOICE +warning +3 +0 +0 +400\\.00[\\s\\S]*"));

  auto none_cut = rf::test::Run(reconcile + " --rows 0");
  INFO(none_cut.output);
  CHECK_THAT(none_cut.output, Catch::Contains("invoice:INV-7  £120.00") && !Catch::Contains("more DELAY_INVOICE"));

  // json lists every flag whatever --rows says.
  auto json = rf::test::Run(FlagsCli(books) + " --format json reconcile --month 2026-05 --dry-run --rows 1");
  REQUIRE(json.exit_code == 0);
  const auto j = nlohmann::json::parse(json.output);
  size_t delay = 0;
  for (const auto& f : j["flags"]) delay += f["code"] == "DELAY_INVOICE" ? 1 : 0;
  CHECK(delay == 3);
}
