// Double-entry accounting through the ledger: entry kinds, the ring-fence
// rules at posting, views in the same transaction, month close, reversals.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "ledger/storage/ledger.h"
#include "ledger/storage/lmdb_env.h"
#include "tests/ledger_fixture.h"
#include "tests/body_util.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::RequireViewsMatchJournal;

namespace {

// A line of statement STMT-1 booked on 2026-05-06 (payments out negative).
rf::EntryDraft BankLine(const std::string& line_id, const char* amount, const char* booked_on = "2026-05-06") {
  return rf::test::StatementLine("STMT-1", line_id, amount, booked_on, "", "PAY-" + line_id);
}

// PAY-1 of run RUN-1 on 2026-05-05: invoice INV-1 (budget B-1, provider V-1), £150.00.
rf::PaymentFields InvoicePayment() {
  rf::PaymentFields pay;
  pay.payment_id = "PAY-1";
  pay.run_id = "RUN-1";
  pay.purpose = "invoice";
  pay.invoice_id = "INV-1";
  pay.budget_id = "B-1";
  pay.provider_id = "V-1";
  pay.amount = P("150.00");
  pay.run_date = D("2026-05-05");
  return pay;
}

}  // namespace

TEST_CASE("a pot is funded, a budget allocated, an invoice approved and paid: balances follow the money flows") {
  Books books;
  books.Standard();
  REQUIRE(books.Balance("funding:test-icb") == -P("15000.00"));
  REQUIRE(books.Balance("pot:POT-A") == P("8800.00"));
  REQUIRE(books.Balance("budget:B-1") == P("1200.00"));

  rf::InvoiceFields inv{"INV-1",     "V-1",           "B-1",           "therapy",      "April sessions",
                        P("150.00"), D("2026-04-01"), D("2026-04-30"), D("2026-05-03")};
  books.MustCommit({rf::InvoiceReceivedDraft(inv, rf::test::kTester),
                    rf::InvoiceApprovedDraft("INV-1", "B-1", "V-1", P("150.00"), D("2026-05-04"), rf::test::kTester)});
  REQUIRE(books.Balance("budget:B-1") == P("1050.00"));
  REQUIRE(books.Balance("payable:B-1:V-1") == P("150.00"));

  rf::PaymentFields pay = InvoicePayment();
  books.MustCommit({rf::PaymentPendingDraft(pay, rf::test::kTester)});
  REQUIRE(books.Balance("payable:B-1:V-1").is_zero());
  REQUIRE(books.Balance("paid:V-1") == P("150.00"));
  books.MustCommit(
      {BankLine("1", "-150.00"), rf::PaymentSettledDraft("PAY-1", "STMT-1/1", D("2026-05-06"), rf::test::kTester)});

  // Paying the same invoice twice is refused.
  pay.payment_id = "PAY-2";
  auto again = books.Commit({rf::PaymentPendingDraft(pay, rf::test::kTester)});
  REQUIRE(again.status().code() == rf::Status::Code::kRefused);
  REQUIRE_THAT(again.status().message(), Catch::Contains("invoice INV-1 is paid"));
  RequireViewsMatchJournal(books);
}

TEST_CASE("a posting that would take a ring-fenced account below zero is refused, naming the account and shortfall") {
  Books books;
  books.Standard();
  const uint64_t size = books.Size();
  auto refused = books.Commit({Books::Move("budget:B-1", "dp:B-1", "1200.01")});
  REQUIRE(refused.status().code() == rf::Status::Code::kRefused);
  REQUIRE(refused.status().exit_code() == 2);
  REQUIRE_THAT(refused.status().message(), Catch::Contains("budget:B-1"));
  REQUIRE_THAT(refused.status().message(), Catch::Contains("short by £0.01"));
  REQUIRE_THAT(refused.status().message(), Catch::Contains("test:"));  // the entry's source
  REQUIRE(books.Size() == size);
  REQUIRE(books.Balance("budget:B-1") == P("1200.00"));
}

TEST_CASE("an override with reason and actor lets a budget go negative and records an OVERSPEND finding") {
  Books books;
  books.Standard();
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "1300.00", "2026-05-01", "urgent crisis support", true)});
  REQUIRE(books.Balance("budget:B-1") == -P("100.00"));
  bool flagged = false;
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& v) {
                return v.ForEach("flag/overspend/", [&](std::string_view, std::string_view value) {
                  flagged = value.find("budget:B-1") != std::string_view::npos &&
                            value.find("urgent crisis support") != std::string_view::npos;
                  return rf::Status::Ok();
                });
              })
              .ok());
  REQUIRE(flagged);
  // Without a reason the override is refused.
  auto refused = books.Commit({Books::Move("pot:POT-A", "budget:B-1", "9000.00", "2026-05-02", "", true)});
  REQUIRE(refused.status().code() == rf::Status::Code::kRefused);
  RequireViewsMatchJournal(books);
}

TEST_CASE("a transfer to external is accepted only with reason and actor, and recorded as diversion") {
  Books books;
  books.Standard();
  auto refused = books.Commit({Books::Move("pot:POT-A", "external:general-fund", "100.00")});
  REQUIRE(refused.status().code() == rf::Status::Code::kRefused);
  REQUIRE_THAT(refused.status().message(), Catch::Contains("reason"));
  books.MustCommit({Books::Move("pot:POT-A", "external:general-fund", "100.00", "2026-05-01", "winter pressures")});
  bool diverted = false;
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& v) {
                return v.ForEach("flag/diversion/", [&](std::string_view, std::string_view value) {
                  diverted = value.find("\"amount\":\"100.00\"") != std::string_view::npos;
                  return rf::Status::Ok();
                });
              })
              .ok());
  REQUIRE(diverted);
}

TEST_CASE("money of one pot never reaches another pot's accounts, and returns only to its own funder") {
  Books books;
  books.Standard();
  REQUIRE(books.Commit({Books::Move("pot:POT-A", "pot:POT-B", "1.00", "2026-05-01", "why not")}).status().code() ==
          rf::Status::Code::kRefused);
  REQUIRE(books.Commit({Books::Move("budget:B-1", "budget:B-2", "1.00", "2026-05-01", "move")}).status().code() ==
          rf::Status::Code::kRefused);
  REQUIRE(books.Commit({Books::Move("pot:POT-A", "funding:someone-else", "1.00", "2026-05-01", "r")}).status().code() ==
          rf::Status::Code::kRefused);
  REQUIRE(books.Commit({Books::Move("pot:POT-A", "funding:test-icb", "1.00")}).status().code() ==
          rf::Status::Code::kRefused);  // a return needs a reason
  books.MustCommit({Books::Move("pot:POT-A", "funding:test-icb", "1.00", "2026-05-01", "year-end return")});
}

TEST_CASE("an account cannot be used before its budget was approved") {
  Books books;
  books.Standard();
  auto early = books.Commit({Books::Move("budget:B-1", "dp:B-1", "1.00", "2026-04-01")});
  REQUIRE(early.status().code() == rf::Status::Code::kRefused);
  REQUIRE_THAT(early.status().message(), Catch::Contains("approved on 2026-04-02"));
}

TEST_CASE("a closed month is locked: entries effective in it are refused") {
  Books books;
  books.Standard();
  books.MustCommit({rf::MonthCloseDraft({2026, 4}, "finance.manager", D("2026-05-03"), rf::test::kTester)});
  auto late = books.Commit({Books::Move("budget:B-1", "dp:B-1", "1.00", "2026-04-30")});
  REQUIRE(late.status().code() == rf::Status::Code::kRefused);
  REQUIRE_THAT(late.status().message(), Catch::Contains("closed month"));
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "1.00", "2026-05-01")});
  // Closing again, or a month that has not ended, is refused.
  REQUIRE(books.Commit({rf::MonthCloseDraft({2026, 4}, "x", D("2026-06-01"), rf::test::kTester)}).status().code() ==
          rf::Status::Code::kRefused);
  REQUIRE(books.Commit({rf::MonthCloseDraft({2026, 6}, "x", D("2026-06-15"), rf::test::kTester)}).status().code() ==
          rf::Status::Code::kRefused);
  RequireViewsMatchJournal(books);
}

TEST_CASE("corrections are reversing entries: exact negation, once") {
  Books books;
  books.Standard();
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "200.00")});
  const uint64_t seq = books.Size();
  auto original = books.ledger().journal().Line(seq);
  REQUIRE(original.ok());
  auto entry = rf::ParseEntryLine(*original);
  REQUIRE(entry.ok());
  auto postings = rf::ParseBodyPostings(entry->draft.body_json);
  REQUIRE(postings.ok());
  books.MustCommit(
      {rf::ReversalDraft(seq, *postings, "posted to the wrong budget", D("2026-05-02"), rf::test::kTester)});
  REQUIRE(books.Balance("budget:B-1") == P("1200.00"));
  REQUIRE(books.Balance("dp:B-1").is_zero());
  auto twice = books.Commit({rf::ReversalDraft(seq, *postings, "again", D("2026-05-02"), rf::test::kTester)});
  REQUIRE(twice.status().code() == rf::Status::Code::kRefused);
  REQUIRE_THAT(twice.status().message(), Catch::Contains("already reversed"));
  // A reversal whose postings are not the exact negation is refused.
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "50.00")});
  auto wrong = rf::ReversalDraft(books.Size(), *postings, "wrong amounts", D("2026-05-02"), rf::test::kTester);
  REQUIRE(books.Commit({wrong}).status().code() == rf::Status::Code::kInvalidInput);
  RequireViewsMatchJournal(books);
}

TEST_CASE("a hand-written typed entry without postings gets the postings its kind requires") {
  Books books;
  books.Standard();
  rf::EntryDraft draft = Books::Budget("B-3", "POT-A", "100.00");
  rf::test::EditBody(&draft, [&](nlohmann::json& b) { b.erase("postings"); });
  books.MustCommit({draft});
  REQUIRE(books.Balance("budget:B-3") == P("100.00"));
  auto line = books.ledger().journal().Line(books.Size());
  REQUIRE_THAT(*line, Catch::Contains("\"postings\":[{\"account\":\"pot:POT-A\",\"amount\":\"-100.00\"}"));
}

TEST_CASE("a dry run checks every rule and writes nothing") {
  Books books;
  books.Standard();
  const uint64_t size = books.Size();
  auto dry = books.Commit({Books::Move("budget:B-1", "dp:B-1", "10.00")}, /*dry_run=*/true);
  REQUIRE(dry.ok());
  REQUIRE_FALSE(dry->committed);
  REQUIRE(books.Size() == size);
  REQUIRE(books.Balance("dp:B-1").is_zero());
}

TEST_CASE("config changes are validated and journalled") {
  Books books;
  REQUIRE(books.Commit({rf::ConfigSetDraft("delay.invoice_days", "21", D("2026-05-01"), rf::test::kTester)}).ok());
  REQUIRE(books.Commit({rf::ConfigSetDraft("delay.invoice_days", "soon", D("2026-05-01"), rf::test::kTester)})
              .status()
              .code() == rf::Status::Code::kInvalidInput);
  REQUIRE(books.Commit({rf::ConfigSetDraft("no.such.key", "1", D("2026-05-01"), rf::test::kTester)}).status().code() ==
          rf::Status::Code::kInvalidInput);
}

TEST_CASE("reference data is created once, and unknown references and kinds are refused") {
  Books books;
  books.Standard();
  REQUIRE(books.Commit({Books::Person("P-1")}).status().code() == rf::Status::Code::kRefused);
  REQUIRE(books.Commit({Books::Budget("B-9", "POT-Z", "1.00")}).status().code() == rf::Status::Code::kRefused);
  rf::EntryDraft odd = Books::Person("P-2");
  odd.kind = "person.teleport";
  REQUIRE(books.Commit({odd}).status().code() == rf::Status::Code::kInvalidInput);
  rf::EntryDraft extra = Books::Person("P-3");
  rf::test::EditBody(&extra, [&](nlohmann::json& b) { b["nhs_number"] = "9434765919"; });
  auto refused = books.Commit({extra});
  REQUIRE_THAT(refused.status().message(), Catch::Contains("body.nhs_number"));
}

TEST_CASE("verify detects a stored view that disagrees with the journal") {
  Books books;
  books.Standard();
  RequireViewsMatchJournal(books);
  {
    const auto& journal = books.ledger().journal();
    auto txn = rf::LmdbTxn::Begin(journal.env(), /*read_only=*/false);
    REQUIRE(txn.ok());
    const std::string key = "bal/budget:B-1", value = "1300.00";
    REQUIRE(txn->Put(journal.dbs().views, MDB_val{key.size(), const_cast<char*>(key.data())},
                     MDB_val{value.size(), const_cast<char*>(value.data())}, 0)
                .ok());
    REQUIRE(txn->Commit().ok());
  }
  auto check = rf::CompareViews(books.ledger().journal());
  REQUIRE(check.status().code() == rf::Status::Code::kTampered);
  REQUIRE_THAT(check.status().message(), Catch::Contains("bal/budget:B-1"));
  REQUIRE_THAT(check.status().message(), Catch::Contains("1300.00"));
}

// The Ledger keeps the views cache of its last commit for the next one; it
// must never serve a value LMDB no longer holds.
TEST_CASE("the views kept between commits are dropped after a refusal, a dry run, or another writer's commit") {
  Books books;
  books.Standard();
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "100.00")});  // the cache now holds budget:B-1

  // A refused batch had already applied its first entry to the cache.
  auto refused = books.Commit({Books::Move("budget:B-1", "dp:B-1", "50.00"), Books::Move("budget:B-1", "dp:B-1", "5000.00")});
  REQUIRE(refused.status().code() == rf::Status::Code::kRefused);
  auto dry = books.Commit({Books::Move("budget:B-1", "dp:B-1", "25.00")}, /*dry_run=*/true);
  REQUIRE(dry.ok());
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "1.00")});
  REQUIRE(books.Balance("budget:B-1") == P("1099.00"));
  RequireViewsMatchJournal(books);

  // Another process commits between two of ours (its own LMDB environment).
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto other = rf::Ledger::Open(books.dir(), /*writable=*/true, rf::JournalOptions{false});
    const bool ok = other.ok() && (*other)->Commit({Books::Move("budget:B-1", "dp:B-1", "99.00")}).ok();
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "1000.00")});  // exactly what the other writer left
  REQUIRE(books.Balance("budget:B-1").is_zero());
  REQUIRE(books.Balance("dp:B-1") == P("1200.00"));
  RequireViewsMatchJournal(books);
}

TEST_CASE("a settlement names a loaded, unused bank line of the payment's amount and date, and marks it matched") {
  Books books;
  books.MustCommit({books.Pot("POT-A", "5000.00"), Books::Person("P-1"), Books::Provider("V-1"),
                    Books::Budget("B-1", "POT-A", "1200.00", "2026-04-02", "P-1", "notional"),
                    Books::Budget("B-2", "POT-A", "1200.00")});
  rf::InvoiceFields inv{"INV-1",     "V-1",           "B-1",           "therapy",      "April sessions",
                        P("150.00"), D("2026-04-01"), D("2026-04-30"), D("2026-05-03")};
  rf::PaymentFields pay = InvoicePayment();
  books.MustCommit({rf::InvoiceReceivedDraft(inv, rf::test::kTester),
                    rf::InvoiceApprovedDraft("INV-1", "B-1", "V-1", P("150.00"), D("2026-05-04"), rf::test::kTester),
                    rf::PaymentPendingDraft(pay, rf::test::kTester)});
  books.MustCommit({BankLine("1", "-149.99"), BankLine("2", "-150.01"), BankLine("3", "150.00"),
                    BankLine("4", "-150.00", "2026-05-07"), BankLine("5", "-150.00")});
  const uint64_t size = books.Size();
  auto refused = [&](const std::string& line, const char* booked_on, const char* says) {
    auto r = books.Commit({rf::PaymentSettledDraft("PAY-1", line, D(booked_on), rf::test::kTester)});
    INFO(line);
    REQUIRE(r.status().code() == rf::Status::Code::kRefused);
    CHECK_THAT(r.status().message(), Catch::Contains(says));
  };
  refused("STMT-1/9", "2026-05-06", "bank line STMT-1/9 is not on any statement loaded");
  refused("STMT-1/1", "2026-05-06", "moves -£149.99, but payment PAY-1 pays out £150.00");  // a penny short
  refused("STMT-1/2", "2026-05-06", "moves -£150.01");                                        // a penny over
  refused("STMT-1/3", "2026-05-06", "moves £150.00");  // money in, not out
  refused("STMT-1/4", "2026-05-06", "is booked on 2026-05-07, not on 2026-05-06");
  CHECK(books.Size() == size);

  books.MustCommit({rf::PaymentSettledDraft("PAY-1", "STMT-1/5", D("2026-05-06"), rf::test::kTester)});
  const auto line = books.Record("bankline/STMT-1/5");
  REQUIRE(line.has_value());
  CHECK((*line)["state"] == "matched");
  CHECK((*line)["payment_id"] == "PAY-1");
  // A payment settles once; a line settles one payment.
  auto twice = books.Commit({rf::PaymentSettledDraft("PAY-1", "STMT-1/4", D("2026-05-07"), rf::test::kTester)});
  CHECK_THAT(twice.status().message(), Catch::Contains("payment PAY-1 is already settled"));
  pay.payment_id = "PAY-2";
  pay.purpose = "instalment";
  pay.invoice_id.clear();
  pay.provider_id.clear();
  pay.budget_id = "B-2";
  books.MustCommit({rf::PaymentPendingDraft(pay, rf::test::kTester)});
  auto reused = books.Commit({rf::PaymentSettledDraft("PAY-2", "STMT-1/5", D("2026-05-06"), rf::test::kTester)});
  CHECK_THAT(reused.status().message(), Catch::Contains("bank line STMT-1/5 already settles payment PAY-1"));
  RequireViewsMatchJournal(books);
}
