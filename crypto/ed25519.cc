#include "crypto/ed25519.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cassert>
#include <climits>
#include <cstdlib>
#include <memory>

namespace rf::crypto {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// PEM inputs are key files, a few hundred bytes; the bound keeps the int
// length OpenSSL wants honest.
constexpr size_t kPemBytesMax = 64 * 1024;

BioPtr ReadOnlyBio(std::string_view text) {
  assert(text.size() <= kPemBytesMax);
  // BIO_new_mem_buf refuses a null buffer, which an empty string_view may
  // hold; the callers treat a null BIO as out of memory and abort.
  static constexpr char kEmpty[1] = {};
  return BioPtr(BIO_new_mem_buf(text.data() != nullptr ? text.data() : kEmpty, static_cast<int>(text.size())));
}

std::string DrainBio(BIO* bio) {
  char* data = nullptr;
  const long size_bytes = BIO_get_mem_data(bio, &data);
  assert(size_bytes > 0 && data != nullptr);
  return std::string(data, static_cast<size_t>(size_bytes));
}

bool IsEd25519(const EVP_PKEY* pkey) { return EVP_PKEY_is_a(pkey, "ED25519") == 1; }

// Discards OpenSSL's thread error queue after an expected failure (bad PEM),
// so the next caller does not read a stale error.
void ClearOpenSslErrors() { ERR_clear_error(); }

}  // namespace

SigningKey::SigningKey(EVP_PKEY* pkey) : pkey_(pkey) {
  assert(pkey_ != nullptr);
  assert(IsEd25519(pkey_));
}

SigningKey::SigningKey(SigningKey&& other) noexcept : pkey_(other.pkey_) { other.pkey_ = nullptr; }

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(pkey_);
    pkey_ = other.pkey_;
    other.pkey_ = nullptr;
  }
  return *this;
}

SigningKey::~SigningKey() { EVP_PKEY_free(pkey_); }

rf::Result<SigningKey> SigningKey::Generate() {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (pkey == nullptr) {
    ClearOpenSslErrors();
    return rf::Status::Io("OpenSSL could not generate an Ed25519 key");
  }
  return SigningKey(pkey);
}

rf::Result<SigningKey> SigningKey::FromPem(std::string_view pkcs8_pem) {
  if (pkcs8_pem.size() > kPemBytesMax) return rf::Status::InvalidInput("the private key PEM is too large");
  BioPtr bio = ReadOnlyBio(pkcs8_pem);
  if (bio == nullptr) std::abort();
  // A null password callback with empty user data refuses encrypted keys
  // instead of prompting on the terminal.
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>("")));
  if (pkey == nullptr) {
    ClearOpenSslErrors();
    return rf::Status::InvalidInput("the private key is not a readable unencrypted PKCS#8 PEM");
  }
  if (!IsEd25519(pkey.get())) return rf::Status::InvalidInput("the private key is not an Ed25519 key");
  return SigningKey(pkey.release());
}

rf::Result<SigningKey> SigningKey::FromSeed(const PrivateSeed& seed) {
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr, seed.data(), seed.size());
  if (pkey == nullptr) {
    ClearOpenSslErrors();
    return rf::Status::InvalidInput("the Ed25519 private key bytes were refused");
  }
  return SigningKey(pkey);
}

std::string SigningKey::ToPem() const {
  assert(pkey_ != nullptr);
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr) std::abort();
  if (PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey_, nullptr, nullptr, 0, nullptr, nullptr) != 1) std::abort();
  std::string pem = DrainBio(bio.get());
  assert(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
  return pem;
}

PublicKey SigningKey::public_key() const {
  assert(pkey_ != nullptr);
  PublicKey key;
  size_t key_bytes = key.size();
  if (EVP_PKEY_get_raw_public_key(pkey_, key.data(), &key_bytes) != 1) std::abort();
  assert(key_bytes == key.size());
  return key;
}

Signature SigningKey::Sign(std::string_view message) const {
  assert(pkey_ != nullptr);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) std::abort();
  // Ed25519 hashes internally: no digest is named.
  if (EVP_DigestSignInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, pkey_, nullptr) != 1) std::abort();
  Signature signature;
  size_t signature_bytes = signature.size();
  if (EVP_DigestSign(ctx.get(), signature.data(), &signature_bytes, reinterpret_cast<const uint8_t*>(message.data()),
                     message.size()) != 1) {
    std::abort();
  }
  assert(signature_bytes == signature.size());
  return signature;
}

bool VerifySignature(const PublicKey& key, std::string_view message, const Signature& signature) {
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, key.data(), key.size()));
  if (pkey == nullptr) {
    ClearOpenSslErrors();
    return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) std::abort();
  if (EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, pkey.get(), nullptr) != 1) {
    ClearOpenSslErrors();
    return false;
  }
  const int verified = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                        reinterpret_cast<const uint8_t*>(message.data()), message.size());
  if (verified != 1) ClearOpenSslErrors();
  return verified == 1;
}

std::string PublicKeyPem(const PublicKey& key) {
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, key.data(), key.size()));
  if (pkey == nullptr) std::abort();
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr) std::abort();
  if (PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1) std::abort();
  std::string pem = DrainBio(bio.get());
  assert(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
  return pem;
}

std::optional<PublicKey> PublicKeyFromPem(std::string_view pem) {
  if (pem.size() > kPemBytesMax) return std::nullopt;
  BioPtr bio = ReadOnlyBio(pem);
  if (bio == nullptr) std::abort();
  PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (pkey == nullptr) {
    ClearOpenSslErrors();
    return std::nullopt;
  }
  if (!IsEd25519(pkey.get())) return std::nullopt;
  PublicKey key;
  size_t key_bytes = key.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), key.data(), &key_bytes) != 1 || key_bytes != key.size()) {
    ClearOpenSslErrors();
    return std::nullopt;
  }
  return key;
}

}  // namespace rf::crypto
