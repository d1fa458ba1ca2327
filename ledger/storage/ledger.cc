#include "ledger/storage/ledger.h"

#include <algorithm>
#include <cassert>
#include <deque>
#include <memory>
#include <system_error>
#include <thread>
#include <vector>

#include "ledger/bank/iban.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/storage/line_builder.h"
#include "ledger/storage/scratch_env.h"
#include "ledger/storage/stored_form.h"
#include "ledger/storage/views_store.h"

namespace rf {
namespace {

// Views read through an LMDB transaction (read or write).
class TxnBacking : public ViewBacking, public ViewSource {
 public:
  TxnBacking(LmdbTxn* txn, const Journal::Dbs& dbs) : store_(txn, dbs) {}
  Result<std::optional<std::string>> Get(std::string_view key) const override { return store_.Get(key); }
  Status ForEach(std::string_view prefix,
                 const std::function<Status(std::string_view, std::string_view)>& fn) const override {
    return store_.ForEach(prefix, fn);
  }
  Status ForEachFrom(std::string_view prefix, std::string_view from,
                     const std::function<Result<bool>(std::string_view, std::string_view)>& fn) const override {
    return store_.ForEachFrom(prefix, from, fn);
  }
  Status Read(std::string_view key, const std::function<Status(std::optional<std::string_view>)>& fn) const override {
    return store_.Read(key, fn);
  }
  Status ReadSorted(const std::vector<std::string>& keys,
                    const std::function<Status(size_t, std::optional<std::string_view>)>& fn) const override {
    return store_.ReadSorted(keys, fn);
  }
  ViewsStore& store() { return store_; }

 private:
  ViewsStore store_;
};

Result<EntryDraft> ReadDraft(LmdbTxn& txn, MDB_dbi entries, uint64_t seq) {
  U64Key key(seq);
  auto line = txn.Get(entries, key.val());
  if (!line.ok()) return line.status();
  if (!line->has_value()) return Status::NotFound("entry " + std::to_string(seq) + " does not exist");
  static thread_local StoredDecoder decoder;  // see Journal::Line
  auto decoded = decoder.Decode(**line);
  if (!decoded.ok()) return decoded.status().WithContext("entry " + std::to_string(seq) + ": ");
  auto entry = ParseEntryLine(*decoded);
  if (!entry.ok()) return Status::Tampered("entry " + std::to_string(seq) + ": " + entry.status().message());
  return std::move(entry->draft);
}

// Earlier entries: stored ones from the transaction, this batch's from memory.
class TxnPrior : public PriorEntries {
 public:
  TxnPrior(LmdbTxn* txn, MDB_dbi entries, uint64_t first_seq, const std::vector<EntryDraft>* batch)
      : txn_(txn), entries_(entries), first_seq_(first_seq), batch_(batch) {}
  Result<EntryDraft> At(uint64_t seq) const override {
    if (batch_ != nullptr && seq >= first_seq_) {
      assert(seq - first_seq_ < batch_->size());
      return (*batch_)[seq - first_seq_];
    }
    return ReadDraft(*txn_, entries_, seq);
  }

 private:
  LmdbTxn* txn_;
  MDB_dbi entries_;
  uint64_t first_seq_;
  const std::vector<EntryDraft>* batch_;
};

// Applies each draft before the journal writes it; writes the views after.
// Starts from `cached` (the views cache of this process's last commit) when
// no entry has been appended since, i.e. the first chunk's first_seq is
// `cached_next_seq`; otherwise from an empty cache.
class ViewsHook : public AppendHook {
 public:
  ViewsHook(const Journal::Dbs& dbs, std::unique_ptr<Views> cached = nullptr, uint64_t cached_next_seq = 0)
      : dbs_(dbs), views_(std::move(cached)), cached_next_seq_(cached_next_seq) {}
  Status Prepare(LmdbTxn& txn, uint64_t first_seq, std::vector<EntryDraft>& drafts, LineBuilder& lines) override {
    backing_.emplace(&txn, dbs_);
    if (!started_ && (views_ == nullptr || first_seq != cached_next_seq_)) views_ = std::make_unique<Views>(nullptr);
    started_ = true;
    views_->set_backing(&*backing_);
    const TxnPrior prior(&txn, dbs_.entries, first_seq, &drafts);
    lines.MarkApplied();  // each draft is final only once applied, below
    for (size_t i = 0; i < drafts.size(); ++i) {
      Status valid = ValidateDraft(drafts[i]);
      if (valid.ok()) valid = ApplyEntry(first_seq + i, &drafts[i], *views_, prior, ApplyMode::kEnforce);
      if (!valid.ok()) {
        const std::string where = drafts[i].source.empty() ? "entry " + std::to_string(i + 1) : drafts[i].source;
        return valid.WithContext(where + ": ");
      }
      lines.Final(i + 1);
    }
    RF_RETURN_IF_ERROR(views_->CollectDirty(&dirty_, &serialised_));
    StartCompressing();
    return Status::Ok();
  }
  Status Finish(LmdbTxn& txn) override {
    assert(views_ != nullptr && backing_.has_value());
    (void)txn;  // the backing's store writes through the same transaction
    if (compressing_.joinable()) compressing_.join();
    written_ += dirty_.size();
    ViewsStore& store = backing_->store();
    size_t next = 0;  // into records_
    for (size_t i = 0; i < dirty_.size(); ++i) {
      const auto& [key, value] = dirty_[i];
      if (next < records_.size() && records_[next].index == i) {
        const CompressedRecord& r = records_[next++];
        RF_RETURN_IF_ERROR(store.PutStored(key, std::string_view(arena_.get() + r.offset, r.size)));
      } else {
        RF_RETURN_IF_ERROR(store.Put(key, value));
      }
    }
    assert(next == records_.size());
    // Index entries removed (records.h, "Month indexes"); one a ledger made
    // before the index never held is no error.
    RF_RETURN_IF_ERROR(views_->ForEachDeleted([&](std::string_view key) -> Status {
      ++written_;
      Status deleted = store.Delete(key);
      return deleted.code() == Status::Code::kNotFound ? Status::Ok() : deleted;
    }));
    dirty_.clear();
    serialised_.clear();
    // Later chunks (and, once committed, later commits) read these values
    // from the cache rather than from LMDB.
    // A batch whose kept slots alone pass the bound (a month's settlements:
    // two index keys each) is cleared at once, as it would be after
    // MarkWritten: one walk of its slots, not two.
    if (views_->slot_count_kept_min() > kViewsCacheSlotsMax) {
      views_->Clear();
      return Status::Ok();
    }
    views_->MarkWritten();
    if (views_->slot_count() > kViewsCacheSlotsMax) views_->Clear();
    return Status::Ok();
  }
  size_t written() const { return written_; }
  // The cache, for the next commit. REQUIRES: the transaction committed.
  std::unique_ptr<Views> TakeCache() {
    if (views_ != nullptr) views_->set_backing(nullptr);
    return std::move(views_);
  }

 private:
  // The chunk's invoice records are compressed on a helper thread while the
  // journal puts the chunk's lines (between Prepare and Finish nothing
  // changes the views, whose text dirty_ views): a load writes one per
  // row. With zstd that was an eighth of the committing thread; in the flat
  // form (stored_record.h) ~2 ms a 10,000-row chunk, still off this thread.
  void StartCompressing() {
    records_.clear();
    size_t bound = 0;
    for (size_t i = 0; i < dirty_.size(); ++i) {
      if (!backing_->store().Compresses(dirty_[i].first)) continue;
      records_.push_back({i, 0, 0});
      bound += StoredCompressor::Bound(dirty_[i].second.size());
    }
    if (records_.empty()) return;
    if (bound > arena_bytes_) {
      arena_ = std::make_unique_for_overwrite<char[]>(bound);
      arena_bytes_ = bound;
    }
    if (compressor_ == nullptr) compressor_ = std::make_unique<StoredCompressor>(StoredDictionary::kInvoiceRecordV1);
    const auto compress = [this] {
      size_t at = 0;
      for (CompressedRecord& r : records_) {
        r.offset = at;
        r.size = compressor_->Compress(dirty_[r.index].second, arena_.get() + at);
        at += r.size;
      }
    };
    if (records_.size() < LineBuilder::kThreadedDraftsMin) return compress();
    try {
      compressing_ = std::jthread(compress);
    } catch (const std::system_error&) {
      compress();  // no thread to be had: here, now
    }
  }

  struct CompressedRecord {
    size_t index;         // into dirty_
    size_t offset, size;  // in arena_
  };

  Journal::Dbs dbs_;
  std::optional<TxnBacking> backing_;
  std::unique_ptr<Views> views_;
  uint64_t cached_next_seq_;
  bool started_ = false;
  size_t written_ = 0;
  std::vector<Views::DirtyValue> dirty_;  // the chunk's changed views, from Prepare to Finish
  std::deque<std::string> serialised_;    // values dirty_ views that the cache does not hold as text
  std::vector<CompressedRecord> records_;
  std::unique_ptr<char[]> arena_;
  size_t arena_bytes_ = 0;
  std::unique_ptr<StoredCompressor> compressor_;  // used by one thread at a time
  std::jthread compressing_;                      // last: joined before what it reads goes
};

// The cache of a commit that landed is the next commit's starting point.
void KeepCache(ViewsHook& hook, const CommitResult& result, std::unique_ptr<Views>* cache, uint64_t* next_seq) {
  if (!result.committed) return;
  *cache = hook.TakeCache();
  *next_seq = result.appended.last_seq + 1;
}

// Kinds replayed whatever their date in an as-of report: reference data
// without money, which later entries of any date may name.
bool IsUndatedReference(const std::string& k) { return k == kind::kInit || k == kind::kPerson || k == kind::kProvider; }

// Replays the journal into `views` (REQUIRES: built with no backing, empty).
// `max_seq`: entries after it are not read (the journal as it stood then).
Status ReplayInTxn(LmdbTxn& txn, const Journal::Dbs& dbs, std::optional<Date> as_of,
                   const std::function<void(uint64_t, uint64_t)>& progress, uint64_t* entries_out, Views& views,
                   uint64_t max_seq = UINT64_MAX, const std::function<Status()>& after_entry = {}) {
  assert(views.slot_count() == 0);
  const TxnPrior prior(&txn, dbs.entries, UINT64_MAX, nullptr);
  auto cursor = LmdbCursor::Open(txn, dbs.entries);
  if (!cursor.ok()) return cursor.status();
  uint64_t total = 0;
  if (progress) {
    auto last = cursor->Last();
    if (!last.ok()) return last.status();
    total = std::min(*last ? cursor->key() : 0, max_seq);
  }
  uint64_t count = 0;
  const ApplyMode mode = as_of ? ApplyMode::kReport : ApplyMode::kEnforce;
  StoredDecoder decoder;
  for (auto more = cursor->Seek(std::nullopt);; more = cursor->Next()) {
    if (!more.ok()) return more.status();
    if (!*more) break;
    const uint64_t seq = cursor->key();
    if (seq > max_seq) break;
    ++count;
    if (seq != count) return Status::Tampered("entry " + std::to_string(count) + " is missing from the ledger");
    auto line = decoder.Decode(cursor->value());
    if (!line.ok()) return line.status().WithContext("entry " + std::to_string(seq) + ": ");
    auto entry = ParseEntryLine(*line);
    if (!entry.ok()) return Status::Tampered("entry " + std::to_string(seq) + ": " + entry.status().message());
    if (as_of && entry->draft.effective > *as_of && !IsUndatedReference(entry->draft.kind)) continue;
    Status applied = ApplyEntry(seq, &entry->draft, views, prior, mode);
    if (!applied.ok()) {
      return Status::Tampered("entry " + std::to_string(seq) + " cannot be replayed: " + applied.message());
    }
    if (after_entry) RF_RETURN_IF_ERROR(after_entry());
    if (progress && count % 65536 == 0) progress(count, total);
  }
  if (max_seq != UINT64_MAX && count != max_seq) {
    return Status::InvalidInput("the journal holds " + std::to_string(count) + " entries, not " +
                                std::to_string(max_seq));
  }
  if (entries_out != nullptr) *entries_out = count;
  return Status::Ok();
}

Result<MemoryViews> RebuildInTxn(LmdbTxn& txn, const Journal::Dbs& dbs, std::optional<Date> as_of,
                                 const std::function<void(uint64_t, uint64_t)>& progress, uint64_t* entries_out,
                                 uint64_t max_seq = UINT64_MAX) {
  Views views(nullptr);
  RF_RETURN_IF_ERROR(ReplayInTxn(txn, dbs, as_of, progress, entries_out, views, max_seq));
  MemoryViews out;
  RF_RETURN_IF_ERROR(views.ForEachDirty([&](std::string_view key, std::string_view value) {
    out.values.emplace(key, value);
    return Status::Ok();
  }));
  return out;
}

// Writes the views changed since the last spill to `store` (the index
// entries removed deleted: one never written is no error) and empties the
// cache, as a commit does (ViewsHook::Finish).
Status SpillViews(Views& views, ViewsStore& store) {
  RF_RETURN_IF_ERROR(views.ForEachDirty([&](std::string_view key, std::string_view value) { return store.Put(key, value); }));
  RF_RETURN_IF_ERROR(views.ForEachDeleted([&](std::string_view key) -> Status {
    Status deleted = store.Delete(key);
    return deleted.code() == Status::Code::kNotFound ? Status::Ok() : deleted;
  }));
  views.MarkWritten();
  views.Clear();
  return Status::Ok();
}

// Replays the whole journal (as ReplayInTxn, every rule enforced) into
// `scratch`'s views database: whenever the cache holds more than
// `cache_slots_max` views it is written there, committed and emptied, and
// later entries read what they need back from it, as commits do. Memory is
// a batch's, whatever the journal's length.
Status ReplayIntoScratch(LmdbTxn& txn, const Journal::Dbs& dbs, const ScratchEnv& scratch,
                         const std::function<void(uint64_t, uint64_t)>& progress, uint64_t* entries_out,
                         size_t cache_slots_max) {
  Views views(nullptr);
  std::optional<LmdbTxn> spill_txn;
  std::optional<TxnBacking> backing;
  const auto begin = [&]() -> Status {
    auto begun = LmdbTxn::Begin(scratch.env(), /*read_only=*/false);
    if (!begun.ok()) return begun.status();
    spill_txn.emplace(std::move(*begun));
    backing.emplace(&*spill_txn, scratch.dbs());
    views.set_backing(&*backing);
    return Status::Ok();
  };
  const auto spill = [&]() -> Status {
    RF_RETURN_IF_ERROR(SpillViews(views, backing->store()));
    views.set_backing(nullptr);
    backing.reset();
    Status committed = spill_txn->Commit();
    spill_txn.reset();
    return committed;
  };
  RF_RETURN_IF_ERROR(begin());
  RF_RETURN_IF_ERROR(ReplayInTxn(txn, dbs, std::nullopt, progress, entries_out, views, UINT64_MAX, [&]() -> Status {
    if (views.slot_count() <= cache_slots_max) return Status::Ok();
    RF_RETURN_IF_ERROR(spill());
    return begin();
  }));
  return spill();
}

// A stored value quoted in a message: IBANs masked first (a tampered view
// may hold a payee's bank details), then cut to 200 bytes.
std::string Shown(std::string_view value) {
  const std::string masked = MaskIbansIn(value);
  return masked.size() > 200 ? masked.substr(0, 200) + "..." : masked;
}

}  // namespace

Status ViewSource::Read(std::string_view key,
                        const std::function<Status(std::optional<std::string_view>)>& fn) const {
  RF_ASSIGN(value, Get(key));
  if (!value) return fn(std::nullopt);
  return fn(std::string_view(*value));
}

Status ViewSource::ReadSorted(const std::vector<std::string>& keys,
                              const std::function<Status(size_t, std::optional<std::string_view>)>& fn) const {
  assert(std::is_sorted(keys.begin(), keys.end()));
  for (size_t i = 0; i < keys.size(); ++i) {
    RF_RETURN_IF_ERROR(Read(keys[i], [&](std::optional<std::string_view> value) { return fn(i, value); }));
  }
  return Status::Ok();
}

Status MemoryViews::Read(std::string_view key,
                         const std::function<Status(std::optional<std::string_view>)>& fn) const {
  const auto it = values.find(key);
  if (it == values.end()) return fn(std::nullopt);
  return fn(std::string_view(it->second));
}

Result<std::optional<std::string>> MemoryViews::Get(std::string_view key) const {
  const auto it = values.find(key);
  if (it == values.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Status MemoryViews::ForEach(std::string_view prefix,
                            const std::function<Status(std::string_view, std::string_view)>& fn) const {
  for (auto it = values.lower_bound(prefix); it != values.end() && it->first.starts_with(prefix); ++it) {
    RF_RETURN_IF_ERROR(fn(it->first, it->second));
  }
  return Status::Ok();
}

Status MemoryViews::ForEachFrom(std::string_view prefix, std::string_view from,
                                const std::function<Result<bool>(std::string_view, std::string_view)>& fn) const {
  for (auto it = values.lower_bound(std::max(prefix, from)); it != values.end() && it->first.starts_with(prefix);
       ++it) {
    auto go_on = fn(it->first, it->second);
    if (!go_on.ok()) return go_on.status();
    if (!*go_on) break;
  }
  return Status::Ok();
}

Result<std::unique_ptr<Ledger>> Ledger::Create(const std::string& dir, const std::string& org,
                                               const std::string& origin, const std::string& actor,
                                               JournalOptions options) {
  // The views database handle is only known inside Create's transaction.
  class InitHook : public AppendHook {
   public:
    Status Prepare(LmdbTxn& txn, uint64_t first_seq, std::vector<EntryDraft>& drafts, LineBuilder& lines) override {
      auto dbs = OpenJournalDbs(txn, /*create=*/false);
      if (!dbs.ok()) return dbs.status();
      hook_.emplace(*dbs);
      return hook_->Prepare(txn, first_seq, drafts, lines);
    }
    Status Finish(LmdbTxn& txn) override { return hook_->Finish(txn); }

   private:
    std::optional<ViewsHook> hook_;
  } hook;
  auto journal = Journal::Create(dir, org, origin, actor, options, &hook);
  if (!journal.ok()) return journal.status();
  return std::unique_ptr<Ledger>(new Ledger(std::move(*journal)));
}

Result<std::unique_ptr<Ledger>> Ledger::Open(const std::string& dir, bool writable, JournalOptions options) {
  auto journal = Journal::Open(dir, writable, options);
  if (!journal.ok()) return journal.status();
  return std::unique_ptr<Ledger>(new Ledger(std::move(*journal)));
}

namespace {

// A dry run on a ledger opened read-only (no write transaction to roll
// back, no signing key): the drafts pass the same checks as a commit
// (ValidateDraft, then ApplyEntry enforcing every rule) against the views
// of one read snapshot, changed in memory only. Nothing is signed, so the
// result carries the seqs the entries would take and no root.
Result<CommitResult> DryRunReadOnly(const Journal& journal, std::vector<EntryDraft>& drafts) {
  if (drafts.empty()) return Status::InvalidInput("nothing to append");
  auto txn = LmdbTxn::Begin(journal.env(), /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  uint64_t size = 0;
  {
    auto cursor = LmdbCursor::Open(*txn, journal.dbs().entries);
    if (!cursor.ok()) return cursor.status();
    auto last = cursor->Last();
    if (!last.ok()) return last.status();
    size = *last ? cursor->key() : 0;
  }
  const uint64_t first_seq = size + 1;
  TxnBacking backing(&*txn, journal.dbs());
  Views views(&backing);
  const TxnPrior prior(&*txn, journal.dbs().entries, first_seq, &drafts);
  for (size_t i = 0; i < drafts.size(); ++i) {
    Status valid = ValidateDraft(drafts[i]);
    if (valid.ok()) valid = ApplyEntry(first_seq + i, &drafts[i], views, prior, ApplyMode::kEnforce);
    if (!valid.ok()) {
      const std::string where = drafts[i].source.empty() ? "entry " + std::to_string(i + 1) : drafts[i].source;
      return valid.WithContext(where + ": ");
    }
  }
  CommitResult result;
  result.appended.first_seq = first_seq;
  result.appended.last_seq = size + drafts.size();
  result.committed = false;
  return result;
}

}  // namespace

Result<CommitResult> Ledger::Commit(std::vector<EntryDraft> drafts, bool dry_run) {
  if (dry_run && journal_->env().read_only()) return DryRunReadOnly(*journal_, drafts);
  // The cache goes into the hook and comes back only from a commit that
  // landed: a refused, failed or dry-run commit leaves it holding values
  // LMDB does not, so it is dropped.
  ViewsHook hook(journal_->dbs(), std::move(views_cache_), views_cache_next_seq_);
  auto appended = journal_->Append(std::move(drafts), &hook, !dry_run);
  if (!appended.ok()) return appended.status();
  CommitResult result;
  result.appended = *appended;
  result.committed = !dry_run;
  result.views_written = hook.written();
  KeepCache(hook, result, &views_cache_, &views_cache_next_seq_);
  return result;
}

Result<CommitResult> Ledger::CommitStream(const ChunkSource& next, bool dry_run) {
  ViewsHook hook(journal_->dbs(), std::move(views_cache_), views_cache_next_seq_);
  uint64_t entries = 0;
  auto appended = journal_->AppendStream(
      [&](LmdbTxn& txn, std::vector<EntryDraft>* chunk) -> Result<bool> {
        TxnBacking views(&txn, journal_->dbs());
        auto more = next(views, chunk);
        if (more.ok()) entries += chunk->size();
        return more;
      },
      &hook, !dry_run);
  if (!appended.ok()) return appended.status();
  CommitResult result;
  result.appended = *appended;
  result.committed = !dry_run && entries > 0;
  result.views_written = hook.written();
  KeepCache(hook, result, &views_cache_, &views_cache_next_seq_);
  return result;
}

Status Ledger::ReadViews(const std::function<Status(const ViewSource&)>& fn) const {
  auto txn = LmdbTxn::Begin(journal_->env(), /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  TxnBacking source(&*txn, journal_->dbs());
  return fn(source);
}

Result<MemoryViews> RebuildViews(const Journal& journal, std::optional<Date> as_of,
                                 const std::function<void(uint64_t, uint64_t)>& progress) {
  auto txn = LmdbTxn::Begin(journal.env(), /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  return RebuildInTxn(*txn, journal.dbs(), as_of, progress, nullptr);
}

Result<MemoryViews> RebuildViewsAt(const Journal& journal, uint64_t tree_size, std::optional<Date> as_of,
                                   const std::function<void(uint64_t, uint64_t)>& progress) {
  assert(tree_size != UINT64_MAX);
  auto txn = LmdbTxn::Begin(journal.env(), /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  uint64_t entries = 0;
  auto views = RebuildInTxn(*txn, journal.dbs(), as_of, progress, &entries, tree_size);
  assert(!views.ok() || entries == tree_size);
  return views;
}

Status DiffViewsInTxn(LmdbTxn& txn, const Journal::Dbs& dbs, const std::function<void(uint64_t, uint64_t)>& progress,
                      ViewsCheck* check, const std::function<Status(const ViewDifference&)>& fn,
                      size_t cache_slots_max) {
  assert(check != nullptr);
  // The rebuilt views are spilled to a scratch database, then walked
  // against the stored ones in key order: two cursors, nothing held.
  RF_ASSIGN(scratch, ScratchEnv::Create("replay"));
  RF_RETURN_IF_ERROR(ReplayIntoScratch(txn, dbs, *scratch, progress, &check->entries, cache_slots_max));
  RF_ASSIGN(read, LmdbTxn::Begin(scratch->env(), /*read_only=*/true));
  RF_ASSIGN(rebuilt, LmdbCursor::Open(read, scratch->dbs().views, /*text_keys=*/true));
  RF_ASSIGN(more, rebuilt.SeekText(""));
  const auto missing = [&]() -> Status {
    RF_RETURN_IF_ERROR(fn(ViewDifference{.key = rebuilt.key_text(), .stored = std::nullopt, .rebuilt = rebuilt.value()}));
    RF_ASSIGN(next, rebuilt.Next());
    more = next;
    return Status::Ok();
  };
  const ViewsStore store(&txn, dbs);
  RF_RETURN_IF_ERROR(store.ForEach("", [&](std::string_view key, std::string_view value) -> Status {
    while (more && rebuilt.key_text() < key) RF_RETURN_IF_ERROR(missing());
    if (!more || rebuilt.key_text() != key) {
      return fn(ViewDifference{.key = key, .stored = value, .rebuilt = std::nullopt});
    }
    if (rebuilt.value() != value) {
      RF_RETURN_IF_ERROR(fn(ViewDifference{.key = key, .stored = value, .rebuilt = rebuilt.value()}));
    } else {
      ++check->keys;
    }
    RF_ASSIGN(next, rebuilt.Next());
    more = next;
    return Status::Ok();
  }));
  while (more) RF_RETURN_IF_ERROR(missing());
  return Status::Ok();
}

Result<ViewsCheck> CompareViews(const Journal& journal, const std::function<void(uint64_t, uint64_t)>& progress) {
  auto txn = LmdbTxn::Begin(journal.env(), /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  ViewsCheck check;
  // The first difference is the finding.
  RF_RETURN_IF_ERROR(DiffViewsInTxn(*txn, journal.dbs(), progress, &check, [](const ViewDifference& d) -> Status {
    const std::string key(d.key);
    if (!d.stored) {
      return Status::Tampered("view " + key + " is missing from the ledger; the journal gives " + Shown(*d.rebuilt));
    }
    if (!d.rebuilt) return Status::Tampered("view " + key + " is in the ledger but no journal entry produces it");
    return Status::Tampered("view " + key + " differs: the ledger holds " + Shown(*d.stored) +
                            " but the journal gives " + Shown(*d.rebuilt));
  }));
  return check;
}

}  // namespace rf
