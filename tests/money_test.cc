#include "ledger/core/money.h"
#include "ledger/core/money_canonical.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace rf {
namespace {

Pence P(std::string_view text) {
  auto parsed = Pence::Parse(text, "test");
  REQUIRE(parsed.ok());
  return *parsed;
}

Pence Big(const char* decimal_pence) { return Pence::FromInt(PenceInt(decimal_pence)); }

const Pence kPenceMax = Pence::FromInt((std::numeric_limits<PenceInt>::max)());

TEST_CASE("amounts with zero, one or two decimal places parse to exact pence") {
  CHECK(P("1234.5") == Pence::FromPence(123450));
  CHECK(P("1234.50") == Pence::FromPence(123450));
  CHECK(P("1234") == Pence::FromPence(123400));
  CHECK(P("-3.00") == Pence::FromPence(-300));
  CHECK(P("0.50") == Pence::FromPence(50));
  CHECK(P("0.05") == Pence::FromPence(5));
  CHECK(P("0") == Pence());
  CHECK(P("0.0") == Pence());
  CHECK(P("7") == Pence::FromPence(700));
  CHECK(P("-0.01") == Pence::FromPence(-1));
  CHECK(P("999999999999.99") == Pence::FromPence(kParsedPenceMagnitudeMax));
  CHECK(P("-999999999999.99") == Pence::FromPence(-kParsedPenceMagnitudeMax));
}

TEST_CASE("negative zero is accepted as zero and written back as 0.00") {
  for (const char* text : {"-0", "-0.0", "-0.00"}) {
    INFO(text);
    const Pence zero = P(text);
    CHECK(zero.is_zero());
    CHECK_FALSE(zero.is_negative());
    CHECK(zero.ToDecimal() == "0.00");
  }
}

TEST_CASE("an amount not strictly in pounds with at most two decimals is refused naming the field") {
  for (const char* bad : {"1e3",
                          "12.345",
                          "1,234.00",
                          "\xC2\xA3"
                          "5",
                          "",
                          " 5",
                          "5 ",
                          "+5",
                          ".5",
                          "5.",
                          "--5",
                          "-",
                          "-.5",
                          "007",
                          "00.50",
                          "-01",
                          "5..0",
                          "5.0.0",
                          "1 000",
                          "5p",
                          "0x10",
                          "\xD9\xA5",
                          "1234567890123",
                          "1234567890123.00",
                          "99999999999999999999999",
                          "5\n",
                          "\t5",
                          "NaN",
                          "inf",
                          "5-",
                          "1_000"}) {
    INFO(bad);
    const auto parsed = Pence::Parse(bad, "amount");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == Status::Code::kInvalidInput);
    CHECK(parsed.status().message().rfind("amount: \"", 0) == 0);
    CHECK(parsed.status().message().find("is not an amount in pounds with at most two decimal places") !=
          std::string::npos);
  }
}

TEST_CASE("an amount with three decimal places is refused naming the field and quoting the text") {
  const auto parsed = Pence::Parse("12.345", "amount");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().message() ==
        "amount: \"12.345\" is not an amount in pounds with at most two decimal places (more than two decimal places)");
}

TEST_CASE("an error message shows a pound sign as written and escapes control characters and bad bytes") {
  CHECK(Pence::Parse("\xC2\xA3"
                     "5",
                     "amount")
            .status()
            .message()
            .rfind("amount: \"\xC2\xA3"
                   "5\" is not",
                   0) == 0);
  CHECK(Pence::Parse("5\n\"", "amount").status().message().rfind("amount: \"5\\x0a\\x22\" is not", 0) == 0);
  CHECK(Pence::Parse("\xFF", "amount").status().message().rfind("amount: \"\\xff\" is not", 0) == 0);
  const std::string long_text(100000, '9');
  const auto parsed = Pence::Parse(long_text, "amount");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().message().size() < 200);
  CHECK(parsed.status().message().find("...\"") != std::string::npos);
}

TEST_CASE("leading zeros and too many integer digits are refused with the reason") {
  CHECK(Pence::Parse("007", "amount").status().message().find("(leading zeros)") != std::string::npos);
  CHECK(Pence::Parse("1234567890123", "amount").status().message().find("more than 12 digits") != std::string::npos);
}

TEST_CASE("the canonical decimal form always has two decimals and no separators") {
  CHECK(Pence::FromPence(-300).ToDecimal() == "-3.00");
  CHECK(Pence::FromPence(123450).ToDecimal() == "1234.50");
  CHECK(Pence().ToDecimal() == "0.00");
  CHECK(Pence::FromPence(5).ToDecimal() == "0.05");
  CHECK(Pence::FromPence(-5).ToDecimal() == "-0.05");
  CHECK(Pence::FromPence(100).ToDecimal() == "1.00");
  CHECK(kPenceMax.ToDecimal() == "3402823669209384634633746074317682114.55");
  CHECK((-kPenceMax).ToDecimal() == "-3402823669209384634633746074317682114.55");
}

TEST_CASE("amounts for people have a pound sign and thousands separators") {
  CHECK(Pence::FromPence(123450).ToPounds() ==
        "\xC2\xA3"
        "1,234.50");
  CHECK(Pence::FromPence(-300).ToPounds() ==
        "-\xC2\xA3"
        "3.00");
  CHECK(Pence().ToPounds() ==
        "\xC2\xA3"
        "0.00");
  CHECK(Pence::FromPence(99999).ToPounds() ==
        "\xC2\xA3"
        "999.99");
  CHECK(Pence::FromPence(100000).ToPounds() ==
        "\xC2\xA3"
        "1,000.00");
  CHECK(Pence::FromPence(-123456789012).ToPounds() ==
        "-\xC2\xA3"
        "1,234,567,890.12");
}

TEST_CASE("Parse of ToDecimal round trips over random amounts") {
  std::mt19937_64 rng(20261123);
  std::uniform_int_distribution<int64_t> any(-kParsedPenceMagnitudeMax, kParsedPenceMagnitudeMax);
  std::uniform_int_distribution<int64_t> small(-100000, 100000);
  for (int i = 0; i < 50000; ++i) {
    const Pence amount = Pence::FromPence(i % 2 == 0 ? any(rng) : small(rng));
    const std::string text = amount.ToDecimal();
    const auto parsed = Pence::Parse(text, "amount");
    REQUIRE(parsed.ok());
    REQUIRE(*parsed == amount);
    REQUIRE(parsed->ToInt64().ok());
    REQUIRE(*parsed->ToInt64() == *amount.ToInt64());
  }
}

TEST_CASE("arithmetic and comparisons are exact") {
  CHECK(P("0.10") + P("0.20") == P("0.30"));
  CHECK(P("1.00") - P("3.00") == P("-2.00"));
  CHECK(-P("5.00") == P("-5.00"));
  CHECK(P("2.50") * 3 == P("7.50"));
  CHECK(-2 * P("2.50") == P("-5.00"));
  CHECK(P("-1") < P("0"));
  CHECK(P("0.99") < P("1"));
  CHECK(P("10") > P("9.99"));
  CHECK(P("1") != P("1.01"));
  Pence running;
  running += P("10");
  running -= P("0.01");
  CHECK(running == P("9.99"));
  const std::vector<Pence> amounts = {P("1.00"), P("-0.50"), P("2.25")};
  const auto sum = Pence::Sum(amounts);
  REQUIRE(sum.ok());
  CHECK(*sum == P("2.75"));
}

TEST_CASE("overflow is reported as an error, never wrapped") {
  const auto add = kPenceMax.Add(Pence::FromPence(1));
  REQUIRE_FALSE(add.ok());
  CHECK(add.status().code() == Status::Code::kInvalidInput);
  CHECK(add.status().message().find("too large") != std::string::npos);
  CHECK_FALSE((-kPenceMax).Sub(Pence::FromPence(1)).ok());
  CHECK_FALSE(kPenceMax.Times(2).ok());
  CHECK_FALSE(Big("1000000000000000000000000000000").Times(std::numeric_limits<int64_t>::min()).ok());
  CHECK(kPenceMax.Times(1).ok());
  CHECK(kPenceMax.Times(-1).ok());
  CHECK(kPenceMax.Add(-kPenceMax).ok());
  const std::vector<Pence> amounts = {kPenceMax, Pence::FromPence(1)};
  CHECK_FALSE(Pence::Sum(amounts).ok());
}

TEST_CASE("ToInt64 refuses amounts beyond 64 bits") {
  CHECK(*Pence::FromPence(std::numeric_limits<int64_t>::max()).ToInt64() == std::numeric_limits<int64_t>::max());
  CHECK(*Pence::FromPence(std::numeric_limits<int64_t>::min()).ToInt64() == std::numeric_limits<int64_t>::min());
  CHECK_FALSE(Big("9223372036854775808").ToInt64().ok());
  CHECK_FALSE(Big("-9223372036854775809").ToInt64().ok());
}

TEST_CASE("sums of 2^32 largest parsed amounts fit, as the header's envelope says") {
  const Pence largest = Pence::FromPence(kParsedPenceMagnitudeMax);
  const auto sum = largest.Times(int64_t{1} << 32);
  REQUIRE(sum.ok());
  CHECK(sum->ToDecimal() == "4294967295999957050327.04");
  CHECK(largest.Times(std::numeric_limits<int64_t>::max()).ok());
}

TEST_CASE("pro-rating an exact half penny rounds to the even penny, up and down") {
  // 1p * 1/2 = 0.5p -> 0p; 3p * 1/2 = 1.5p -> 2p; 5p * 1/2 = 2.5p -> 2p.
  CHECK(*ProRate(Pence::FromPence(1), 1, 2) == Pence::FromPence(0));
  CHECK(*ProRate(Pence::FromPence(3), 1, 2) == Pence::FromPence(2));
  CHECK(*ProRate(Pence::FromPence(5), 1, 2) == Pence::FromPence(2));
  CHECK(*ProRate(Pence::FromPence(7), 1, 2) == Pence::FromPence(4));
  // Negative totals round symmetrically.
  CHECK(*ProRate(Pence::FromPence(-1), 1, 2) == Pence::FromPence(0));
  CHECK(*ProRate(Pence::FromPence(-3), 1, 2) == Pence::FromPence(-2));
  CHECK(*ProRate(Pence::FromPence(-5), 1, 2) == Pence::FromPence(-2));
  CHECK(*ProRate(Pence::FromPence(-7), 1, 2) == Pence::FromPence(-4));
}

TEST_CASE("pro-rating rounds once at the end, not per step") {
  // 12,000.00 a year for 1 month: exactly 1,000.00.
  CHECK(*ProRate(P("12000.00"), 1, 12) == P("1000.00"));
  // 1,000.00 * 1/3 = 333.333...p -> 333.33; * 2/3 = 666.666...p -> 666.67.
  CHECK(*ProRate(P("1000.00"), 1, 3) == P("333.33"));
  CHECK(*ProRate(P("1000.00"), 2, 3) == P("666.67"));
  CHECK(*ProRate(P("-1000.00"), 2, 3) == P("-666.67"));
  // Just above and just below a half: 0.2501 and 0.2499 of 2p.
  CHECK(*ProRate(Pence::FromPence(2), 2501, 10000) == Pence::FromPence(1));
  CHECK(*ProRate(Pence::FromPence(2), 2499, 10000) == Pence::FromPence(0));
  // 53 weeks of a 52-week budget: more than the whole, still exact.
  CHECK(*ProRate(P("5200.00"), 53, 52) == P("5300.00"));
  CHECK(*ProRate(P("5200.00"), 0, 52) == Pence());
  // Huge numerator and denominator do not overflow the intermediate.
  const uint64_t u64_max = std::numeric_limits<uint64_t>::max();
  CHECK(*ProRate(kPenceMax, u64_max, u64_max) == kPenceMax);
  CHECK(*ProRate(-kPenceMax, u64_max - 1, u64_max) < Pence());
}

TEST_CASE("pro-rating by a zero denominator or beyond the range is refused") {
  const auto zero = ProRate(P("10.00"), 1, 0);
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.status().code() == Status::Code::kInvalidInput);
  CHECK(zero.status().message().find("denominator") != std::string::npos);
  CHECK_FALSE(ProRate(kPenceMax, 2, 1).ok());
}

TEST_CASE("pro-rating agrees with a brute-force half-even reference over random cases") {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> total_pence(-10'000'000, 10'000'000);
  std::uniform_int_distribution<uint64_t> small(0, 1000);
  for (int i = 0; i < 20000; ++i) {
    const int64_t total = total_pence(rng);
    const uint64_t denominator = small(rng) + 1;
    const uint64_t numerator = small(rng);
    // Reference in plain int64: |total * numerator| < 1.1e10.
    const int64_t product = total * static_cast<int64_t>(numerator);
    const int64_t d = static_cast<int64_t>(denominator);
    int64_t q = product / d;
    const int64_t r = product % d;
    const int64_t twice_r = 2 * (r < 0 ? -r : r);
    if (twice_r > d || (twice_r == d && q % 2 != 0)) q += product < 0 ? -1 : 1;
    const auto got = ProRate(Pence::FromPence(total), numerator, denominator);
    REQUIRE(got.ok());
    INFO(total << " * " << numerator << " / " << denominator);
    REQUIRE(*got == Pence::FromPence(q));
  }
}

TEST_CASE("monthly instalments: the last instalment takes the remainder") {
  const std::vector<uint64_t> twelve(12, 1);
  const auto shares = SplitExact(P("1000.00"), twelve);
  REQUIRE(shares.ok());
  REQUIRE(shares->size() == 12);
  for (size_t i = 0; i + 1 < 12; ++i) CHECK((*shares)[i] == P("83.33"));
  CHECK(shares->back() == P("83.37"));
}

TEST_CASE("split shares are rounded half-to-even by weight") {
  const std::vector<uint64_t> weights = {1, 1, 2};
  const auto shares = SplitExact(Pence::FromPence(10), weights);
  REQUIRE(shares.ok());
  // 2.5p -> 2p, 2.5p -> 2p, remainder 6p.
  CHECK((*shares)[0] == Pence::FromPence(2));
  CHECK((*shares)[1] == Pence::FromPence(2));
  CHECK((*shares)[2] == Pence::FromPence(6));
}

TEST_CASE("split shares always sum exactly to the total over random totals and weights") {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> total_pence(-kParsedPenceMagnitudeMax, kParsedPenceMagnitudeMax);
  std::uniform_int_distribution<int64_t> small_total(-5000, 5000);
  std::uniform_int_distribution<size_t> share_count(1, 60);
  std::uniform_int_distribution<uint64_t> weight(0, 1'000'000);
  for (int i = 0; i < 5000; ++i) {
    const Pence total = Pence::FromPence(i % 3 == 0 ? small_total(rng) : total_pence(rng));
    std::vector<uint64_t> weights(share_count(rng));
    uint64_t weights_sum = 0;
    for (uint64_t& w : weights) weights_sum += (w = weight(rng));
    if (weights_sum == 0) weights.back() = weights_sum = 1;
    const auto shares = SplitExact(total, weights);
    REQUIRE(shares.ok());
    REQUIRE(shares->size() == weights.size());
    Pence sum;
    for (size_t s = 0; s < shares->size(); ++s) {
      sum += (*shares)[s];
      if (s + 1 < shares->size()) REQUIRE((*shares)[s] == *ProRate(total, weights[s], weights_sum));
    }
    REQUIRE(sum == total);
  }
}

TEST_CASE("splitting with no weights, zero weights, too many or overflowing weights is refused") {
  CHECK_FALSE(SplitExact(P("10"), std::vector<uint64_t>{}).ok());
  CHECK_FALSE(SplitExact(P("10"), std::vector<uint64_t>{0, 0}).ok());
  CHECK_FALSE(SplitExact(P("10"), std::vector<uint64_t>(kSplitSharesMax + 1, 1)).ok());
  CHECK(SplitExact(P("10"), std::vector<uint64_t>(kSplitSharesMax, 1)).ok());
  const uint64_t u64_max = std::numeric_limits<uint64_t>::max();
  const auto overflow = SplitExact(P("10"), std::vector<uint64_t>{u64_max, 1});
  REQUIRE_FALSE(overflow.ok());
  CHECK(overflow.status().code() == Status::Code::kInvalidInput);
}

}  // namespace
}  // namespace rf

TEST_CASE("an amount's text is canonical exactly when ToDecimal writes it back") {
  // Known answers either side: two decimals, no sign on zero.
  for (const char* canonical : {"0.00", "0.05", "-0.05", "12.50", "-12.50", "999999999999.99"}) {
    INFO(canonical);
    CHECK(rf::IsCanonicalDecimal(canonical, *rf::Pence::Parse(canonical, "amount")));
  }
  for (const char* other : {"0", "12", "12.5", "-0.00", "-0.0", "-0", "0.5"}) {
    INFO(other);
    CHECK_FALSE(rf::IsCanonicalDecimal(other, *rf::Pence::Parse(other, "amount")));
  }
  // Property: over every short text of these bytes that parses, the same
  // answer as writing the amount back and comparing.
  std::mt19937_64 money_canonical_rng(20261206);
  const std::string bytes = "-0123456789.";
  int parsed = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string text(1 + money_canonical_rng() % 8, '0');
    for (char& c : text) c = bytes[money_canonical_rng() % bytes.size()];
    auto p = rf::Pence::Parse(text, "amount");
    if (!p.ok()) continue;
    ++parsed;
    INFO(text);
    REQUIRE(rf::IsCanonicalDecimal(text, *p) == (p->ToDecimal() == text));
  }
  CHECK(parsed > 1000);
}
