#ifndef RINGFENCE_CRYPTO_SMALL_FILE_H_
#define RINGFENCE_CRYPTO_SMALL_FILE_H_

// Reading a small file (a key, a note, a manifest, a proof) whole, with a
// bound, so a hostile or mistaken path never makes memory grow unbounded.

#include <string>

#include "crypto/status.h"

namespace rf {

// Errors: NotFound if absent; InvalidInput if larger than `bytes_max`; Io.
Result<std::string> ReadSmallFile(const std::string& path, size_t bytes_max);

}  // namespace rf

#endif  // RINGFENCE_CRYPTO_SMALL_FILE_H_
