// The views cache: serialised forms are canonical and read back exactly.
#include "ledger/views.h"

#include <catch2/catch.hpp>
#include <random>

#include "ledger/canonical_json.h"

TEST_CASE("pot and budget totals serialise as canonical JSON and read back exactly", "[property]") {
  std::mt19937 rng(42);
  for (int run = 0; run < 2000; ++run) {
    rf::TypeTotals totals;
    nlohmann::json reference = nlohmann::json::object();
    const char* names[] = {"funding", "pot", "budget", "payable", "dp", "paid", "spent", "external"};
    for (size_t i = 0; i < rf::kAccountTypes; ++i) {
      if (rng() % 2 == 0) continue;
      const int64_t pence = static_cast<int64_t>(rng() % 2000001) - 1000000;
      totals.net[i] = rf::Pence::FromPence(pence);
      if (pence != 0) reference[names[i]] = totals.net[i].ToDecimal();
    }
    const std::string text = rf::SerializeTotals(totals);
    REQUIRE(text == *rf::Canonicalize(reference));
    auto back = rf::ParseTotals(text, "budnet/B-1");
    REQUIRE(back.ok());
    REQUIRE(back->net == totals.net);
  }
}

TEST_CASE("a totals view that is not in canonical form is reported as damaged") {
  for (const char* bad :
       {"", "{", "{\"pot\":\"1.00\",}", "{\"pot\":\"1.00\",\"budget\":\"2.00\"}", "{\"pot\":\"0.00\"}",
        "{\"pot\":\"1.0\"}", "{\"bogus\":\"1.00\"}", "{\"pot\":1.00}", "{ \"pot\":\"1.00\"}"}) {
    INFO(bad);
    auto parsed = rf::ParseTotals(bad, "potnet/P");
    REQUIRE(parsed.status().code() == rf::Status::Code::kTampered);
  }
  REQUIRE(rf::ParseTotals("{}", "potnet/P").ok());
}
