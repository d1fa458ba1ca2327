// Payment runs: due instalments and approved invoices become pending
// payments and a pain.001 file; reruns pay nothing twice; reissue gives the
// same file; the schedule's total is paid exactly over a whole budget.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ledger/payments/payment_run.h"
#include "ledger/payments/schedule.h"
#include "ledger/storage/ledger.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::RequireViewsMatchJournal;

namespace {

const std::string kSchema = std::string(RF_TEST_DATA_DIR) + "/iso20022/pain.001.001.03.xsd";
constexpr char kDebtorIban[] = "GB29NWBK60161331926819";

// Validates `xml` against the ISO schema with xmllint; returns its errors.
std::string SchemaErrors(const std::string& xml) {
  REQUIRE(std::system("command -v xmllint > /dev/null") == 0);  // apt-get install libxml2-utils
  rf::test::TempDir dir;
  const std::string path = dir / "run.xml";
  std::ofstream(path, std::ios::binary) << xml;
  const std::string command = "xmllint --noout --schema '" + kSchema + "' '" + path + "' 2> '" + path + ".log'";
  const int rc = std::system(command.c_str());
  std::ifstream log(path + ".log");
  const std::string errors((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  return rc == 0 ? "" : errors + "(exit " + std::to_string(rc) + ")";
}

void SetDebtor(Books& books) {
  books.MustCommit({rf::ConfigSetDraft("bank.debtor_iban", kDebtorIban, D("2026-04-01"), rf::test::kTester)});
}

// Standard() plus a notional budget B-N (3,000 from POT-A), provider V-2 not
// approved, and two approved invoices: INV-1 (V-1, 250.00) and INV-U (V-2).
void PaymentBooks(Books& books) {
  books.Standard();
  SetDebtor(books);
  books.MustCommit(
      {Books::Budget("B-N", "POT-A", "3000.00", "2026-04-02", "P-1", "notional"), Books::Provider("V-2", false)});
  const auto approved_invoice = [&](const std::string& id, const std::string& provider, const char* amount) {
    books.MustCommit({rf::InvoiceReceivedDraft({id, provider, "B-N", "therapy", "April", P(amount), D("2026-04-02"),
                                                D("2026-04-30"), D("2026-05-02")},
                                               rf::test::kTester),
                      rf::InvoiceApprovedDraft(id, "B-N", provider, P(amount), D("2026-05-04"), rf::test::kTester)});
  };
  approved_invoice("INV-1", "V-1", "250.00");
  approved_invoice("INV-U", "V-2", "75.00");
}

rf::PaymentRunOutcome Pay(Books& books, const char* date, bool dry_run = false) {
  auto outcome = rf::MakePaymentRun(books.ledger(), D(date), {"tester", "pay"}, dry_run);
  INFO(outcome.status().message());
  REQUIRE(outcome.ok());
  return *outcome;
}

bool HasWarning(const rf::PaymentRunPlan& plan, const std::string& code, const std::string& subject) {
  for (const auto& w : plan.warnings) {
    if (w.code == code && w.subject == subject) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("pay turns due instalments and approved invoices into pending payments and a valid pain.001") {
  Books books;
  PaymentBooks(books);
  const auto run = Pay(books, "2026-05-15");
  REQUIRE(run.committed);
  CHECK(run.plan.run_id == "RUN-2026-05-15-1");
  // B-1 and B-2: instalments due 2026-04-02 and 2026-05-01; INV-1. INV-U is
  // to a provider that is not approved.
  std::vector<std::string> ids;
  for (const auto& p : run.plan.payments) ids.push_back(p.payment_id);
  CHECK(ids == std::vector<std::string>{"DP-B-1-0001", "DP-B-1-0002", "DP-B-2-0001", "DP-B-2-0002", "PAY-INV-1"});
  CHECK(HasWarning(run.plan, "UNAPPROVED_PROVIDER", "INV-U"));

  auto schedule =
      rf::InstalmentSchedule({"B-1", "direct-payment", "monthly", P("1200.00"), D("2026-04-02"), D("2027-03-31")});
  REQUIRE(schedule.ok());
  CHECK(books.Balance("dp:B-1") == (*schedule)[0].amount + (*schedule)[1].amount);
  CHECK(books.Balance("budget:B-1") == P("1200.00") - books.Balance("dp:B-1"));
  CHECK(books.Balance("paid:V-1") == P("250.00"));
  CHECK(books.Balance("payable:B-N:V-1").is_zero());
  CHECK(books.Balance("payable:B-N:V-2") == P("75.00"));  // still awaiting payment

  CHECK(SchemaErrors(run.xml).empty());
  CHECK_THAT(run.xml, Catch::Contains("<MsgId>RUN-2026-05-15-1</MsgId>") &&
                          Catch::Contains("<PmtInfId>RUN-2026-05-15-1</PmtInfId>") &&
                          Catch::Contains("<EndToEndId>DP-B-1-0002</EndToEndId>") &&
                          Catch::Contains("<Nm>PHB budget B-1</Nm>") &&
                          Catch::Contains("<Ustrd>Invoice INV-1</Ustrd>") && Catch::Contains(kDebtorIban) &&
                          Catch::Contains("<ReqdExctnDt>2026-05-15</ReqdExctnDt>"));
  RequireViewsMatchJournal(books);
}

TEST_CASE("rerunning pay pays nothing new, and names the run already made that day") {
  Books books;
  PaymentBooks(books);
  const auto first = Pay(books, "2026-05-15");
  const uint64_t size = books.Size();
  const auto again = Pay(books, "2026-05-15");
  CHECK_FALSE(again.committed);
  CHECK(again.plan.payments.empty());
  CHECK(again.plan.run_id.empty());
  CHECK(again.plan.earlier_runs == std::vector<std::string>{"RUN-2026-05-15-1"});
  CHECK(books.Size() == size);

  // A month later only the next instalments are due, in a new run.
  const auto june = Pay(books, "2026-06-01");
  REQUIRE(june.committed);
  std::vector<std::string> ids;
  for (const auto& p : june.plan.payments) ids.push_back(p.payment_id);
  CHECK(ids == std::vector<std::string>{"DP-B-1-0003", "DP-B-2-0003"});
  RequireViewsMatchJournal(books);
}

TEST_CASE("reissuing a run rebuilds the same file from the journal: same ids, transfers and bytes") {
  Books books;
  PaymentBooks(books);
  const auto run = Pay(books, "2026-05-15");
  REQUIRE(run.committed);
  auto reissued = rf::CommittedRun(books.ledger(), run.plan.run_id);
  REQUIRE(reissued.ok());
  auto xml = rf::WritePain001(*reissued);
  REQUIRE(xml.ok());
  CHECK(*xml == run.xml);
  REQUIRE(reissued->transfers.size() == run.plan.payments.size());
  for (size_t i = 0; i < reissued->transfers.size(); ++i) {
    CHECK(reissued->transfers[i].end_to_end_id == run.plan.payments[i].payment_id);
    CHECK(reissued->transfers[i].amount == run.plan.payments[i].amount);
  }
  auto missing = rf::CommittedRun(books.ledger(), "RUN-2026-05-15-9");
  CHECK(missing.status().code() == rf::Status::Code::kNotFound);
}

TEST_CASE("pay before any instalment is due pays only approved invoices") {
  Books books;
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Provider("V-1")});
  SetDebtor(books);
  books.MustCommit(
      {rf::BudgetDraft({"B-LATER", "P-1", "POT-A", "direct-payment", "four-weekly", "GB82WEST12345698765432",
                        P("1300.00"), D("2026-06-01"), D("2027-05-30"), D("2026-04-10")},
                       rf::test::kTester),
       Books::Budget("B-N", "POT-A", "500.00", "2026-04-02", "P-1", "notional"),
       rf::InvoiceReceivedDraft(
           {"INV-9", "V-1", "B-N", "therapy", "", P("42.50"), D("2026-04-02"), D("2026-04-30"), D("2026-05-02")},
           rf::test::kTester),
       rf::InvoiceApprovedDraft("INV-9", "B-N", "V-1", P("42.50"), D("2026-05-04"), rf::test::kTester)});
  const auto run = Pay(books, "2026-05-31");
  REQUIRE(run.plan.payments.size() == 1);
  CHECK(run.plan.payments[0].payment_id == "PAY-INV-9");
  CHECK(books.Balance("dp:B-LATER").is_zero());
  CHECK(SchemaErrors(run.xml).empty());

  // On the start date the first four-weekly instalment falls due.
  const auto june = Pay(books, "2026-06-01");
  REQUIRE(june.plan.payments.size() == 1);
  CHECK(june.plan.payments[0].payment_id == "DP-B-LATER-0001");
  CHECK(june.plan.payments[0].due_on == D("2026-06-01"));
  RequireViewsMatchJournal(books);
}

TEST_CASE("over a whole budget the instalments paid total the budget exactly, then nothing more is due") {
  Books books;
  books.Standard();
  SetDebtor(books);
  // Paying monthly, catching up whatever is due each time.
  for (const char* date : {"2026-04-02", "2026-07-15", "2026-12-01", "2027-03-01", "2027-03-31"}) {
    Pay(books, date);
    RequireViewsMatchJournal(books);
  }
  CHECK(books.Balance("dp:B-1") == P("1200.00"));
  CHECK(books.Balance("budget:B-1").is_zero());
  CHECK(books.Balance("dp:B-2") == P("600.00"));
  CHECK(Pay(books, "2027-06-01").plan.payments.empty());
}

TEST_CASE("instalments the budget cannot cover wait with INSUFFICIENT_FUNDS, and a dry run journals nothing") {
  Books books;
  books.Standard();
  SetDebtor(books);
  books.MustCommit({Books::Move("budget:B-2", "pot:POT-B", "590.00", "2026-04-02")});  // budget reduced to 10.00
  const uint64_t size = books.Size();
  const auto dry = Pay(books, "2026-05-15", /*dry_run=*/true);
  CHECK_FALSE(dry.committed);
  CHECK(books.Size() == size);
  CHECK(HasWarning(dry.plan, "INSUFFICIENT_FUNDS", "B-2"));
  const auto run = Pay(books, "2026-05-15");
  for (const auto& p : run.plan.payments) CHECK(p.budget_id != "B-2");
  CHECK(books.Balance("budget:B-2") == P("10.00"));
  RequireViewsMatchJournal(books);
}

TEST_CASE("pay is refused until the PHB bank account is configured, and the debtor IBAN is checked") {
  Books books;
  books.Standard();
  auto refused = rf::MakePaymentRun(books.ledger(), D("2026-05-15"), {"tester", "pay"}, false);
  REQUIRE(refused.status().code() == rf::Status::Code::kInvalidInput);
  CHECK_THAT(refused.status().message(), Catch::Contains("bank.debtor_iban"));
  auto bad = books.Commit(
      {rf::ConfigSetDraft("bank.debtor_iban", "GB29NWBK60161331926818", D("2026-04-01"), rf::test::kTester)});
  CHECK(bad.status().code() == rf::Status::Code::kInvalidInput);
}

TEST_CASE("ringfence pay writes the file once, refuses to overwrite it, and --reissue writes the same bytes") {
  Books books;
  PaymentBooks(books);
  rf::test::TempDir out;
  const std::string cli = std::string(RF_RINGFENCE_BIN) + " --ledger " + rf::test::Quote(books.dir());
  const std::string file = out / "run.xml";

  auto pay = rf::test::Run(cli + " pay --date 2026-05-15 --out " + rf::test::Quote(file));
  INFO(pay.output);
  REQUIRE(pay.exit_code == 0);
  CHECK_THAT(pay.output, Catch::Contains("RUN-2026-05-15-1") && Catch::Contains("UNAPPROVED_PROVIDER") &&
                             Catch::Contains("****5432") && !Catch::Contains("GB82WEST12345698765432"));
  std::ifstream in(file, std::ios::binary);
  const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(SchemaErrors(xml).empty());

  auto again = rf::test::Run(cli + " pay --date 2026-05-15 --out " + rf::test::Quote(out / "second.xml"));
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.output, Catch::Contains("Nothing due") && Catch::Contains("RUN-2026-05-15-1"));
  CHECK_FALSE(std::filesystem::exists(out / "second.xml"));

  auto overwrite = rf::test::Run(cli + " pay --date 2026-06-01 --out " + rf::test::Quote(file));
  CHECK(overwrite.exit_code == 2);
  CHECK_THAT(overwrite.output, Catch::Contains("already exists"));

  auto reissue = rf::test::Run(cli + " pay --reissue RUN-2026-05-15-1 --out " + rf::test::Quote(out / "re.xml"));
  INFO(reissue.output);
  REQUIRE(reissue.exit_code == 0);
  std::ifstream re(out / "re.xml", std::ios::binary);
  const std::string reissued((std::istreambuf_iterator<char>(re)), std::istreambuf_iterator<char>());
  CHECK(reissued == xml);
  RequireViewsMatchJournal(books);
}

TEST_CASE("pay checks it can write --out before journalling anything: a missing folder or a file as folder is exit 2") {
  Books books;
  PaymentBooks(books);
  rf::test::TempDir out;
  const std::string cli = std::string(RF_RINGFENCE_BIN) + " --ledger " + rf::test::Quote(books.dir());
  const auto entries = [&] {
    auto v = rf::test::Run(cli + " --format json verify");
    INFO(v.output);
    REQUIRE(v.exit_code == 0);
    return nlohmann::json::parse(v.output)["entries"].get<uint64_t>();
  };
  const uint64_t before = entries();
  rf::test::WriteFile(out / "plain", "not a folder");
  const std::vector<std::string> bad_paths = {out / "no-such-folder/run.xml", out / "plain/run.xml"};
  for (const std::string& bad : bad_paths) {
    auto pay = rf::test::Run(cli + " pay --date 2026-05-15 --out " + rf::test::Quote(bad));
    INFO(pay.output);
    CHECK(pay.exit_code == 2);
    CHECK_THAT(pay.output, Catch::Contains(bad) && Catch::Contains("nothing was journalled"));
    CHECK_FALSE(std::filesystem::exists(bad));
    CHECK(entries() == before);
  }
  // Nothing was left behind, and the run still pays once the path is good.
  CHECK(std::distance(std::filesystem::directory_iterator(out.path()), std::filesystem::directory_iterator()) == 1);
  auto pay = rf::test::Run(cli + " pay --date 2026-05-15 --out " + rf::test::Quote(out / "run.xml"));
  INFO(pay.output);
  CHECK(pay.exit_code == 0);
  CHECK(std::filesystem::exists(out / "run.xml"));
  CHECK(entries() > before);
  CHECK(std::distance(std::filesystem::directory_iterator(out.path()), std::filesystem::directory_iterator()) == 2);
}

TEST_CASE("a budget with an instalment paid outside pay gets no instalments from pay (MANUAL_INSTALMENT)") {
  Books books;
  books.Standard();
  SetDebtor(books);
  rf::PaymentFields by_hand;
  by_hand.payment_id = "PAY-0001";
  by_hand.run_id = "RUN-HAND";
  by_hand.purpose = "instalment";
  by_hand.budget_id = "B-1";
  by_hand.payee_ref = "GB82WEST12345698765432";
  by_hand.amount = P("100.00");
  by_hand.run_date = D("2026-04-30");
  books.MustCommit({rf::PaymentPendingDraft(by_hand, rf::test::kTester)});
  const auto run = Pay(books, "2026-05-15");
  CHECK(HasWarning(run.plan, "MANUAL_INSTALMENT", "B-1"));
  for (const auto& p : run.plan.payments) CHECK(p.budget_id == "B-2");
  CHECK(books.Balance("dp:B-1") == P("100.00"));
  RequireViewsMatchJournal(books);
}
