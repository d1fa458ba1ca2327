// Loading is idempotent: the same file or the same external ids again
// changes nothing; the same id with different content is an error naming
// both sources; a repeated id within a file names both lines; a dry run
// writes nothing.
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "ingest/ingest_file.h"
#include "ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::TempDir;

namespace rf {
namespace {

using rf::test::kIngestData;

Result<IngestSummary> Load(Books& books, const std::string& kind, const std::string& path, bool dry_run = false,
                           const char* load_date = "2026-04-01") {
  IngestOptions o;
  o.dry_run = dry_run;
  o.actor = "finance.manager";
  o.load_date = D(load_date);
  return IngestFile(books.ledger(), kind, path, o);
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

void MustLoad(Books& books, const std::string& kind, const std::string& path) {
  auto s = Load(books, kind, path);
  INFO(s.status().message());
  REQUIRE(s.ok());
}

void LoadReference(Books& books) {
  for (const char* kind : {"pots", "people", "providers", "budgets"}) {
    MustLoad(books, kind, kIngestData + kind + ".csv");
  }
}

}  // namespace

TEST_CASE("loading every kind's file a second time adds no entry and says every row was skipped") {
  Books books;
  LoadReference(books);
  PaymentFields pay;
  pay.payment_id = "PAY-1";
  pay.run_id = "RUN-1";
  pay.purpose = "instalment";
  pay.budget_id = "B-101";
  pay.amount = P("1000.00");
  pay.run_date = D("2026-05-01");
  books.MustCommit({PaymentPendingDraft(pay, rf::test::kTester)});
  for (const char* kind : {"invoices", "dp-returns", "transfers", "reviews", "bank"}) {
    MustLoad(books, kind, kIngestData + kind + ".csv");
  }
  const uint64_t size = books.Size();
  for (const char* kind :
       {"pots", "people", "providers", "budgets", "invoices", "dp-returns", "transfers", "reviews", "bank"}) {
    // People and providers are effective on the day of loading: a later day
    // is still the same content.
    IngestOptions o;
    o.actor = "someone.else";
    o.load_date = D("2026-09-30");
    auto s = IngestFile(books.ledger(), kind, kIngestData + kind + ".csv", o);
    INFO(kind << ": " << s.status().message());
    REQUIRE(s.ok());
    CHECK(s->loaded == 0);
    CHECK(s->skipped == s->rows);
    CHECK(s->rows > 0);
    CHECK(!s->committed);
  }
  CHECK(books.Size() == size);
}

TEST_CASE("a file with some rows already loaded loads only the new ones") {
  Books books;
  LoadReference(books);
  TempDir tmp;
  const std::string header = "review_id,budget_id,reviewed_on,outcome,reviewed_by\n";
  Write(tmp / "a.csv", header + "REV-1,B-101,2026-07-01,continue,c.c.\n");
  MustLoad(books, "reviews", tmp / "a.csv");
  Write(tmp / "b.csv", header + "REV-1,B-101,2026-07-01,continue,c.c.\nREV-2,B-101,2026-08-01,end,c.c.\n");
  const uint64_t size = books.Size();
  auto s = Load(books, "reviews", tmp / "b.csv");
  REQUIRE(s.ok());
  CHECK(s->loaded == 1);
  CHECK(s->skipped == 1);
  CHECK(books.Size() == size + 1);
}

TEST_CASE("the same id with different content is an error naming both sources and the difference") {
  Books books;
  LoadReference(books);
  TempDir tmp;
  Write(tmp / "providers-v2.csv",
        "provider_id,name,kind,size,community_led,approved,payee_ref\n"
        "V-001,\"Harbour \"\"Peer\"\" Support CIC\",vcse,micro,yes,yes,GB33BUKB20201555555555\n");
  const uint64_t size = books.Size();
  auto s = Load(books, "providers", tmp / "providers-v2.csv");
  REQUIRE(!s.ok());
  const std::string& m = s.status().message();
  INFO(m);
  CHECK(m.find("providers-v2.csv:2: column 1 (provider_id): provider V-001 was already loaded from providers.csv:2") !=
        std::string::npos);
  CHECK(m.find("payee_ref ****5432 before, ****5555 now") != std::string::npos);
  CHECK(m.find("GB33BUKB") == std::string::npos);
  CHECK(books.Size() == size);

  // External ids of postings: the earlier entry's body is compared whole.
  Write(tmp / "t1.csv",
        "transfer_id,date,from_account,to_account,amount,reason,authorised_by\n"
        "T-1,2026-06-01,budget:B-101,pot:POT-MH,1000.00,budget reduced,j.patel\n");
  MustLoad(books, "transfers", tmp / "t1.csv");
  Write(tmp / "t2.csv",
        "transfer_id,date,from_account,to_account,amount,reason,authorised_by\n"
        "T-1,2026-06-02,budget:B-101,pot:POT-MH,1000.00,budget reduced,j.patel\n");
  s = Load(books, "transfers", tmp / "t2.csv");
  REQUIRE(!s.ok());
  INFO(s.status().message());
  CHECK(s.status().message().find("transfer T-1 was already loaded from t1.csv:2") != std::string::npos);
  CHECK(s.status().message().find("date \"2026-06-01\" before, \"2026-06-02\" now") != std::string::npos);
}

TEST_CASE("an invoice loaded again is compared with its entry where the record keeps less") {
  // The invoice record keeps what approval and payment read, not the
  // category or description: those are settled against the stored entry.
  Books books;
  LoadReference(books);
  TempDir tmp;
  const std::string header =
      "invoice_id,provider_id,budget_id,amount,service_from,service_to,received_on,category,description\n";
  Write(tmp / "a.csv", header + "INV-1,V-001,B-101,80.00,2026-05-01,2026-05-31,2026-06-03,activities,Art group\n");
  MustLoad(books, "invoices", tmp / "a.csv");
  const uint64_t size = books.Size();
  auto again = Load(books, "invoices", tmp / "a.csv");
  REQUIRE(again.ok());
  CHECK(again->skipped == 1);
  CHECK(books.Size() == size);

  Write(tmp / "b.csv",
        header + "INV-1,V-001,B-101,80.00,2026-05-01,2026-05-31,2026-06-03,activities,\"Art group, June\"\n");
  auto changed = Load(books, "invoices", tmp / "b.csv");
  REQUIRE(!changed.ok());
  const std::string& m = changed.status().message();
  INFO(m);
  CHECK(m.find("b.csv:2: column 1 (invoice_id): invoice INV-1 was already loaded from a.csv:2") != std::string::npos);
  CHECK(m.find("description \"Art group\" before, \"Art group, June\" now") != std::string::npos);
  CHECK(books.Size() == size);
}

TEST_CASE("a repeated id within one file is an error naming both lines") {
  Books books;
  LoadReference(books);
  TempDir tmp;
  Write(tmp / "r.csv",
        "review_id,budget_id,reviewed_on,outcome,reviewed_by\n"
        "REV-1,B-101,2026-07-01,continue,c.c.\n"
        "REV-2,B-101,2026-07-01,continue,c.c.\n"
        "REV-1,B-101,2026-07-01,continue,c.c.\n");
  auto s = Load(books, "reviews", tmp / "r.csv");
  REQUIRE(!s.ok());
  INFO(s.status().message());
  CHECK(s.status().message().find("r.csv:4: column 1 (review_id): review REV-1 is also on line 2") !=
        std::string::npos);
}

TEST_CASE("an ingest dry run checks every row and rule and writes nothing") {
  Books books;
  LoadReference(books);
  const uint64_t size = books.Size();
  auto s = Load(books, "invoices", kIngestData + "invoices.csv", /*dry_run=*/true);
  REQUIRE(s.ok());
  CHECK(s->loaded == 3);
  CHECK(!s->committed);
  CHECK(books.Size() == size);
  // A rule refusal shows on a dry run too.
  TempDir tmp;
  Write(tmp / "t.csv",
        "transfer_id,date,from_account,to_account,amount,reason,authorised_by\n"
        "T-9,2026-06-01,budget:B-101,pot:POT-MH,12000.01,too much,j.patel\n");
  s = Load(books, "transfers", tmp / "t.csv", /*dry_run=*/true);
  REQUIRE(!s.ok());
  CHECK(s.status().message().find("t.csv:2") != std::string::npos);
  CHECK(books.Size() == size);
}

}  // namespace rf
