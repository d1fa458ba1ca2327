// issue 18 items 1 and 5: the HTML month report (escaped, accessible,
// self-contained) and every report stating what it reflects.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "ledger/core/amendment_kinds.h"
#include "ledger/core/entry_kinds.h"
#include "reconcile/html_report.h"
#include "reconcile/month_end_figures.h"
#include "reconcile/reports.h"
#include "tests/ledger_fixture.h"
#include "tests/test_util.h"

namespace {

const char kHtmlHostile[] = "<script>alert('x')</script> Smith & Sons \"Care\"";

rf::Table HtmlProvidersTable() {
  rf::Table t;
  t.title = "\nProviders";
  t.columns = {{"provider", "Provider", false}, {"paid", "Paid", true}, {"invoices", "Invoices", true}};
  t.rows = {{kHtmlHostile, "1234567.50", "3"}, {"V-2", "-3.00", "12"}};
  t.total = {"Total", "1234564.50", "15"};
  return t;
}

rf::HtmlReportInput HtmlSampleInput() {
  rf::HtmlReportInput in;
  in.org = "NHS Test ICB & Partners";
  in.month = rf::Month{2026, 5};
  in.as_of = in.month.last_day();
  const auto p = [](const char* s) { return *rf::Pence::Parse(s, "amount"); };
  in.pots = {{.pot_id = "MH-2627", .name = kHtmlHostile, .financial_year = "2026-27", .funded = p("1000"),
              .allocated = p("600"), .committed = p("50"), .paid = p("200"), .spent = p("150"),
              .unallocated = p("400"), .diverted = p("0"), .forecast = p("900")}};
  in.charts = {{.pot_id = "MH-2627", .name = kHtmlHostile,
                .months = {{.month = rf::Month{2026, 4}, .funded = p("1000"), .allocated = p("500"), .spent = p("60")},
                           {.month = rf::Month{2026, 5}, .funded = p("1000"), .allocated = p("600"),
                            .spent = p("150")}}}};
  in.matching = HtmlProvidersTable();
  in.auto_match_permille = 923;
  in.flags = {{.id = "DP_SURPLUS/budget:B-1", .code = "DP_SURPLUS", .severity = "warning", .entity = "budget:B-1",
               .sentence = "Holds too much <b>money</b>.", .status = "new this month", .at_stake = p("12.34")}};
  in.aged_invoices = HtmlProvidersTable();
  in.dp_balances = HtmlProvidersTable();
  in.provenance = {.tree_size = 42, .root_base64 = "AAAA+/==", .origin = "ringfence.invalid/test",
                   .as_of = in.as_of, .sign_off = std::nullopt};
  return in;
}

}  // namespace

TEST_CASE("an HTML table escapes every cell and is accessible: caption, header scopes, amounts in pounds") {
  const std::string html = rf::RenderHtmlTable(HtmlProvidersTable());
  INFO(html);
  CHECK_THAT(html, !Catch::Contains("<script") && !Catch::Contains("& Sons") && !Catch::Contains("'x'"));
  CHECK_THAT(html, Catch::Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Smith &amp; Sons &quot;Care&quot;"));
  CHECK_THAT(html, Catch::Contains("<caption>Providers</caption>") && Catch::Contains("<th scope=\"col\">Provider") &&
                       Catch::Contains("<th scope=\"row\">"));
  CHECK_THAT(html, Catch::Contains("<td class=\"num\">£1,234,567.50</td>") &&
                       Catch::Contains("<td class=\"num\">-£3.00</td>") && Catch::Contains("<td class=\"num\">12</td>"));
  CHECK_THAT(html, Catch::Contains("<tfoot><tr><th scope=\"row\">Total</th>"));
  rf::Table empty;
  empty.columns = {{"a", "A", false}};
  CHECK_THAT(rf::RenderHtmlTable(empty), Catch::Contains("None."));
}

TEST_CASE("the HTML month report is self-contained and says when the equality tables are not available") {
  rf::HtmlReportInput in = HtmlSampleInput();
  const std::string html = rf::RenderHtmlReport(in);
  INFO(html);
  CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>"));
  CHECK_THAT(html, !Catch::Contains("<script") && !Catch::Contains("http://") && !Catch::Contains("https://") &&
                       !Catch::Contains("src=") && !Catch::Contains("href=") && !Catch::Contains("@import") &&
                       !Catch::Contains("url("));
  for (const char* heading : {"At a glance", "Pot position", "Matching summary", "Flags", "Aged invoices",
                              "Direct-payment balances", "Equality and provider diversity",
                              "What this report reflects"}) {
    CHECK_THAT(html, Catch::Contains(std::string(">") + heading + "</h2>"));
  }
  CHECK_THAT(html, Catch::Contains("<svg") && Catch::Contains("92.3%") && Catch::Contains("DP_SURPLUS") &&
                       Catch::Contains("Holds too much &lt;b&gt;money&lt;/b&gt;.") &&
                       Catch::Contains("NHS Test ICB &amp; Partners") && Catch::Contains("@page { size: A4"));
  CHECK_THAT(html, Catch::Contains("tree size 42, root AAAA+/==") && Catch::Contains("Not available"));
  in.equality = std::vector<rf::Table>{HtmlProvidersTable()};
  in.equality->front().title = "By ethnic group";
  const std::string with = rf::RenderHtmlReport(in);
  CHECK_THAT(with, Catch::Contains("<caption>By ethnic group</caption>") && !Catch::Contains("Not available"));
}

namespace {

struct HtmlDemo {
  rf::test::TempDir dir;
  std::string cli;
  HtmlDemo() : cli(std::string(RF_RINGFENCE_BIN) + " --actor finance.manager --ledger " + rf::test::Quote(dir / "demo.rf")) {
    auto demo = rf::test::Run(cli + " demo --people 150 --months 2");
    INFO(demo.output);
    REQUIRE(demo.exit_code == 0);
  }
  uint64_t Size() const {
    auto v = rf::test::Run(cli + " --format json verify 2>/dev/null");
    REQUIRE(v.exit_code == 0);
    return nlohmann::json::parse(v.output)["entries"].get<uint64_t>();
  }
  // The root in the checkpoint `audit prove` prints at `size`.
  std::string ProvedRoot(uint64_t size) const {
    auto p = rf::test::Run(cli + " audit prove --seq " + std::to_string(size) + " --size " + std::to_string(size) +
                           " 2>/dev/null");
    REQUIRE(p.exit_code == 0);
    std::istringstream note(nlohmann::json::parse(p.output)["checkpoint"].get<std::string>());
    std::string origin, size_line, root;
    std::getline(note, origin);
    std::getline(note, size_line);
    std::getline(note, root);
    CHECK(size_line == std::to_string(size));
    return root;
  }
};

}  // namespace

TEST_CASE("every report states the tree size and signed root it reflects, as audit prove has them") {
  HtmlDemo demo;
  const uint64_t size = demo.Size();
  const std::string root = demo.ProvedRoot(size);
  for (const char* report : {"pots", "budgets", "providers", "aged-invoices", "balances"}) {
    for (const char* as_of : {"", " --as-of 2026-05-31"}) {
      auto r = rf::test::Run(demo.cli + " --format json report " + report + as_of + " 2>/dev/null");
      INFO(report << as_of << "\n" << r.output);
      REQUIRE(r.exit_code == 0);
      const auto j = nlohmann::json::parse(r.output);
      CHECK(j["provenance"]["tree_size"] == size);
      CHECK(j["provenance"]["root"] == root);
      CHECK(j["provenance"]["as_of"] == (*as_of ? "2026-05-31" : j["provenance"]["as_of"]));
      auto text = rf::test::Run(demo.cli + " report " + report + as_of + " 2>/dev/null");
      CHECK_THAT(text.output, Catch::Contains("Computed from the journal at tree size " + std::to_string(size) +
                                              ", root " + root) &&
                                  Catch::Contains("ringfence audit prove --seq " + std::to_string(size) + " --size " +
                                                  std::to_string(size)));
      auto csv = rf::test::Run(demo.cli + " --format csv report " + report + as_of + " 2>/dev/null");
      CHECK_THAT(csv.output, Catch::Contains("\r\n# provenance tree_size=" + std::to_string(size) + " root=" + root +
                                             " checkpoint_origin=") &&
                                 Catch::EndsWith("\r\n"));
    }
  }
  // A report of a date before later entries still states the size it replayed.
  CHECK(demo.Size() == size);
}

TEST_CASE("reconcile states its tree size, root and the month's sign-off in every format") {
  HtmlDemo demo;
  auto j_run = rf::test::Run(demo.cli + " --format json reconcile --month 2026-05 2>/dev/null");
  INFO(j_run.output);
  REQUIRE(j_run.exit_code == 0);
  const auto j = nlohmann::json::parse(j_run.output);
  const uint64_t size = demo.Size();
  CHECK(j["provenance"]["tree_size"] == size);
  CHECK(j["provenance"]["root"] == demo.ProvedRoot(size));
  CHECK(j["provenance"]["as_of"] == "2026-05-31");
  REQUIRE(j["provenance"]["sign_off"].is_object());
  CHECK(j["provenance"]["sign_off"]["by"] == "finance.manager");
  CHECK(j["provenance"]["sign_off"]["result_sha256"].get<std::string>().size() == 64);
  auto text = rf::test::Run(demo.cli + " reconcile --month 2026-05 2>/dev/null");
  CHECK_THAT(text.output, Catch::Contains("Computed from the journal at tree size " + std::to_string(size)) &&
                              Catch::Contains("Signed off by finance.manager (entry "));
  auto csv = rf::test::Run(demo.cli + " --format csv reconcile --month 2026-05 2>/dev/null");
  CHECK_THAT(csv.output, Catch::Contains("\r\n# provenance tree_size=" + std::to_string(size)) &&
                             Catch::Contains(" sign_off_sha256=" +
                                             j["provenance"]["sign_off"]["result_sha256"].get<std::string>()));
  // --check states the size the sign-off was computed at, and its root.
  auto check = rf::test::Run(demo.cli + " --format json reconcile --month 2026-05 --check 2>/dev/null");
  REQUIRE(check.exit_code == 0);
  const auto c = nlohmann::json::parse(check.output);
  const uint64_t signed_size = c["tree_size"];
  CHECK(c["provenance"]["tree_size"] == signed_size);
  CHECK(c["provenance"]["root"] == demo.ProvedRoot(signed_size));
  CHECK(c["provenance"]["sign_off"]["result_sha256"] == j["provenance"]["sign_off"]["result_sha256"]);
  // A month never signed off says so by having none.
  auto april = rf::test::Run(demo.cli + " --format json reconcile --month 2026-04 --dry-run 2>/dev/null");
  REQUIRE(april.exit_code == 0);
  CHECK(nlohmann::json::parse(april.output)["provenance"]["sign_off"].is_null());
}

TEST_CASE("reconcile --format html writes one new file, needs --out, and refuses a taken name before journalling") {
  HtmlDemo demo;
  const std::string out = demo.dir / "may.html";
  auto no_out = rf::test::Run(demo.cli + " --format html reconcile --month 2026-05");
  CHECK(no_out.exit_code == 2);
  CHECK_THAT(no_out.output, Catch::Contains("--out FILE"));
  auto stray = rf::test::Run(demo.cli + " reconcile --month 2026-05 --out " + rf::test::Quote(out));
  CHECK(stray.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(out));
  auto r = rf::test::Run(demo.cli + " --format html reconcile --month 2026-05 --out " + rf::test::Quote(out));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::ifstream in(out);
  std::stringstream html;
  html << in.rdbuf();
  const uint64_t size = demo.Size();
  CHECK_THAT(html.str(), Catch::Contains("MH-2627") && Catch::Contains("<svg") &&
                             Catch::Contains("Aged invoices") && Catch::Contains("people with a personal health budget by ethnic group") &&
                             Catch::Contains("tree size " + std::to_string(size) + ", root " + demo.ProvedRoot(size)) &&
                             !Catch::Contains("<script"));
  // The name is taken now: refused before anything is journalled.
  auto again = rf::test::Run(demo.cli + " --format html reconcile --month 2026-06 --out " + rf::test::Quote(out));
  CHECK(again.exit_code == 2);
  CHECK(demo.Size() == size);
}

TEST_CASE("a provider named with markup reaches the HTML report escaped, through a flag's sentence") {
  rf::test::Books books;
  books.MustCommit({books.Pot("POT-A", "10000.00"), rf::test::Books::Person("P-1"),
                    rf::ProviderDraft({"V-1", kHtmlHostile, "vcse", "small", "GB82WEST12345698765432", true, true},
                                      rf::test::D("2026-04-01"), rf::test::kTester),
                    rf::test::Books::Budget("B-1", "POT-A", "1200.00", "2026-04-20", "P-1", "notional")});
  books.MustCommit({rf::InvoiceReceivedDraft({"INV-7", "V-1", "B-1", "activities", "Art group, April",
                                              rf::test::P("120.00"), rf::test::D("2026-04-20"),
                                              rf::test::D("2026-04-24"), rf::test::D("2026-04-25")},
                                             rf::test::kTester)});
  const std::string out = books.dir() + ".may.html";
  auto r = rf::test::Run(std::string(RF_RINGFENCE_BIN) + " --actor finance.manager --ledger " +
                         rf::test::Quote(books.dir()) + " --format html reconcile --month 2026-05 --out " +
                         rf::test::Quote(out));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::ifstream in(out);
  std::stringstream html;
  html << in.rdbuf();
  INFO(html.str());
  CHECK_THAT(html.str(), Catch::Contains("DELAY_INVOICE") &&
                             Catch::Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Smith &amp; Sons") &&
                             !Catch::Contains("<script") && !Catch::Contains("& Sons"));
  std::filesystem::remove(out);
}

namespace {

rf::EntryDraft HtmlDpTransfer(const char* amount) {
  rf::PostingFields f;
  f.postings = {{rf::test::A("budget:B-1"), -rf::test::P(amount)}, {rf::test::A("dp:B-1"), rf::test::P(amount)}};
  f.effective = rf::test::D("2026-05-01");
  return rf::PostingDraft(f, rf::test::kTester);
}

}  // namespace

TEST_CASE("a direct-payment balance is above its allowance from one penny over, as DP_SURPLUS decides") {
  // 5,200.00 over 2026-04-02..2027-03-31 (364 days): 100.00 a week, 8 weeks 800.00.
  for (const auto& [held, over] : {std::pair{"800.00", false}, std::pair{"800.01", true}}) {
    CAPTURE(held);
    rf::test::Books books;
    books.MustCommit({books.Pot("POT-A", "10000.00"), rf::test::Books::Person("P-1"),
                      rf::test::Books::Budget("B-1", "POT-A", "5200.00")});
    books.MustCommit({HtmlDpTransfer(held)});
    rf::Result<rf::Table> table = rf::Status::InvalidInput("not read");
    REQUIRE(books.ledger()
                .ReadViews([&](const rf::ViewSource& views) {
                  table = rf::DpBalancesTable(views, rf::test::D("2026-05-31"));
                  return table.status();
                })
                .ok());
    REQUIRE(table->rows.size() == 1);
    const std::vector<std::string> want = {"B-1", "P-1", "POT-A", held, "100.00", "8.0", over ? "yes" : "no"};
    CHECK(table->rows[0] == want);
    auto json = rf::test::Run(std::string(RF_RINGFENCE_BIN) + " --format json --ledger " +
                              rf::test::Quote(books.dir()) + " reconcile --month 2026-05 --dry-run 2>/dev/null");
    INFO(json.output);
    REQUIRE(json.exit_code == 0);
    bool flagged = false;
    const nlohmann::json month = nlohmann::json::parse(json.output);
    for (const auto& f : month["flags"]) flagged = flagged || f["code"] == "DP_SURPLUS";
    CHECK(flagged == over);
  }
}

TEST_CASE("the html report's month-end pot figures are the pots report as of each month end, at the stated size") {
  HtmlDemo demo;
  const uint64_t size = demo.Size();
  auto ledger = rf::Ledger::Open(demo.dir / "demo.rf", /*writable=*/false);
  REQUIRE(ledger.ok());
  auto figures = rf::MonthEndFiguresAt((*ledger)->journal(), rf::Month{2026, 5}, size);
  INFO(figures.status().message());
  REQUIRE(figures.ok());
  REQUIRE(figures->charts.size() == 4);  // the simulated ICB: MH, S117, a pilot and a crisis pot
  for (const rf::HtmlPotChart& chart : figures->charts) {
    REQUIRE(chart.months.size() == 2);  // April and May of 2026-27
    for (const rf::HtmlPotMonth& m : chart.months) {
      const std::string as_of = m.month.last_day().ToIso();
      auto r = rf::test::Run(demo.cli + " --format json report pots --as-of " + as_of + " 2>/dev/null");
      REQUIRE(r.exit_code == 0);
      const nlohmann::json pots = nlohmann::json::parse(r.output);
      bool seen = false;
      for (const auto& row : pots["rows"]) {
        if (row["pot_id"] != chart.pot_id) continue;
        seen = true;
        CAPTURE(chart.pot_id, as_of);
        CHECK(row["funded"] == m.funded.ToDecimal());
        CHECK(row["allocated"] == m.allocated.ToDecimal());
        CHECK(row["spent"] == m.spent.ToDecimal());
      }
      CHECK(seen);
    }
  }
  CHECK(figures->pots.size() == 4);
  CHECK(figures->aged_invoices.title == "Unpaid invoices by age as of 2026-05-31 (GBP)");
  CHECK(rf::FinancialYearStart(rf::Month{2027, 3}) == rf::Month{2026, 4});
  CHECK(rf::FinancialYearStart(rf::Month{2026, 4}) == rf::Month{2026, 4});
  CHECK(rf::FinancialYearStart(rf::Month{2026, 3}) == rf::Month{2025, 4});
}

TEST_CASE("the html report lists at most 25 flags of a code, with their count and total at stake, and says how to see the rest") {
  rf::HtmlReportInput in = HtmlSampleInput();
  const auto p = [](const char* s) { return *rf::Pence::Parse(s, "amount"); };
  in.flags.clear();
  for (int i = 0; i < 26; ++i) {  // one over the bound (1,026 flags in all: counts have separators)
    in.flags.push_back({.id = "UNDERSPEND_BUDGET/budget:B-" + std::to_string(i), .code = "UNDERSPEND_BUDGET",
                        .severity = "info", .entity = "budget:B-" + std::to_string(i), .sentence = "Spent little.",
                        .status = "new this month", .at_stake = p("1.00")});
  }
  for (int i = 0; i < 25; ++i) {  // exactly the bound
    in.flags.push_back({.id = "DP_SURPLUS/budget:D-" + std::to_string(i), .code = "DP_SURPLUS",
                        .severity = "warning", .entity = "budget:D-" + std::to_string(i), .sentence = "Holds a lot.",
                        .status = "new this month", .at_stake = p("2.00")});
  }
  for (int i = 0; i < 1000; ++i) {
    in.flags.push_back({.id = "REVIEW_OVERDUE/budget:R-" + std::to_string(i), .code = "REVIEW_OVERDUE",
                        .severity = "info", .entity = "budget:R-" + std::to_string(i), .sentence = "Review due.",
                        .status = "new this month", .at_stake = p("0.00")});
  }
  const std::string html = rf::RenderHtmlReport(in);
  CHECK_THAT(html, Catch::Contains("Info (1,026)") && Catch::Contains("And 975 more REVIEW_OVERDUE flags"));
  const auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1)) ++n;
    return n;
  };
  CHECK(count("<span class=\"code\">UNDERSPEND_BUDGET</span>") == 25);
  CHECK(count("<span class=\"code\">DP_SURPLUS</span>") == 25);
  CHECK_THAT(html, Catch::Contains("And 1 more UNDERSPEND_BUDGET flags") && !Catch::Contains("more DP_SURPLUS flags"));
  CHECK_THAT(html, Catch::Contains("<caption>Info flags by code</caption>") && Catch::Contains("£26.00") &&
                       Catch::Contains("£50.00") && Catch::Contains("ringfence flags --month 2026-05"));
}

namespace {

// funded, allocated and spent of `pot_id` in the pots report over `views`.
std::vector<std::string> HtmlPotsReportRow(const rf::ViewSource& views, rf::Date as_of, const std::string& pot_id) {
  auto table = rf::BuildReport(rf::ReportKind::kPots, views, as_of);
  REQUIRE(table.ok());
  const auto column = [&](std::string_view id) {
    for (size_t i = 0; i < table->columns.size(); ++i) {
      if (table->columns[i].id == id) return i;
    }
    FAIL("no column " << id);
    return size_t{0};
  };
  for (const auto& row : table->rows) {
    if (row[column("pot_id")] == pot_id) return {row[column("funded")], row[column("allocated")], row[column("spent")]};
  }
  return {};
}

}  // namespace

TEST_CASE("property: every month end of the html pot charts equals a replay as of that day, back-dated entries included") {
  std::mt19937 rng(20261206);
  for (int round = 0; round < 6; ++round) {
    CAPTURE(round);
    rf::test::Books books;
    // POT-B is funded in July: its chart starts then. B-3 is approved in
    // August and draws on POT-A.
    books.MustCommit({books.Pot("POT-A", "90000.00"), books.Pot("POT-B", "40000.00", "2026-07-01"),
                      rf::test::Books::Person("P-1"), rf::test::Books::Budget("B-1", "POT-A", "20000.00"),
                      rf::test::Books::Budget("B-2", "POT-B", "20000.00", "2026-07-02"),
                      rf::test::Books::Budget("B-3", "POT-A", "20000.00", "2026-08-03")});
    const std::vector<std::pair<std::string, rf::Date>> budgets = {
        {"B-1", rf::test::D("2026-04-02")}, {"B-2", rf::test::D("2026-07-02")}, {"B-3", rf::test::D("2026-08-03")}};
    // Instalments into each dp: account, then spending from it at least a
    // day later, each committed alone in a shuffled order (back-dated
    // entries among them); spending follows every instalment so rule 1 holds.
    std::vector<rf::EntryDraft> instalments, spends;
    for (const auto& [budget, approved] : budgets) {
      for (int i = 0; i < 8; ++i) {
        const auto span = static_cast<uint32_t>(rf::DaysBetween(approved, rf::test::D("2027-03-10")));
        const rf::Date on = approved.AddDays(static_cast<int32_t>(rng() % span));
        const std::string amount = std::to_string(1 + rng() % 900) + "." + std::to_string(10 + rng() % 90);
        instalments.push_back(
            rf::test::Books::Move("budget:" + budget, "dp:" + budget, amount.c_str(), on.ToIso().c_str()));
        if (rng() % 2 == 0) {
          spends.push_back(rf::test::Books::Move("dp:" + budget, "spent:" + budget + ":therapy", "1.00",
                                                 on.AddDays(1 + static_cast<int32_t>(rng() % 20)).ToIso().c_str()));
        }
      }
    }
    std::shuffle(instalments.begin(), instalments.end(), rng);
    std::shuffle(spends.begin(), spends.end(), rng);
    for (auto& d : instalments) books.MustCommit({std::move(d)});
    for (auto& d : spends) books.MustCommit({std::move(d)});
    const uint64_t size = books.Size();
    // Entries after the page's tree size change nothing on it.
    books.MustCommit({rf::test::Books::Move("budget:B-1", "dp:B-1", "5.00", "2026-05-05")});
    for (const rf::Month month : {rf::Month{2026, 6}, rf::Month{2026, 10}, rf::Month{2027, 3}}) {
      CAPTURE(month.ToString());
      auto figures = rf::MonthEndFiguresAt(books.ledger().journal(), month, size);
      INFO(figures.status().message());
      REQUIRE(figures.ok());
      for (const rf::HtmlPotChart& chart : figures->charts) {
        rf::Month m = rf::Month{2026, 4};
        // POT-B's series begins in July, the month it was funded.
        if (chart.pot_id == "POT-B") m = rf::Month{2026, 7};
        CAPTURE(chart.pot_id);
        for (const rf::HtmlPotMonth& point : chart.months) {
          CAPTURE(point.month.ToString());
          CHECK(point.month == m);
          auto views = rf::RebuildViewsAt(books.ledger().journal(), size, point.month.last_day());
          REQUIRE(views.ok());
          const std::vector<std::string> want = HtmlPotsReportRow(*views, point.month.last_day(), chart.pot_id);
          const std::vector<std::string> got = {point.funded.ToDecimal(), point.allocated.ToDecimal(),
                                                point.spent.ToDecimal()};
          CHECK(got == want);
          m = m.month == 12 ? rf::Month{m.year + 1, 1} : rf::Month{m.year, m.month + 1};
        }
        CHECK(chart.months.back().month == month);
      }
      const size_t expected_charts = month < rf::Month{2026, 7} ? 1 : 2;
      CHECK(figures->charts.size() == expected_charts);
    }
  }
}

namespace {

// The whole page of `figures` (the parts that do not come from them fixed).
std::string HtmlPageOf(rf::MonthEndFigures figures, const rf::Month& month) {
  rf::HtmlReportInput in{.org = "ICB",
                         .month = month,
                         .as_of = month.last_day(),
                         .pots = std::move(figures.pots),
                         .charts = std::move(figures.charts),
                         .matching = {},
                         .auto_match_permille = std::nullopt,
                         .flags = {},
                         .aged_invoices = std::move(figures.aged_invoices),
                         .dp_balances = std::move(figures.dp_balances),
                         .equality = std::nullopt,
                         .result_sha256 = "",
                         .provenance = {}};
  return rf::RenderHtmlReport(in);
}

// An invoice of B-2 from V-1 received on `received`, then perhaps approved,
// paid, its payment cancelled and paid again, or rejected, each a few days
// after the step before (so some steps fall after a month end the page is
// drawn for), committed in order.
void HtmlInvoiceLife(rf::test::Books& books, std::mt19937& rng, int n, rf::Date received) {
  const std::string id = "INV-" + std::to_string(n);
  const rf::Pence amount = rf::test::P((std::to_string(10 + rng() % 400) + ".25").c_str());
  books.MustCommit({rf::InvoiceReceivedDraft({id, "V-1", "B-2", "activities", "Sessions", amount, received.AddDays(-5),
                                              received.AddDays(-1), received},
                                             rf::test::kTester)});
  rf::Date on = received.AddDays(static_cast<int32_t>(rng() % 25));
  const unsigned fate = rng() % 6;  // 0 received only, 1 rejected, 2 approved, 3 paid, 4 cancelled, 5 paid again
  if (fate == 1) {
    books.MustCommit({rf::InvoiceRejectedDraft(id, "not ours", on, rf::test::kTester)});
    return;
  }
  if (fate == 0) return;
  books.MustCommit({rf::InvoiceApprovedDraft(id, "B-2", "V-1", amount, on, rf::test::kTester)});
  if (fate == 2) return;
  const auto pay = [&](const std::string& payment_id) {
    on = on.AddDays(static_cast<int32_t>(rng() % 25));
    books.MustCommit({rf::PaymentPendingDraft({.payment_id = payment_id,
                                               .run_id = "RUN-" + payment_id,
                                               .purpose = "invoice",
                                               .invoice_id = id,
                                               .budget_id = "B-2",
                                               .provider_id = "V-1",
                                               .payee_ref = "GB82WEST12345698765432",
                                               .amount = amount,
                                               .run_date = on,
                                               .due_on = std::nullopt},
                                              rf::test::kTester)});
  };
  pay("PAY-" + id);
  if (fate == 3) return;
  on = on.AddDays(static_cast<int32_t>(rng() % 20));
  books.MustCommit({rf::PaymentCancelledDraft("PAY-" + id, "wrong run", on, rf::test::kTester)});
  if (fate == 5) pay("PAY-" + id + "-R1");
}

}  // namespace

TEST_CASE("property: the html page's figures from the live views equal those of a replay to the month end") {
  std::mt19937 rng(20261207);
  size_t restated = 0;  // invoices whose state at a month end differs from their live state
  for (int round = 0; round < 5; ++round) {
    CAPTURE(round);
    rf::test::Books books;
    // POT-B is funded and B-3 approved after June; B-2 (notional) is paid
    // through invoices whose approvals, payments, cancellations and
    // rejections fall either side of each month end.
    books.MustCommit({books.Pot("POT-A", "90000.00"), books.Pot("POT-B", "40000.00", "2026-08-01"),
                      rf::test::Books::Person("P-1"), rf::test::Books::Provider("V-1"),
                      rf::test::Books::Budget("B-1", "POT-A", "20000.00"),
                      rf::test::Books::Budget("B-2", "POT-A", "30000.00", "2026-04-02", "P-1", "notional"),
                      rf::test::Books::Budget("B-3", "POT-B", "20000.00", "2026-08-03")});
    for (int n = 0; n < 24; ++n) {
      const auto span = static_cast<int32_t>(rng() % 200);
      HtmlInvoiceLife(books, rng, n, rf::test::D("2026-04-10").AddDays(span));
    }
    std::vector<rf::EntryDraft> moves;
    for (const auto& [budget, approved] :
         {std::pair{"B-1", rf::test::D("2026-04-02")}, std::pair{"B-3", rf::test::D("2026-08-03")}}) {
      for (int i = 0; i < 6; ++i) {
        const rf::Date on = approved.AddDays(static_cast<int32_t>(rng() % 200));
        const std::string amount = std::to_string(200 + rng() % 900) + ".10";
        moves.push_back(rf::test::Books::Move(std::string("budget:") + budget, std::string("dp:") + budget,
                                              amount.c_str(), on.ToIso().c_str()));
        moves.push_back(rf::test::Books::Move(std::string("dp:") + budget, std::string("spent:") + budget + ":therapy",
                                              "1.00", on.AddDays(1).ToIso().c_str()));
      }
    }
    for (auto& d : moves) books.MustCommit({std::move(d)});
    books.MustCommit({rf::ConfigSetDraft("dp_surplus.weeks", "4", rf::test::D("2026-09-15"), rf::test::kTester)});
    const uint64_t size = books.Size();
    for (const rf::Month month : {rf::Month{2026, 6}, rf::Month{2026, 9}, rf::Month{2026, 11}}) {
      CAPTURE(month.ToString());
      auto replayed = rf::MonthEndFiguresAt(books.ledger().journal(), month, size);
      INFO(replayed.status().message());
      REQUIRE(replayed.ok());
      rf::Result<rf::MonthEndFigures> live = rf::Status::InvalidInput("not read");
      rf::Result<rf::Table> live_aged = rf::Status::InvalidInput("not read");
      REQUIRE(books.ledger()
                  .ReadViews([&](const rf::ViewSource& views) {
                    live = rf::MonthEndFiguresFromViews(books.ledger().journal(), views, month, size);
                    live_aged = rf::BuildReport(rf::ReportKind::kAgedInvoices, views, month.last_day());
                    return live.status();
                  })
                  .ok());
      restated += replayed->aged_invoices.rows != live_aged->rows ? 1 : 0;
      CHECK(HtmlPageOf(std::move(*live), month) == HtmlPageOf(std::move(*replayed), month));
    }
  }
  CHECK(restated > 3);  // the live records alone would have given another page
}
