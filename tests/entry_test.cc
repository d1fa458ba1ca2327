// Journal entries: the canonical line and its strict reader.
#include "ledger/core/entry.h"

#include <catch2/catch.hpp>

#include "ledger/core/entry_kinds.h"
#include "ledger_fixture.h"
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

TEST_CASE("a body given as canonical text makes the same line as its DOM, and only canonical text is taken") {
  rf::InvoiceFields f{"INV-\"7\"",
                      "V-1",
                      "B-1",
                      "therapy",
                      "Sessions, \"May\"\n\u00e9",
                      rf::test::P("12.30"),
                      rf::test::D("2026-05-01"),
                      rf::test::D("2026-05-31"),
                      rf::test::D("2026-06-03")};
  const rf::EntryDraft text = rf::InvoiceReceivedDraft(f, rf::test::kTester);
  REQUIRE_FALSE(text.body_canonical.empty());
  CHECK(text.body.empty());
  CHECK(rf::ValidateDraft(text).ok());
  rf::EntryDraft dom = text;
  REQUIRE(rf::MaterializeBody(&dom).ok());
  CHECK(dom.body_canonical.empty());
  CHECK(dom.body.at("description") == f.description);
  CHECK(dom.body.at("invoice_id") == f.invoice_id);
  CHECK(dom.body.size() == 9);
  CHECK(*rf::Canonicalize(dom.body) == text.body_canonical);
  CHECK(LineOf(text) == LineOf(dom));
  auto parsed = rf::ParseEntryLine(LineOf(text));
  REQUIRE(parsed.ok());
  CHECK(parsed->draft.body == dom.body);

  // Text that is not one canonical object is refused where it is read.
  for (const std::string bad :
       {"{\"b\":\"1\",\"a\":\"2\"}", "{\"a\": \"1\"}", "{\"a\":1.5}", "{\"a\":\"1\"}{}", "{\"a\":\"\\u0041\"}"}) {
    rf::EntryDraft d = text;
    d.body_canonical = bad;
    CAPTURE(bad);
    CHECK(rf::ValidateDraft(d).ok());  // the envelope: braces only
    std::string line;
    CHECK_FALSE(rf::AppendEntryLine(7, "2026-11-23T14:00:00.000000Z", rf::crypto::Hash{}, d, &line).ok());
    CHECK_FALSE(rf::MaterializeBody(&d).ok());
  }
  rf::EntryDraft both = text;
  both.body["x"] = 1;
  CHECK_FALSE(rf::ValidateDraft(both).ok());
  rf::EntryDraft not_object = text;
  not_object.body_canonical = "[1]";
  CHECK_FALSE(rf::ValidateDraft(not_object).ok());
}
