#ifndef RINGFENCE_LEDGER_AUDIT_LEDGER_VERIFY_H_
#define RINGFENCE_LEDGER_AUDIT_LEDGER_VERIFY_H_

// `ringfence verify`: recomputes the hash chain and the Merkle tree from the
// stored lines, compares every stored tree node with the recomputed one, and
// checks every checkpoint's signature and root, in one read snapshot.

#include <cstdint>
#include <functional>

#include "crypto/sha256.h"
#include "ledger/storage/journal.h"
#include "ledger/storage/lmdb_env.h"
#include "crypto/status.h"

namespace rf {

struct LedgerVerifyReport {
  uint64_t entries = 0;
  uint64_t tree_nodes = 0;
  uint64_t checkpoints = 0;
  crypto::Hash root{};
};

// `progress(entries_done, entries_total)` is called now and then (may be
// empty). Errors: Tampered naming the first entry or node that disagrees.
Result<LedgerVerifyReport> VerifyLedger(const Journal& journal,
                                        const std::function<void(uint64_t, uint64_t)>& progress = {});

// The same inside `txn` (read or write; nothing is written), so a caller
// that goes on to write (`views rebuild`) writes over exactly what was verified.
Result<LedgerVerifyReport> VerifyLedgerInTxn(const LmdbTxn& txn, const Journal& journal,
                                             const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace rf

#endif  // RINGFENCE_LEDGER_AUDIT_LEDGER_VERIFY_H_
