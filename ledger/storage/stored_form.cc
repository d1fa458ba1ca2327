#include "ledger/storage/stored_form.h"

#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_c_format / ZSTD_d_format (magicless frames)
#include <zstd.h>

#include <cassert>
#include <cstdio>
#include <cstdlib>

#include "ledger/core/canonical_json.h"
#include "ledger/core/stored_record.h"

namespace rf {
namespace {

// Trained dictionaries (with entropy tables): ~0.9 µs to compress a line
// and ~0.3 µs to decompress one (bench/README.md); a raw-content
// dictionary took 3.4 and 1.3 (at level 1).
constexpr unsigned char kLineDictionaryV1[] =
#include "ledger/storage/stored_form_line_dictionary_v1.inc"
    ;
constexpr unsigned char kInvoiceDictionaryV1[] =
#include "ledger/storage/stored_form_invoice_dictionary_v1.inc"
    ;

// Compression levels, a compressor-only choice (frames decode whatever the
// level). A line at -3 compresses in ~0.92 µs against ~1.2 at level 1 and
// decodes in ~0.29 against ~0.42 (BM_StoredLine*), for ~26 more bytes
// (bench lines) to ~52 (real lines, whose prev is random); a 1,000,000-row
// invoices load runs 4-12% faster on two cores, for 52 MB more on disk and
// 55 MiB more peak memory (426 MiB, under issue 5's 512). Higher levels save
// a few bytes for twice the time. Records without a flat form
// (stored_record.h) are rare: level 1.
constexpr int kLineLevel = -3;
constexpr int kRecordLevel = 1;

[[noreturn]] void OutOfMemory(const char* what) {
  // zstd allocates only here, at start-up sizes; no ledger state is touched.
  std::fprintf(stderr, "ringfence: out of memory creating the %s\n", what);
  std::abort();
}

std::string_view DictionaryText(StoredDictionary dictionary) {
  const auto bytes = [](const unsigned char* data, size_t size) {
    return std::string_view(reinterpret_cast<const char*>(data), size);
  };
  switch (dictionary) {
    case StoredDictionary::kLineV1:
      return bytes(kLineDictionaryV1, sizeof kLineDictionaryV1);
    case StoredDictionary::kInvoiceRecordV1:
      return bytes(kInvoiceDictionaryV1, sizeof kInvoiceDictionaryV1);
  }
  assert(false && "every dictionary has a text");
  return {};
}

const ZSTD_CDict* CompressDictionary(StoredDictionary dictionary) {
  const auto make = [](StoredDictionary d) {
    const std::string_view text = DictionaryText(d);
    const int level = d == StoredDictionary::kLineV1 ? kLineLevel : kRecordLevel;
    ZSTD_CDict* dict = ZSTD_createCDict(text.data(), text.size(), level);
    if (dict == nullptr) OutOfMemory("compression dictionary");
    return dict;
  };
  static const ZSTD_CDict* const line = make(StoredDictionary::kLineV1);
  static const ZSTD_CDict* const invoice = make(StoredDictionary::kInvoiceRecordV1);
  return dictionary == StoredDictionary::kLineV1 ? line : invoice;
}

// nullptr for a byte that names no dictionary.
const ZSTD_DDict* DecompressDictionary(char byte) {
  const auto make = [](StoredDictionary d) {
    const std::string_view text = DictionaryText(d);
    ZSTD_DDict* dict = ZSTD_createDDict(text.data(), text.size());
    if (dict == nullptr) OutOfMemory("decompression dictionary");
    return dict;
  };
  switch (static_cast<StoredDictionary>(byte)) {
    case StoredDictionary::kLineV1: {
      static const ZSTD_DDict* const line = make(StoredDictionary::kLineV1);
      return line;
    }
    case StoredDictionary::kInvoiceRecordV1: {
      static const ZSTD_DDict* const invoice = make(StoredDictionary::kInvoiceRecordV1);
      return invoice;
    }
  }
  return nullptr;
}

}  // namespace

struct StoredCompressor::Context {
  ZSTD_CCtx* cctx = nullptr;
  StoredDictionary dictionary;
  ~Context() { ZSTD_freeCCtx(cctx); }
};

StoredCompressor::StoredCompressor(StoredDictionary dictionary) : context_(std::make_unique<Context>()) {
  context_->dictionary = dictionary;
  context_->cctx = ZSTD_createCCtx();
  if (context_->cctx == nullptr) OutOfMemory("compressor");
  ZSTD_CCtx* c = context_->cctx;
  ZSTD_CCtx_setParameter(c, ZSTD_c_format, ZSTD_f_zstd1_magicless);
  ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 1);
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 0);
  ZSTD_CCtx_setParameter(c, ZSTD_c_dictIDFlag, 0);
  ZSTD_CCtx_refCDict(c, CompressDictionary(dictionary));
}

StoredCompressor::~StoredCompressor() = default;

size_t StoredCompressor::Bound(size_t text_bytes) { return 1 + ZSTD_compressBound(text_bytes); }

size_t StoredCompressor::Compress(std::string_view text, char* out) {
  assert(!text.empty() && text.size() <= kCanonicalLineBytesMax);
  assert(FlatRecordBytesMax(text.size()) <= Bound(text.size()));
  if (context_->dictionary == StoredDictionary::kInvoiceRecordV1) {
    const size_t flat = EncodeFlatRecord(text, out);
    if (flat > 0) return flat;
  }
  out[0] = static_cast<char>(context_->dictionary);
  const size_t written = ZSTD_compress2(context_->cctx, out + 1, Bound(text.size()) - 1, text.data(), text.size());
  // With room for the bound, compression fails only on a bug (a bad parameter).
  assert(!ZSTD_isError(written));
  if (ZSTD_isError(written)) std::abort();
  return 1 + written;
}

void StoredCompressor::Compress(std::string_view text, std::string* out) {
  out->resize(Bound(text.size()));
  out->resize(Compress(text, out->data()));
}

struct StoredDecoder::Context {
  ZSTD_DCtx* dctx = nullptr;
  ~Context() { ZSTD_freeDCtx(dctx); }
};

StoredDecoder::StoredDecoder() : context_(std::make_unique<Context>()) {
  context_->dctx = ZSTD_createDCtx();
  if (context_->dctx == nullptr) OutOfMemory("decompressor");
  ZSTD_DCtx_setParameter(context_->dctx, ZSTD_d_format, ZSTD_f_zstd1_magicless);
}

StoredDecoder::~StoredDecoder() = default;

Result<std::string_view> StoredDecoder::Decode(std::string_view stored, std::string* into) {
  if (!stored.empty() && stored.front() == '{') return stored;
  if (!stored.empty() && stored.front() == kFlatRecordByte) {
    RF_RETURN_IF_ERROR(DecodeFlatRecord(stored, into));
    return std::string_view(*into);
  }
  const ZSTD_DDict* dictionary = stored.size() < 2 ? nullptr : DecompressDictionary(stored.front());
  if (dictionary == nullptr) return Status::Tampered("a stored value is neither JSON nor compressed JSON");
  const std::string_view frame = stored.substr(1);
  // Magicless frames: the header is read with the format given.
  ZSTD_frameHeader header;
  if (ZSTD_getFrameHeader_advanced(&header, frame.data(), frame.size(), ZSTD_f_zstd1_magicless) != 0 ||
      header.frameContentSize == ZSTD_CONTENTSIZE_UNKNOWN || header.frameContentSize == 0 ||
      header.frameContentSize > kCanonicalLineBytesMax) {
    return Status::Tampered("a stored value's compressed frame is damaged");
  }
  into->resize(header.frameContentSize);
  const size_t got =
      ZSTD_decompress_usingDDict(context_->dctx, into->data(), into->size(), frame.data(), frame.size(), dictionary);
  if (ZSTD_isError(got) || got != into->size()) {
    return Status::Tampered(std::string("a stored value does not decompress: ") +
                            (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "its size is not the frame's"));
  }
  return std::string_view(*into);
}

}  // namespace rf
