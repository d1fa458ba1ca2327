// libFuzzer target: the flat form of invoice records (ledger/stored_record.h),
// both ways. The checks live in fuzz_checks.h so tests/fuzz_regressions_test.cc
// can replay saved inputs through exactly the same code.
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string failure = rf::fuzz::CheckStoredRecord(rf::fuzz::AsText(data, size));
  if (!failure.empty()) {
    std::fprintf(stderr, "stored_record: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
