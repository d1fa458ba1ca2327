#ifndef RINGFENCE_LEDGER_STORAGE_JOURNAL_H_
#define RINGFENCE_LEDGER_STORAGE_JOURNAL_H_

// The journal: the single source of truth, in LMDB.
//
// A ledger directory (mode 0700) holds data.mdb/lock.mdb and signing-key.pem
// (mode 0600). LMDB databases:
//   meta         "org", "origin", "verifier_key", "format" -> text
//   entries      seq (u64 BE)             -> canonical line (no newline)
//   tree         post-order node index    -> 32-byte RFC 9162 hash
//   checkpoints  tree size (u64 BE)       -> signed C2SP checkpoint note
//   views        text key                 -> derived value (views.h); the
//                journal only gives them a place in its transactions
//
// The tree stores every perfect subtree hash, keyed by its post-order
// position. Post-order is exactly the order nodes complete as leaves are
// appended, so every write is an MDB_APPEND, and any node (level, index) is
// one B-tree lookup. A proof at any size reads O(log n) nodes.
//
// Each Append is one LMDB write transaction: the entries, their tree nodes
// and the signed checkpoint for the new size commit together or not at all.
//
// Disk, back of the envelope: ~300 B per line + ~2 nodes x 32 B + B-tree
// overhead -> ~0.5 KB per entry; 5 million entries ~ 2.5 GB.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/note.h"
#include "crypto/sha256.h"
#include "ledger/core/entry.h"
#include "ledger/storage/line_builder.h"
#include "ledger/storage/lmdb_env.h"
#include "crypto/status.h"

namespace rf {

// At most this many entries per Append (one transaction); bounds the memory
// of a transaction's dirty pages. A file larger than this is split by the
// caller only where the contract allows partial loads (it never does for
// ingest, so this is also the largest file a single ingest may hold).
inline constexpr size_t kAppendEntriesMax = 10'000'000;

inline constexpr char kKeyFileName[] = "signing-key.pem";

struct JournalOptions {
  // false only in tests: commits stay atomic against a killed process, but
  // not against a power cut.
  bool sync = true;
};

struct AppendResult {
  uint64_t first_seq = 0;
  uint64_t last_seq = 0;
  crypto::Hash root{};
};

// Lets a layer above (the views) take part in an Append's transaction.
class AppendHook {
 public:
  virtual ~AppendHook() = default;
  // Before any entry is written: check and complete the drafts, which will
  // be entries first_seq, first_seq + 1, ... A non-ok status aborts.
  // Calls lines.Final(i + 1) once draft i is complete (its line may then be
  // built on another thread) and Final(drafts.size()) before returning ok.
  virtual Status Prepare(LmdbTxn& txn, uint64_t first_seq, std::vector<EntryDraft>& drafts, LineBuilder& lines) = 0;
  // After the entries and checkpoint are written, before the commit.
  virtual Status Finish(LmdbTxn& txn) = 0;
};

// Post-order position of perfect node (level, index); leaves are level 0.
uint64_t TreeNodeKey(uint32_t level, uint64_t index);

// "ringfence.invalid/<slug of org>".
std::string DefaultOrigin(const std::string& org);

class Journal {
 public:
  // Creates the ledger directory (mode 0700, must not exist or be empty), the
  // signing key (0600) and the first entry, ledger.init, with its checkpoint.
  // `hook` (may be null) takes part in the first entry's transaction.
  static Result<std::unique_ptr<Journal>> Create(const std::string& dir, const std::string& org,
                                                 const std::string& origin, const std::string& actor,
                                                 JournalOptions options = {}, AppendHook* hook = nullptr);

  // Opens an existing ledger. `writable` also loads the signing key.
  static Result<std::unique_ptr<Journal>> Open(const std::string& dir, bool writable, JournalOptions options = {});

  // Appends the drafts as entries seq = size()+1 ... in one transaction and
  // signs a checkpoint for the new size.
  // REQUIRES: opened writable; 1 <= drafts.size() <= kAppendEntriesMax.
  // Errors: InvalidInput naming the draft (1-based index) and field; Io.
  // On error nothing is written.
  Result<AppendResult> Append(const std::vector<EntryDraft>& drafts);
  // The same with a hook in the transaction; `commit` false rolls everything
  // back after the hook's Finish (a dry run that checked every rule).
  Result<AppendResult> Append(std::vector<EntryDraft> drafts, AppendHook* hook, bool commit);

  // The same for input too large to hold at once: `next` fills the chunk it
  // is given (cleared before each call) and returns false after the last
  // one (`txn` lets it read what the transaction holds so far). Every chunk
  // passes the hook's Prepare and Finish; the checkpoint is signed and the
  // transaction committed once, at the end, so the whole stream commits or
  // none of it does. When no chunk held an entry nothing is written and the
  // result has last_seq = first_seq - 1. Memory: one chunk, plus LMDB's dirty
  // pages (which it spills to the file beyond its own bound).
  using DraftSource = std::function<Result<bool>(LmdbTxn& txn, std::vector<EntryDraft>* chunk)>;
  Result<AppendResult> AppendStream(const DraftSource& next, AppendHook* hook, bool commit);

  // Readers: each runs in its own read transaction (a consistent snapshot,
  // never blocked by a writer).
  Result<uint64_t> Size() const;
  Result<std::string> Line(uint64_t seq) const;
  Result<std::string> CheckpointNote(uint64_t tree_size) const;  // NotFound if none at that size

  // Calls `fn(seq, line)` for every entry from `from_seq`, in order, in one
  // snapshot. Stops at the first non-ok status and returns it.
  Status ForEachLine(uint64_t from_seq, const std::function<Status(uint64_t, std::string_view)>& fn) const;
  Status ForEachCheckpoint(const std::function<Status(uint64_t, std::string_view)>& fn) const;

  // RFC 9162 proofs against stored nodes.
  // Errors: InvalidInput (bad index/size), NotFound (no checkpoint at size).
  struct Inclusion {
    uint64_t leaf_index = 0;
    uint64_t tree_size = 0;
    crypto::Hash leaf_hash{};
    std::vector<crypto::Hash> path;
    std::string checkpoint;  // the signed note for tree_size
  };
  Result<Inclusion> ProveInclusion(uint64_t seq, std::optional<uint64_t> tree_size) const;
  struct Consistency {
    uint64_t first = 0;
    uint64_t second = 0;
    std::vector<crypto::Hash> path;
    std::string first_checkpoint;
    std::string second_checkpoint;
  };
  Result<Consistency> ProveConsistency(uint64_t first, uint64_t second) const;

  const std::string& dir() const { return dir_; }
  const std::string& org() const { return org_; }
  const std::string& origin() const { return origin_; }
  const crypto::ParsedVerifierKey& verifier_key() const { return verifier_key_; }
  const LmdbEnv& env() const { return *env_; }

  // invoice_views == views in a ledger created before the invoice/ family
  // had its own database (views_store.h).
  struct Dbs {
    MDB_dbi meta = 0, entries = 0, tree = 0, checkpoints = 0, views = 0, invoice_views = 0;
  };
  const Dbs& dbs() const { return dbs_; }

 private:
  Journal() = default;
  static Result<std::unique_ptr<Journal>> CreateInEmptyDirectory(const std::string& dir, const std::string& org,
                                                                 const std::string& origin, const std::string& actor,
                                                                 JournalOptions options, AppendHook* hook);
  Status LoadMeta();

  std::string dir_;
  std::unique_ptr<LmdbEnv> env_;
  Dbs dbs_;
  std::string org_;
  std::string origin_;
  crypto::ParsedVerifierKey verifier_key_;
  std::optional<crypto::SigningKey> signing_key_;
};

// Opens the journal's databases inside `txn` (creating them when `create`).
Result<Journal::Dbs> OpenJournalDbs(LmdbTxn& txn, bool create);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_STORAGE_JOURNAL_H_
