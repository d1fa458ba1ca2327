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

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace rf::fuzz {

// Called with the ledger's LMDB map (address, bytes) once it is open, so a
// harness can tell a read of the damaged map from any other fault.
using MapObserver = std::function<void(const void* map_address, size_t map_bytes)>;

// Writes `data_mdb` as `dir`/data.mdb (`dir` is created, and emptied first)
// and verifies it as `ringfence verify` does. Returns "" when the outcome
// is OK or Tampered, else a sentence naming the outcome.
std::string CheckDamagedLedger(const std::string& dir, std::string_view data_mdb,
                               const MapObserver& on_map = {});

}  // namespace rf::fuzz

#endif  // RINGFENCE_TESTS_FUZZ_DAMAGED_LEDGER_CHECK_H_
