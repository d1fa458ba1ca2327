#ifndef RINGFENCE_LEDGER_CORE_STORED_RECORD_H_
#define RINGFENCE_LEDGER_CORE_STORED_RECORD_H_

// The flat form of an invoice record (stored_form.h, byte 0x03): a load
// writes one record per row, so the form must be cheaper than a zstd frame
// (why it exists, with figures: bench/README.md, "invoice records stored
// flat"). An invoice record is a flat object of a few known members whose
// values are dates, amounts, small integers, ids and a state; it is written
// member by member in the compact binary form below and reads back as
// exactly the canonical text it was made from.
//
//   flat   = 0x03 member+                      members in the text's order
//   member = tag value                         tag = name index | type << 5
//   name   = index into kFlatRecordNames (below; never reordered or changed)
//   type 0 text    varint length, the bytes between the quotes
//        1 date    3 bytes big-endian: year << 9 | month << 5 | day
//        2 amount  varint of the zigzagged pence ("-12.30" -> -1230)
//        3 count   varint (a JSON integer)
//        4 word    one byte, index into kFlatRecordWords
//
// Bijective: a value is given a type only when that type's text is the
// very text found (a date is any "dddd-dd-dd" with month <= 15 and day
// <= 31; an amount has no leading zero, exactly two decimals and is not
// "-0.00"; a count has no leading zero and at most 16 digits; text holds no
// '"', '\' or control byte, so its bytes between the quotes are the JSON
// string). A record that is not such an object (a member not in the table,
// a nested value, an escape) has no flat form and is stored with zstd.
//
// Pure: no I/O, no state.

#include <cstddef>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace rf {

inline constexpr char kFlatRecordByte = 0x03;

// Writes the flat form of `canonical` (a JSON object in the form
// Canonicalize gives) at `out` and returns its size, or 0 when it has none.
// REQUIRES: `out` has room for FlatRecordBytesMax(canonical.size()).
size_t EncodeFlatRecord(std::string_view canonical, char* out);
// The most bytes EncodeFlatRecord writes for `text_bytes` of JSON: never
// more than the text and its first byte.
inline constexpr size_t FlatRecordBytesMax(size_t text_bytes) { return text_bytes + 1; }

// The canonical text of a flat form, into *out (replacing what it held).
// Errors: kTampered when `stored` is not a flat form this program writes.
Status DecodeFlatRecord(std::string_view stored, std::string* out);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_STORED_RECORD_H_
