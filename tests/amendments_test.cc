// Amendments and cancellations (issue 20 items 7, 8): a bank-detail change
// takes effect only when a second, different person confirms it, and `pay`
// pays the old details until then; PAYEE_DETAILS_CHANGED is raised once, on
// the first payment to the new details; a provider's approval withdrawn and
// granted; a rejected invoice is never approved and leaves the aged report;
// a cancelled payment's money is back and the next run pays it again; and
// verify rebuilds the same views after every new kind.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/core/amendment_kinds.h"
#include "ledger/core/records.h"
#include "ledger/core/rules.h"
#include "ledger/payments/payment_run.h"
#include "tests/ledger_fixture.h"
#include "tests/body_util.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;

namespace {

constexpr char kAmendOldIban[] = "GB82WEST12345698765432";  // Books' provider and budget payee
constexpr char kAmendNewIban[] = "GB29NWBK60161331926819";
const rf::DraftOrigin kAmendAlice{"alice", "test"};
const rf::DraftOrigin kAmendBob{"bob", "test"};

// Pot POT-A, person P-1, provider V-1 and a notional budget B-1 (paid only
// through invoices), plus the debtor account `pay` needs.
void AmendSetUp(Books& books) {
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Provider("V-1"),
                    Books::Budget("B-1", "POT-A", "1200.00", "2026-04-02", "P-1", "notional"),
                    rf::ConfigSetDraft("bank.debtor_iban", "GB33BUKB20201555555555", D("2026-04-01"),
                                       rf::test::kTester)});
}

// Invoice `id` of `amount` for B-1 from V-1, received and approved on `on`.
std::vector<rf::EntryDraft> AmendApprovedInvoice(const std::string& id, const char* amount, const char* on) {
  return {rf::InvoiceReceivedDraft(
              {id, "V-1", "B-1", "therapy", "sessions", P(amount), D("2026-04-02"), D("2026-04-30"), D(on)},
              rf::test::kTester),
          rf::InvoiceApprovedDraft(id, "B-1", "V-1", P(amount), D(on), rf::test::kTester)};
}

rf::EntryDraft AmendRequest(const std::string& target, const std::string& target_id, const char* on,
                            const std::string& id = "AMD-0001", const std::string& iban = kAmendNewIban) {
  return rf::AmendmentRequestedDraft({.amendment_id = id,
                                      .target = target,
                                      .target_id = target_id,
                                      .payee_ref = iban,
                                      .reason = "new account letter received by post",
                                      .effective = D(on)},
                                     kAmendAlice);
}

rf::PaymentRunOutcome AmendPay(Books& books, const char* on) {
  auto run = rf::MakePaymentRun(books.ledger(), D(on), {"tester", "pay"}, false);
  INFO(run.status().message());
  REQUIRE(run.ok());
  return *run;
}

template <typename R>
R AmendRecord(Books& books, const std::string& id) {
  return rf::test::MustStoredRecord<R>(books, id);
}

std::string AmendCli(Books& books, const std::string& actor) {
  return std::string(RF_RINGFENCE_BIN) + " --actor " + actor + " --ledger " + rf::test::Quote(books.dir());
}

// The month's flags of `code` (reconcile --month, JSON).
std::vector<nlohmann::json> AmendMonthFlags(Books& books, const std::string& month, const std::string& code) {
  auto run = rf::test::Run(AmendCli(books, "finance.manager") + " --format json reconcile --month " + month);
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.output, !Catch::Contains(kAmendNewIban) && !Catch::Contains(kAmendOldIban));
  std::vector<nlohmann::json> out;
  const nlohmann::json report = nlohmann::json::parse(run.output);
  for (const auto& f : report["flags"]) {
    if (f["code"] == code) out.push_back(f);
  }
  return out;
}

void AmendVerify(Books& books) {
  rf::test::RequireViewsMatchJournal(books);
  auto verify = rf::test::Run(AmendCli(books, "auditor") + " verify");
  INFO(verify.output);
  CHECK(verify.exit_code == 0);
}

}  // namespace

TEST_CASE("a bank-detail change cannot be confirmed by the person who asked for it, and another person can, once") {
  Books books;
  AmendSetUp(books);
  books.MustCommit({AmendRequest("provider", "V-1", "2026-05-04")});
  const uint64_t size = books.Size();
  auto same = books.Commit({rf::AmendmentConfirmedDraft("AMD-0001", D("2026-05-05"), kAmendAlice)});
  CHECK(same.status().refusal_code() == rf::refusal::kAmendSamePerson);
  CHECK(books.Size() == size);
  CHECK(AmendRecord<rf::ProviderRecord>(books, "V-1").payee_ref == kAmendOldIban);
  CHECK(AmendRecord<rf::AmendmentRecord>(books, "AMD-0001").state == rf::AmendmentState::kRequested);

  auto unknown = books.Commit({rf::AmendmentConfirmedDraft("AMD-0002", D("2026-05-05"), kAmendBob)});
  CHECK(unknown.status().refusal_code() == rf::refusal::kAmendUnknown);

  books.MustCommit({rf::AmendmentConfirmedDraft("AMD-0001", D("2026-05-05"), kAmendBob)});
  CHECK(AmendRecord<rf::ProviderRecord>(books, "V-1").payee_ref == kAmendNewIban);
  const auto confirmed = AmendRecord<rf::AmendmentRecord>(books, "AMD-0001");
  CHECK(confirmed.state == rf::AmendmentState::kConfirmed);
  CHECK(confirmed.requested_by == "alice");
  CHECK(confirmed.confirmed_by == "bob");
  CHECK(confirmed.old_payee_ref == kAmendOldIban);
  auto twice = books.Commit({rf::AmendmentConfirmedDraft("AMD-0001", D("2026-05-06"), {"carol", "test"})});
  CHECK(twice.status().refusal_code() == rf::refusal::kAmendAlreadyConfirmed);

  // An IBAN failing mod 97, and a reason without words, are refused.
  auto bad_iban = books.Commit({AmendRequest("provider", "V-1", "2026-05-06", "AMD-0002", "GB82WEST12345698765433")});
  CHECK(bad_iban.status().code() == rf::Status::Code::kInvalidInput);
  CHECK_THAT(bad_iban.status().message(), !Catch::Contains("GB82WEST12345698765433"));
  rf::EntryDraft wordless = AmendRequest("provider", "V-1", "2026-05-06", "AMD-0002", "GB33BUKB20201555555555");
  rf::test::EditBody(&wordless, [&](nlohmann::json& b) { b["reason"] = " - "; });
  CHECK(books.Commit({wordless}).status().code() == rf::Status::Code::kInvalidInput);
  AmendVerify(books);
}

TEST_CASE("pay pays the old bank details until the change is confirmed, then PAYEE_DETAILS_CHANGED once, on the first "
          "payment to the new ones") {
  Books books;
  AmendSetUp(books);
  books.MustCommit(AmendApprovedInvoice("INV-1", "150.00", "2026-05-04"));
  books.MustCommit({AmendRequest("provider", "V-1", "2026-05-04")});
  const auto before = AmendPay(books, "2026-05-05");
  REQUIRE(before.committed);
  CHECK_THAT(before.xml, Catch::Contains(kAmendOldIban) && !Catch::Contains(kAmendNewIban));
  CHECK(AmendRecord<rf::PaymentRecord>(books, "PAY-INV-1").payee_ref == kAmendOldIban);

  books.MustCommit({rf::AmendmentConfirmedDraft("AMD-0001", D("2026-05-06"), kAmendBob)});
  books.MustCommit(AmendApprovedInvoice("INV-2", "80.00", "2026-05-06"));
  const auto after = AmendPay(books, "2026-05-07");
  REQUIRE(after.committed);
  CHECK_THAT(after.xml, Catch::Contains(kAmendNewIban) && !Catch::Contains(kAmendOldIban));
  const auto amendment = AmendRecord<rf::AmendmentRecord>(books, "AMD-0001");
  CHECK(amendment.first_payment_id == "PAY-INV-2");

  const auto may = AmendMonthFlags(books, "2026-05", "PAYEE_DETAILS_CHANGED");
  REQUIRE(may.size() == 1);
  CHECK(may[0]["entity"] == "amendment:AMD-0001");
  CHECK(may[0]["severity"] == "warning");
  CHECK(may[0]["amount_at_stake"] == "80.00");
  CHECK_THAT(may[0]["sentence"].get<std::string>(),
             Catch::Contains("alice") && Catch::Contains("bob") && Catch::Contains("PAY-INV-2") &&
                 Catch::Contains("****6819"));

  // A later payment to the same details raises nothing.
  books.MustCommit(AmendApprovedInvoice("INV-3", "60.00", "2026-06-02"));
  REQUIRE(AmendPay(books, "2026-06-03").committed);
  CHECK(AmendMonthFlags(books, "2026-06", "PAYEE_DETAILS_CHANGED").empty());
  CHECK(AmendRecord<rf::AmendmentRecord>(books, "AMD-0001").first_payment_id == "PAY-INV-2");
  AmendVerify(books);
}

TEST_CASE("no PAYEE_DETAILS_CHANGED when the details never changed, or the change was never confirmed") {
  Books books;
  AmendSetUp(books);
  books.MustCommit(AmendApprovedInvoice("INV-1", "150.00", "2026-05-04"));
  REQUIRE(AmendPay(books, "2026-05-05").committed);
  books.MustCommit({AmendRequest("provider", "V-1", "2026-05-06")});
  books.MustCommit(AmendApprovedInvoice("INV-2", "80.00", "2026-05-06"));
  REQUIRE(AmendPay(books, "2026-05-07").committed);
  CHECK(AmendMonthFlags(books, "2026-05", "PAYEE_DETAILS_CHANGED").empty());
  CHECK(AmendRecord<rf::PaymentRecord>(books, "PAY-INV-2").payee_ref == kAmendOldIban);
}

TEST_CASE("a direct-payment holder's new details: instalments go to the old ones until a second person confirms") {
  Books books;
  books.Standard();  // B-1: direct payment, monthly from 2 April
  books.MustCommit(
      {rf::ConfigSetDraft("bank.debtor_iban", "GB33BUKB20201555555555", D("2026-04-01"), rf::test::kTester)});
  books.MustCommit({AmendRequest("budget", "B-1", "2026-04-03")});
  const auto april = AmendPay(books, "2026-04-03");
  REQUIRE(april.committed);
  CHECK_THAT(april.xml, !Catch::Contains(kAmendNewIban));
  books.MustCommit({rf::AmendmentConfirmedDraft("AMD-0001", D("2026-04-04"), kAmendBob)});
  CHECK(AmendRecord<rf::BudgetRecord>(books, "B-1").payee_ref == kAmendNewIban);
  const auto may = AmendPay(books, "2026-05-02");
  REQUIRE(may.committed);
  CHECK_THAT(may.xml, Catch::Contains(kAmendNewIban));
  CHECK_FALSE(AmendRecord<rf::AmendmentRecord>(books, "AMD-0001").first_payment_id.empty());
  // A notional budget pays nobody directly: its details are not amended.
  books.MustCommit({Books::Budget("B-N", "POT-A", "100.00", "2026-04-02", "P-1", "notional")});
  CHECK(books.Commit({AmendRequest("budget", "B-N", "2026-05-03", "AMD-0002")}).status().code() ==
        rf::Status::Code::kInvalidInput);
  AmendVerify(books);
}

TEST_CASE("a provider's approval withdrawn stops its payments, and granted again, the next run pays") {
  Books books;
  AmendSetUp(books);
  books.MustCommit(AmendApprovedInvoice("INV-1", "150.00", "2026-05-04"));
  books.MustCommit({rf::ProviderApprovalDraft("V-1", false, "registration lapsed", D("2026-05-04"), kAmendAlice)});
  CHECK_FALSE(AmendRecord<rf::ProviderRecord>(books, "V-1").approved);
  CHECK_FALSE(AmendPay(books, "2026-05-05").committed);
  // Withdrawing it twice says so.
  CHECK(books.Commit({rf::ProviderApprovalDraft("V-1", false, "registration lapsed", D("2026-05-05"), kAmendAlice)})
            .status()
            .code() == rf::Status::Code::kInvalidInput);
  books.MustCommit({rf::ProviderApprovalDraft("V-1", true, "registration renewed", D("2026-05-06"), kAmendAlice)});
  const auto run = AmendPay(books, "2026-05-07");
  REQUIRE(run.committed);
  CHECK(run.plan.payments.size() == 1);
  AmendVerify(books);
}

TEST_CASE("a rejected invoice is never approved or paid, its approval's money is back, and it leaves the aged report") {
  Books books;
  AmendSetUp(books);
  books.MustCommit({rf::InvoiceReceivedDraft({"INV-1", "V-1", "B-1", "therapy", "April", P("40.00"), D("2026-04-02"),
                                              D("2026-04-30"), D("2026-05-02")},
                                             rf::test::kTester),
                    rf::InvoiceReceivedDraft({"INV-3", "V-1", "B-1", "therapy", "May", P("30.00"), D("2026-05-01"),
                                              D("2026-05-31"), D("2026-05-02")},
                                             rf::test::kTester)});
  books.MustCommit(AmendApprovedInvoice("INV-2", "150.00", "2026-05-04"));
  CHECK(books.Balance("budget:B-1") == P("1050.00"));
  books.MustCommit({rf::InvoiceRejectedDraft("INV-1", "duplicate of a paid invoice", D("2026-05-05"), kAmendAlice),
                    rf::InvoiceRejectedDraft("INV-2", "service was not delivered", D("2026-05-05"), kAmendAlice)});
  CHECK(books.Balance("budget:B-1") == P("1200.00"));
  CHECK(books.Balance("payable:B-1:V-1") == P("0.00"));
  CHECK(AmendRecord<rf::InvoiceRecord>(books, "INV-1").state == rf::InvoiceState::kRejected);
  CHECK(AmendRecord<rf::InvoiceRecord>(books, "INV-2").state == rf::InvoiceState::kRejected);
  auto approve = books.Commit({rf::InvoiceApprovedDraft("INV-1", "B-1", "V-1", P("40.00"), D("2026-05-06"),
                                                        rf::test::kTester)});
  CHECK(approve.status().refusal_code() == rf::refusal::kInvoiceNotAwaiting);
  CHECK_FALSE(AmendPay(books, "2026-05-06").committed);

  auto aged = rf::test::Run(AmendCli(books, "finance.manager") +
                            " --format json report aged-invoices --as-of 2026-05-20");
  INFO(aged.output);
  REQUIRE(aged.exit_code == 0);
  CHECK_THAT(aged.output, Catch::Contains("INV-3") && !Catch::Contains("INV-1") && !Catch::Contains("INV-2"));
  // The CLI refuses to approve it too.
  auto cli_approve = rf::test::Run(AmendCli(books, "finance.manager") + " approve invoices INV-1 --date 2026-05-20");
  CHECK(cli_approve.exit_code == 2);
  AmendVerify(books);
}

TEST_CASE("a cancelled payment's money is back where it came from and the next run pays the invoice again") {
  Books books;
  AmendSetUp(books);
  books.MustCommit(AmendApprovedInvoice("INV-1", "150.00", "2026-05-04"));
  books.MustCommit(AmendApprovedInvoice("INV-2", "50.00", "2026-05-04"));
  const auto first = AmendPay(books, "2026-05-05");
  REQUIRE(first.plan.payments.size() == 2);
  CHECK(books.Balance("paid:V-1") == P("200.00"));
  books.MustCommit({rf::PaymentCancelledDraft("PAY-INV-1", "file not yet sent: wrong run", D("2026-05-05"),
                                              kAmendAlice)});
  CHECK(books.Balance("paid:V-1") == P("50.00"));
  CHECK(books.Balance("payable:B-1:V-1") == P("150.00"));
  CHECK(AmendRecord<rf::PaymentRecord>(books, "PAY-INV-1").state == rf::PaymentState::kCancelled);
  CHECK(AmendRecord<rf::InvoiceRecord>(books, "INV-1").state == rf::InvoiceState::kApproved);
  CHECK(AmendRecord<rf::RunRecord>(books, first.plan.run_id).total == P("50.00"));
  // Its file is not written again: it would pay the cancelled payment.
  const auto reissue = rf::CommittedRun(books.ledger(), first.plan.run_id);
  CHECK(reissue.status().code() == rf::Status::Code::kInvalidInput);
  CHECK_THAT(reissue.status().message(), Catch::Contains("PAY-INV-1"));

  // The rest of the run settles by one batch line of what is left.
  rf::BankLineFields line{.statement_id = "STMT-1",
                          .line_id = "1",
                          .account = "GB33BUKB20201555555555",
                          .counterparty_ref = "",
                          .end_to_end_id = "",
                          .batch_id = first.plan.run_id,
                          .description = "batch",
                          .booked_on = D("2026-05-06"),
                          .value_date = std::nullopt,
                          .amount = P("-50.00")};
  books.MustCommit({rf::BankLineDraft(line, rf::test::kTester)});
  books.MustCommit({rf::RunSettledDraft(first.plan.run_id, "STMT-1/1", D("2026-05-06"), rf::test::kTester)});
  CHECK(AmendRecord<rf::PaymentRecord>(books, "PAY-INV-2").state == rf::PaymentState::kSettled);
  CHECK(AmendRecord<rf::PaymentRecord>(books, "PAY-INV-1").state == rf::PaymentState::kCancelled);
  // A settled payment is not cancelled.
  auto settled = books.Commit({rf::PaymentCancelledDraft("PAY-INV-2", "too late now", D("2026-05-07"), kAmendAlice)});
  CHECK(settled.status().refusal_code() == rf::refusal::kPaymentNotCancellable);

  const auto again = AmendPay(books, "2026-05-07");
  REQUIRE(again.plan.payments.size() == 1);
  CHECK(again.plan.payments[0].payment_id == "PAY-INV-1-R1");
  CHECK(books.Balance("paid:V-1") == P("200.00"));
  // Cancelled then rejected: the invoice is never paid again.
  books.MustCommit({rf::PaymentCancelledDraft("PAY-INV-1-R1", "provider asked us to hold it", D("2026-05-08"),
                                              kAmendAlice),
                    rf::InvoiceRejectedDraft("INV-1", "provider withdrew the invoice", D("2026-05-08"), kAmendAlice)});
  CHECK(books.Balance("budget:B-1") == P("1150.00"));
  CHECK_FALSE(AmendPay(books, "2026-05-09").committed);
  AmendVerify(books);
}

TEST_CASE("a cancelled instalment's money is back in the budget and the next run pays it again") {
  Books books;
  books.Standard();
  books.MustCommit(
      {rf::ConfigSetDraft("bank.debtor_iban", "GB33BUKB20201555555555", D("2026-04-01"), rf::test::kTester)});
  const auto run = AmendPay(books, "2026-04-03");
  REQUIRE(!run.plan.payments.empty());
  std::string id;
  for (const auto& p : run.plan.payments) {
    if (p.budget_id == "B-1") id = p.payment_id;
  }
  REQUIRE(!id.empty());
  const rf::Pence budget_before = books.Balance("budget:B-1");
  const rf::Pence amount = AmendRecord<rf::PaymentRecord>(books, id).amount;
  books.MustCommit({rf::PaymentCancelledDraft(id, "holder's account is closed", D("2026-04-03"), kAmendAlice)});
  CHECK(books.Balance("budget:B-1") == budget_before + amount);
  CHECK(books.Balance("dp:B-1") == P("0.00"));
  const auto again = AmendPay(books, "2026-04-04");
  bool repaid = false;
  for (const auto& p : again.plan.payments) repaid = repaid || p.payment_id == id + "-R1";
  CHECK(repaid);
  AmendVerify(books);
}

TEST_CASE("the amend, invoice reject and payment cancel commands: two people, masked details, words for reasons") {
  Books books;
  AmendSetUp(books);
  books.MustCommit(AmendApprovedInvoice("INV-1", "150.00", "2026-05-04"));
  const std::string request = " amend provider V-1 --payee-ref " + std::string(kAmendNewIban) +
                              " --reason 'new account letter' --date 2026-05-04";
  auto asked = rf::test::Run(AmendCli(books, "alice") + request);
  INFO(asked.output);
  REQUIRE(asked.exit_code == 0);
  CHECK_THAT(asked.output, Catch::Contains("AMD-0001") && Catch::Contains("****6819") &&
                               !Catch::Contains(kAmendNewIban));
  auto own = rf::test::Run(AmendCli(books, "alice") + " amend confirm AMD-0001 --date 2026-05-05");
  CHECK(own.exit_code == 2);
  CHECK_THAT(own.output, Catch::Contains("second, different person"));
  CHECK(AmendRecord<rf::ProviderRecord>(books, "V-1").payee_ref == kAmendOldIban);
  auto other = rf::test::Run(AmendCli(books, "bob") + " amend confirm AMD-0001 --date 2026-05-05");
  INFO(other.output);
  CHECK(other.exit_code == 0);
  CHECK(AmendRecord<rf::ProviderRecord>(books, "V-1").payee_ref == kAmendNewIban);
  auto list = rf::test::Run(AmendCli(books, "auditor") + " --format json amend list");
  REQUIRE(list.exit_code == 0);
  CHECK_THAT(list.output, Catch::Contains("confirmed") && !Catch::Contains(kAmendNewIban) &&
                              !Catch::Contains(kAmendOldIban));
  auto bad = rf::test::Run(AmendCli(books, "alice") +
                           " amend provider V-1 --payee-ref GB82WEST12345698765433 --reason 'typo' --date 2026-05-05");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, !Catch::Contains("GB82WEST12345698765433"));

  auto wordless = rf::test::Run(AmendCli(books, "alice") + " invoice reject INV-1 --reason '...' --date 2026-05-05");
  CHECK(wordless.exit_code == 2);
  auto rejected = rf::test::Run(AmendCli(books, "alice") +
                                " invoice reject INV-1 --reason 'service not delivered' --date 2026-05-05");
  INFO(rejected.output);
  CHECK(rejected.exit_code == 0);
  auto unknown = rf::test::Run(AmendCli(books, "alice") + " payment cancel PAY-X --reason 'not ours' --date 2026-05-05");
  CHECK(unknown.exit_code == 2);
  auto exported = rf::test::Run(AmendCli(books, "auditor") + " export --format hledger");
  CHECK(exported.exit_code == 0);
  CHECK_THAT(exported.output, Catch::Contains("invoice.rejected"));
  AmendVerify(books);
}

TEST_CASE("a rejected copy of an invoice raises no DUPLICATE_INVOICE and does not block the original's approval") {
  Books books;
  AmendSetUp(books);
  const auto received = [](const std::string& id, const char* on) {
    return rf::InvoiceReceivedDraft(
        {id, "V-1", "B-1", "therapy", "April", P("40.00"), D("2026-04-02"), D("2026-04-30"), D(on)},
        rf::test::kTester);
  };
  books.MustCommit({received("INV-COPY", "2026-05-02"), received("INV-REAL", "2026-05-03")});
  CHECK(AmendMonthFlags(books, "2026-05", "DUPLICATE_INVOICE").size() == 1);
  books.MustCommit({rf::InvoiceRejectedDraft("INV-COPY", "a copy sent by email", D("2026-05-04"), kAmendAlice)});
  auto approve = rf::test::Run(AmendCli(books, "finance.manager") + " approve invoices INV-REAL --date 2026-05-05");
  INFO(approve.output);
  CHECK(approve.exit_code == 0);
  CHECK(AmendRecord<rf::InvoiceRecord>(books, "INV-REAL").state == rf::InvoiceState::kApproved);
  CHECK(AmendMonthFlags(books, "2026-06", "DUPLICATE_INVOICE").empty());
  AmendVerify(books);
}

namespace {

TEST_CASE("amend, invoice reject and flags explain refuse a date beyond the future-date horizon, one day either side") {
  Books books;
  AmendSetUp(books);
  books.MustCommit(AmendApprovedInvoice("INV-1", "150.00", "2026-05-04"));
  // Today 2026-05-01: the default horizon is 31 days, so 2026-06-01 is the last day allowed.
  const std::string on_day = "RINGFENCE_TODAY=2026-05-01 ";
  auto beyond = rf::test::Run(on_day + AmendCli(books, "alice") +
                              " invoice reject INV-1 --reason 'service not delivered' --date 2026-06-02");
  INFO(beyond.output);
  CHECK(beyond.exit_code == 2);
  CHECK_THAT(beyond.output, Catch::Contains("more than 31 days after today") && Catch::Contains("--future-dated"));
  auto amend = rf::test::Run(on_day + AmendCli(books, "alice") + " amend provider V-1 --payee-ref " +
                             std::string(kAmendNewIban) + " --reason 'new bank account' --date 2026-06-02");
  CHECK(amend.exit_code == 2);
  auto explain = rf::test::Run(on_day + AmendCli(books, "alice") +
                               " flags explain FLAG-NONE --note 'checked with the provider' --date 2026-06-02");
  CHECK(explain.exit_code == 2);
  CHECK_THAT(explain.output, Catch::Contains("more than 31 days after today"));
  // With the reason given, the horizon lets the date through (the flag is then unknown).
  auto allowed = rf::test::Run(on_day + AmendCli(books, "alice") +
                               " flags explain FLAG-NONE --note 'checked with the provider' --date 2026-06-02"
                               " --future-dated 'agreed with the auditor'");
  CHECK(allowed.exit_code == 2);
  CHECK_THAT(allowed.output, !Catch::Contains("more than 31 days after today") && Catch::Contains("FLAG-NONE"));
  auto last_day = rf::test::Run(on_day + AmendCli(books, "alice") +
                                " invoice reject INV-1 --reason 'service not delivered' --date 2026-06-01");
  INFO(last_day.output);
  CHECK(last_day.exit_code == 0);
}

}  // namespace
