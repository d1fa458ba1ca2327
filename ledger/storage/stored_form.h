#ifndef RINGFENCE_LEDGER_STORAGE_STORED_FORM_H_
#define RINGFENCE_LEDGER_STORAGE_STORED_FORM_H_

// The stored form of the values a load writes by the hundred thousand:
// journal lines and invoice records. They are read, hashed, proved and
// exported as their canonical JSON; LMDB holds them compressed, because a
// file's load is one write transaction whose every page LMDB keeps in
// memory until commit (a ~480-byte invoice line stores as ~110-130 bytes,
// a ~180-byte invoice record as ~41 in its flat form).
//
//   stored = <dictionary byte> <zstd frame>   magicless, content size in the
//                                             frame header, no checksum
//          | 0x03 <flat record>               an invoice record member by
//                                             member (stored_record.h)
//          | '{' ...                          the JSON itself (ledgers written
//                                             before compression; still read)
//
// A compressor for invoice records writes the flat form whenever the record
// has one (every record ringfence writes today) and zstd otherwise.
//
// The dictionary byte names the zstd dictionary, trained on typical values
// and built into the program; a dictionary's bytes never change once used
// (a better one is a new byte). A damaged stored value either fails to decompress (Tampered)
// or yields other bytes, which the chain and the tree (lines) or verify's
// rebuild of the views (records) then refuse.
//
// Thread safety: one StoredCompressor or StoredDecoder per thread; the
// dictionaries behind them are shared and read-only.

#include <memory>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace rf {

enum class StoredDictionary : char {
  kLineV1 = 0x01,           // stored_form_line_dictionary_v1.inc
  kInvoiceRecordV1 = 0x02,  // stored_form_invoice_dictionary_v1.inc
};

class StoredCompressor {
 public:
  explicit StoredCompressor(StoredDictionary dictionary);
  ~StoredCompressor();
  StoredCompressor(const StoredCompressor&) = delete;
  StoredCompressor& operator=(const StoredCompressor&) = delete;

  // The most bytes Compress writes for `text_bytes` of JSON.
  static size_t Bound(size_t text_bytes);
  // Writes the stored form of `text` at `out` (room for Bound(text.size()))
  // and returns its size. REQUIRES: 0 < text.size() <= kCanonicalLineBytesMax.
  size_t Compress(std::string_view text, char* out);
  // The same, into *out (replacing what it held).
  void Compress(std::string_view text, std::string* out);

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

class StoredDecoder {
 public:
  StoredDecoder();
  ~StoredDecoder();
  StoredDecoder(const StoredDecoder&) = delete;
  StoredDecoder& operator=(const StoredDecoder&) = delete;

  // The JSON of a stored value: `stored` itself when plain, else
  // decompressed into this decoder (valid until the next call).
  // Errors: kTampered when the stored value is neither form.
  Result<std::string_view> Decode(std::string_view stored) { return Decode(stored, &text_); }
  // The same, decompressing into *into (which the view then points into).
  Result<std::string_view> Decode(std::string_view stored, std::string* into);

 private:
  struct Context;
  std::unique_ptr<Context> context_;
  std::string text_;
};

}  // namespace rf

#endif  // RINGFENCE_LEDGER_STORAGE_STORED_FORM_H_
