#include "crypto/merkle.h"

#include <algorithm>
#include <string>

namespace rf::crypto {
namespace {

// Proof length bounds: a tree of at most 2^64 - 1 leaves is at most 64 levels
// deep. An inclusion path has one hash per level; a consistency proof may add
// the first tree's subtree root on top of that.
constexpr size_t kInclusionHashesMax = 64;
constexpr size_t kConsistencyHashesMax = 65;

// Pieces of a range [begin, end) whose begin is aligned to the power of two at
// or above its width; at most one per bit of the width.
struct Pieces {
  std::array<Hash, kTreeLevelsMax> hashes;
  uint32_t count = 0;
};

// MTH(D[begin:end]) for a subtree range met by the RFC 9162 recursion: its
// begin is a multiple of the next power of two >= its width, so the set bits
// of the width, high to low, are aligned perfect nodes; folding them right to
// left is exactly the recursive split at the largest power of two < width.
rf::Result<Hash> RangeRoot(NodeReader& reader, uint64_t begin, uint64_t end) {
  assert(begin < end);
  const uint64_t width = end - begin;
  Pieces pieces;
  uint64_t start = begin;
  for (uint32_t level = kTreeLevelsMax; level-- > 0;) {
    if ((width >> level & 1) == 0) continue;
    assert(level == 0 || (start & ((uint64_t{1} << level) - 1)) == 0);
    rf::Result<Hash> node = reader.PerfectNode(level, start >> level);
    if (!node.ok()) return node.status();
    pieces.hashes[pieces.count++] = *node;
    start += uint64_t{1} << level;
  }
  assert(start == end);
  assert(pieces.count >= 1 && pieces.count == static_cast<uint32_t>(std::popcount(width)));
  Hash root = pieces.hashes[pieces.count - 1];
  for (uint32_t i = pieces.count - 1; i-- > 0;) root = NodeHash(pieces.hashes[i], root);
  return root;
}

// The largest power of two strictly below width (RFC 9162's k).
uint64_t SplitWidth(uint64_t width) {
  assert(width >= 2);
  const uint64_t k = std::bit_floor(width - 1);
  assert(k < width && 2 * k >= width);
  return k;
}

// Right-shifts fn and sn together until fn's low bit is set or fn is zero.
void ShiftToSetBit(uint64_t& fn, uint64_t& sn) {
  for (uint32_t shifts = 0; (fn & 1) == 0 && fn != 0; ++shifts) {
    assert(shifts < kTreeLevelsMax);
    fn >>= 1;
    sn >>= 1;
  }
}

std::string Num(uint64_t value) { return std::to_string(value); }

}  // namespace

Hash EmptyRoot() { return Sha256(std::string_view()); }

rf::Result<Hash> RootAt(NodeReader& reader, uint64_t size) {
  if (size == 0) return EmptyRoot();
  return RangeRoot(reader, 0, size);
}

rf::Result<std::vector<Hash>> InclusionProof(NodeReader& reader, uint64_t leaf_index, uint64_t tree_size) {
  if (leaf_index >= tree_size) {
    return rf::Status::InvalidInput("entry " + Num(leaf_index) + " is not in a tree of " + Num(tree_size) + " entries");
  }
  // Siblings are found root-side first and returned leaf-side first.
  std::vector<Hash> proof;
  proof.reserve(kInclusionHashesMax);
  uint64_t begin = 0;
  uint64_t end = tree_size;
  while (end - begin > 1) {
    assert(proof.size() < kInclusionHashesMax);
    const uint64_t middle = begin + SplitWidth(end - begin);
    rf::Result<Hash> sibling = leaf_index < middle ? RangeRoot(reader, middle, end) : RangeRoot(reader, begin, middle);
    if (!sibling.ok()) return sibling.status();
    proof.push_back(*sibling);
    (leaf_index < middle ? end : begin) = middle;
  }
  assert(begin == leaf_index && end == leaf_index + 1);
  std::reverse(proof.begin(), proof.end());
  return proof;
}

rf::Result<std::vector<Hash>> ConsistencyProof(NodeReader& reader, uint64_t first, uint64_t second) {
  if (first == 0 || first > second) {
    return rf::Status::InvalidInput("a consistency proof needs 0 < first size <= second size, not " + Num(first) +
                                    " and " + Num(second));
  }
  std::vector<Hash> proof;
  proof.reserve(kConsistencyHashesMax);
  if (first == second) return proof;
  // RFC 9162 SUBPROOF with absolute leaf positions: the current subtree is
  // [begin, end) and `first` stays inside (begin, end].
  uint64_t begin = 0;
  uint64_t end = second;
  bool whole_first_tree = true;  // RFC's b: still on the first tree's own root path.
  while (end != first) {
    assert(begin < first && first < end);
    assert(proof.size() < kConsistencyHashesMax - 1);
    const uint64_t middle = begin + SplitWidth(end - begin);
    rf::Result<Hash> sibling = first <= middle ? RangeRoot(reader, middle, end) : RangeRoot(reader, begin, middle);
    if (!sibling.ok()) return sibling.status();
    proof.push_back(*sibling);
    if (first <= middle) {
      end = middle;
    } else {
      begin = middle;
      whole_first_tree = false;
    }
  }
  if (!whole_first_tree) {
    rf::Result<Hash> subtree = RangeRoot(reader, begin, end);
    if (!subtree.ok()) return subtree.status();
    proof.push_back(*subtree);
  }
  std::reverse(proof.begin(), proof.end());
  assert(proof.size() <= kConsistencyHashesMax);
  return proof;
}

rf::Status VerifyInclusion(const Hash& leaf_hash, uint64_t leaf_index, uint64_t tree_size,
                           const std::vector<Hash>& proof, const Hash& root) {
  if (leaf_index >= tree_size) {
    return rf::Status::Tampered("the inclusion proof places entry " + Num(leaf_index) + " in a tree of only " +
                                Num(tree_size) + " entries");
  }
  if (proof.size() > kInclusionHashesMax) {
    return rf::Status::Tampered("the inclusion proof has " + Num(proof.size()) + " hashes, more than any tree needs");
  }
  // RFC 9162 §2.1.3.2, step for step.
  uint64_t fn = leaf_index;
  uint64_t sn = tree_size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return rf::Status::Tampered("the inclusion proof is longer than the tree is deep");
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      ShiftToSetBit(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return rf::Status::Tampered("the inclusion proof is shorter than the tree is deep");
  if (r != root) {
    return rf::Status::Tampered("entry " + Num(leaf_index) + " with its proof does not lead to the tree head of " +
                                Num(tree_size) + " entries");
  }
  return rf::Status::Ok();
}

rf::Status VerifyConsistency(uint64_t first, uint64_t second, const Hash& first_root, const Hash& second_root,
                             const std::vector<Hash>& proof) {
  if (first == 0) {
    return rf::Status::Tampered("a consistency proof from an empty tree proves nothing; the first size must be > 0");
  }
  if (second < first) {
    return rf::Status::Tampered("the tree shrank from " + Num(first) + " to " + Num(second) + " entries");
  }
  if (first == second) {
    if (!proof.empty()) return rf::Status::Tampered("a proof between two trees of the same size must be empty");
    if (first_root != second_root) {
      return rf::Status::Tampered("two different tree heads were published for size " + Num(first));
    }
    return rf::Status::Ok();
  }
  if (proof.empty()) return rf::Status::Tampered("the consistency proof is empty");
  if (proof.size() > kConsistencyHashesMax) {
    return rf::Status::Tampered("the consistency proof has " + Num(proof.size()) + " hashes, more than any tree needs");
  }
  // RFC 9162 §2.1.4.2, step for step. When first is a power of two its root
  // is itself a node of the second tree and is implied, not sent.
  const bool first_is_node = std::has_single_bit(first);
  const size_t path_size = proof.size() + (first_is_node ? 1 : 0);
  auto path = [&](size_t i) -> const Hash& { return first_is_node ? (i == 0 ? first_root : proof[i - 1]) : proof[i]; };

  uint64_t fn = first - 1;
  uint64_t sn = second - 1;
  for (uint32_t shifts = 0; (fn & 1) == 1; ++shifts) {
    assert(shifts < kTreeLevelsMax);
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path(0);
  Hash sr = path(0);
  for (size_t i = 1; i < path_size; ++i) {
    const Hash& c = path(i);
    if (sn == 0) return rf::Status::Tampered("the consistency proof is longer than the tree is deep");
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      ShiftToSetBit(fn, sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return rf::Status::Tampered("the consistency proof is shorter than the tree is deep");
  if (fr != first_root) {
    return rf::Status::Tampered("the consistency proof does not lead to the tree head of " + Num(first) + " entries");
  }
  if (sr != second_root) {
    return rf::Status::Tampered("the consistency proof does not lead to the tree head of " + Num(second) + " entries");
  }
  return rf::Status::Ok();
}

rf::Result<MerkleAppender> MerkleAppender::Restore(NodeReader& reader, uint64_t size) {
  MerkleAppender appender;
  for (uint32_t level = 0; level < kTreeLevelsMax; ++level) {
    if ((size >> level & 1) == 0) continue;
    rf::Result<Hash> node = reader.PerfectNode(level, (size >> level) - 1);
    if (!node.ok()) return node.status();
    appender.edge_[level] = *node;
  }
  appender.size_ = size;
  return appender;
}

Hash MerkleAppender::Root() const {
  if (size_ == 0) return EmptyRoot();
  const uint32_t lowest = static_cast<uint32_t>(std::countr_zero(size_));
  Hash root = edge_[lowest];
  for (uint32_t level = lowest + 1; level < kTreeLevelsMax; ++level) {
    if ((size_ >> level & 1) == 1) root = NodeHash(edge_[level], root);
  }
  return root;
}

MemoryNodeReader::MemoryNodeReader(const std::vector<Hash>& leaf_hashes) {
  levels_.push_back(leaf_hashes);
  while (levels_.back().size() >= 2) {
    assert(levels_.size() < kTreeLevelsMax);
    const std::vector<Hash>& below = levels_.back();
    std::vector<Hash> above(below.size() / 2);
    for (size_t j = 0; j < above.size(); ++j) above[j] = NodeHash(below[2 * j], below[2 * j + 1]);
    levels_.push_back(std::move(above));
  }
}

rf::Result<Hash> MemoryNodeReader::PerfectNode(uint32_t level, uint64_t index) {
  if (level >= levels_.size() || index >= levels_[level].size()) {
    return rf::Status::NotFound("no perfect node at level " + Num(level) + " index " + Num(index));
  }
  return levels_[level][index];
}

}  // namespace rf::crypto
