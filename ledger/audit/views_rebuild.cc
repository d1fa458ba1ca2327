#include "ledger/audit/views_rebuild.h"

#include <cassert>
#include <optional>
#include <utility>
#include <vector>

#include "ledger/storage/ledger.h"
#include "ledger/storage/lmdb_env.h"
#include "ledger/storage/scratch_env.h"
#include "ledger/storage/views_store.h"

namespace rf {
namespace {

// A view's family: its key up to and including the first '/'.
std::string_view FamilyOf(std::string_view key) {
  const size_t slash = key.find('/');
  return slash == std::string_view::npos ? key : key.substr(0, slash + 1);
}

// The changes a rebuild writes are kept, until the comparison is done, in a
// scratch database (scratch_env.h), committed every kChangesPerBatch: a
// ledger upgraded to a new view form can gain millions of index keys. Each
// value is 'P' + the value to put, or "D" to delete.
constexpr size_t kChangesPerBatch = 65'536;

}  // namespace

ViewsRebuildCounts ViewsRebuildReport::Totals() const {
  ViewsRebuildCounts total;
  for (const auto& [family, counts] : families) {
    total.added += counts.added;
    total.removed += counts.removed;
    total.changed += counts.changed;
  }
  return total;
}

Result<ViewsRebuildReport> RebuildStoredViews(const Journal& journal, bool dry_run,
                                              const std::function<void(uint64_t, uint64_t)>& progress) {
  assert(dry_run || !journal.env().read_only());
  // One transaction from the journal's verification to the commit: a
  // writer waits on LMDB's lock meanwhile, so what is written is derived
  // from exactly the entries verified.
  auto txn = LmdbTxn::Begin(journal.env(), /*read_only=*/dry_run);
  if (!txn.ok()) return txn.status();
  ViewsRebuildReport report;
  auto verified = VerifyLedgerInTxn(*txn, journal, progress);
  if (!verified.ok()) {
    return verified.status().WithContext(
        "the journal does not verify, so its views were not rebuilt (nothing was written): ");
  }
  report.journal = *verified;

  RF_ASSIGN(scratch, ScratchEnv::Create("rebuild"));
  std::optional<LmdbTxn> changes_txn;
  size_t changes = 0, in_batch = 0;
  const auto record = [&](std::string_view key, std::optional<std::string_view> value) -> Status {
    if (!changes_txn) {
      RF_ASSIGN(begun, LmdbTxn::Begin(scratch->env(), /*read_only=*/false));
      changes_txn.emplace(std::move(begun));
    }
    std::string tagged = value ? "P" + std::string(*value) : std::string("D");
    RF_RETURN_IF_ERROR(changes_txn->Put(scratch->dbs().views, MDB_val{key.size(), const_cast<char*>(key.data())},
                                        MDB_val{tagged.size(), tagged.data()}, 0));
    ++changes;
    if (++in_batch < kChangesPerBatch) return Status::Ok();
    in_batch = 0;
    Status committed = changes_txn->Commit();
    changes_txn.reset();
    return committed;
  };
  ViewsCheck check;
  RF_RETURN_IF_ERROR(DiffViewsInTxn(*txn, journal.dbs(), progress, &check, [&](const ViewDifference& d) -> Status {
    ViewsRebuildCounts& counts = report.families[std::string(FamilyOf(d.key))];
    if (!d.stored) {
      ++counts.added;
    } else if (!d.rebuilt) {
      ++counts.removed;
    } else {
      ++counts.changed;
    }
    return dry_run ? Status::Ok() : record(d.key, d.rebuilt);
  }));
  if (changes_txn) {
    Status committed = changes_txn->Commit();
    changes_txn.reset();
    RF_RETURN_IF_ERROR(committed);
  }
  assert(check.entries == report.journal.entries);  // one snapshot: the same entries
  report.views_unchanged = check.keys;
  if (dry_run || changes == 0) return report;

  ViewsStore store(&*txn, journal.dbs());
  {
    RF_ASSIGN(read, LmdbTxn::Begin(scratch->env(), /*read_only=*/true));
    RF_ASSIGN(cursor, LmdbCursor::Open(read, scratch->dbs().views, /*text_keys=*/true));
    RF_ASSIGN(more, cursor.SeekText(""));
    while (more) {
      const std::string_view tagged = cursor.value();
      assert(!tagged.empty() && (tagged[0] == 'P' || tagged[0] == 'D'));
      RF_RETURN_IF_ERROR(tagged[0] == 'P' ? store.Put(cursor.key_text(), tagged.substr(1))
                                          : store.Delete(cursor.key_text()));
      RF_ASSIGN(next, cursor.Next());
      more = next;
    }
  }
  RF_RETURN_IF_ERROR(txn->Commit());
  report.written = true;
  const ViewsRebuildCounts total = report.Totals();
  assert(total.added + total.removed + total.changed == changes);
  (void)total;
  return report;
}

}  // namespace rf
