#include "tools/output_file.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace rf::cli {
namespace {

std::string Reason(int error) { return std::strerror(error); }

// rename(2) that fails with EEXIST instead of replacing `to`; file systems
// without RENAME_NOREPLACE get link + unlink, which cannot replace either.
int RenameNoReplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  if (::link(from.c_str(), to.c_str()) != 0) return -1;
  ::unlink(from.c_str());
  return 0;
}

}  // namespace

Result<NewOutputFile> NewOutputFile::Reserve(const std::string& path) {
  if (path.empty()) return Status::InvalidInput("--out: name the file to write");
  std::error_code ec;
  if (std::filesystem::symlink_status(path, ec).type() != std::filesystem::file_type::not_found) {
    return Status::InvalidInput("--out: " + path + " already exists; it is never overwritten");
  }
  const std::filesystem::path p(path);
  const std::string temp =
      (p.parent_path() / ("." + p.filename().string() + ".tmp-" + std::to_string(::getpid()))).string();
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::Io("--out: " + path + ": cannot create a file there (" + Reason(errno) +
                      "); check the folder exists and is writable");
  }
  return NewOutputFile(path, temp, fd);
}

NewOutputFile::NewOutputFile(NewOutputFile&& other) noexcept
    : path_(std::move(other.path_)), temp_(std::move(other.temp_)), fd_(other.fd_) {
  other.temp_.clear();
  other.fd_ = -1;
}

NewOutputFile::~NewOutputFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

Status NewOutputFile::Publish(std::string_view text) {
  assert(fd_ >= 0 && !temp_.empty());
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  bool ok = written == text.size() && ::fsync(fd_) == 0;
  int error = ok ? 0 : (errno != 0 ? errno : EIO);
  if (::close(fd_) != 0 && ok) {
    ok = false;
    error = errno;
  }
  fd_ = -1;
  if (ok && RenameNoReplace(temp_, path_) != 0) {
    ok = false;
    error = errno;
  }
  if (!ok) return Status::Io(path_ + ": cannot write (" + Reason(error) + ")");
  temp_.clear();
  assert(std::filesystem::exists(path_));
  const std::string dir = std::filesystem::path(path_).parent_path().string();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return Status::Ok();
}

}  // namespace rf::cli
