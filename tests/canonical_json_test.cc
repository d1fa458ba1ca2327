// Canonical JSON (RFC 8785 / JCS) as the journal uses it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "ledger/core/canonical_json.h"

using nlohmann::json;

namespace {

bool Scans(std::string_view text) {
  std::vector<rf::ScannedMember> members;
  return rf::ScanCanonicalObject(text, &members).ok();
}

json RandomValue(std::mt19937_64& rng, int depth) {
  const int pick = static_cast<int>(rng() % (depth > 3 ? 5 : 7));
  switch (pick) {
    case 0: return nullptr;
    case 1: return rng() % 2 == 0;
    case 2: return static_cast<int64_t>(rng() % 2000001) - 1000000;
    case 3:
    case 4: {
      static const std::vector<std::string> pieces = {"a", "Z", "\"", "\\", "\n", "\x01", "\x1f", "\x7f", "/",
                                                      "\xc3\xb6", "\xe2\x82\xac", "\xf0\x9f\x98\x80", " ", "0"};
      std::string s;
      for (int i = static_cast<int>(rng() % 6); i > 0; --i) s += pieces[rng() % pieces.size()];
      return s;
    }
    case 5: {
      json a = json::array();
      for (int i = static_cast<int>(rng() % 4); i > 0; --i) a.push_back(RandomValue(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      static const std::vector<std::string> keys = {"a", "b", "amount", "\xef\xac\xb3", "\xf0\x9f\x98\x80", "1",
                                                    "\r", "\xc2\x80"};
      for (int i = static_cast<int>(rng() % 5); i > 0; --i) o[keys[rng() % keys.size()]] = RandomValue(rng, depth + 1);
      return o;
    }
  }
}

}  // namespace

TEST_CASE("object keys sort by UTF-16 code units as in RFC 8785 section 3.2.3") {
  // The RFC's own sorting example: U+1F600 sorts before U+FB33 in UTF-16,
  // though not by code point.
  const json value = json::parse(
      R"({"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",)"
      R"("\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"})");
  auto canonical = rf::Canonicalize(value);
  REQUIRE(canonical.ok());
  CHECK(*canonical ==
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\",\"\xc3\xb6\":\"Latin Small Letter O With "
        "Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":"
        "\"Hebrew Letter Dalet With Dagesh\"}");
  CHECK(Scans(*canonical));
}

TEST_CASE("strings use the minimal ES6 escapes of RFC 8785") {
  // RFC 8785 section 3.2.2.2 example string.
  const json value = json::parse(R"({"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/"})");
  auto canonical = rf::Canonicalize(value);
  REQUIRE(canonical.ok());
  CHECK(*canonical == "{\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
  CHECK(Scans(*canonical));
}

TEST_CASE("fractional numbers, huge integers and invalid UTF-8 cannot enter the journal") {
  CHECK_FALSE(rf::Canonicalize(json{{"amount", 12.5}}).ok());
  CHECK_FALSE(rf::Canonicalize(json{{"n", int64_t{1} << 53}}).ok());
  CHECK(rf::Canonicalize(json{{"n", (int64_t{1} << 53) - 1}}).ok());
  CHECK_FALSE(rf::Canonicalize(json{{"s", std::string("\xff")}}).ok());
  CHECK_FALSE(rf::Canonicalize(json{{"s", std::string("\xed\xa0\x80")}}).ok());  // a surrogate
  CHECK_FALSE(rf::Canonicalize(json{{"s", std::string("\xc0\xaf")}}).ok());      // overlong '/'
  auto err = rf::Canonicalize(json{{"body", {{"amount", 1.5}}}});
  REQUIRE_FALSE(err.ok());
  CHECK(err.status().message().find("body.amount") != std::string::npos);
}

TEST_CASE("the scanner refuses every non-canonical form") {
  CHECK(Scans(R"({"a":1,"b":[true,false,null],"c":{"d":"e"}})"));
  CHECK(Scans("{}"));
  CHECK_FALSE(Scans(R"({"a": 1})"));              // white space
  CHECK_FALSE(Scans(R"({"b":1,"a":2})"));         // unsorted
  CHECK_FALSE(Scans(R"({"a":1,"a":2})"));         // duplicate key
  CHECK_FALSE(Scans(R"({"a":01})"));              // leading zero
  CHECK_FALSE(Scans(R"({"a":-0})"));              // negative zero
  CHECK_FALSE(Scans(R"({"a":1.0})"));             // fraction
  CHECK_FALSE(Scans(R"({"a":1e3})"));             // exponent
  CHECK_FALSE(Scans(R"({"a":"\/"})"));            // needless escape
  CHECK_FALSE(Scans(R"({"a":"\u0041"})"));        // needless \u escape
  CHECK_FALSE(Scans(R"({"a":"\u000A"})"));        // upper-case hex, and \n has a short form
  CHECK_FALSE(Scans(R"({"a":"\u001F"})"));        // upper-case hex
  CHECK(Scans(R"({"a":"\u001f"})"));
  CHECK_FALSE(Scans("{\"a\":\"\x01\"}"));         // raw control character
  CHECK_FALSE(Scans("{\"a\":\"\xff\"}"));         // invalid UTF-8
  CHECK_FALSE(Scans(R"({"a":1})" "\n"));          // trailing newline
  CHECK_FALSE(Scans(R"({"a":1}{})"));             // trailing garbage
  CHECK_FALSE(Scans(R"({"a":tru})"));
  CHECK_FALSE(Scans(R"([1])"));                   // not an object
  CHECK_FALSE(Scans(R"({"a":9007199254740992})"));  // 2^53
  CHECK(Scans(R"({"a":9007199254740991})"));
  std::string deep = "{\"a\":";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  CHECK_FALSE(Scans(deep + "}"));
}

TEST_CASE("canonicalization is a fixed point and the scanner accepts exactly its output (property)") {
  std::mt19937_64 rng(20261123);
  for (int trial = 0; trial < 3000; ++trial) {
    json value = json::object();
    for (int i = static_cast<int>(rng() % 6); i > 0; --i) value["k" + std::to_string(rng() % 9)] = RandomValue(rng, 1);
    auto canonical = rf::Canonicalize(value);
    REQUIRE(canonical.ok());
    std::vector<rf::ScannedMember> members;
    INFO(*canonical);
    REQUIRE(rf::ScanCanonicalObject(*canonical, &members).ok());
    CHECK(members.size() == value.size());
    auto again = rf::Canonicalize(json::parse(*canonical));
    REQUIRE(again.ok());
    CHECK(*again == *canonical);
    // Any single inserted space breaks canonical form.
    const size_t at = 1 + rng() % (canonical->size() - 1);
    std::string spaced = *canonical;
    spaced.insert(at, " ");
    const bool inside_string = [&] {
      bool in = false;
      for (size_t i = 0; i < at; ++i) {
        if ((*canonical)[i] == '\\') {
          ++i;
          continue;
        }
        if ((*canonical)[i] == '"') in = !in;
      }
      return in;
    }();
    if (!inside_string) CHECK_FALSE(Scans(spaced));
  }
}

TEST_CASE("members set on a canonical object's text give what Canonicalize gives for the DOM so changed (property)") {
  std::mt19937_64 rng(20261206);
  // Top-level keys that sort differently by UTF-16 than by bytes, and one
  // that needs an escape, beside plain ones the set replaces.
  static const std::vector<std::string> kKeys = {"a", "amount", "b", "state", "\xef\xac\xb3", "\xf0\x9f\x98\x80",
                                                 "\r", "k1", "zz"};
  static const std::vector<std::string_view> kNames = {"a", "amount", "b", "state", "k1", "k2", "settled_seq", "zz"};
  for (int trial = 0; trial < 3000; ++trial) {
    json value = json::object();
    for (int i = static_cast<int>(rng() % 7); i > 0; --i) value[kKeys[rng() % kKeys.size()]] = RandomValue(rng, 1);
    auto before = rf::Canonicalize(value);
    REQUIRE(before.ok());
    std::vector<std::string_view> names;
    for (int i = static_cast<int>(rng() % 4); i > 0; --i) {
      const std::string_view name = kNames[rng() % kNames.size()];
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    std::vector<std::string> values;  // held: the set views them
    std::vector<rf::CanonicalMemberSet> set;
    json expected = value;
    values.reserve(names.size());
    for (const std::string_view name : names) {
      const json member = RandomValue(rng, 1);
      auto text = rf::Canonicalize(member);
      REQUIRE(text.ok());
      values.push_back(*text);
      set.push_back({name, values.back()});
      expected[std::string(name)] = member;
    }
    auto changed = rf::WithCanonicalMembers(*before, set);
    INFO(*before);
    REQUIRE(changed.ok());
    auto want = rf::Canonicalize(expected);
    REQUIRE(want.ok());
    CHECK(*changed == *want);
  }
  std::vector<rf::CanonicalMemberSet> one = {{"a", "1"}};
  CHECK_FALSE(rf::WithCanonicalMembers("{\"b\":1,\"a\":2}", one).ok());  // not canonical: refused
  CHECK(rf::WithCanonicalMembers("{}", one).value() == "{\"a\":1}");
}
