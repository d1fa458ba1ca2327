#ifndef RINGFENCE_LEDGER_STORAGE_SCRATCH_ENV_H_
#define RINGFENCE_LEDGER_STORAGE_SCRATCH_ENV_H_

// A throwaway LMDB environment in a fresh folder under the system's
// temporary directory (TMPDIR, else /tmp), removed with the object: where a
// whole-journal replay (verify, views rebuild) spills what it rebuilds, so
// its memory is bounded by a batch, not by the ledger's length (a national
// ledger's views do not fit in memory). Written without fsync: nothing in it
// outlives the process, and a crash leaves only a folder to delete.
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
  ~ScratchEnv();
  ScratchEnv(const ScratchEnv&) = delete;
  ScratchEnv& operator=(const ScratchEnv&) = delete;

  const LmdbEnv& env() const { return *env_; }
  // Only views and invoice_views are set (both the one database).
  const Journal::Dbs& dbs() const { return dbs_; }
  const std::string& dir() const { return dir_; }

 private:
  ScratchEnv(std::string dir, std::unique_ptr<LmdbEnv> env, Journal::Dbs dbs)
      : dir_(std::move(dir)), env_(std::move(env)), dbs_(dbs) {}
  std::string dir_;
  std::unique_ptr<LmdbEnv> env_;
  Journal::Dbs dbs_;
};

}  // namespace rf

#endif  // RINGFENCE_LEDGER_STORAGE_SCRATCH_ENV_H_
