#include "ledger/storage/key_file.h"
#include "crypto/small_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>

namespace rf {
namespace {

constexpr size_t kKeyFileBytesMax = 4096;

Status WriteAll(int fd, const std::string& path, const std::string& contents) {
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::Io(path + ": write failed: " + std::strerror(errno));
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return Status::Io(path + ": fsync failed: " + std::strerror(errno));
  return Status::Ok();
}

Status WriteWithFlags(const std::string& path, const std::string& contents, int flags, mode_t mode) {
  const int fd = ::open(path.c_str(), flags | O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0) return Status::Io(path + ": cannot create: " + std::strerror(errno));
  Status s = WriteAll(fd, path, contents);
  if (::close(fd) != 0 && s.ok()) s = Status::Io(path + ": close failed: " + std::strerror(errno));
  return s;
}

}  // namespace

Status WriteNewKeyFile(const std::string& path, const crypto::SigningKey& key) {
  const std::string pem = key.ToPem();
  assert(!pem.empty());
  RF_RETURN_IF_ERROR(WriteWithFlags(path, pem, O_CREAT | O_EXCL, 0600));
  // The umask can only remove bits; make the mode exact regardless.
  if (::chmod(path.c_str(), 0600) != 0) return Status::Io(path + ": chmod failed: " + std::strerror(errno));
  return Status::Ok();
}

Result<crypto::SigningKey> ReadKeyFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": signing key not found (was the ledger made with `ringfence init`?)");
    return Status::Io(path + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status::Refused(path + ": signing key has mode " + mode +
                           "; it must be readable by its owner only (chmod 600 " + path + ")");
  }
  auto pem = ReadSmallFile(path, kKeyFileBytesMax);
  if (!pem.ok()) return pem.status();
  auto key = crypto::SigningKey::FromPem(*pem);
  if (!key.ok()) return Status::InvalidInput(path + ": not an Ed25519 private key in PKCS#8 PEM form");
  return key;
}

}  // namespace rf
