// A real run's plan and commit with the month-end flags read on a second
// thread before the commit (reconcile/month_real_run.h), and the result built
// from that read (MonthResultFromPreCommitFlags, sign_off.h): declined where
// the read could differ from the flags after the commit (a return; another
// append between the read and the commit), and the same bytes in every
// format as one thread.
#include "reconcile/month_real_run.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <future>
#include <regex>
#include <string>

#include "reconcile/month_dry_run.h"
#include "reconcile/month_result.h"
#include "reconcile/returned_flags.h"
#include "reconcile/sign_off.h"
#include "tests/ledger_fixture.h"
#include "tests/test_util.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;

namespace {

constexpr char kRealRunPayee[] = "GB11PAYE00000000000001";

rf::EntryDraft RealRunPayment(const std::string& id, const std::string& run, const char* amount, const char* run_date) {
  rf::PaymentFields f;
  f.payment_id = id;
  f.run_id = run;
  f.purpose = "instalment";
  f.budget_id = "B-1";
  f.payee_ref = kRealRunPayee;
  f.amount = P(amount);
  f.run_date = D(run_date);
  return rf::PaymentPendingDraft(f, rf::test::kTester);
}

rf::EntryDraft RealRunLine(const std::string& statement, const std::string& line_id, const char* amount,
                           const char* booked_on, const std::string& end_to_end_id, const std::string& batch = "") {
  rf::BankLineFields f;
  f.statement_id = statement;
  f.line_id = line_id;
  f.account = "GB33BUKB20201555555555";
  f.booked_on = D(booked_on);
  f.amount = P(amount);
  f.counterparty_ref = batch.empty() ? kRealRunPayee : "";
  f.end_to_end_id = end_to_end_id;
  f.batch_id = batch;
  f.description = "line " + line_id;
  return rf::BankLineDraft(f, rf::test::kTester);
}

// May 2026: PAY-1 settled by its id, a run of two settled by a batch line,
// PAY-4 on no statement (UNSETTLED_PAYMENT), PAY-2's UNSETTLED_PAYMENT flag
// dropped once settled, a line nothing explains.
void RealRunLoadMay(Books& books) {
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Provider("V-1"),
                    Books::Budget("B-1", "POT-A", "5000.00")});
  books.MustCommit({RealRunPayment("PAY-1", "RUN-1", "50.00", "2026-05-04"),
                    RealRunPayment("PAY-2", "RUN-1", "70.00", "2026-05-04"),
                    RealRunPayment("PAY-4", "RUN-1", "20.00", "2026-05-04")});
  books.MustCommit({RealRunPayment("PAY-5", "RUN-2", "30.00", "2026-05-06"),
                    RealRunPayment("PAY-6", "RUN-2", "40.00", "2026-05-06")});
  books.MustCommit({RealRunLine("S-1", "1", "-50.00", "2026-05-05", "PAY-1"),
                    RealRunLine("S-1", "2", "-70.00", "2026-05-29", "PAY-2"),
                    RealRunLine("S-1", "3", "-70.00", "2026-05-07", "", "RUN-2"),
                    RealRunLine("S-1", "4", "-13.00", "2026-05-08", "")});
}

// June: PAY-1 comes back (a return), and PAY-7 is settled.
void RealRunLoadJune(Books& books) {
  books.MustCommit({RealRunPayment("PAY-7", "RUN-3", "25.00", "2026-06-02")});
  books.MustCommit({RealRunLine("S-2", "1", "50.00", "2026-06-03", "PAY-1"),
                    RealRunLine("S-2", "2", "-25.00", "2026-06-03", "PAY-7")});
}

rf::RealRunOptions RealRunOptionsWith(unsigned threads) {
  return rf::RealRunOptions{.window_days = std::nullopt,
                            .origin = rf::test::kTester,
                            .threads = threads,
                            .before_worker_reads = {},
                            .before_commit = {},
                            .chunk_drafts_max = rf::kRealRunChunkDrafts,
                            .each_chunk = {}};
}

// The flags' hash of `flags` beside `lines` (a result's flags_sha256).
std::string RealRunFlagsHash(const rf::MonthResult& like, std::vector<rf::MonthFlag> flags) {
  rf::MonthResult r;
  r.month = like.month;
  r.lines = like.lines;
  r.flags = std::move(flags);
  rf::CanonicalOrder(r);
  auto hashes = rf::HashMonthResult(r);
  REQUIRE(hashes.ok());
  return hashes->flags_sha256;
}

// The root is signed over entries stamped with the time they were recorded:
// two runs differ there and nowhere else.
std::string RealRunMaskRoot(const std::string& output) {
  static const std::regex kRoot(R"((root[ =]|"root": ?")[A-Za-z0-9+/=]+)");
  return std::regex_replace(output, kRoot, "$1<root>");
}

}  // namespace

TEST_CASE("a real run's flags read before its commit are used with matches, not with a return") {
  Books books;
  RealRunLoadMay(books);
  const rf::Month may{2026, 5};
  // The worker's read, at the size the plan reads.
  auto pre = rf::ReadMonthEndFlags(books.ledger(), may);
  REQUIRE(pre.ok());
  REQUIRE(pre->journal_size.has_value());
  rf::MonthTallyLines lines;
  auto plan = rf::PlanMonthMatchKeepingLines(books.ledger(), may, std::nullopt, rf::test::kTester, lines);
  REQUIRE(plan.ok());
  REQUIRE(plan->result.matches.size() == 3);
  REQUIRE(plan->returns.empty());
  const uint64_t drafts = plan->drafts.size();
  auto c = books.Commit(std::move(plan->drafts));
  REQUIRE(c.ok());
  plan->drafts.clear();
  const rf::CommittedPlan committed{.plan = *plan, .lines = lines, .drafts_committed = drafts, .appended = c->appended};
  uint64_t size = 0;
  auto built = rf::MonthResultFromPreCommitFlags(committed, *pre, &size);
  REQUIRE(built.has_value());
  CHECK(size == c->appended.last_seq);
  auto at = rf::MonthResultAt(books.ledger(), may, size, std::nullopt);
  REQUIRE(at.ok());
  CHECK(rf::MonthResultJson(*built).dump() == rf::MonthResultJson(*at).dump());
  // The read held PAY-2's UNSETTLED_PAYMENT flag, which the commit settles.
  const auto unsettled = [](const std::vector<rf::MonthFlag>& flags, const std::string& entity) {
    return std::count_if(flags.begin(), flags.end(), [&](const rf::MonthFlag& f) {
      return f.code == rf::FlagCode::kUnsettledPayment && f.entity == entity;
    });
  };
  CHECK(unsettled(pre->evaluated, "payment:PAY-2") == 1);
  CHECK(unsettled(at->flags, "payment:PAY-2") == 0);
  CHECK(unsettled(at->flags, "payment:PAY-4") == 1);

  // June returns PAY-1: the read before the commit is declined; the
  // adjustment a dry run makes (planned returns' flags) is not the list
  // after the commit (the return's seq is its flag's evidence).
  RealRunLoadJune(books);
  const rf::Month june{2026, 6};
  auto june_pre = rf::ReadMonthEndFlags(books.ledger(), june);
  REQUIRE(june_pre.ok());
  rf::MonthTallyLines june_lines;
  auto june_plan = rf::PlanMonthMatchKeepingLines(books.ledger(), june, std::nullopt, rf::test::kTester, june_lines);
  REQUIRE(june_plan.ok());
  REQUIRE(june_plan->returns.size() == 1);
  std::vector<rf::MonthFlag> planned_returns;
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) -> rf::Status {
                RF_ASSIGN(flags, rf::PlannedReturnFlags(views, *june_plan));
                planned_returns = std::move(flags);
                return rf::Status::Ok();
              })
              .ok());
  const uint64_t june_drafts = june_plan->drafts.size();
  auto june_c = books.Commit(std::move(june_plan->drafts));
  REQUIRE(june_c.ok());
  june_plan->drafts.clear();
  const rf::CommittedPlan june_committed{
      .plan = *june_plan, .lines = june_lines, .drafts_committed = june_drafts, .appended = june_c->appended};
  CHECK(!rf::PreCommitFlagsUsable(june_committed, *june_pre));
  CHECK(!rf::MonthResultFromPreCommitFlags(june_committed, *june_pre, &size).has_value());
  auto june_at = rf::MonthResultAt(books.ledger(), june, june_c->appended.last_seq, std::nullopt);
  REQUIRE(june_at.ok());
  std::vector<rf::MonthFlag> rules = june_pre->rule_flags;
  for (rf::MonthFlag& f : planned_returns) rules.push_back(std::move(f));
  const std::vector<rf::MonthFlag> adjusted =
      rf::AssembleMonthFlags(june_pre->evaluated, std::move(rules), *june_plan, /*plan_committed=*/false);
  CHECK(RealRunFlagsHash(*june_at, adjusted) != RealRunFlagsHash(*june_at, june_at->flags));
}

TEST_CASE("a real run's flags read before an append by another process are not used") {
  Books books;
  RealRunLoadMay(books);
  const rf::Month may{2026, 5};
  auto pre = rf::ReadMonthEndFlags(books.ledger(), may);
  REQUIRE(pre.ok());
  // Another process: a payment of May nobody settles (an UNSETTLED_PAYMENT
  // flag the read before it does not hold).
  books.MustCommit({RealRunPayment("PAY-9", "RUN-9", "90.00", "2026-05-11")});
  rf::MonthTallyLines lines;
  auto plan = rf::PlanMonthMatchKeepingLines(books.ledger(), may, std::nullopt, rf::test::kTester, lines);
  REQUIRE(plan.ok());
  const uint64_t drafts = plan->drafts.size();
  REQUIRE(drafts > 0);
  auto c = books.Commit(std::move(plan->drafts));
  REQUIRE(c.ok());
  plan->drafts.clear();
  const rf::CommittedPlan committed{.plan = *plan, .lines = lines, .drafts_committed = drafts, .appended = c->appended};
  uint64_t size = 0;
  CHECK(!rf::PreCommitFlagsUsable(committed, *pre));
  CHECK(!rf::MonthResultFromPreCommitFlags(committed, *pre, &size).has_value());
  // The lines alone would allow it (the plan read after the append): the
  // journal sizes are what declines it, and rightly.
  auto after = rf::MonthResultAfterCommit(books.ledger(), committed, &size);
  REQUIRE(after.ok());
  REQUIRE(after->has_value());
  const std::vector<rf::MonthFlag> adjusted =
      rf::AssembleMonthFlags(pre->evaluated, pre->rule_flags, *plan, /*plan_committed=*/false);
  CHECK(RealRunFlagsHash(**after, adjusted) != RealRunFlagsHash(**after, (*after)->flags));
}

TEST_CASE("a real run on two threads declines the worker's read when another process appends before the commit") {
  for (const int where : {0, 1}) {
    INFO((where == 0 ? "after the plan" : "before the worker reads, after the plan"));
    Books books;
    RealRunLoadMay(books);
    const rf::Month may{2026, 5};
    rf::RealRunOptions options = RealRunOptionsWith(2);
    const auto append = [&] {
      return books.Commit({rf::ConfigSetDraft("unsettled.business_days", "2", D("2026-04-01"), rf::test::kTester)})
          .ok();
    };
    bool appended = false;
    std::promise<void> planned, worker_appended;
    if (where == 0) {
      options.before_commit = [&] { appended = append(); };
    } else {
      // The worker waits for the plan, appends, then reads; the calling
      // thread commits after that append (no Catch assertion on the worker).
      options.before_worker_reads = [&] {
        planned.get_future().wait();
        appended = append();
        worker_appended.set_value();
      };
      options.before_commit = [&] {
        planned.set_value();
        worker_appended.get_future().wait();
      };
    }
    auto run = rf::PlanAndCommitMonth(books.ledger(), may, options);
    INFO(run.status().message());
    REQUIRE(run.ok());
    CHECK(appended);
    REQUIRE(run->appended.has_value());
    const rf::CommittedPlan committed{
        .plan = run->plan, .lines = run->lines, .drafts_committed = run->drafts_committed, .appended = run->appended};
    if (run->pre_commit) {
      uint64_t size = 0;
      CHECK(!rf::MonthResultFromPreCommitFlags(committed, *run->pre_commit, &size).has_value());
    }
  }
  Books books;
  auto bad = rf::PlanAndCommitMonth(books.ledger(), rf::Month{2026, 5}, RealRunOptionsWith(3));
  CHECK(!bad.ok());
}

TEST_CASE("reconcile --month prints the same bytes on one thread and on two, but for the signed root") {
  Books books;
  RealRunLoadMay(books);
  RealRunLoadJune(books);
  rf::test::TempDir copies;
  int copy = 0;
  for (const char* format : {"text", "json", "csv"}) {
    // May (matches: the worker's read used when its size holds), then June
    // (a return: evaluated after the commit), each run on a fresh copy.
    std::string outputs[2];
    for (unsigned threads : {1u, 2u}) {
      const std::string ledger = copies / ("ledger-" + std::to_string(++copy));
      std::filesystem::copy(books.dir(), ledger, std::filesystem::copy_options::recursive);
      const std::string cli = rf::test::RingfenceOn(ledger) + "--format " + format + " ";
      for (const char* month : {"2026-05", "2026-06"}) {
        auto r = rf::test::Run(cli + "reconcile --month " + month + " --threads " + std::to_string(threads) +
                               " 2>/dev/null");
        INFO(format << " " << month << " threads " << threads << "\n" << r.output);
        REQUIRE(r.exit_code == 0);
        outputs[threads - 1] += RealRunMaskRoot(r.output);
      }
    }
    INFO(format << "\n" << outputs[0]);
    CHECK(outputs[0].size() > 200);
    CHECK(outputs[1] == outputs[0]);
    if (std::string(format) != "csv") CHECK_THAT(outputs[0], Catch::Contains("<root>"));
  }
  // May's result on two threads is built from the worker's read (it says so
  // with --verbose) when the worker finished before the commit did: a few
  // tries, as the threads' timing is the box's.
  bool used = false;
  for (int attempt = 0; attempt < 3 && !used; ++attempt) {
    const std::string ledger = copies / ("ledger-v" + std::to_string(attempt));
    std::filesystem::copy(books.dir(), ledger, std::filesystem::copy_options::recursive);
    auto r = rf::test::Run(rf::test::RingfenceOn(ledger) + "--verbose reconcile --month 2026-05 --threads 2 2>&1");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    used =
        r.output.find("result: built from this run's plan and the flags read before the commit") != std::string::npos;
  }
  CHECK(used);
}

TEST_CASE("a dry run and a real run take 1 or 2 threads, and refuse 0 and 3 writing nothing") {
  CHECK(rf::CheckReconcileThreads(1).ok());
  CHECK(rf::CheckReconcileThreads(rf::kReconcileThreadsMax).ok());
  CHECK(rf::CheckReconcileThreads(0).code() == rf::Status::Code::kInvalidInput);
  CHECK(rf::CheckReconcileThreads(rf::kReconcileThreadsMax + 1).message() == "--threads: 1 or 2, not 3");
  Books books;
  RealRunLoadMay(books);
  const uint64_t size = books.Size();
  const rf::Month may = *rf::ParseMonth("2026-05", "month");
  for (unsigned threads : {0u, rf::kReconcileThreadsMax + 1}) {
    CAPTURE(threads);
    rf::RealRunOptions real_options;
    real_options.threads = threads;
    const auto real = rf::PlanAndCommitMonth(books.ledger(), may, real_options);
    CHECK(real.status().code() == rf::Status::Code::kInvalidInput);
    rf::DryRunReadOptions dry_options;
    dry_options.threads = threads;
    const auto dry = rf::ReadDryRunMonth(books.ledger(), may, dry_options);
    CHECK(dry.status().code() == rf::Status::Code::kInvalidInput);
  }
  CHECK(books.Size() == size);
}
