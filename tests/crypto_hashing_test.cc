// SHA-256, the RFC 6962 leaf/node hashes, hex and strict base64.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "crypto/base64.h"
#include "crypto/sha256.h"

using rf::crypto::Base64Decode;
using rf::crypto::Base64Encode;
using rf::crypto::Hash;
using rf::crypto::HashFromBase64;
using rf::crypto::HashFromHex;
using rf::crypto::ToHex;

TEST_CASE("SHA-256 of the FIPS 180-2 messages, one million a's included, is as published") {
  CHECK(ToHex(rf::crypto::Sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(ToHex(rf::crypto::Sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(ToHex(rf::crypto::Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(ToHex(rf::crypto::Sha256(std::string(1000000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("the 0x00 leaf and 0x01 node prefixes give the published RFC 6962 hashes") {
  // Values from transparency-dev/merkle testonly/constants.go (NodeHashes).
  CHECK(ToHex(rf::crypto::LeafHash("")) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  CHECK(ToHex(rf::crypto::LeafHash(std::string(1, '\0'))) ==
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
  CHECK(ToHex(rf::crypto::NodeHash(rf::crypto::LeafHash(""), rf::crypto::LeafHash(std::string(1, '\0')))) ==
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
  CHECK(rf::crypto::LeafHash("x") == rf::crypto::Sha256(std::string("\0x", 2)));
}

TEST_CASE("four threads hashing at once each get the right answer") {
  const Hash expected = rf::crypto::Sha256("ringfence");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) mismatches[t] += rf::crypto::Sha256("ringfence") != expected;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : mismatches) CHECK(count == 0);
}

TEST_CASE("a hash has exactly one hex spelling, lowercase and 64 characters") {
  const Hash hash = rf::crypto::Sha256("abc");
  const std::string hex = ToHex(hash);
  REQUIRE(HashFromHex(hex).has_value());
  CHECK(*HashFromHex(hex) == hash);
  std::string upper = hex;
  upper[0] = 'B';
  CHECK_FALSE(HashFromHex(upper).has_value());
  CHECK_FALSE(HashFromHex(hex.substr(1)).has_value());
  CHECK_FALSE(HashFromHex(hex + "0").has_value());
  CHECK_FALSE(HashFromHex(hex.substr(0, 63) + "g").has_value());
  CHECK_FALSE(HashFromHex(" " + hex.substr(1)).has_value());
  CHECK_FALSE(HashFromHex("").has_value());
}

TEST_CASE("base64 matches the RFC 4648 test vectors both ways") {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [bytes, text] : vectors) {
    CHECK(Base64Encode(bytes) == text);
    REQUIRE(Base64Decode(text).has_value());
    CHECK(*Base64Decode(text) == bytes);
  }
}

TEST_CASE("base64 round-trips every byte value and length") {
  std::string bytes;
  for (int length = 0; length < 300; ++length) {
    REQUIRE(Base64Decode(Base64Encode(bytes)) == bytes);
    bytes.push_back(static_cast<char>(length * 151 + 7));
  }
}

TEST_CASE("base64 decoding refuses every second spelling") {
  const char* refused[] = {
      "Zg",        // padding missing
      "Zg=",       // padding short
      "Zh==",      // non-zero unused bits (same byte as Zg==)
      "Zm9=",      // non-zero unused bits (same bytes as Zm8=)
      "Zm9v\n",    // whitespace
      " Zm9v",     // whitespace
      "Zm9 v",     // whitespace
      "Zm-v",      // URL-safe alphabet
      "Zm_v",      // URL-safe alphabet
      "Zg==Zg==",  // padding in the middle
      "=Zg=",      // padding first
      "Z===",      // three padding characters
      "====",      // nothing but padding
      "Zm9vY",     // length not a multiple of 4
  };
  for (const char* text : refused) {
    INFO(text);
    CHECK_FALSE(Base64Decode(text).has_value());
  }
}

TEST_CASE("a base64 hash must decode to exactly 32 bytes") {
  const Hash hash = rf::crypto::Sha256("abc");
  const std::string text = Base64Encode(std::string(reinterpret_cast<const char*>(hash.data()), hash.size()));
  REQUIRE(HashFromBase64(text).has_value());
  CHECK(*HashFromBase64(text) == hash);
  CHECK_FALSE(HashFromBase64(Base64Encode(std::string(31, 'a'))).has_value());
  CHECK_FALSE(HashFromBase64(Base64Encode(std::string(33, 'a'))).has_value());
  CHECK_FALSE(HashFromBase64("").has_value());
}
