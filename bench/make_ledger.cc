// rf_bench_ledger DIR PEOPLE MONTHS: writes a ledger shaped like real use
// (bench_ledger.h) at DIR, its last month's bank lines loaded and left for
// `ringfence reconcile` to match, so the real command can be timed on it:
//
//   build-release/bench/rf_bench_ledger /tmp/rf-national 200000 3
//   /usr/bin/time -v build-release/tools/ringfence --ledger /tmp/rf-national
//       reconcile --month 2026-06 --dry-run      (one command line)
//
// Figures in bench/README.md. Exit 0 when written, 2 on bad arguments, 1
// when the ledger could not be built.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/bench_ledger.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: rf_bench_ledger DIR PEOPLE MONTHS\n");
    return 2;
  }
  const int people = std::atoi(argv[2]), months = std::atoi(argv[3]);
  if (people < 2 || months < 1 || months > 9) {
    std::fprintf(stderr, "rf_bench_ledger: PEOPLE must be >= 2 and MONTHS 1 to 9\n");
    return 2;
  }
  auto ledger = rf::bench::BuildBenchLedger(
      argv[1], {.people = people, .months = months, .last_month_unsettled = true});
  if (ledger == nullptr) return 1;
  std::printf("rf_bench_ledger: %s: %d people, %d months, last month's bank lines unsettled\n", argv[1], people,
              months);
  return 0;
}
