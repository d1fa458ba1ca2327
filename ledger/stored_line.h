#ifndef RINGFENCE_LEDGER_STORED_LINE_H_
#define RINGFENCE_LEDGER_STORED_LINE_H_

// The stored form of a journal line. A line is hashed, chained, proved and
// exported as its canonical bytes; LMDB holds it compressed, because a
// file's load is one write transaction whose every page LMDB keeps in memory
// until commit, and a ~480-byte invoice line compresses to ~115 bytes.
//
//   stored = 0x01 <zstd frame>  dictionary version 1 (stored_line_dictionary_v1.inc),
//                               magicless, content size in the frame header,
//                               no checksum (the line's hash is the check)
//          | '{' ...            the canonical line itself (ledgers written
//                               before compression; still read)
//
// A damaged stored value either fails to decompress (Tampered) or yields
// other bytes, which the chain and the tree then refuse.
//
// Thread safety: one LineCompressor or LineDecoder per thread; the
// dictionaries behind them are shared and read-only.

#include <memory>
#include <string>
#include <string_view>

#include "ledger/status.h"

namespace rf {

inline constexpr char kStoredLineZstdV1 = 0x01;

class LineCompressor {
 public:
  LineCompressor();
  ~LineCompressor();
  LineCompressor(const LineCompressor&) = delete;
  LineCompressor& operator=(const LineCompressor&) = delete;

  // The most bytes Compress writes for a line of `line_bytes`.
  static size_t Bound(size_t line_bytes);
  // Writes the stored form of `line` at `out` (room for Bound(line.size()))
  // and returns its size.
  size_t Compress(std::string_view line, char* out);

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

class LineDecoder {
 public:
  LineDecoder();
  ~LineDecoder();
  LineDecoder(const LineDecoder&) = delete;
  LineDecoder& operator=(const LineDecoder&) = delete;

  // The canonical line of a stored value: `stored` itself when plain, else
  // decompressed into this decoder (valid until the next call).
  // Errors: kTampered when the stored value is neither form.
  Result<std::string_view> Decode(std::string_view stored) { return Decode(stored, &line_); }
  // The same, decompressing into *into (which the view then points into).
  Result<std::string_view> Decode(std::string_view stored, std::string* into);

 private:
  struct Context;
  std::unique_ptr<Context> context_;
  std::string line_;
};

}  // namespace rf

#endif  // RINGFENCE_LEDGER_STORED_LINE_H_
