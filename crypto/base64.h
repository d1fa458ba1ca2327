#ifndef RINGFENCE_CRYPTO_BASE64_H_
#define RINGFENCE_CRYPTO_BASE64_H_

// Standard base64 (RFC 4648 §4, with padding), decoded strictly so that every
// byte string has exactly one accepted encoding: signed notes and checkpoints
// are compared and signed as text, so a second spelling of the same bytes
// would be a second, unsigned, "equal" document.

#include <optional>
#include <string>
#include <string_view>

#include "crypto/sha256.h"

namespace rf::crypto {

std::string Base64Encode(std::string_view bytes);

// Refuses (nullopt): characters outside the standard alphabet, missing or
// misplaced padding, any whitespace, and non-zero unused bits in the last
// character. The empty string decodes to the empty string.
std::optional<std::string> Base64Decode(std::string_view text);

// A strict base64 string that decodes to exactly 32 bytes.
std::optional<Hash> HashFromBase64(std::string_view text);

}  // namespace rf::crypto

#endif  // RINGFENCE_CRYPTO_BASE64_H_
