// LineBuilder: the lines a second thread builds while the drafts are applied
// are byte for byte the lines AppendEntryLine builds, chained, and stored in
// a form that decodes to them (stored_form.h); a draft is read only
// once final; a bad draft fails at its own index; an abandoned chunk stops
// the worker.
#include "ledger/storage/line_builder.h"

#include <catch2/catch.hpp>

#include "ledger/storage/stored_form.h"
#include "test_util.h"
#include "tests/body_util.h"

using rf::test::NoteDraft;

namespace {

constexpr char kRecorded[] = "2026-11-23T10:00:00.000000Z";

std::vector<rf::EntryDraft> Notes(size_t count) {
  std::vector<rf::EntryDraft> drafts;
  for (size_t i = 0; i < count; ++i) drafts.push_back(NoteDraft(i + 1));
  return drafts;
}

rf::crypto::Hash SomePrev() {
  rf::crypto::Hash prev{};
  for (size_t b = 0; b < prev.size(); ++b) prev[b] = static_cast<uint8_t>(31 + b * 7);
  return prev;
}

std::string Decoded(const rf::LineBuilder::Built& built) {
  rf::StoredDecoder decoder;
  auto line = decoder.Decode(built.stored);
  REQUIRE(line.ok());
  return std::string(*line);
}

std::string Expected(const rf::EntryDraft& draft, uint64_t seq, const rf::crypto::Hash& prev) {
  std::string line;
  REQUIRE(rf::AppendEntryLine(seq, kRecorded, prev, draft, &line).ok());
  return line;
}

}  // namespace

TEST_CASE("lines built on the second thread equal AppendEntryLine's, in small and threaded chunks", "[line_builder]") {
  for (const size_t count :
       {size_t{1}, rf::LineBuilder::kThreadedDraftsMin - 1, rf::LineBuilder::kThreadedDraftsMin, size_t{3000}}) {
    CAPTURE(count);
    std::vector<rf::EntryDraft> drafts = Notes(count);
    const std::vector<rf::EntryDraft> copy = drafts;
    const uint64_t first_seq = 41;
    rf::LineBuilder lines(drafts, first_seq, kRecorded, SomePrev());
    for (size_t i = 0; i < count; ++i) lines.Final(i + 1);
    rf::crypto::Hash prev = SomePrev();
    for (size_t i = 0; i < count; ++i) {
      auto built = lines.Line(i);
      REQUIRE(built.ok());
      const std::string expected = Expected(copy[i], first_seq + i, prev);
      REQUIRE(Decoded(*built) == expected);
      REQUIRE(built->leaf == rf::crypto::LeafHash(expected));
      REQUIRE(built->stored.size() < expected.size());  // stored compressed
      prev = built->leaf;
    }
  }
}

TEST_CASE("a draft completed before it is final is built as completed", "[line_builder]") {
  // The hook completes bodies as it applies them (postings a kind implies):
  // the worker must not read a draft before the hook says it is final.
  std::vector<rf::EntryDraft> drafts = Notes(2000);
  rf::LineBuilder lines(drafts, 1, kRecorded, SomePrev());
  for (size_t i = 0; i < drafts.size(); ++i) {
    rf::test::EditBody(&drafts[i], [&](nlohmann::json& b) { b["completed"] = "yes " + std::to_string(i); });
    lines.Final(i + 1);
  }
  for (size_t i = 0; i < drafts.size(); ++i) {
    auto built = lines.Line(i);
    REQUIRE(built.ok());
    REQUIRE(Decoded(*built).find("\"completed\":\"yes " + std::to_string(i) + "\"") != std::string::npos);
  }
}

TEST_CASE("a bad draft fails at its own index, and the lines before it are good", "[line_builder]") {
  std::vector<rf::EntryDraft> drafts = Notes(1000);
  rf::test::EditBody(&drafts[700], [&](nlohmann::json& b) { b["rate"] = 0.5; });  // JCS here carries integers only
  rf::LineBuilder lines(drafts, 1, kRecorded, SomePrev());
  lines.Final(drafts.size());
  for (size_t i = 0; i < 700; ++i) REQUIRE(lines.Line(i).ok());
  auto bad = lines.Line(700);
  REQUIRE_FALSE(bad.ok());
  REQUIRE_THAT(bad.status().message(), Catch::Contains("body.rate"));
}

TEST_CASE("a chunk abandoned part way stops its worker, and the const form leaves bodies alone", "[line_builder]") {
  SECTION("abandoned before every draft is final (the hook refused one)") {
    std::vector<rf::EntryDraft> drafts = Notes(5000);
    {
      rf::LineBuilder lines(drafts, 1, kRecorded, SomePrev());
      lines.Final(100);
    }  // joins without waiting for drafts that never become final
    REQUIRE(rf::test::BodyOf(drafts[4999]).is_object());
  }
  SECTION("the owning form frees bodies once built; the const form does not") {
    std::vector<rf::EntryDraft> owned = Notes(1000);
    const std::vector<rf::EntryDraft> kept = Notes(1000);
    {
      rf::LineBuilder a(owned, 1, kRecorded, SomePrev());
      rf::LineBuilder b(kept, 1, kRecorded, SomePrev());
      a.Final(owned.size());
      b.Final(kept.size());
      REQUIRE(a.Line(owned.size() - 1).ok());
      REQUIRE(b.Line(kept.size() - 1).ok());
    }
    for (const auto& d : kept) REQUIRE(rf::test::BodyOf(d).is_object());
  }
}
