#include "crypto/sha256_stream.h"

#include <cassert>
#include <cstdlib>

namespace rf::crypto {

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  // Allocation failure here is not an input error; nothing sensible follows.
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) std::abort();
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(ctx_); }

void Sha256Stream::Update(std::string_view bytes) {
  assert(!finished_);
  if (EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1) std::abort();
}

Hash Sha256Stream::Finish() {
  assert(!finished_);
  finished_ = true;
  Hash out;
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_, out.data(), &len) != 1) std::abort();
  assert(len == out.size());
  return out;
}

}  // namespace rf::crypto
