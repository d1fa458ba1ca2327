#include "ledger/audit/ledger_verify.h"

#include <cassert>
#include <cstring>
#include <thread>
#include <vector>

#include "ledger/verify/journal_verifier.h"
#include "ledger/storage/lmdb_env.h"
#include "ledger/storage/stored_form.h"

namespace rf {
namespace {

// Walks the tree database in key order alongside the recomputation: nodes
// complete in post-order, which is the key order, so each recomputed node
// must be exactly the next stored record.
class StoredTreeChecker : public NodeObserver {
 public:
  explicit StoredTreeChecker(LmdbCursor* cursor) : cursor_(cursor) {}

  Status Start() {
    auto more = cursor_->Seek(std::nullopt);
    if (!more.ok()) return more.status();
    more_ = *more;
    return Status::Ok();
  }

  Status Observe(uint32_t level, uint64_t index, const crypto::Hash& hash) override {
    const uint64_t want_key = TreeNodeKey(level, index);
    if (!more_ || cursor_->key() != want_key) {
      return Status::Tampered(Describe(level, index) + ": missing from the stored tree");
    }
    const std::string_view stored = cursor_->value();
    if (stored.size() != hash.size() || std::memcmp(stored.data(), hash.data(), hash.size()) != 0) {
      if (level == 0) {
        return Status::Tampered("entry " + std::to_string(index + 1) +
                                ": altered in the ledger (its content no longer matches the hash stored when it "
                                "was committed)");
      }
      return Status::Tampered(Describe(level, index) + ": the stored hash does not match the entries it covers");
    }
    ++nodes_;
    auto more = cursor_->Next();
    if (!more.ok()) return more.status();
    more_ = *more;
    return Status::Ok();
  }

  bool has_more() const { return more_; }
  uint64_t nodes() const { return nodes_; }

  static std::string Describe(uint32_t level, uint64_t index) {
    if (level == 0) return "entry " + std::to_string(index + 1) + "'s leaf hash";
    const uint64_t first = (index << level) + 1;
    const uint64_t last = (index + 1) << level;
    return "tree node over entries " + std::to_string(first) + ".." + std::to_string(last);
  }

 private:
  LmdbCursor* cursor_;
  bool more_ = false;
  uint64_t nodes_ = 0;
};

// Entries per batch: 8,192 views and digests (~1 MiB), bounded whatever
// the journal's length.
constexpr size_t kVerifyBatchEntries = 8192;

}  // namespace

Result<LedgerVerifyReport> VerifyLedger(const Journal& journal,
                                        const std::function<void(uint64_t, uint64_t)>& progress) {
  auto txn = LmdbTxn::Begin(journal.env(), /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  return VerifyLedgerInTxn(*txn, journal, progress);
}

Result<LedgerVerifyReport> VerifyLedgerInTxn(const LmdbTxn& txn, const Journal& journal,
                                             const std::function<void(uint64_t, uint64_t)>& progress) {
  auto entries = LmdbCursor::Open(txn, journal.dbs().entries);
  if (!entries.ok()) return entries.status();
  auto tree = LmdbCursor::Open(txn, journal.dbs().tree);
  if (!tree.ok()) return tree.status();
  auto checkpoints = LmdbCursor::Open(txn, journal.dbs().checkpoints);
  if (!checkpoints.ok()) return checkpoints.status();

  uint64_t total = 0;
  {
    auto last = entries->Last();
    if (!last.ok()) return last.status();
    if (*last) total = entries->key();
  }
  StoredTreeChecker tree_checker(&*tree);
  RF_RETURN_IF_ERROR(tree_checker.Start());
  JournalVerifier verifier(journal.verifier_key(), journal.origin());

  auto next_checkpoint = checkpoints->Seek(std::nullopt);
  if (!next_checkpoint.ok()) return next_checkpoint.status();
  // Lines are read in batches; the pure per-line work (decompressing the
  // stored form, leaf hash, canonical scan) of the second half of each batch
  // runs on a worker thread while this thread does the first half, then the
  // chain, tree and checkpoints are checked in order. A plain stored line is
  // viewed in LMDB's map, valid for the whole read transaction; a compressed
  // one is decompressed into `decoded`, reused batch to batch.
  std::vector<std::string_view> stored, lines;
  std::vector<std::string> decoded(kVerifyBatchEntries);
  std::vector<Status> undecodable;
  std::vector<uint64_t> keys;
  std::vector<LineDigest> digests;
  stored.reserve(kVerifyBatchEntries);
  keys.reserve(kVerifyBatchEntries);
  std::vector<ScannedMember> scratch_main, scratch_worker;
  StoredDecoder decoder_main, decoder_worker;
  const auto digest = [&](size_t from, size_t to, StoredDecoder& decoder, std::vector<ScannedMember>* scratch) {
    for (size_t i = from; i < to; ++i) {
      auto line = decoder.Decode(stored[i], &decoded[i]);
      if (!line.ok()) {
        undecodable[i] = line.status();
        continue;
      }
      lines[i] = *line;
      digests[i] = DigestLine(lines[i], scratch);
    }
  };
  auto more = entries->Seek(std::nullopt);
  while (true) {
    stored.clear();
    keys.clear();
    while (stored.size() < kVerifyBatchEntries) {
      if (!more.ok()) return more.status();
      if (!*more) break;
      stored.push_back(entries->value());
      keys.push_back(entries->key());
      more = entries->Next();
    }
    if (stored.empty()) break;
    lines.assign(stored.size(), std::string_view());
    undecodable.assign(stored.size(), Status::Ok());
    digests.assign(stored.size(), LineDigest{});
    const size_t half = stored.size() / 2;
    std::thread worker([&] { digest(half, stored.size(), decoder_worker, &scratch_worker); });
    digest(0, half, decoder_main, &scratch_main);
    worker.join();
    for (size_t i = 0; i < stored.size(); ++i) {
      const uint64_t expected = verifier.size() + 1;
      if (keys[i] != expected) {
        return Status::Tampered("entry " + std::to_string(expected) + ": missing from the ledger (the next stored is " +
                                std::to_string(keys[i]) + ")");
      }
      if (!undecodable[i].ok()) return undecodable[i].WithContext("entry " + std::to_string(expected) + ": ");
      RF_RETURN_IF_ERROR(verifier.AddDigestedLine(lines[i], digests[i], &tree_checker));
      while (*next_checkpoint && checkpoints->key() <= verifier.size()) {
        if (checkpoints->key() < verifier.size()) {
          return Status::Tampered("checkpoint at size " + std::to_string(checkpoints->key()) + ": out of order");
        }
        RF_RETURN_IF_ERROR(verifier.CheckCheckpoint(checkpoints->value()));
        next_checkpoint = checkpoints->Next();
        if (!next_checkpoint.ok()) return next_checkpoint.status();
      }
    }
    if (progress) progress(verifier.size(), total);
  }
  if (*next_checkpoint) {
    return Status::Tampered("checkpoint at size " + std::to_string(checkpoints->key()) + ": the journal holds only " +
                            std::to_string(verifier.size()) + " entries (entries were dropped)");
  }
  if (tree_checker.has_more()) {
    return Status::Tampered("the stored tree holds nodes beyond entry " + std::to_string(verifier.size()));
  }
  if (verifier.size() == 0) return Status::Tampered("the ledger holds no entries (not even ledger.init)");
  // Everything above read one snapshot; the latest checkpoint in it must
  // cover the last entry.
  if (verifier.last_checkpoint_size() != verifier.size()) {
    return Status::Tampered("entry " + std::to_string(verifier.last_checkpoint_size() + 1) +
                            ": not covered by any signed checkpoint");
  }
  if (progress) progress(verifier.size(), total);
  LedgerVerifyReport report;
  report.entries = verifier.size();
  report.tree_nodes = tree_checker.nodes();
  report.checkpoints = verifier.checkpoints_checked();
  report.root = verifier.root();
  assert(report.checkpoints >= 1);
  return report;
}

}  // namespace rf
