// The flat form of invoice records (stored_record.h): every record ringfence
// writes has one and reads back as exactly its canonical text; a record
// without one is stored with zstd; a damaged flat form is refused or reads
// as some other record (which verify's rebuild then names), never crashes.
#include "ledger/core/stored_record.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "ledger/core/canonical_json.h"
#include "ledger/storage/stored_form.h"

namespace {

// The flat form of `text`, or "" when it has none.
std::string Flat(const std::string& text) {
  std::string out(rf::FlatRecordBytesMax(text.size()), '\0');
  out.resize(rf::EncodeFlatRecord(text, out.data()));
  return out;
}

std::string Decoded(const std::string& flat) {
  std::string text;
  const rf::Status status = rf::DecodeFlatRecord(flat, &text);
  INFO(status.message());
  REQUIRE(status.ok());
  return text;
}

const std::string kReceived =
    R"({"amount":"412.50","budget_id":"B-000123","provider_id":"V-0042","received_on":"2026-06-03","seq":1048577,)"
    R"("service_from":"2026-05-01","service_to":"2026-05-31","state":"received"})";

}  // namespace

TEST_CASE("an invoice record as an invoices load writes it has a flat form of a quarter its size") {
  const std::string flat = Flat(kReceived);
  REQUIRE(!flat.empty());
  CHECK(flat.front() == rf::kFlatRecordByte);
  CHECK(Decoded(flat) == kReceived);
  // 1 + amount 1+3 + ids 1+1+8, 1+1+6 + dates 3 x (1+3) + seq 1+3 + state 1+1
  CHECK(flat.size() == 41);
  CHECK(kReceived.size() == 179);
}

TEST_CASE("approved and paid invoice records keep their flat form") {
  for (
      const std::string text : {
          R"({"amount":"412.50","approved_on":"2026-06-10","approved_seq":2000001,"budget_id":"B-1","provider_id":"V-1",)"
          R"("received_on":"2026-06-03","seq":17,"service_from":"2026-05-01","service_to":"2026-05-31","state":"approved"})",
          R"({"amount":"0.01","approved_on":"2026-06-10","approved_seq":1,"budget_id":"B-1","payment_id":"PAY-INV-1",)"
          R"("provider_id":"V-1","received_on":"2026-06-03","seq":0,"service_from":"2026-05-01","service_to":"2026-05-31",)"
          R"("state":"paid"})",
      }) {
    const std::string flat = Flat(text);
    REQUIRE(!flat.empty());
    CHECK(Decoded(flat) == text);
  }
}

TEST_CASE("every value reads back as the very text it was: dates, amounts, counts, words and text") {
  // Each value in a member of the table; the text's own bytes come back,
  // whichever type it was stored as.
  const std::vector<std::string> values = {R"("0000-00-00")",
                                           R"("9999-15-31")",
                                           R"("2026-13-01")",
                                           R"("2026-16-01")",
                                           R"("2026-01-32")",
                                           R"("2026-1-01")",
                                           R"("0.00")",
                                           R"("-0.01")",
                                           R"("-0.00")",
                                           R"("00.50")",
                                           R"("1.5")",
                                           R"("1.500")",
                                           R"("9999999999999999.99")",
                                           R"("99999999999999999.99")",
                                           R"("-12.30")",
                                           R"("received")",
                                           R"("Received")",
                                           R"("paid ")",
                                           R"("")",
                                           R"("café ✓")",
                                           R"("B-1/2")",
                                           "0",
                                           "7",
                                           "9999999999999999",
                                           R"("2026-06-03x")"};
  for (const std::string& value : values) {
    const std::string text = "{\"budget_id\":" + value + "}";
    const std::string flat = Flat(text);
    INFO(text);
    REQUIRE(!flat.empty());
    CHECK(Decoded(flat) == text);
  }
}

TEST_CASE("a record that is not a flat object of known members has no flat form") {
  for (const std::string text :
       {R"({})", R"({"category":"activities"})", R"({"budget_id":"a\"b"})", R"({"budget_id":"a\\b"})",
        R"({"budget_id":"\u0001"})", R"({"seq":-1})", R"({"seq":1.5})", R"({"seq":01})", R"({"seq":12345678901234567})",
        R"({"seq":true})", R"({"seq":null})", R"({"budget_id":{"a":1}})", R"({"budget_id":["x"]})", R"({"seq":1,})",
        R"({"seq":1 })", R"([1])", R"("x")"}) {
    INFO(text);
    CHECK(Flat(text).empty());
  }
}

TEST_CASE("the invoice record compressor writes the flat form and falls back to zstd") {
  rf::StoredCompressor compressor(rf::StoredDictionary::kInvoiceRecordV1);
  rf::StoredDecoder decoder;
  std::string stored;
  compressor.Compress(kReceived, &stored);
  CHECK(stored.front() == rf::kFlatRecordByte);
  CHECK(stored.size() <= rf::StoredCompressor::Bound(kReceived.size()));
  auto back = decoder.Decode(stored);
  REQUIRE(back.ok());
  CHECK(*back == kReceived);

  const std::string older = R"({"amount":"12.50","category":"activities","seq":4,"state":"received"})";
  compressor.Compress(older, &stored);
  CHECK(stored.front() == static_cast<char>(rf::StoredDictionary::kInvoiceRecordV1));
  back = decoder.Decode(stored);
  REQUIRE(back.ok());
  CHECK(*back == older);

  // Journal lines are never written flat, whatever they hold.
  rf::StoredCompressor lines(rf::StoredDictionary::kLineV1);
  lines.Compress(kReceived, &stored);
  CHECK(stored.front() == static_cast<char>(rf::StoredDictionary::kLineV1));
}

TEST_CASE("property: random flat records read back exactly, and canonical") {
  std::mt19937_64 random(20261201);
  const std::vector<std::string> names = {"amount",       "approved_on", "approved_seq", "budget_id",
                                          "payment_id",   "provider_id", "received_on",  "seq",
                                          "service_from", "service_to",  "state"};
  const auto digits = [&](size_t n, bool leading_zero_ok) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += static_cast<char>('0' + random() % 10);
    if (!leading_zero_ok && s.size() > 1 && s[0] == '0') s[0] = '1';
    return s;
  };
  const auto value = [&]() -> std::string {
    switch (random() % 6) {
      case 0:
        return "\"" + digits(4, true) + "-" + digits(2, true) + "-" + digits(2, true) + "\"";
      case 1:
        return std::string("\"") + (random() % 2 ? "-" : "") + digits(1 + random() % 17, false) + "." +
               digits(2, true) + "\"";
      case 2:
        return digits(1 + random() % 15, false);  // canonical JSON integers stop at 2^53
      case 3:
        return random() % 2 ? "\"received\"" : "\"paid\"";
      default: {
        std::string s = "\"";
        const size_t n = random() % 40;
        for (size_t i = 0; i < n; ++i) {
          char c = static_cast<char>(0x20 + random() % 0x5F);
          if (c == '"' || c == '\\') c = '-';
          s += c;
        }
        return s + "\"";
      }
    }
  };
  size_t flat_count = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text = "{";
    for (size_t i = 0; i < names.size(); ++i) {
      if (random() % 3 == 0) continue;
      if (text.size() > 1) text += ",";
      text += "\"" + names[i] + "\":" + value();
    }
    text += "}";
    if (text == "{}") continue;
    auto canonical = rf::Canonicalize(nlohmann::json::parse(text));
    REQUIRE(canonical.ok());
    REQUIRE(*canonical == text);  // the test builds canonical records only
    const std::string flat = Flat(text);
    INFO(text);
    REQUIRE(!flat.empty());
    ++flat_count;
    CHECK(flat.size() < text.size());
    CHECK(Decoded(flat) == text);
  }
  CHECK(flat_count > 2500);
}

TEST_CASE("a damaged flat record is refused or reads as another flat record, never more") {
  const std::string flat = Flat(kReceived);
  REQUIRE(!flat.empty());
  size_t refused = 0, other = 0;
  for (size_t cut = 1; cut < flat.size(); ++cut) {
    std::string text;
    const rf::Status status = rf::DecodeFlatRecord(flat.substr(0, cut), &text);
    if (!status.ok()) {
      CHECK(status.code() == rf::Status::Code::kTampered);
      ++refused;
    } else {
      CHECK(text != kReceived);
      ++other;
    }
  }
  for (size_t at = 1; at < flat.size(); ++at) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = flat;
      damaged[at] = static_cast<char>(damaged[at] ^ (1 << bit));
      std::string text;
      const rf::Status status = rf::DecodeFlatRecord(damaged, &text);
      if (!status.ok()) {
        CHECK(status.code() == rf::Status::Code::kTampered);
        ++refused;
        continue;
      }
      ++other;
      CHECK(text != kReceived);
      // What it reads as is itself JSON (verify then finds it differs), or
      // holds a byte a flipped top bit made that is not UTF-8.
      const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; });
      CHECK((nlohmann::json::accept(text) || !ascii));
    }
  }
  CHECK(refused > 0);
  CHECK(other > 0);
}
