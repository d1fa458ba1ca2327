// An entry dated before its budget was approved is refused
// (BEFORE_BUDGET_APPROVED), because replayed as of its own date (report
// --as-of, month-end views, reconcile --check) it would name a budget that
// does not exist yet. Reproduced first: an invoice received the day before
// its budget's approval was accepted live and then `report --as-of` that
// day failed ("entry N cannot be replayed: budget B-1 is not known").
// Postings (transfers, DP returns) and reviews were already refused.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "ledger/core/rules.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::kTester;
using rf::test::P;

namespace {

// B-1 is approved on 2026-04-02 (Books::Standard).
rf::EntryDraft ApprovalDatesInvoice(const char* received_on) {
  return rf::InvoiceReceivedDraft(
      {"INV-1", "V-1", "B-1", "therapy", "sessions", P("150.00"), D("2026-04-01"), D("2026-04-01"), D(received_on)},
      kTester);
}

}  // namespace

TEST_CASE("an invoice received the day before its budget's approval is refused, and on the day accepted") {
  Books books;
  books.Standard();
  const uint64_t size = books.Size();
  auto refused = books.Commit({ApprovalDatesInvoice("2026-04-01")});
  INFO(refused.status().message());
  REQUIRE(refused.status().code() == rf::Status::Code::kRefused);
  CHECK(refused.status().refusal_code() == std::string(rf::refusal::kBeforeBudgetApproved));
  CHECK_THAT(refused.status().message(),
             Catch::Contains("invoice INV-1 names budget B-1, approved on 2026-04-02, after this entry's date "
                             "2026-04-01"));
  CHECK(books.Size() == size);

  books.MustCommit({ApprovalDatesInvoice("2026-04-02")});
  CHECK(books.Size() == size + 1);
}

TEST_CASE("every entry naming a budget replays as of its own date, one day either side of the approval") {
  // What broke: the ledger accepted an entry that no as-of replay could
  // read. Each kind that names a budget, dated on the approval day, replays
  // as of that day; dated the day before, it is refused.
  Books books;
  books.Standard();
  books.MustCommit({ApprovalDatesInvoice("2026-04-02"), Books::Move("budget:B-1", "dp:B-1", "1.00", "2026-04-02")});
  for (const char* as_of : {"2026-04-02", "2026-04-03"}) {
    auto replayed = rf::RebuildViews(books.ledger().journal(), D(as_of));
    INFO(as_of << ": " << replayed.status().message());
    CHECK(replayed.ok());
  }
  auto before = books.Commit({Books::Move("budget:B-1", "dp:B-1", "1.00", "2026-04-01")});
  CHECK(before.status().refusal_code() == std::string(rf::refusal::kBeforeBudgetApproved));
}
