#ifndef RINGFENCE_TESTS_PARTIAL_DECODE_H_
#define RINGFENCE_TESTS_PARTIAL_DECODE_H_

// The property of a stored record's partial decoder (one that reads some
// members of the record's text, e.g. DecodePaymentFlagFacts), against the
// full decode DecodeRecordText<Record>, over random and damaged texts of a
// valid record: where the full decode reads a text, the partial one reads it
// too and gives the same members; where the full one refuses it, a refusal
// of the partial one has the same code and, for a decoder that promises it,
// the full decode's first error in a member the partial reads is its error,
// to the byte. One function template over the record and facts types serves
// every partial decoder.

#include <catch2/catch.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/records.h"

namespace rf::test {

// A valid record's text and what its random and damaged texts are made of.
struct RecordTextShape {
  std::string valid;                 // one flat JSON object
  std::vector<std::string> members;  // written in this order; the valid text may lack some
  std::vector<std::string> values;   // what a replaced member holds (JSON texts)
  std::set<std::string> kept = {};   // never dropped (the members the key names)
};

// Round `round`'s text, by round % 3:
//  0: member by member, each its valid value (6 in 10), another of `values`
//     (1 in 10), another value twice (1 in 10), or dropped (2 in 10); a
//     member the valid text lacks takes another value in place of its own;
//  1: the valid values with some members dropped (1 in 6): texts the full
//     decode often reads;
//  2: the valid text with 1 to 3 bytes changed, removed or inserted.
inline std::string RecordTextRound(const RecordTextShape& shape, int round, std::mt19937_64& rng) {
  REQUIRE(!shape.valid.empty());
  REQUIRE(!shape.values.empty());
  const nlohmann::json base = nlohmann::json::parse(shape.valid);
  if (round % 3 == 2) {
    std::string text = shape.valid;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = rng() % text.size();
      const char bytes[] = {'"', ',', ':', '{', '}', ' ', '\\', '0', '9', 'a', '-', '.', '\x01', '\xff'};
      switch (rng() % 3) {
        case 0: text[at] = bytes[rng() % sizeof(bytes)]; break;
        case 1: text.erase(at, 1); break;
        default: text.insert(at, 1, bytes[rng() % sizeof(bytes)]);
      }
    }
    return text;
  }
  std::string text = "{";
  bool first = true;
  for (const std::string& m : shape.members) {
    const int roll = static_cast<int>(rng() % (round % 3 == 0 ? 10 : 6));
    const bool dropped = round % 3 == 0 ? roll >= 8 : roll == 0;
    std::string value;
    if (dropped && shape.kept.count(m) == 0) continue;
    if (round % 3 == 1 || dropped || (roll < 6 && base.contains(m))) {
      if (!base.contains(m)) continue;  // a kept member the valid text lacks: absent
      value = base[m].dump();
    } else {
      value = shape.values[rng() % shape.values.size()];
    }
    for (int k = 0; k < (round % 3 == 0 && roll == 7 ? 2 : 1); ++k) {
      text += (first ? "" : ",") + std::string("\"") + m + "\":" + value;
      first = false;
    }
  }
  return text + "}";
}

// The member a Tampered message names ("view K member M: ..."), "" for an
// error in the text as a whole.
inline std::string ErrorMember(const std::string& message) {
  const std::string marker = " member ";
  const size_t at = message.find(marker);
  if (at == std::string::npos) return "";
  const size_t from = at + marker.size();
  return message.substr(from, message.find(':', from) - from);
}

struct PartialDecodeProperty {
  RecordTextShape shape;
  std::string key;  // the record's ("payment/PAY-1")
  uint64_t seed = 0;
  int rounds = 0;
  // The members the partial decoder reads, for one whose errors are the full
  // decode's for them: the full decode's first error in one of them (or in
  // the text as a whole) is then the partial's, to the byte. Unset: a
  // refusal of both has the same code, nothing more.
  std::optional<std::set<std::string>> read = std::nullopt;
};

// What the texts checked were.
struct PartialDecodeCounts {
  int texts = 0;         // checked (not passed over by the case filter)
  int full_ok = 0;       // read by the full decode (and so by the partial one)
  int partial_only = 0;  // refused by the full decode only: an error in a member the partial does not read
};

// Any record is a case of the property.
struct EveryRecord {
  template <typename Record>
  bool operator()(const Record&) const {
    return true;
  }
};

// The property on one text. `partial(key, text)` returns Result<Facts>;
// `same(facts, record)` checks the facts hold the record's members.
template <typename Record, typename Partial, typename Same>
void CheckPartialDecodeText(const PartialDecodeProperty& property, const std::string& text, Partial&& partial,
                            Same&& same, PartialDecodeCounts& counts) {
  INFO(text);
  const auto full = DecodeRecordText<Record>(property.key, text);
  const auto facts = partial(std::string_view(property.key), text);
  ++counts.texts;
  if (full.ok()) {
    ++counts.full_ok;
    REQUIRE(facts.ok());
    same(*facts, *full);
    return;
  }
  if (facts.ok()) {
    ++counts.partial_only;
  } else {
    CHECK(facts.status().code() == full.status().code());
  }
  if (!property.read) return;
  const std::string member = ErrorMember(full.status().message());
  if (member.empty() || property.read->count(member) > 0) {
    REQUIRE_FALSE(facts.ok());
    CHECK(facts.status().message() == full.status().message());
  }
}

// The property over `property.rounds` texts of RecordTextRound (the same
// texts for the same seed). A text the full decode reads into a record
// `is_case` refuses (one whose members name another record than the key)
// is passed over.
template <typename Record, typename Partial, typename Same, typename IsCase = EveryRecord>
PartialDecodeCounts CheckPartialDecode(const PartialDecodeProperty& property, Partial&& partial, Same&& same,
                                       IsCase&& is_case = {}) {
  REQUIRE(property.rounds > 0);
  std::mt19937_64 rng(property.seed);
  PartialDecodeCounts counts;
  for (int round = 0; round < property.rounds; ++round) {
    const std::string text = RecordTextRound(property.shape, round, rng);
    const auto full = DecodeRecordText<Record>(property.key, text);
    if (full.ok() && !is_case(*full)) continue;
    CheckPartialDecodeText<Record>(property, text, partial, same, counts);
  }
  REQUIRE(counts.texts <= property.rounds);
  return counts;
}

}  // namespace rf::test

#endif  // RINGFENCE_TESTS_PARTIAL_DECODE_H_
