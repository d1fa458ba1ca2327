#ifndef RINGFENCE_CRYPTO_CHECKPOINT_H_
#define RINGFENCE_CRYPTO_CHECKPOINT_H_

// C2SP tlog-checkpoint bodies (https://c2sp.org/tlog-checkpoint): the text a
// signed note carries to commit to a tree head.
//
//   <origin>\n<decimal tree size>\n<base64 root hash>\n[<extension line>\n]...

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/sha256.h"
#include "crypto/status.h"

namespace rf::crypto {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
};

// REQUIRES: origin is non-empty and has no control characters.
std::string CheckpointText(const Checkpoint& checkpoint);

// Strict: non-empty origin, size in decimal without leading zeros (and no
// larger than UINT64_MAX), root as strict base64 of 32 bytes, every line ending
// in '\n' and free of control characters. Extension lines must be non-empty;
// they are allowed and ignored. Anything else is Tampered.
rf::Result<Checkpoint> ParseCheckpointText(std::string_view text);

}  // namespace rf::crypto

#endif  // RINGFENCE_CRYPTO_CHECKPOINT_H_
