#ifndef RINGFENCE_RECONCILE_RUN_THREADS_H_
#define RINGFENCE_RECONCILE_RUN_THREADS_H_

// `reconcile --threads N`: how many threads a month's reads use, in a dry
// run (month_dry_run.h) and a real run (month_real_run.h) alike.

#include <string>

#include "crypto/status.h"

namespace rf {

// At most two: the CI box has two cores, and each run splits its reads in
// two (the dry run's month, the real run's plan and flags).
inline constexpr unsigned kReconcileThreadsMax = 2;

// Ok for 1 or kReconcileThreadsMax; InvalidInput naming the flag otherwise.
inline Status CheckReconcileThreads(unsigned threads) {
  if (threads == 1 || threads == kReconcileThreadsMax) return Status::Ok();
  return Status::InvalidInput("--threads: 1 or " + std::to_string(kReconcileThreadsMax) + ", not " +
                              std::to_string(threads));
}

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_RUN_THREADS_H_
