#include "tools/ops_log.h"

#include <fcntl.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "ledger/bank/iban.h"

namespace rf::cli {
namespace {

bool OpsAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool OpsDigit(char c) { return c >= '0' && c <= '9'; }

size_t SizeFromEnvironment(const char* name, size_t fallback, size_t low, size_t high) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0') return fallback;
  return std::clamp(static_cast<size_t>(value), low, high);
}

// Options whose value is free text a person typed: not logged.
bool IsFreeTextOption(std::string_view name) {
  return name == "--reason" || name == "--note" || name == "--future-dated";
}

// An argument that is an IBAN in any form a person might type it: spaces
// between groups, lower case. MaskIbansIn covers the electronic form
// inside longer text.
// Returns the IBAN in electronic form, or "" when `arg` is not one.
std::string AsTypedIban(std::string_view arg) {
  std::string compact;
  for (char c : arg) {
    if (c == ' ') continue;
    if (!OpsAlnum(c)) return "";
    compact += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  const bool iban = compact.size() >= 15 && compact.size() <= 34 && !OpsDigit(compact[0]) && !OpsDigit(compact[1]) &&
                    OpsDigit(compact[2]) && OpsDigit(compact[3]);
  return iban ? compact : "";
}

std::string MaskArgument(std::string_view arg) {
  if (const std::string iban = AsTypedIban(arg); !iban.empty()) return MaskIban(iban);
  return MaskPersonIdsIn(MaskIbansIn(arg));
}

// Double quotes around text holding a space or quote, with \" and \\.
std::string QuotedIfNeeded(std::string_view text) {
  const bool plain = !text.empty() && std::none_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  });
  if (plain) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  return out + "\"";
}

}  // namespace

OpsLogLimits OpsLogLimitsFromEnvironment() {
  OpsLogLimits limits;
  limits.file_bytes_max =
      SizeFromEnvironment("RINGFENCE_OPS_LOG_BYTES", limits.file_bytes_max, kOpsLogFileBytesMin, kOpsLogFileBytesMax);
  limits.rotated_files =
      SizeFromEnvironment("RINGFENCE_OPS_LOG_FILES", limits.rotated_files, 1, kOpsLogRotatedFilesMax);
  return limits;
}

std::string MaskPersonIdsIn(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const bool word_start = i == 0 || !OpsAlnum(text[i - 1]);
    if (word_start && text[i] == 'P' && i + 2 < text.size() && text[i + 1] == '-' && OpsAlnum(text[i + 2])) {
      size_t end = i + 2;
      while (end < text.size() && (OpsAlnum(text[end]) || text[end] == '-' || text[end] == '_')) ++end;
      out += "P-***";
      i = end;
      continue;
    }
    if (word_start && OpsDigit(text[i])) {
      size_t end = i;
      while (end < text.size() && OpsDigit(text[end])) ++end;
      const bool nhs_number = end - i == 10 && (end == text.size() || !OpsAlnum(text[end]));
      out += nhs_number ? std::string(10, '*') : std::string(text.substr(i, end - i));
      i = end;
      continue;
    }
    out += text[i++];
  }
  return out;
}

std::string MaskCommandLine(const std::vector<std::string>& args) {
  std::string out;
  bool value_is_free_text = false;
  bool skip_value = false;
  for (const std::string& arg : args) {
    if (skip_value) {
      skip_value = false;
      continue;
    }
    // The log lives in the ledger and has its own actor field.
    if (arg == "--ledger" || arg == "--actor") {
      skip_value = true;
      continue;
    }
    if (arg.starts_with("--ledger=") || arg.starts_with("--actor=")) continue;
    std::string shown;
    if (value_is_free_text) {
      shown = "<text>";
      value_is_free_text = false;
    } else if (arg.starts_with("--")) {
      const size_t equals = arg.find('=');
      const std::string_view name = std::string_view(arg).substr(0, equals);
      if (IsFreeTextOption(name)) {
        shown = std::string(name) + (equals == std::string::npos ? "" : "=<text>");
        value_is_free_text = equals == std::string::npos;
      } else if (equals != std::string::npos) {
        shown = std::string(name) + "=" + MaskArgument(std::string_view(arg).substr(equals + 1));
      } else {
        shown = MaskArgument(arg);
      }
    } else {
      shown = MaskArgument(arg);
    }
    if (!out.empty()) out += ' ';
    out += QuotedIfNeeded(shown);
  }
  return out;
}

std::string FormatOpsLine(const OpsLogLine& line) {
  std::string out = "actor=" + QuotedIfNeeded(MaskPersonIdsIn(MaskIbansIn(line.actor)));
  if (out.size() == std::string_view("actor=").size()) out += "\"\"";
  out += " exit=" + std::to_string(line.exit_code);
  out += " entries_written=" + std::to_string(line.entries_written);
  out += " duration_ms=" + std::to_string(line.duration_ms);
  out += " command=\"";
  for (char c : line.command) {
    if (c == '"' || c == '\\') out += '\\';
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  out += "\"";
  return out;
}

Status AppendOpsLog(const std::string& ledger_dir, const OpsLogLine& line, const OpsLogLimits& limits) {
  assert(limits.file_bytes_max >= kOpsLogFileBytesMin && limits.rotated_files >= 1);
  const std::string path = ledger_dir + "/" + kOpsLogFileName;
  // A read-only ledger (its directory, or the log an owner made read-only,
  // or a read-only mount) is a use the ledger supports: Refused, not Io.
  const bool exists = ::access(path.c_str(), F_OK) == 0;
  if (::faccessat(AT_FDCWD, (exists ? path : ledger_dir).c_str(), W_OK, AT_EACCESS) != 0 &&
      (errno == EACCES || errno == EPERM || errno == EROFS)) {
    return Status::Refused(path + ": not written, the ledger is read-only here (" + std::strerror(errno) + ")");
  }
  const int dir_fd = ::open(ledger_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return Status::Io(path + ": cannot open the ledger directory (" + std::strerror(errno) + ")");
  ::flock(dir_fd, LOCK_EX);  // best effort: without it lines still append whole
  // Files the sink creates (the first, and each after a rotation) are
  // private from the start; umask is process-wide, and this runs once, as
  // the command ends, with no other thread creating files.
  const mode_t old_umask = ::umask(077);
  std::string failure;
  try {
    spdlog::file_event_handlers handlers;
    handlers.after_open = [](const spdlog::filename_t&, std::FILE* file) { ::fchmod(::fileno(file), 0600); };
    auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path, limits.file_bytes_max,
                                                                       limits.rotated_files, false, handlers);
    spdlog::logger logger("ops", sink);
    logger.set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %v", spdlog::pattern_time_type::utc);
    logger.set_error_handler([&failure](const std::string& message) { failure = message; });
    logger.info(FormatOpsLine(line));
    logger.flush();
  } catch (const spdlog::spdlog_ex& e) {
    failure = e.what();
  }
  ::umask(old_umask);
  ::flock(dir_fd, LOCK_UN);
  ::close(dir_fd);
  if (!failure.empty()) return Status::Io(path + ": cannot append (" + MaskIbansIn(failure) + ")");
  return Status::Ok();
}

}  // namespace rf::cli
