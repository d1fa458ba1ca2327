#ifndef RINGFENCE_CRYPTO_SHA256_H_
#define RINGFENCE_CRYPTO_SHA256_H_

// SHA-256 and the RFC 6962 / RFC 9162 §2.1 domain-separated Merkle hashes.
//
// Cost sketch: verifying a journal hashes every ~300-byte line once (leaf) and
// folds it into the tree (about one node hash per leaf, amortised), so the
// verify target of 1M entries/s is ~2M short hashes/s. With SHA-NI a 300-byte
// hash is about 0.3 us; what would dominate is per-call overhead (provider
// look-ups, context set-up). So the EVP_MD is fetched once per process and
// each thread reuses one EVP_MD_CTX, re-initialised per hash. On OpenSSL 3.0
// that re-initialisation still frees and re-allocates the provider's ~100-byte
// SHA-256 state (one malloc/free pair per hash, measured); later OpenSSL
// releases reuse it. Nothing else here allocates.

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
