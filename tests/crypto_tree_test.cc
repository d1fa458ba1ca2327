// The RFC 9162 Merkle tree: published vectors, exhaustive small trees, the
// appender, and the O(log n) read bound of proofs.
#include <catch2/catch.hpp>

#include <bit>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/base64.h"
#include "crypto/checkpoint.h"
#include "crypto/ed25519.h"
#include "crypto/merkle.h"
#include "crypto/note.h"
#include "crypto/sha256.h"
#include "ledger/verify/proof_json.h"
#include "rfc6962_reference.h"

namespace {

namespace fs = std::filesystem;
using rf::crypto::Hash;

std::vector<Hash> MakeLeaves(uint64_t count) {
  std::vector<Hash> leaves;
  leaves.reserve(count);
  for (uint64_t i = 0; i < count; ++i) leaves.push_back(rf::crypto::LeafHash("entry " + std::to_string(i)));
  return leaves;
}

// RFC 9162 §2.1.1 MTH, straight from the definition, as an oracle.
Hash DefinitionRoot(const std::vector<Hash>& leaves, size_t begin, size_t end) {
  if (end == begin) return rf::crypto::EmptyRoot();
  if (end - begin == 1) return leaves[begin];
  const size_t k = std::bit_floor(end - begin - 1);
  return rf::crypto::NodeHash(DefinitionRoot(leaves, begin, begin + k), DefinitionRoot(leaves, begin + k, end));
}

// Serves a tree of `size` leaves from a larger in-memory tree, refusing any
// node that is not wholly inside the first `size` leaves, and counts reads.
class BoundedReader : public rf::crypto::NodeReader {
 public:
  BoundedReader(rf::crypto::NodeReader& inner, uint64_t size) : inner_(inner), size_(size) {}
  rf::Result<Hash> PerfectNode(uint32_t level, uint64_t index) override {
    ++reads;
    if (level >= 64 || index >= (size_ >> level)) {
      ++out_of_tree_reads;
      return rf::Status::NotFound("node outside the tree");
    }
    return inner_.PerfectNode(level, index);
  }
  int reads = 0;
  int out_of_tree_reads = 0;

 private:
  rf::crypto::NodeReader& inner_;
  uint64_t size_;
};

Hash Flip(Hash hash, size_t bit) {
  hash[bit / 8 % hash.size()] ^= static_cast<uint8_t>(1u << (bit % 8));
  return hash;
}

// --- transparency-dev/merkle vectors (tests/data/rfc6962, see SOURCES.md) ---

std::string ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string DecodeField(const nlohmann::json& value) {
  REQUIRE(value.is_string());
  std::optional<std::string> bytes = rf::crypto::Base64Decode(value.get<std::string>());
  REQUIRE(bytes.has_value());
  return *bytes;
}

// Roots in the "additional" vectors are sometimes not 32 bytes ("don't care"
// placeholders, compared byte for byte by the Go verifier). Our API takes a
// Hash, so a placeholder stands in as SHA-256 of its bytes: equal
// placeholders stay equal, unequal ones unequal, and none equals a real root.
Hash RootField(const nlohmann::json& value, int& placeholder_roots) {
  const std::string bytes = DecodeField(value);
  Hash hash;
  if (bytes.size() != hash.size()) {
    ++placeholder_roots;
    return rf::crypto::Sha256(bytes);
  }
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

// A leaf hash or proof element that is not 32 bytes is refused by the
// harness before the verifier is called, as the Go verifier refuses it.
std::optional<Hash> ExactHashField(const nlohmann::json& value) {
  const std::string bytes = DecodeField(value);
  Hash hash;
  if (bytes.size() != hash.size()) return std::nullopt;
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

std::optional<std::vector<Hash>> ProofField(const nlohmann::json& value) {
  std::vector<Hash> proof;
  if (value.is_null()) return proof;
  REQUIRE(value.is_array());
  for (const nlohmann::json& element : value) {
    std::optional<Hash> hash = ExactHashField(element);
    if (!hash.has_value()) return std::nullopt;
    proof.push_back(*hash);
  }
  return proof;
}

struct VectorTally {
  int files = 0;
  int happy_verified = 0;
  int bad_refused_by_verifier = 0;
  int bad_refused_by_harness = 0;
  int placeholder_roots = 0;
  int happy_placeholder_roots = 0;
};

std::vector<fs::path> JsonFilesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("the RFC 6962 reference tree has the published root at every size 0 to 8") {
  // Leaves and roots from transparency-dev/merkle testonly/constants.go
  // (LeafInputs, RootHashes), commit 582a6ad190b6848f1d26f8bf08ddef29955d9db1;
  // the same values as google/certificate-transparency's merkle tree tests.
  const std::vector<std::string>& inputs = rf::test::Rfc6962ReferenceLeaves();

  const char* const roots_hex[] = {
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
  std::vector<Hash> leaves;
  for (const std::string& input : inputs) leaves.push_back(rf::crypto::LeafHash(input));
  rf::crypto::MemoryNodeReader reader(leaves);
  rf::crypto::MerkleAppender appender;
  CHECK(rf::crypto::ToHex(appender.Root()) == roots_hex[0]);
  CHECK(rf::crypto::ToHex(rf::crypto::EmptyRoot()) == roots_hex[0]);
  for (uint64_t size = 1; size <= leaves.size(); ++size) {
    INFO("size " << size);
    rf::Result<Hash> root = rf::crypto::RootAt(reader, size);
    REQUIRE(root.ok());
    CHECK(rf::crypto::ToHex(*root) == roots_hex[size]);
    appender.Append(leaves[size - 1], [](uint32_t, uint64_t, const Hash&) {});
    CHECK(rf::crypto::ToHex(appender.Root()) == roots_hex[size]);
  }
}

TEST_CASE("every published RFC 6962 inclusion vector verifies or is refused as marked") {
  const std::vector<fs::path> files = JsonFilesUnder(fs::path(RF_TEST_DATA_DIR) / "rfc6962" / "inclusion");
  VectorTally tally;
  for (const fs::path& path : files) {
    INFO(path.string());
    const nlohmann::json vector = nlohmann::json::parse(ReadWholeFile(path));
    const bool want_error = vector.at("wantErr").get<bool>();
    ++tally.files;
    const int placeholders_before = tally.placeholder_roots;
    const Hash root = RootField(vector.at("root"), tally.placeholder_roots);
    if (!want_error) CHECK(tally.placeholder_roots == placeholders_before);  // happy roots are all real
    const std::optional<Hash> leaf = ExactHashField(vector.at("leafHash"));
    const std::optional<std::vector<Hash>> proof = ProofField(vector.at("proof"));
    if (!leaf.has_value() || !proof.has_value()) {
      CHECK(want_error);
      ++tally.bad_refused_by_harness;
      continue;
    }
    const rf::Status status = rf::crypto::VerifyInclusion(*leaf, vector.at("leafIdx").get<uint64_t>(),
                                                          vector.at("treeSize").get<uint64_t>(), *proof, root);
    if (want_error) {
      CHECK(status.code() == rf::Status::Code::kTampered);
      tally.bad_refused_by_verifier += !status.ok();
    } else {
      CHECK(status.ok());
      tally.happy_verified += status.ok();
    }
  }
  CHECK(tally.happy_verified == 6);
  // Leaf hashes or proof elements that are not 32 bytes (empty or wrong
  // leaves, garbage glued onto a proof element) cannot reach a verifier that
  // takes Hash values; they are refused where they are parsed.
  CHECK(tally.bad_refused_by_harness == 21);
  CHECK(tally.files == tally.happy_verified + tally.bad_refused_by_verifier + tally.bad_refused_by_harness);
  CHECK(tally.files > 80);
}

TEST_CASE("every published RFC 6962 consistency vector verifies or is refused as marked") {
  const std::vector<fs::path> files = JsonFilesUnder(fs::path(RF_TEST_DATA_DIR) / "rfc6962" / "consistency");
  VectorTally tally;
  for (const fs::path& path : files) {
    INFO(path.string());
    const nlohmann::json vector = nlohmann::json::parse(ReadWholeFile(path));
    const bool want_error = vector.at("wantErr").get<bool>();
    ++tally.files;
    const int placeholders_before = tally.placeholder_roots;
    const Hash root1 = RootField(vector.at("root1"), tally.placeholder_roots);
    const Hash root2 = RootField(vector.at("root2"), tally.placeholder_roots);
    if (!want_error) tally.happy_placeholder_roots += tally.placeholder_roots - placeholders_before;
    const std::optional<std::vector<Hash>> proof = ProofField(vector.at("proof"));
    if (!proof.has_value()) {
      CHECK(want_error);
      ++tally.bad_refused_by_harness;
      continue;
    }
    const rf::Status status = rf::crypto::VerifyConsistency(vector.at("size1").get<uint64_t>(),
                                                            vector.at("size2").get<uint64_t>(), root1, root2, *proof);
    if (want_error) {
      CHECK(status.code() == rf::Status::Code::kTampered);
      tally.bad_refused_by_verifier += !status.ok();
    } else {
      CHECK(status.ok());
      tally.happy_verified += status.ok();
    }
  }
  CHECK(tally.happy_verified == 6);
  CHECK(tally.bad_refused_by_harness == 8);  // garbage glued onto a proof element
  // Only one vector that must verify has placeholder roots: "sizes are
  // equal (one) and proof is empty", whose two roots are the same 12 bytes.
  CHECK(tally.happy_placeholder_roots == 2);
  CHECK(tally.files == tally.happy_verified + tally.bad_refused_by_verifier + tally.bad_refused_by_harness);
  CHECK(tally.files > 80);
}

// `ringfence-verify --proof` reads a consistency proof as a document whose
// roots come from checkpoints signed by the ledger's key.
TEST_CASE("every RFC 6962 consistency vector, as a proof document with signed checkpoints, verifies or is refused") {
  const std::vector<fs::path> files = JsonFilesUnder(fs::path(RF_TEST_DATA_DIR) / "rfc6962" / "consistency");
  auto key = rf::crypto::SigningKey::Generate();
  REQUIRE(key.ok());
  const std::string origin = "example.org/vectors";
  auto verifier = rf::crypto::ParseVerifierKey(rf::crypto::VerifierKey(origin, key->public_key()));
  REQUIRE(verifier.ok());
  const auto signed_checkpoint = [&](uint64_t size, const Hash& root) {
    return rf::crypto::SignNote(rf::crypto::CheckpointText({.origin = origin, .size = size, .root = root}), origin,
                                *key);
  };
  int happy = 0, refused = 0, want_error = 0;
  for (const fs::path& path : files) {
    INFO(path.string());
    const nlohmann::json vector = nlohmann::json::parse(ReadWholeFile(path));
    int placeholders = 0;
    const Hash root1 = RootField(vector.at("root1"), placeholders);
    const Hash root2 = RootField(vector.at("root2"), placeholders);
    const uint64_t size1 = vector.at("size1"), size2 = vector.at("size2");
    nlohmann::json document = {
        {"first", size1},
        {"second", size2},
        {"consistency_path", vector.at("proof").is_null() ? nlohmann::json::array() : vector.at("proof")},
        {"first_checkpoint", signed_checkpoint(size1, root1)},
        {"second_checkpoint", signed_checkpoint(size2, root2)}};
    const rf::Status status = rf::VerifyProofJson(document, *verifier);
    if (vector.at("wantErr").get<bool>()) {
      CHECK_FALSE(status.ok());
      ++want_error;
      refused += !status.ok();
      continue;
    }
    if (placeholders > 0) continue;  // "don't care" roots (see RootField)
    CHECK(status.ok());
    happy += status.ok();
    // The same proof against the checkpoints swapped, or one signed by
    // another key, is refused.
    if (size1 != size2) {
      std::swap(document["first_checkpoint"], document["second_checkpoint"]);
      CHECK(rf::VerifyProofJson(document, *verifier).code() == rf::Status::Code::kTampered);
      std::swap(document["first_checkpoint"], document["second_checkpoint"]);
    }
    auto other = rf::crypto::SigningKey::Generate();
    REQUIRE(other.ok());
    document["second_checkpoint"] = rf::crypto::SignNote(
        rf::crypto::CheckpointText({.origin = origin, .size = size2, .root = root2}), origin, *other);
    CHECK(rf::VerifyProofJson(document, *verifier).code() == rf::Status::Code::kTampered);
  }
  CHECK(happy == 5);
  CHECK(refused == want_error);
  CHECK(want_error > 80);
}

TEST_CASE("more than 100 published RFC 6962 vector files are found") {
  const fs::path root = fs::path(RF_TEST_DATA_DIR) / "rfc6962";
  const size_t files = JsonFilesUnder(root / "inclusion").size() + JsonFilesUnder(root / "consistency").size();
  REQUIRE(files > 100);
}

TEST_CASE("RootAt agrees with the RFC definition at every size up to 200") {
  const std::vector<Hash> leaves = MakeLeaves(200);
  rf::crypto::MemoryNodeReader memory(leaves);
  for (uint64_t size = 0; size <= leaves.size(); ++size) {
    BoundedReader reader(memory, size);
    rf::Result<Hash> root = rf::crypto::RootAt(reader, size);
    REQUIRE(root.ok());
    CHECK(*root == DefinitionRoot(leaves, 0, size));
    CHECK(reader.reads == std::popcount(size));
  }
}

TEST_CASE("every inclusion proof in trees of 1 to 64 leaves verifies, and altered ones do not") {
  const std::vector<Hash> leaves = MakeLeaves(64);
  rf::crypto::MemoryNodeReader memory(leaves);
  int proofs = 0;
  for (uint64_t size = 1; size <= 64; ++size) {
    BoundedReader reader(memory, size);
    const Hash root = DefinitionRoot(leaves, 0, size);
    for (uint64_t index = 0; index < size; ++index) {
      INFO("size " << size << " index " << index);
      rf::Result<std::vector<Hash>> proof = rf::crypto::InclusionProof(reader, index, size);
      REQUIRE(proof.ok());
      REQUIRE(rf::crypto::VerifyInclusion(leaves[index], index, size, *proof, root).ok());
      ++proofs;
      for (size_t element = 0; element < proof->size(); ++element) {
        std::vector<Hash> altered = *proof;
        altered[element] = Flip(altered[element], element * 37 + index);
        CHECK_FALSE(rf::crypto::VerifyInclusion(leaves[index], index, size, altered, root).ok());
      }
      for (uint64_t other = 0; other < size; ++other) {
        if (other == index) continue;
        CHECK_FALSE(rf::crypto::VerifyInclusion(leaves[index], other, size, *proof, root).ok());
        CHECK_FALSE(rf::crypto::VerifyInclusion(leaves[other], index, size, *proof, root).ok());
      }
      CHECK_FALSE(rf::crypto::VerifyInclusion(Flip(leaves[index], 0), index, size, *proof, root).ok());
      CHECK_FALSE(rf::crypto::VerifyInclusion(leaves[index], index, size, *proof, Flip(root, 255)).ok());
      CHECK_FALSE(rf::crypto::VerifyInclusion(leaves[index], size, size, *proof, root).ok());
      std::vector<Hash> longer = *proof;
      longer.push_back(leaves[0]);
      CHECK_FALSE(rf::crypto::VerifyInclusion(leaves[index], index, size, longer, root).ok());
      if (!proof->empty()) {
        std::vector<Hash> shorter(proof->begin(), proof->end() - 1);
        CHECK_FALSE(rf::crypto::VerifyInclusion(leaves[index], index, size, shorter, root).ok());
      }
    }
    CHECK(reader.out_of_tree_reads == 0);
  }
  CHECK(proofs == 64 * 65 / 2);
}

TEST_CASE("an inclusion proof is refused for a leaf index outside the tree") {
  rf::crypto::MemoryNodeReader reader(MakeLeaves(5));
  CHECK(rf::crypto::InclusionProof(reader, 5, 5).status().code() == rf::Status::Code::kInvalidInput);
  CHECK(rf::crypto::InclusionProof(reader, 0, 0).status().code() == rf::Status::Code::kInvalidInput);
}

TEST_CASE("every consistency proof between trees of 1 to 64 leaves verifies, and altered ones do not") {
  const std::vector<Hash> leaves = MakeLeaves(64);
  rf::crypto::MemoryNodeReader memory(leaves);
  int proofs = 0;
  for (uint64_t second = 1; second <= 64; ++second) {
    BoundedReader reader(memory, second);
    const Hash second_root = DefinitionRoot(leaves, 0, second);
    for (uint64_t first = 1; first <= second; ++first) {
      INFO("first " << first << " second " << second);
      const Hash first_root = DefinitionRoot(leaves, 0, first);
      rf::Result<std::vector<Hash>> proof = rf::crypto::ConsistencyProof(reader, first, second);
      REQUIRE(proof.ok());
      CHECK(proof->empty() == (first == second));
      REQUIRE(rf::crypto::VerifyConsistency(first, second, first_root, second_root, *proof).ok());
      ++proofs;
      for (size_t element = 0; element < proof->size(); ++element) {
        std::vector<Hash> altered = *proof;
        altered[element] = Flip(altered[element], element * 53 + first);
        CHECK_FALSE(rf::crypto::VerifyConsistency(first, second, first_root, second_root, altered).ok());
      }
      CHECK_FALSE(rf::crypto::VerifyConsistency(first, second, Flip(first_root, 1), second_root, *proof).ok());
      CHECK_FALSE(rf::crypto::VerifyConsistency(first, second, first_root, Flip(second_root, 2), *proof).ok());
      std::vector<Hash> longer = *proof;
      longer.push_back(leaves[0]);
      CHECK_FALSE(rf::crypto::VerifyConsistency(first, second, first_root, second_root, longer).ok());
      if (first > 1 && first < second) {
        const Hash smaller_root = DefinitionRoot(leaves, 0, first - 1);
        CHECK_FALSE(rf::crypto::VerifyConsistency(first - 1, second, smaller_root, second_root, *proof).ok());
      }
    }
    CHECK(reader.out_of_tree_reads == 0);
  }
  CHECK(proofs == 64 * 65 / 2);
}

TEST_CASE("consistency proofs need 0 < first <= second, and verification refuses shrinking or empty trees") {
  const std::vector<Hash> leaves = MakeLeaves(8);
  rf::crypto::MemoryNodeReader reader(leaves);
  CHECK(rf::crypto::ConsistencyProof(reader, 0, 8).status().code() == rf::Status::Code::kInvalidInput);
  CHECK(rf::crypto::ConsistencyProof(reader, 5, 4).status().code() == rf::Status::Code::kInvalidInput);
  const Hash root = DefinitionRoot(leaves, 0, 8);
  CHECK(rf::crypto::VerifyConsistency(8, 8, root, root, {}).ok());
  CHECK(rf::crypto::VerifyConsistency(8, 4, root, root, {}).code() == rf::Status::Code::kTampered);
  CHECK(rf::crypto::VerifyConsistency(0, 8, rf::crypto::EmptyRoot(), root, {}).code() == rf::Status::Code::kTampered);
}

TEST_CASE("the appender reports exactly the stored perfect nodes and matches RootAt at every size") {
  const std::vector<Hash> leaves = MakeLeaves(300);
  rf::crypto::MemoryNodeReader memory(leaves);
  rf::crypto::MerkleAppender appender;
  CHECK(appender.size() == 0);
  CHECK(appender.Root() == rf::crypto::EmptyRoot());
  uint64_t nodes_reported = 0;
  for (uint64_t i = 0; i < leaves.size(); ++i) {
    int last_level = -1;
    appender.Append(leaves[i], [&](uint32_t level, uint64_t index, const Hash& hash) {
      CHECK(static_cast<int>(level) == last_level + 1);  // leaf first, then bottom-up
      last_level = static_cast<int>(level);
      CHECK(((index + 1) << level) == i + 1);  // a node the new leaf just completed
      rf::Result<Hash> stored = memory.PerfectNode(level, index);
      REQUIRE(stored.ok());
      CHECK(*stored == hash);
      ++nodes_reported;
    });
    REQUIRE(appender.size() == i + 1);
    rf::Result<Hash> root = rf::crypto::RootAt(memory, i + 1);
    REQUIRE(root.ok());
    CHECK(appender.Root() == *root);
  }
  // A tree of n leaves has sum over levels of floor(n / 2^L) perfect nodes.
  uint64_t perfect_nodes = 0;
  for (uint64_t width = leaves.size(); width > 0; width /= 2) perfect_nodes += width;
  CHECK(nodes_reported == perfect_nodes);
}

TEST_CASE("an appender restored at any size continues with the same roots") {
  const std::vector<Hash> leaves = MakeLeaves(70);
  rf::crypto::MemoryNodeReader memory(leaves);
  for (uint64_t size = 0; size <= leaves.size(); ++size) {
    INFO("restored at size " << size);
    BoundedReader reader(memory, size);
    rf::Result<rf::crypto::MerkleAppender> appender = rf::crypto::MerkleAppender::Restore(reader, size);
    REQUIRE(appender.ok());
    CHECK(reader.reads == std::popcount(size));
    CHECK(reader.out_of_tree_reads == 0);
    CHECK(appender->size() == size);
    CHECK(appender->Root() == DefinitionRoot(leaves, 0, size));
    for (uint64_t next = size; next < leaves.size(); ++next) {
      appender->Append(leaves[next], [](uint32_t, uint64_t, const Hash&) {});
      CHECK(appender->Root() == DefinitionRoot(leaves, 0, next + 1));
    }
  }
}

TEST_CASE("a storage error while restoring or proving is passed up, not hidden") {
  const std::vector<Hash> leaves = MakeLeaves(8);
  rf::crypto::MemoryNodeReader memory(leaves);
  BoundedReader short_reader(memory, 4);  // claims 8 leaves below but holds 4
  CHECK(rf::crypto::MerkleAppender::Restore(short_reader, 7).status().code() == rf::Status::Code::kNotFound);
  CHECK(rf::crypto::RootAt(short_reader, 7).status().code() == rf::Status::Code::kNotFound);
  CHECK(rf::crypto::InclusionProof(short_reader, 0, 7).status().code() == rf::Status::Code::kNotFound);
  CHECK(rf::crypto::ConsistencyProof(short_reader, 3, 7).status().code() == rf::Status::Code::kNotFound);
}

TEST_CASE("proofs in a tree of a million entries read at most 128 nodes and verify") {
  constexpr uint64_t kSize = 1000000;
  const std::vector<Hash> leaves = MakeLeaves(kSize);
  rf::crypto::MemoryNodeReader memory(leaves);
  BoundedReader counting(memory, kSize);
  rf::Result<Hash> root = rf::crypto::RootAt(counting, kSize);
  REQUIRE(root.ok());
  CHECK(counting.reads == std::popcount(kSize));

  for (uint64_t index : {uint64_t{0}, uint64_t{1}, uint64_t{500000}, uint64_t{524287}, uint64_t{524288},
                         uint64_t{999935}, uint64_t{999998}, uint64_t{999999}}) {
    INFO("index " << index);
    counting.reads = 0;
    rf::Result<std::vector<Hash>> proof = rf::crypto::InclusionProof(counting, index, kSize);
    REQUIRE(proof.ok());
    CHECK(counting.reads <= 128);
    CHECK(rf::crypto::VerifyInclusion(leaves[index], index, kSize, *proof, *root).ok());
  }
  for (uint64_t first :
       {uint64_t{1}, uint64_t{3}, uint64_t{333333}, uint64_t{524288}, uint64_t{524289}, uint64_t{999999}}) {
    INFO("first " << first);
    BoundedReader first_reader(memory, first);
    rf::Result<Hash> first_root = rf::crypto::RootAt(first_reader, first);
    REQUIRE(first_root.ok());
    counting.reads = 0;
    rf::Result<std::vector<Hash>> proof = rf::crypto::ConsistencyProof(counting, first, kSize);
    REQUIRE(proof.ok());
    CHECK(counting.reads <= 128);
    CHECK(rf::crypto::VerifyConsistency(first, kSize, *first_root, *root, *proof).ok());
  }
  CHECK(counting.out_of_tree_reads == 0);
}
