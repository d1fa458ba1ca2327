#ifndef RINGFENCE_LEDGER_STORAGE_LEDGER_H_
#define RINGFENCE_LEDGER_STORAGE_LEDGER_H_

// The ledger: the journal plus its views, kept in one LMDB transaction per
// commit. Every command that changes anything goes through Commit, so every
// entry passes ApplyEntry (apply.h) before it is written, and the views it
// changed are written in the same transaction as the entry.
//
// Views are checked against the journal by CompareViews (`ringfence
// verify`), which replays the whole journal through a scratch database
// (bounded memory) and compares every key with the stored views.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/core/apply.h"
#include "ledger/core/date.h"
#include "ledger/storage/journal.h"
#include "ledger/core/views.h"

namespace rf {

// Read access to a set of views by key and by key prefix: the live views in
// an LMDB snapshot, or views rebuilt in memory. Reports read only this.
class ViewSource {
 public:
  virtual ~ViewSource() = default;
  virtual Result<std::optional<std::string>> Get(std::string_view key) const = 0;
  // Calls fn(key, value) for every key beginning with `prefix`, in order.
  virtual Status ForEach(std::string_view prefix,
                         const std::function<Status(std::string_view key, std::string_view value)>& fn) const = 0;
  // Calls fn(key, value) for the keys beginning with `prefix` that sort at or
  // after `from`, in order, while fn returns true: a reader takes a bounded
  // batch and resumes after the last key it saw (key + '\0').
  virtual Status ForEachFrom(std::string_view prefix, std::string_view from,
                             const std::function<Result<bool>(std::string_view key, std::string_view value)>& fn)
      const = 0;

  // A point read without copying the value: fn(value) with the value of
  // `key` (nullopt when absent), the view valid only during the call, and
  // only until fn reads these views again (the live views hand LMDB's own
  // bytes, or a decompressed invoice in a buffer the next invoice read
  // reuses). The default reads through Get (one copy).
  virtual Status Read(std::string_view key,
                      const std::function<Status(std::optional<std::string_view> value)>& fn) const;
  // Point reads of many keys, given in ascending key order (REQUIRES:
  // sorted, repeats allowed): fn(i, value) for keys[i], in order, the value
  // as Read gives it. The live views walk one cursor forward (each seek
  // starting from the page it is on: fewer key compares than a descent
  // from the root per key). The default is Read per key.
  virtual Status ReadSorted(const std::vector<std::string>& keys,
                            const std::function<Status(size_t i, std::optional<std::string_view> value)>& fn) const;
};

// Views rebuilt in memory.
class MemoryViews : public ViewSource {
 public:
  Result<std::optional<std::string>> Get(std::string_view key) const override;
  Status ForEach(std::string_view prefix,
                 const std::function<Status(std::string_view, std::string_view)>& fn) const override;
  Status ForEachFrom(std::string_view prefix, std::string_view from,
                     const std::function<Result<bool>(std::string_view, std::string_view)>& fn) const override;
  Status Read(std::string_view key, const std::function<Status(std::optional<std::string_view>)>& fn) const override;
  std::map<std::string, std::string, std::less<>> values;
};

struct CommitResult {
  AppendResult appended;
  bool committed = false;  // false for a dry run
  size_t views_written = 0;
};

class Ledger {
 public:
  static Result<std::unique_ptr<Ledger>> Create(const std::string& dir, const std::string& org,
                                                const std::string& origin, const std::string& actor,
                                                JournalOptions options = {});
  static Result<std::unique_ptr<Ledger>> Open(const std::string& dir, bool writable, JournalOptions options = {});

  // Applies and appends the drafts in one transaction (all or nothing).
  // `dry_run` checks everything and then rolls back; on a ledger opened
  // read-only it applies the drafts, every rule enforced, to the views of one
  // read snapshot in memory (nothing signed: the result has seqs, no root).
  // Errors: from ApplyEntry, prefixed with the entry's source (file and
  // line, or the command); Io.
  Result<CommitResult> Commit(std::vector<EntryDraft> drafts, bool dry_run = false);

  // The same for input too large to hold at once, still one transaction:
  // `next(views, chunk)` fills `chunk` (given empty) and returns false after
  // the last one; `views` reads the views as the transaction stands, with
  // every earlier chunk applied. When no chunk held an entry nothing is
  // committed (appended.last_seq < appended.first_seq). Memory: one chunk
  // and its views, plus LMDB's dirty pages.
  using ChunkSource = std::function<Result<bool>(const ViewSource& views, std::vector<EntryDraft>* chunk)>;
  Result<CommitResult> CommitStream(const ChunkSource& next, bool dry_run = false);

  // Runs fn over the live views in one read snapshot.
  Status ReadViews(const std::function<Status(const ViewSource&)>& fn) const;

  Journal& journal() { return *journal_; }
  const Journal& journal() const { return *journal_; }

 private:
  explicit Ledger(std::unique_ptr<Journal> journal) : journal_(std::move(journal)) {}
  std::unique_ptr<Journal> journal_;
  // The views as this process's last commit left them, so the next commit
  // reads from LMDB only what it has not seen. Valid only while the journal
  // still ends at views_cache_next_seq_ - 1 (another process may append
  // between our commits; the check is made inside the write transaction).
  std::unique_ptr<Views> views_cache_;
  uint64_t views_cache_next_seq_ = 0;
};

// Replays the journal (in one snapshot) through ApplyEntry into memory.
// `as_of`: only entries effective on or before that date, in ApplyMode::kReport.
// `progress(done, total)` may be empty.
// Errors: Tampered if an entry cannot be replayed (naming it).
Result<MemoryViews> RebuildViews(const Journal& journal, std::optional<Date> as_of,
                                 const std::function<void(uint64_t, uint64_t)>& progress = {});

// The same over the journal as it stood at `tree_size` (its first tree_size
// entries; later ones, whatever their date, are not read), so a result
// computed then can be computed again after more entries are appended.
// Without `as_of` every rule is enforced (ApplyMode::kEnforce), as when the
// entries were posted: the views are those the ledger held at that size,
// flag records included.
// Errors: InvalidInput when the journal holds fewer than tree_size entries;
// RebuildViews'.
Result<MemoryViews> RebuildViewsAt(const Journal& journal, uint64_t tree_size, std::optional<Date> as_of,
                                   const std::function<void(uint64_t, uint64_t)>& progress = {});

// Rebuilds every view and compares it with the stored views, in one
// snapshot. Errors: Tampered naming the first key that differs.
struct ViewsCheck {
  uint64_t entries = 0;
  uint64_t keys = 0;
};
Result<ViewsCheck> CompareViews(const Journal& journal, const std::function<void(uint64_t, uint64_t)>& progress = {});

// One view on which the ledger and the journal disagree: `stored` is
// nullopt when the view is missing from the ledger, `rebuilt` when no
// journal entry produces it. The views are valid only during the call.
struct ViewDifference {
  std::string_view key;
  std::optional<std::string_view> stored, rebuilt;
};
// The walk under CompareViews and `views rebuild` (ledger/audit/views_rebuild.h):
// replays the whole journal in `txn` (read or write; nothing is written to
// the ledger) and walks the rebuilt views against the stored ones in key
// order, calling fn for every key that differs, stopping at fn's first
// error. The rebuilt views are spilled, whenever more than
// `cache_slots_max` are held, to a scratch database under TMPDIR
// (scratch_env.h; removed on return), so memory is bounded by that, not by
// the journal's length; the scratch folder needs about the views' size on
// disk. check->entries counts the entries replayed, check->keys the views
// that agree.
// Errors: RebuildViews' (an entry that cannot be replayed); Io when the
// scratch database cannot be made or written; fn's.
Status DiffViewsInTxn(LmdbTxn& txn, const Journal::Dbs& dbs, const std::function<void(uint64_t, uint64_t)>& progress,
                      ViewsCheck* check, const std::function<Status(const ViewDifference&)>& fn,
                      size_t cache_slots_max = kViewsCacheSlotsMax);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_STORAGE_LEDGER_H_
