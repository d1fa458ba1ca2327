#ifndef RINGFENCE_TOOLS_OPS_LOG_H_
#define RINGFENCE_TOOLS_OPS_LOG_H_

// The operations log: one line per `ringfence` command run against a
// ledger, reads included, appended when the command ends to LEDGER/ops.log
// (issue 20 item 9). It answers "who ran what, when, and what came of it"
// for commands that journal nothing (verify, report, audit export).
//
// A line (UTC, one per command, the free-form command last):
//   2026-12-06T05:01:02.345Z actor="alice" exit=0 entries_written=3 duration_ms=41 command="post f.json"
//
// What must hold:
// - No IBAN and no person id appears unmasked: the command line is written
//   through MaskCommandLine; free-text values (--reason, --note,
//   --future-dated) are not written at all (where they matter they are
//   journalled with the entry).
// - Bounded: the live file plus `rotated_files` older ones (ops.1.log ...),
//   each at most `file_bytes_max` (spdlog's rotating sink). Defaults 4 MiB x
//   (1 + 3): ~100,000 lines of ~160 bytes.
// - Mode 0600, like the signing key: created under umask 077 and chmodded
//   when opened, so a file made by an older version is narrowed too.
// - Never the command's outcome: the exit code stays the command's. A
//   read-only ledger (directory, log file or mount not writable by this
//   user) is supported and its output must not change, so the line is
//   dropped with a debug note (--verbose); any other failure (a full disk)
//   is a warning.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"

namespace rf::cli {

inline constexpr char kOpsLogFileName[] = "ops.log";

struct OpsLogLimits {
  size_t file_bytes_max = size_t{4} << 20;
  size_t rotated_files = 3;
};
// Bounds on what the environment may set (a log of at most 20 x 64 MiB).
inline constexpr size_t kOpsLogFileBytesMin = 1024;
inline constexpr size_t kOpsLogFileBytesMax = size_t{64} << 20;
inline constexpr size_t kOpsLogRotatedFilesMax = 20;

// The defaults, or $RINGFENCE_OPS_LOG_BYTES (bytes a file) and
// $RINGFENCE_OPS_LOG_FILES (older files kept) when set; values outside the
// bounds above are clamped to them.
OpsLogLimits OpsLogLimitsFromEnvironment();

struct OpsLogLine {
  std::string actor;
  std::string command;  // from MaskCommandLine
  int exit_code = 0;
  uint64_t entries_written = 0;
  uint64_t duration_ms = 0;
};

// Person ids masked: a word beginning "P-" (the pseudonyms PRODUCT.md asks
// for, P-000123) keeps "P-" and the rest becomes "***"; a run of exactly 10
// digits (an NHS number, which ingest refuses as a person id but a person
// may still type) becomes "**********".
std::string MaskPersonIdsIn(std::string_view text);

// The arguments after the program name as the log shows them, less
// --ledger and --actor with their values (the log is in the ledger and has
// an actor field): joined by
// spaces, an argument holding a space or quote in double quotes; the value
// of a free-text option replaced by "<text>"; IBANs (also the printed form
// with spaces or lower case) and person ids masked.
std::string MaskCommandLine(const std::vector<std::string>& args);

// The line's text without the time stamp (spdlog adds it).
std::string FormatOpsLine(const OpsLogLine& line);

// Appends `line` to `ledger_dir`/ops.log, rotating by `limits`, holding an
// exclusive flock on the ledger directory meanwhile (two commands ending
// together neither interleave nor rotate twice).
// Errors: Refused when the log cannot be written because the ledger is
// read-only here (EACCES, EPERM, EROFS; nothing attempted); Io naming the
// file for any other failure (a full disk).
Status AppendOpsLog(const std::string& ledger_dir, const OpsLogLine& line, const OpsLogLimits& limits);

}  // namespace rf::cli

#endif  // RINGFENCE_TOOLS_OPS_LOG_H_
