// Crash safety: a writer killed with SIGKILL at a random moment, mid
// transaction or not, leaves the ledger at its last commit, verifying.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "ledger/storage/journal.h"
#include "ledger/audit/ledger_verify.h"
#include "test_util.h"

using rf::test::NoteDraft;
using rf::test::TempDir;

namespace {

constexpr uint64_t kBatchEntries = 7;

// The child: opens the ledger, says so on `ready_fd`, then appends batches
// of kBatchEntries until killed.
[[noreturn]] void WriteForever(const std::string& dir, bool sync, int ready_fd) {
  auto j = rf::Journal::Open(dir, true, {.sync = sync});
  if (!j.ok()) ::_exit(3);
  if (::write(ready_fd, "r", 1) != 1) ::_exit(5);
  for (uint64_t n = 0;; ) {
    std::vector<rf::EntryDraft> drafts;
    for (uint64_t i = 0; i < kBatchEntries; ++i) drafts.push_back(NoteDraft(++n));
    if (!(*j)->Append(drafts).ok()) ::_exit(4);
  }
}

}  // namespace

TEST_CASE("a writer killed at random moments leaves the previous commit, verified") {
  TempDir tmp;
  const std::string dir = tmp / "ledger.rf";
  { REQUIRE(rf::Journal::Create(dir, "NHS Test ICB", "ringfence.invalid/test", "tester").ok()); }
  std::mt19937_64 rng(117);
  uint64_t last_size = 1;
  constexpr int kTrials = 24;
  for (int trial = 0; trial < kTrials; ++trial) {
    const bool sync = trial % 2 == 0;  // both fsync'd and unsynced commits
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) WriteForever(dir, sync, ready[1]);
    // Kill at a random moment once the child is writing (start-up time
    // varies a lot, e.g. under sanitizers).
    char byte = 0;
    REQUIRE(::read(ready[0], &byte, 1) == 1);
    ::close(ready[0]);
    ::close(ready[1]);
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 30000));
    REQUIRE(::kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));  // it was still writing, not failed
    auto j = rf::Journal::Open(dir, false);
    REQUIRE(j.ok());
    auto report = rf::VerifyLedger(**j);
    INFO("trial " << trial);
    REQUIRE(report.ok());
    // Whole batches only: a transaction is all or nothing.
    CHECK((report->entries - 1) % kBatchEntries == 0);
    CHECK(report->entries >= last_size);
    last_size = report->entries;
  }
  CHECK(last_size > 1);
}
