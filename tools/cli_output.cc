#include "tools/cli_output.h"

#include <fcntl.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "ledger/bank/iban.h"

namespace rf::cli {
namespace {

Verbosity verbosity = Verbosity::kNormal;

// One logger for the program's stderr: plain text (no colour, no time; the
// messages carry their own "warning: " or "debug: "), flushed on every line
// so it interleaves with stdout as fprintf(stderr) did.
spdlog::logger& StderrLogger() {
  static spdlog::logger* logger = [] {
    auto* made = new spdlog::logger("ringfence", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    made->set_pattern("%v");
    made->flush_on(spdlog::level::trace);
    made->set_level(spdlog::level::info);
    return made;
  }();
  return *logger;
}

}  // namespace

void SetVerbosity(Verbosity v) {
  verbosity = v;
  StderrLogger().set_level(v == Verbosity::kQuiet     ? spdlog::level::err
                           : v == Verbosity::kVerbose ? spdlog::level::debug
                                                      : spdlog::level::info);
}

Verbosity CurrentVerbosity() { return verbosity; }

void Note(const std::string& text) { StderrLogger().info(MaskIbansIn(text)); }
void NoteF(const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  std::va_list again;
  va_copy(again, args);
  const int size = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  std::string text(size > 0 ? static_cast<size_t>(size) : 0, '\0');
  if (size > 0) std::vsnprintf(text.data(), text.size() + 1, format, again);
  va_end(again);
  if (!text.empty() && text.back() == '\n') text.pop_back();
  Note(text);
}

void Warn(const std::string& text) { StderrLogger().warn("warning: " + MaskIbansIn(text)); }
void Debug(const std::string& text) {
  if (verbosity == Verbosity::kVerbose) StderrLogger().debug("debug: " + MaskIbansIn(text));
}

std::optional<int> ParseArguments(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  return std::nullopt;
}

int Fail(const char* program, const Status& status) {
  const char* label = status.code() == Status::Code::kTampered ? "FAILED" : "error";
  // Every message is masked here as well as where it is made: a value
  // quoted from a file or a damaged ledger may hold bank details.
  std::fprintf(stderr, "%s: %s: %s\n", program, label, MaskIbansIn(status.message()).c_str());
  return status.exit_code();
}

bool StderrIsTerminal() {
  static const bool terminal = ::isatty(STDERR_FILENO) == 1;
  return terminal;
}

void Progress(const char* what, uint64_t done, uint64_t total) {
  if (!StderrIsTerminal() || verbosity == Verbosity::kQuiet) return;
  std::fprintf(stderr, "\r%s %llu/%llu", what, static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total));
  std::fflush(stderr);
}

void ProgressDone() {
  if (StderrIsTerminal() && verbosity != Verbosity::kQuiet) std::fprintf(stderr, "\r\033[K");
}

Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Io(temp + ": cannot create (" + std::strerror(errno) + ")");
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool ok = written == text.size() && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return Status::Io(path + ": cannot write (" + std::strerror(ok ? errno : saved_errno) + ")");
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return Status::Ok();
}

}  // namespace rf::cli
