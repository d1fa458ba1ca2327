#ifndef RINGFENCE_LEDGER_STORAGE_SCRATCH_ENV_H_
#define RINGFENCE_LEDGER_STORAGE_SCRATCH_ENV_H_

// A throwaway LMDB environment made in a fresh folder under the system's
// temporary directory (TMPDIR, else /tmp): where a whole-journal replay
// (verify, views rebuild) spills what it rebuilds, so its memory is bounded
// by a batch, not by the ledger's length (a national ledger's views do not
// fit in memory). The folder is removed as soon as the environment is open
// (its files live on while open, as Linux keeps unlinked files), so nothing
// outlives the process, even one that is killed; written without fsync.
//
// One database, "views": text keys, values stored as given (no compressed
// family: Journal::Dbs names it as both views and invoice_views, so a
// ViewsStore over it keeps every family in it, uncompressed).

#include <memory>
#include <string>

#include "crypto/status.h"
#include "ledger/storage/journal.h"
#include "ledger/storage/lmdb_env.h"

namespace rf {

class ScratchEnv {
 public:
  // `purpose` names the folder (ringfence-<purpose>-XXXXXX).
  // Errors: Io when the folder or the environment cannot be made.
  static Result<std::unique_ptr<ScratchEnv>> Create(const std::string& purpose);
  ~ScratchEnv();  // closes the environment; its space is freed
  ScratchEnv(const ScratchEnv&) = delete;
  ScratchEnv& operator=(const ScratchEnv&) = delete;

  const LmdbEnv& env() const { return *env_; }
  // Only views and invoice_views are set (both the one database).
  const Journal::Dbs& dbs() const { return dbs_; }

 private:
  ScratchEnv(std::unique_ptr<LmdbEnv> env, Journal::Dbs dbs) : env_(std::move(env)), dbs_(dbs) {}
  std::unique_ptr<LmdbEnv> env_;
  Journal::Dbs dbs_;
};

}  // namespace rf

#endif  // RINGFENCE_LEDGER_STORAGE_SCRATCH_ENV_H_
