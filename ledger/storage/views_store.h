#ifndef RINGFENCE_LEDGER_STORAGE_VIEWS_STORE_H_
#define RINGFENCE_LEDGER_STORAGE_VIEWS_STORE_H_

// Where the views (views.h) live in LMDB, inside one transaction.
//
// One database ("views") holds the key space, except the invoice/ family,
// which has its own ("views.invoice", keyed by the invoice id). An invoices
// load writes hundreds of thousands of records with ascending ids: alone in
// a database they are appended, and LMDB fills each page before starting
// the next; among the other families (person/, pot/, ... sort after them)
// every page split is a split in half, which doubles the pages a load
// dirties, and a load is one transaction whose dirty pages LMDB keeps in
// memory until commit.
//
// Callers see one ordered key space of JSON values: keys keep their family
// prefix here, ForEach merges the two databases in key order, and the
// invoice records, stored compressed (stored_form.h), are read as JSON. A ledger created
// before the split has no "views.invoice" (Journal::Dbs gives the same
// database twice); it keeps every family in "views", read and written as
// before.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/records.h"
#include "ledger/storage/journal.h"
#include "ledger/storage/lmdb_env.h"
#include "ledger/storage/stored_form.h"

namespace rf {

class ViewsStore {
 public:
  // REQUIRES: `txn` outlives this object.
  ViewsStore(LmdbTxn* txn, const Journal::Dbs& dbs)
      : txn_(txn), views_(dbs.views), invoices_(dbs.invoice_views), split_(dbs.invoice_views != dbs.views) {}

  // nullopt when absent.
  Result<std::optional<std::string>> Get(std::string_view key) const;
  // fn(value) with `key`'s value (nullopt when absent), not copied: LMDB's
  // bytes, or an invoice decompressed into a buffer the next invoice read
  // reuses; valid during the call only (ViewSource::Read).
  Status Read(std::string_view key, const std::function<Status(std::optional<std::string_view> value)>& fn) const;
  // fn(i, value) for each keys[i], as Read, through one cursor per database
  // walked forward. REQUIRES: `keys` ascending (ViewSource::ReadSorted).
  Status ReadSorted(const std::vector<std::string>& keys,
                    const std::function<Status(size_t i, std::optional<std::string_view> value)>& fn) const;
  // REQUIRES: a write transaction.
  Status Put(std::string_view key, std::string_view value);
  // Whether Put stores `key`'s value compressed (with StoredDictionary::kInvoiceRecordV1), so a caller may
  // compress it elsewhere (another thread) and give PutStored the result.
  bool Compresses(std::string_view key) const { return split_ && key.starts_with(kInvoicePrefix); }
  // REQUIRES: a write transaction; Compresses(key); `stored` is what
  // StoredCompressor(kInvoiceRecordV1) made of the value.
  Status PutStored(std::string_view key, std::string_view stored);
  // Removes a view (only `views rebuild` does, views_rebuild.h: a key no
  // journal entry produces). REQUIRES: a write transaction; the key exists.
  Status Delete(std::string_view key);

  // fn(key, value) for every key beginning with `prefix`, in key order.
  Status ForEach(std::string_view prefix,
                 const std::function<Status(std::string_view key, std::string_view value)>& fn) const;
  // fn(key, value) for every key beginning with `prefix` at or after `from`,
  // in key order, while fn returns true.
  Status ForEachFrom(std::string_view prefix, std::string_view from,
                     const std::function<Result<bool>(std::string_view key, std::string_view value)>& fn) const;

 private:
  // The database and stored key of `key`.
  std::pair<MDB_dbi, std::string_view> Locate(std::string_view key) const;
  // The value as callers see it of `stored` read under `key` in `dbi`
  // (an invoice decompressed into decoder_'s buffer).
  Result<std::string_view> Shown(MDB_dbi dbi, std::string_view key, std::string_view stored) const;
  // Whether `stored_key` sorts after every key of views.invoice, so is
  // absent without a search: a load's invoice ids usually ascend, and each
  // new row's id is looked up (twice: the loader, then the rules) before it
  // is written. The last key is reread whenever the database's count of
  // keys has changed, whoever wrote: views are only ever added or
  // overwritten, so an unchanged count means the same last key (the one
  // deleter, Delete, forgets the last key it read).
  Result<bool> AfterLastInvoice(std::string_view stored_key) const;

  LmdbTxn* txn_;
  MDB_dbi views_, invoices_;
  bool split_;
  // Made on first use: most transactions never touch an invoice record.
  mutable std::unique_ptr<StoredDecoder> decoder_;
  std::unique_ptr<StoredCompressor> compressor_;
  std::string stored_;                                  // Put's compressed value
  mutable std::string last_invoice_;                    // the last key of views.invoice ...
  mutable uint64_t last_invoice_entries_ = UINT64_MAX;  // ... when it held this many keys
};

}  // namespace rf

#endif  // RINGFENCE_LEDGER_STORAGE_VIEWS_STORE_H_
