// Invoice approval: each check's refusal, funds counted across one run, and
// `ringfence approve invoices` exit codes and JSON.
#include <catch2/catch.hpp>

#include "ledger/storage/ledger.h"
#include "ledger/payments/approval.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::RequireViewsMatchJournal;

namespace {

rf::EntryDraft Invoice(const std::string& id, const std::string& provider, const std::string& budget,
                       const char* amount, const char* from = "2026-04-02", const char* to = "2026-04-30",
                       const char* received = "2026-05-03") {
  return rf::InvoiceReceivedDraft({id, provider, budget, "therapy", "sessions", P(amount), D(from), D(to), D(received)},
                                  rf::test::kTester);
}

rf::ApprovalPlan Plan(Books& books, std::vector<std::string> ids, const char* on = "2026-05-10") {
  rf::Result<rf::ApprovalPlan> plan = rf::Status::InvalidInput("unset");
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                rf::ApprovalRequest request;
                request.all_valid = ids.empty();
                request.invoice_ids = ids;
                request.approved_on = D(on);
                plan = rf::PlanApprovals(views, request, rf::test::kTester);
                return plan.status();
              })
              .ok());
  return *plan;
}

// The codes given for `id`, joined; "" if it was approved.
std::string CodesFor(const rf::ApprovalPlan& plan, const std::string& id) {
  for (const auto& r : plan.refused) {
    if (r.invoice_id != id) continue;
    std::string codes;
    for (const auto& c : r.codes) codes += (codes.empty() ? "" : ",") + c;
    return codes;
  }
  return "";
}

std::string ReasonsFor(const rf::ApprovalPlan& plan, const std::string& id) {
  std::string out;
  for (const auto& r : plan.refused) {
    if (r.invoice_id == id) {
      for (const auto& reason : r.reasons) out += reason + "\n";
    }
  }
  return out;
}

// Standard() with notional budgets, the kind invoices are paid from: B-1
// 1,200 from POT-A and B-2 600 from POT-B, 2026-04-02..2027-03-31.
void NotionalBooks(Books& books) {
  books.MustCommit({books.Pot("POT-A", "10000.00"), books.Pot("POT-B", "5000.00"), Books::Person("P-1"),
                    Books::Provider("V-1"), Books::Budget("B-1", "POT-A", "1200.00", "2026-04-02", "P-1", "notional"),
                    Books::Budget("B-2", "POT-B", "600.00", "2026-04-02", "P-1", "notional")});
}

}  // namespace

TEST_CASE("a duplicate invoice is the same provider, budget, amount and period: one rate for several people is not") {
  Books books;
  NotionalBooks(books);  // V-1 approved; B-1 and B-2 notional
  books.MustCommit({Invoice("INV-A", "V-1", "B-1", "100.00"), Invoice("INV-B", "V-1", "B-2", "100.00"),
                    Invoice("INV-A2", "V-1", "B-1", "100.00"), Invoice("INV-A3", "V-1", "B-1", "100.01")});
  const rf::ApprovalPlan plan = Plan(books, {});
  // INV-B is for another person's budget at the same rate: approved.
  REQUIRE(plan.approved.size() == 3);
  CHECK(plan.approved[0].invoice_id == "INV-A");
  CHECK(plan.approved[1].invoice_id == "INV-B");
  CHECK(plan.approved[2].invoice_id == "INV-A3");  // a penny more: not the same invoice
  CHECK(CodesFor(plan, "INV-A2") == "DUPLICATE_INVOICE");
  CHECK_THAT(ReasonsFor(plan, "INV-A2"), Catch::Contains("repeats invoice INV-A: same provider V-1, budget B-1"));
}

TEST_CASE("approve --all-valid approves invoices that pass and explains each refusal, naming the invoice") {
  Books books;
  NotionalBooks(books);  // V-1 approved
  books.MustCommit({Books::Provider("V-2", /*approved=*/false), Invoice("INV-OK", "V-1", "B-1", "150.00"),
                    Invoice("INV-UNAPPROVED", "V-2", "B-1", "80.00"),
                    Invoice("INV-OUTSIDE", "V-1", "B-1", "90.00", "2026-03-01", "2026-03-31"),
                    Invoice("INV-DUP", "V-1", "B-1", "150.00"), Invoice("INV-BIG", "V-1", "B-2", "600.01"),
                    Invoice("INV-LATE", "V-1", "B-1", "20.00", "2026-04-02", "2026-04-30", "2026-06-01")});
  const rf::ApprovalPlan plan = Plan(books, {});
  REQUIRE(plan.approved.size() == 1);
  CHECK(plan.approved[0].invoice_id == "INV-OK");
  CHECK(plan.approved_total == P("150.00"));
  CHECK(CodesFor(plan, "INV-UNAPPROVED") == "UNAPPROVED_PROVIDER");
  CHECK_THAT(ReasonsFor(plan, "INV-UNAPPROVED"), Catch::Contains("invoice INV-UNAPPROVED") &&
                                                     Catch::Contains("provider V-2 (Provider V-2) is not an approved"));
  CHECK(CodesFor(plan, "INV-OUTSIDE") == "OUTSIDE_BUDGET");
  CHECK_THAT(ReasonsFor(plan, "INV-OUTSIDE"),
             Catch::Contains("2026-03-01 to 2026-03-31 is not inside budget B-1 (2026-04-02 to 2027-03-31)"));
  CHECK(CodesFor(plan, "INV-DUP") == "DUPLICATE_INVOICE");
  CHECK_THAT(ReasonsFor(plan, "INV-DUP"), Catch::Contains("invoice INV-DUP repeats invoice INV-OK"));
  CHECK(CodesFor(plan, "INV-BIG") == "INSUFFICIENT_FUNDS");
  CHECK_THAT(ReasonsFor(plan, "INV-BIG"), Catch::Contains("budget B-2 has £600.00 left"));
  CHECK(CodesFor(plan, "INV-LATE") == "RECEIVED_LATER");
  REQUIRE(plan.refused.size() == 5);

  books.MustCommit(plan.drafts);
  CHECK(books.Balance("budget:B-1") == P("1050.00"));
  CHECK(books.Balance("payable:B-1:V-1") == P("150.00"));
  RequireViewsMatchJournal(books);

  // Run again: the approved one is no longer a candidate, the refusals stand.
  const rf::ApprovalPlan again = Plan(books, {});
  CHECK(again.approved.empty());
  CHECK(again.refused.size() == 5);
}

TEST_CASE("funds available counts earlier approvals in the same run, oldest invoice first") {
  Books books;
  NotionalBooks(books);
  books.MustCommit({Invoice("INV-F1", "V-1", "B-2", "400.00", "2026-04-02", "2026-04-30"),
                    Invoice("INV-F2", "V-1", "B-2", "300.00", "2026-05-01", "2026-05-31")});
  const rf::ApprovalPlan plan = Plan(books, {"INV-F2", "INV-F1"});  // named out of order
  REQUIRE(plan.approved.size() == 1);
  CHECK(plan.approved[0].invoice_id == "INV-F1");
  CHECK(CodesFor(plan, "INV-F2") == "INSUFFICIENT_FUNDS");
  CHECK_THAT(ReasonsFor(plan, "INV-F2"),
             Catch::Contains("has £200.00 left after £400.00 approved earlier in this run"));
}

TEST_CASE("a budget ended by review refuses invoices for service after the review, and unknown and approved ids too") {
  Books books;
  NotionalBooks(books);
  books.MustCommit({Invoice("INV-A", "V-1", "B-1", "10.00"),
                    Invoice("INV-AFTER", "V-1", "B-1", "30.00", "2026-06-01", "2026-07-31", "2026-08-01")});
  books.MustCommit(Plan(books, {"INV-A"}).drafts);
  books.MustCommit({rf::ReviewDraft({"R-1", "B-1", "end", "reviewer", D("2026-06-30")}, rf::test::kTester)});
  const rf::ApprovalPlan plan = Plan(books, {"INV-AFTER", "INV-A", "INV-NOPE"}, "2026-08-02");
  CHECK(plan.approved.empty());
  CHECK(CodesFor(plan, "INV-AFTER") == "BUDGET_ENDED");
  CHECK_THAT(ReasonsFor(plan, "INV-AFTER"), Catch::Contains("budget B-1 was ended by a review on 2026-06-30"));
  CHECK(CodesFor(plan, "INV-A") == "NOT_RECEIVED");
  CHECK_THAT(ReasonsFor(plan, "INV-A"), Catch::Contains("invoice INV-A was already approved on 2026-05-10"));
  CHECK(CodesFor(plan, "INV-NOPE") == "NOT_FOUND");
  RequireViewsMatchJournal(books);
}

TEST_CASE("an invoice failing several checks is given every reason") {
  Books books;
  NotionalBooks(books);
  books.MustCommit({Books::Provider("V-2", false), Invoice("INV-X", "V-2", "B-2", "900.00", "2026-01-01")});
  const rf::ApprovalPlan plan = Plan(books, {"INV-X"});
  CHECK(CodesFor(plan, "INV-X") == "UNAPPROVED_PROVIDER,OUTSIDE_BUDGET");  // funds are checked only if the rest pass
}

TEST_CASE("ringfence approve invoices: named refusals exit 2 with reasons in JSON, --all-valid exits 0") {
  Books books;
  NotionalBooks(books);
  books.MustCommit({Books::Provider("V-2", false), Invoice("INV-1", "V-1", "B-1", "100.00"),
                    Invoice("INV-2", "V-2", "B-1", "50.00"), Invoice("INV-3", "V-1", "B-1", "60.00")});
  const std::string cli = std::string(RF_RINGFENCE_BIN) + " --ledger " + rf::test::Quote(books.dir());

  auto named = rf::test::Run(cli + " --format json approve invoices INV-1 INV-2 --date 2026-05-10");
  INFO(named.output);
  CHECK(named.exit_code == 2);
  auto j = nlohmann::json::parse(named.output);
  REQUIRE(j["approved"].size() == 1);
  CHECK(j["approved"][0]["invoice_id"] == "INV-1");
  REQUIRE(j["refused"].size() == 1);
  CHECK(j["refused"][0]["codes"][0] == "UNAPPROVED_PROVIDER");

  auto all = rf::test::Run(cli + " approve invoices --all-valid --date 2026-05-10");
  INFO(all.output);
  CHECK(all.exit_code == 0);
  CHECK_THAT(all.output, Catch::Contains("Approved 1 invoice (£60.00)") && Catch::Contains("UNAPPROVED_PROVIDER"));

  auto usage = rf::test::Run(cli + " approve invoices --all-valid INV-9");
  CHECK(usage.exit_code == 2);
  CHECK(books.Balance("payable:B-1:V-1") == P("160.00"));
  RequireViewsMatchJournal(books);
}

TEST_CASE("an invoice against a direct-payment or third-party budget is refused: its holder pays providers") {
  // PRODUCT.md: notional budgets are paid only through invoices; the others
  // through instalments to the holder. Paying the invoice too would pay twice.
  Books books;
  NotionalBooks(books);
  books.MustCommit({Books::Budget("B-DP", "POT-A", "900.00"),
                    Books::Budget("B-TP", "POT-A", "900.00", "2026-04-02", "P-1", "third-party"),
                    Invoice("INV-DP", "V-1", "B-DP", "50.00"), Invoice("INV-TP", "V-1", "B-TP", "60.00"),
                    Invoice("INV-N", "V-1", "B-1", "70.00")});
  const rf::ApprovalPlan plan = Plan(books, {});
  REQUIRE(plan.approved.size() == 1);
  CHECK(plan.approved[0].invoice_id == "INV-N");
  CHECK(CodesFor(plan, "INV-DP") == "NOT_NOTIONAL_BUDGET");
  CHECK_THAT(ReasonsFor(plan, "INV-DP"), Catch::Contains("budget B-DP is a direct-payment budget") &&
                                             Catch::Contains("send the invoice to the holder"));
  CHECK(CodesFor(plan, "INV-TP") == "NOT_NOTIONAL_BUDGET");
  CHECK_THAT(ReasonsFor(plan, "INV-TP"), Catch::Contains("budget B-TP is a third-party budget"));
}

TEST_CASE("an invoice body given as text is checked as a DOM one is, and its views rebuild the same") {
  Books books;
  NotionalBooks(books);
  const rf::EntryDraft good = Invoice("INV-T", "V-1", "B-1", "150.00");
  REQUIRE_FALSE(good.body_json.empty());
  struct Case {
    std::string body;
    std::string expect;
  };
  const std::string& text = good.body_json;
  const std::vector<Case> cases = {
      {"{\"amount\":\"150.00\"}", "body.invoice_id: required"},
      {std::string(text).insert(text.size() - 1, ",\"zz\":\"1\""), "body.zz: not a member"},
      {std::string(text).replace(text.find("150.00"), 6, "0.00"), "body.amount: an invoice is for more than zero"},
      {std::string(text).replace(text.find("\"V-1\""), 5, "1"), "body.provider_id: expected text"},
      {std::string(text).insert(1, " "), "body: not canonical JSON"},
  };
  for (const Case& c : cases) {
    rf::EntryDraft d = good;
    d.body_json = c.body;
    auto r = books.Commit({d});
    CAPTURE(c.body);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains(c.expect));
  }
  books.MustCommit({good});
  RequireViewsMatchJournal(books);
}

TEST_CASE("approve --all-valid reaches a fundable invoice behind more refused invoices than one batch holds") {
  Books books;
  NotionalBooks(books);  // V-1 approved
  std::vector<rf::EntryDraft> invoices = {Books::Provider("V-2", /*approved=*/false)};
  // Seven refused invoices (unapproved provider) sort before the fundable one.
  const char* amounts[] = {"10.00", "10.01", "10.02", "10.03", "10.04", "10.05", "10.06"};  // none a duplicate
  for (int i = 0; i < 7; ++i) invoices.push_back(Invoice("INV-0" + std::to_string(i), "V-2", "B-1", amounts[i]));
  invoices.push_back(Invoice("INV-99", "V-1", "B-1", "25.00"));
  books.MustCommit(invoices);

  for (const bool dry_run : {true, false}) {
    CAPTURE(dry_run);
    rf::ApprovalRequest request;
    request.all_valid = true;
    request.approved_on = D("2026-05-10");
    request.batch_invoices = 3;  // fewer than the refused invoices in front
    std::vector<std::string> seen;
    auto summary = rf::RunApprovals(books.ledger(), request, rf::test::kTester, dry_run,
                                    [&](const rf::ApprovalPlan& plan) {
                                      CHECK(plan.approved.size() + plan.refused.size() <= 3);
                                      for (const auto& a : plan.approved) seen.push_back(a.invoice_id);
                                      for (const auto& r : plan.refused) seen.push_back(r.invoice_id);
                                      return rf::Status::Ok();
                                    });
    REQUIRE(summary.ok());
    CHECK(summary->approved_count == 1);
    CHECK(summary->approved_total == P("25.00"));
    CHECK(summary->refused_count == 7);
    CHECK(summary->refused_total == P("70.21"));
    REQUIRE(summary->refused_by_code.size() == 1);
    CHECK(summary->refused_by_code.at("UNAPPROVED_PROVIDER").count == 7);
    CHECK(summary->refused_by_code.at("UNAPPROVED_PROVIDER").amount == P("70.21"));
    CHECK(summary->batches == 3);  // 3 + 3 + 2: each invoice examined once
    CHECK(seen.size() == 8);
    CHECK(summary->committed == !dry_run);
  }
  CHECK(books.Balance("payable:B-1:V-1") == P("25.00"));
  RequireViewsMatchJournal(books);
}

TEST_CASE("a dry run across batches counts what earlier batches would approve against the budget") {
  Books books;
  NotionalBooks(books);  // B-2 holds 600.00
  books.MustCommit({Invoice("INV-1", "V-1", "B-2", "400.00", "2026-04-02", "2026-04-30"),
                    Invoice("INV-2", "V-1", "B-2", "300.00", "2026-05-01", "2026-05-31")});
  rf::ApprovalRequest request;
  request.all_valid = true;
  request.approved_on = D("2026-06-10");
  request.batch_invoices = 1;
  auto summary = rf::RunApprovals(books.ledger(), request, rf::test::kTester, /*dry_run=*/true,
                                  [](const rf::ApprovalPlan&) { return rf::Status::Ok(); });
  REQUIRE(summary.ok());
  CHECK(summary->approved_count == 1);
  CHECK(summary->refused_by_code.count("INSUFFICIENT_FUNDS") == 1);
  CHECK(books.Balance("budget:B-2") == P("600.00"));  // nothing journalled
}

TEST_CASE("ringfence approve invoices --all-valid prints a summary by refusal code, and --verbose lists each invoice") {
  Books books;
  NotionalBooks(books);
  books.MustCommit({Books::Provider("V-2", false), Invoice("INV-1", "V-2", "B-1", "10.00"),
                    Invoice("INV-2", "V-2", "B-1", "15.50"), Invoice("INV-3", "V-1", "B-1", "60.00"),
                    Invoice("INV-4", "V-1", "B-1", "60.00")});
  const std::string cli = std::string(RF_RINGFENCE_BIN) + " --ledger " + rf::test::Quote(books.dir());

  auto dry = rf::test::Run(cli + " approve invoices --all-valid --dry-run --date 2026-05-10");
  INFO(dry.output);
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.output, Catch::Contains("Would approve 1 invoice (£60.00)") &&
                             Catch::Contains("Not approved: 3 invoices (£85.50)") &&
                             Catch::Contains("UNAPPROVED_PROVIDER: 2 invoices, £25.50: approve the provider") &&
                             Catch::Contains("DUPLICATE_INVOICE: 1 invoice, £60.00: check with the provider") &&
                             Catch::Contains("--verbose"));
  CHECK_THAT(dry.output, !Catch::Contains("INV-1"));  // no per-invoice lines by default

  auto verbose = rf::test::Run(cli + " approve invoices --all-valid --verbose --date 2026-05-10");
  INFO(verbose.output);
  CHECK(verbose.exit_code == 0);
  CHECK_THAT(verbose.output, Catch::Contains("INV-3  £60.00  budget B-1") &&
                                 Catch::Contains("invoice INV-1: provider V-2") &&
                                 Catch::Contains("invoice INV-4 repeats invoice INV-3"));

  auto json = rf::test::Run(cli + " --format json approve invoices --all-valid --date 2026-05-10");
  INFO(json.output);
  CHECK(json.exit_code == 0);
  auto j = nlohmann::json::parse(json.output);
  CHECK(j["approved"].empty());  // INV-3 was approved by the run before
  REQUIRE(j["refused"].size() == 3);
  CHECK(j["refused_by_code"]["UNAPPROVED_PROVIDER"]["count"] == 2);
  CHECK(j["refused_by_code"]["UNAPPROVED_PROVIDER"]["amount"] == "25.50");
  CHECK(j["refused_total"] == "85.50");
  CHECK(books.Balance("payable:B-1:V-1") == P("60.00"));
}
