#include "ledger/views_store.h"

namespace rf {
namespace {

constexpr std::string_view kInvoicePrefix = "invoice/";

MDB_val TextVal(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }

// fn for each key of `dbi` from `from` on that begins with `prefix` and
// sorts before `stop` (if not empty), shown with `shown` before it.
Status Scan(const LmdbTxn& txn, MDB_dbi dbi, std::string_view from, std::string_view prefix, std::string_view stop,
            std::string_view shown, const std::function<Status(std::string_view, std::string_view)>& fn) {
  auto cursor = LmdbCursor::Open(txn, dbi, /*text_keys=*/true);
  if (!cursor.ok()) return cursor.status();
  std::string key(shown);
  for (auto more = cursor->SeekText(from);; more = cursor->Next()) {
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
    const std::string_view stored = cursor->key_text();
    if (!stored.starts_with(prefix) || (!stop.empty() && stored >= stop)) return Status::Ok();
    if (shown.empty()) {
      RF_RETURN_IF_ERROR(fn(stored, cursor->value()));
    } else {
      key.resize(shown.size());
      key += stored;
      RF_RETURN_IF_ERROR(fn(key, cursor->value()));
    }
  }
}

}  // namespace

std::pair<MDB_dbi, std::string_view> ViewsStore::Locate(std::string_view key) const {
  if (split_ && key.starts_with(kInvoicePrefix)) return {invoices_, key.substr(kInvoicePrefix.size())};
  return {views_, key};
}

Result<std::optional<std::string_view>> ViewsStore::Get(std::string_view key) const {
  const auto [dbi, stored] = Locate(key);
  return txn_->Get(dbi, TextVal(stored));
}

Status ViewsStore::Put(std::string_view key, std::string_view value) {
  const auto [dbi, stored] = Locate(key);
  return txn_->Put(dbi, TextVal(stored), TextVal(value), 0);
}

Status ViewsStore::ForEach(std::string_view prefix,
                           const std::function<Status(std::string_view key, std::string_view value)>& fn) const {
  if (!split_) return Scan(*txn_, views_, prefix, prefix, "", "", fn);
  if (prefix.starts_with(kInvoicePrefix)) {
    const std::string_view rest = prefix.substr(kInvoicePrefix.size());
    return Scan(*txn_, invoices_, rest, rest, "", kInvoicePrefix, fn);
  }
  if (!kInvoicePrefix.starts_with(prefix)) return Scan(*txn_, views_, prefix, prefix, "", "", fn);
  // The range holds the invoice/ family: the keys before it, the family, the
  // keys after it (none of "views" begins with invoice/).
  RF_RETURN_IF_ERROR(Scan(*txn_, views_, prefix, prefix, kInvoicePrefix, "", fn));
  RF_RETURN_IF_ERROR(Scan(*txn_, invoices_, "", "", "", kInvoicePrefix, fn));
  return Scan(*txn_, views_, kInvoicePrefix, prefix, "", "", fn);
}

}  // namespace rf
