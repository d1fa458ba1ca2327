#ifndef RINGFENCE_CRYPTO_MERKLE_H_
#define RINGFENCE_CRYPTO_MERKLE_H_

// The RFC 9162 §2.1 Merkle tree (RFC 6962 hashing): tree heads, inclusion and
// consistency proofs, and an append-only builder.
//
// Storage model: a tree is addressed by its perfect nodes. Node (L, j) is the
// Merkle Tree Hash of leaves [j * 2^L, (j + 1) * 2^L); level 0 holds the leaf
// hashes. A tree of n leaves needs no other node: a non-perfect right-edge
// subtree [k, n) is the popcount(n - k) <= 64 aligned perfect pieces of
// n - k, combined right to left. So RootAt reads popcount(n) nodes and a proof
// at most ~2 * 64, whatever the size; nothing here iterates over leaves.

#include <array>
#include <bit>
#include <cassert>
#include <cstdint>
#include <utility>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/status.h"

namespace rf::crypto {

// The level bound: sizes are uint64_t, so no perfect node is above level 63.
inline constexpr uint32_t kTreeLevelsMax = 64;

// SHA-256 of the empty string: the root of the empty tree.
Hash EmptyRoot();

class NodeReader {
 public:
  virtual ~NodeReader() = default;
  // The perfect node (level, index), covering leaves
  // [index * 2^level, (index + 1) * 2^level).
  virtual rf::Result<Hash> PerfectNode(uint32_t level, uint64_t index) = 0;
};

// The tree head of the first `size` leaves (EmptyRoot() for size 0).
// Reads popcount(size) nodes.
rf::Result<Hash> RootAt(NodeReader& reader, uint64_t size);

// RFC 9162 §2.1.3.1 PATH(leaf_index, D[0:tree_size]), leaf-side first.
// InvalidInput if leaf_index >= tree_size.
rf::Result<std::vector<Hash>> InclusionProof(NodeReader& reader, uint64_t leaf_index, uint64_t tree_size);

// RFC 9162 §2.1.4.1 PROOF(first, D[0:second]). InvalidInput unless
// 0 < first <= second; first == second gives the empty proof.
rf::Result<std::vector<Hash>> ConsistencyProof(NodeReader& reader, uint64_t first, uint64_t second);

// RFC 9162 §2.1.3.2. Ok, or Tampered with a sentence saying what failed.
rf::Status VerifyInclusion(const Hash& leaf_hash, uint64_t leaf_index, uint64_t tree_size,
                           const std::vector<Hash>& proof, const Hash& root);

// RFC 9162 §2.1.4.2, plus: first == second needs an empty proof and equal
// roots. Ok, or Tampered when the proof, the roots or the sizes do not agree:
// second < first is a rollback, and first == 0 is refused because an empty
// tree is consistent with everything, so such a "proof" proves nothing.
rf::Status VerifyConsistency(uint64_t first, uint64_t second, const Hash& first_root, const Hash& second_root,
                             const std::vector<Hash>& proof);

// Builds the tree one leaf at a time, keeping only the right edge: the roots
// of the perfect subtrees whose sizes are the set bits of size(). Memory is a
// fixed 64 * 32 bytes; Append does no allocation.
class MerkleAppender {
 public:
  MerkleAppender() = default;

  // Rebuilds the right edge of a tree of `size` leaves by reading its
  // popcount(size) right-edge perfect nodes.
  static rf::Result<MerkleAppender> Restore(NodeReader& reader, uint64_t size);

  uint64_t size() const { return size_; }

  // Appends leaf `size()`. Calls on_node(uint32_t level, uint64_t index,
  // const Hash&) for the leaf (level 0), then for every perfect node the leaf
  // completes, bottom-up, so a caller can persist exactly the nodes a
  // NodeReader serves.
  // REQUIRES: size() < UINT64_MAX.
  template <typename F>
  void Append(const Hash& leaf_hash, F&& on_node) {
    assert(size_ < UINT64_MAX);
    const uint64_t leaf_index = size_;
    on_node(uint32_t{0}, leaf_index, leaf_hash);
    Hash node = leaf_hash;
    uint32_t level = 0;
    // Each set low bit of the old size is a perfect subtree the new leaf
    // completes into one twice as large; bounded by the 64 bits of size_.
    while ((leaf_index >> level & 1) != 0) {
      assert(level < kTreeLevelsMax - 1);
      node = NodeHash(edge_[level], node);
      ++level;
      on_node(level, leaf_index >> level, std::as_const(node));
    }
    edge_[level] = node;
    ++size_;
    assert((size_ >> level & 1) == 1);
  }

  // The tree head of the size() leaves appended so far; EmptyRoot() when none.
  Hash Root() const;

 private:
  // edge_[L] is valid only when bit L of size_ is set: the perfect node
  // (L, (size_ >> L) - 1).
  std::array<Hash, kTreeLevelsMax> edge_{};
  uint64_t size_ = 0;
};

// All perfect nodes of a tree held in memory, for tests and small tools.
// Memory: about 2 * leaves * 32 bytes.
class MemoryNodeReader : public NodeReader {
 public:
  explicit MemoryNodeReader(const std::vector<Hash>& leaf_hashes);
  rf::Result<Hash> PerfectNode(uint32_t level, uint64_t index) override;

 private:
  std::vector<std::vector<Hash>> levels_;  // levels_[L][j] = node (L, j)
};

}  // namespace rf::crypto

#endif  // RINGFENCE_CRYPTO_MERKLE_H_
