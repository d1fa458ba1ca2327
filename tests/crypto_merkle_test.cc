#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "crypto/merkle.h"
#include "crypto/sha256.h"
#include "rfc6962_reference.h"

namespace {

using rf::crypto::Hash;
using rf::crypto::MemoryNodeReader;
using rf::crypto::MerkleAppender;

// Published RFC 6962 proofs and a large real tree. The vector files, the
// reference roots and the exhaustive small-tree checks live in
// crypto_tree_test.cc.

std::vector<Hash> LeafHashes(uint64_t count) {
  std::vector<Hash> leaves;
  for (uint64_t i = 0; i < count; i++) leaves.push_back(rf::crypto::LeafHash("leaf " + std::to_string(i)));
  return leaves;
}

}  // namespace









TEST_CASE("the RFC 6962 reference tree gives the published proofs") {
  // transparency-dev/merkle proof/verify_test.go (commit 417fb0c3...):
  // inclusion of leaf 0 in the tree of 8 and consistency from 6 to 8.
  std::vector<Hash> leaves;
  for (const auto& leaf : rf::test::Rfc6962ReferenceLeaves()) leaves.push_back(rf::crypto::LeafHash(leaf));
  MemoryNodeReader reader(leaves);
  auto inclusion = rf::crypto::InclusionProof(reader, 0, 8);
  REQUIRE(inclusion.ok());
  REQUIRE(inclusion->size() == 3);
  CHECK(rf::crypto::ToHex((*inclusion)[0]) == "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
  CHECK(rf::crypto::ToHex((*inclusion)[1]) == "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
  CHECK(rf::crypto::ToHex((*inclusion)[2]) == "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
  auto consistency = rf::crypto::ConsistencyProof(reader, 6, 8);
  REQUIRE(consistency.ok());
  REQUIRE(consistency->size() == 3);
  CHECK(rf::crypto::ToHex((*consistency)[0]) == "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a");
  CHECK(rf::crypto::ToHex((*consistency)[1]) == "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
  CHECK(rf::crypto::ToHex((*consistency)[2]) == "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
}













TEST_CASE("proofs from a real tree of 100,003 entries verify against its root") {
  // All levels precomputed bottom-up (~6 MB), counting reads like storage.
  constexpr uint64_t kSize = 100'003;
  std::vector<std::vector<Hash>> levels = {LeafHashes(kSize)};
  while (levels.back().size() >= 2) {
    const std::vector<Hash>& below = levels.back();
    std::vector<Hash> above;
    for (size_t i = 0; i + 1 < below.size(); i += 2) above.push_back(rf::crypto::NodeHash(below[i], below[i + 1]));
    levels.push_back(std::move(above));
  }
  struct PrecomputedReader : rf::crypto::NodeReader {
    const std::vector<std::vector<Hash>>* levels = nullptr;
    int reads = 0;
    rf::Result<Hash> PerfectNode(uint32_t level, uint64_t index) override {
      reads++;
      REQUIRE(level < levels->size());
      REQUIRE(index < (*levels)[level].size());
      return (*levels)[level][index];
    }
  } reader;
  reader.levels = &levels;
  MerkleAppender appender;
  for (const Hash& leaf : levels[0]) appender.Append(leaf, [](uint32_t, uint64_t, const Hash&) {});
  auto root = rf::crypto::RootAt(reader, kSize);
  REQUIRE(root.ok());
  CHECK(*root == appender.Root());
  for (uint64_t index : {uint64_t{0}, uint64_t{65'535}, uint64_t{65'536}, uint64_t{99'999}, uint64_t{100'002}}) {
    INFO("index " << index);
    reader.reads = 0;
    auto proof = rf::crypto::InclusionProof(reader, index, kSize);
    REQUIRE(proof.ok());
    CHECK(reader.reads <= 2 * 64);
    CHECK(rf::crypto::VerifyInclusion(levels[0][index], index, kSize, *proof, *root).ok());
  }
  for (uint64_t first : {uint64_t{1}, uint64_t{7}, uint64_t{65'536}, uint64_t{77'777}, uint64_t{100'002}}) {
    INFO("first " << first);
    auto first_root = rf::crypto::RootAt(reader, first);
    reader.reads = 0;
    auto proof = rf::crypto::ConsistencyProof(reader, first, kSize);
    REQUIRE(proof.ok());
    CHECK(reader.reads <= 2 * 64);
    CHECK(rf::crypto::VerifyConsistency(first, kSize, *first_root, *root, *proof).ok());
  }
}
