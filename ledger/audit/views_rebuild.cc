#include "ledger/audit/views_rebuild.h"

#include <cassert>
#include <optional>
#include <utility>
#include <vector>

#include "ledger/storage/ledger.h"
#include "ledger/storage/lmdb_env.h"
#include "ledger/storage/views_store.h"

namespace rf {
namespace {

// A view's family: its key up to and including the first '/'.
std::string_view FamilyOf(std::string_view key) {
  const size_t slash = key.find('/');
  return slash == std::string_view::npos ? key : key.substr(0, slash + 1);
}

// What the rewrite does to one key: put `value`, or delete when nullopt.
struct ViewChange {
  std::string key;
  std::optional<std::string> value;
};

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

  std::vector<ViewChange> changes;
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
    changes.push_back({.key = std::string(d.key),
                       .value = d.rebuilt ? std::optional<std::string>(*d.rebuilt) : std::nullopt});
    return Status::Ok();
  }));
  assert(check.entries == report.journal.entries);  // one snapshot: the same entries
  report.views_unchanged = check.keys;
  if (dry_run || changes.empty()) return report;

  ViewsStore store(&*txn, journal.dbs());
  for (const ViewChange& change : changes) {
    RF_RETURN_IF_ERROR(change.value ? store.Put(change.key, *change.value) : store.Delete(change.key));
  }
  RF_RETURN_IF_ERROR(txn->Commit());
  report.written = true;
  const ViewsRebuildCounts total = report.Totals();
  assert(total.added + total.removed + total.changed == changes.size());
  return report;
}

}  // namespace rf
