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
// Errors: Refused naming the account (rules 1-3, one budget per payment,
// an account used before its pot or budget existed); InvalidInput.
Status ApplyPostings(uint64_t seq, Date effective, const std::vector<Posting>& postings, const Authority& authority,
                     Views& views, bool enforce_rules);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_APPLY_POSTINGS_H_
