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
