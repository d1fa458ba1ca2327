#include "ledger/core/date.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace rf {
namespace {

Date D(const char* iso) {
  auto parsed = Date::Parse(iso, "test");
  REQUIRE(parsed.ok());
  return *parsed;
}

TEST_CASE("a default date is 1970-01-01, day zero") {
  const Date date;
  CHECK(date.days_since_epoch() == 0);
  CHECK(date.ToIso() == "1970-01-01");
  CHECK(D("1970-01-01") == date);
}

TEST_CASE("a date parses into year, month and day") {
  const Date date = D("2026-04-01");
  CHECK(date.year() == 2026);
  CHECK(date.month() == 4u);
  CHECK(date.day() == 1u);
  CHECK(date.ToIso() == "2026-04-01");
}

TEST_CASE("29 February exists only in leap years: 1900 no, 2000 yes, 2028 yes") {
  CHECK_FALSE(Date::Parse("1900-02-29", "d").ok());
  CHECK(Date::Parse("2000-02-29", "d").ok());
  CHECK(Date::Parse("2028-02-29", "d").ok());
  CHECK_FALSE(Date::Parse("2026-02-29", "d").ok());
  CHECK_FALSE(Date::Parse("2100-02-29", "d").ok());
  CHECK(D("2028-02-28").AddDays(1) == D("2028-02-29"));
  CHECK(D("2026-02-28").AddDays(1) == D("2026-03-01"));
}

TEST_CASE("a date not strictly YYYY-MM-DD is refused, naming the field and quoting the text") {
  for (const char* bad : {"2026-2-1", "2026-02-30", "2026-13-01", "20260201", "2026-00-10", "2026-01-00", "2026-04-31",
                          "", " 2026-02-01", "2026-02-01 ", "2026/02/01", "02-01-2026", "2026-02-01T00:00",
                          "+026-02-01", "2026-0a-01", "1899-12-31", "2200-01-01", "0226-02-01",
                          "\xD9\xA2"
                          "026-02-01"}) {
    INFO(bad);
    const auto parsed = Date::Parse(bad, "effective");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == Status::Code::kInvalidInput);
    CHECK(parsed.status().message().rfind("effective: \"", 0) == 0);
  }
  CHECK(Date::Parse("2026-02-30", "effective").status().message() ==
        "effective: \"2026-02-30\" is not a date in the form YYYY-MM-DD");
}

TEST_CASE("the parse bounds are the years 1900 to 2199 inclusive") {
  CHECK(Date::Parse("1900-01-01", "d").ok());
  CHECK(Date::Parse("2199-12-31", "d").ok());
  CHECK(kDateYearMin == 1900);
  CHECK(kDateYearMax == 2199);
}

TEST_CASE("an error message quotes control characters escaped and long text cut short") {
  const auto parsed = Date::Parse("2026\n\"x", "when");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().message() == "when: \"2026\\x0A\\\"x\" is not a date in the form YYYY-MM-DD");
  const std::string long_text(1000, '9');
  const auto long_parsed = Date::Parse(long_text, "when");
  REQUIRE_FALSE(long_parsed.ok());
  CHECK(long_parsed.status().message().size() < 200);
}

TEST_CASE("every day from 1900 to 2199 round trips through ToIso, Parse and FromDays") {
  const Date first = D("1900-01-01");
  const Date last = D("2199-12-31");
  const int32_t span_days = DaysBetween(first, last);
  CHECK(span_days == 109572);
  Date previous = first;
  for (int32_t i = 0; i <= span_days; ++i) {
    const Date date = first.AddDays(i);
    const auto reparsed = Date::Parse(date.ToIso(), "d");
    REQUIRE(reparsed.ok());
    REQUIRE(*reparsed == date);
    REQUIRE(Date::FromDays(date.days_since_epoch()) == date);
    if (i > 0) {
      REQUIRE(previous < date);
      REQUIRE(DaysBetween(previous, date) == 1);
      REQUIRE(date.iso_weekday() == previous.iso_weekday() % 7 + 1);
    }
    previous = date;
  }
}

TEST_CASE("2026-11-23 is a Monday and 1970-01-01 a Thursday") {
  CHECK(D("2026-11-23").iso_weekday() == 1u);
  CHECK(D("2026-11-29").iso_weekday() == 7u);
  CHECK(Date().iso_weekday() == 4u);
}

TEST_CASE("days between dates is signed and AddDays moves across months and years") {
  CHECK(DaysBetween(D("2026-01-01"), D("2027-01-01")) == 365);
  CHECK(DaysBetween(D("2028-01-01"), D("2029-01-01")) == 366);
  CHECK(DaysBetween(D("2026-03-01"), D("2026-02-01")) == -28);
  CHECK(D("2026-12-31").AddDays(1) == D("2027-01-01"));
  CHECK(D("2026-01-01").AddDays(-1) == D("2025-12-31"));
  CHECK(D("1969-12-31").days_since_epoch() == -1);
}

TEST_CASE("dates compare in calendar order") {
  CHECK(D("2026-04-01") < D("2026-04-02"));
  CHECK(D("2025-12-31") < D("2026-01-01"));
  CHECK(D("2026-04-01") == D("2026-04-01"));
  CHECK(D("2026-04-01") != D("2026-04-02"));
  CHECK(D("2026-04-02") >= D("2026-04-01"));
}

TEST_CASE("a month parses strictly and knows its first and last day") {
  const auto feb = ParseMonth("2028-02", "month");
  REQUIRE(feb.ok());
  CHECK(feb->year == 2028);
  CHECK(feb->month == 2u);
  CHECK(feb->first_day() == D("2028-02-01"));
  CHECK(feb->last_day() == D("2028-02-29"));
  CHECK(feb->ToString() == "2028-02");
  CHECK(Month{2026, 2}.last_day() == D("2026-02-28"));
  CHECK(Month{2026, 12}.last_day() == D("2026-12-31"));
  CHECK(Month{2026, 4}.last_day() == D("2026-04-30"));
  CHECK(Month{2026, 4} < Month{2026, 5});
  CHECK(Month{2025, 12} < Month{2026, 1});
  for (const char* bad : {"2026-13", "2026-00", "2026-1", "202604", "2026-04-01", "", "1899-12", "2200-01"}) {
    INFO(bad);
    const auto parsed = ParseMonth(bad, "month");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().message().rfind("month: \"", 0) == 0);
  }
  CHECK(ParseMonth("2026-13", "month").status().message() == "month: \"2026-13\" is not a month in the form YYYY-MM");
}

TEST_CASE("a UTC timestamp has microseconds and is always 27 characters") {
  using namespace std::chrono;
  const sys_time<microseconds> t = sys_days(2026y / November / 23) + 9h + 5min + 7s + 42us;
  CHECK(UtcTimestamp(time_point_cast<system_clock::duration>(t)) == "2026-11-23T09:05:07.000042Z");
  CHECK(UtcTimestamp(system_clock::time_point{}) == "1970-01-01T00:00:00.000000Z");
  // Sub-microsecond parts are dropped towards the past, also before 1970.
  CHECK(UtcTimestamp(system_clock::time_point{} - nanoseconds(1)) == "1969-12-31T23:59:59.999999Z");
  CHECK(UtcTimestamp(system_clock::time_point{} + nanoseconds(1999)) == "1970-01-01T00:00:00.000001Z");
  CHECK(UtcTimestamp(system_clock::now()).size() == kUtcTimestampChars);
}

TEST_CASE("UtcTimestamp and ParseUtcTimestamp round trip over random instants") {
  using namespace std::chrono;
  std::mt19937_64 rng(20261123);
  const int64_t lo_us = duration_cast<microseconds>(sys_days(1900y / 1 / 1).time_since_epoch()).count();
  const int64_t hi_us = duration_cast<microseconds>(sys_days(2199y / 12 / 31).time_since_epoch()).count();
  std::uniform_int_distribution<int64_t> pick(lo_us, hi_us);
  for (int i = 0; i < 20000; ++i) {
    const system_clock::time_point t{duration_cast<system_clock::duration>(microseconds(pick(rng)))};
    const std::string text = UtcTimestamp(t);
    REQUIRE(text.size() == kUtcTimestampChars);
    const auto parsed = ParseUtcTimestamp(text, "recorded");
    REQUIRE(parsed.ok());
    REQUIRE(*parsed == t);
  }
}

TEST_CASE("a malformed UTC timestamp is refused, naming the field") {
  for (const char* bad :
       {"2026-11-23T09:05:07.000042", "2026-11-23T09:05:07.00004Z", "2026-11-23 09:05:07.000042Z",
        "2026-11-23T24:00:00.000000Z", "2026-11-23T09:60:00.000000Z", "2026-11-23T09:05:60.000000Z",
        "2026-02-30T09:05:07.000042Z", "2026-11-23T09:05:07.000042+00:00", "", "2026-11-23t09:05:07.000042z"}) {
    INFO(bad);
    const auto parsed = ParseUtcTimestamp(bad, "recorded");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == Status::Code::kInvalidInput);
    CHECK(parsed.status().message().rfind("recorded: \"", 0) == 0);
  }
}

}  // namespace
}  // namespace rf
