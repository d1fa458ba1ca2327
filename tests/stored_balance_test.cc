// The bal/ value with its day deltas (StoredBalance, ledger/core/views.h):
// it round-trips, anything else is damage naming the key, the lowest
// balance from a date walks back over the days after it, and the live
// views hold for every account exactly the days the journal's replay gives.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "ledger/core/records.h"
#include "ledger/core/views.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;

namespace {

rf::StoredBalance StoredBalanceOf(const char* balance, std::vector<std::pair<const char*, const char*>> days) {
  rf::StoredBalance out;
  out.balance = P(balance);
  for (const auto& [on, delta] : days) out.days.days.emplace_back(D(on), P(delta));
  return out;
}

}  // namespace

TEST_CASE("stored balance: plain for accounts without days, days after the balance, round trip") {
  CHECK(rf::SerializeBalance(StoredBalanceOf("-12.30", {})) == "-12.30");
  const rf::StoredBalance b = StoredBalanceOf("82.50", {{"2026-05-01", "100.00"}, {"2026-05-14", "-17.50"}});
  const std::string text = rf::SerializeBalance(b);
  CHECK(text == "82.50;2026-05-01=100.00;2026-05-14=-17.50");
  auto back = rf::ParseStoredBalance(text, "bal/dp:B-1");
  REQUIRE(back.ok());
  CHECK(back->balance == P("82.50"));
  REQUIRE(back->days.days.size() == 2);
  CHECK(back->days.days[1].first == D("2026-05-14"));
  CHECK(back->days.days[1].second == P("-17.50"));
  auto amount = rf::ParseBalanceAmount(text, "bal/dp:B-1");
  REQUIRE(amount.ok());
  CHECK(*amount == P("82.50"));
  CHECK(rf::MovementAfter(back->days, D("2026-05-13")) == P("-17.50"));
  CHECK(rf::MovementAfter(back->days, D("2026-05-14")).is_zero());
  CHECK(rf::MovementAfter(back->days, D("2026-04-30")) == P("82.50"));
}

TEST_CASE("stored balance: a value not in the form written is damage naming the key") {
  for (const char* bad : {"", "1.0", "12.30;", "12.30;2026-05-01", "12.30;2026-05-01=", "12.30;2026-05-01=0.00",
                          "12.30;2026-05-14=1.00;2026-05-01=11.30", "12.30;2026-05-01=1.00;2026-05-01=11.30",
                          "12.30;2026-02-30=12.30", "12.30;2026-5-01=12.30", "12.30;2026-05-01=12.3",
                          "12.30 ;2026-05-01=12.30", "12.30;2026-05-01=12.30;", "x;2026-05-01=12.30"}) {
    INFO(bad);
    auto parsed = rf::ParseStoredBalance(bad, "bal/dp:B-1");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == rf::Status::Code::kTampered);
    CHECK_THAT(parsed.status().message(), Catch::Contains("bal/dp:B-1"));
  }
}

TEST_CASE("stored balance: the lowest balance from a date is found over the days after it, one penny either side") {
  rf::Views views(nullptr);
  const rf::Account dp = *rf::ParseAccount("dp:B-1", "account");
  REQUIRE(views.AddToBalance(dp, D("2026-05-01"), P("100.00")).ok());
  REQUIRE(views.AddToBalance(dp, D("2026-05-10"), P("-60.00")).ok());
  REQUIRE(views.AddToBalance(dp, D("2026-05-20"), P("30.00")).ok());
  REQUIRE(views.AddToBalance(dp, D("2026-05-05"), P("-39.99")).ok());  // back-dated
  // End of day: 05-01 100.00, 05-05 60.01, 05-10 0.01, 05-20 30.01.
  auto from_start = views.LowestBalanceFrom(dp, D("2026-05-01"));
  REQUIRE(from_start.ok());
  CHECK(from_start->balance == P("0.01"));
  CHECK(from_start->on == D("2026-05-10"));
  auto after_low = views.LowestBalanceFrom(dp, D("2026-05-10"));
  REQUIRE(after_low.ok());
  CHECK(after_low->balance == P("0.01"));
  CHECK(after_low->on == D("2026-05-10"));
  auto later = views.LowestBalanceFrom(dp, D("2026-05-11"));
  REQUIRE(later.ok());
  CHECK(later->balance == P("0.01"));  // the end of 05-11 is still 0.01
  CHECK(later->on == D("2026-05-11"));
  auto last = views.LowestBalanceFrom(dp, D("2026-05-20"));
  REQUIRE(last.ok());
  CHECK(last->balance == P("30.01"));
  // A day whose movements cancel holds no day delta.
  REQUIRE(views.AddToBalance(dp, D("2026-05-20"), P("-30.00")).ok());
  std::vector<std::pair<std::string, std::string>> dirty;
  REQUIRE(views
              .ForEachDirty([&](std::string_view key, std::string_view value) {
                dirty.emplace_back(std::string(key), std::string(value));
                return rf::Status::Ok();
              })
              .ok());
  REQUIRE(dirty.size() == 1);
  CHECK(dirty[0].first == rf::BalanceKey(dp));
  CHECK(dirty[0].second == "0.01;2026-05-01=100.00;2026-05-05=-39.99;2026-05-10=-60.00");
}

TEST_CASE("stored balance: back-dated entries refused or let through one penny either side, and verify replays the days") {
  Books books;
  books.Standard();  // B-1: 1,200.00 in budget:B-1, from 2026-04-02
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "100.00", "2026-05-10"),
                    Books::Move("dp:B-1", "spent:B-1:activities", "60.00", "2026-05-20")});
  // dp:B-1 holds 0 before 05-10, 100.00 from 05-10, 40.00 from 05-20.
  auto short_by_a_penny = books.Commit({Books::Move("dp:B-1", "spent:B-1:activities", "40.01", "2026-05-15")});
  REQUIRE_FALSE(short_by_a_penny.ok());
  CHECK_THAT(short_by_a_penny.status().message(), Catch::Contains("short by £0.01 on 2026-05-20"));
  auto before_funded = books.Commit({Books::Move("dp:B-1", "spent:B-1:activities", "0.01", "2026-05-09")});
  REQUIRE_FALSE(before_funded.ok());
  books.MustCommit({Books::Move("dp:B-1", "spent:B-1:activities", "40.00", "2026-05-15")});
  CHECK(books.Balance("dp:B-1").is_zero());
  std::optional<std::string> stored;
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) -> rf::Status {
                auto value = views.Get(rf::BalanceKey(rf::test::A("dp:B-1")));
                if (!value.ok()) return value.status();
                stored = *value;
                return rf::Status::Ok();
              })
              .ok());
  REQUIRE(stored.has_value());
  CHECK(*stored == "0.00;2026-05-10=100.00;2026-05-15=-40.00;2026-05-20=-60.00");
  rf::test::RequireViewsMatchJournal(books);
}

TEST_CASE("views link cache: a budget's or pot's decoded link is dropped when its record is put or changed") {
  rf::Views views(nullptr);
  const std::string key = rf::RecordKey(rf::RecordKind::kBudget, "B-1");
  CHECK(views.CachedLink(key) == nullptr);
  views.PutRecord(rf::RecordKind::kBudget, "B-1", nlohmann::json{{"pot_id", "POT-A"}});
  const rf::Views::RecordLink* link = views.CacheLink(key, {"POT-A", D("2026-04-02")});
  REQUIRE(link != nullptr);
  REQUIRE(views.CachedLink(key) == link);
  CHECK(link->id == "POT-A");
  views.PutRecord(rf::RecordKind::kBudget, "B-1", nlohmann::json{{"pot_id", "POT-B"}});
  CHECK(views.CachedLink(key) == nullptr);
  views.CacheLink(key, {"POT-B", D("2026-04-02")});
  auto changed = views.RecordToChange(rf::RecordKind::kBudget, "B-1");
  REQUIRE(changed.ok());
  REQUIRE(*changed != nullptr);
  CHECK(views.CachedLink(key) == nullptr);
  views.CacheLink(key, {"POT-B", D("2026-04-02")});
  views.PutRecordText(rf::RecordKind::kBudget, "B-1", "{\"pot_id\":\"POT-C\"}");
  CHECK(views.CachedLink(key) == nullptr);
  views.CacheLink(key, {"POT-C", D("2026-04-02")});
  views.Clear();
  CHECK(views.CachedLink(key) == nullptr);
}

TEST_CASE("views link cache: a budget's pot and approval day read from the cache agree with verify's replay") {
  Books books;
  books.Standard();
  // Many postings on one budget and pot, in one batch and across commits
  // (the kept cache), with a budget created between them.
  std::vector<rf::EntryDraft> batch;
  for (int i = 0; i < 5; ++i) batch.push_back(Books::Move("budget:B-1", "dp:B-1", "1.00", "2026-05-01"));
  batch.push_back(Books::Budget("B-3", "POT-A", "50.00", "2026-05-02"));
  batch.push_back(Books::Move("budget:B-3", "dp:B-3", "1.00", "2026-05-02"));
  books.MustCommit(std::move(batch));
  books.MustCommit({Books::Move("budget:B-1", "dp:B-1", "1.00", "2026-05-03")});
  auto before_approval = books.Commit({Books::Move("budget:B-3", "dp:B-3", "1.00", "2026-05-01")});
  REQUIRE_FALSE(before_approval.ok());
  CHECK_THAT(before_approval.status().message(), Catch::Contains("is approved on 2026-05-02"));
  CHECK(books.Balance("dp:B-1") == P("6.00"));
  rf::test::RequireViewsMatchJournal(books);
}
