// Stored records are read straight from their text when they are flat
// (ledger/core/records.cc RecordFields::Scan) and through a JSON DOM
// otherwise. Property: over random and damaged record texts the two paths
// give the same record or the same error, to the byte.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "ledger/core/records.h"

namespace rf {
namespace {

std::string FieldsPaymentText(const PaymentRecord& p) {
  std::string s = std::to_string(p.seq) + "|" + p.payment_id + "|" + p.run_id + "|" + p.payee_ref + "|" +
                  std::string(ToString(p.purpose)) + "|" + p.invoice_id + "|" + p.budget_id + "|" + p.provider_id +
                  "|" + p.amount.ToDecimal() + "|" + std::string(ToString(p.state)) + "|" + p.run_date.ToIso() +
                  "|" + (p.due_on ? p.due_on->ToIso() : "-") + "|" +
                  (p.settled_seq ? std::to_string(*p.settled_seq) : "-") + "|" +
                  (p.settled_on ? p.settled_on->ToIso() : "-") + "|" + p.bank_line_id + "|" + p.run_prev + "|" +
                  (p.returned_seq ? std::to_string(*p.returned_seq) : "-") + "|" +
                  (p.returned_on ? p.returned_on->ToIso() : "-") + "|" + p.return_line_id;
  return s;
}

// Both paths on one text: "ok:<fields>" or "error:<message>".
std::string FieldsViaText(std::string_view key, const std::string& text) {
  auto r = DecodeRecordText<PaymentRecord>(key, text);
  return r.ok() ? "ok:" + FieldsPaymentText(*r) : "error:" + r.status().message();
}
std::string FieldsViaDom(std::string_view key, const std::string& text) {
  auto doc = ParseRecordText(key, text);
  if (!doc.ok()) return "error:" + doc.status().message();
  auto r = DecodeRecord<PaymentRecord>(key, *doc);
  return r.ok() ? "ok:" + FieldsPaymentText(*r) : "error:" + r.status().message();
}

const char* const kFieldsPayment =
    R"({"amount":"120.50","bank_line_id":"L-7","budget_id":"B-001","due_on":"2026-05-01","invoice_id":"INV-9",)"
    R"("payee_ref":"GB82WEST12345698765432","provider_id":"PRV-1","purpose":"invoice","run_date":"2026-05-01",)"
    R"("run_id":"RUN-2026-05-01","run_prev":"","seq":7,"settled_on":"2026-05-03","settled_seq":9,"state":"settled"})";

TEST_CASE("a flat record reads the same from its text as through a JSON DOM") {
  const std::string text = kFieldsPayment;
  const std::string via_text = FieldsViaText("payment/PAY-1", text);
  CHECK(via_text.rfind("ok:7|PAY-1|RUN-2026-05-01|", 0) == 0);
  CHECK(via_text == FieldsViaDom("payment/PAY-1", text));
}

TEST_CASE("random and damaged record texts read the same by both paths") {
  std::mt19937_64 rng(20261206);
  const std::vector<std::string> values = {
      "\"120.50\"", "\"12.5\"", "\"-0.00\"", "\"\"", "\"2026-05-01\"", "\"2026-02-30\"", "7", "0", "01", "-3",
      "1.5", "1e3", "18446744073709551615", "18446744073709551616", "true", "false", "null", "[]", "[1]",
      "{}", "\"a\\\"b\"", "\"caf\xc3\xa9\"", "\"\\u0041\"", "\"settled\"", "\"pending\"", "\"invoice\"",
      "\"instalment\"", "\"returned\"", "\"x\""};
  const std::vector<std::string> members = {"amount",    "bank_line_id", "budget_id", "due_on",      "invoice_id",
                                            "payee_ref", "provider_id",  "purpose",   "run_date",    "run_id",
                                            "run_prev",  "seq",          "settled_on", "settled_seq", "state",
                                            "returned_on", "returned_seq", "return_line_id"};
  int compared = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    if (round % 2 == 0) {
      // Built member by member: the valid record with some members replaced,
      // dropped or repeated.
      nlohmann::json base = nlohmann::json::parse(kFieldsPayment);
      text = "{";
      bool first = true;
      for (const auto& m : members) {
        const int roll = static_cast<int>(rng() % 10);
        std::string value;
        if (roll < 6 && base.contains(m)) value = base[m].dump();
        else if (roll < 8) value = values[rng() % values.size()];
        else continue;
        for (int k = 0; k < (roll == 7 ? 2 : 1); ++k) {
          text += (first ? "" : ",") + std::string("\"") + m + "\":" + value;
          first = false;
        }
      }
      text += "}";
    } else {
      // The valid text with a few bytes changed, removed or inserted.
      text = kFieldsPayment;
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
    }
    INFO(text);
    REQUIRE(FieldsViaText("payment/PAY-1", text) == FieldsViaDom("payment/PAY-1", text));
    ++compared;
  }
  CHECK(compared == 4000);
}

TEST_CASE("a member is found by its whole name, and a record of many members reads the same by both paths") {
  // "bank_line_ix" shares its size and first 8 bytes with "bank_line_id"
  // and comes later, where a lookup comparing only those would take it.
  std::string text = kFieldsPayment;
  text.insert(text.find(",\"budget_id\""), R"(,"bank_line_ix":"WRONG")");
  auto decoded = DecodeRecordText<PaymentRecord>("payment/PAY-1", text);
  REQUIRE(decoded.ok());
  CHECK(decoded->bank_line_id == "L-7");
  CHECK(FieldsViaText("payment/PAY-1", text) == FieldsViaDom("payment/PAY-1", text));
  // More members than the text reader holds (unknown ones, ignored): the
  // DOM path reads it, to the same record.
  for (const int extra : {10, 30, 60}) {
    CAPTURE(extra);
    std::string many = kFieldsPayment;
    many.pop_back();
    for (int k = 0; k < extra; ++k) many += ",\"zz_" + std::to_string(100 + k) + "\":\"x\"";
    many += "}";
    const std::string via_text = FieldsViaText("payment/PAY-1", many);
    CHECK(via_text.rfind("ok:7|PAY-1|", 0) == 0);
    CHECK(via_text == FieldsViaDom("payment/PAY-1", many));
  }
}

}  // namespace
}  // namespace rf
