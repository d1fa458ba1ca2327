#ifndef RINGFENCE_LEDGER_CORE_DATE_H_
#define RINGFENCE_LEDGER_CORE_DATE_H_

// Dates are a date type, not strings (STYLE.md). A Date is a civil day in the
// proleptic Gregorian calendar, held as days since 1970-01-01. Input is bounded
// to the years kDateYearMin..kDateYearMax: a Personal Health Budget ledger has
// no business before 1900 or after 2199. Arithmetic may step outside that, but
// never outside the four-digit years 0000..9999 (asserted), so ToIso() is
// always ten characters and a day count always fits an int32_t (+/- 2^31 days
// is 5.8 million years). Conversions go through std::chrono::year_month_day.
// Nothing here does I/O.

#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace rf {

// Parse bounds, inclusive.
inline constexpr int kDateYearMin = 1900;
inline constexpr int kDateYearMax = 2199;

// "YYYY-MM-DDTHH:MM:SS.ffffffZ"
inline constexpr size_t kUtcTimestampChars = 27;

class Date {
 public:
  // 1970-01-01.
  Date() = default;

  // Strict ISO 8601 calendar date "YYYY-MM-DD": exactly ten ASCII characters,
  // zero-padded, a day that exists (2000-02-29 yes, 1900-02-29 no), year in
  // kDateYearMin..kDateYearMax. Anything else ("2026-2-1", "20260201",
  // "2026-02-30", "2026-13-01", surrounding spaces, a time part) is
  // Status::InvalidInput naming `field` and quoting `iso`.
  static Result<Date> Parse(std::string_view iso, std::string_view field);

  // REQUIRES: the day lies in the years 0000..9999 (asserted).
  static Date FromDays(int32_t days_since_epoch);

  // "YYYY-MM-DD"; Parse(ToIso()) == *this for every day in the parse bounds.
  std::string ToIso() const;

  int32_t days_since_epoch() const { return days_since_epoch_; }
  int year() const;
  unsigned month() const;  // 1..12
  unsigned day() const;    // 1..31
  // ISO 8601: Monday = 1 .. Sunday = 7.
  unsigned iso_weekday() const;

  // REQUIRES: the result lies in the years 0000..9999 (asserted).
  Date AddDays(int32_t days) const;

  // Signed: DaysBetween(a, b) > 0 when b is later; a.AddDays(result) == b.
  friend int32_t DaysBetween(Date from, Date to);

  friend bool operator==(Date a, Date b) = default;
  friend std::strong_ordering operator<=>(Date a, Date b) = default;

 private:
  explicit Date(int32_t days_since_epoch) : days_since_epoch_(days_since_epoch) {}

  int32_t days_since_epoch_ = 0;
};

int32_t DaysBetween(Date from, Date to);

// A calendar month, e.g. the unit of a month close.
// Invariant (asserted by the members): 1 <= month <= 12, year in 0000..9999.
struct Month {
  int year = 1970;
  unsigned month = 1;

  Date first_day() const;
  Date last_day() const;
  // "YYYY-MM"; ParseMonth(ToString()) == *this within the parse bounds.
  std::string ToString() const;

  friend bool operator==(const Month& a, const Month& b) = default;
  friend std::strong_ordering operator<=>(const Month& a, const Month& b) = default;
};

// Strict "YYYY-MM": seven ASCII characters, month 01..12, year in
// kDateYearMin..kDateYearMax; else InvalidInput naming `field`.
Result<Month> ParseMonth(std::string_view text, std::string_view field);

// The journal's `recorded` field: "YYYY-MM-DDTHH:MM:SS.ffffffZ" in UTC,
// floored to the microsecond (so a time before 1970 does not round towards
// the epoch). REQUIRES: a year in 0000..9999 (asserted).
std::string UtcTimestamp(std::chrono::system_clock::time_point time);

// The strict inverse of UtcTimestamp: exactly that shape, a day within the
// parse bounds, hours 00..23, minutes and seconds 00..59 (system_clock has no
// leap seconds, so ":60" is refused). InvalidInput naming `field` otherwise.
// UtcTimestamp(*ParseUtcTimestamp(s, f)) == s.
Result<std::chrono::system_clock::time_point> ParseUtcTimestamp(std::string_view text, std::string_view field);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_DATE_H_
