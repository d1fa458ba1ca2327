#ifndef RINGFENCE_LEDGER_PAYMENTS_APPROVAL_H_
#define RINGFENCE_LEDGER_PAYMENTS_APPROVAL_H_

// Invoice approval (`ringfence approve invoices`): which received invoices
// pass the checks, and one invoice.approved draft for each that does. Reads
// the views only; the caller commits the drafts in one transaction (where
// ApplyEntry checks state and rule 1 again, so a plan made stale by another
// writer is refused whole, never half-applied).
//
// The checks, each with a code and a sentence naming the invoice:
//   NOT_FOUND            a named invoice is not in the ledger
//   NOT_RECEIVED         already approved or paid
//   RECEIVED_LATER       received after the approval date
//   UNAPPROVED_PROVIDER  provider/<id>.approved is not true
//   BUDGET_ENDED         a review with outcome `end` ended the budget before
//                        the service period did
//   OUTSIDE_BUDGET       service_from..service_to not inside the budget's
//                        start_date..end_date
//   DUPLICATE_INVOICE    an invoice received earlier (lower entry number)
//                        has the same provider, amount, service_from and
//                        service_to, and is received, approved or paid
//   INSUFFICIENT_FUNDS   bal/budget:<id>, less what this run approves first
//                        from the same budget, is below the amount
// Every failing check is reported, not just the first. Invoices are
// considered in the order they were received (entry number), so when a
// budget cannot cover them all the oldest are approved first.
//
// Memory and time: two passes over invoice/ (candidates, then duplicates)
// holding only the candidates (at most kApprovalsMax, ~300 bytes each).

#include <cstddef>
#include <string>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/storage/ledger.h"
#include "ledger/core/money.h"

namespace rf {

// One run approves at most this many invoices (one transaction); --all-valid
// with more received invoices approves the oldest this many and says so.
inline constexpr size_t kApprovalsMax = 100'000;
// A command line naming more ids than this is refused.
inline constexpr size_t kApprovalIdsMax = 10'000;

struct ApprovalRequest {
  bool all_valid = false;
  std::vector<std::string> invoice_ids;  // when !all_valid
  Date approved_on;
};

struct ApprovalRefusal {
  std::string invoice_id;
  std::vector<std::string> codes;    // e.g. "DUPLICATE_INVOICE"
  std::vector<std::string> reasons;  // one plain-English sentence per code
};

struct ApprovedInvoice {
  std::string invoice_id, budget_id, provider_id;
  Pence amount;
};

struct ApprovalPlan {
  std::vector<ApprovedInvoice> approved;
  std::vector<ApprovalRefusal> refused;
  std::vector<EntryDraft> drafts;  // one invoice.approved per approved invoice
  Pence approved_total;
  bool truncated = false;  // --all-valid found more than kApprovalsMax
};

// REQUIRES: all_valid, or 1..kApprovalIdsMax invoice ids (else InvalidInput).
// Errors: from the views (Io); Tampered if a record cannot be read.
Result<ApprovalPlan> PlanApprovals(const ViewSource& views, const ApprovalRequest& request, const DraftOrigin& origin);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_PAYMENTS_APPROVAL_H_
