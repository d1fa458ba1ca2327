#ifndef RINGFENCE_CRYPTO_ED25519_H_
#define RINGFENCE_CRYPTO_ED25519_H_

// Ed25519 (RFC 8032) keys and signatures through OpenSSL's EVP interface.
// Keys travel as PEM: private keys as PKCS#8, public keys as
// SubjectPublicKeyInfo, so `openssl pkey` can read what we write.

#include <openssl/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace rf::crypto {

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;
using PrivateSeed = std::array<uint8_t, 32>;

// A private key. Move-only; a moved-from key may only be destroyed or
// assigned to.
class SigningKey {
 public:
  static rf::Result<SigningKey> Generate();
  // A PKCS#8 "BEGIN PRIVATE KEY" PEM holding an Ed25519 key; any other key
  // type is InvalidInput.
  static rf::Result<SigningKey> FromPem(std::string_view pkcs8_pem);
  // The 32-byte RFC 8032 private key (the "seed").
  static rf::Result<SigningKey> FromSeed(const PrivateSeed& seed);

  SigningKey(SigningKey&& other) noexcept;
  SigningKey& operator=(SigningKey&& other) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  // PKCS#8 "BEGIN PRIVATE KEY" PEM.
  std::string ToPem() const;
  PublicKey public_key() const;
  // Deterministic (RFC 8032): the same key and message give the same bytes.
  Signature Sign(std::string_view message) const;

 private:
  explicit SigningKey(EVP_PKEY* pkey);
  EVP_PKEY* pkey_;  // Owned; never null except after a move.
};

bool VerifySignature(const PublicKey& key, std::string_view message, const Signature& signature);

// SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
std::string PublicKeyPem(const PublicKey& key);

// nullopt unless `pem` is one SubjectPublicKeyInfo PEM of an Ed25519 key.
std::optional<PublicKey> PublicKeyFromPem(std::string_view pem);

}  // namespace rf::crypto

#endif  // RINGFENCE_CRYPTO_ED25519_H_
