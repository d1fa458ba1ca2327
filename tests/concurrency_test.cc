// Two writer processes on one ledger: LMDB's single-writer lock makes the
// second wait, so nothing is lost or corrupted; a reader verifies while
// they commit.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include "ledger/storage/journal.h"
#include "ledger/audit/ledger_verify.h"
#include "test_util.h"

using rf::test::NoteDraft;
using rf::test::TempDir;

namespace {

constexpr uint64_t kCommitsPerWriter = 60;
constexpr uint64_t kBatchEntries = 5;

[[noreturn]] void WriteCommits(const std::string& dir) {
  auto j = rf::Journal::Open(dir, true, {.sync = false});
  if (!j.ok()) ::_exit(3);
  for (uint64_t c = 0; c < kCommitsPerWriter; ++c) {
    std::vector<rf::EntryDraft> drafts;
    for (uint64_t i = 0; i < kBatchEntries; ++i) drafts.push_back(NoteDraft(c * kBatchEntries + i));
    if (!(*j)->Append(drafts).ok()) ::_exit(4);
  }
  ::_exit(0);
}

}  // namespace

TEST_CASE("two writers at once both land every commit, and readers verify while they write") {
  TempDir tmp;
  const std::string dir = tmp / "ledger.rf";
  { REQUIRE(rf::Journal::Create(dir, "NHS Test ICB", "ringfence.invalid/test", "tester").ok()); }
  pid_t writers[2];
  for (pid_t& w : writers) {
    w = ::fork();
    REQUIRE(w >= 0);
    if (w == 0) WriteCommits(dir);
  }
  auto reader = rf::Journal::Open(dir, false);
  REQUIRE(reader.ok());
  uint64_t reads = 0;
  uint64_t last_seen = 1;
  for (int exited = 0; exited < 2;) {
    auto report = rf::VerifyLedger(**reader);  // a snapshot, never blocked by the writers
    INFO(report.status().message());
    REQUIRE(report.ok());
    CHECK(report->entries >= last_seen);
    CHECK((report->entries - 1) % kBatchEntries == 0);
    last_seen = report->entries;
    ++reads;
    exited = 0;
    for (pid_t& w : writers) {
      if (w == 0) {
        ++exited;
        continue;
      }
      int status = 0;
      const pid_t done = ::waitpid(w, &status, WNOHANG);
      if (done == w) {
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
        w = 0;
        ++exited;
      }
    }
  }
  auto report = rf::VerifyLedger(**reader);
  REQUIRE(report.ok());
  CHECK(report->entries == 1 + 2 * kCommitsPerWriter * kBatchEntries);
  CHECK(report->checkpoints == 1 + 2 * kCommitsPerWriter);
  CHECK(reads >= 1);
}
