#ifndef RINGFENCE_LEDGER_STORAGE_LINE_BUILDER_H_
#define RINGFENCE_LEDGER_STORAGE_LINE_BUILDER_H_

// Builds the lines of a chunk of drafts on a second thread while the caller
// applies the same drafts to the views: on a large commit the canonical
// JSON, the chain of hashes, the compression (stored_form.h) and the freeing
// of the drafts' bodies leave the thread that holds the LMDB write
// transaction, which only puts what is built and appends the leaf hashes to
// the tree.
//
// The chain: each line's prev is the leaf hash of the line before, the
// first line's is the `prev` given (the journal's last leaf).
//
// Order: draft i is read only after the caller has said it is final
// (Final(count > i)): applying may complete a body (postings a kind implies).
// Once every draft is final and built, the worker frees the bodies: nothing
// reads them again (the journal writes lines, the views are already applied).
//
// Small chunks (a command's few entries) build on the caller's thread when
// asked, without a thread.

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "crypto/sha256.h"
#include "ledger/core/entry.h"

namespace rf {

class LineBuilder {
 public:
  // Chunks of at least this many drafts are built on a thread.
  static constexpr size_t kThreadedDraftsMin = 256;

  // REQUIRES: `drafts` is not resized and outlives this object; only this
  // object touches draft i after Final(count > i), until it is destroyed.
  // This form frees the bodies once built (see above).
  LineBuilder(std::vector<EntryDraft>& drafts, uint64_t first_seq, std::string_view recorded, const crypto::Hash& prev)
      : LineBuilder(drafts, &drafts, first_seq, recorded, prev) {}
  // This one leaves the drafts as they are.
  LineBuilder(const std::vector<EntryDraft>& drafts, uint64_t first_seq, std::string_view recorded,
              const crypto::Hash& prev)
      : LineBuilder(drafts, nullptr, first_seq, recorded, prev) {}
  // Stops the worker (if still running) and joins it.
  ~LineBuilder();
  LineBuilder(const LineBuilder&) = delete;
  LineBuilder& operator=(const LineBuilder&) = delete;

  // Every draft will have passed ValidateDraft and then ApplyEntry before
  // Final covers it, so neither its envelope nor a canonical body is
  // checked again (apply.h). REQUIRES: called before the first Final.
  void MarkApplied() {
    assert(published_ == 0);
    applied_ = true;
  }

  // Drafts [0, count) are final. Counts only grow; the last call gives
  // drafts.size().
  void Final(size_t count);

  // The line of draft i, as stored, and its leaf hash. Waits for the worker. REQUIRES: Final(drafts.size()) was called;
  // i < drafts.size(); lines are asked in order.
  // Errors: the draft's (ValidateDraft, AppendEntryLineWithoutPrev).
  // The stored bytes stay put until this object is destroyed.
  struct Built {
    std::string_view stored;  // what the entries database holds (stored_form.h)
    crypto::Hash leaf;        // LeafHash of the canonical line: the next line's prev
  };
  Result<Built> Line(size_t i);

 private:
  LineBuilder(const std::vector<EntryDraft>& drafts, std::vector<EntryDraft>* owned, uint64_t first_seq,
              std::string_view recorded, const crypto::Hash& prev);
  void Run();
  // Builds line i into the arena. Runs on one thread at a time (the worker,
  // or the caller when there is none).
  Status Build(size_t i);

  const std::vector<EntryDraft>& drafts_;
  std::vector<EntryDraft>* const owned_;  // drafts_, when its bodies are freed
  const uint64_t first_seq_;
  const std::string recorded_;
  // Lines are copied into blocks of at least kArenaBlockBytes, so a chunk
  // costs a few allocations, not one per line, and no line moves.
  static constexpr size_t kArenaBlockBytes = size_t{1} << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* free_ = nullptr;  // the free end of blocks_.back()
  size_t free_bytes_ = 0;
  crypto::Hash prev_;    // of the next line to build
  std::string scratch_;  // the canonical line being built
  std::vector<Built> lines_;
  size_t published_ = 0;  // the caller's last Final count given to the worker
  bool applied_ = false;  // written before the first Final publishes, read after
  // Drafts [0, final_) are final (or kCancelled). Lines [0, built_) are
  // built; a failure at line i stores error_, then i with the top bit set.
  std::atomic<size_t> final_{0};
  std::atomic<size_t> built_{0};
  Status error_;
  std::thread worker_;
};

}  // namespace rf

#endif  // RINGFENCE_LEDGER_STORAGE_LINE_BUILDER_H_
