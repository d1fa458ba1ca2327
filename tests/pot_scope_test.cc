// Which pot an account's postings are scoped to (ledger/core/pot_scope.h),
// the one rule ApplyPostings, the ring-fence rules and the HTML report's
// month-end pot figures read an entry's pot by: every account type.
#include "ledger/core/pot_scope.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "ledger/core/account.h"
#include "ledger/core/views.h"

namespace {

rf::Account PotScopeAccount(const std::string& text) {
  auto a = rf::ParseAccount(text, "account");
  INFO(text);
  REQUIRE(a.ok());
  return *a;
}

}  // namespace

TEST_CASE("an account is scoped to its own pot, its budget's pot, or none: every account type") {
  struct Row {
    const char* account;
    const char* pot;           // expected scope
    const char* budget_asked;  // the budget whose pot is looked up; "" when none is
  };
  const std::vector<Row> rows = {
      {"pot:POT-A", "POT-A", ""},
      {"budget:B-1", "POT-OF-B-1", "B-1"},
      {"payable:B-1:V-1", "POT-OF-B-1", "B-1"},
      {"dp:B-1", "POT-OF-B-1", "B-1"},
      {"spent:B-1:therapy", "POT-OF-B-1", "B-1"},
      {"funding:ORG-1", "", ""},
      {"paid:V-1", "", ""},
      {"external:council", "", ""},
  };
  std::vector<rf::AccountType> seen;
  for (const Row& row : rows) {
    INFO(row.account);
    const rf::Account account = PotScopeAccount(row.account);
    seen.push_back(account.type);
    std::vector<std::string> asked;
    auto pot = rf::PotOfAccount(account, [&](const std::string& budget) -> rf::Result<std::string> {
      asked.push_back(budget);
      return "POT-OF-" + budget;
    });
    REQUIRE(pot.ok());
    CHECK(*pot == row.pot);
    if (std::string(row.budget_asked).empty()) {
      CHECK(asked.empty());
    } else {
      CHECK(asked == std::vector<std::string>{row.budget_asked});
    }
  }
  // Every account type has its row.
  std::sort(seen.begin(), seen.end());
  CHECK(std::unique(seen.begin(), seen.end()) == seen.end());
  CHECK(seen.size() == rf::kAccountTypes);
}

TEST_CASE("an account of a budget whose pot cannot be found is scoped to nothing: the lookup's error is returned") {
  auto lookup = [](const std::string& budget) -> rf::Result<std::string> {
    return rf::Status::Tampered("no budget " + budget);
  };
  auto pot = rf::PotOfAccount(PotScopeAccount("payable:B-7:V-1"), lookup);
  REQUIRE_FALSE(pot.ok());
  CHECK(pot.status().message() == "no budget B-7");
  // Accounts of no budget never ask, so the failing lookup does not matter.
  auto own = rf::PotOfAccount(PotScopeAccount("pot:POT-A"), lookup);
  REQUIRE(own.ok());
  CHECK(*own == "POT-A");
  auto none = rf::PotOfAccount(PotScopeAccount("external:council"), lookup);
  REQUIRE(none.ok());
  CHECK(none->empty());
}
