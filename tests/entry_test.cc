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
  CHECK(parsed->draft.body_json == draft.body_json);
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
  d.body_json = "[1]";
  CHECK_FALSE(rf::ValidateDraft(d).ok());
}

TEST_CASE("a body is canonical text, carried into the line as it is, and only canonical text is taken") {
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
  CHECK(rf::ValidateDraft(text).ok());
  auto dom = rf::ParseBodyJson(text.body_json);
  REQUIRE(dom.ok());
  CHECK(dom->at("description") == f.description);
  CHECK(dom->at("invoice_id") == f.invoice_id);
  CHECK(dom->size() == 9);
  CHECK(*rf::Canonicalize(*dom) == text.body_json);
  CHECK(LineOf(text).find(",\"body\":" + text.body_json + ",") != std::string::npos);
  auto parsed = rf::ParseEntryLine(LineOf(text));
  REQUIRE(parsed.ok());
  CHECK(parsed->draft.body_json == text.body_json);
  auto reader = rf::BodyReader::Scan(text.body_json);
  REQUIRE(reader.ok());
  CHECK(reader->Text("description") == f.description);
  CHECK(reader->Raw("amount") == "\"12.30\"");
  CHECK_FALSE(reader->Has("postings"));

  // A DOM a person wrote becomes the same text at the edge.
  rf::EntryDraft from_dom = text;
  REQUIRE(rf::SetBodyFromJson(*dom, &from_dom).ok());
  CHECK(from_dom.body_json == text.body_json);
  CHECK_THAT(rf::SetBodyFromJson({{"a", 1.5}}, &from_dom).message(), Catch::Contains("body.a"));
  CHECK_FALSE(rf::SetBodyFromJson(nlohmann::json::array(), &from_dom).ok());

  // Text that is not one canonical object is refused where it is read.
  for (const std::string bad :
       {"{\"b\":\"1\",\"a\":\"2\"}", "{\"a\": \"1\"}", "{\"a\":1.5}", "{\"a\":\"1\"}{}", "{\"a\":\"\\u0041\"}"}) {
    rf::EntryDraft d = text;
    d.body_json = bad;
    CAPTURE(bad);
    CHECK(rf::ValidateDraft(d).ok());  // the envelope: braces only
    std::string line;
    CHECK_FALSE(rf::AppendEntryLine(7, "2026-11-23T14:00:00.000000Z", rf::crypto::Hash{}, d, &line).ok());
    CHECK_FALSE(rf::ParseBodyJson(d.body_json).ok());
    CHECK_FALSE(rf::BodyReader::Scan(d.body_json).ok());
  }
  rf::EntryDraft fraction = text;
  fraction.body_json = "{\"a\":1.5}";
  std::string line;
  CHECK_THAT(rf::AppendEntryLine(7, "2026-11-23T14:00:00.000000Z", rf::crypto::Hash{}, fraction, &line).message(),
             Catch::Contains("body.a: is a fractional number"));
  rf::EntryDraft not_object = text;
  not_object.body_json = "[1]";
  CHECK_FALSE(rf::ValidateDraft(not_object).ok());
  not_object.body_json = "";
  CHECK_FALSE(rf::ValidateDraft(not_object).ok());
}
