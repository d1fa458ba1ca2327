// Settlement guarded where it is applied (payment.settled): a whole payment
// run against one batch bank line. Single-payment settlement is tested in
// accounting_test.cc.
#include <catch2/catch.hpp>

#include "tests/ledger_fixture.h"
#include "tests/body_util.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::RequireViewsMatchJournal;

namespace {

// A line of statement BATCH-1 (payments out negative).
rf::EntryDraft BatchLine(const std::string& line_id, const char* amount, const char* booked_on = "2026-05-06") {
  return rf::test::StatementLine("BATCH-1", line_id, amount, booked_on, "", "", "RUN-1");
}

// Run RUN-1 on 2026-05-05: PAY-1 (invoice INV-1, £150.00) and PAY-2 (an
// instalment of B-2, £100.00): £250.00 in all. Lines: 1 is -£249.99, 2 is
// -£250.01, 3 and 4 are -£250.00, 5 is -£150.00 (PAY-1 alone).
void LoadRun(Books& books) {
  books.MustCommit({books.Pot("POT-A", "5000.00"), Books::Person("P-1"), Books::Provider("V-1"),
                    Books::Budget("B-1", "POT-A", "1200.00", "2026-04-02", "P-1", "notional"),
                    Books::Budget("B-2", "POT-A", "1200.00")});
  rf::InvoiceFields inv{"INV-1",     "V-1",           "B-1",           "therapy",      "April sessions",
                        P("150.00"), D("2026-04-01"), D("2026-04-30"), D("2026-05-03")};
  rf::PaymentFields invoice_payment;
  invoice_payment.payment_id = "PAY-1";
  invoice_payment.run_id = "RUN-1";
  invoice_payment.purpose = "invoice";
  invoice_payment.invoice_id = "INV-1";
  invoice_payment.budget_id = "B-1";
  invoice_payment.provider_id = "V-1";
  invoice_payment.amount = P("150.00");
  invoice_payment.run_date = D("2026-05-05");
  rf::PaymentFields instalment = invoice_payment;
  instalment.payment_id = "PAY-2";
  instalment.purpose = "instalment";
  instalment.invoice_id.clear();
  instalment.provider_id.clear();
  instalment.budget_id = "B-2";
  instalment.amount = P("100.00");
  books.MustCommit({rf::InvoiceReceivedDraft(inv, rf::test::kTester),
                    rf::InvoiceApprovedDraft("INV-1", "B-1", "V-1", P("150.00"), D("2026-05-04"), rf::test::kTester),
                    rf::PaymentPendingDraft(invoice_payment, rf::test::kTester),
                    rf::PaymentPendingDraft(instalment, rf::test::kTester)});
  books.MustCommit({BatchLine("1", "-249.99"), BatchLine("2", "-250.01"), BatchLine("3", "-250.00"),
                    BatchLine("4", "-250.00"), BatchLine("5", "-150.00")});
}

rf::Result<rf::CommitResult> SettleRun1(Books& books, const std::string& line) {
  return books.Commit({rf::RunSettledDraft("RUN-1", line, D("2026-05-06"), rf::test::kTester)});
}

void RequireRefused(Books& books, const rf::Result<rf::CommitResult>& r, uint64_t size, const std::string& says) {
  REQUIRE(r.status().code() == rf::Status::Code::kRefused);
  CHECK_THAT(r.status().message(), Catch::Contains(says));
  CHECK(books.Size() == size);
}

}  // namespace

TEST_CASE("a batch line settles every payment of its run in one entry and is marked matched") {
  Books books;
  LoadRun(books);
  books.MustCommit({rf::RunSettledDraft("RUN-1", "BATCH-1/3", D("2026-05-06"), rf::test::kTester)});
  const auto line = books.Record("bankline/BATCH-1/3");
  REQUIRE(line.has_value());
  CHECK((*line)["state"] == "matched");
  CHECK((*line)["run_id"] == "RUN-1");
  for (const char* id : {"payment/PAY-1", "payment/PAY-2"}) {
    const auto payment = books.Record(id);
    REQUIRE(payment.has_value());
    CHECK((*payment)["state"] == "settled");
    CHECK((*payment)["bank_line_id"] == "BATCH-1/3");
    CHECK((*payment)["settled_on"] == "2026-05-06");
  }
  const auto run = books.Record("run/RUN-1");
  REQUIRE(run.has_value());
  CHECK((*run)["state"] == "settled");
  CHECK((*run)["total"] == "250.00");
  CHECK((*run)["payments"] == 2);
  RequireViewsMatchJournal(books);
}

TEST_CASE("a batch settlement naming a bank line not on any loaded statement is refused") {
  Books books;
  LoadRun(books);
  const uint64_t size = books.Size();
  RequireRefused(books, SettleRun1(books, "BATCH-1/9"), size, "bank line BATCH-1/9 is not on any statement loaded");
}

TEST_CASE("a batch line a penny short of the run's total is refused") {
  Books books;
  LoadRun(books);
  const uint64_t size = books.Size();
  RequireRefused(books, SettleRun1(books, "BATCH-1/1"), size,
                 "bank line BATCH-1/1 moves -£249.99, but payment run RUN-1 pays out £250.00 in 2 payments");
}

TEST_CASE("a batch line a penny over the run's total is refused") {
  Books books;
  LoadRun(books);
  const uint64_t size = books.Size();
  RequireRefused(books, SettleRun1(books, "BATCH-1/2"), size, "moves -£250.01, but payment run RUN-1 pays out £250.00");
}

TEST_CASE("a batch line already used is refused, whether it settled a run or a payment") {
  Books books;
  LoadRun(books);
  books.MustCommit({rf::RunSettledDraft("RUN-1", "BATCH-1/3", D("2026-05-06"), rf::test::kTester)});
  const uint64_t size = books.Size();
  // The line of a run cannot settle a single payment either.
  auto single = books.Commit({rf::PaymentSettledDraft("PAY-1", "BATCH-1/3", D("2026-05-06"), rf::test::kTester)});
  RequireRefused(books, single, size, "payment PAY-1 is already settled");

  Books other;
  LoadRun(other);
  other.MustCommit({rf::PaymentSettledDraft("PAY-1", "BATCH-1/5", D("2026-05-06"), rf::test::kTester)});
  const uint64_t other_size = other.Size();
  RequireRefused(other, SettleRun1(other, "BATCH-1/5"), other_size, "bank line BATCH-1/5 already settles payment PAY-1");
}

TEST_CASE("a run settles once: a second batch line for the same run is refused") {
  Books books;
  LoadRun(books);
  books.MustCommit({rf::RunSettledDraft("RUN-1", "BATCH-1/3", D("2026-05-06"), rf::test::kTester)});
  const uint64_t size = books.Size();
  RequireRefused(books, SettleRun1(books, "BATCH-1/4"), size, "payment run RUN-1 is already settled by bank line BATCH-1/3");
  // Nor does a payment join a settled run.
  rf::PaymentFields late;
  late.payment_id = "PAY-3";
  late.run_id = "RUN-1";
  late.purpose = "instalment";
  late.budget_id = "B-2";
  late.amount = P("1.00");
  late.run_date = D("2026-05-06");
  RequireRefused(books, books.Commit({rf::PaymentPendingDraft(late, rf::test::kTester)}), size,
                 "payment run RUN-1 is already settled: payment PAY-3 cannot join it");
}

TEST_CASE("a batch settlement of a run no payment names is refused") {
  Books books;
  LoadRun(books);
  const uint64_t size = books.Size();
  auto r = books.Commit({rf::RunSettledDraft("RUN-9", "BATCH-1/3", D("2026-05-06"), rf::test::kTester)});
  RequireRefused(books, r, size, "payment run RUN-9 is not in this ledger");
}

TEST_CASE("a run with a payment already settled on its own is refused as a batch, and the line stays unused") {
  Books books;
  LoadRun(books);
  books.MustCommit({rf::PaymentSettledDraft("PAY-1", "BATCH-1/5", D("2026-05-06"), rf::test::kTester)});
  const uint64_t size = books.Size();
  // -£250.00 is the run's total; PAY-1 is settled, so the line would pay it twice.
  RequireRefused(books, SettleRun1(books, "BATCH-1/3"), size,
                 "payment run RUN-1 is partly settled: payment PAY-1 is already settled on its own");
  const auto line = books.Record("bankline/BATCH-1/3");
  REQUIRE(line.has_value());
  CHECK((*line)["state"] == "unmatched");
  RequireViewsMatchJournal(books);
}

TEST_CASE("a settlement naming both a payment and a run is refused naming the member") {
  Books books;
  LoadRun(books);
  rf::EntryDraft both = rf::RunSettledDraft("RUN-1", "BATCH-1/3", D("2026-05-06"), rf::test::kTester);
  rf::test::EditBody(&both, [&](nlohmann::json& b) { b["payment_id"] = "PAY-1"; });
  auto r = books.Commit({both});
  REQUIRE(r.status().code() == rf::Status::Code::kInvalidInput);
  CHECK_THAT(r.status().message(), Catch::Contains("body.run_id: a settlement names a payment or a run, not both"));
}
