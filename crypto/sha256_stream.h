#ifndef RINGFENCE_CRYPTO_SHA256_STREAM_H_
#define RINGFENCE_CRYPTO_SHA256_STREAM_H_

// Incremental SHA-256 for hashing files as they stream past (audit pack
// manifests), so no file is ever held whole in memory.

#include <openssl/evp.h>

#include <string_view>

#include "crypto/sha256.h"

namespace rf::crypto {

class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(std::string_view bytes);
  // REQUIRES: called once; the stream cannot be updated afterwards.
  Hash Finish();

 private:
  EVP_MD_CTX* ctx_;
  bool finished_ = false;
};

}  // namespace rf::crypto

#endif  // RINGFENCE_CRYPTO_SHA256_STREAM_H_
