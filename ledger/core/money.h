#ifndef RINGFENCE_LEDGER_CORE_MONEY_H_
#define RINGFENCE_LEDGER_CORE_MONEY_H_

// Money has a type (STYLE.md): Pence, an exact, checked count of pence in GBP.
// There is no float anywhere on this path, and no raw integer that might be
// pounds.
//
// Envelope (why overflow cannot happen for sums of parsed amounts):
//   a parsed amount has at most kAmountPoundsDigitsMax = 12 integer digits,
//   so |amount| <= kParsedPenceMagnitudeMax = 10^14 - 1 pence (under a
//   trillion pounds; the whole NHS England budget is about 2 * 10^13 pence).
//   Pence holds a checked 128-bit magnitude: |value| <= 2^128 - 1 ~ 3.4e38.
//   A sum of 2^32 parsed amounts is at most 4.3e9 * 1e14 ~ 4.3e23 pence, and
//   one parsed amount times any int64 count is at most 9.2e18 * 1e14 ~ 9.2e32:
//   both fit with five orders of magnitude to spare. Overflow therefore means
//   a programmer error (or a hostile journal), so the operators assert on it,
//   while Add/Sub/Times/Sum report it as a Status for callers whose operands
//   come from outside.
//
// Nothing here does I/O.

#include <boost/multiprecision/cpp_int.hpp>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"

namespace rf {

// Signed-magnitude 128-bit integer that throws std::overflow_error instead of
// wrapping; Pence turns that into a Status or an assertion, never lets it out.
using PenceInt = boost::multiprecision::checked_int128_t;

// At most this many digits before the decimal point in an input amount.
inline constexpr size_t kAmountPoundsDigitsMax = 12;
// At most this many after it ("1234.5" and "1234.50" both mean 1234.50).
inline constexpr size_t kAmountDecimalsMax = 2;
// The largest |pence| Pence::Parse can return: 999,999,999,999.99 pounds.
inline constexpr int64_t kParsedPenceMagnitudeMax = 99'999'999'999'999;
// Longest accepted input: sign, integer digits, point, decimals. Anything
// longer is refused before it is scanned.
inline constexpr size_t kAmountTextBytesMax = 1 + kAmountPoundsDigitsMax + 1 + kAmountDecimalsMax;
// SplitExact refuses more shares than this (weekly instalments for 78 years).
inline constexpr size_t kSplitSharesMax = 4096;

class Pence {
 public:
  // Zero.
  Pence() = default;

  static Pence FromPence(int64_t pence) { return Pence(PenceInt(pence)); }
  static Pence FromInt(PenceInt pence) { return Pence(std::move(pence)); }

  // Parses an amount in pounds as written in input files and commands.
  // Accepts exactly: an optional '-', 1 to kAmountPoundsDigitsMax ASCII digits
  // with no leading zero unless the integer part is just "0", then optionally
  // '.' and 1 or 2 ASCII digits. So "0.50", "1234.5", "-3.00", "7" are
  // accepted; "-0" and "-0.00" are accepted as zero (spreadsheets write them
  // after rounding; zero has one canonical form, "0.00").
  // Refused with Status::InvalidInput naming `field` and quoting `text`:
  // "", " 5", "5 ", "+5", ".5", "5.", "--5", "1e3", "12.345", "1,234.00",
  // "£5", "007", "00.50", non-ASCII digits, and more than 12 integer digits.
  // Leading zeros are refused because in a finance CSV they usually mean a
  // reference or sort code landed in the amount column.
  static Result<Pence> Parse(std::string_view text, std::string_view field);

  // Canonical decimal form stored in the journal: optional '-', pounds
  // without separators or leading zeros, '.', exactly two digits: "-3.00",
  // "1234.50", "0.00". Parse(ToDecimal()) == *this whenever |pence| is within
  // kParsedPenceMagnitudeMax.
  std::string ToDecimal() const;

  // For people: "£1,234.50", "-£3.00", "£0.00" (UTF-8 pound sign).
  std::string ToPounds() const;

  const PenceInt& pence() const { return pence_; }
  // InvalidInput if the value does not fit in int64_t.
  Result<int64_t> ToInt64() const;

  bool is_zero() const { return pence_.is_zero(); }
  bool is_negative() const { return pence_.sign() < 0; }

  // Checked arithmetic for operands that came from outside: an overflow is
  // Status::InvalidInput, never a wrapped value.
  Result<Pence> Add(const Pence& other) const;
  Result<Pence> Sub(const Pence& other) const;
  Result<Pence> Times(int64_t count) const;
  // Sum of any number of amounts; see the envelope above for why parsed
  // amounts cannot overflow it.
  static Result<Pence> Sum(std::span<const Pence> amounts);

  // Internal arithmetic, where an overflow is a programmer error: these
  // assert (assertions are on in every build) rather than wrap or throw.
  friend Pence operator+(const Pence& a, const Pence& b);
  friend Pence operator-(const Pence& a, const Pence& b);
  friend Pence operator*(const Pence& a, int64_t count);
  friend Pence operator*(int64_t count, const Pence& a) { return a * count; }
  // Cannot overflow: the signed-magnitude range is symmetric.
  friend Pence operator-(const Pence& a) { return Pence(-a.pence_); }
  Pence& operator+=(const Pence& other) { return *this = *this + other; }
  Pence& operator-=(const Pence& other) { return *this = *this - other; }

  friend bool operator==(const Pence& a, const Pence& b) { return a.pence_ == b.pence_; }
  friend std::strong_ordering operator<=>(const Pence& a, const Pence& b) {
    if (a.pence_ < b.pence_) return std::strong_ordering::less;
    if (a.pence_ > b.pence_) return std::strong_ordering::greater;
    return std::strong_ordering::equal;
  }

 private:
  explicit Pence(PenceInt pence) : pence_(std::move(pence)) {}
  PenceInt pence_ = 0;
};

// total * numerator / denominator as an exact rational, rounded half-to-even
// to the penny once, at the end (PRODUCT.md, Money). Negative totals round
// symmetrically: -2.5p becomes -2p, -3.5p becomes -4p.
// REQUIRES: denominator > 0, else Status::InvalidInput. A result outside the
// Pence range is also InvalidInput.
Result<Pence> ProRate(const Pence& total, uint64_t numerator, uint64_t denominator);

// Splits `total` into one share per weight: share i is ProRate(total,
// weights[i], sum of weights) for every share but the last, and the last
// takes the remainder, so the shares always sum to exactly `total` (direct
// payment instalments: the last instalment takes the remainder).
// The last share is within (n - 1) / 2 pence of its exact value, so it can
// have the opposite sign to `total` only when |total| is under about n pence.
// REQUIRES (else InvalidInput): 1 <= weights.size() <= kSplitSharesMax, and
// the weights sum to more than zero without overflowing uint64_t.
Result<std::vector<Pence>> SplitExact(const Pence& total, std::span<const uint64_t> weights);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_MONEY_H_
