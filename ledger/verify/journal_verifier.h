#ifndef RINGFENCE_LEDGER_VERIFY_JOURNAL_VERIFIER_H_
#define RINGFENCE_LEDGER_VERIFY_JOURNAL_VERIFIER_H_

// Streaming verification of a journal: fed canonical lines in order and
// signed checkpoint notes as their sizes are reached, it recomputes the hash
// chain and the RFC 9162 tree and checks every signature. Memory is O(log n)
// (the Merkle compact range), so a journal of any length verifies in bounded
// memory. Both `ringfence verify` (LMDB) and `ringfence-verify` (an audit
// pack, no LMDB) drive this one class, so they agree by construction.
//
// Failures are Tampered statuses that name the first entry that disagrees.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/merkle.h"
#include "crypto/note.h"
#include "crypto/sha256.h"
#include "ledger/core/entry.h"
#include "crypto/status.h"

namespace rf {

// Called for every tree node the verifier recomputes (leaf first, then the
// perfect nodes it completes), so a store of nodes can be checked against it.
class NodeObserver {
 public:
  virtual ~NodeObserver() = default;
  virtual Status Observe(uint32_t level, uint64_t index, const crypto::Hash& hash) = 0;
};

// The per-line work that needs no earlier line: the leaf hash and the
// canonical-form scan. Pure, so callers may compute digests of a batch on
// several threads and feed them in order to AddDigestedLine.
struct LineDigest {
  crypto::Hash leaf{};
  Status scan;         // non-ok if the line is not a canonical entry
  EntryHeader header;  // valid when scan is ok
};
LineDigest DigestLine(std::string_view line, std::vector<ScannedMember>* scratch);

class JournalVerifier {
 public:
  // `key` verifies every checkpoint; `origin` is the checkpoint origin line.
  JournalVerifier(crypto::ParsedVerifierKey key, std::string origin);

  // Checks the next line (entry size()+1): canonical form, seq, the chain,
  // and for entry 1 that it is the ledger.init entry naming this origin and
  // key. `observer` may be null.
  Status AddLine(std::string_view line, NodeObserver* observer);
  // The same with the digest computed already.
  // REQUIRES: digest == DigestLine(line, ...).
  Status AddDigestedLine(std::string_view line, const LineDigest& digest, NodeObserver* observer);

  // Checks a signed checkpoint note against the entries added so far.
  // REQUIRES: the note is expected at the current size (callers check sizes
  // they read from names or keys first; a mismatch is reported here too).
  Status CheckCheckpoint(std::string_view note);

  uint64_t size() const { return appender_.size(); }
  crypto::Hash root() const { return appender_.Root(); }
  uint64_t checkpoints_checked() const { return checkpoints_checked_; }
  uint64_t last_checkpoint_size() const { return last_checkpoint_size_; }
  // The organisation named by entry 1 (empty until it is added).
  const std::string& org() const { return org_; }

 private:
  crypto::ParsedVerifierKey key_;
  std::string origin_;
  std::string org_;
  std::string verifier_key_text_;
  crypto::MerkleAppender appender_;
  crypto::Hash last_leaf_ = kGenesisPrev;
  uint64_t last_checkpoint_size_ = 0;
  uint64_t checkpoints_checked_ = 0;
  std::vector<ScannedMember> scratch_;
};

}  // namespace rf

#endif  // RINGFENCE_LEDGER_VERIFY_JOURNAL_VERIFIER_H_
