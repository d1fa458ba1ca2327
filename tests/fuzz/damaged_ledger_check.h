#ifndef RINGFENCE_TESTS_FUZZ_DAMAGED_LEDGER_CHECK_H_
#define RINGFENCE_TESTS_FUZZ_DAMAGED_LEDGER_CHECK_H_

// What `ringfence verify` runs in its checking process (tools/cmd_journal.cc,
// VerifyInThisProcess), over a data.mdb given as bytes: the ledger opened
// read-only, the chain, tree and signatures verified, the views rebuilt and
// compared. Shared by the libFuzzer target (verify_damaged_fuzz.cc) and
// rf_tests (verify_damaged_test.cc), which replays the seeds and fixed
// damage in the g++ build.
//
// The invariant: damage is a finding, never another kind of answer. Every
// outcome is OK (the bytes changed hit nothing verify reads, or nothing that
// matters) or Tampered (verify would exit 1, "FAILED ... damaged"); an
// Io, InvalidInput or NotFound (exit 2, "no ledger here") is a failure,
// as is a crash, an assert or a sanitizer report.

#include <functional>
#include <string>
#include <string_view>

namespace rf::fuzz {

// Called with true once the ledger is open (LMDB has mapped data.mdb) and
// with false before it is closed, so a harness can find the map and tell a
// read of the damaged file from any other fault.
using OpenObserver = std::function<void(bool open)>;

// Writes `data_mdb` as `dir`/data.mdb (`dir` is created, and emptied first)
// and verifies it as `ringfence verify` does. Returns "" when the outcome
// is OK or Tampered, else a sentence naming the outcome.
std::string CheckDamagedLedger(const std::string& dir, std::string_view data_mdb, const OpenObserver& on_open = {});

}  // namespace rf::fuzz

#endif  // RINGFENCE_TESTS_FUZZ_DAMAGED_LEDGER_CHECK_H_
