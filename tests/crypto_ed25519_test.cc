#include <catch2/catch.hpp>

#include <string>

#include "crypto/ed25519.h"

TEST_CASE("an Ed25519 signature verifies with its key and fails with any change") {
  auto key = rf::crypto::SigningKey::Generate();
  REQUIRE(key.ok());
  const std::string message = "ringfence checkpoint";
  const rf::crypto::Signature signature = key->Sign(message);
  CHECK(rf::crypto::VerifySignature(key->public_key(), message, signature));
  CHECK(key->Sign(message) == signature);  // RFC 8032 signatures are deterministic
  CHECK_FALSE(rf::crypto::VerifySignature(key->public_key(), message + ".", signature));
  rf::crypto::Signature flipped = signature;
  flipped[10] ^= 0x04;
  CHECK_FALSE(rf::crypto::VerifySignature(key->public_key(), message, flipped));
  auto other = rf::crypto::SigningKey::Generate();
  REQUIRE(other.ok());
  CHECK(other->public_key() != key->public_key());
  CHECK_FALSE(rf::crypto::VerifySignature(other->public_key(), message, signature));
}

TEST_CASE("RFC 8032 test 1: the seed gives the published public key and signature") {
  // RFC 8032 section 7.1, TEST 1 (empty message).
  const rf::crypto::PrivateSeed seed = {0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a,
                                        0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32,
                                        0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60};
  const rf::crypto::PublicKey expected_public = {0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe,
                                                 0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6,
                                                 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a};
  auto key = rf::crypto::SigningKey::FromSeed(seed);
  REQUIRE(key.ok());
  CHECK(key->public_key() == expected_public);
  const rf::crypto::Signature signature = key->Sign("");
  const std::string expected_signature_hex =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe2"
      "4655141438e7a100b";
  std::string signature_hex;
  for (uint8_t byte : signature) signature_hex += "0123456789abcdef"[byte >> 4], signature_hex += "0123456789abcdef"[byte & 15];
  CHECK(signature_hex == expected_signature_hex);
  CHECK(rf::crypto::VerifySignature(expected_public, "", signature));
}

TEST_CASE("a signing key survives a PKCS#8 PEM round trip") {
  auto key = rf::crypto::SigningKey::Generate();
  REQUIRE(key.ok());
  const std::string pem = key->ToPem();
  CHECK(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
  auto restored = rf::crypto::SigningKey::FromPem(pem);
  REQUIRE(restored.ok());
  CHECK(restored->public_key() == key->public_key());
  CHECK(restored->Sign("x") == key->Sign("x"));
  // Moving keeps the one secret in one owner.
  rf::crypto::SigningKey moved = std::move(*restored);
  CHECK(moved.public_key() == key->public_key());
}

TEST_CASE("a public key survives a SubjectPublicKeyInfo PEM round trip") {
  auto key = rf::crypto::SigningKey::Generate();
  REQUIRE(key.ok());
  const std::string pem = rf::crypto::PublicKeyPem(key->public_key());
  CHECK(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
  CHECK(rf::crypto::PublicKeyFromPem(pem) == key->public_key());
}

TEST_CASE("PEM text that is not one Ed25519 key is refused") {
  auto key = rf::crypto::SigningKey::Generate();
  REQUIRE(key.ok());
  const std::string private_pem = key->ToPem();
  const std::string public_pem = rf::crypto::PublicKeyPem(key->public_key());
  CHECK_FALSE(rf::crypto::PublicKeyFromPem(private_pem).has_value());
  CHECK(rf::crypto::SigningKey::FromPem(public_pem).status().code() == rf::Status::Code::kInvalidInput);
  CHECK_FALSE(rf::crypto::PublicKeyFromPem("").has_value());
  CHECK_FALSE(rf::crypto::SigningKey::FromPem("not a key").ok());
  std::string damaged = public_pem;
  damaged[30] = damaged[30] == 'A' ? 'B' : 'A';
  CHECK(rf::crypto::PublicKeyFromPem(damaged) != key->public_key());
  // An RSA-sized or P-256 key is not an Ed25519 key (openssl genpkey -algorithm EC -pkeyopt
  // ec_paramgen_curve:P-256, public half).
  const std::string p256_pem =
      "-----BEGIN PUBLIC KEY-----\n"
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwr\n"
      "kBbmLaGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==\n"
      "-----END PUBLIC KEY-----\n";
  CHECK_FALSE(rf::crypto::PublicKeyFromPem(p256_pem).has_value());
}
