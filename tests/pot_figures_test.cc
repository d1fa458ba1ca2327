// A pot's figures from its net movement per account type
// (reconcile/reports.h PotFiguresOf), the one mapping the pots report and the
// HTML report's month-end pot charts share: every account type, one at a time.
#include <catch2/catch.hpp>
#include <vector>

#include "ledger/core/account.h"
#include "ledger/core/views.h"
#include "reconcile/reports.h"

namespace {

rf::Pence PotFigP(int64_t pence) { return rf::Pence::FromPence(pence); }

}  // namespace

TEST_CASE("a pot's figures from its movement on each account type: funded, allocated, committed, paid, spent, unallocated, diverted") {
  using T = rf::AccountType;
  // 1p moved on one account type: which figures it makes (0 or +-1p).
  struct Row {
    T type;
    int funded, allocated, committed, paid, spent, unallocated, diverted;
  };
  const std::vector<Row> rows = {
      {T::kFunding, -1, 0, 0, 0, 0, 0, 0}, {T::kPot, 0, 0, 0, 0, 0, 1, 0},      {T::kBudget, 0, 1, 0, 0, 0, 0, 0},
      {T::kPayable, 0, 1, 1, 0, 0, 0, 0},  {T::kDp, 0, 1, 0, 1, 0, 0, 0},       {T::kPaid, 0, 1, 0, 1, 1, 0, 0},
      {T::kSpent, 0, 1, 0, 1, 1, 0, 0},    {T::kExternal, 0, 0, 0, 0, 0, 0, 1},
  };
  REQUIRE(rows.size() == rf::kAccountTypes);
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    REQUIRE(static_cast<size_t>(row.type) == i);  // one row a type, in order
    INFO("account type " << i);
    rf::TypeTotals net;
    net[row.type] = PotFigP(1);
    const rf::PotFigures f = rf::PotFiguresOf(net);
    CHECK(f.funded == PotFigP(row.funded));
    CHECK(f.allocated == PotFigP(row.allocated));
    CHECK(f.committed == PotFigP(row.committed));
    CHECK(f.paid == PotFigP(row.paid));
    CHECK(f.spent == PotFigP(row.spent));
    CHECK(f.unallocated == PotFigP(row.unallocated));
    CHECK(f.diverted == PotFigP(row.diverted));
  }
}

TEST_CASE("a pot's figures of balanced movements keep funded = unallocated + allocated + diverted") {
  using T = rf::AccountType;
  rf::TypeTotals net;
  net[T::kFunding] = PotFigP(-100000);  // funded £1,000.00
  net[T::kPot] = PotFigP(40000);
  net[T::kBudget] = PotFigP(30000);
  net[T::kPayable] = PotFigP(10000);
  net[T::kDp] = PotFigP(5000);
  net[T::kPaid] = PotFigP(10000);
  net[T::kSpent] = PotFigP(2000);
  net[T::kExternal] = PotFigP(3000);
  const rf::PotFigures f = rf::PotFiguresOf(net);
  CHECK(f.funded == PotFigP(100000));
  CHECK(f.allocated == PotFigP(57000));
  CHECK(f.committed == PotFigP(10000));
  CHECK(f.paid == PotFigP(17000));
  CHECK(f.spent == PotFigP(12000));
  CHECK(f.funded == f.unallocated + f.allocated + f.diverted);
  // One penny more diverted and not funded breaks it.
  net[T::kExternal] = PotFigP(3001);
  const rf::PotFigures off = rf::PotFiguresOf(net);
  CHECK(off.funded != off.unallocated + off.allocated + off.diverted);
}
