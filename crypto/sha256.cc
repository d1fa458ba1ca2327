#include "crypto/sha256.h"

#include <openssl/evp.h>

#include <cassert>
#include <cstdlib>

namespace rf::crypto {
namespace {

// Fetched once: EVP_sha256() would repeat a provider look-up on every init.
// Never freed; it lives as long as the process.
const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    // No SHA-256 in the default provider means a broken OpenSSL install, not
    // bad input; nothing sensible can follow.
    if (fetched == nullptr) std::abort();
    return fetched;
  }();
  return md;
}

// One context per thread, reused by every hash on that thread.
class ThreadContext {
 public:
  ThreadContext() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) std::abort();
  }
  ~ThreadContext() { EVP_MD_CTX_free(ctx_); }
  ThreadContext(const ThreadContext&) = delete;
  ThreadContext& operator=(const ThreadContext&) = delete;
  EVP_MD_CTX* get() const { return ctx_; }

 private:
  EVP_MD_CTX* ctx_;
};

// Hashes the concatenation of up to three byte ranges without building it.
Hash HashParts(std::string_view a, std::string_view b, std::string_view c) {
  thread_local ThreadContext context;
  EVP_MD_CTX* ctx = context.get();
  // Failures below are allocation or provider failures, never input errors.
  if (EVP_DigestInit_ex2(ctx, Sha256Md(), nullptr) != 1) std::abort();
  if (!a.empty() && EVP_DigestUpdate(ctx, a.data(), a.size()) != 1) std::abort();
  if (!b.empty() && EVP_DigestUpdate(ctx, b.data(), b.size()) != 1) std::abort();
  if (!c.empty() && EVP_DigestUpdate(ctx, c.data(), c.size()) != 1) std::abort();
  Hash out;
  unsigned int out_bytes = 0;
  if (EVP_DigestFinal_ex(ctx, out.data(), &out_bytes) != 1) std::abort();
  assert(out_bytes == out.size());
  return out;
}

std::string_view Bytes(const Hash& hash) {
  return std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size());
}

constexpr char kLeafPrefix[1] = {'\x00'};
constexpr char kNodePrefix[1] = {'\x01'};

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // Upper case is refused on purpose: one spelling per hash.
}

}  // namespace

Hash Sha256(std::string_view data) { return HashParts(data, {}, {}); }

Hash LeafHash(std::string_view leaf) { return HashParts(std::string_view(kLeafPrefix, 1), leaf, {}); }

Hash NodeHash(const Hash& left, const Hash& right) {
  return HashParts(std::string_view(kNodePrefix, 1), Bytes(left), Bytes(right));
}

std::string ToHex(const Hash& hash) {
  std::string hex(hash.size() * 2, '0');
  ToHexAt(hash, hex.data());
  assert(hex.size() == 64);
  return hex;
}

void ToHexAt(const Hash& hash, char* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (const uint8_t byte : hash) {
    *out++ = kDigits[byte >> 4];
    *out++ = kDigits[byte & 0x0f];
  }
}

std::optional<Hash> HashFromHex(std::string_view hex) {
  Hash hash;
  if (hex.size() != hash.size() * 2) return std::nullopt;
  for (size_t i = 0; i < hash.size(); ++i) {
    const int high = HexDigitValue(hex[2 * i]);
    const int low = HexDigitValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    hash[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return hash;
}

}  // namespace rf::crypto
