#ifndef RINGFENCE_TOOLS_CLI_OUTPUT_H_
#define RINGFENCE_TOOLS_CLI_OUTPUT_H_

// Printing shared by the two programs: errors to stderr with the exit code
// the contract gives them, and progress lines only when stderr is a terminal.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "crypto/status.h"

namespace rf::cli {

// Parses the command line. Returns the exit code when the program should
// stop now: 0 after --help, 2 for a usage error (the contract's code, not
// CLI11's own).
std::optional<int> ParseArguments(CLI::App& app, int argc, char** argv);

// How much goes to stderr besides errors, from the global --quiet and
// --verbose: kQuiet errors only (no notes, warnings or progress), kNormal
// notes and warnings, kVerbose also debug detail ("debug: ...").
enum class Verbosity { kQuiet, kNormal, kVerbose };
void SetVerbosity(Verbosity verbosity);
Verbosity CurrentVerbosity();

// Lines to stderr through spdlog, IBANs masked, each shown from its
// verbosity up: Note (as given) and Warn ("warning: " first) unless
// --quiet; Debug ("debug: " first) only with --verbose.
void Note(const std::string& text);
void Warn(const std::string& text);
void Debug(const std::string& text);
// Note with printf formatting (a trailing newline is dropped: spdlog ends the line).
void NoteF(const char* format, ...) __attribute__((format(printf, 1, 2)));

// Prints "ringfence: error: <message>" (IBANs masked) and returns the exit code.
int Fail(const char* program, const Status& status);

// True when stderr is a terminal (progress is drawn only then).
bool StderrIsTerminal();

// Draws "\r<what> <done>/<total>" on a terminal; a no-op when piped.
void Progress(const char* what, uint64_t done, uint64_t total);
void ProgressDone();

// Writes `text` to `path` whole or not at all: a temporary file beside it,
// synced, renamed over `path`, then the directory synced. Errors: Io naming
// the path (the temporary file is removed).
Status WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace rf::cli

#endif  // RINGFENCE_TOOLS_CLI_OUTPUT_H_
