#ifndef RINGFENCE_LEDGER_VERIFY_AUDIT_PACK_H_
#define RINGFENCE_LEDGER_VERIFY_AUDIT_PACK_H_

// The audit pack: a plain folder an auditor can check with standard tools.
//   journal.jsonl     every canonical line, each ending in "\n"
//   checkpoint        the latest signed checkpoint note
//   checkpoints/      every earlier one, named by tree size (12 digits)
//   public-key.pem    Ed25519 SubjectPublicKeyInfo PEM
//   verifier-key.txt  C2SP verifier key "<origin>+<hex id>+<base64>", newline
//   manifest.json     org, origin, sizes, root, SHA-256 and length of each file
//
// This reader needs no LMDB: `ringfence-verify` links only rf_core and
// rf_crypto. It streams the journal (memory bounded by one line plus the
// list of checkpoint sizes).

#include <cstdint>
#include <optional>
#include <string>

#include "crypto/sha256.h"
#include "crypto/status.h"

namespace rf {

inline constexpr char kPackFormat[] = "ringfence-audit-pack/1";
inline constexpr char kPackJournal[] = "journal.jsonl";
inline constexpr char kPackCheckpoint[] = "checkpoint";
inline constexpr char kPackCheckpointsDir[] = "checkpoints";
inline constexpr char kPackPublicKey[] = "public-key.pem";
inline constexpr char kPackVerifierKey[] = "verifier-key.txt";
inline constexpr char kPackManifest[] = "manifest.json";
inline constexpr int kPackCheckpointNameDigits = 12;
// Bounds on the small files of a pack (the journal itself is streamed).
inline constexpr size_t kPackSmallFileBytesMax = 64 * 1024;
inline constexpr size_t kPackManifestBytesMax = size_t{256} << 20;

// "000000000042" for size 42.
std::string PackCheckpointName(uint64_t tree_size);

struct PackVerifyReport {
  std::string org;
  std::string origin;
  std::string verifier_key;
  uint64_t entries = 0;
  uint64_t checkpoints = 0;
  crypto::Hash root{};
};

// Verifies the pack in `dir`. With `pinned_key` (a verifier key string or a
// public key PEM the auditor obtained independently) the pack must be signed
// by that key; otherwise the pack's own public key is used.
// Errors: Tampered naming the first entry, checkpoint or file that
// disagrees; InvalidInput/NotFound for an unreadable pack.
Result<PackVerifyReport> VerifyAuditPack(const std::string& dir, const std::optional<std::string>& pinned_key);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_VERIFY_AUDIT_PACK_H_
