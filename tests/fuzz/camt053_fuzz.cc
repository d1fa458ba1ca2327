// libFuzzer entry point for the camt.053 reader. Any bytes must give either
// a statement or an InvalidInput status: never a crash, a hang, an assertion
// or unbounded memory (the reader refuses input over kCamtFileBytesMax before
// parsing). Built by the fuzz harness, not by the default CMake build.
// Seeds: tests/fuzz/corpus/camt053/.

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/bank/camt053.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  rf::Result<rf::CamtFile> read = rf::ParseCamt053(xml, "fuzz.xml");
  if (!read.ok()) {
    assert(read.status().code() == rf::Status::Code::kInvalidInput);
    assert(!read.status().message().empty());
    return 0;
  }
  // What a successful read promises.
  assert(!read->statements.empty());
  for (const rf::CamtStatement& statement : read->statements) {
    assert(statement.currency == "GBP");
    assert(!statement.account.empty());
    for (const rf::CamtBankLine& line : statement.lines) {
      assert(!line.line_id.empty());
      assert(line.description.size() <= rf::kCamtDescriptionBytesMax);
      (void)line;
    }
  }
  return 0;
}
