// `ringfence views rebuild` (ledger/audit/views_rebuild.h): a ledger whose
// views were written in an earlier stored form (a plain-decimal bal/ value
// where the balance now carries its days, a daydelta/ key) fails verify
// although its journal is intact; the rebuild verifies the journal, rewrites
// the views from it in one transaction, journals nothing, and verify passes.
// A damaged journal is refused and the views left as they were.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "ledger/storage/ledger.h"
#include "ledger/storage/lmdb_env.h"
#include "tests/test_util.h"

namespace {

using rf::test::Quote;
using rf::test::Run;
using rf::test::TempDir;

MDB_val ViewsRebuildVal(const std::string& s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }

// The ledger `dir` as bytes: every raw key and value of every database the
// journal keeps (`entries`, `tree`, `checkpoints`, `meta`) or of the views
// (`views`, `views.invoice`), prefixed with the database's name.
std::map<std::string, std::string> ViewsRebuildRaw(const std::string& dir, bool views) {
  auto ledger = rf::Ledger::Open(dir, /*writable=*/false);
  REQUIRE(ledger.ok());
  const auto& journal = (*ledger)->journal();
  const auto& dbs = journal.dbs();
  auto txn = rf::LmdbTxn::Begin(journal.env(), /*read_only=*/true);
  REQUIRE(txn.ok());
  std::map<std::string, std::string> out;
  const auto scan = [&](const char* name, MDB_dbi dbi) {
    MDB_cursor* cursor = nullptr;
    REQUIRE(mdb_cursor_open(txn->txn(), dbi, &cursor) == 0);
    MDB_val key{}, value{};
    for (int rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
      out[std::string(name) + ":" + std::string(static_cast<const char*>(key.mv_data), key.mv_size)] =
          std::string(static_cast<const char*>(value.mv_data), value.mv_size);
    }
    mdb_cursor_close(cursor);
  };
  if (views) {
    scan("views", dbs.views);
    if (dbs.invoice_views != dbs.views) scan("views.invoice", dbs.invoice_views);
  } else {
    scan("meta", dbs.meta);
    scan("entries", dbs.entries);
    scan("tree", dbs.tree);
    scan("checkpoints", dbs.checkpoints);
  }
  return out;
}

// Writes (or, with no value, deletes) raw keys of the views database, as an
// earlier version's code (or anyone) could have left them.
void ViewsRebuildWriteRaw(const std::string& dir, const std::map<std::string, std::optional<std::string>>& puts,
                          MDB_dbi (*pick)(const rf::Journal::Dbs&) = nullptr) {
  auto ledger = rf::Ledger::Open(dir, /*writable=*/true);
  REQUIRE(ledger.ok());
  const auto& journal = (*ledger)->journal();
  const MDB_dbi dbi = pick != nullptr ? pick(journal.dbs()) : journal.dbs().views;
  auto txn = rf::LmdbTxn::Begin(journal.env(), /*read_only=*/false);
  REQUIRE(txn.ok());
  for (const auto& [key, value] : puts) {
    if (value) {
      REQUIRE(txn->Put(dbi, ViewsRebuildVal(key), ViewsRebuildVal(*value), 0).ok());
    } else {
      REQUIRE(txn->Del(dbi, ViewsRebuildVal(key)).ok());
    }
  }
  REQUIRE(txn->Commit().ok());
}

// A ledger made with the current code: init, then pot POT-1, person P-1 and
// budget B-1, then an instalment budget:B-1 -> dp:B-1.
std::string ViewsRebuildLedger(const TempDir& tmp) {
  const std::string ledger = tmp / "ledger.rf";
  rf::test::WriteFile(tmp / "setup.json", rf::test::kSetupPostJson);
  rf::test::WriteFile(tmp / "pay.json", R"({"kind": "posting", "effective": "2026-05-01",
  "body": {"postings": [{"account": "budget:B-1", "amount": "-100.00"}, {"account": "dp:B-1", "amount": "100.00"}],
           "memo": "May instalment"}})");
  const std::string rf = rf::test::RingfenceOn(ledger);
  REQUIRE(Run(rf + "init --org 'NHS Test ICB'").exit_code == 0);
  REQUIRE(Run(rf + "post " + Quote(tmp / "setup.json")).exit_code == 0);
  REQUIRE(Run(rf + "post " + Quote(tmp / "pay.json")).exit_code == 0);
  REQUIRE(Run(rf + "verify").exit_code == 0);
  return ledger;
}

// Puts the ledger's views into the form an earlier build wrote: budget:B-1's
// balance a plain decimal (no days), a daydelta/ key, and dp:B-1's balance
// missing. Returns the values the current code wrote, to compare with after.
std::map<std::string, std::string> ViewsRebuildMakeOldForm(const std::string& ledger) {
  auto before = ViewsRebuildRaw(ledger, /*views=*/true);
  const std::string budget = before.at("views:bal/budget:B-1");
  REQUIRE(budget.find(';') != std::string::npos);  // the current form carries days
  REQUIRE(before.count("views:bal/dp:B-1") == 1);
  ViewsRebuildWriteRaw(ledger, {{"bal/budget:B-1", budget.substr(0, budget.find(';'))},
                                {"daydelta/budget:B-1/2026", "2026-04-02=300.00;2026-05-01=-100.00"},
                                {"bal/dp:B-1", std::nullopt}});
  return before;
}

}  // namespace

TEST_CASE("views rebuild rewrites views of an earlier form from the journal, journals nothing, and verify passes") {
  TempDir tmp;
  const std::string ledger = ViewsRebuildLedger(tmp);
  const std::string rf = rf::test::RingfenceOn(ledger);
  const auto journal_before = ViewsRebuildRaw(ledger, /*views=*/false);
  const auto views_current = ViewsRebuildMakeOldForm(ledger);
  const auto views_old = ViewsRebuildRaw(ledger, /*views=*/true);
  REQUIRE(views_old != views_current);

  auto failed = Run(rf + "verify");
  INFO(failed.output);
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.output, Catch::Contains("bal/budget:B-1"));
  // verify still fails (a view may have been altered) but says the journal held and what to run.
  CHECK_THAT(failed.output, Catch::Contains("The journal itself verified"));
  CHECK_THAT(failed.output, Catch::Contains("`ringfence views rebuild`"));

  // A dry run reports what would change and writes nothing.
  auto dry = Run(rf + "views rebuild --dry-run");
  INFO(dry.output);
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.output, Catch::Contains("1 added, 1 removed, 1 changed"));
  CHECK_THAT(dry.output, Catch::Contains("daydelta/"));
  CHECK_THAT(dry.output, Catch::Contains("Dry run: nothing was written"));
  CHECK(ViewsRebuildRaw(ledger, true) == views_old);
  auto dry_json = Run(rf + "--format json views rebuild --dry-run");
  REQUIRE(dry_json.exit_code == 0);
  const auto j = nlohmann::json::parse(dry_json.output);
  CHECK(j["written"] == false);
  CHECK(j["families"]["bal/"]["changed"] == 1);
  CHECK(j["families"]["bal/"]["added"] == 1);
  CHECK(j["families"]["daydelta/"]["removed"] == 1);
  CHECK(j["entries"] == 5);
  CHECK(Run(rf + "verify").exit_code == 1);

  auto rebuilt = Run(rf + "views rebuild");
  INFO(rebuilt.output);
  CHECK(rebuilt.exit_code == 0);
  CHECK_THAT(rebuilt.output, Catch::Contains("Views rebuilt from the journal: 1 added, 1 removed, 1 changed"));
  CHECK_THAT(rebuilt.output, Catch::Contains("tree size 5"));
  auto ok = Run(rf + "verify");
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  // Exactly the views the current code wrote, and the journal byte for byte.
  CHECK(ViewsRebuildRaw(ledger, true) == views_current);
  CHECK(ViewsRebuildRaw(ledger, false) == journal_before);

  // Run again: nothing differs, nothing written.
  auto again = Run(rf + "--format json views rebuild");
  REQUIRE(again.exit_code == 0);
  const auto a = nlohmann::json::parse(again.output);
  CHECK(a["written"] == false);
  CHECK(a["added"] == 0);
  CHECK(a["changed"] == 0);
  CHECK(a["removed"] == 0);
  // The ledger takes new entries after, and the operations log names the run.
  REQUIRE(Run(rf + "post " + Quote(tmp / "pay.json")).exit_code == 0);
  CHECK(Run(rf + "verify").exit_code == 0);
  CHECK_THAT(rf::test::ReadFile(ledger + "/ops.log"), Catch::Contains("views rebuild"));
}

TEST_CASE("views rebuild also rewrites a damaged invoice-family view and a view no entry produces") {
  TempDir tmp;
  const std::string ledger = ViewsRebuildLedger(tmp);
  const std::string rf = rf::test::RingfenceOn(ledger);
  const auto views_current = ViewsRebuildRaw(ledger, true);
  ViewsRebuildWriteRaw(ledger, {{"zz-not-a-view", "x"}, {"bal/pot:POT-1", "999.00"}});
  ViewsRebuildWriteRaw(
      ledger, {{"INV-STRAY", "{}"}}, [](const rf::Journal::Dbs& dbs) { return dbs.invoice_views; });
  CHECK(Run(rf + "verify").exit_code == 1);
  auto rebuilt = Run(rf + "views rebuild");
  INFO(rebuilt.output);
  CHECK(rebuilt.exit_code == 0);
  CHECK_THAT(rebuilt.output, Catch::Contains("0 added, 2 removed, 1 changed"));
  CHECK(Run(rf + "verify").exit_code == 0);
  CHECK(ViewsRebuildRaw(ledger, true) == views_current);
}

TEST_CASE("views rebuild refuses a journal whose entry was altered, exit 1, and leaves the views as they were") {
  TempDir tmp;
  const std::string ledger = ViewsRebuildLedger(tmp);
  const std::string rf = rf::test::RingfenceOn(ledger);
  ViewsRebuildMakeOldForm(ledger);
  {
    // Entry 4 (budget B-1) stored again with its amount raised: a plain
    // line is read as is, so only its hash gives it away.
    auto opened = rf::Ledger::Open(ledger, /*writable=*/false);
    REQUIRE(opened.ok());
    auto line = (*opened)->journal().Line(4);
    REQUIRE(line.ok());
    std::string altered = *line;
    const size_t at = altered.find("\"300.00\"");
    REQUIRE(at != std::string::npos);
    altered.replace(at, 8, "\"900.00\"");
    opened->reset();
    ViewsRebuildWriteRaw(ledger, {{std::string(reinterpret_cast<const char*>(rf::U64Key(4).bytes), 8), altered}},
                         [](const rf::Journal::Dbs& dbs) { return dbs.entries; });
  }
  const auto views_before = ViewsRebuildRaw(ledger, true);
  const auto journal_before = ViewsRebuildRaw(ledger, false);
  for (const char* flags : {"", " --dry-run"}) {
    auto refused = Run(rf + "views rebuild" + flags);
    INFO(flags << "\n" << refused.output);
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.output, Catch::Contains("the journal does not verify, so its views were not rebuilt"));
    CHECK_THAT(refused.output, Catch::Contains("entry 4"));
    CHECK(ViewsRebuildRaw(ledger, true) == views_before);
    CHECK(ViewsRebuildRaw(ledger, false) == journal_before);
  }
  auto verify = Run(rf + "verify");
  INFO(verify.output);
  CHECK(verify.exit_code == 1);
  CHECK_THAT(verify.output, Catch::Contains("entry 4"));
  CHECK_THAT(verify.output, !Catch::Contains("views rebuild"));  // no remedy offered for a damaged journal
}

TEST_CASE("views rebuild interrupted at any LMDB call that writes leaves the old views, and a rerun finishes") {
  TempDir tmp;
  const std::string ledger = ViewsRebuildLedger(tmp);
  const std::string rf = rf::test::RingfenceOn(ledger);
  ViewsRebuildMakeOldForm(ledger);
  const auto views_old = ViewsRebuildRaw(ledger, true);
  // Count the calls a real rebuild makes on a copy, so the ledger stays old.
  const std::string copy = tmp / "copy.rf";
  REQUIRE(Run("cp -a " + Quote(ledger) + " " + Quote(copy)).exit_code == 0);
  auto real = Run("RF_FAULT_LMDB_COUNT=1 " + rf::test::RingfenceOn(copy) + "views rebuild");
  INFO(real.output);
  REQUIRE(real.exit_code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(real.output, m, std::regex("RF_FAULT_LMDB calls: ([0-9]+)")));
  const uint64_t calls = std::stoull(m[1]);
  REQUIRE(calls >= 5);  // open for writing, begin, at least 3 puts or deletes, commit
  for (uint64_t n = 1; n <= calls; ++n) {
    auto failed = Run("RF_FAULT_LMDB_AT=" + std::to_string(n) + " " + rf + "views rebuild");
    INFO("call " << n << "\n" << failed.output);
    CHECK(failed.exit_code == 2);
    CHECK_THAT(failed.output, Catch::Contains("injected fault"));
    CHECK(ViewsRebuildRaw(ledger, true) == views_old);
  }
  CHECK(Run(rf + "verify").exit_code == 1);
  REQUIRE(Run(rf + "views rebuild").exit_code == 0);
  CHECK(Run(rf + "verify").exit_code == 0);
}

TEST_CASE("views rebuild --dry-run on a ledger an earlier build wrote names the daydelta/ keys and bal/ values it would rewrite") {
  // The data.mdb of a 7-entry ledger written on 2026-12-06 before bal/
  // values took the day deltas (it was the verify_damaged fuzz seed): its
  // journal is intact, its views are in the earlier form. Its signing key
  // is not kept, so only the dry run (which reads) can run on it.
  TempDir tmp;
  const std::string ledger = tmp / "old.rf";
  std::filesystem::create_directories(ledger);
  rf::test::WriteFile(ledger + "/data.mdb",
                      rf::test::ReadFile(std::string(RF_TEST_DATA_DIR) + "/old_views/ledger-7-entries-daydelta.data.mdb"));
  const std::string rf = rf::test::RingfenceOn(ledger);
  auto verify = Run(rf + "verify");
  INFO(verify.output);
  CHECK(verify.exit_code == 1);
  CHECK_THAT(verify.output, Catch::Contains("`ringfence views rebuild`"));
  const auto before = ViewsRebuildRaw(ledger, true);
  auto dry = Run(rf + "--format json views rebuild --dry-run");
  INFO(dry.output);
  REQUIRE(dry.exit_code == 0);
  const auto j = nlohmann::json::parse(dry.output);
  CHECK(j["entries"] == 7);
  CHECK(j["families"]["bal/"]["changed"] == 2);     // budget:B-1 and pot:POT-1 take their days
  CHECK(j["families"]["daydelta/"]["removed"] == 2);
  CHECK(j["families"]["daydelta-year"]["removed"] == 1);
  // The view form marker (records.h kViewFormKey), which a ledger made
  // before the month indexes lacks; this one has no bank line or payment.
  CHECK(j["families"]["viewform"]["added"] == 1);
  // And the flag indexes (records.h) of its one invoice.
  CHECK(j["families"]["invrecv/"]["added"] == 1);
  CHECK(j["families"]["invopen/"]["added"] == 1);
  CHECK(j["families"]["dupkey/"]["added"] == 1);
  CHECK(j["added"] == 4);
  CHECK(ViewsRebuildRaw(ledger, true) == before);
  // Without the ledger's signing key the rebuild itself is refused up front.
  auto refused = Run(rf + "views rebuild");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.output, Catch::Contains("signing key"));
  CHECK(ViewsRebuildRaw(ledger, true) == before);
}

TEST_CASE("reconcile refuses a ledger whose views predate the month indexes, naming views rebuild, and runs after it") {
  TempDir tmp;
  const std::string ledger = ViewsRebuildLedger(tmp);
  const std::string rf = rf::test::RingfenceOn(ledger);
  const std::string reconcile = rf + "reconcile --month 2026-05 --dry-run";
  auto before = Run(reconcile);
  INFO(before.output);
  REQUIRE(before.exit_code == 0);
  // As a ledger an earlier build wrote: no view form marker.
  ViewsRebuildWriteRaw(ledger, {{"viewform", std::nullopt}});
  auto refused = Run(reconcile);
  INFO(refused.output);
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.output, Catch::Contains("`ringfence views rebuild`"));
  // Or another form.
  ViewsRebuildWriteRaw(ledger, {{"viewform", std::string("0")}});
  CHECK(Run(reconcile).exit_code == 2);
  // Or the form before the flag indexes (records.h).
  ViewsRebuildWriteRaw(ledger, {{"viewform", std::string("1")}});
  auto form_one = Run(reconcile);
  CHECK(form_one.exit_code == 2);
  CHECK_THAT(form_one.output, Catch::Contains("`ringfence views rebuild`"));
  CHECK(Run(rf + "verify").exit_code == 1);
  REQUIRE(Run(rf + "views rebuild").exit_code == 0);
  CHECK(Run(rf + "verify").exit_code == 0);
  auto after = Run(reconcile);
  CHECK(after.exit_code == 0);
  CHECK(after.output == before.output);
  // An index naming a bank line that is not recorded is damage, not a line.
  ViewsRebuildWriteRaw(ledger, {{"linemonth/2026-05/STMT-Z/1", std::string("2026-05-04")}});
  auto damaged = Run(reconcile);
  INFO(damaged.output);
  CHECK(damaged.exit_code == 1);
  CHECK_THAT(damaged.output, Catch::Contains("view linemonth/2026-05/STMT-Z/1: names no bank line booked in 2026-05"));
}

TEST_CASE("verify and views rebuild spill their replay under TMPDIR and leave nothing there, and refuse a TMPDIR that is no folder") {
  TempDir tmp;
  const std::string ledger = ViewsRebuildLedger(tmp);
  const std::string rf = rf::test::RingfenceOn(ledger);
  const std::string scratch = tmp / "scratch";
  std::filesystem::create_directory(scratch);
  const std::string in_scratch = "TMPDIR=" + Quote(scratch) + " ";
  CHECK(Run(in_scratch + rf + "verify").exit_code == 0);
  CHECK(std::filesystem::is_empty(scratch));
  ViewsRebuildMakeOldForm(ledger);
  auto rebuilt = Run(in_scratch + rf + "views rebuild");
  INFO(rebuilt.output);
  CHECK(rebuilt.exit_code == 0);
  CHECK_THAT(rebuilt.output, Catch::Contains("1 added, 1 removed, 1 changed"));
  CHECK(std::filesystem::is_empty(scratch));
  CHECK(Run(in_scratch + rf + "verify").exit_code == 0);

  const std::string nowhere = "TMPDIR=" + Quote(tmp / "no-such-folder") + " ";
  auto refused = Run(nowhere + rf + "verify");
  INFO(refused.output);
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.output, Catch::Contains("TMPDIR=" + std::string(tmp / "no-such-folder") + " is not one"));
  CHECK(Run(rf + "verify").exit_code == 0);
}
