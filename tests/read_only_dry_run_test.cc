// Dry runs are reads: `pay --dry-run`, `approve invoices --dry-run` and
// `reconcile --dry-run` open the ledger read-only, so they work on a ledger
// whose directory and files are read-only, and say what a real run would.
// Underneath, Ledger::Commit(dry_run) on a ledger opened read-only checks
// the drafts against one read snapshot in memory (ledger.cc DryRunReadOnly).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "ledger/core/rules.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::Quote;
using rf::test::RingfenceOn;
using rf::test::Run;
using rf::test::TempDir;
using rf::test::WriteFile;

TEST_CASE("a dry run on a ledger opened read-only passes or refuses the drafts as a writable dry run does") {
  Books books;
  books.Standard();
  const uint64_t size = books.Size();
  auto reader = rf::Ledger::Open(books.dir(), /*writable=*/false);
  REQUIRE(reader.ok());
  // The second draft needs the first applied: the views change in memory.
  std::vector<rf::EntryDraft> drafts = {Books::Move("budget:B-1", "dp:B-1", "1200.00"),
                                        Books::Move("dp:B-1", "spent:B-1:care", "1200.00")};
  auto passed = (*reader)->Commit(drafts, /*dry_run=*/true);
  INFO(passed.status().message());
  REQUIRE(passed.ok());
  CHECK_FALSE(passed->committed);
  CHECK(passed->appended.first_seq == size + 1);
  CHECK(passed->appended.last_seq == size + 2);
  CHECK(books.Size() == size);

  // A penny more than the budget holds: refused with the code a writable
  // dry run gives, nothing written either way.
  const std::vector<rf::EntryDraft> over = {Books::Move("budget:B-1", "dp:B-1", "1200.01")};
  auto refused_read_only = (*reader)->Commit(over, /*dry_run=*/true);
  auto refused_writable = books.Commit(over, /*dry_run=*/true);
  REQUIRE_FALSE(refused_read_only.ok());
  REQUIRE_FALSE(refused_writable.ok());
  CHECK(refused_read_only.status().refusal_code() == std::string(rf::refusal::kWouldGoNegative));
  CHECK(refused_read_only.status().refusal_code() == refused_writable.status().refusal_code());
  CHECK(refused_read_only.status().message() == refused_writable.status().message());
  CHECK(books.Size() == size);
}

TEST_CASE("pay, approve and reconcile dry runs work on a ledger whose folder and files are read-only") {
  TempDir tmp;
  const std::string ledger = tmp / "ledger.rf";
  WriteFile(tmp / "setup.json", rf::test::kSetupPostJson);
  std::string rf = "RINGFENCE_TODAY=2026-06-30 " + RingfenceOn(ledger);
  REQUIRE(Run(rf + "init --org 'NHS Test ICB'").exit_code == 0);
  REQUIRE(Run(rf + "post " + Quote(tmp / "setup.json")).exit_code == 0);
  REQUIRE(Run(rf + "config set bank.debtor_iban GB29NWBK60161331926819").exit_code == 0);
  const std::vector<std::string> dry_runs = {"pay --date 2026-05-05 --dry-run",
                                             "approve invoices --all-valid --dry-run --date 2026-05-01",
                                             "reconcile --month 2026-05 --dry-run"};
  std::vector<std::string> writable_outputs;
  for (const std::string& command : dry_runs) {
    auto r = Run(rf + "--quiet " + command);
    INFO(command << "\n" << r.output);
    REQUIRE(r.exit_code == 0);
    writable_outputs.push_back(r.output);
  }
  CHECK_THAT(writable_outputs[0], Catch::Contains("Dry run: nothing journalled, no file written."));
  // Root ignores permission bits: the ledger goes to nobody, who runs them.
  if (::geteuid() == 0) {
    if (Run("command -v setpriv").exit_code != 0) {
      WARN("skipped: running as root without setpriv, permissions cannot be tested");
      return;
    }
    REQUIRE(Run("chmod 0711 " + Quote(tmp.path()) + " && chown -R 65534:65534 " + Quote(ledger)).exit_code == 0);
    rf = "RINGFENCE_TODAY=2026-06-30 setpriv --reuid=65534 --regid=65534 --clear-groups " + RingfenceOn(ledger);
  }
  REQUIRE(Run("chmod 0400 " + Quote(ledger + "/data.mdb") + " " + Quote(ledger + "/lock.mdb") + " && chmod 0500 " +
              Quote(ledger))
              .exit_code == 0);
  for (size_t i = 0; i < dry_runs.size(); ++i) {
    // --quiet: the operations log cannot be written here, which warns.
    auto r = Run(rf + "--quiet " + dry_runs[i]);
    INFO(dry_runs[i] << "\n" << r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output == writable_outputs[i]);
  }
  // A real run is still refused up front.
  std::filesystem::create_directories(tmp / "out");
  std::filesystem::permissions(tmp / "out", std::filesystem::perms::all);  // for nobody too
  auto pay = Run(rf + "pay --date 2026-05-05 --out " + Quote(tmp / "out/run.xml"));
  CHECK(pay.exit_code == 2);
  CHECK_THAT(pay.output, Catch::Contains("the ledger directory is not writable"));
  REQUIRE(Run("chmod 0700 " + Quote(ledger)).exit_code == 0);
}
