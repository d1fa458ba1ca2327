#ifndef RINGFENCE_LEDGER_STORAGE_LMDB_ENV_H_
#define RINGFENCE_LEDGER_STORAGE_LMDB_ENV_H_

// A thin RAII layer over LMDB. Every LMDB call the ledger makes passes
// through here, so errors become Status values in one place, and failures
// can be injected at the storage boundary in one place.
//
// Test hook (tests/fault_injection_test.cc): with RF_FAULT_LMDB_AT=N in the
// environment, the Nth counted call in this process fails with an I/O error
// ("LMDB put: injected fault (test)"). Counted calls are the ones that can
// change the ledger or prepare to: opening the environment for writing,
// beginning a write transaction, opening a database in one, put, delete and
// committing one. RF_FAULT_LMDB_COUNT=1 prints "RF_FAULT_LMDB calls: K" to
// stderr at exit, so a test knows N ranges over 1..K. An environment
// variable is acceptable in the shipped binary because the hook can only make
// a call fail, never succeed or skip a check: the worst it does is what a
// failing disk does, and every caller already handles that. Both variables
// are read once, before main; with neither set a call costs one predictable
// branch.
//
// LMDB gives us: one writer at a time across processes (a second writer
// waits on the lock), readers that never block and see a consistent
// snapshot, and commits that are atomic: a process killed mid-transaction
// leaves the previous committed state.
//
// Threads: the environment is opened MDB_NOTLS, so a read transaction
// belongs to no thread and a thread may hold one while another thread of the
// process holds its own (a dry run's two threads, reconcile/month_dry_run.h).
// A transaction and its cursors are used by one thread at a time; LmdbEnv's
// own state (the fault hook's counter, the mapped-pages bound below) is
// atomic or locked, so reads on several threads are safe.

#include <lmdb.h>
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "crypto/status.h"

namespace rf {

// The map is address space, not disk: LMDB grows the file as pages are used.
// 64 GiB bounds a ledger at roughly 100 million entries of ~300 bytes with
// their tree nodes (an ICB needs a few million over its life).
inline constexpr size_t kLmdbMapBytes = size_t{64} << 30;
inline constexpr unsigned kLmdbMaxDbs = 16;

// Pages of the map a process may keep mapped before it lets them go (see
// LmdbEnv, "Mapped pages"), and how many reads pass between two looks.
inline constexpr size_t kMappedResidentMaxBytes = size_t{128} << 20;
inline constexpr uint32_t kMappedCheckReads = 512;

// Big-endian 8-byte keys sort numerically, so MDB_APPEND works for sequences.
struct U64Key {
  explicit U64Key(uint64_t v);
  uint64_t value() const;
  MDB_val val();
  unsigned char bytes[8];
};
uint64_t DecodeU64Key(const MDB_val& v);

// Ok when a writer may change the ledger in `dir`: the folder, and its
// data.mdb and lock.mdb where they exist, are writable by this process.
// Otherwise Io: "the ledger directory is not writable ... nothing was
// written". LmdbEnv::Open checks it before opening for writing.
Status CheckLedgerWritable(const std::string& dir);

class LmdbEnv {
 public:
  // Opens (creating the files unless `read_only`) the environment in `dir`.
  // A read-only open of a ledger whose lock file cannot be written (a
  // read-only copy or mount) reads without LMDB's lock (MDB_NOLOCK).
  static Result<std::unique_ptr<LmdbEnv>> Open(const std::string& dir, bool read_only, bool sync);
  ~LmdbEnv();
  LmdbEnv(const LmdbEnv&) = delete;
  LmdbEnv& operator=(const LmdbEnv&) = delete;

  MDB_env* env() const { return env_; }
  bool read_only() const { return read_only_; }
  const std::string& dir() const { return dir_; }

  // Mapped pages. LMDB reads through a read-only shared map of data.mdb,
  // and every page a read touches (the kernel maps its neighbours too)
  // stays in this process's resident set until unmapped: a month's reads
  // spread over a national ledger's 4 GB file would hold most of the
  // file's pages of the families they touch, which grows with the
  // journal, not with the month. So every kMappedCheckReads reads (Get,
  // cursor moves) the process's resident file pages are looked up
  // (/proc/self/statm), and past `mapped_resident_max_bytes` the map's
  // pages are released (madvise MADV_DONTNEED). Nothing is lost: the map is
  // read-only and shared, so its pages stay in the kernel's page cache, and
  // a later read maps them again with what the file holds, which for a live
  // reader's snapshot LMDB never changes. Thread-safe (a relaxed counter;
  // a release while another thread reads only makes it map a page again).
  void NoteRead() const;
  // The look at /proc/self/statm reads one descriptor opened with the
  // environment (-1 when /proc could not be opened: each look then tries to
  // open the file itself); opening the file for every look was ~15,000
  // opens and closes in a national real run (bench/README.md, ninth
  // session). Tests: the descriptor.
  int statm_fd_for_test() const;
  // Tests: a smaller bound (at least one page); may be set while others read.
  void set_mapped_resident_max_bytes(size_t bytes);
  // How many times the map's pages were released (tests, measurements).
  uint64_t mapped_releases() const { return releases_.load(std::memory_order_relaxed); }

 private:
  LmdbEnv(MDB_env* env, std::string dir, bool read_only);
  void ReleaseIfOver() const;
  MDB_env* env_;
  std::string dir_;
  bool read_only_;
  std::atomic<size_t> mapped_resident_max_bytes_{kMappedResidentMaxBytes};
  mutable std::atomic<uint32_t> reads_{0};
  mutable std::atomic<uint64_t> releases_{0};
  mutable std::mutex map_mutex_;
  mutable std::optional<std::pair<uintptr_t, uintptr_t>> map_range_;  // [from, to) of data.mdb's map
  int statm_fd_;                                                      // /proc/self/statm of statm_pid_, or -1
  pid_t statm_pid_;  // the process that opened statm_fd_ (a forked child opens its own)
};

class LmdbTxn {
 public:
  static Result<LmdbTxn> Begin(const LmdbEnv& env, bool read_only);
  LmdbTxn(LmdbTxn&& other) noexcept;
  LmdbTxn& operator=(LmdbTxn&&) = delete;
  ~LmdbTxn();  // aborts unless committed

  // Opens (in a write transaction, creating) a named database.
  Result<MDB_dbi> OpenDb(const char* name, bool create);
  Status Put(MDB_dbi dbi, MDB_val key, MDB_val value, unsigned flags);
  // Removes `key`; NotFound when it is absent. A counted call (like Put).
  Status Del(MDB_dbi dbi, MDB_val key);
  // Returns nullopt when the key is absent; the view lives until the txn ends.
  Result<std::optional<std::string_view>> Get(MDB_dbi dbi, MDB_val key);
  // How many keys the database holds, as this transaction sees it.
  Result<uint64_t> Entries(MDB_dbi dbi) const;
  Status Commit();

  MDB_txn* txn() const { return txn_; }
  bool writes() const { return write_; }
  const LmdbEnv& env() const { return *env_; }

 private:
  LmdbTxn(const LmdbEnv* env, MDB_txn* txn, bool write) : env_(env), txn_(txn), write_(write) {}
  const LmdbEnv* env_;
  MDB_txn* txn_;
  bool write_;
  // An injected put failure poisons the transaction as a real one does in
  // LMDB (MDB_TXN_ERROR): a later Commit fails instead of writing the rest.
  bool failed_ = false;
};

// Forward iteration over one database inside a transaction.
class LmdbCursor {
 public:
  // `text_keys`: the database is keyed by text (the views), not U64Key.
  static Result<LmdbCursor> Open(const LmdbTxn& txn, MDB_dbi dbi, bool text_keys = false);
  LmdbCursor(LmdbCursor&& other) noexcept;
  LmdbCursor& operator=(LmdbCursor&&) = delete;
  ~LmdbCursor();

  // Positions at the first key >= `key` (or the first key); false at the end.
  Result<bool> Seek(std::optional<uint64_t> key);
  // Text-keyed databases: the first key >= `key`.
  Result<bool> SeekText(std::string_view key);
  Result<bool> Next();
  Result<bool> Last();
  uint64_t key() const { return DecodeU64Key(key_); }
  std::string_view key_text() const { return {static_cast<const char*>(key_.mv_data), key_.mv_size}; }
  std::string_view value() const { return {static_cast<const char*>(value_.mv_data), value_.mv_size}; }

 private:
  LmdbCursor(const LmdbEnv* env, MDB_cursor* cursor, bool text_keys, bool reads_only)
      : env_(env), cursor_(cursor), text_keys_(text_keys), reads_only_(reads_only) {}
  Result<bool> Move(MDB_cursor_op op);
  const LmdbEnv* env_;
  MDB_cursor* cursor_;
  bool text_keys_;
  bool reads_only_;  // in a read-only transaction
  MDB_val key_{};
  MDB_val value_{};
};

// "LMDB: <what>: <mdb_strerror>" with plain-English hints for the usual causes.
// LMDB's own findings of a damaged file (MDB_CORRUPTED, MDB_PAGE_NOTFOUND,
// MDB_INVALID, MDB_BAD_DBI, MDB_VERSION_MISMATCH) are Tampered (exit 1);
// the rest Io (exit 2).
Status LmdbError(const std::string& what, int rc);
// Tampered: "LMDB <what>: <mdb_strerror> (the ledger file data.mdb is
// damaged ...)". Also for MDB_BAD_TXN met in a read-only transaction, which
// LMDB reports only after meeting a damaged page in it.
Status DamagedFileError(const std::string& what, int rc);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_STORAGE_LMDB_ENV_H_
