// Rule 1 at every effective date: a ring-fenced balance never goes below zero
// on any date, back-dated entries included (issue 16, item 4).
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "ledger/core/rules.h"
#include "tests/ledger_fixture.h"

namespace {

using rf::test::Books;
using rf::test::D;
using rf::test::P;

// The balance of `account` in the views rebuilt as of `as_of` (end of day).
rf::Pence DatedBalanceAsOf(Books& books, const std::string& account, const char* as_of) {
  auto views = rf::RebuildViews(books.ledger().journal(), D(as_of));
  INFO(views.status().message());
  REQUIRE(views.ok());
  auto value = views->Get("bal/" + account);
  REQUIRE(value.ok());
  if (!value->has_value()) return rf::Pence();
  return *rf::ParseBalanceAmount(**value, "balance");
}

// B-2 (POT-B, 600.00 approved 2026-04-02) with an instalment of 300.00 into
// dp:B-2 on 2026-05-01.
void FundDpOnMay1(Books& books) {
  books.Standard();
  books.MustCommit({Books::Move("budget:B-2", "dp:B-2", "300.00", "2026-05-01")});
}

}  // namespace

TEST_CASE("a transfer out of dp dated before the instalment that funds it is refused") {
  Books books;
  FundDpOnMay1(books);
  auto r = books.Commit({Books::Move("dp:B-2", "pot:POT-B", "300.00", "2026-04-15", "surplus recovered")});
  INFO(r.status().message());
  CHECK_FALSE(r.ok());
  CHECK(r.status().message().find("dp:B-2") != std::string::npos);
  CHECK(r.status().message().find("2026-04-15") != std::string::npos);
  CHECK_FALSE(DatedBalanceAsOf(books, "dp:B-2", "2026-04-30").is_negative());
  // Dated on or after the instalment, the same transfer is fine.
  books.MustCommit({Books::Move("dp:B-2", "pot:POT-B", "300.00", "2026-05-01", "surplus recovered")});
  CHECK(books.Balance("dp:B-2").is_zero());
  rf::test::RequireViewsMatchJournal(books);
}

TEST_CASE("a dp-return dated before its instalment is refused") {
  Books books;
  FundDpOnMay1(books);
  auto r = books.Commit({Books::Move("dp:B-2", "spent:B-2:therapy", "120.00", "2026-04-20")});
  CHECK_FALSE(r.ok());
  CHECK_FALSE(DatedBalanceAsOf(books, "dp:B-2", "2026-04-30").is_negative());
  books.MustCommit({Books::Move("dp:B-2", "spent:B-2:therapy", "120.00", "2026-05-02")});
  CHECK(books.Balance("dp:B-2") == P("180.00"));
  rf::test::RequireViewsMatchJournal(books);
}

TEST_CASE("a back-dated debit may leave exactly zero at its lowest date, not a penny less") {
  // dp:B-2: +300.00 on 04-10, -250.00 on 05-10: 300.00 from 04-10, 50.00 from 05-10.
  Books books;
  books.Standard();
  books.MustCommit({Books::Move("budget:B-2", "dp:B-2", "300.00", "2026-04-10"),
                    Books::Move("dp:B-2", "spent:B-2:therapy", "250.00", "2026-05-10")});
  SECTION("the lowest date is a later one") {
    // On 04-20 300.00 is there, but on 05-10 only 50.00 would be.
    CHECK_FALSE(books.Commit({Books::Move("dp:B-2", "spent:B-2:therapy", "50.01", "2026-04-20")}).ok());
    books.MustCommit({Books::Move("dp:B-2", "spent:B-2:therapy", "50.00", "2026-04-20")});
    CHECK(books.Balance("dp:B-2").is_zero());
    CHECK(DatedBalanceAsOf(books, "dp:B-2", "2026-04-20") == P("250.00"));
    // Nothing is left from 05-10 on, so even a penny on 04-11 is refused.
    CHECK_FALSE(books.Commit({Books::Move("dp:B-2", "spent:B-2:therapy", "0.01", "2026-04-11")}).ok());
  }
  SECTION("the lowest date is the entry's own") {
    // A credit after 05-10 does not help a debit dated before it.
    books.MustCommit({Books::Move("budget:B-2", "dp:B-2", "200.00", "2026-05-20")});
    CHECK_FALSE(books.Commit({Books::Move("dp:B-2", "spent:B-2:therapy", "50.01", "2026-04-20")}).ok());
    books.MustCommit({Books::Move("dp:B-2", "spent:B-2:therapy", "50.00", "2026-04-20")});
    // Dated after the credit, 200.00 more may go.
    CHECK_FALSE(books.Commit({Books::Move("dp:B-2", "spent:B-2:therapy", "200.01", "2026-05-21")}).ok());
    books.MustCommit({Books::Move("dp:B-2", "spent:B-2:therapy", "200.00", "2026-05-21")});
  }
  rf::test::RequireViewsMatchJournal(books);
}

TEST_CASE("a back-dated debit across a year boundary sees the later year's balances") {
  Books books;
  books.Standard();
  books.MustCommit({Books::Move("budget:B-2", "dp:B-2", "300.00", "2026-12-20"),
                    Books::Move("dp:B-2", "spent:B-2:therapy", "300.00", "2027-01-05")});
  CHECK_FALSE(books.Commit({Books::Move("dp:B-2", "spent:B-2:therapy", "0.01", "2026-12-21")}).ok());
  rf::test::RequireViewsMatchJournal(books);
}

TEST_CASE("an override lets a back-dated debit overdraw the dates it covers, and is flagged") {
  Books books;
  FundDpOnMay1(books);
  books.MustCommit({Books::Move("dp:B-2", "spent:B-2:therapy", "100.00", "2026-04-20", "agreed in advance", true)});
  CHECK(DatedBalanceAsOf(books, "dp:B-2", "2026-04-30") == P("-100.00"));
  CHECK(books.Balance("dp:B-2") == P("200.00"));
  std::optional<nlohmann::json> flag;
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                return views.ForEach("flag/overspend/", [&](std::string_view, std::string_view value) {
                  flag = nlohmann::json::parse(value);
                  return rf::Status::Ok();
                });
              })
              .ok());
  REQUIRE(flag.has_value());
  CHECK((*flag)["accounts"][0]["balance_after"] == "-100.00");
  // Without an override nothing more may leave on a day still overdrawn;
  // after the instalment the balance is there again.
  CHECK_FALSE(books.Commit({Books::Move("dp:B-2", "spent:B-2:therapy", "1.00", "2026-04-25")}).ok());
  books.MustCommit({Books::Move("dp:B-2", "spent:B-2:therapy", "1.00", "2026-05-02")});
  rf::test::RequireViewsMatchJournal(books);
}

namespace {

// Ring-fenced accounts of B-1 (POT-A) and where money moves between them
// (money reaches paid: only through a payment, so not here).
struct DatedMove {
  const char* from;
  const char* to;
};
constexpr DatedMove kDatedMoves[] = {
    {"pot:POT-A", "budget:B-1"},       {"budget:B-1", "dp:B-1"},        {"dp:B-1", "spent:B-1:therapy"},
    {"budget:B-1", "payable:B-1:V-1"}, {"payable:B-1:V-1", "budget:B-1"}, {"dp:B-1", "budget:B-1"},
    {"budget:B-1", "pot:POT-A"},
};

// Brute force: every accepted posting as (date, amount) per account.
class DatedModel {
 public:
  void Add(const std::string& account, rf::Date on, rf::Pence amount) { deltas_[account].emplace_back(on, amount); }
  rf::Pence BalanceAsOf(const std::string& account, rf::Date on) const {
    rf::Pence sum;
    const auto it = deltas_.find(account);
    if (it == deltas_.end()) return sum;
    for (const auto& [date, amount] : it->second) {
      if (!(on < date)) sum += amount;
    }
    return sum;
  }
  // Rule 1 at every date: after debiting `amount` at `on`, no date from `on`
  // on at which a balance is known is below zero.
  bool Allows(const std::string& account, rf::Date on, rf::Pence amount) const {
    std::vector<rf::Date> dates = {on};
    const auto it = deltas_.find(account);
    if (it != deltas_.end()) {
      for (const auto& [date, a] : it->second) {
        if (on < date) dates.push_back(date);
      }
    }
    for (const rf::Date& date : dates) {
      if ((BalanceAsOf(account, date) - amount).is_negative()) return false;
    }
    return true;
  }
  const std::map<std::string, std::vector<std::pair<rf::Date, rf::Pence>>>& deltas() const { return deltas_; }

 private:
  std::map<std::string, std::vector<std::pair<rf::Date, rf::Pence>>> deltas_;
};

}  // namespace

TEST_CASE("property: after every accepted entry, no ring-fenced balance is negative on any date") {
  const int seeds = 6;
  const int operations = 120;
  for (uint32_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Books books;
    books.Standard();
    DatedModel model;
    model.Add("pot:POT-A", D("2026-04-01"), P("10000.00"));
    model.Add("pot:POT-A", D("2026-04-02"), -P("1200.00"));
    model.Add("budget:B-1", D("2026-04-02"), P("1200.00"));
    std::mt19937 rng(seed);
    const rf::Date first = D("2026-04-02");
    int accepted = 0;
    for (int op = 0; op < operations; ++op) {
      const DatedMove& move = kDatedMoves[std::uniform_int_distribution<size_t>(0, std::size(kDatedMoves) - 1)(rng)];
      const rf::Date on = first.AddDays(std::uniform_int_distribution<int>(0, 120)(rng));
      // Mostly small amounts, now and then one near a whole balance.
      const int64_t max_pence = std::uniform_int_distribution<int>(0, 3)(rng) == 0 ? 120000 : 30000;
      const rf::Pence amount = rf::Pence::FromPence(std::uniform_int_distribution<int64_t>(1, max_pence)(rng));
      const std::string iso = on.ToIso();
      const std::string amount_text = amount.ToDecimal();
      const bool expected = model.Allows(move.from, on, amount);
      auto r = books.Commit({Books::Move(move.from, move.to, amount_text.c_str(), iso.c_str(), "moved in test")});
      INFO("op " << op << ": " << move.from << " -> " << move.to << " " << amount_text << " on " << iso << ": "
                 << r.status().message());
      REQUIRE(r.ok() == expected);
      if (!r.ok()) continue;
      ++accepted;
      model.Add(move.from, on, -amount);
      model.Add(move.to, on, amount);
      // Every ring-fenced account, as of every date any entry has.
      for (const auto& [account, deltas] : model.deltas()) {
        if (!rf::IsRingFenced(rf::test::A(account).type)) continue;
        for (const auto& [date, a] : deltas) REQUIRE_FALSE(model.BalanceAsOf(account, date).is_negative());
        REQUIRE(books.Balance(account) == model.BalanceAsOf(account, D("2099-12-31")));
      }
    }
    CHECK(accepted > operations / 4);
    // The stored views (dated deltas included) equal the journal's replay, and
    // a replay as of a date agrees with the model.
    rf::test::RequireViewsMatchJournal(books);
    for (const char* as_of : {"2026-04-15", "2026-05-20", "2026-07-01"}) {
      for (const char* account : {"budget:B-1", "dp:B-1", "payable:B-1:V-1", "pot:POT-A"}) {
        CHECK(DatedBalanceAsOf(books, account, as_of) == model.BalanceAsOf(account, D(as_of)));
      }
    }
  }
}
