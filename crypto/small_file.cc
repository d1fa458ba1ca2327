#include "crypto/small_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rf {

Result<std::string> ReadSmallFile(const std::string& path, size_t bytes_max) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::Io(path + ": cannot open: " + std::strerror(errno));
  }
  std::string out;
  char buffer[8192];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Status::Io(path + ": read failed: " + std::strerror(errno));
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
    if (out.size() > bytes_max) {
      ::close(fd);
      return Status::InvalidInput(path + ": larger than " + std::to_string(bytes_max) + " bytes");
    }
  }
  ::close(fd);
  return out;
}

}  // namespace rf
