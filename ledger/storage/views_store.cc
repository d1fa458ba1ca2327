#include "ledger/storage/views_store.h"

#include <algorithm>
#include <cassert>

namespace rf {
namespace {

MDB_val TextVal(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }

// fn for each key of `dbi` from `from` on that begins with `prefix` and
// sorts before `stop` (if not empty), shown with `shown` before it; the
// values decoded with `decoder` when given.
// Returns false when fn asked to stop (returned false).
Result<bool> Scan(const LmdbTxn& txn, MDB_dbi dbi, std::string_view from, std::string_view prefix, std::string_view stop,
                  std::string_view shown, StoredDecoder* decoder,
                  const std::function<Result<bool>(std::string_view, std::string_view)>& fn) {
  auto cursor = LmdbCursor::Open(txn, dbi, /*text_keys=*/true);
  if (!cursor.ok()) return cursor.status();
  std::string key(shown);
  for (auto more = cursor->SeekText(from);; more = cursor->Next()) {
    if (!more.ok()) return more.status();
    if (!*more) return true;
    const std::string_view stored = cursor->key_text();
    if (!stored.starts_with(prefix) || (!stop.empty() && stored >= stop)) return true;
    if (!shown.empty()) {
      key.resize(shown.size());
      key += stored;
    }
    const std::string_view shown_key = shown.empty() ? stored : std::string_view(key);
    std::string_view value = cursor->value();
    if (decoder != nullptr) {
      auto json = decoder->Decode(value);
      if (!json.ok()) return json.status().WithContext("view " + std::string(shown_key) + ": ");
      value = *json;
    }
    auto go_on = fn(shown_key, value);
    if (!go_on.ok()) return go_on.status();
    if (!*go_on) return false;
  }
}

}  // namespace

std::pair<MDB_dbi, std::string_view> ViewsStore::Locate(std::string_view key) const {
  if (split_ && key.starts_with(kInvoicePrefix)) return {invoices_, key.substr(kInvoicePrefix.size())};
  return {views_, key};
}

Result<bool> ViewsStore::AfterLastInvoice(std::string_view stored_key) const {
  assert(split_);
  auto entries = txn_->Entries(invoices_);
  if (!entries.ok()) return entries.status();
  if (*entries != last_invoice_entries_) {
    auto cursor = LmdbCursor::Open(*txn_, invoices_, /*text_keys=*/true);
    if (!cursor.ok()) return cursor.status();
    auto found = cursor->Last();
    if (!found.ok()) return found.status();
    last_invoice_.assign(*found ? cursor->key_text() : std::string_view());
    last_invoice_entries_ = *entries;
  }
  // LMDB's default order is bytewise, shorter first on a tie: string_view's.
  return stored_key > last_invoice_;
}

Result<std::optional<std::string>> ViewsStore::Get(std::string_view key) const {
  // Read's value, copied out of the transaction.
  std::optional<std::string> out;
  RF_RETURN_IF_ERROR(Read(key, [&](std::optional<std::string_view> value) -> Status {
    if (value) out.emplace(*value);
    return Status::Ok();
  }));
  return out;
}

Result<std::string_view> ViewsStore::Shown(MDB_dbi dbi, std::string_view key, std::string_view stored) const {
  if (dbi != invoices_ || !split_) return stored;
  if (decoder_ == nullptr) decoder_ = std::make_unique<StoredDecoder>();
  auto json = decoder_->Decode(stored);
  if (!json.ok()) return json.status().WithContext("view " + std::string(key) + ": ");
  return std::string_view(*json);
}

Status ViewsStore::Read(std::string_view key,
                        const std::function<Status(std::optional<std::string_view> value)>& fn) const {
  const auto [dbi, stored_key] = Locate(key);
  if (dbi == invoices_ && split_) {
    RF_ASSIGN(after, AfterLastInvoice(stored_key));
    if (after) return fn(std::nullopt);
  }
  RF_ASSIGN(stored, txn_->Get(dbi, TextVal(stored_key)));
  if (!stored.has_value()) return fn(std::nullopt);
  RF_ASSIGN(value, Shown(dbi, key, *stored));
  return fn(value);
}

Status ViewsStore::ReadSorted(const std::vector<std::string>& keys,
                              const std::function<Status(size_t i, std::optional<std::string_view> value)>& fn) const {
  assert(std::is_sorted(keys.begin(), keys.end()));
  // One cursor per database, each only ever moved forward: a seek from an
  // initialised cursor searches the page it is on first (LMDB's
  // mdb_cursor_set), so sorted keys close together share their descents.
  std::optional<LmdbCursor> cursors[2];
  bool placed[2] = {false, false};  // sought at least once
  bool at_end[2] = {false, false};  // a seek found no key at or after the one sought
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto [dbi, stored_key] = Locate(keys[i]);
    const size_t c = dbi == views_ ? 0 : 1;
    if (!cursors[c]) {
      RF_ASSIGN(cursor, LmdbCursor::Open(*txn_, dbi, /*text_keys=*/true));
      cursors[c].emplace(std::move(cursor));
    }
    LmdbCursor& cursor = *cursors[c];
    if (!at_end[c] && (!placed[c] || cursor.key_text() != stored_key)) {  // a repeated key reads in place
      RF_ASSIGN(found, cursor.SeekText(stored_key));
      at_end[c] = !found;
      placed[c] = true;
    }
    if (at_end[c] || cursor.key_text() != stored_key) {
      RF_RETURN_IF_ERROR(fn(i, std::nullopt));
      continue;
    }
    RF_ASSIGN(value, Shown(dbi, keys[i], cursor.value()));
    RF_RETURN_IF_ERROR(fn(i, value));
  }
  return Status::Ok();
}

Status ViewsStore::Put(std::string_view key, std::string_view value) {
  const auto [dbi, stored_key] = Locate(key);
  if (dbi != invoices_ || !split_) return txn_->Put(dbi, TextVal(stored_key), TextVal(value), 0);
  if (compressor_ == nullptr) compressor_ = std::make_unique<StoredCompressor>(StoredDictionary::kInvoiceRecordV1);
  compressor_->Compress(value, &stored_);
  return txn_->Put(dbi, TextVal(stored_key), TextVal(stored_), 0);
}

Status ViewsStore::PutStored(std::string_view key, std::string_view stored) {
  assert(Compresses(key));
  return txn_->Put(invoices_, TextVal(key.substr(kInvoicePrefix.size())), TextVal(stored), 0);
}

Status ViewsStore::Delete(std::string_view key) {
  const auto [dbi, stored_key] = Locate(key);
  if (dbi == invoices_) last_invoice_entries_ = UINT64_MAX;
  return txn_->Del(dbi, TextVal(stored_key));
}

Status ViewsStore::ForEach(std::string_view prefix,
                           const std::function<Status(std::string_view key, std::string_view value)>& fn) const {
  auto scanned = ForEachFrom(prefix, prefix, [&fn](std::string_view key, std::string_view value) -> Result<bool> {
    RF_RETURN_IF_ERROR(fn(key, value));
    return true;
  });
  return scanned;
}

Status ViewsStore::ForEachFrom(std::string_view prefix, std::string_view from,
                               const std::function<Result<bool>(std::string_view key, std::string_view value)>& fn) const {
  const std::string_view start = std::max(prefix, from);
  if (!split_) return Scan(*txn_, views_, start, prefix, "", "", nullptr, fn).status();
  const bool whole_family = kInvoicePrefix.starts_with(prefix);
  if (!whole_family && !prefix.starts_with(kInvoicePrefix)) {
    return Scan(*txn_, views_, start, prefix, "", "", nullptr, fn).status();
  }
  if (decoder_ == nullptr) decoder_ = std::make_unique<StoredDecoder>();
  // In views.invoice a key is stored without its family prefix: `start`
  // there is the part after it ("" when `start` sorts before the family).
  const auto invoice_start = [&]() -> std::string_view {
    return start.starts_with(kInvoicePrefix) ? start.substr(kInvoicePrefix.size()) : std::string_view();
  };
  if (!whole_family) {
    return Scan(*txn_, invoices_, invoice_start(), prefix.substr(kInvoicePrefix.size()), "", kInvoicePrefix,
                decoder_.get(), fn)
        .status();
  }
  // The range holds the invoice/ family: the keys before it, the family, the
  // keys after it (none of "views" begins with invoice/).
  if (start < kInvoicePrefix) {
    RF_ASSIGN(more, Scan(*txn_, views_, start, prefix, kInvoicePrefix, "", nullptr, fn));
    if (!more) return Status::Ok();
  }
  if (start < kInvoicePrefix || start.starts_with(kInvoicePrefix)) {
    RF_ASSIGN(more, Scan(*txn_, invoices_, invoice_start(), "", "", kInvoicePrefix, decoder_.get(), fn));
    if (!more) return Status::Ok();
  }
  return Scan(*txn_, views_, std::max(start, kInvoicePrefix), prefix, "", "", nullptr, fn).status();
}

}  // namespace rf
