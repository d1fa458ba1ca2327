// Direct-payment instalment schedules: periods, due dates, exact pro-rating.
#include "ledger/payments/schedule.h"

#include <catch2/catch.hpp>
#include <random>

namespace {

rf::Date D(const char* iso) { return *rf::Date::Parse(iso, "date"); }
rf::Pence P(const char* pounds) { return *rf::Pence::Parse(pounds, "amount"); }

rf::BudgetTerms Terms(const char* frequency, const char* amount, const char* start, const char* end,
                      const char* management = "direct-payment") {
  return {"B-1", management, frequency, P(amount), D(start), D(end)};
}

std::vector<rf::Instalment> Must(const rf::BudgetTerms& terms) {
  auto schedule = rf::InstalmentSchedule(terms);
  INFO(schedule.status().message());
  REQUIRE(schedule.ok());
  return *schedule;
}

}  // namespace

TEST_CASE("a monthly budget for a whole year pays twelve equal instalments on the first of each month") {
  const auto s = Must(Terms("monthly", "1200.00", "2026-04-01", "2027-03-31"));
  REQUIRE(s.size() == 12);
  for (size_t i = 0; i < s.size(); ++i) {
    CHECK(s[i].number == i + 1);
    CHECK(s[i].amount == P("100.00"));
    CHECK(s[i].due_on.day() == 1);
  }
  CHECK(s[0].due_on == D("2026-04-01"));
  CHECK(s[1].due_on == D("2026-05-01"));
  CHECK(s[11].period_to == D("2027-03-31"));
}

TEST_CASE("a monthly budget starting mid-month pays a part first month pro-rated by its days") {
  // 2026-04-16..2026-04-30 is 15 of April's 30 days: half a month.
  const auto s = Must(Terms("monthly", "650.00", "2026-04-16", "2026-10-31"));
  REQUIRE(s.size() == 7);  // half of April, then May..October
  CHECK(s[0].due_on == D("2026-04-16"));
  CHECK(s[0].period_to == D("2026-04-30"));
  CHECK(s[0].amount == P("50.00"));
  for (size_t i = 1; i < s.size(); ++i) CHECK(s[i].amount == P("100.00"));
}

TEST_CASE("the last monthly instalment takes the remainder so the total is exact") {
  const auto s = Must(Terms("monthly", "1000.00", "2026-04-01", "2026-06-30"));
  REQUIRE(s.size() == 3);
  CHECK(s[0].amount == P("333.33"));
  CHECK(s[1].amount == P("333.33"));
  CHECK(s[2].amount == P("333.34"));
}

TEST_CASE("a four-weekly budget pays 28-day periods and a part last period") {
  // 2026-04-01..2026-06-30 is 91 days: 28 + 28 + 28 + 7.
  const auto s = Must(Terms("four-weekly", "910.00", "2026-04-01", "2026-06-30"));
  REQUIRE(s.size() == 4);
  CHECK(s[0].due_on == D("2026-04-01"));
  CHECK(s[1].due_on == D("2026-04-29"));
  CHECK(s[2].due_on == D("2026-05-27"));
  CHECK(s[3].due_on == D("2026-06-24"));
  CHECK(s[3].period_to == D("2026-06-30"));
  CHECK(s[0].amount == P("280.00"));
  CHECK(s[3].amount == P("70.00"));
}

TEST_CASE("a one-off budget pays its whole amount on its start date") {
  const auto s = Must(Terms("one-off", "499.99", "2026-05-10", "2026-12-31"));
  REQUIRE(s.size() == 1);
  CHECK(s[0].due_on == D("2026-05-10"));
  CHECK(s[0].amount == P("499.99"));
}

TEST_CASE("notional budgets and frequency none have no instalments") {
  CHECK(Must(Terms("monthly", "100.00", "2026-04-01", "2027-03-31", "notional")).empty());
  CHECK(Must(Terms("none", "100.00", "2026-04-01", "2027-03-31")).empty());
  CHECK(Must(Terms("none", "100.00", "2026-04-01", "2027-03-31", "third-party")).empty());
}

TEST_CASE("a schedule is refused for unknown terms, naming the budget and field") {
  auto bad_frequency = rf::InstalmentSchedule(Terms("weekly", "100.00", "2026-04-01", "2027-03-31"));
  REQUIRE(bad_frequency.status().code() == rf::Status::Code::kInvalidInput);
  CHECK_THAT(bad_frequency.status().message(), Catch::Contains("budget B-1") && Catch::Contains("frequency"));
  auto backwards = rf::InstalmentSchedule(Terms("monthly", "100.00", "2026-04-01", "2026-03-31"));
  CHECK_THAT(backwards.status().message(), Catch::Contains("end_date"));
  auto zero = rf::InstalmentSchedule(Terms("monthly", "0.00", "2026-04-01", "2027-03-31"));
  CHECK_THAT(zero.status().message(), Catch::Contains("amount"));
  auto bad_management = rf::InstalmentSchedule(Terms("monthly", "1.00", "2026-04-01", "2027-03-31", "cash"));
  CHECK_THAT(bad_management.status().message(), Catch::Contains("management"));
}

TEST_CASE("a budget of fewer pence than instalments still splits exactly with no negative instalment") {
  // Seven pence over twelve equal months: the remainder split would leave the
  // last instalment at -4p; the running-total split never goes below zero.
  const auto s = Must(Terms("monthly", "0.07", "2026-04-01", "2027-03-31"));
  REQUIRE(s.size() == 12);
  rf::Pence sum;
  for (const auto& i : s) {
    CHECK_FALSE(i.amount.is_negative());
    CHECK(i.amount <= P("0.01"));
    sum += i.amount;
  }
  CHECK(sum == P("0.07"));
}

TEST_CASE("property: random budgets split exactly, never negative, every period inside the budget", "[property]") {
  std::mt19937 rng(20260401);
  const char* frequencies[] = {"monthly", "four-weekly", "one-off"};
  const rf::Date base = D("2024-01-01");
  for (int round = 0; round < 3000; ++round) {
    const int32_t start_offset_days = static_cast<int32_t>(rng() % 1500);
    // Mostly a year or so; sometimes a day, sometimes ten years.
    const int32_t length_days =
        round % 10 == 0 ? static_cast<int32_t>(rng() % 3650) : static_cast<int32_t>(rng() % 500);
    const int64_t amount_pence =
        round % 7 == 0 ? 1 + static_cast<int64_t>(rng() % 200) : 1 + static_cast<int64_t>(rng() % 5'000'000'00ull);
    rf::BudgetTerms t{"B-R",
                      round % 2 == 0 ? "direct-payment" : "third-party",
                      frequencies[rng() % 3],
                      rf::Pence::FromPence(amount_pence),
                      base.AddDays(start_offset_days),
                      base.AddDays(start_offset_days + length_days)};
    INFO(t.frequency << " " << t.amount.ToDecimal() << " " << t.start_date.ToIso() << ".." << t.end_date.ToIso());
    const auto s = Must(t);
    REQUIRE(!s.empty());
    rf::Pence sum;
    rf::Date next = t.start_date;
    for (size_t i = 0; i < s.size(); ++i) {
      REQUIRE(s[i].number == i + 1);
      REQUIRE_FALSE(s[i].amount.is_negative());
      REQUIRE(s[i].period_from == next);
      REQUIRE(s[i].due_on == s[i].period_from);
      REQUIRE(t.start_date <= s[i].due_on);
      REQUIRE(s[i].period_to <= t.end_date);
      next = s[i].period_to.AddDays(1);
      sum += s[i].amount;
    }
    REQUIRE(next == t.end_date.AddDays(1));
    REQUIRE(sum == t.amount);
  }
}
