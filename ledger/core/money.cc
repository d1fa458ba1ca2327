#include "ledger/core/money.h"
#include "ledger/core/money_canonical.h"

#include <cassert>
#include <charconv>
#include <limits>
#include <stdexcept>

namespace rf {
namespace {

using Int256 = boost::multiprecision::checked_int256_t;

// Error messages quote at most this much of the offending text, so a
// megabyte-long cell cannot become a megabyte-long message.
constexpr size_t kQuotedBytesMax = 40;

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the valid UTF-8 sequence starting at s[0], or 0 if it is not one.
// Overlong forms and surrogates count as invalid.
size_t Utf8SequenceBytes(std::string_view s) {
  assert(!s.empty());
  const auto b0 = static_cast<unsigned char>(s[0]);
  size_t bytes = 0;
  uint32_t code_point = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    bytes = 2, code_point = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    bytes = 3, code_point = b0 & 0x0Fu;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    bytes = 4, code_point = b0 & 0x07u;
  } else {
    return 0;
  }
  if (s.size() < bytes) return 0;
  for (size_t i = 1; i < bytes; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0u) != 0x80u) return 0;
    code_point = (code_point << 6) | (b & 0x3Fu);
  }
  const uint32_t code_point_min = bytes == 3 ? 0x800u : 0x10000u;
  if (bytes > 2 && code_point < code_point_min) return 0;
  if (code_point >= 0xD800u && code_point <= 0xDFFFu) return 0;
  if (code_point > 0x10FFFFu) return 0;
  assert(bytes >= 2 && bytes <= 4);
  return bytes;
}

// The text as a finance manager should see it in a message: valid UTF-8 such
// as "£5" shown as written, control characters, quotes and invalid bytes as
// \xNN so the message stays one printable, valid UTF-8 line.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  size_t i = 0;
  while (i < text.size() && i < kQuotedBytesMax) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
      out.push_back(text[i]);
      ++i;
      continue;
    }
    const size_t sequence_bytes = b >= 0x80 ? Utf8SequenceBytes(text.substr(i)) : 0;
    if (sequence_bytes > 0) {
      out.append(text.substr(i, sequence_bytes));
      i += sequence_bytes;
      continue;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\x";
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0F]);
    ++i;
  }
  if (i < text.size()) out += "...";
  out.push_back('"');
  assert(out.size() >= 2);
  return out;
}

Status NotAnAmount(std::string_view text, std::string_view field, std::string_view why) {
  std::string message =
      std::string(field) + ": " + Quote(text) + " is not an amount in pounds with at most two decimal places";
  if (!why.empty()) message += " (" + std::string(why) + ")";
  return Status::InvalidInput(std::move(message));
}

Status Overflow(std::string_view operation) {
  return Status::InvalidInput("amount too large: " + std::string(operation) +
                              " overflows the 128-bit pence range; an input amount is far outside any real budget");
}

// |pence| as decimal digits, at least three of them so that the last two are
// the pence and the rest (at least "0") the pounds.
std::string MagnitudeDigits(const PenceInt& pence) {
  std::string digits;
  const PenceInt magnitude = boost::multiprecision::abs(pence);
  if (magnitude <= PenceInt(UINT64_MAX)) {
    // The common case, without Boost's generic (stream-based) formatting.
    char buffer[24];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), magnitude.convert_to<uint64_t>());
    assert(ec == std::errc());
    digits.assign(buffer, end);
  } else {
    digits = magnitude.str();
  }
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  assert(digits.size() >= 3);
  assert(digits.size() == 3 || digits[0] != '0');
  return digits;
}

}  // namespace

Result<Pence> Pence::Parse(std::string_view text, std::string_view field) {
  if (text.empty()) return NotAnAmount(text, field, "it is empty");
  if (text.size() > kAmountTextBytesMax) {
    return NotAnAmount(text, field, "too long: at most 12 digits before the decimal point and 2 after");
  }
  size_t pos = 0;
  const bool negative = text[0] == '-';
  if (negative) ++pos;

  const size_t pounds_begin = pos;
  while (pos < text.size() && IsAsciiDigit(text[pos])) ++pos;
  const size_t pounds_digits = pos - pounds_begin;
  if (pounds_digits == 0) return NotAnAmount(text, field, "");
  if (pounds_digits > kAmountPoundsDigitsMax) {
    return NotAnAmount(text, field, "more than 12 digits before the decimal point");
  }
  if (pounds_digits > 1 && text[pounds_begin] == '0') return NotAnAmount(text, field, "leading zeros");

  size_t decimals = 0;
  int64_t pence_part = 0;
  if (pos < text.size()) {
    if (text[pos] != '.') return NotAnAmount(text, field, "");
    ++pos;
    const size_t decimals_begin = pos;
    while (pos < text.size() && IsAsciiDigit(text[pos])) ++pos;
    decimals = pos - decimals_begin;
    if (pos < text.size()) return NotAnAmount(text, field, "");
    if (decimals == 0) return NotAnAmount(text, field, "no digits after the decimal point");
    if (decimals > kAmountDecimalsMax) return NotAnAmount(text, field, "more than two decimal places");
    for (size_t i = decimals_begin; i < pos; ++i) pence_part = pence_part * 10 + (text[i] - '0');
    if (decimals == 1) pence_part *= 10;
  }
  assert(pos == text.size());

  // At most 12 digits: fits int64 with room for the * 100.
  int64_t pounds = 0;
  for (size_t i = pounds_begin; i < pounds_begin + pounds_digits; ++i) pounds = pounds * 10 + (text[i] - '0');
  const int64_t magnitude_pence = pounds * 100 + pence_part;
  assert(magnitude_pence >= 0 && magnitude_pence <= kParsedPenceMagnitudeMax);
  assert(pence_part >= 0 && pence_part < 100);
  return Pence::FromPence(negative ? -magnitude_pence : magnitude_pence);
}

std::string Pence::ToDecimal() const {
  const std::string digits = MagnitudeDigits(pence_);
  std::string out;
  out.reserve(digits.size() + 2);
  if (is_negative()) out.push_back('-');
  out.append(digits, 0, digits.size() - 2);
  out.push_back('.');
  out.append(digits, digits.size() - 2, 2);
  assert(out.size() >= 4);
  assert(out[out.size() - 3] == '.');
  return out;
}

std::string Pence::ToPounds() const {
  const std::string digits = MagnitudeDigits(pence_);
  const size_t pounds_digits = digits.size() - 2;
  std::string out;
  out.reserve(digits.size() + digits.size() / 3 + 4);
  if (is_negative()) out.push_back('-');
  out += "\xC2\xA3";  // £
  for (size_t i = 0; i < pounds_digits; ++i) {
    // A comma before each group of three pounds digits counted from the point.
    if (i > 0 && (pounds_digits - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  out.push_back('.');
  out.append(digits, pounds_digits, 2);
  assert(out.size() >= 6);
  assert(out[out.size() - 3] == '.');
  return out;
}

Result<int64_t> Pence::ToInt64() const {
  if (pence_ > std::numeric_limits<int64_t>::max() || pence_ < std::numeric_limits<int64_t>::min()) {
    return Status::InvalidInput("amount too large: " + ToDecimal() + " does not fit in a 64-bit count of pence");
  }
  const auto pence = pence_.convert_to<int64_t>();
  assert(PenceInt(pence) == pence_);
  return pence;
}

Result<Pence> Pence::Add(const Pence& other) const {
  try {
    return Pence(pence_ + other.pence_);
  } catch (const std::overflow_error&) {
    return Overflow("adding");
  }
}

Result<Pence> Pence::Sub(const Pence& other) const {
  try {
    return Pence(pence_ - other.pence_);
  } catch (const std::overflow_error&) {
    return Overflow("subtracting");
  }
}

Result<Pence> Pence::Times(int64_t count) const {
  try {
    return Pence(pence_ * count);
  } catch (const std::overflow_error&) {
    return Overflow("multiplying");
  }
}

Result<Pence> Pence::Sum(std::span<const Pence> amounts) {
  Pence total;
  for (const Pence& amount : amounts) {
    auto next = total.Add(amount);
    if (!next.ok()) return next.status();
    total = *next;
  }
  return total;
}

Pence operator+(const Pence& a, const Pence& b) {
  auto sum = a.Add(b);
  assert(sum.ok() && "Pence overflow in internal arithmetic: use Add for outside operands");
  return *sum;
}

Pence operator-(const Pence& a, const Pence& b) {
  auto difference = a.Sub(b);
  assert(difference.ok() && "Pence overflow in internal arithmetic: use Sub for outside operands");
  return *difference;
}

Pence operator*(const Pence& a, int64_t count) {
  auto product = a.Times(count);
  assert(product.ok() && "Pence overflow in internal arithmetic: use Times for outside operands");
  return *product;
}

Result<Pence> ProRate(const Pence& total, uint64_t numerator, uint64_t denominator) {
  if (denominator == 0) {
    return Status::InvalidInput("pro-rating " + total.ToDecimal() + " by " + std::to_string(numerator) +
                                "/0: the denominator must be more than zero");
  }
  // |total| < 2^128 and numerator < 2^64, so the product fits 256 bits exactly.
  const Int256 product = Int256(total.pence()) * numerator;
  const Int256 divisor = denominator;
  Int256 quotient = product / divisor;  // truncates toward zero
  const Int256 remainder_magnitude = boost::multiprecision::abs(product % divisor);
  assert(remainder_magnitude < divisor);
  const Int256 twice_remainder = remainder_magnitude * 2;
  const bool quotient_odd = boost::multiprecision::bit_test(boost::multiprecision::abs(quotient), 0);
  if (twice_remainder > divisor || (twice_remainder == divisor && quotient_odd)) {
    quotient += product.sign();  // away from zero, the same for either sign
  }
  // Rounded once: within half a penny of the exact value.
  assert(boost::multiprecision::abs(quotient * divisor - product) * 2 <= divisor);
  if (quotient > Int256((std::numeric_limits<PenceInt>::max)()) ||
      quotient < Int256((std::numeric_limits<PenceInt>::min)())) {
    return Overflow("pro-rating");
  }
  return Pence::FromInt(quotient.convert_to<PenceInt>());
}

Result<std::vector<Pence>> SplitExact(const Pence& total, std::span<const uint64_t> weights) {
  if (weights.empty() || weights.size() > kSplitSharesMax) {
    return Status::InvalidInput("splitting " + total.ToDecimal() + " into " + std::to_string(weights.size()) +
                                " shares: expected between 1 and " + std::to_string(kSplitSharesMax) + " shares");
  }
  uint64_t weights_sum = 0;
  for (const uint64_t weight : weights) {
    if (weight > std::numeric_limits<uint64_t>::max() - weights_sum) {
      return Status::InvalidInput("splitting " + total.ToDecimal() + ": the weights add up to more than 2^64");
    }
    weights_sum += weight;
  }
  if (weights_sum == 0) {
    return Status::InvalidInput("splitting " + total.ToDecimal() + ": the weights add up to zero");
  }
  std::vector<Pence> shares;
  shares.reserve(weights.size());
  Pence allocated;
  for (size_t i = 0; i + 1 < weights.size(); ++i) {
    auto share = ProRate(total, weights[i], weights_sum);
    if (!share.ok()) return share.status();
    auto next_allocated = allocated.Add(*share);
    if (!next_allocated.ok()) return next_allocated.status();
    allocated = *next_allocated;
    shares.push_back(*share);
  }
  auto last = total.Sub(allocated);
  if (!last.ok()) return last.status();
  shares.push_back(*last);
  assert(shares.size() == weights.size());
  assert(allocated + shares.back() == total);
  return shares;
}

bool IsCanonicalDecimal(std::string_view text, const Pence& parsed) {
  // Parse refused leading zeros and anything but [-]digits[.d{1,2}], so
  // the text is canonical exactly when it has two decimals and its sign is
  // the value's (a "-" on zero is not written).
  assert(!text.empty() && (text[0] == '-' || (text[0] >= '0' && text[0] <= '9')));
  return text.size() >= 4 && text[text.size() - 3] == '.' && (text[0] == '-') == parsed.is_negative();
}

}  // namespace rf
