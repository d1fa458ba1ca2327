#ifndef RINGFENCE_LEDGER_VERIFY_PROOF_JSON_H_
#define RINGFENCE_LEDGER_VERIFY_PROOF_JSON_H_

// Proofs as JSON with RFC 9162's names and base64 hashes:
//   inclusion   {"leaf_index", "tree_size", "leaf_hash", "inclusion_path",
//                "checkpoint", "entry"}
//   consistency {"first", "second", "consistency_path",
//                "first_checkpoint", "second_checkpoint"}
// "entry" (the canonical line) and the checkpoints are extras an auditor
// needs to check the proof offline; they come from the same snapshot.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/note.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace rf {

std::string HashToBase64(const crypto::Hash& hash);
nlohmann::json HashesToJson(const std::vector<crypto::Hash>& hashes);

// Checks an inclusion proof document against `key`: the checkpoint's
// signature, the entry's leaf hash, and the path up to the signed root.
Status VerifyInclusionJson(const nlohmann::json& proof, const crypto::ParsedVerifierKey& key);

// Checks a consistency proof document against `key`: both checkpoints'
// signatures and sizes, then the path from the first signed root to the
// second (RFC 9162 §2.1.4.2). A proof between sizes at which no checkpoint
// was signed carries no roots to check: InvalidInput saying so.
Status VerifyConsistencyJson(const nlohmann::json& proof, const crypto::ParsedVerifierKey& key);

// Either kind, told apart by its path member (inclusion_path or
// consistency_path); InvalidInput when it is neither.
Status VerifyProofJson(const nlohmann::json& proof, const crypto::ParsedVerifierKey& key);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_VERIFY_PROOF_JSON_H_
