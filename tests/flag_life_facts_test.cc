// What the equality tables read of a flag's lifecycle record
// (ledger/core/equality_facts.h: FlagLifeEqualityFacts), decoded from its
// text without the rest. The partial decoders' property (partial_decode.h):
// over random and damaged flagstate texts, wherever the full decode reads a
// text the partial one gives its members; the full decode's first error in
// a member the partial reads (or the id check) is the partial's, to the byte.
#include <catch2/catch.hpp>
#include <string>

#include "ledger/core/equality_facts.h"
#include "ledger/core/records.h"
#include "tests/partial_decode.h"

namespace rf {
namespace {

const char* const kFlagLifeFactsKey = "flagstate/DELAY_INVOICE/invoice:INV-6-0-0";
const char* const kFlagLifeFactsText =
    R"({"action_seq":12,"actor":"Ann","amount":"150.10","code":"DELAY_INVOICE","entity":"invoice:INV-6-0-0",)"
    R"("first_month":"2026-06","last_month":"2026-07","note":"chased","raised_seq":4905014,"reopened":0,)"
    R"("severity":"warning","state":"explained"})";

TEST_CASE("random and damaged flag records: the equality facts agree with the full decode") {
  const test::PartialDecodeProperty property{
      .shape = {.valid = kFlagLifeFactsText,
                .members = {"action_seq", "actor", "amount", "code", "entity", "first_month", "last_month", "note",
                            "raised_seq", "reopened", "resolved_month", "severity", "state"},
                .values = {"\"DELAY_INVOICE\"", "\"invoice:INV-6-0-0\"", "\"invoice:INV-6-0-1\"", "\"2026-05\"",
                           "\"2026-07\"", "\"2026-13\"", "\"open\"", "\"resolved\"", "\"critical\"", "\"\"", "7",
                           "-3", "true", "null", "[]", "{}", "\"a\\\"b\"", "\"\\u0041\"", "\"1.5\""},
                .kept = {"code", "entity"}},
      .key = kFlagLifeFactsKey,
      .seed = 20261206,
      .rounds = 4000,
      .read = std::set<std::string>{"code", "entity", "first_month", "state"}};
  const test::PartialDecodeCounts counts = test::CheckPartialDecode<FlagLifeRecord>(
      property, [](std::string_view key, std::string_view text) { return DecodeFlagLifeEqualityFacts(key, text); },
      [](const FlagLifeEqualityFacts& facts, const FlagLifeRecord& full) {
        CHECK(facts.code == full.code);
        CHECK(facts.entity == full.entity);
        CHECK(facts.first_month == full.first_month);
        CHECK(facts.state == full.state);
      });
  CHECK(counts.full_ok > 100);
  CHECK(counts.partial_only > 100);  // damage in members it does not read is not its concern
}

TEST_CASE("a flag record whose id is not its code and entity is refused by the equality facts as by the record") {
  const std::string other_key = "flagstate/DELAY_INVOICE/invoice:INV-6-0-1";
  const auto full = DecodeRecordText<FlagLifeRecord>(other_key, kFlagLifeFactsText);
  const auto facts = DecodeFlagLifeEqualityFacts(other_key, kFlagLifeFactsText);
  REQUIRE_FALSE(full.ok());
  REQUIRE_FALSE(facts.ok());
  CHECK(facts.status().message() == full.status().message());
  CHECK(DecodeFlagLifeEqualityFacts(kFlagLifeFactsKey, kFlagLifeFactsText).ok());
}

}  // namespace
}  // namespace rf
