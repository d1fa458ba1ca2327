#ifndef RINGFENCE_BENCH_BENCH_LEDGER_H_
#define RINGFENCE_BENCH_BENCH_LEDGER_H_

// A ledger shaped like real use, for the benchmarks (verify_bench.cc,
// national_ledger.cc): one pot, providers of 40 people each, people with
// one budget each (even: notional, two invoices a month; odd: direct
// payment, a monthly instalment and a return), and per month the invoices
// received and approved, the payment run, a bank line per payment and, for
// every month but an unsettled last one, a settlement per line. About 16
// entries per person a month. Bench code: set-up only, not timed.

#include <memory>
#include <string>

#include "ledger/storage/ledger.h"

namespace rf::bench {

struct BenchLedgerShape {
  int people = 20'000;
  // Months of activity from April 2026 (runs on the 1st of the next month).
  int months = 2;
  // The last month's bank lines are loaded but left for `reconcile` to
  // match (one in ten without an end-to-end id, for the window tier).
  bool last_month_unsettled = false;
};

// Creates the ledger at `dir` (removed first). nullptr after printing why.
std::unique_ptr<Ledger> BuildBenchLedger(const std::string& dir, const BenchLedgerShape& shape);

}  // namespace rf::bench

#endif  // RINGFENCE_BENCH_BENCH_LEDGER_H_
