#ifndef RINGFENCE_LEDGER_CORE_AMENDMENT_KINDS_H_
#define RINGFENCE_LEDGER_CORE_AMENDMENT_KINDS_H_

// Builders of the amendment and cancellation entries (issue 20 items 7, 8;
// kinds in entry_kinds.h, rules in apply_amendments.cc):
//   amendment.requested  a bank-detail change of a provider or a budget
//                        holder, asked for with a reason; not in effect yet
//   amendment.confirmed  a second, different person confirms it: in effect
//   provider.approval    a provider's approval granted or withdrawn
//   invoice.rejected     an invoice withdrawn (received or approved, unpaid)
//   payment.cancelled    a pending payment withdrawn, its money back
// The actor of each is the envelope's (who ran the command).

#include <string>

#include "ledger/core/entry_kinds.h"

namespace rf {

// "AMD-0001": amendment ids are numbered in the order requested (the
// number is the count of amendments so far plus one; the ledger refuses
// an id that exists, so two writers cannot both take one).
std::string AmendmentId(uint64_t number);

struct AmendmentFields {
  std::string amendment_id;
  std::string target;  // "provider" or "budget"
  std::string target_id, payee_ref, reason;
  Date effective;
};
EntryDraft AmendmentRequestedDraft(const AmendmentFields& f, const DraftOrigin& origin);
EntryDraft AmendmentConfirmedDraft(const std::string& amendment_id, Date effective, const DraftOrigin& origin);
EntryDraft ProviderApprovalDraft(const std::string& provider_id, bool approved, const std::string& reason,
                                 Date effective, const DraftOrigin& origin);
// The postings are filled in by the rules (ExpectedPostings): they depend
// on the invoice's or payment's state as the entry is applied.
EntryDraft InvoiceRejectedDraft(const std::string& invoice_id, const std::string& reason, Date effective,
                                const DraftOrigin& origin);
EntryDraft PaymentCancelledDraft(const std::string& payment_id, const std::string& reason, Date effective,
                                 const DraftOrigin& origin);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_AMENDMENT_KINDS_H_
