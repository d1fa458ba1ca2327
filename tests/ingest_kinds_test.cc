// Each input kind loads a good file into the ledger through the entry
// builders, and every class of bad field is reported at file, line and column.
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "ingest/ingest_file.h"
#include "ledger_fixture.h"
#include "tests/body_util.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::TempDir;

namespace rf {
namespace {

using rf::test::kIngestData;

IngestOptions Options(bool dry_run = false) {
  IngestOptions o;
  o.dry_run = dry_run;
  o.actor = "finance.manager";
  o.load_date = D("2026-04-01");
  return o;
}

Result<IngestSummary> Load(Books& books, const std::string& kind, const std::string& path, bool dry_run = false) {
  return IngestFile(books.ledger(), kind, path, Options(dry_run));
}

void MustLoad(Books& books, const std::string& kind, const std::string& file) {
  auto s = Load(books, kind, kIngestData + file);
  INFO(kind << " " << s.status().message());
  REQUIRE(s.ok());
  REQUIRE(s->loaded == s->rows);
}

std::optional<nlohmann::json> Record(Books& books, const std::string& key) { return books.Record(key); }

// Pots, people, providers and budgets from tests/data/ingest.
void LoadReference(Books& books) {
  MustLoad(books, "pots", "pots.csv");
  MustLoad(books, "people", "people.csv");
  MustLoad(books, "providers", "providers.csv");
  MustLoad(books, "budgets", "budgets.csv");
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// The error message of loading `text` as `kind` into a ledger with the
// reference data, which must fail.
std::string LoadError(const std::string& kind, const std::string& text) {
  Books books;
  LoadReference(books);
  TempDir tmp;
  Write(tmp / (kind + ".csv"), text);
  const uint64_t size = books.Size();
  auto s = Load(books, kind, tmp / (kind + ".csv"));
  REQUIRE(!s.ok());
  REQUIRE(books.Size() == size);
  return s.status().message();
}

}  // namespace

TEST_CASE("pots, people, providers and budgets load with the builders' bodies and sources") {
  Books books;
  LoadReference(books);
  CHECK(books.Balance("pot:POT-MH") == P("232000.00"));  // 250,000 less budgets 12,000 and 6,000
  CHECK(books.Balance("pot:POT-CHC") == P("91000.00"));
  CHECK(books.Balance("funding:" + books.org_id()) == P("-350000.00"));
  auto pot = Record(books, "pot/POT-MH");
  REQUIRE(pot);
  CHECK((*pot)["name"] == "Mental health, Section 117");
  auto person = Record(books, "person/P-000104");
  REQUIRE(person);
  CHECK((*person)["locality"] == "East, rural");
  CHECK(!person->contains("x_keyworker_team"));
  auto provider = Record(books, "provider/V-001");
  REQUIRE(provider);
  CHECK((*provider)["name"] == "Harbour \"Peer\" Support CIC");
  CHECK((*provider)["payee_ref"] == "GB82WEST12345698765432");
  auto budget = Record(books, "budget/B-102");
  REQUIRE(budget);
  CHECK((*budget)["payee_ref"] == "");
  // Entry 2 is the first pot: its source is the file and the physical line.
  auto line = books.ledger().journal().Line(2);
  REQUIRE(line.ok());
  auto entry = ParseEntryLine(*line);
  REQUIRE(entry.ok());
  CHECK(entry->draft.source == "pots.csv:2");
  CHECK(entry->draft.actor == "finance.manager");
}

TEST_CASE("invoices, reviews, bank lines, dp-returns and transfers load") {
  Books books;
  LoadReference(books);
  MustLoad(books, "invoices", "invoices.csv");
  auto invoice = Record(books, "invoice/INV-9002");
  REQUIRE(invoice);
  CHECK((*invoice)["amount"] == "120.50");
  CHECK((*invoice)["state"] == "received");
  // The record keeps what approval and payment read; the description (a
  // quoted field over two lines) is in the entry the record names.
  CHECK(!invoice->contains("description"));
  auto received = ParseEntryLine(*books.ledger().journal().Line((*invoice)["seq"].get<uint64_t>()));
  REQUIRE(received.ok());
  CHECK(rf::test::BodyOf(received->draft)["description"] == "Session notes:\none session");
  // INV-9003 starts on line 5: INV-9002's description spans lines 3 and 4.
  auto last = ParseEntryLine(*books.ledger().journal().Line(books.Size()));
  CHECK(last->draft.source == "invoices.csv:5");

  MustLoad(books, "reviews", "reviews.csv");
  CHECK((*Record(books, "budget/B-101"))["last_review_outcome"] == "continue");
  MustLoad(books, "bank", "bank.csv");
  auto line = Record(books, "bankline/STMT-2026-05/2");
  REQUIRE(line);
  CHECK((*line)["amount"] == "250.00");
  CHECK(!line->contains("value_date"));

  // A direct payment must have reached the holder before they report spend.
  PaymentFields pay;
  pay.payment_id = "PAY-1";
  pay.run_id = "RUN-1";
  pay.purpose = "instalment";
  pay.budget_id = "B-101";
  pay.payee_ref = "GB29NWBK60161331926819";
  pay.amount = P("1000.00");
  pay.run_date = D("2026-05-01");
  books.MustCommit({PaymentPendingDraft(pay, rf::test::kTester)});
  MustLoad(books, "dp-returns", "dp-returns.csv");
  CHECK(books.Balance("dp:B-101") == P("690.00"));
  CHECK(books.Balance("spent:B-101:personal-assistant") == P("250.00"));
  CHECK(Record(books, "xid/dp-returns/R-1").has_value());  // the seq of the entry that loaded it

  MustLoad(books, "transfers", "transfers.csv");
  CHECK(books.Balance("budget:B-101") == P("10000.00"));
  CHECK(books.Balance("external:general-fund") == P("500.00"));
  auto transfer = ParseEntryLine(*books.ledger().journal().Line(books.Size()));
  REQUIRE(transfer.ok());
  CHECK(rf::test::BodyOf(transfer->draft)["memo"] == "authorised by a.jones");
  CHECK(rf::test::BodyOf(transfer->draft)["reason"] == "covering a ward overspend, agreed at board");
  CHECK(rf::test::BodyOf(transfer->draft)["external_id"] == "transfers/T-2");
  CHECK(transfer->draft.actor == "finance.manager");
}

TEST_CASE("every bad field of a file is reported with its line and column, and nothing is written") {
  const std::string message = LoadError("budgets",
                                        "budget_id,person_id,pot_id,management,amount,start_date,end_date,"
                                        "approved_on,frequency,payee_ref\n"
                                        "B 1,P-000101,POT-MH,direct,1e3,2026-4-1,2026-03-31,2026-04-02,weekly,"
                                        "GB82WEST12345698765433\n"
                                        "B-2,John Smith,POT-MH,notional,10.00,2026-04-01,2026-03-31,2026-04-02,none,\n"
                                        "B-3,9434765919,POT-MH,direct-payment,1.00,2026-04-01,2027-03-31,"
                                        "2026-04-02,none,\n");
  INFO(message);
  CHECK(message.find("nothing was loaded from budgets.csv: 11 problems") != std::string::npos);
  CHECK(message.find("budgets.csv:2: column 1 (budget_id)") != std::string::npos);
  CHECK(message.find("budgets.csv:2: column 4 (management): expected one of notional") != std::string::npos);
  CHECK(message.find("budgets.csv:2: column 5 (amount): \"1e3\" is not an amount") != std::string::npos);
  CHECK(message.find("budgets.csv:2: column 6 (start_date)") != std::string::npos);
  CHECK(message.find("budgets.csv:2: column 9 (frequency)") != std::string::npos);
  CHECK(message.find("budgets.csv:2: column 10 (payee_ref)") != std::string::npos);
  CHECK(message.find("budgets.csv:3: column 2 (person_id)") != std::string::npos);
  CHECK(message.find("budgets.csv:3: column 7 (end_date): is 2026-03-31, before start_date") != std::string::npos);
  CHECK(message.find("budgets.csv:4: column 2 (person_id)") != std::string::npos);
  CHECK(message.find("budgets.csv:4: column 10 (payee_ref): is empty") != std::string::npos);
  CHECK(message.find("budgets.csv:4: column 9 (frequency): is none") != std::string::npos);
  // Personal and bank data never reach an error.
  CHECK(message.find("John Smith") == std::string::npos);
  CHECK(message.find("9434765919") == std::string::npos);
  CHECK(message.find("GB82WEST") == std::string::npos);
}

TEST_CASE("people: pseudonyms only, ethnic categories from the NHS Data Dictionary") {
  const std::string message = LoadError("people",
                                        "person_id,ethnic_category,age_band,sex,locality,s117_eligible\n"
                                        "P-1,a,25-34,female,North,yes\n"
                                        "Anne-Marie O'Neil,A,25-34,female,North,yes\n"
                                        "P-943 476 5919,A,25-34,female,North,yes\n"
                                        "P-2,T,25-35,f,North,maybe\n");
  INFO(message);
  CHECK(message.find("people.csv:2: column 2 (ethnic_category)") != std::string::npos);
  CHECK(message.find("people.csv:3: column 1 (person_id)") != std::string::npos);
  CHECK(message.find("people.csv:4: column 1 (person_id)") != std::string::npos);
  CHECK(message.find("people.csv:5: column 2 (ethnic_category)") != std::string::npos);
  CHECK(message.find("people.csv:5: column 3 (age_band)") != std::string::npos);
  CHECK(message.find("people.csv:5: column 4 (sex)") != std::string::npos);
  CHECK(message.find("people.csv:5: column 6 (s117_eligible)") != std::string::npos);
  CHECK(message.find("O'Neil") == std::string::npos);
}

TEST_CASE("huge amounts, dates out of range and bad categories are refused with the column") {
  const std::string message =
      LoadError("invoices",
                "invoice_id,provider_id,budget_id,amount,service_from,service_to,received_on,category,description\n"
                "I-1,V-001,B-102,1000000000000.00,2026-04-01,2026-04-30,2026-05-03,activities,\n"
                "I-2,V-001,B-102,12.345,1899-12-31,2200-01-01,2026-02-30,Activities,\n"
                "I-3,V-001,B-102,-5.00,2026-04-30,2026-04-01,2026-05-03,activities,\n"
                "I-4,V-001,B-102,\"1,234.00\",2026-04-01,2026-04-30,2026-05-03,activities,\n");
  INFO(message);
  CHECK(message.find("invoices.csv:2: column 4 (amount)") != std::string::npos);
  CHECK(message.find("invoices.csv:3: column 4 (amount)") != std::string::npos);
  CHECK(message.find("invoices.csv:3: column 5 (service_from)") != std::string::npos);
  CHECK(message.find("invoices.csv:3: column 6 (service_to)") != std::string::npos);
  CHECK(message.find("invoices.csv:3: column 7 (received_on)") != std::string::npos);
  CHECK(message.find("invoices.csv:3: column 8 (category)") != std::string::npos);
  CHECK(message.find("invoices.csv:4: column 4 (amount): is -5.00; expected an amount of more than zero") !=
        std::string::npos);
  CHECK(message.find("invoices.csv:4: column 6 (service_to): is 2026-04-01, before service_from") != std::string::npos);
  CHECK(message.find("invoices.csv:5: column 4 (amount)") != std::string::npos);
}

TEST_CASE("references to records not in the ledger are all reported with their column") {
  const std::string message =
      LoadError("invoices",
                "invoice_id,provider_id,budget_id,amount,service_from,service_to,received_on,category,description\n"
                "I-1,V-404,B-102,10.00,2026-04-01,2026-04-30,2026-05-03,activities,\n"
                "I-2,V-001,B-404,10.00,2026-04-01,2026-04-30,2026-05-03,activities,\n");
  INFO(message);
  CHECK(message.find("invoices.csv:2: column 2 (provider_id): provider V-404 is not in the ledger") !=
        std::string::npos);
  CHECK(message.find("invoices.csv:3: column 3 (budget_id): budget B-404 is not in the ledger") != std::string::npos);
}

TEST_CASE("a rule refusal from the ledger names the row's file and line") {
  const std::string message = LoadError("budgets",
                                        "budget_id,person_id,pot_id,management,amount,start_date,end_date,"
                                        "approved_on,frequency,payee_ref\n"
                                        "B-9,P-000101,POT-CHC,notional,91000.01,2026-04-01,2027-03-31,2026-04-02,"
                                        "none,\n");
  INFO(message);
  CHECK(message.find("nothing was loaded from budgets.csv: budgets.csv:2: ") != std::string::npos);
  CHECK(message.find("pot:POT-CHC") != std::string::npos);
}

TEST_CASE("unknown columns are an error, x_ columns are accepted, missing columns are all named") {
  CHECK(LoadError("reviews", "review_id,budget_id,reviewed_on,outcome,reviewed_by,notes\n").find("notes") !=
        std::string::npos);
  const std::string missing = LoadError("reviews", "review_id,budget_id,x_notes\n");
  INFO(missing);
  CHECK(missing.find("reviewed_on") != std::string::npos);
  CHECK(missing.find("reviewed_by") != std::string::npos);
  Books books;
  LoadReference(books);
  TempDir tmp;
  Write(tmp / "r.csv",
        "x_notes,review_id,budget_id,reviewed_on,outcome,reviewed_by\nanything,REV-9,B-101,2026-07-01,end,"
        "c.c.\n");
  auto s = Load(books, "reviews", tmp / "r.csv");
  INFO(s.status().message());
  REQUIRE(s.ok());
  CHECK(s->loaded == 1);
}

TEST_CASE("a truncated file, a file in the wrong encoding and an unknown kind are refused") {
  const std::string truncated = LoadError("reviews",
                                          "review_id,budget_id,reviewed_on,outcome,reviewed_by\n"
                                          "REV-1,B-101,2026-07-01,continue,\"care coordinator");
  INFO(truncated);
  CHECK(truncated.find("reviews.csv:2") != std::string::npos);
  const std::string latin1 = LoadError("reviews",
                                       "review_id,budget_id,reviewed_on,outcome,reviewed_by\n"
                                       "REV-1,B-101,2026-07-01,continue,Zo\xEB\n");
  INFO(latin1);
  CHECK(latin1.find("reviews.csv:2: column 5 (reviewed_by)") != std::string::npos);
  CHECK(latin1.find("UTF-8") != std::string::npos);
  const std::string utf16 = LoadError("reviews", std::string("\xFF\xFEr\0e\0", 6));
  CHECK(utf16.find("UTF-16") != std::string::npos);
  Books books;
  auto s = Load(books, "payments", kIngestData + "pots.csv");
  REQUIRE(!s.ok());
  CHECK(s.status().message().find("expected one of pots, people") != std::string::npos);
}

TEST_CASE("errors beyond the limit are counted, not listed") {
  std::string text = "review_id,budget_id,reviewed_on,outcome,reviewed_by\n";
  for (int i = 0; i < 70; ++i) text += "REV-" + std::to_string(i) + ",B-101,2026-07-01,maybe,c.c.\n";
  const std::string message = LoadError("reviews", text);
  CHECK(message.find("70 problems") != std::string::npos);
  CHECK(message.find("... and 20 more") != std::string::npos);
}

}  // namespace rf

namespace rf {

TEST_CASE("progress is reported every 10,000 rows while a large file is read") {
  Books books;
  TempDir tmp;
  std::string text = "review_id,budget_id,reviewed_on,outcome,reviewed_by\n";
  for (int i = 0; i < 25'000; ++i) text += "REV-" + std::to_string(i) + ",B-404,2026-07-01,continue,c.c.\n";
  Write(tmp / "reviews.csv", text);
  IngestOptions o = Options();
  std::vector<uint64_t> seen;
  o.progress = [&](uint64_t done, uint64_t total) {
    CHECK(done <= total);
    seen.push_back(done);
  };
  auto s = IngestFile(books.ledger(), "reviews", tmp / "reviews.csv", o);
  REQUIRE(!s.ok());  // budget B-404 is not in the ledger
  CHECK(s.status().message().find("25000 problems") != std::string::npos);
  CHECK(seen.size() == 2);
}

}  // namespace rf
