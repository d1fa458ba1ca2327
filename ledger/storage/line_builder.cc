#include "ledger/storage/line_builder.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <system_error>

#include "ledger/storage/stored_form.h"

namespace rf {
namespace {

// The caller publishes final drafts in steps of this many (and at the end),
// so a worker that has caught up is woken once per step, not per entry.
constexpr size_t kFinalStep = 64;

// final_ once the caller gives up (an error, or the chunk is abandoned).
constexpr size_t kCancelled = SIZE_MAX;

// built_ carries this bit once the worker stopped at an error.
constexpr size_t kFailedBit = size_t{1} << (sizeof(size_t) * 8 - 1);

}  // namespace

LineBuilder::LineBuilder(const std::vector<EntryDraft>& drafts, std::vector<EntryDraft>* owned, uint64_t first_seq,
                         std::string_view recorded, const crypto::Hash& prev)
    : drafts_(drafts), owned_(owned), first_seq_(first_seq), recorded_(recorded), prev_(prev), lines_(drafts.size()) {
  assert(first_seq >= 1 && drafts.size() < kFailedBit);
  scratch_.reserve(1024);
  if (drafts.size() < kThreadedDraftsMin) return;
  try {
    worker_ = std::thread([this] { Run(); });
  } catch (const std::system_error&) {
    // No thread to be had: every line is built on the caller's thread.
  }
}

LineBuilder::~LineBuilder() {
  if (!worker_.joinable()) return;
  final_.store(kCancelled, std::memory_order_release);
  final_.notify_one();
  worker_.join();
}

void LineBuilder::Final(size_t count) {
  assert(count >= published_ && count <= drafts_.size());
  if (!worker_.joinable()) return;
  if (count - published_ < kFinalStep && count != drafts_.size()) return;
  published_ = count;
  final_.store(count, std::memory_order_release);
  final_.notify_one();
}

Status LineBuilder::Build(size_t i) {
  // One compressor per thread that builds (the worker, or the caller).
  static thread_local StoredCompressor compressor(StoredDictionary::kLineV1);
  const EntryDraft& draft = drafts_[i];
  // An applied draft passed ValidateDraft before ApplyEntry (apply.h).
  if (!applied_) RF_RETURN_IF_ERROR(ValidateDraft(draft));
  scratch_.clear();
  size_t prev_at = 0;
  RF_RETURN_IF_ERROR(AppendEntryLineWithoutPrev(first_seq_ + i, recorded_, draft, &scratch_, &prev_at,
                                                applied_ ? CanonicalBody::kScannedByApply : CanonicalBody::kScan));
  FillPrev(prev_, scratch_.data() + prev_at);
  const crypto::Hash leaf = crypto::LeafHash(scratch_);
  const size_t bound = StoredCompressor::Bound(scratch_.size());
  if (bound > free_bytes_) {
    const size_t bytes = std::max(kArenaBlockBytes, bound);
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(bytes));
    free_ = blocks_.back().get();
    free_bytes_ = bytes;
  }
  const size_t stored = compressor.Compress(scratch_, free_);
  lines_[i] = Built{std::string_view(free_, stored), leaf};
  free_ += stored;
  free_bytes_ -= stored;
  prev_ = leaf;
  return Status::Ok();
}

void LineBuilder::Run() {
  const size_t n = drafts_.size();
  size_t final = 0;
  for (size_t i = 0; i < n; ++i) {
    while (final <= i) {
      final_.wait(final, std::memory_order_acquire);
      final = final_.load(std::memory_order_acquire);
      if (final == kCancelled) return;
    }
    Status built = Build(i);
    if (!built.ok()) {
      error_ = std::move(built);
      built_.store(i | kFailedBit, std::memory_order_release);
      built_.notify_one();
      return;
    }
    built_.store(i + 1, std::memory_order_release);
    // The caller waits only when it has caught up: notify_one makes a
    // system call only then.
    built_.notify_one();
  }
  // Every draft is final and built: the bodies are not read again. What is
  // not freed here when the caller is done (cancelled) the drafts' owner frees.
  if (owned_ == nullptr) return;
  for (EntryDraft& draft : *owned_) {
    if (final_.load(std::memory_order_relaxed) == kCancelled) return;
    std::string().swap(draft.body_json);
  }
}

Result<LineBuilder::Built> LineBuilder::Line(size_t i) {
  assert(i < drafts_.size());
  if (!worker_.joinable()) {
    RF_RETURN_IF_ERROR(Build(i));
    return lines_[i];
  }
  assert(published_ == drafts_.size());
  size_t progress = built_.load(std::memory_order_acquire);
  while ((progress & kFailedBit) == 0 && progress <= i) {
    built_.wait(progress, std::memory_order_acquire);
    progress = built_.load(std::memory_order_acquire);
  }
  if ((progress & kFailedBit) != 0 && (progress & ~kFailedBit) <= i) {
    assert((progress & ~kFailedBit) == i);  // lines are asked in order
    return error_;
  }
  return lines_[i];
}

}  // namespace rf
