#ifndef RINGFENCE_LEDGER_CORE_APPLY_POSTINGS_H_
#define RINGFENCE_LEDGER_CORE_APPLY_POSTINGS_H_

// The money half of ApplyEntry (apply.h): checks one entry's postings
// against the ring-fence rules on the current views and moves the balances.

#include <cstdint>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/core/rules.h"
#include "ledger/core/views.h"

namespace rf {

// Checks and applies `postings` of entry `seq` (effective `effective`):
// balances, pot and budget totals, and OVERSPEND / DIVERSION flag records.
// An empty list changes nothing.
// Errors: Refused naming the account (rules 1-3, one budget per payment
// ONE_BUDGET, an account of a budget not known UNKNOWN_BUDGET, used before
// its budget was approved BEFORE_BUDGET_APPROVED or its pot funded
// BEFORE_POT_FUNDED); InvalidInput.
Status ApplyPostings(uint64_t seq, Date effective, const std::vector<Posting>& postings, const Authority& authority,
                     Views& views, bool enforce_rules);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_APPLY_POSTINGS_H_
