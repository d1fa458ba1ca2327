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
//                        has the same provider, budget, amount,
//                        service_from and service_to, and is received,
//                        approved or paid (the same provider, rate and
//                        period for another person's budget is not one)
//   INSUFFICIENT_FUNDS   bal/budget:<id>, less what this run approves first
//                        from the same budget, is below the amount
// Every failing check is reported, not just the first. Within a batch,
// invoices are considered in the order they were received (entry number),
// so when a budget cannot cover them all the oldest are approved first.
//
// --all-valid works in batches: a batch is the next batch_invoices received
// invoices in invoice id order after a cursor (the last id the previous
// batch examined), so every received invoice is examined once however many
// there are, and a refused one never hides those behind it. Memory: one
// batch of candidates (~300 bytes each) and their duplicate keys, plus the
// amounts a dry run has approved per budget. Time: per batch, a walk of
// the batch's part of invoice/ and one pass over invoice/ for duplicates.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/storage/ledger.h"
#include "ledger/core/money.h"

namespace rf {

// --all-valid examines received invoices in batches of at most this many
// (one plan, one transaction each; bounds memory and a transaction's size).
inline constexpr size_t kApprovalBatchMax = 100'000;
// A command line naming more ids than this is refused.
inline constexpr size_t kApprovalIdsMax = 10'000;

struct ApprovalRequest {
  bool all_valid = false;
  std::vector<std::string> invoice_ids;  // when !all_valid
  Date approved_on;
  // --all-valid: examine invoices whose id sorts after this one ("" from the
  // first), at most batch_invoices received ones. 1..kApprovalBatchMax; tests
  // use small batches.
  std::string after_invoice_id;
  size_t batch_invoices = kApprovalBatchMax;
  // Amounts per budget approved by earlier batches of this run that the
  // views do not show yet (a dry run commits nothing); may be null.
  const std::map<std::string, Pence>* approved_earlier = nullptr;
};

// Why approval leaves an invoice unapproved: stable codes, one per reason,
// each with a sentence per invoice and advice per code (ApprovalAdvice).
namespace approval_code {
inline constexpr char kNotFound[] = "NOT_FOUND";                     // no such invoice
inline constexpr char kNotReceived[] = "NOT_RECEIVED";               // approved or paid before
inline constexpr char kReceivedLater[] = "RECEIVED_LATER";           // received after the approval date
inline constexpr char kUnapprovedProvider[] = "UNAPPROVED_PROVIDER";  // the provider is not approved
inline constexpr char kNotNotionalBudget[] = "NOT_NOTIONAL_BUDGET";  // the holder pays providers themselves
inline constexpr char kBudgetEnded[] = "BUDGET_ENDED";               // ended by review before the service ends
inline constexpr char kOutsideBudget[] = "OUTSIDE_BUDGET";           // service outside the budget's dates
inline constexpr char kDuplicateInvoice[] = "DUPLICATE_INVOICE";     // same provider, budget, amount, period
inline constexpr char kInsufficientFunds[] = "INSUFFICIENT_FUNDS";   // the budget cannot fund it
}  // namespace approval_code

struct ApprovalRefusal {
  std::string invoice_id;
  Pence amount;                      // zero when the invoice is not found
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
  // --all-valid: the batch was full, so more invoices may follow; the next
  // batch starts after resume_after (the last invoice id examined).
  bool more = false;
  std::string resume_after;
};

// One batch (or the named ids).
// REQUIRES: all_valid, or 1..kApprovalIdsMax invoice ids (else InvalidInput).
// Errors: from the views (Io); Tampered if a record cannot be read.
Result<ApprovalPlan> PlanApprovals(const ViewSource& views, const ApprovalRequest& request, const DraftOrigin& origin);

// What a whole approval run did, by refusal code: an invoice refused for
// two reasons counts under each code (refused_count counts it once).
struct ApprovalSummary {
  struct CodeTotal {
    size_t count = 0;
    Pence amount;
  };
  size_t approved_count = 0, refused_count = 0, batches = 0;
  Pence approved_total, refused_total;
  std::map<std::string, CodeTotal> refused_by_code;
  bool committed = false;  // something was journalled
  uint64_t first_seq = 0, last_seq = 0;
};

// The whole run: plans and commits (unless dry_run) batch after batch until
// no received invoice is left unexamined; on_batch sees each batch's plan
// after it was committed, to print its details. A failure stops the run:
// earlier batches stay approved, and a rerun carries on from there.
// Errors: PlanApprovals', the commit's, on_batch's.
Result<ApprovalSummary> RunApprovals(Ledger& ledger, ApprovalRequest request, const DraftOrigin& origin, bool dry_run,
                                     const std::function<Status(const ApprovalPlan&)>& on_batch);

// A sentence telling a finance manager what to do about invoices refused
// with `code` (one of the codes above).
std::string_view ApprovalAdvice(std::string_view code);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_PAYMENTS_APPROVAL_H_
