#include "ledger/verify/proof_json.h"

#include <cassert>

#include "crypto/base64.h"
#include "crypto/checkpoint.h"
#include "crypto/merkle.h"

namespace rf {

std::string HashToBase64(const crypto::Hash& hash) {
  return crypto::Base64Encode(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

nlohmann::json HashesToJson(const std::vector<crypto::Hash>& hashes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& h : hashes) out.push_back(HashToBase64(h));
  return out;
}

namespace {

// The member `name` of `proof`, or a null value when it is absent (operator[]
// on a const json asserts that the member exists).
const nlohmann::json& Member(const nlohmann::json& proof, const char* name) {
  static const nlohmann::json kAbsent;
  if (!proof.is_object()) return kAbsent;
  const auto it = proof.find(name);
  return it == proof.end() ? kAbsent : *it;
}

// A signed checkpoint of `size` leaves, checked against `key`; its root.
Result<crypto::Hash> SignedRoot(const nlohmann::json& note, const char* name, uint64_t size,
                                const crypto::ParsedVerifierKey& key) {
  auto text = crypto::OpenNote(note.get<std::string>(), key);
  if (!text.ok()) return Status::Tampered(std::string(name) + ": " + text.status().message());
  auto checkpoint = crypto::ParseCheckpointText(*text);
  if (!checkpoint.ok()) return Status::Tampered(std::string(name) + ": " + checkpoint.status().message());
  if (checkpoint->size != size) {
    return Status::Tampered(std::string(name) + " is of a tree of " + std::to_string(checkpoint->size) +
                            " entries, not " + std::to_string(size));
  }
  return checkpoint->root;
}

}  // namespace

Status VerifyConsistencyJson(const nlohmann::json& proof, const crypto::ParsedVerifierKey& key) {
  if (!Member(proof, "first").is_number_unsigned() || !Member(proof, "second").is_number_unsigned() ||
      !Member(proof, "consistency_path").is_array()) {
    return Status::InvalidInput("not a consistency proof (first, second, consistency_path)");
  }
  if (!Member(proof, "first_checkpoint").is_string() || !Member(proof, "second_checkpoint").is_string()) {
    return Status::InvalidInput(
        "the proof carries no signed checkpoint for one of its sizes (first_checkpoint, second_checkpoint), so "
        "there is no root to check it against; ask for a proof between sizes at which checkpoints were signed");
  }
  const uint64_t first = proof["first"], second = proof["second"];
  auto first_root = SignedRoot(proof["first_checkpoint"], "first_checkpoint", first, key);
  if (!first_root.ok()) return first_root.status();
  auto second_root = SignedRoot(proof["second_checkpoint"], "second_checkpoint", second, key);
  if (!second_root.ok()) return second_root.status();
  std::vector<crypto::Hash> path;
  for (const auto& item : proof["consistency_path"]) {
    const auto h = item.is_string() ? crypto::HashFromBase64(item.get<std::string>()) : std::nullopt;
    if (!h) return Status::Tampered("consistency_path: holds something other than base64 SHA-256 hashes");
    path.push_back(*h);
  }
  assert(path.size() == proof["consistency_path"].size());
  return crypto::VerifyConsistency(first, second, *first_root, *second_root, path);
}

Status VerifyProofJson(const nlohmann::json& proof, const crypto::ParsedVerifierKey& key) {
  if (Member(proof, "consistency_path").is_array()) return VerifyConsistencyJson(proof, key);
  if (Member(proof, "inclusion_path").is_array()) return VerifyInclusionJson(proof, key);
  return Status::InvalidInput(
      "not a proof: expected an inclusion proof (`ringfence audit prove`, with "
      "inclusion_path) or a consistency proof (`ringfence audit consistency`, with "
      "consistency_path)");
}

Status VerifyInclusionJson(const nlohmann::json& proof, const crypto::ParsedVerifierKey& key) {
  // operator[] on a const json asserts that the member exists, so the shape
  // is checked with find(); past this check every member read is present.
  const auto member = [&proof](const char* name) -> const nlohmann::json& {
    static const nlohmann::json kAbsent;
    const auto it = proof.find(name);
    return it == proof.end() ? kAbsent : *it;
  };
  if (!proof.is_object() || !member("leaf_index").is_number_unsigned() || !member("tree_size").is_number_unsigned() ||
      !member("leaf_hash").is_string() || !member("inclusion_path").is_array() || !member("checkpoint").is_string()) {
    return Status::InvalidInput("not an inclusion proof (leaf_index, tree_size, leaf_hash, inclusion_path, checkpoint)");
  }
  auto text = crypto::OpenNote(proof["checkpoint"].get<std::string>(), key);
  if (!text.ok()) return Status::Tampered("checkpoint: " + text.status().message());
  auto checkpoint = crypto::ParseCheckpointText(*text);
  if (!checkpoint.ok()) return Status::Tampered("checkpoint: " + checkpoint.status().message());
  const uint64_t size = proof["tree_size"];
  if (checkpoint->size != size) return Status::Tampered("tree_size does not match the checkpoint's size");
  const auto leaf = crypto::HashFromBase64(proof["leaf_hash"].get<std::string>());
  if (!leaf) return Status::Tampered("leaf_hash: not a base64 SHA-256 hash");
  if (proof.contains("entry")) {
    if (!proof["entry"].is_string() || crypto::LeafHash(proof["entry"].get<std::string>()) != *leaf) {
      return Status::Tampered("entry: its leaf hash is not leaf_hash");
    }
  }
  std::vector<crypto::Hash> path;
  for (const auto& item : proof["inclusion_path"]) {
    const auto h = item.is_string() ? crypto::HashFromBase64(item.get<std::string>()) : std::nullopt;
    if (!h) return Status::Tampered("inclusion_path: holds something other than base64 SHA-256 hashes");
    path.push_back(*h);
  }
  assert(path.size() == proof["inclusion_path"].size());
  return crypto::VerifyInclusion(*leaf, proof["leaf_index"], size, path, checkpoint->root);
}

}  // namespace rf
