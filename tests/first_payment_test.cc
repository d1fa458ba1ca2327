// A budget's first payment (DELAY_FIRST_PAYMENT, equality's days to first
// payment, `report budgets`' "First paid") is its earliest live payment: a
// cancelled or returned first payment gives way to the budget's next live
// one, or to none until a payment (a repayment) pays it. Through the real
// commands: `pay` (MakePaymentRun), `payment cancel`, `reconcile --month`
// (which records settlements and returns), and verify's replay.
#include <lmdb.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/core/records.h"
#include "ledger/payments/payment_run.h"
#include "ledger/storage/lmdb_env.h"
#include "ledger/storage/views_store.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::RequireViewsMatchJournal;

namespace {

constexpr char kFirstPayPayee[] = "GB82WEST12345698765432";  // Books' provider payee

std::string FirstPayCli(Books& books, const std::string& actor = "finance.manager") {
  return std::string(RF_RINGFENCE_BIN) + " --actor " + actor + " --ledger " + rf::test::Quote(books.dir());
}

// Pot, person, provider V-1 and notional budget B-9 approved (and started)
// on `approved_on`: paid through invoices only, so no instalments.
void FirstPaySetUp(Books& books, const char* approved_on) {
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Provider("V-1"),
                    Books::Budget("B-9", "POT-A", "1200.00", approved_on, "P-1", "notional"),
                    rf::ConfigSetDraft("bank.debtor_iban", "GB29NWBK60161331926819", D("2026-04-01"),
                                       rf::test::kTester)});
}

// An invoice for B-9 from V-1, received and approved on `on`.
void FirstPayInvoice(Books& books, const std::string& id, const char* amount, const char* on) {
  books.MustCommit({rf::InvoiceReceivedDraft({id, "V-1", "B-9", "therapy", "May", P(amount), D("2026-05-01"),
                                              D("2026-05-31"), D(on)},
                                             rf::test::kTester),
                    rf::InvoiceApprovedDraft(id, "B-9", "V-1", P(amount), D(on), rf::test::kTester)});
}

void FirstPayRun(Books& books, const char* on) {
  auto run = rf::MakePaymentRun(books.ledger(), D(on), {"tester", "pay"}, false);
  INFO(run.status().message());
  REQUIRE(run.ok());
}

rf::BudgetRecord FirstPayBudget(Books& books) {
  return rf::test::MustStoredRecord<rf::BudgetRecord>(books, "B-9");
}

rf::PaymentRecord FirstPayPayment(Books& books, const std::string& id) {
  return rf::test::MustStoredRecord<rf::PaymentRecord>(books, id);
}

void FirstPayCancel(Books& books, const std::string& payment_id, const char* on) {
  auto cancelled = rf::test::Run(FirstPayCli(books, "alice") + " payment cancel " + payment_id +
                                 " --reason 'sent to the wrong account' --date " + on);
  INFO(cancelled.output);
  REQUIRE(cancelled.exit_code == 0);
}

// The two approval days the cancelled and returned cases run from, either
// side of DELAY_FIRST_PAYMENT's 14 days unpaid at 31 May.
struct FirstPayApproval {
  const char* approved_on;
  bool flagged;  // at 31 May
};
constexpr FirstPayApproval kFirstPayApprovals[] = {{"2026-05-16", true}, {"2026-05-17", false}};

// B-9 approved on `approved_on` and first paid on 20 May: INV-1 (150.00,
// approved 18 May) paid as PAY-INV-1 by the run of 20 May.
void FirstPayPaidOn20May(Books& books, const char* approved_on) {
  FirstPaySetUp(books, approved_on);
  FirstPayInvoice(books, "INV-1", "150.00", "2026-05-18");
  FirstPayRun(books, "2026-05-20");
  const rf::PaymentRecord paid = FirstPayPayment(books, "PAY-INV-1");
  const rf::BudgetRecord budget = FirstPayBudget(books);
  REQUIRE(budget.first_payment_on == D("2026-05-20"));
  CHECK(budget.first_payment_seq == paid.seq);
}

// The month's DELAY_FIRST_PAYMENT flag for B-9 (reconcile --month, JSON);
// null when not raised.
nlohmann::json FirstPayFlag(Books& books, const std::string& month) {
  auto run = rf::test::Run(FirstPayCli(books) + " --format json reconcile --month " + month);
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const auto j = nlohmann::json::parse(run.output);
  for (const auto& f : j["flags"]) {
    if (f["id"] == "DELAY_FIRST_PAYMENT/budget:B-9") return f;
  }
  return nullptr;
}

// B-9's stored record with `payments` set to `count`, behind the ledger's
// back (a bad disk, or someone editing data.mdb).
void FirstPaySetChainCount(Books& books, uint64_t count) {
  const rf::Journal& journal = books.ledger().journal();
  auto txn = rf::LmdbTxn::Begin(journal.env(), /*read_only=*/false);
  REQUIRE(txn.ok());
  rf::ViewsStore store(&*txn, journal.dbs());
  const std::string key = rf::RecordKey(rf::RecordKind::kBudget, "B-9");
  auto value = store.Get(key);
  REQUIRE(value.ok());
  REQUIRE(value->has_value());
  nlohmann::json record = nlohmann::json::parse(**value);
  record["payments"] = count;
  REQUIRE(store.Put(key, record.dump()).ok());
  REQUIRE(txn->Commit().ok());
}

}  // namespace

TEST_CASE("a budget whose only first payment is cancelled is unpaid: flagged 15 days after approval, not 14") {
  for (const FirstPayApproval row : kFirstPayApprovals) {
    INFO(std::string("approved ") + row.approved_on);
    Books books;
    FirstPayPaidOn20May(books, row.approved_on);

    FirstPayCancel(books, "PAY-INV-1", "2026-05-21");
    CHECK(FirstPayPayment(books, "PAY-INV-1").state == rf::PaymentState::kCancelled);
    const rf::BudgetRecord budget = FirstPayBudget(books);
    CHECK_FALSE(budget.first_payment_on.has_value());
    CHECK_FALSE(budget.first_payment_seq.has_value());
    CHECK(budget.payments == 1);
    CHECK(budget.last_payment_id == "PAY-INV-1");

    const nlohmann::json flag = FirstPayFlag(books, "2026-05");
    CHECK(flag.is_null() == !row.flagged);
    if (!flag.is_null()) {
      CHECK(flag["amount_at_stake"] == "1200.00");
      CHECK_THAT(flag["sentence"].get<std::string>(), Catch::Contains("15 days") && !Catch::Contains("first paid"));
    }
    // The report's "First paid" column is empty again.
    auto report = rf::test::Run(FirstPayCli(books) + " --format csv report budgets");
    INFO(report.output);
    CHECK(report.exit_code == 0);
    CHECK_THAT(report.output, !Catch::Contains("2026-05-20"));
    RequireViewsMatchJournal(books);
  }
}

TEST_CASE("a budget whose only first payment the bank returned is unpaid until the repayment, which it counts from") {
  for (const FirstPayApproval row : kFirstPayApprovals) {
    INFO(std::string("approved ") + row.approved_on);
    Books books;
    FirstPayPaidOn20May(books, row.approved_on);
    // Settled Thu 21 May by end-to-end id, back on Fri 22 May: reconcile
    // records both.
    rf::BankLineFields out, back;
    out.statement_id = back.statement_id = "STMT-F";
    out.account = back.account = "GB33BUKB20201555555555";
    out.line_id = "1";
    out.booked_on = D("2026-05-21");
    out.amount = P("-150.00");
    out.counterparty_ref = kFirstPayPayee;
    out.end_to_end_id = "PAY-INV-1";
    out.description = "payment";
    back.line_id = "2";
    back.booked_on = D("2026-05-22");
    back.amount = P("150.00");
    back.counterparty_ref = kFirstPayPayee;
    back.description = "returned";
    books.MustCommit({rf::BankLineDraft(out, rf::test::kTester), rf::BankLineDraft(back, rf::test::kTester)});

    const nlohmann::json flag = FirstPayFlag(books, "2026-05");
    REQUIRE(FirstPayPayment(books, "PAY-INV-1").state == rf::PaymentState::kReturned);
    CHECK_FALSE(FirstPayBudget(books).first_payment_on.has_value());
    CHECK(flag.is_null() == !row.flagged);
    CHECK(FirstPayFlag(books, "2026-05").is_null() == !row.flagged);  // a rerun says the same

    // The next run pays the invoice again (PAY-INV-1-R1): the budget is
    // first paid on 3 June, 18 or 17 days after approval, flagged in June.
    FirstPayRun(books, "2026-06-03");
    const rf::PaymentRecord repaid = FirstPayPayment(books, "PAY-INV-1-R1");
    CHECK(repaid.budget_prev == "PAY-INV-1");
    const rf::BudgetRecord budget = FirstPayBudget(books);
    CHECK(budget.first_payment_on == D("2026-06-03"));
    CHECK(budget.first_payment_seq == repaid.seq);
    CHECK(budget.payments == 2);
    const nlohmann::json june = FirstPayFlag(books, "2026-06");
    REQUIRE_FALSE(june.is_null());
    CHECK_THAT(june["sentence"].get<std::string>(), Catch::Contains("first paid on 2026-06-03"));
    RequireViewsMatchJournal(books);
  }
}

TEST_CASE("a cancelled first payment gives way to the budget's next live payment, and the flag counts from it") {
  struct Row {
    const char* second_run;
    bool flagged;  // approved 1 May: 14 or 15 days to the second run
  };
  for (const Row row : {Row{"2026-05-15", false}, Row{"2026-05-16", true}}) {
    INFO(std::string("second run ") + row.second_run);
    Books books;
    FirstPaySetUp(books, "2026-05-01");
    FirstPayInvoice(books, "INV-1", "150.00", "2026-05-04");
    FirstPayRun(books, "2026-05-05");
    FirstPayInvoice(books, "INV-2", "80.00", "2026-05-06");
    FirstPayRun(books, row.second_run);
    FirstPayInvoice(books, "INV-3", "20.00", "2026-05-17");
    FirstPayRun(books, "2026-05-18");
    const rf::PaymentRecord second = FirstPayPayment(books, "PAY-INV-2");
    CHECK(second.budget_prev == "PAY-INV-1");
    CHECK(FirstPayPayment(books, "PAY-INV-3").budget_prev == "PAY-INV-2");
    REQUIRE(FirstPayBudget(books).first_payment_on == D("2026-05-05"));
    CHECK(FirstPayFlag(books, "2026-05").is_null());

    // Cancelling a later payment leaves the first as it is.
    FirstPayCancel(books, "PAY-INV-3", "2026-05-19");
    CHECK(FirstPayBudget(books).first_payment_on == D("2026-05-05"));

    FirstPayCancel(books, "PAY-INV-1", "2026-05-19");
    const rf::BudgetRecord budget = FirstPayBudget(books);
    CHECK(budget.first_payment_on == D(row.second_run));
    CHECK(budget.first_payment_seq == second.seq);
    CHECK(budget.payments == 3);

    const nlohmann::json flag = FirstPayFlag(books, "2026-05");
    CHECK(flag.is_null() == !row.flagged);
    if (!flag.is_null()) {
      CHECK_THAT(flag["sentence"].get<std::string>(), Catch::Contains("first paid on 2026-05-16, 15 days later"));
    }
    // Its last live payment cancelled too: nothing pays it.
    FirstPayCancel(books, "PAY-INV-2", "2026-05-19");
    CHECK_FALSE(FirstPayBudget(books).first_payment_on.has_value());
    CHECK_FALSE(FirstPayFlag(books, "2026-05").is_null());  // 30 days unpaid at 31 May
    RequireViewsMatchJournal(books);
  }
}

TEST_CASE("a budget's payment chain that disagrees with its count is damage when its first payment is cancelled") {
  struct Row {
    uint64_t count;
    const char* naming;
  };
  for (const Row row : {Row{1, "its count disagrees with its payments"}, Row{3, "do not chain back to its first"}}) {
    INFO(row.count);
    Books books;
    FirstPaySetUp(books, "2026-05-01");
    FirstPayInvoice(books, "INV-1", "150.00", "2026-05-04");
    FirstPayRun(books, "2026-05-05");
    FirstPayInvoice(books, "INV-2", "80.00", "2026-05-06");
    FirstPayRun(books, "2026-05-07");
    REQUIRE(FirstPayBudget(books).payments == 2);
    FirstPaySetChainCount(books, row.count);
    const uint64_t size = books.Size();
    auto cancelled = rf::test::Run(FirstPayCli(books, "alice") +
                                   " payment cancel PAY-INV-1 --reason 'sent to the wrong account' --date 2026-05-08");
    INFO(cancelled.output);
    CHECK(cancelled.exit_code == 1);
    CHECK_THAT(cancelled.output, Catch::Contains("view budget/B-9") && Catch::Contains(row.naming));
    CHECK(books.Size() == size);
  }
}
