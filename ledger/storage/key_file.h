#ifndef RINGFENCE_LEDGER_STORAGE_KEY_FILE_H_
#define RINGFENCE_LEDGER_STORAGE_KEY_FILE_H_

// The organisation's Ed25519 signing key on disk: PKCS#8 PEM, mode 0600,
// owned by the user running ringfence. A key file readable by group or
// others is refused: whoever can read it can forge checkpoints.

#include <string>

#include "crypto/ed25519.h"
#include "crypto/status.h"

namespace rf {

// Creates `path` exclusively (never overwrites) with mode 0600 and fsyncs it.
Status WriteNewKeyFile(const std::string& path, const crypto::SigningKey& key);

// Reads the key. Errors: NotFound, Refused if group/other can read or write
// it, InvalidInput if it is not an Ed25519 PKCS#8 PEM key.
Result<crypto::SigningKey> ReadKeyFile(const std::string& path);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_STORAGE_KEY_FILE_H_
