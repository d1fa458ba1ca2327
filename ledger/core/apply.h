#ifndef RINGFENCE_LEDGER_CORE_APPLY_H_
#define RINGFENCE_LEDGER_CORE_APPLY_H_

// Applying one entry to the views: where a posting is refused.
//
// ApplyEntry is the only code that changes views. Posting runs it inside the
// write transaction before the entry is written (a refusal aborts the whole
// file); verify runs it again over the whole journal and compares; reports
// run it up to an as-of date. Pure: views come through Views, earlier
// entries through PriorEntries.
//
// For every kind (entry_kinds.h) it checks, in order:
//   1. the envelope: the effective date is not in a closed month;
//   2. the body: exactly the kind's members, each well formed (errors name
//      body.<member>);
//   3. references: records the entry needs exist, are in the right state,
//      and were not created after the entry's effective date (so a report
//      as of any date sees a consistent ledger);
//   4. postings: the kind's expected postings (filled in when a hand-written
//      body omits them), then the ring-fence rules (rules.h), plus: an entry
//      that pays money out of the ring-fence (to paid:, spent:, funding: or
//      external:) draws on at most one budget, so every payment is
//      attributable to one budget; money reaches paid: only through a
//      payment.pending (a posting into paid: is refused) of an approved
//      provider; a note carries no postings;
// and then updates balances, pot and budget totals, records and flags.

#include <cstdint>

#include "ledger/core/entry.h"
#include "ledger/core/rules.h"
#include "crypto/status.h"
#include "ledger/core/views.h"

namespace rf {

enum class ApplyMode {
  kEnforce,  // posting and verify: every rule refuses
  kReport,   // as-of reports: rules were enforced at posting; a subset of
             // the journal (entries up to a date) may break rule 1 and must
             // still be shown
};

// Earlier entries by sequence number (reversals need the original).
class PriorEntries {
 public:
  virtual ~PriorEntries() = default;
  // Errors: NotFound if there is no such entry.
  virtual Result<EntryDraft> At(uint64_t seq) const = 0;
};

// Applies entry `seq`. May complete `draft->body_json` with the postings its
// kind requires when a hand-written body leaves them out (before it is
// written). On success the body was scanned canonical (ScanCanonicalObject),
// so the line builder need not scan it again.
// REQUIRES: ValidateDraft(*draft).ok(); entries applied in seq order.
// Errors: InvalidInput (malformed body, naming body.<member>; never an
// exception), Refused (a rule or state refuses, naming the account and the
// shortfall in pounds and pence, with its refusal::k* code from rules.h in
// Status::refusal_code()). On error the
// views may hold part of the entry: the caller discards them (the write
// transaction aborts).
Status ApplyEntry(uint64_t seq, EntryDraft* draft, Views& views, const PriorEntries& prior, ApplyMode mode);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_APPLY_H_
