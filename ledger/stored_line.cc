#include "ledger/stored_line.h"

#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_c_format / ZSTD_d_format (magicless frames)
#include <zstd.h>

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "ledger/canonical_json.h"

namespace rf {
namespace {

constexpr char kDictionaryV1[] =
#include "ledger/stored_line_dictionary_v1.inc"
    ;

// Level 1: ~0.8 µs a line on the line builder's thread; higher levels save
// a few bytes a line for twice the time.
constexpr int kLevel = 1;

[[noreturn]] void OutOfMemory(const char* what) {
  // zstd allocates only here, at start-up sizes; no ledger state is touched.
  std::fprintf(stderr, "ringfence: out of memory creating the %s\n", what);
  std::abort();
}

const ZSTD_CDict* CompressDictionary() {
  static const ZSTD_CDict* const dict = [] {
    ZSTD_CDict* d = ZSTD_createCDict(kDictionaryV1, sizeof kDictionaryV1 - 1, kLevel);
    if (d == nullptr) OutOfMemory("line compression dictionary");
    return d;
  }();
  return dict;
}

const ZSTD_DDict* DecompressDictionary() {
  static const ZSTD_DDict* const dict = [] {
    ZSTD_DDict* d = ZSTD_createDDict(kDictionaryV1, sizeof kDictionaryV1 - 1);
    if (d == nullptr) OutOfMemory("line decompression dictionary");
    return d;
  }();
  return dict;
}

}  // namespace

struct LineCompressor::Context {
  ZSTD_CCtx* cctx = nullptr;
  ~Context() { ZSTD_freeCCtx(cctx); }
};

LineCompressor::LineCompressor() : context_(std::make_unique<Context>()) {
  context_->cctx = ZSTD_createCCtx();
  if (context_->cctx == nullptr) OutOfMemory("line compressor");
  ZSTD_CCtx* c = context_->cctx;
  ZSTD_CCtx_setParameter(c, ZSTD_c_format, ZSTD_f_zstd1_magicless);
  ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 1);
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 0);
  ZSTD_CCtx_setParameter(c, ZSTD_c_dictIDFlag, 0);
  ZSTD_CCtx_refCDict(c, CompressDictionary());
}

LineCompressor::~LineCompressor() = default;

size_t LineCompressor::Bound(size_t line_bytes) { return 1 + ZSTD_compressBound(line_bytes); }

size_t LineCompressor::Compress(std::string_view line, char* out) {
  assert(!line.empty() && line.size() <= kCanonicalLineBytesMax);
  out[0] = kStoredLineZstdV1;
  const size_t written = ZSTD_compress2(context_->cctx, out + 1, Bound(line.size()) - 1, line.data(), line.size());
  // With room for the bound, compression fails only on a bug (a bad parameter).
  assert(!ZSTD_isError(written));
  if (ZSTD_isError(written)) std::abort();
  return 1 + written;
}

struct LineDecoder::Context {
  ZSTD_DCtx* dctx = nullptr;
  ~Context() { ZSTD_freeDCtx(dctx); }
};

LineDecoder::LineDecoder() : context_(std::make_unique<Context>()) {
  context_->dctx = ZSTD_createDCtx();
  if (context_->dctx == nullptr) OutOfMemory("line decompressor");
  ZSTD_DCtx_setParameter(context_->dctx, ZSTD_d_format, ZSTD_f_zstd1_magicless);
  ZSTD_DCtx_refDDict(context_->dctx, DecompressDictionary());
}

LineDecoder::~LineDecoder() = default;

Result<std::string_view> LineDecoder::Decode(std::string_view stored, std::string* into) {
  if (!stored.empty() && stored.front() == '{') return stored;
  if (stored.size() < 2 || stored.front() != kStoredLineZstdV1) {
    return Status::Tampered("a stored line is neither a JSON line nor a compressed one");
  }
  const std::string_view frame = stored.substr(1);
  // Magicless frames: the header is read with the format given.
  ZSTD_frameHeader header;
  if (ZSTD_getFrameHeader_advanced(&header, frame.data(), frame.size(), ZSTD_f_zstd1_magicless) != 0 ||
      header.frameContentSize == ZSTD_CONTENTSIZE_UNKNOWN || header.frameContentSize == 0 ||
      header.frameContentSize > kCanonicalLineBytesMax) {
    return Status::Tampered("a stored line's compressed frame is damaged");
  }
  into->resize(header.frameContentSize);
  const size_t got = ZSTD_decompressDCtx(context_->dctx, into->data(), into->size(), frame.data(), frame.size());
  if (ZSTD_isError(got) || got != into->size()) {
    return Status::Tampered(std::string("a stored line does not decompress: ") +
                            (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "its size is not the frame's"));
  }
  return std::string_view(*into);
}

}  // namespace rf
