// The month-end flag reader's reads (reconcile/month_flag_records.h):
//  - PaymentFlagFacts decoded in part from a payment's stored text
//    (ledger/core/match_facts.h) equal the full decode's members, over
//    random and damaged texts; where the partial decode refuses a text, so
//    does the full one. The same for InvoiceFlagFacts and an invoice, and
//    for BudgetFlagFacts and a budget.
//  - ViewSource::Read and ReadSorted (ledger/storage/ledger.h), which hand
//    the value without a copy, give what Get gives: the value intact, an
//    absent key as nullopt, repeated and absent keys among sorted ones, the
//    compressed invoice family included, in the live views (LMDB) and in
//    memory.
#include <catch2/catch.hpp>
#include <initializer_list>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ledger/core/codes.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/match_facts.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"
#include "tests/ledger_fixture.h"
#include "tests/partial_decode.h"

namespace rf {
namespace {

std::string FlagReadFactsText(const PaymentFlagFacts& p) {
  return std::to_string(p.seq) + "|" + p.payment_id + "|" + p.run_id + "|" + std::string(ToString(p.purpose)) + "|" +
         p.invoice_id + "|" + p.budget_id + "|" + p.provider_id + "|" + p.amount.ToDecimal() + "|" +
         std::string(ToString(p.state)) + "|" + p.run_date.ToIso() + "|" + (p.due_on ? p.due_on->ToIso() : "-") +
         "|" + (p.settled_on ? p.settled_on->ToIso() : "-") + "|" +
         (p.returned_seq ? std::to_string(*p.returned_seq) : "-") + "|" +
         (p.returned_on ? p.returned_on->ToIso() : "-") + "|" + p.return_line_id;
}

const char* const kFlagReadPayment =
    R"({"amount":"120.50","bank_line_id":"L-7","budget_id":"B-001","budget_prev":"PAY-0","cancelled_on":"2026-05-09",)"
    R"("cancelled_seq":12,"due_on":"2026-05-01","invoice_id":"INV-9","payee_ref":"GB82WEST12345698765432",)"
    R"("provider_id":"PRV-1","purpose":"invoice","return_line_id":"L-9","returned_on":"2026-05-08",)"
    R"("returned_seq":11,"run_date":"2026-05-01","run_id":"RUN-2026-05-01","run_prev":"","seq":7,)"
    R"("settled_on":"2026-05-03","settled_seq":9,"state":"returned"})";

// The values a replaced member takes in any record, with the record's own
// (its amounts, states and ids).
std::vector<std::string> FlagReadValues(std::initializer_list<std::string> own) {
  std::vector<std::string> values = {"\"12.5\"", "\"-0.00\"", "\"\"", "\"2026-05-01\"", "\"2026-02-30\"", "7", "0",
                                     "01", "-3", "1.5", "18446744073709551615", "18446744073709551616", "true", "null",
                                     "[]", "{}", "\"a\\\"b\"", "\"caf\xc3\xa9\"", "\"\\u0041\"", "\"x\""};
  values.insert(values.end(), own);
  return values;
}

// A record's flag facts decoded in part (`decode`) over 6,000 random and
// damaged texts of `shape`: where the full decode reads a text, the facts
// equal the full record's (`text` writes their members); some texts only the
// partial decode reads (a member the flags do not read is damaged).
template <typename Record, typename Facts>
void FlagReadProperty(test::RecordTextShape shape, const std::string& key, uint64_t seed,
                      Result<Facts> (*decode)(std::string_view, std::string_view), std::string (*text)(const Facts&),
                      Facts (*facts_of)(const Record&)) {
  const test::PartialDecodeCounts counts = test::CheckPartialDecode<Record>(
      {.shape = std::move(shape), .key = key, .seed = seed, .rounds = 6000}, decode,
      [&](const Facts& facts, const Record& record) { CHECK(text(facts) == text(facts_of(record))); });
  CHECK(counts.full_ok > 500);
  CHECK(counts.partial_only > 10);
}

TEST_CASE("a payment's flag facts decoded in part equal the full decode's members, over random and damaged texts",
          "[property]") {
  FlagReadProperty<PaymentRecord, PaymentFlagFacts>(
      {.valid = kFlagReadPayment,
       .members = {"amount", "bank_line_id", "budget_id", "budget_prev", "cancelled_on", "cancelled_seq", "due_on",
                   "invoice_id", "payee_ref", "provider_id", "purpose", "return_line_id", "returned_on",
                   "returned_seq", "run_date", "run_id", "run_prev", "seq", "settled_on", "settled_seq", "state"},
       .values = FlagReadValues({"\"120.50\"", "\"settled\"", "\"pending\"", "\"cancelled\"", "\"invoice\"",
                                 "\"instalment\"", "\"returned\""})},
      "payment/PAY-1", 20261206, DecodePaymentFlagFacts, FlagReadFactsText, PaymentFlagFactsOf);
}

TEST_CASE("the flag facts of the valid payment name each member read") {
  auto p = DecodePaymentFlagFacts("payment/PAY-1", kFlagReadPayment);
  REQUIRE(p.ok());
  CHECK(FlagReadFactsText(*p) ==
        "7|PAY-1|RUN-2026-05-01|invoice|INV-9|B-001|PRV-1|120.50|returned|2026-05-01|2026-05-01|2026-05-03|11|"
        "2026-05-08|L-9");
  // A damaged member the flags read is refused as the full decode refuses it.
  std::string bad = kFlagReadPayment;
  bad.replace(bad.find("\"120.50\""), 8, "\"12.5\"");
  CHECK(!DecodePaymentFlagFacts("payment/PAY-1", bad).ok());
  CHECK(!DecodeRecordText<PaymentRecord>("payment/PAY-1", bad).ok());
}

std::string FlagReadInvoiceText(const InvoiceFlagFacts& i) {
  return std::to_string(i.seq) + "|" + i.invoice_id + "|" + i.provider_id + "|" + i.budget_id + "|" +
         i.amount.ToDecimal() + "|" + i.service_from.ToIso() + "|" + i.service_to.ToIso() + "|" +
         i.received_on.ToIso() + "|" + std::string(ToString(i.state)) + "|" + i.payment_id;
}

const char* const kFlagReadInvoice =
    R"({"amount":"99.95","approved_on":"2026-05-04","approved_seq":5,"budget_id":"B-001","category":"therapy",)"
    R"("description":"sessions in May","invoice_id":"INV-1","payment_id":"PAY-3","provider_id":"PRV-1",)"
    R"("received_on":"2026-05-02","returns":1,"seq":4,"service_from":"2026-04-01","service_to":"2026-04-30",)"
    R"("state":"paid"})";

TEST_CASE("an invoice's flag facts decoded in part equal the full decode's members, over random and damaged texts",
          "[property]") {
  FlagReadProperty<InvoiceRecord, InvoiceFlagFacts>(
      {.valid = kFlagReadInvoice,
       .members = {"amount", "approved_on", "approved_seq", "budget_id", "category", "description", "invoice_id",
                   "payment_id", "provider_id", "received_on", "returns", "seq", "service_from", "service_to",
                   "state"},
       .values = FlagReadValues({"\"99.95\"", "\"paid\"", "\"received\"", "\"approved\"", "\"rejected\"",
                                 "\"PAY-9\"", "\"a b\""})},
      "invoice/INV-1", 20261207, DecodeInvoiceFlagFacts, FlagReadInvoiceText, InvoiceFlagFactsOf);
}

TEST_CASE("the flag facts of the valid invoice name each member read") {
  auto i = DecodeInvoiceFlagFacts("invoice/INV-1", kFlagReadInvoice);
  REQUIRE(i.ok());
  CHECK(FlagReadInvoiceText(*i) == "4|INV-1|PRV-1|B-001|99.95|2026-04-01|2026-04-30|2026-05-02|paid|PAY-3");
  // A damaged member the flags read is refused as the full decode refuses
  // it; one they do not read is not checked.
  std::string bad = kFlagReadInvoice;
  bad.replace(bad.find("\"2026-05-02\""), 12, "\"2026-02-30\"");
  CHECK(!DecodeInvoiceFlagFacts("invoice/INV-1", bad).ok());
  CHECK(!DecodeRecordText<InvoiceRecord>("invoice/INV-1", bad).ok());
  std::string unread = kFlagReadInvoice;
  unread.replace(unread.find("\"approved_seq\":5"), 16, "\"approved_seq\":-5");
  CHECK(DecodeInvoiceFlagFacts("invoice/INV-1", unread).ok());
  CHECK(!DecodeRecordText<InvoiceRecord>("invoice/INV-1", unread).ok());
}

std::string FlagReadBudgetText(const BudgetFlagFacts& b) {
  return std::to_string(b.seq) + "|" + b.budget_id + "|" + b.frequency + "|" +
         std::string(NameOf(b.management, kManagementNames)) + "|" + b.amount.ToDecimal() + "|" + b.start_date.ToIso() +
         "|" + b.end_date.ToIso() + "|" + b.approved_on.ToIso() + "|" +
         (b.first_payment_seq ? std::to_string(*b.first_payment_seq) : "-") + "|" +
         (b.first_payment_on ? b.first_payment_on->ToIso() : "-") + "|" +
         (b.last_review_on ? b.last_review_on->ToIso() : "-") + "|" +
         (b.last_review_outcome ? std::string(NameOf(*b.last_review_outcome, kReviewOutcomeNames)) : "-") + "|" +
         (b.ended_on() ? b.ended_on()->ToIso() : "-");
}

const char* const kFlagReadBudget =
    R"({"amount":"12000.00","approved_on":"2026-03-20","end_date":"2027-03-31","first_payment_on":"2026-04-03",)"
    R"("first_payment_seq":31,"frequency":"4-weekly","last_payment_id":"PAY-77","last_review_on":"2026-09-30",)"
    R"("last_review_outcome":"end","management":"direct-payment","payee_ref":"GB82WEST12345698765432",)"
    R"("payments":6,"person_id":"PER-1","pot_id":"POT-26","seq":12,"start_date":"2026-04-01"})";

TEST_CASE("a budget's flag facts decoded in part equal the full decode's members, over random and damaged texts",
          "[property]") {
  std::mt19937_64 rng(20261208);
  // clang-format off
  const std::vector<std::string> values = {
      "\"12000.00\"", "\"12.5\"", "\"-0.00\"", "\"\"", "\"2026-05-01\"", "\"2026-02-30\"", "7", "0", "01", "-3",
      "1.5", "18446744073709551615", "18446744073709551616", "true", "null", "[]", "{}", "\"a\\\"b\"",
      "\"caf\xc3\xa9\"", "\"\\u0041\"", "\"notional\"", "\"third-party\"", "\"direct-payment\"", "\"continue\"",
      "\"change\"", "\"end\"", "\"monthly\"", "\"x\""};
  const std::vector<std::string> members = {
      "amount", "approved_on", "end_date", "first_payment_on", "first_payment_seq", "frequency", "last_payment_id",
      "last_review_on", "last_review_outcome", "management", "payee_ref", "payments", "person_id", "pot_id", "seq",
      "start_date"};
  // clang-format on
  const nlohmann::json base = nlohmann::json::parse(kFlagReadBudget);
  int full_ok = 0, partial_only = 0, reviewed = 0;
  for (int round = 0; round < 6000; ++round) {
    std::string text;
    if (round % 3 != 2) {  // members replaced, dropped or repeated, as for the payment
      text = "{";
      bool first = true;
      for (const std::string& m : members) {
        const int roll = static_cast<int>(rng() % 12);
        std::string value;
        if (roll < 8 || round % 3 == 1) {
          if (roll >= 10) continue;
          value = base[m].dump();
        } else if (roll < 11) {
          value = values[rng() % values.size()];
        } else {
          continue;
        }
        text += (first ? "" : ",") + std::string("\"") + m + "\":" + value;
        first = false;
      }
      text += "}";
    } else {
      text = kFlagReadBudget;  // a few bytes changed, removed or inserted
      const int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        const size_t at = rng() % text.size();
        const char bytes[] = {'"', ',', ':', '{', '}', ' ', '\\', '0', '9', 'a', '-', '.', '\x01'};
        switch (rng() % 3) {
          case 0:
            text[at] = bytes[rng() % sizeof(bytes)];
            break;
          case 1:
            text.erase(at, 1);
            break;
          default:
            text.insert(at, 1, bytes[rng() % sizeof(bytes)]);
        }
      }
    }
    INFO(text);
    const auto full = DecodeRecordText<BudgetRecord>("budget/B-001", text);
    const auto partial = DecodeBudgetFlagFacts("budget/B-001", text);
    if (full.ok()) {
      ++full_ok;
      reviewed += full->last_review_outcome ? 1 : 0;
      REQUIRE(partial.ok());
      CHECK(FlagReadBudgetText(*partial) == FlagReadBudgetText(BudgetFlagFactsOf(*full)));
      CHECK(partial->ended_on() == full->ended_on());
    } else if (partial.ok()) {
      ++partial_only;  // a member the flags do not read is damaged
    } else {
      CHECK(partial.status().code() == full.status().code());
    }
  }
  CHECK(full_ok > 500);
  CHECK(reviewed > 100);
  CHECK(partial_only > 10);
}

TEST_CASE("the flag facts of the valid budget name each member read") {
  auto b = DecodeBudgetFlagFacts("budget/B-001", kFlagReadBudget);
  REQUIRE(b.ok());
  CHECK(FlagReadBudgetText(*b) ==
        "12|B-001|4-weekly|direct-payment|12000.00|2026-04-01|2027-03-31|2026-03-20|31|2026-04-03|2026-09-30|end|"
        "2026-09-30");
  // A damaged member the flags read is refused as the full decode refuses
  // it; one they do not read is not checked.
  std::string bad = kFlagReadBudget;
  bad.replace(bad.find("\"end\""), 5, "\"ended\"");
  CHECK(!DecodeBudgetFlagFacts("budget/B-001", bad).ok());
  CHECK(!DecodeRecordText<BudgetRecord>("budget/B-001", bad).ok());
  std::string unread = kFlagReadBudget;
  unread.replace(unread.find("\"payments\":6"), 12, "\"payments\":-6");
  CHECK(DecodeBudgetFlagFacts("budget/B-001", unread).ok());
  CHECK(!DecodeRecordText<BudgetRecord>("budget/B-001", unread).ok());
  // Not a budget's key: refused by both.
  CHECK(!DecodeBudgetFlagFacts("invoice/B-001", kFlagReadBudget).ok());
  CHECK(!DecodeRecordText<BudgetRecord>("invoice/B-001", kFlagReadBudget).ok());
}

// Every key through Read and ReadSorted against Get.
void FlagReadCompare(const ViewSource& views, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    INFO(key);
    auto want = views.Get(key);
    REQUIRE(want.ok());
    bool called = false;
    REQUIRE(views
                .Read(key,
                      [&](std::optional<std::string_view> value) -> Status {
                        called = true;
                        CHECK(value.has_value() == want->has_value());
                        if (value && *want) CHECK(std::string(*value) == **want);
                        return Status::Ok();
                      })
                .ok());
    CHECK(called);
  }
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  std::vector<size_t> seen;
  REQUIRE(views
              .ReadSorted(sorted,
                          [&](size_t i, std::optional<std::string_view> value) -> Status {
                            INFO(sorted[i]);
                            seen.push_back(i);
                            auto want = views.Get(sorted[i]);  // a read inside the callback is allowed
                            REQUIRE(want.ok());
                            CHECK(value.has_value() == want->has_value());
                            if (value && *want) CHECK(std::string(*value) == **want);
                            return Status::Ok();
                          })
              .ok());
  REQUIRE(seen.size() == sorted.size());
  for (size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == i);
  // An error from the callback stops the reads and is returned.
  size_t calls = 0;
  Status stopped = views.ReadSorted(sorted, [&](size_t, std::optional<std::string_view>) -> Status {
    ++calls;
    return Status::InvalidInput("stop");
  });
  CHECK(stopped.ok() == sorted.empty());
  CHECK(calls == (sorted.empty() ? 0U : 1U));
}

TEST_CASE("Read and ReadSorted give the value Get gives, absent keys as nullopt, live and in memory") {
  test::Books books;
  books.Standard();
  std::vector<EntryDraft> invoices;
  for (int i = 0; i < 40; ++i) {
    InvoiceFields f;
    f.invoice_id = "INV-" + std::to_string(100 + i);
    f.provider_id = "V-1";
    f.budget_id = i % 2 == 0 ? "B-1" : "B-2";
    f.category = "therapy";
    f.description = "sessions " + std::to_string(i);
    f.amount = Pence::FromPence(1000 + i);
    f.service_from = f.service_to = f.received_on = test::D("2026-05-01");
    invoices.push_back(InvoiceReceivedDraft(f, test::kTester));
  }
  books.MustCommit(std::move(invoices));
  const std::vector<std::string> keys = {
      RecordKey(RecordKind::kBudget, "B-1"),     RecordKey(RecordKind::kBudget, "B-2"),
      RecordKey(RecordKind::kBudget, "B-1"),     RecordKey(RecordKind::kBudget, "B-0"),
      RecordKey(RecordKind::kBudget, "B-9"),     RecordKey(RecordKind::kInvoice, "INV-100"),
      RecordKey(RecordKind::kInvoice, "INV-117"), RecordKey(RecordKind::kInvoice, "INV-117"),
      RecordKey(RecordKind::kInvoice, "INV-099"), RecordKey(RecordKind::kInvoice, "INV-1000"),
      RecordKey(RecordKind::kInvoice, "INV-139"), RecordKey(RecordKind::kInvoice, "INV-999"),
      RecordKey(RecordKind::kProvider, "V-1"),   RecordKey(RecordKind::kPot, "POT-A"),
      RecordKey(RecordKind::kPot, "ZZZ"),        RecordKey(RecordKind::kPayment, "PAY-none")};
  MemoryViews memory;
  REQUIRE(books.ledger()
              .ReadViews([&](const ViewSource& views) -> Status {
                FlagReadCompare(views, keys);
                FlagReadCompare(views, {});
                FlagReadCompare(views, {RecordKey(RecordKind::kInvoice, "INV-139")});  // the last invoice
                for (const std::string& key : keys) {
                  RF_ASSIGN(value, views.Get(key));
                  if (value) memory.values[key] = *value;
                }
                return Status::Ok();
              })
              .ok());
  CHECK(memory.values.size() == 7);  // the distinct keys present
  FlagReadCompare(memory, keys);
}

}  // namespace
}  // namespace rf
