// A month's flags held compactly (reconcile/flags.h MonthFlag,
// reconcile/flag_sentence.h FlagPence): the id made from the code and the
// entity is the "<CODE>/<entity>" every consumer wrote before, ids order as
// (code, entity) do, and a fact's amount is held exactly up to its bound
// (kFlagPenceMax) and refused one penny beyond it; a fact's count held in
// 4 bytes exactly up to kFlagCountMax and unfit one beyond, the widest day
// counts the evaluator can name (over every representable date) within it.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "reconcile/flags.h"
#include "reconcile/month_flags.h"
#include "tests/flag_inputs.h"

namespace rf::flag_id_test {

constexpr size_t kFlagIdCodeCount = static_cast<size_t>(FlagCode::kUnsettledPayment) + 1;

FlagCode FlagIdCodeAt(size_t i) { return static_cast<FlagCode>(i); }

MonthFlag FlagIdFlag(FlagCode code, std::string entity) {
  return MonthFlag{.code = code,
                   .severity = FlagSeverity::kWarning,
                   .entity = std::move(entity),
                   .amount_at_stake_pence = Pence(),
                   .evidence_seqs = {},
                   .words = HeldFlagWords(),
                   .facts = FlagFacts()};
}

TEST_CASE("a flag's id is its code's name, '/', its entity, for every code", "[flags]") {
  for (size_t i = 0; i < kFlagIdCodeCount; ++i) {
    const FlagCode code = FlagIdCodeAt(i);
    const std::string name(ToString(code));
    CAPTURE(name);
    CHECK(FlagCodeNamed(name) == code);
    for (const char* entity : {"budget:B-1", "invoice:INV-6-0-0", "instalment:B-1/2026-07-01", "", "e/f"}) {
      CHECK(FlagId(code, entity) == name + "/" + entity);
      CHECK(FlagId(FlagIdFlag(code, entity)) == name + "/" + entity);
    }
    // Enum order is name order, and no name is a prefix of another: ids
    // (strings) order as (code, entity) do (month_result.cc's canonical order).
    if (i > 0) CHECK(ToString(FlagIdCodeAt(i - 1)) < ToString(code));
    for (size_t j = 0; j < kFlagIdCodeCount; ++j) {
      if (j != i) CHECK_FALSE(ToString(FlagIdCodeAt(j)).starts_with(name));
    }
  }
  CHECK(ToString(FlagCode::kDiversionPayeeMismatch) == kPayeeMismatchCode);
  CHECK_FALSE(FlagCodeNamed("DELAY_PAYMENT").has_value());
  CHECK_FALSE(FlagCodeNamed("").has_value());
  CHECK_FALSE(FlagCodeNamed("delay_invoice").has_value());
  CHECK_FALSE(FlagCodeNamed("UNSETTLED_PAYMENTS").has_value());
}

TEST_CASE("flags sorted by (code, entity) are sorted by id", "[flags]") {
  std::mt19937_64 rng(17);
  const std::vector<std::string> entities = {"budget:B-1", "budget:B-12", "budget:B-2", "budget:", "bankline:S/1",
                                             "entry:7",    "payment:P",   "a",          "",        "~"};
  for (int round = 0; round < 50; ++round) {
    std::vector<MonthFlag> flags;
    for (int k = 0; k < 40; ++k) {
      flags.push_back(FlagIdFlag(FlagIdCodeAt(rng() % kFlagIdCodeCount),
                                 entities[rng() % entities.size()] + std::to_string(rng() % 3)));
    }
    std::sort(flags.begin(), flags.end(), [](const MonthFlag& a, const MonthFlag& b) {
      return std::tie(a.code, a.entity) < std::tie(b.code, b.entity);
    });
    for (size_t i = 1; i < flags.size(); ++i) CHECK(FlagId(flags[i - 1]) <= FlagId(flags[i]));
  }
}

TEST_CASE("a fact's amount is held exactly within kFlagPenceMax, and unfit one penny beyond", "[flags]") {
  const Pence max = Pence::FromPence(kFlagPenceMax);
  const Pence penny = Pence::FromPence(1);
  CHECK(FlagPence(max).fits());
  CHECK(FlagPence(max).ToPence() == max);
  CHECK_FALSE(FlagPence(max + penny).fits());
  CHECK(FlagPence(-max).fits());
  CHECK(FlagPence(-max).ToPence() == -max);
  CHECK_FALSE(FlagPence(-max - penny).fits());
  CHECK(FlagPence(Pence()).ToPence().is_zero());
  CHECK(FlagPence(Pence::FromPence(-12345)).ToPounds() == "-£123.45");
  FlagFacts facts{.form = FlagForm::kDpSurplus,
                  .detail = false,
                  .pence = {max, -max, penny},
                  .dates = {},
                  .numbers = {},
                  .packed_texts = ""};
  CHECK(facts.PenceFit());
  facts.pence[3] = max + penny;
  CHECK_FALSE(facts.PenceFit());
}

// A direct-payment account holding the bound itself is flagged with its
// sentence; a penny more, and the evaluator refuses the month, naming the flag.
TEST_CASE("the evaluator refuses a flag whose amount is beyond kFlagPenceMax", "[flags]") {
  const auto inputs = [](const Pence& balance) {
    FlagInputs in;
    in.month_end = *Date::Parse("2026-06-30", "test");
    in.budgets = {
        test::FlagBudget("B-1", Management::kDirectPayment, 3'650'000, "2026-01-01", "2026-12-31", "2025-12-15")};
    in.dp_balances = {{"B-1", balance}};
    return in;
  };
  const Pence max = Pence::FromPence(kFlagPenceMax);
  const auto at_bound = EvaluateFlags(inputs(max), FlagThresholds{});
  REQUIRE(at_bound.ok());
  const auto it = std::find_if(at_bound->begin(), at_bound->end(),
                               [](const Flag& f) { return f.id == "DP_SURPLUS/budget:B-1"; });
  REQUIRE(it != at_bound->end());
  CHECK(it->sentence.find("holds " + max.ToPounds()) != std::string::npos);
  const auto beyond = EvaluateFlags(inputs(max + Pence::FromPence(1)), FlagThresholds{});
  REQUIRE_FALSE(beyond.ok());
  CHECK(beyond.status().code() == Status::Code::kInvalidInput);
  CHECK(beyond.status().message().find("DP_SURPLUS/budget:B-1") != std::string::npos);
  const auto reported = EvaluateReportedFlags(inputs(max + Pence::FromPence(1)), FlagThresholds{});
  CHECK_FALSE(reported.ok());
}

TEST_CASE("a fact's count is held exactly within kFlagCountMax, and unfit one beyond", "[flags]") {
  static_assert(sizeof(FlagCount) == 4);
  static_assert(sizeof(void*) != 8 || sizeof(FlagFacts) == 104);  // 120 while the counts were int64
  CHECK(FlagCount(kFlagCountMax).fits());
  CHECK(FlagCount(kFlagCountMax).value() == kFlagCountMax);
  CHECK_FALSE(FlagCount(kFlagCountMax + 1).fits());
  CHECK(FlagCount(-kFlagCountMax).fits());
  CHECK(FlagCount(-kFlagCountMax).value() == -kFlagCountMax);
  CHECK_FALSE(FlagCount(-kFlagCountMax - 1).fits());
  CHECK_FALSE(FlagCount(INT64_MAX).fits());
  CHECK_FALSE(FlagCount(INT64_MIN).fits());
  CHECK(FlagCount().value() == 0);
  CHECK(FlagCount(uint32_t{100'000}).value() == 100'000);
  FlagFacts facts{.form = FlagForm::kPotUnallocated,
                  .detail = false,
                  .pence = {},
                  .dates = {},
                  .numbers = {kFlagCountMax, -kFlagCountMax, 0, 1},
                  .packed_texts = ""};
  CHECK(facts.CountsFit());
  facts.numbers[2] = kFlagCountMax + 1;
  CHECK_FALSE(facts.CountsFit());
}

// A budget from the first representable day to the last month end (the
// month after 9999-11 is not representable): its delay and its active and
// period days are the widest counts a flag names, held exactly.
TEST_CASE("the evaluator's widest day counts, over every representable date, are held exactly", "[flags]") {
  const Date first = Date::FromDays(-719'528);
  const Date last = Date::FromDays(2'932'865);
  REQUIRE(first.ToIso() == "0000-01-01");
  REQUIRE(last.ToIso() == "9999-11-30");
  FlagInputs in;
  in.month_end = last;
  BudgetFlagFacts b;
  b.seq = 20;
  b.budget_id = "B-1";
  b.management = Management::kNotional;
  b.amount = Pence::FromPence(3'650'000);
  b.start_date = b.approved_on = first;
  b.end_date = last;
  in.budgets = {b};
  const auto flags = EvaluateReportedFlags(in, FlagThresholds{});
  REQUIRE(flags.ok());
  const int64_t span_days = DaysBetween(first, last);
  CHECK(span_days == 3'652'393);
  int seen = 0;
  for (const MonthFlag& f : *flags) {
    REQUIRE(f.facts.CountsFit());
    if (f.code == FlagCode::kDelayFirstPayment) {
      ++seen;
      CHECK(f.facts.numbers[0].value() == span_days);
      CHECK(f.facts.numbers[1].value() == 14);
      CHECK(FlagSentence(f.facts).find("3652393 days") != std::string::npos);
    }
    if (f.code == FlagCode::kUnderspendBudget) {
      ++seen;
      CHECK(f.facts.numbers[0].value() == span_days + 1);
      CHECK(f.facts.numbers[1].value() == 50);
      CHECK(f.facts.numbers[2].value() == span_days + 1);
    }
  }
  CHECK(seen == 2);
}

}  // namespace rf::flag_id_test
