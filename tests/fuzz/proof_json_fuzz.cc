// libFuzzer target: rf::VerifyProofJson, the inclusion or consistency proof
// document `ringfence-verify PACK --proof FILE` checks. The checks live in
// fuzz_checks.h so tests/fuzz_regressions_test.cc can replay saved inputs
// through exactly the same code.
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string failure = rf::fuzz::CheckProofJson(rf::fuzz::AsText(data, size));
  if (!failure.empty()) {
    std::fprintf(stderr, "proof_json: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
