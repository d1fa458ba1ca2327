#ifndef RINGFENCE_TESTS_TEST_UTIL_H_
#define RINGFENCE_TESTS_TEST_UTIL_H_

// Shared helpers for tests: scratch directories, drafts, running programs.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "ledger/date.h"
#include "ledger/entry.h"

namespace rf::test {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "rf-test-XXXXXX").string();
    char* made = ::mkdtemp(templ.data());
    if (made == nullptr) std::abort();
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline EntryDraft NoteDraft(uint64_t n) {
  EntryDraft d;
  d.kind = "note";
  d.effective = *Date::Parse("2026-04-01", "effective");
  d.actor = "tester";
  d.source = "test#" + std::to_string(n);
  d.body = {{"n", n}, {"text", "entry number " + std::to_string(n)}, {"amount", "12.50"}};
  return d;
}

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command, capturing its output.
inline RunResult Run(const std::string& command) {
  RunResult r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), p)) > 0) r.output.append(buffer, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string Quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace rf::test

#endif  // RINGFENCE_TESTS_TEST_UTIL_H_
