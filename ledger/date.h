#ifndef RINGFENCE_LEDGER_DATE_H_
#define RINGFENCE_LEDGER_DATE_H_

// Dates are a date type, not strings (STYLE.md). A Date is a civil day in the
// proleptic Gregorian calendar, held as days since 1970-01-01, with years
// bounded to kDateYearMin..kDateYearMax: a Personal Health Budget ledger has
// no business before 1900 or after 2199, and the bound keeps every year four
// digits and every day count well inside int32_t (+/- 2^31 days is 5.8 million
// years). Nothing here does I/O.

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/status.h"

namespace rf {

inline constexpr int kDateYearMin = 1900;
inline constexpr int kDateYearMax = 2199;
// 1900-01-01 and 2199-12-31 as days since 1970-01-01.
inline constexpr int32_t kDateDaysMin = -25'567;
inline constexpr int32_t kDateDaysMax = 83'965;

struct Month;

class Date {
 public:
  // 1970-01-01.
  Date() = default;

  // REQUIRES: kDateDaysMin <= days_since_epoch <= kDateDaysMax (asserted).
  static Date FromDays(int32_t days_since_epoch);
  // InvalidInput for an impossible day (2026-02-30) or a year out of range.
  static Result<Date> FromCivil(int year, int month, int day);

  // Strict ISO 8601 calendar date "YYYY-MM-DD": exactly ten ASCII characters,
  // zero-padded, a real day (leap years included: 2000-02-29 yes, 1900-02-29
  // no), year in kDateYearMin..kDateYearMax. Refused with InvalidInput naming
  // `field` and quoting `iso`: "2026-2-1", "20260201", "2026-02-30",
  // "2026-13-01", "2026-02-01T00:00", " 2026-02-01", "".
  static Result<Date> Parse(std::string_view iso, std::string_view field);

  // "YYYY-MM-DD"; Parse(ToIso()) == *this.
  std::string ToIso() const;

  int32_t days_since_epoch() const { return days_; }
  int year() const;
  int month() const;  // 1..12
  int day() const;    // 1..31
  // ISO 8601: Monday = 1 .. Sunday = 7.
  int iso_weekday() const;
  Month month_of() const;

  // Checked for days that come from outside: InvalidInput if the result
  // leaves kDateYearMin..kDateYearMax.
  Result<Date> PlusDays(int64_t days) const;
  // Internal arithmetic: asserts that the result stays in range.
  friend Date operator+(Date date, int32_t days);
  friend Date operator-(Date date, int32_t days);
  // Days from `from` to `to`: Date + (to - from) == to.
  friend int32_t operator-(Date to, Date from) { return to.days_ - from.days_; }

  friend bool operator==(Date a, Date b) = default;
  friend std::strong_ordering operator<=>(Date a, Date b) = default;

 private:
  explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

// A calendar month, e.g. for closing the books. Valid when month is 1..12 and
// year within kDateYearMin..kDateYearMax; the members assert that.
struct Month {
  int year = 1970;
  int month = 1;

  Date first_day() const;
  Date last_day() const;
  // "YYYY-MM"; ParseMonth(ToIso()) == *this.
  std::string ToIso() const;

  friend bool operator==(const Month& a, const Month& b) = default;
  friend std::strong_ordering operator<=>(const Month& a, const Month& b) = default;
};

// Strict "YYYY-MM" (seven ASCII characters, month 01..12, year in range).
Result<Month> ParseMonth(std::string_view text, std::string_view field);

// The journal's `recorded` time: microseconds, UTC.
using UtcMicros = std::chrono::sys_time<std::chrono::microseconds>;

// "YYYY-MM-DDTHH:MM:SS.ffffffZ", truncated (floored) to the microsecond.
// REQUIRES: the time's year is within kDateYearMin..kDateYearMax (asserted).
std::string UtcTimestamp(std::chrono::system_clock::time_point time);

// The strict inverse of UtcTimestamp: exactly that shape, a real date in
// range, hours 00..23, minutes and seconds 00..59 (system_clock has no leap
// seconds, so ":60" is refused). InvalidInput naming `field` otherwise.
Result<UtcMicros> ParseUtcTimestamp(std::string_view text, std::string_view field);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_DATE_H_
