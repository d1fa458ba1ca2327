#ifndef RINGFENCE_RECONCILE_PAYEE_FLAGS_H_
#define RINGFENCE_RECONCILE_PAYEE_FLAGS_H_

// PAYEE_DETAILS_CHANGED (issue 20 item 7; PRODUCT.md "Reconciliation
// flags"): one warning per confirmed bank-detail change, in the month of
// the first payment to the new details (the amendment record's
// first_payment_on, written by the payment.pending that made it). Entity
// "amendment:<id>", id "PAYEE_DETAILS_CHANGED/amendment:<id>", at stake the
// payment's amount, evidence the request, the confirmation and the payment
// entries. The sentence names the provider or budget, the old and new
// details (masked), who asked and who confirmed, and what to check. Raised
// once: later payments to the same details raise nothing, and details that
// never changed raise nothing.

#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/storage/ledger.h"
#include "reconcile/month_flags.h"

namespace rf {

// Streams the amendment records. Errors: Tampered from a record that
// cannot be read (or a first payment that is missing).
Result<std::vector<MonthFlag>> PayeeChangedFlags(const ViewSource& views, const Month& month);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_PAYEE_FLAGS_H_
