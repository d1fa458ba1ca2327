#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/base64.h"
#include "crypto/merkle.h"
#include "crypto/sha256.h"

namespace {

namespace fs = std::filesystem;
using rf::crypto::Hash;
using rf::crypto::MemoryNodeReader;
using rf::crypto::MerkleAppender;

// RFC 6962 reference tree: the 8 leaf inputs and the roots for sizes 0..8,
// from transparency-dev/merkle testonly/constants.go (LeafInputs,
// RootHashes) at commit 417fb0c314750d94e53942e9f92e79b6d35915db; the same
// values as google/certificate-transparency's merkle_tree_test.
const std::vector<std::string> kReferenceLeaves = {
    std::string(""),
    std::string("\x00", 1),
    std::string("\x10"),
    std::string("\x20\x21"),
    std::string("\x30\x31"),
    std::string("\x40\x41\x42\x43"),
    std::string("\x50\x51\x52\x53\x54\x55\x56\x57"),
    std::string("\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"),
};
const char* const kReferenceRootsHex[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

Hash FromHex(const char* hex) {
  auto hash = rf::crypto::HashFromHex(hex);
  REQUIRE(hash.has_value());
  return *hash;
}

std::vector<Hash> LeafHashes(uint64_t count) {
  std::vector<Hash> leaves;
  for (uint64_t i = 0; i < count; i++) leaves.push_back(rf::crypto::LeafHash("leaf " + std::to_string(i)));
  return leaves;
}

// A tree of any size whose node (level, index) is a fixed function of its
// position, counting reads: stands in for storage to check proofs stay
// O(log n) without building a million-leaf tree.
class CountingSyntheticReader : public rf::crypto::NodeReader {
 public:
  explicit CountingSyntheticReader(uint64_t size) : size_(size) {}
  rf::Result<Hash> PerfectNode(uint32_t level, uint64_t index) override {
    reads++;
    REQUIRE(level < 64);
    REQUIRE((size_ >> level) > index);  // only complete nodes may be asked for
    return rf::crypto::Sha256(std::to_string(level) + "/" + std::to_string(index));
  }
  int reads = 0;

 private:
  uint64_t size_;
};

// --- RFC 6962 vectors from disk -------------------------------------------

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Our API holds hashes as 32 bytes, so a leaf hash or proof element of any
// other length cannot even be expressed: that vector is refused at decoding,
// as the ledger's proof reader would refuse it. Roots are different: the
// "additional" cases use short opaque roots ("don't care 1") where only
// their equality matters, so a root that is not 32 bytes stands in as the
// SHA-256 of its bytes under a prefix no real root can collide with.
std::optional<Hash> DecodeProofHash(const nlohmann::json& value) {
  return rf::crypto::HashFromBase64(value.get<std::string>());
}
Hash DecodeRoot(const nlohmann::json& value) {
  auto bytes = rf::crypto::Base64Decode(value.get<std::string>());
  REQUIRE(bytes.has_value());
  if (bytes->size() == 32) return *rf::crypto::HashFromBase64(value.get<std::string>());
  return rf::crypto::Sha256("opaque test root:" + *bytes);
}
std::optional<std::vector<Hash>> DecodeProof(const nlohmann::json& proof) {
  std::vector<Hash> hashes;
  if (proof.is_null()) return hashes;
  for (const auto& item : proof) {
    auto hash = DecodeProofHash(item);
    if (!hash.has_value()) return std::nullopt;
    hashes.push_back(*hash);
  }
  return hashes;
}

rf::Status VerifyInclusionVector(const nlohmann::json& v) {
  auto leaf = DecodeProofHash(v["leafHash"]);
  auto proof = DecodeProof(v["proof"]);
  if (!leaf.has_value() || !proof.has_value()) return rf::Status::Tampered("a hash is not 32 bytes");
  return rf::crypto::VerifyInclusion(*leaf, v["leafIdx"].get<uint64_t>(), v["treeSize"].get<uint64_t>(), *proof,
                                     DecodeRoot(v["root"]));
}

rf::Status VerifyConsistencyVector(const nlohmann::json& v) {
  auto proof = DecodeProof(v["proof"]);
  if (!proof.has_value()) return rf::Status::Tampered("a hash is not 32 bytes");
  return rf::crypto::VerifyConsistency(v["size1"].get<uint64_t>(), v["size2"].get<uint64_t>(), DecodeRoot(v["root1"]),
                                       DecodeRoot(v["root2"]), *proof);
}

struct VectorCounts {
  int files = 0;
  int happy = 0;
  int refused = 0;
};

VectorCounts RunVectors(const fs::path& dir, rf::Status (*verify)(const nlohmann::json&)) {
  VectorCounts counts;
  REQUIRE(fs::is_directory(dir));
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    const auto vector = nlohmann::json::parse(ReadFile(entry.path()));
    const bool want_error = vector["wantErr"].get<bool>();
    const rf::Status status = verify(vector);
    INFO(entry.path().string() << ": " << vector["desc"].get<std::string>() << " -> " << status.message());
    counts.files++;
    if (want_error) {
      // Tampered, or InvalidInput for a question that has no answer (a
      // consistency check from size 0): either way, refused.
      CHECK_FALSE(status.ok());
      counts.refused++;
    } else {
      CHECK(status.ok());
      counts.happy++;
    }
  }
  return counts;
}

}  // namespace

TEST_CASE("every RFC 6962 inclusion vector verifies or is refused as published") {
  const VectorCounts counts = RunVectors(fs::path(RF_TEST_DATA_DIR) / "rfc6962" / "inclusion", VerifyInclusionVector);
  CHECK(counts.files > 80);
  CHECK(counts.happy >= 5);
  CHECK(counts.refused > 70);
}

TEST_CASE("every RFC 6962 consistency vector verifies or is refused as published") {
  const VectorCounts counts =
      RunVectors(fs::path(RF_TEST_DATA_DIR) / "rfc6962" / "consistency", VerifyConsistencyVector);
  CHECK(counts.files > 80);
  CHECK(counts.happy >= 5);
  CHECK(counts.refused > 70);
}

TEST_CASE("the RFC 6962 vector set on disk is complete (more than 100 files)") {
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(RF_TEST_DATA_DIR) / "rfc6962")) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files++;
  }
  CHECK(files > 100);
}

TEST_CASE("the RFC 6962 reference tree has the published root at every size") {
  std::vector<Hash> leaves;
  for (const auto& leaf : kReferenceLeaves) leaves.push_back(rf::crypto::LeafHash(leaf));
  CHECK(rf::crypto::EmptyRoot() == FromHex(kReferenceRootsHex[0]));
  MerkleAppender appender;
  CHECK(appender.Root() == FromHex(kReferenceRootsHex[0]));
  for (size_t size = 1; size <= leaves.size(); size++) {
    INFO("size " << size);
    MemoryNodeReader reader(std::vector<Hash>(leaves.begin(), leaves.begin() + static_cast<long>(size)));
    auto root = rf::crypto::RootAt(reader, size);
    REQUIRE(root.ok());
    CHECK(*root == FromHex(kReferenceRootsHex[size]));
    appender.Append(leaves[size - 1], [](uint32_t, uint64_t, const Hash&) {});
    CHECK(appender.Root() == FromHex(kReferenceRootsHex[size]));
  }
}

TEST_CASE("the RFC 6962 reference tree gives the published proofs") {
  // transparency-dev/merkle proof/verify_test.go (commit 417fb0c3...):
  // inclusion of leaf 0 in the tree of 8 and consistency from 6 to 8.
  std::vector<Hash> leaves;
  for (const auto& leaf : kReferenceLeaves) leaves.push_back(rf::crypto::LeafHash(leaf));
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

TEST_CASE("every inclusion proof up to 64 leaves verifies, and tampering is refused") {
  const std::vector<Hash> all_leaves = LeafHashes(64);
  for (uint64_t size = 1; size <= 64; size++) {
    MemoryNodeReader reader(std::vector<Hash>(all_leaves.begin(), all_leaves.begin() + static_cast<long>(size)));
    auto root = rf::crypto::RootAt(reader, size);
    REQUIRE(root.ok());
    for (uint64_t index = 0; index < size; index++) {
      INFO("size " << size << " index " << index);
      auto proof = rf::crypto::InclusionProof(reader, index, size);
      REQUIRE(proof.ok());
      REQUIRE(rf::crypto::VerifyInclusion(all_leaves[index], index, size, *proof, *root).ok());
      // Every single flipped bit, in any proof hash, is caught.
      for (size_t i = 0; i < proof->size(); i++) {
        std::vector<Hash> tampered = *proof;
        tampered[i][i % 32] ^= 0x01;
        CHECK_FALSE(rf::crypto::VerifyInclusion(all_leaves[index], index, size, tampered, *root).ok());
      }
      const uint64_t wrong_index = (index + 1) % size;
      if (wrong_index != index) {
        CHECK_FALSE(rf::crypto::VerifyInclusion(all_leaves[index], wrong_index, size, *proof, *root).ok());
      }
      // A size too small to hold the entry is refused (other wrong sizes may
      // share the path's shape; the vector files cover those).
      CHECK_FALSE(rf::crypto::VerifyInclusion(all_leaves[index], index, index, *proof, *root).ok());
      CHECK_FALSE(rf::crypto::VerifyInclusion(rf::crypto::LeafHash("forged"), index, size, *proof, *root).ok());
      std::vector<Hash> longer = *proof;
      longer.push_back(*root);
      CHECK_FALSE(rf::crypto::VerifyInclusion(all_leaves[index], index, size, longer, *root).ok());
    }
  }
}

TEST_CASE("every consistency proof up to 64 leaves verifies, and tampering is refused") {
  const std::vector<Hash> all_leaves = LeafHashes(64);
  MemoryNodeReader reader(all_leaves);
  std::vector<Hash> roots(65);
  for (uint64_t size = 1; size <= 64; size++) roots[size] = *rf::crypto::RootAt(reader, size);
  for (uint64_t second = 1; second <= 64; second++) {
    for (uint64_t first = 1; first <= second; first++) {
      INFO("from " << first << " to " << second);
      auto proof = rf::crypto::ConsistencyProof(reader, first, second);
      REQUIRE(proof.ok());
      CHECK(proof->empty() == (first == second));
      REQUIRE(rf::crypto::VerifyConsistency(first, second, roots[first], roots[second], *proof).ok());
      for (size_t i = 0; i < proof->size(); i++) {
        std::vector<Hash> tampered = *proof;
        tampered[i][31 - i % 32] ^= 0x80;
        CHECK_FALSE(rf::crypto::VerifyConsistency(first, second, roots[first], roots[second], tampered).ok());
      }
      if (first < second) {
        CHECK_FALSE(rf::crypto::VerifyConsistency(first, second, roots[second], roots[second], *proof).ok());
        CHECK_FALSE(rf::crypto::VerifyConsistency(first, second, roots[first], roots[first], *proof).ok());
        CHECK_FALSE(rf::crypto::VerifyConsistency(first, second, roots[first], roots[second], {}).ok());
      }
    }
  }
}

TEST_CASE("proofs for impossible sizes are refused as invalid input") {
  MemoryNodeReader reader(LeafHashes(4));
  CHECK(rf::crypto::InclusionProof(reader, 4, 4).status().code() == rf::Status::Code::kInvalidInput);
  CHECK(rf::crypto::InclusionProof(reader, 0, 0).status().code() == rf::Status::Code::kInvalidInput);
  CHECK(rf::crypto::ConsistencyProof(reader, 0, 4).status().code() == rf::Status::Code::kInvalidInput);
  CHECK(rf::crypto::ConsistencyProof(reader, 3, 2).status().code() == rf::Status::Code::kInvalidInput);
  CHECK(rf::crypto::ConsistencyProof(reader, 4, 4).ok());
  // A reader error (a node missing from storage) is passed through unchanged.
  CHECK(rf::crypto::InclusionProof(reader, 0, 5).status().code() == rf::Status::Code::kNotFound);
}

TEST_CASE("the appender's root equals the stored tree's root at every size, and reports nodes in post-order") {
  const std::vector<Hash> leaves = LeafHashes(64);
  MemoryNodeReader reader(leaves);
  MerkleAppender appender;
  std::map<std::pair<uint32_t, uint64_t>, Hash> reported;
  for (uint64_t size = 1; size <= 64; size++) {
    std::vector<std::pair<uint32_t, uint64_t>> order;
    appender.Append(leaves[size - 1], [&](uint32_t level, uint64_t index, const Hash& hash) {
      order.emplace_back(level, index);
      reported[{level, index}] = hash;
    });
    REQUIRE(appender.size() == size);
    CHECK(appender.Root() == *rf::crypto::RootAt(reader, size));
    // The leaf first, then one node per level it completes, lowest first.
    REQUIRE(order.size() == 1 + static_cast<size_t>(std::countr_zero(size)));
    for (size_t i = 0; i < order.size(); i++) {
      CHECK(order[i].first == i);
      CHECK(((order[i].second + 1) << order[i].first) == size);
    }
  }
  // Every complete node of the 64-leaf tree was reported, with its true hash.
  CHECK(reported.size() == 127);
  for (const auto& [position, hash] : reported) CHECK(*reader.PerfectNode(position.first, position.second) == hash);
}

TEST_CASE("an appender restored from storage at sizes 0 to 64 then appended to gives the stored roots") {
  const std::vector<Hash> leaves = LeafHashes(64);
  MemoryNodeReader reader(leaves);
  for (uint64_t size = 0; size <= 64; size++) {
    INFO("restored at " << size);
    auto restored = MerkleAppender::Restore(reader, size);
    REQUIRE(restored.ok());
    CHECK(restored->size() == size);
    CHECK(restored->Root() == *rf::crypto::RootAt(reader, size));
    for (uint64_t next = size + 1; next <= 64; next++) {
      restored->Append(leaves[next - 1], [](uint32_t, uint64_t, const Hash&) {});
      CHECK(restored->Root() == *rf::crypto::RootAt(reader, next));
    }
  }
  CHECK_FALSE(MerkleAppender::Restore(reader, 65).ok());
}

TEST_CASE("proofs in a tree of a million entries read O(log n) nodes") {
  constexpr uint64_t kSize = 1'000'000;
  CountingSyntheticReader reader(kSize);
  auto root = rf::crypto::RootAt(reader, kSize);
  REQUIRE(root.ok());
  CHECK(reader.reads == std::popcount(kSize));
  for (uint64_t index : {uint64_t{0}, uint64_t{1}, uint64_t{524'287}, uint64_t{777'777}, uint64_t{999'999}}) {
    INFO("index " << index);
    reader.reads = 0;
    auto proof = rf::crypto::InclusionProof(reader, index, kSize);
    REQUIRE(proof.ok());
    CHECK(proof->size() <= 20);  // ceil(log2(10^6)); right-edge leaves have shorter paths
    CHECK(reader.reads <= 2 * 64);
  }
  for (uint64_t first : {uint64_t{1}, uint64_t{3}, uint64_t{524'288}, uint64_t{654'321}, uint64_t{999'999}}) {
    INFO("first " << first);
    reader.reads = 0;
    auto proof = rf::crypto::ConsistencyProof(reader, first, kSize);
    REQUIRE(proof.ok());
    CHECK(reader.reads <= 2 * 64);
  }
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
