// The ids a file has given (ingest/seen_ids.h): a repeated id is found with
// the line that first gave it, whatever order ids come in.
#include "ingest/seen_ids.h"

#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>

TEST_CASE("a repeated id names the line that first gave it, in ascending, descending and mixed order") {
  rf::SeenIds seen;
  CHECK(!seen.Insert("INV-2", 2).has_value());
  CHECK(!seen.Insert("INV-4", 3).has_value());
  CHECK(!seen.Insert("INV-3", 4).has_value());  // out of order, new
  CHECK(!seen.Insert("INV-1", 5).has_value());
  CHECK(seen.Insert("INV-4", 6) == 3u);  // the run's last
  CHECK(seen.Insert("INV-2", 7) == 2u);  // the run's first
  CHECK(seen.Insert("INV-3", 8) == 4u);  // out of order, repeated
  CHECK(seen.Insert("INV-1", 9) == 5u);
  CHECK(!seen.Insert("INV-40", 10).has_value());
  CHECK(seen.Insert("INV-40", 11) == 10u);
  CHECK(!seen.Insert("", 12).has_value());  // sorts first of all
  CHECK(seen.Insert("", 13) == 12u);
  CHECK(seen.size() == 6);
}

TEST_CASE("property: SeenIds answers as a map of first lines does, over random id sequences", "[property]") {
  std::mt19937_64 random(5);
  for (int trial = 0; trial < 200; ++trial) {
    rf::SeenIds seen;
    std::map<std::string, uint64_t> first;
    const int ids = 1 + static_cast<int>(random() % 400);
    const int ascending_percent = static_cast<int>(random() % 101);
    int next = 0;
    for (uint64_t line = 1; line <= 600; ++line) {
      int n = 0;
      if (static_cast<int>(random() % 100) < ascending_percent) {
        n = next++;
      } else {
        n = static_cast<int>(random() % static_cast<uint64_t>(ids + next + 1));
      }
      const std::string id = "ID-" + std::to_string(n) + (random() % 5 == 0 ? "-long-enough-for-the-heap" : "");
      const auto expected = first.find(id);
      const std::optional<uint64_t> got = seen.Insert(id, line);
      if (expected == first.end()) {
        CHECK(!got.has_value());
        first.emplace(id, line);
      } else {
        REQUIRE(got.has_value());
        CHECK(*got == expected->second);
      }
    }
    CHECK(seen.size() == first.size());
  }
}
