// The stored form (stored_form.h): lines and invoice records round-trip
// through their dictionaries; plain JSON stored before compression reads as
// itself; a damaged stored value is refused or caught by verify; a ledger
// written before compression and before views.invoice (plain lines, every
// view family in one database) still verifies, takes new entries and
// answers the same.
#include "ledger/storage/stored_form.h"

#include <lmdb.h>

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ledger/core/canonical_json.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/storage/ledger.h"
#include "ledger/audit/ledger_verify.h"
#include "ledger/storage/lmdb_env.h"
#include "ledger/core/stored_record.h"
#include "ledger_fixture.h"
#include "test_util.h"

using rf::test::D;
using rf::test::P;
using rf::test::TempDir;

namespace {

const rf::DraftOrigin kOrigin{"tester", "test"};

// `form`: the first byte stored, the dictionary's unless an invoice record
// is written flat (stored_record.h).
std::string RoundTrip(rf::StoredDictionary dictionary, const std::string& json, size_t* stored_bytes,
                      std::optional<char> form = std::nullopt) {
  rf::StoredCompressor compressor(dictionary);
  std::string stored;
  compressor.Compress(json, &stored);
  REQUIRE(stored.size() <= rf::StoredCompressor::Bound(json.size()));
  REQUIRE(stored.front() == form.value_or(static_cast<char>(dictionary)));
  *stored_bytes = stored.size();
  rf::StoredDecoder decoder;
  auto back = decoder.Decode(stored);
  REQUIRE(back.ok());
  return std::string(*back);
}

std::vector<rf::EntryDraft> InvoiceBooks(const std::string& org, int invoices) {
  std::vector<rf::EntryDraft> drafts = {
      rf::PotDraft({"POT-A", "Pot A", "PHB", "2026-27", P("10000.00"), D("2026-04-01")}, rf::OrgAccountId(org),
                   kOrigin),
      rf::PersonDraft({"P-1", "A", "25-34", "female", "North", true}, D("2026-04-01"), kOrigin),
      rf::ProviderDraft({"V-1", "Provider V-1", "vcse", "small", "GB82WEST12345698765432", true, true}, D("2026-04-01"),
                        kOrigin),
      rf::BudgetDraft({"B-1", "P-1", "POT-A", "notional", "none", "", P("5000.00"), D("2026-04-02"), D("2027-03-31"),
                       D("2026-04-02")},
                      kOrigin)};
  for (int i = 0; i < invoices; ++i) {
    drafts.push_back(rf::InvoiceReceivedDraft(
        {"INV-" + std::to_string(100 + i), "V-1", "B-1", "activities", "Group, week " + std::to_string(i), P("12.50"),
         D("2026-05-01"), D("2026-05-07"), D("2026-05-10")},
        kOrigin));
  }
  return drafts;
}

// Every view, in key order, as ReadViews gives it.
std::vector<std::pair<std::string, std::string>> AllViews(const rf::Ledger& ledger) {
  std::vector<std::pair<std::string, std::string>> out;
  REQUIRE(ledger
              .ReadViews([&](const rf::ViewSource& views) {
                return views.ForEach("", [&](std::string_view key, std::string_view value) {
                  out.emplace_back(key, value);
                  return rf::Status::Ok();
                });
              })
              .ok());
  return out;
}

MDB_val Val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }

// Rewrites a ledger into the layout before compression and views.invoice:
// plain lines, invoice records as plain "invoice/<id>" keys of "views".
void RewriteToFirstLayout(const std::string& dir) {
  auto env = rf::LmdbEnv::Open(dir, false, false);
  REQUIRE(env.ok());
  auto txn = rf::LmdbTxn::Begin(**env, false);
  REQUIRE(txn.ok());
  auto dbs = rf::OpenJournalDbs(*txn, false);
  REQUIRE(dbs.ok());
  REQUIRE(dbs->invoice_views != dbs->views);
  rf::StoredDecoder decoder;
  std::vector<std::pair<std::string, std::string>> rewrites;
  {
    auto cursor = rf::LmdbCursor::Open(*txn, dbs->entries);
    REQUIRE(cursor.ok());
    for (auto more = cursor->Seek(std::nullopt); *more; more = cursor->Next()) {
      auto line = decoder.Decode(cursor->value());
      REQUIRE(line.ok());
      rf::U64Key key(cursor->key());
      rewrites.emplace_back(std::string(static_cast<const char*>(key.val().mv_data), key.val().mv_size),
                            std::string(*line));
    }
  }
  for (const auto& [key, line] : rewrites) REQUIRE(txn->Put(dbs->entries, Val(key), Val(line), 0).ok());
  rewrites.clear();
  {
    auto cursor = rf::LmdbCursor::Open(*txn, dbs->invoice_views, /*text_keys=*/true);
    REQUIRE(cursor.ok());
    for (auto more = cursor->SeekText(""); *more; more = cursor->Next()) {
      auto record = decoder.Decode(cursor->value());
      REQUIRE(record.ok());
      rewrites.emplace_back("invoice/" + std::string(cursor->key_text()), std::string(*record));
    }
  }
  REQUIRE(!rewrites.empty());
  for (const auto& [key, record] : rewrites) REQUIRE(txn->Put(dbs->views, Val(key), Val(record), 0).ok());
  REQUIRE(mdb_drop(txn->txn(), dbs->invoice_views, 1) == 0);
  REQUIRE(txn->Commit().ok());
}

}  // namespace

TEST_CASE("lines round-trip through their dictionary and invoice records through the flat form, smaller") {
  const std::vector<rf::EntryDraft> drafts = InvoiceBooks("Test ICB", 3);
  for (size_t i = 0; i < drafts.size(); ++i) {
    std::string line;
    REQUIRE(rf::AppendEntryLine(i + 2, "2026-11-24T10:00:00.000000Z", rf::crypto::Hash{}, drafts[i], &line).ok());
    size_t stored = 0;
    CHECK(RoundTrip(rf::StoredDictionary::kLineV1, line, &stored) == line);
    CHECK(stored < line.size() / 2);
  }
  const std::string record =
      R"({"amount":"20.00","budget_id":"B-000000","provider_id":"V-0000","received_on":"2026-06-03","seq":453,)"
      R"("service_from":"2026-05-01","service_to":"2026-05-31","state":"received"})";
  size_t stored = 0;
  CHECK(RoundTrip(rf::StoredDictionary::kInvoiceRecordV1, record, &stored, rf::kFlatRecordByte) == record);
  CHECK(stored < record.size() / 2);
  // Text unlike the dictionary still round-trips.
  const std::string odd = "{\"x\":\"" + std::string(5000, 'q') + "\\u00e9\"}";
  CHECK(RoundTrip(rf::StoredDictionary::kLineV1, odd, &stored) == odd);
}

TEST_CASE("plain JSON reads as itself, and a stored value neither plain nor whole is refused") {
  rf::StoredDecoder decoder;
  const std::string plain = R"({"a":1})";
  auto same = decoder.Decode(plain);
  REQUIRE(same.ok());
  CHECK(same->data() == plain.data());  // not copied

  rf::StoredCompressor compressor(rf::StoredDictionary::kLineV1);
  std::string stored;
  compressor.Compress(std::string(R"({"actor":"tester","body":{"note":"hello"}})"), &stored);
  for (const std::string& bad : {std::string(), std::string("\x01"), std::string("\x07") + stored.substr(1),
                                 std::string("[1]"), stored.substr(0, stored.size() / 2)}) {
    auto decoded = decoder.Decode(bad);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.status().code() == rf::Status::Code::kTampered);
  }
}

TEST_CASE("a ledger written before compression and views.invoice verifies, takes entries and reads the same") {
  TempDir tmp;
  const std::string dir = tmp / "ledger.rf";
  std::vector<std::pair<std::string, std::string>> before;
  {
    auto ledger = rf::Ledger::Create(dir, "Test ICB", rf::DefaultOrigin("Test ICB"), "tester", {false});
    REQUIRE(ledger.ok());
    auto committed = (*ledger)->Commit(InvoiceBooks("Test ICB", 300));
    INFO(committed.status().message());
    REQUIRE(committed.ok());
    before = AllViews(**ledger);
  }
  // Every record reads back in canonical form (invoice records are written
  // as hand-built text, views.h PutRecordText).
  size_t invoices = 0;
  for (const auto& [key, value] : before) {
    if (!key.starts_with("invoice/")) continue;
    ++invoices;
    REQUIRE(*rf::Canonicalize(nlohmann::json::parse(value)) == value);
  }
  CHECK(invoices == 300);
  RewriteToFirstLayout(dir);

  auto ledger = rf::Ledger::Open(dir, true, {false});
  REQUIRE(ledger.ok());
  CHECK((*ledger)->journal().dbs().invoice_views == (*ledger)->journal().dbs().views);
  CHECK(AllViews(**ledger) == before);
  REQUIRE(rf::VerifyLedger((*ledger)->journal()).ok());
  REQUIRE(rf::CompareViews((*ledger)->journal()).ok());
  // New entries in the old layout: lines compressed, records where they were.
  auto more =
      (*ledger)->Commit({rf::InvoiceApprovedDraft("INV-100", "B-1", "V-1", P("12.50"), D("2026-05-12"), kOrigin)});
  INFO(more.status().message());
  REQUIRE(more.ok());
  auto verified = rf::VerifyLedger((*ledger)->journal());
  INFO(verified.status().message());
  REQUIRE(verified.ok());
  auto views = rf::CompareViews((*ledger)->journal());
  INFO(views.status().message());
  REQUIRE(views.ok());
  CHECK(views->keys == AllViews(**ledger).size());
}
