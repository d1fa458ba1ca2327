#ifndef RINGFENCE_TOOLS_OUTPUT_FILE_H_
#define RINGFENCE_TOOLS_OUTPUT_FILE_H_

// A file a command writes whole or not at all, and never over another file
// (a pain.001 run file). It is reserved before the work that fills it, so a
// missing or unwritable folder, or a name already taken, is found before
// anything is journalled: Reserve creates an empty temporary beside the
// path, Publish writes it, syncs it and moves it into place without ever
// replacing a file, and a reservation never published leaves nothing.

#include <string>
#include <string_view>

#include "crypto/status.h"

namespace rf::cli {

class NewOutputFile {
 public:
  // Errors: InvalidInput when `path` is empty or exists; Io naming the path
  // and the system's reason when the temporary cannot be created.
  static Result<NewOutputFile> Reserve(const std::string& path);
  NewOutputFile(NewOutputFile&& other) noexcept;
  NewOutputFile& operator=(NewOutputFile&&) = delete;
  ~NewOutputFile();  // removes the temporary unless published

  // REQUIRES: not yet published. Io naming the path on failure (the
  // temporary is then removed, and `path` does not exist).
  Status Publish(std::string_view text);

  const std::string& path() const { return path_; }

 private:
  NewOutputFile(std::string path, std::string temp, int fd) : path_(std::move(path)), temp_(std::move(temp)), fd_(fd) {}
  std::string path_;
  std::string temp_;  // empty once published or moved from
  int fd_ = -1;
};

}  // namespace rf::cli

#endif  // RINGFENCE_TOOLS_OUTPUT_FILE_H_
