#include "ledger/core/amendment_kinds.h"

#include <cstdio>

namespace rf {

std::string AmendmentId(uint64_t number) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%04llu", static_cast<unsigned long long>(number));
  return std::string("AMD-") + digits;
}

EntryDraft AmendmentRequestedDraft(const AmendmentFields& f, const DraftOrigin& origin) {
  return KindDraft(kind::kAmendmentRequested, f.effective, origin,
                    {{"amendment_id", f.amendment_id},
                     {"target", f.target},
                     {"target_id", f.target_id},
                     {"payee_ref", f.payee_ref},
                     {"reason", f.reason}});
}

EntryDraft AmendmentConfirmedDraft(const std::string& amendment_id, Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kAmendmentConfirmed, effective, origin, {{"amendment_id", amendment_id}});
}

EntryDraft ProviderApprovalDraft(const std::string& provider_id, bool approved, const std::string& reason,
                                 Date effective, const DraftOrigin& origin) {
  return KindDraft(kind::kProviderApproval, effective, origin,
                    {{"provider_id", provider_id}, {"approved", approved}, {"reason", reason}});
}

EntryDraft InvoiceRejectedDraft(const std::string& invoice_id, const std::string& reason, Date effective,
                                const DraftOrigin& origin) {
  return KindDraft(kind::kInvoiceRejected, effective, origin, {{"invoice_id", invoice_id}, {"reason", reason}});
}

EntryDraft PaymentCancelledDraft(const std::string& payment_id, const std::string& reason, Date effective,
                                 const DraftOrigin& origin) {
  return KindDraft(kind::kPaymentCancelled, effective, origin, {{"payment_id", payment_id}, {"reason", reason}});
}

}  // namespace rf
