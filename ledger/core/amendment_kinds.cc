#include "ledger/core/amendment_kinds.h"

#include <cstdio>

#include "ledger/core/canonical_writer.h"

namespace rf {

std::string AmendmentId(uint64_t number) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%04llu", static_cast<unsigned long long>(number));
  return std::string("AMD-") + digits;
}

EntryDraft AmendmentRequestedDraft(const AmendmentFields& f, const DraftOrigin& origin) {
  return KindDraft(kind::kAmendmentRequested, f.effective, origin,
                   CanonicalObject()
                       .Text("amendment_id", f.amendment_id)
                       .Text("target", f.target)
                       .Text("target_id", f.target_id)
                       .Text("payee_ref", f.payee_ref)
                       .Text("reason", f.reason)
                       .Finish());
}

EntryDraft AmendmentConfirmedDraft(const std::string& amendment_id, Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kAmendmentConfirmed, effective, origin, CanonicalObject().Text("amendment_id", amendment_id).Finish());
}

EntryDraft ProviderApprovalDraft(const std::string& provider_id, bool approved, const std::string& reason,
                                 Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kProviderApproval, effective, origin,
                   CanonicalObject()
                       .Text("provider_id", provider_id)
                       .Bool("approved", approved)
                       .Text("reason", reason)
                       .Finish());
}

EntryDraft InvoiceRejectedDraft(const std::string& invoice_id, const std::string& reason, Date effective,
                                const DraftOrigin& origin) {
  return KindDraft(kind::kInvoiceRejected, effective, origin, 
                   CanonicalObject().Text("invoice_id", invoice_id).Text("reason", reason).Finish());
}

EntryDraft PaymentCancelledDraft(const std::string& payment_id, const std::string& reason, Date effective,
                                 const DraftOrigin& origin) {
  return KindDraft(kind::kPaymentCancelled, effective, origin, 
                   CanonicalObject().Text("payment_id", payment_id).Text("reason", reason).Finish());
}

}  // namespace rf
