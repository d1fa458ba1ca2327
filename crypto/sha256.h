#ifndef RINGFENCE_CRYPTO_SHA256_H_
#define RINGFENCE_CRYPTO_SHA256_H_

// SHA-256 and the RFC 6962 / RFC 9162 §2.1 domain-separated Merkle hashes.
//
// Verifying a journal hashes every line once (leaf) and folds it into the
// tree (about one node hash per leaf, amortised), so these are called
// millions of times and per-call overhead matters: the EVP_MD is fetched
// once per process and each thread reuses one EVP_MD_CTX, re-initialised per
// hash. Thread-safe; nothing here allocates beyond what OpenSSL does inside
// a re-initialisation. Figures: bench/README.md.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rf::crypto {

using Hash = std::array<uint8_t, 32>;

Hash Sha256(std::string_view data);

// SHA-256(0x00 || leaf): the RFC 6962 leaf hash.
Hash LeafHash(std::string_view leaf);

// SHA-256(0x01 || left || right): the RFC 6962 interior node hash.
Hash NodeHash(const Hash& left, const Hash& right);

// 64 lowercase hex characters.
std::string ToHex(const Hash& hash);
// The same written at `out`, which has room for 64 bytes.
void ToHexAt(const Hash& hash, char* out);

// Accepts exactly 64 lowercase hex characters; anything else is nullopt, so a
// hash has one spelling and text comparisons of hashes are sound.
std::optional<Hash> HashFromHex(std::string_view hex);

}  // namespace rf::crypto

#endif  // RINGFENCE_CRYPTO_SHA256_H_
