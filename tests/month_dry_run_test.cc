// A dry run's reads on two threads (reconcile/month_dry_run.h): the same
// result as on one, byte for byte in every format, and a journal that grows
// between the two threads' snapshots is noticed and read again on one.
#include "reconcile/month_dry_run.h"

#include <catch2/catch.hpp>
#include <string>

#include "reconcile/business_days.h"
#include "tests/ledger_fixture.h"
#include "tests/test_util.h"

namespace {

// A simulated ICB of three months, reconciled by `demo`.
struct DryRunDemo {
  rf::test::TempDir dir;
  std::string ledger = dir / "demo.rf";
  std::string cli = rf::test::RingfenceOn(ledger);
  DryRunDemo() {
    auto demo = rf::test::Run(cli + "demo --people 150 --months 3");
    INFO(demo.output);
    REQUIRE(demo.exit_code == 0);
  }
};

// What a dry run's reads say, as one comparable text.
std::string DryRunDigest(const rf::DryRunReads& r) {
  std::string out = "tree_size " + std::to_string(r.rest.tree_size) + "\nlines " +
                    std::to_string(r.rest.tally.lines_in_month) + "\nmatches " +
                    std::to_string(r.plan.result.matches.size()) + "\nsign_off " +
                    (r.rest.sign_off ? r.rest.sign_off->result_sha256 : "none") + "\ndp_surplus_weeks " +
                    std::to_string(r.thresholds.dp_surplus_weeks) + "\n";
  for (const rf::MonthFlag& f : r.flags) {
    out += rf::FlagId(f) + " " + f.amount_at_stake_pence.ToPounds() + " " + std::to_string(f.evidence_seqs.size()) + "\n";
  }
  for (const rf::Table& t : r.rest.equality) out += rf::RenderText(t);
  return out;
}

rf::DryRunReadOptions DryRunOptionsWith(unsigned threads) {
  return rf::DryRunReadOptions{
      .window_days = std::nullopt, .origin = rf::test::kTester, .threads = threads, .before_worker_reads = {}};
}

}  // namespace

TEST_CASE("reconcile --dry-run prints the same bytes on one thread and on two, in every format") {
  DryRunDemo demo;
  for (const char* month : {"2026-05", "2026-06"}) {
    for (const char* format : {"text", "json", "csv"}) {
      const std::string run = demo.cli + "--format " + format + " reconcile --month " + month + " --dry-run";
      auto one = rf::test::Run(run + " --threads 1 2>/dev/null");
      auto two = rf::test::Run(run + " --threads 2 2>/dev/null");
      auto plain = rf::test::Run(run + " 2>/dev/null");
      INFO(month << " " << format << "\n" << one.output);
      REQUIRE(one.exit_code == 0);
      CHECK(one.output.size() > 100);
      CHECK(two.exit_code == 0);
      CHECK(two.output == one.output);
      CHECK(plain.output == one.output);  // two threads unless told
    }
  }
  auto three = rf::test::Run(demo.cli + "reconcile --month 2026-05 --dry-run --threads 3");
  CHECK(three.exit_code == 2);
  CHECK_THAT(three.output, Catch::Contains("--threads"));
  auto none = rf::test::Run(demo.cli + "reconcile --month 2026-05 --dry-run --threads 0");
  CHECK(none.exit_code == 2);
}

TEST_CASE("a dry run's two threads read one journal size, and read again on one when it grows between them") {
  DryRunDemo demo;
  auto ledger = rf::Ledger::Open(demo.ledger, /*writable=*/true, rf::JournalOptions{false});
  REQUIRE(ledger.ok());
  const rf::Month month{2026, 6};
  auto size = (*ledger)->journal().Size();
  REQUIRE(size.ok());

  auto one = rf::ReadDryRunMonth(**ledger, month, DryRunOptionsWith(1));
  INFO(one.status().message());
  REQUIRE(one.ok());
  CHECK(!one->two_threads);
  CHECK(!one->fell_back);
  CHECK(one->rest.tree_size == *size);
  CHECK(!one->flags.empty());

  auto two = rf::ReadDryRunMonth(**ledger, month, DryRunOptionsWith(2));
  INFO(two.status().message());
  REQUIRE(two.ok());
  CHECK(two->two_threads);
  CHECK(!two->fell_back);
  CHECK(DryRunDigest(*two) == DryRunDigest(*one));

  // An append after the calling thread's first look and before the worker's
  // snapshot: the worker would read one more entry than the plan.
  rf::DryRunReadOptions appending = DryRunOptionsWith(2);
  int appended = 0;  // on the worker thread: no Catch assertion there
  appending.before_worker_reads = [&] {
    auto c =
        (*ledger)->Commit({rf::ConfigSetDraft("dp_surplus.weeks", "4", rf::test::D("2026-04-01"), rf::test::kTester)});
    if (c.ok()) ++appended;
  };
  auto grown = rf::ReadDryRunMonth(**ledger, month, appending);
  INFO(grown.status().message());
  REQUIRE(grown.ok());
  CHECK(appended == 1);
  CHECK(!grown->two_threads);
  CHECK(grown->fell_back);
  CHECK(grown->rest.tree_size == *size + 1);
  CHECK(grown->thresholds.dp_surplus_weeks == 4);
  // What one thread reads from the grown journal.
  auto after = rf::ReadDryRunMonth(**ledger, month, DryRunOptionsWith(1));
  REQUIRE(after.ok());
  CHECK(DryRunDigest(*grown) == DryRunDigest(*after));
  CHECK(DryRunDigest(*grown) != DryRunDigest(*one));

  auto bad = rf::ReadDryRunMonth(**ledger, month, DryRunOptionsWith(3));
  CHECK(!bad.ok());
}

TEST_CASE("a dry run's error on two threads is the one a single thread reports, after both threads are done") {
  DryRunDemo demo;
  auto ledger = rf::Ledger::Open(demo.ledger, /*writable=*/false);
  REQUIRE(ledger.ok());
  const rf::Month month{2026, 6};
  // The plan refuses the window; the worker's flags read fine meanwhile.
  rf::DryRunReadOptions one = DryRunOptionsWith(1), two = DryRunOptionsWith(2);
  one.window_days = two.window_days = rf::kBusinessDaysWindowMax + 1;
  bool worker_ran = false;
  two.before_worker_reads = [&] { worker_ran = true; };
  auto on_one = rf::ReadDryRunMonth(**ledger, month, one);
  auto on_two = rf::ReadDryRunMonth(**ledger, month, two);
  REQUIRE(!on_one.ok());
  REQUIRE(!on_two.ok());
  CHECK(worker_ran);
  CHECK(on_two.status().message() == on_one.status().message());
  CHECK(on_two.status().code() == on_one.status().code());
}
