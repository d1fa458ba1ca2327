// Stored records are read straight from their text when they are flat
// (ledger/core/records.cc RecordFields::Scan) and through a JSON DOM
// otherwise. Property: over random and damaged record texts the two paths
// give the same record or the same error, to the byte. Below, the partial
// decoders (a bank line's settlement facts, a person's equality facts)
// against the full decode.
#include <catch2/catch.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "ledger/core/equality_facts.h"
#include "ledger/core/line_facts.h"
#include "ledger/core/match_facts.h"
#include "ledger/core/records.h"
#include "tests/partial_decode.h"

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
  const test::RecordTextShape shape{
      .valid = kFieldsPayment,
      .members = {"amount", "bank_line_id", "budget_id", "due_on", "invoice_id", "payee_ref", "provider_id",
                  "purpose", "run_date", "run_id", "run_prev", "seq", "settled_on", "settled_seq", "state",
                  "returned_on", "returned_seq", "return_line_id"},
      .values = {"\"120.50\"", "\"12.5\"", "\"-0.00\"", "\"\"", "\"2026-05-01\"", "\"2026-02-30\"", "7", "0", "01",
                 "-3", "1.5", "1e3", "18446744073709551615", "18446744073709551616", "true", "false", "null", "[]",
                 "[1]", "{}", "\"a\\\"b\"", "\"caf\xc3\xa9\"", "\"\\u0041\"", "\"settled\"", "\"pending\"",
                 "\"invoice\"", "\"instalment\"", "\"returned\"", "\"x\""}};
  std::mt19937_64 rng(20261206);
  int compared = 0;
  for (int round = 0; round < 4000; ++round) {
    const std::string text = test::RecordTextRound(shape, round, rng);
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

// A bank line's settlement facts (ledger/core/line_facts.h), and with them
// its matching facts from the same read (DecodeBankLineFacts), decoded from
// the stored text without the rest of the record. Property: over random and
// damaged bank line texts, wherever the full decode (DecodeRecordText<
// BankLineRecord>) succeeds the partial decoders give its values for their
// members; wherever a partial decoder fails the full decode fails too, with
// the same error when its first error is in a member the partial reads.
namespace rf {
namespace {

const char* const kLineFactsKey = "bankline/STMT-4/10";

const char* const kLineFactsMatched =
    R"({"account":"GB33BUKB20201555555555","amount":"-1000.00","batch_id":"","booked_on":"2026-05-03",)"
    R"("counterparty_ref":"GB36WEST10000200010007","description":"payment","end_to_end_id":"DP-B-1-0002",)"
    R"("line_id":"10","payment_id":"DP-B-1-0002","seq":120514,"settled_seq":160514,"state":"matched",)"
    R"("statement_id":"STMT-4"})";

// The settlement facts' members as one string.
std::string LineFactsSettlementText(const BankLineSettlementFacts& f) {
  return f.line_id + "|" + f.booked_on.ToIso() + "|" + f.amount.ToDecimal() + "|" +
         std::to_string(static_cast<int>(f.state)) + "|" + f.payment_id + "|" + f.run_id + "|" +
         f.returned_payment_id + "|" + (f.settled_seq ? std::to_string(*f.settled_seq) : "-") + "|" +
         (f.end_to_end_id_is_payment ? "by-id" : "-");
}
std::string LineFactsMatchText(const BankLineMatchFacts& f) {
  return f.end_to_end_id + "|" + f.batch_id + "|" + f.counterparty_ref + "|" + f.booked_on.ToIso() + "|" +
         f.amount.ToDecimal() + "|" + std::to_string(static_cast<int>(f.state));
}
// The same members, from the full record.
std::string LineFactsSettlementOfRecord(const BankLineRecord& r) {
  return LineFactsSettlementText({.line_id = BankLineId(r.statement_id, r.line_id),
                                  .booked_on = r.booked_on,
                                  .amount = r.amount,
                                  .state = r.state,
                                  .payment_id = r.payment_id,
                                  .run_id = r.run_id,
                                  .returned_payment_id = r.returned_payment_id,
                                  .settled_seq = r.settled_seq,
                                  .end_to_end_id_is_payment =
                                      !r.end_to_end_id.empty() && r.end_to_end_id == r.payment_id});
}
std::string LineFactsMatchOfRecord(const BankLineRecord& r) {
  return LineFactsMatchText({.end_to_end_id = r.end_to_end_id,
                             .batch_id = r.batch_id,
                             .counterparty_ref = r.counterparty_ref,
                             .booked_on = r.booked_on,
                             .amount = r.amount,
                             .state = r.state});
}

const std::set<std::string> kLineFactsSettlementMembers = {"end_to_end_id", "booked_on",  "amount",
                                                          "state",         "payment_id", "run_id",
                                                          "returned_payment_id", "settled_seq"};
const std::set<std::string> kLineFactsBothMembers = {"counterparty_ref", "end_to_end_id", "batch_id",    "booked_on",
                                                     "amount",           "state",         "payment_id",  "run_id",
                                                     "returned_payment_id", "settled_seq"};

// Random and damaged texts of the matched line, for a partial decoder that
// reads `read` (unset: its errors are held to the full decode's code only).
test::PartialDecodeProperty LineFactsProperty(std::optional<std::set<std::string>> read) {
  return {.shape = {.valid = kLineFactsMatched,
                    .members = {"account", "amount", "batch_id", "booked_on", "counterparty_ref", "description",
                                "end_to_end_id", "line_id", "payment_id", "run_id", "returned_payment_id", "seq",
                                "settled_seq", "state", "statement_id", "value_date"},
                    .values = {"\"-1000.00\"", "\"12.5\"", "\"-0.00\"", "\"0.00\"", "\"\"", "\"2026-05-03\"",
                               "\"2026-02-30\"", "7", "0", "01", "-3", "1.5", "18446744073709551615",
                               "18446744073709551616", "true", "false", "null", "[]", "{}", "\"a\\\"b\"",
                               "\"caf\xc3\xa9\"", "\"\\u0041\"", "\"matched\"", "\"unmatched\"", "\"DP-B-1-0002\"",
                               "\"RUN-1\"", "\"PAY-9\"", "\"x\""},
                    .kept = {"statement_id", "line_id"}},  // the key's: never dropped
          .key = kLineFactsKey,
          .seed = 20261206,
          .rounds = 4000,
          .read = std::move(read)};
}

// DecodeBankLineFacts' two results as one; a refusal leaves the settlement
// facts as they were.
struct LineFactsBoth {
  BankLineMatchFacts match;
  BankLineSettlementFacts settlement;
};
Result<LineFactsBoth> LineFactsBothOf(std::string_view key, std::string_view text) {
  BankLineSettlementFacts settlement;
  settlement.line_id = "untouched";
  auto match = DecodeBankLineFacts(key, text, &settlement);
  if (!match.ok()) {
    CHECK(settlement.line_id == "untouched");  // left as it was
    return match.status();
  }
  return LineFactsBoth{.match = *match, .settlement = settlement};
}

void LineFactsSameSettlement(const BankLineSettlementFacts& facts, const BankLineRecord& record) {
  CHECK(LineFactsSettlementText(facts) == LineFactsSettlementOfRecord(record));
}
void LineFactsSameBoth(const LineFactsBoth& facts, const BankLineRecord& record) {
  CHECK(LineFactsSettlementText(facts.settlement) == LineFactsSettlementOfRecord(record));
  CHECK(LineFactsMatchText(facts.match) == LineFactsMatchOfRecord(record));
}
void LineFactsSameMatch(const BankLineMatchFacts& facts, const BankLineRecord& record) {
  CHECK(LineFactsMatchText(facts) == LineFactsMatchOfRecord(record));
}

// The full record's id comes from its members, the facts' from the key: a
// text whose members name another line is no case of the property.
bool LineFactsOfKeyLine(const BankLineRecord& record) {
  return BankLineId(record.statement_id, record.line_id) == "STMT-4/10";
}

TEST_CASE("a bank line's settlement facts are its record's, from its text") {
  test::PartialDecodeCounts counts;
  test::CheckPartialDecodeText<BankLineRecord>(LineFactsProperty(kLineFactsSettlementMembers), kLineFactsMatched,
                                               DecodeBankLineSettlementFacts, LineFactsSameSettlement, counts);
  test::CheckPartialDecodeText<BankLineRecord>(LineFactsProperty(kLineFactsBothMembers), kLineFactsMatched,
                                               LineFactsBothOf, LineFactsSameBoth, counts);
  test::CheckPartialDecodeText<BankLineRecord>(LineFactsProperty(std::nullopt), kLineFactsMatched,
                                               DecodeBankLineMatchFacts, LineFactsSameMatch, counts);
  CHECK(counts.full_ok == 3);
  auto facts = DecodeBankLineSettlementFacts(kLineFactsKey, kLineFactsMatched);
  REQUIRE(facts.ok());
  CHECK(facts->line_id == "STMT-4/10");
  CHECK(facts->state == BankLineState::kMatched);
  CHECK(facts->payment_id == "DP-B-1-0002");
  CHECK(facts->settled_seq == std::optional<uint64_t>(160514));
  CHECK(facts->end_to_end_id_is_payment);
  CHECK(facts->amount.ToDecimal() == "-1000.00");
  // An empty end-to-end id names no payment, even an empty one.
  auto unmatched = DecodeBankLineSettlementFacts(
      kLineFactsKey, R"({"amount":"5.00","booked_on":"2026-05-03","end_to_end_id":"","state":"unmatched"})");
  REQUIRE(unmatched.ok());
  CHECK_FALSE(unmatched->end_to_end_id_is_payment);
  CHECK(unmatched->payment_id.empty());
  CHECK_FALSE(unmatched->settled_seq.has_value());
  // Not a key of the family: refused whatever the text.
  CHECK_FALSE(DecodeBankLineSettlementFacts("payment/STMT-4/10", kLineFactsMatched).ok());
}

TEST_CASE("random and damaged bank line texts: the partial decoders agree with the full one") {
  // The same texts for each decoder (one seed).
  const test::PartialDecodeCounts settlement = test::CheckPartialDecode<BankLineRecord>(
      LineFactsProperty(kLineFactsSettlementMembers), DecodeBankLineSettlementFacts, LineFactsSameSettlement,
      LineFactsOfKeyLine);
  const test::PartialDecodeCounts both = test::CheckPartialDecode<BankLineRecord>(
      LineFactsProperty(kLineFactsBothMembers), LineFactsBothOf, LineFactsSameBoth, LineFactsOfKeyLine);
  const test::PartialDecodeCounts match = test::CheckPartialDecode<BankLineRecord>(
      LineFactsProperty(std::nullopt), DecodeBankLineMatchFacts, LineFactsSameMatch, LineFactsOfKeyLine);
  CHECK(settlement.texts > 3000);
  CHECK(settlement.full_ok > 200);  // both sides of the property exercised
  CHECK(both.texts == settlement.texts);
  CHECK(match.full_ok == settlement.full_ok);
}

}  // namespace
}  // namespace rf

// What the equality tables read of a person (ledger/core/equality_facts.h),
// decoded from its text without the rest of the record. Property: over
// random and damaged person texts, wherever DecodeRecordText<PersonRecord>
// succeeds the partial decoder gives its values; wherever the partial one
// fails the full one fails too, with the same message when its first error
// is in a member the partial reads.
namespace rf {
namespace {

const char* const kEqualityFactsPerson =
    R"({"age_band":"25-34","ethnic_category":"A","locality":"Leeds","person_id":"P-0","s117_eligible":true,)"
    R"("seq":504,"sex":"female"})";

TEST_CASE("random and damaged person texts: the equality facts agree with the full decode") {
  // The same texts at each level (one seed).
  for (const std::string level : {"", "age_band", "sex", "locality"}) {
    INFO("level " << level);
    std::set<std::string> read = {"ethnic_category"};
    if (!level.empty()) read.insert(level);
    const test::PartialDecodeProperty property{
        .shape = {.valid = kEqualityFactsPerson,
                  .members = {"age_band", "ethnic_category", "locality", "person_id", "s117_eligible", "seq", "sex"},
                  .values = {"\"A\"", "\"\"", "\"25-34\"", "\"Leeds\"", "7", "01", "-3", "true", "null", "[]", "{}",
                             "\"a\\\"b\"", "\"caf\xc3\xa9\"", "\"\\u0041\""}},
        .key = "person/P-0",
        .seed = 20261206,
        .rounds = 3000,
        .read = read};
    const test::PartialDecodeCounts counts = test::CheckPartialDecode<PersonRecord>(
        property,
        [&](std::string_view key, std::string_view text) { return DecodePersonEqualityFacts(key, text, level); },
        [&](const PersonEqualityFacts& facts, const PersonRecord& full) {
          CHECK(facts.person_id == full.person_id);
          CHECK(facts.ethnic_category == full.ethnic_category);
          CHECK(facts.level == (level == "age_band"   ? full.age_band
                                : level == "sex"      ? full.sex
                                : level == "locality" ? full.locality
                                                      : std::string()));
        });
    CHECK(counts.full_ok > 100);
  }
}

}  // namespace
}  // namespace rf
