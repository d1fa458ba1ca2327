// Journal entries: the canonical line and its strict reader.
#include <catch2/catch.hpp>

#include "ledger/entry.h"
#include "test_util.h"

namespace {

std::string LineOf(const rf::EntryDraft& draft, uint64_t seq = 7) {
  rf::Entry e;
  e.seq = seq;
  e.recorded = "2026-11-23T14:00:00.000000Z";
  e.prev = rf::crypto::LeafHash("previous");
  e.draft = draft;
  std::string line;
  REQUIRE(rf::AppendEntryLine(e, &line).ok());
  return line;
}

}  // namespace

TEST_CASE("an entry line is canonical JSON with sorted envelope members and round-trips") {
  const rf::EntryDraft draft = rf::test::NoteDraft(3);
  const std::string line = LineOf(draft);
  CHECK(line.rfind("{\"actor\":\"tester\",\"body\":{\"amount\":\"12.50\",\"n\":3,", 0) == 0);
  CHECK(line.find("\"effective\":\"2026-04-01\",\"kind\":\"note\",\"prev\":\"") != std::string::npos);
  CHECK(line.find("\"seq\":7,\"source\":\"test#3\"}") != std::string::npos);
  auto parsed = rf::ParseEntryLine(line);
  REQUIRE(parsed.ok());
  CHECK(parsed->seq == 7);
  CHECK(parsed->prev == rf::crypto::LeafHash("previous"));
  CHECK(parsed->draft.body == draft.body);
  CHECK(parsed->draft.actor == "tester");
  CHECK(LineOf(parsed->draft) == line);
}

TEST_CASE("the entry reader refuses extra, missing or malformed members") {
  const std::string line = LineOf(rf::test::NoteDraft(1));
  std::vector<rf::ScannedMember> scratch;
  CHECK(rf::ScanEntryHeader(line, &scratch).ok());
  std::string extra = line;
  extra.insert(extra.size() - 1, ",\"zzz\":1");
  CHECK_FALSE(rf::ParseEntryLine(extra).ok());
  std::string seq0 = line;
  seq0.replace(seq0.find("\"seq\":7"), 7, "\"seq\":0");
  CHECK_FALSE(rf::ParseEntryLine(seq0).ok());
  std::string upper = line;
  const size_t prev = upper.find("\"prev\":\"") + 8;
  upper[prev] = static_cast<char>(std::toupper(upper[prev]) == upper[prev] ? 'G' : std::toupper(upper[prev]));
  CHECK_FALSE(rf::ParseEntryLine(upper).ok());
  std::string bad_date = line;
  bad_date.replace(bad_date.find("2026-04-01"), 10, "2026-02-30");
  CHECK_FALSE(rf::ParseEntryLine(bad_date).ok());
}

TEST_CASE("drafts with a bad kind, empty actor or non-object body are refused") {
  rf::EntryDraft d = rf::test::NoteDraft(1);
  CHECK(rf::ValidateDraft(d).ok());
  d.kind = "Note";
  CHECK_FALSE(rf::ValidateDraft(d).ok());
  d = rf::test::NoteDraft(1);
  d.actor = "";
  CHECK_FALSE(rf::ValidateDraft(d).ok());
  d = rf::test::NoteDraft(1);
  d.actor = "tab\there";
  CHECK_FALSE(rf::ValidateDraft(d).ok());
  d = rf::test::NoteDraft(1);
  d.body = nlohmann::json::array();
  CHECK_FALSE(rf::ValidateDraft(d).ok());
}
