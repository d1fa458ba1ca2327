#include "tools/cli_output.h"

#include <unistd.h>

#include <cstdio>

#include "ledger/bank/iban.h"

namespace rf::cli {

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
  if (!StderrIsTerminal()) return;
  std::fprintf(stderr, "\r%s %llu/%llu", what, static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total));
  std::fflush(stderr);
}

void ProgressDone() {
  if (StderrIsTerminal()) std::fprintf(stderr, "\r\033[K");
}

}  // namespace rf::cli
