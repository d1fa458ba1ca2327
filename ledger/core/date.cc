#include "ledger/core/date.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstdio>

namespace rf {
namespace {

namespace chr = std::chrono;

// The widest years a Date may hold: four digits, so ToIso() is fixed-width.
constexpr int kRepresentableYearMin = 0;
constexpr int kRepresentableYearMax = 9999;

// Error messages quote what the user wrote; a pasted megabyte or a control
// character must not make the message unreadable, so quote at most this many
// bytes and escape the rest.
constexpr size_t kQuotedBytesMax = 64;

std::string Quote(std::string_view text) {
  std::string out = "\"";
  size_t end = std::min(text.size(), kQuotedBytesMax);
  // Do not cut a UTF-8 sequence in half: back off over continuation bytes.
  if (end < text.size()) {
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  }
  for (size_t i = 0; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (end < text.size()) out += "...";
  out += '"';
  return out;
}

Status NotA(std::string_view field, std::string_view text, std::string_view what) {
  return Status::InvalidInput(std::string(field) + ": " + Quote(text) + " is not " + std::string(what));
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Checks text against a shape where 'd' is an ASCII digit and anything else
// must match exactly. Locale-free on purpose: isdigit() may accept more.
bool MatchesShape(std::string_view text, std::string_view shape) {
  if (text.size() != shape.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (shape[i] == 'd' ? !IsAsciiDigit(text[i]) : text[i] != shape[i]) return false;
  }
  return true;
}

// REQUIRES: text[pos, pos+width) are ASCII digits (checked by MatchesShape).
int DigitsAt(std::string_view text, size_t pos, size_t width) {
  assert(width <= 4);
  assert(pos + width <= text.size());
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    assert(IsAsciiDigit(text[i]));
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

chr::year_month_day ToYmd(int32_t days_since_epoch) {
  return chr::year_month_day(chr::sys_days(chr::days(days_since_epoch)));
}

bool Representable(int64_t days_since_epoch) {
  const int64_t min_days = chr::sys_days(chr::year(kRepresentableYearMin) / 1 / 1).time_since_epoch().count();
  const int64_t max_days = chr::sys_days(chr::year(kRepresentableYearMax) / 12 / 31).time_since_epoch().count();
  return days_since_epoch >= min_days && days_since_epoch <= max_days;
}

// False when the day does not exist (2026-02-30) or its year is outside the
// parse bounds; otherwise stores its days since the epoch.
bool DaysOf(int year, int month, int day, int32_t* days_out) {
  if (year < kDateYearMin || year > kDateYearMax) return false;
  const chr::year_month_day ymd{chr::year(year), chr::month(static_cast<unsigned>(month)),
                                chr::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return false;
  *days_out = static_cast<int32_t>(chr::sys_days(ymd).time_since_epoch().count());
  return true;
}

}  // namespace

Result<Date> Date::Parse(std::string_view iso, std::string_view field) {
  static constexpr std::string_view kWhat = "a date in the form YYYY-MM-DD";
  if (!MatchesShape(iso, "dddd-dd-dd")) return NotA(field, iso, kWhat);
  int32_t days = 0;
  const int year = DigitsAt(iso, 0, 4), month = DigitsAt(iso, 5, 2), day = DigitsAt(iso, 8, 2);
  if (!DaysOf(year, month, day, &days)) return NotA(field, iso, kWhat);
  // The parse is exact, nothing normalised away: the day reads back as the
  // digits given, so ToIso() (which writes them 4-2-2, zero-padded) gives
  // `iso` again. Checked on the numbers: records are parsed by the million.
  const chr::year_month_day back = ToYmd(days);
  assert(static_cast<int>(back.year()) == year && static_cast<int>(static_cast<unsigned>(back.month())) == month &&
         static_cast<int>(static_cast<unsigned>(back.day())) == day);
  assert(year >= kDateYearMin && year <= kDateYearMax);
  (void)back;
  return Date(days);
}

Date Date::FromDays(int32_t days_since_epoch) {
  assert(Representable(days_since_epoch));
  const Date date(days_since_epoch);
  assert(date.days_since_epoch() == days_since_epoch);
  return date;
}

std::string Date::ToIso() const {
  const chr::year_month_day ymd = ToYmd(days_since_epoch_);
  assert(ymd.ok());
  const int year = static_cast<int>(ymd.year());
  assert(year >= kRepresentableYearMin && year <= kRepresentableYearMax);
  // By hand rather than snprintf: dates are formatted for every entry.
  const auto month = static_cast<unsigned>(ymd.month());
  const auto day = static_cast<unsigned>(ymd.day());
  std::string iso(10, '-');
  iso[0] = static_cast<char>('0' + year / 1000);
  iso[1] = static_cast<char>('0' + year / 100 % 10);
  iso[2] = static_cast<char>('0' + year / 10 % 10);
  iso[3] = static_cast<char>('0' + year % 10);
  iso[5] = static_cast<char>('0' + month / 10);
  iso[6] = static_cast<char>('0' + month % 10);
  iso[8] = static_cast<char>('0' + day / 10);
  iso[9] = static_cast<char>('0' + day % 10);
  return iso;
}

int Date::year() const { return static_cast<int>(ToYmd(days_since_epoch_).year()); }
unsigned Date::month() const { return static_cast<unsigned>(ToYmd(days_since_epoch_).month()); }
unsigned Date::day() const { return static_cast<unsigned>(ToYmd(days_since_epoch_).day()); }

unsigned Date::iso_weekday() const {
  const unsigned weekday = chr::weekday(chr::sys_days(chr::days(days_since_epoch_))).iso_encoding();
  assert(weekday >= 1 && weekday <= 7);
  return weekday;
}

Date Date::AddDays(int32_t days) const {
  // In 64 bits: the sum of two int32 may not fit an int32, and Representable
  // must see the true value to refuse it.
  const int64_t result = int64_t{days_since_epoch_} + int64_t{days};
  assert(Representable(result));
  return Date(static_cast<int32_t>(result));
}

int32_t DaysBetween(Date from, Date to) {
  // Both lie in 0000..9999 (about 3.7 million days apart at most), so the
  // difference fits an int32 with room to spare.
  const int64_t difference = int64_t{to.days_since_epoch_} - int64_t{from.days_since_epoch_};
  assert(difference >= INT32_MIN && difference <= INT32_MAX);
  assert(from.AddDays(static_cast<int32_t>(difference)) == to);
  return static_cast<int32_t>(difference);
}

Date Month::first_day() const {
  assert(month >= 1 && month <= 12);
  assert(year >= kRepresentableYearMin && year <= kRepresentableYearMax);
  const chr::sys_days first(chr::year(year) / chr::month(month) / 1);
  return Date::FromDays(static_cast<int32_t>(first.time_since_epoch().count()));
}

Date Month::last_day() const {
  assert(month >= 1 && month <= 12);
  assert(year >= kRepresentableYearMin && year <= kRepresentableYearMax);
  const chr::sys_days last(chr::year(year) / chr::month(month) / chr::last);
  const Date date = Date::FromDays(static_cast<int32_t>(last.time_since_epoch().count()));
  assert(date.month() == month && date.AddDays(1).day() == 1);
  return date;
}

std::string Month::ToString() const {
  assert(month >= 1 && month <= 12);
  assert(year >= kRepresentableYearMin && year <= kRepresentableYearMax);
  char buffer[16];
  const int written = std::snprintf(buffer, sizeof buffer, "%04d-%02u", year, month);
  assert(written == 7);
  return std::string(buffer, static_cast<size_t>(written));
}

Result<Month> ParseMonth(std::string_view text, std::string_view field) {
  static constexpr std::string_view kWhat = "a month in the form YYYY-MM";
  if (!MatchesShape(text, "dddd-dd")) return NotA(field, text, kWhat);
  const int year = DigitsAt(text, 0, 4);
  const int month = DigitsAt(text, 5, 2);
  if (year < kDateYearMin || year > kDateYearMax || month < 1 || month > 12) return NotA(field, text, kWhat);
  const Month result{year, static_cast<unsigned>(month)};
  assert(result.ToString() == text);
  return result;
}

std::string UtcTimestamp(std::chrono::system_clock::time_point time) {
  // floor, not duration_cast: a time before 1970 must land on the day and
  // microsecond before it, not be rounded towards the epoch.
  const auto micros = chr::floor<chr::microseconds>(time);
  const chr::sys_days day = chr::floor<chr::days>(micros);
  const chr::year_month_day ymd(day);
  const chr::hh_mm_ss<chr::microseconds> clock(micros - day);
  const int year = static_cast<int>(ymd.year());
  assert(year >= kRepresentableYearMin && year <= kRepresentableYearMax);
  char buffer[40];
  const int written = std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02lld.%06lldZ", year,
                                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                                    static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                                    static_cast<long long>(clock.seconds().count()),
                                    static_cast<long long>(clock.subseconds().count()));
  assert(written == static_cast<int>(kUtcTimestampChars));
  return std::string(buffer, static_cast<size_t>(written));
}

Result<std::chrono::system_clock::time_point> ParseUtcTimestamp(std::string_view text, std::string_view field) {
  static constexpr std::string_view kWhat = "a UTC timestamp in the form YYYY-MM-DDTHH:MM:SS.ffffffZ";
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.ddddddZ";
  static_assert(kShape.size() == kUtcTimestampChars);
  if (!MatchesShape(text, kShape)) return NotA(field, text, kWhat);
  int32_t days = 0;
  if (!DaysOf(DigitsAt(text, 0, 4), DigitsAt(text, 5, 2), DigitsAt(text, 8, 2), &days)) return NotA(field, text, kWhat);
  const int hours = DigitsAt(text, 11, 2);
  const int minutes = DigitsAt(text, 14, 2);
  const int seconds = DigitsAt(text, 17, 2);
  const int64_t micros = int64_t{DigitsAt(text, 20, 3)} * 1000 + DigitsAt(text, 23, 3);
  if (hours > 23 || minutes > 59 || seconds > 59) return NotA(field, text, kWhat);
  const auto since_midnight =
      chr::hours(hours) + chr::minutes(minutes) + chr::seconds(seconds) + chr::microseconds(micros);
  const chr::sys_time<chr::microseconds> instant = chr::sys_days(chr::days(days)) + since_midnight;
  const auto time = chr::time_point_cast<chr::system_clock::duration>(instant);
  assert(UtcTimestamp(time) == text);  // strict inverse: nothing normalised away
  return time;
}

}  // namespace rf
