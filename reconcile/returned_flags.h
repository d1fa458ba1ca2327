#ifndef RINGFENCE_RECONCILE_RETURNED_FLAGS_H_
#define RINGFENCE_RECONCILE_RETURNED_FLAGS_H_

// PAYMENT_RETURNED (issue 17 item 3; PRODUCT.md "Reconciliation flags"):
// one warning per payment the bank returned in the month, raised from the
// payment.returned records (payment state returned, returned_on in the
// month). Entity "payment:<id>", id "PAYMENT_RETURNED/payment:<id>", at
// stake the amount, evidence the return entry's seq and the inflow line.
// The sentence says what happened, where the money is now (payable or the
// budget), and what to do: confirm the payee's bank details with them (a
// second person confirms a change), then the next run pays it again.
// Raised once, in the month of the return: a later month does not raise it
// again.

#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"
#include "reconcile/month_flags.h"
#include "reconcile/month_match.h"

namespace rf {

// The flag of returned payment `p`; `seq`: the return entry's, nullopt for
// a return a dry run only proposes.
// REQUIRES: p.state is kReturned, or seq is nullopt.
MonthFlag ReturnedPaymentFlag(const PaymentRecord& p, const std::string& line_id, Date returned_on,
                              std::optional<uint64_t> seq);

// Every payment of `views` returned in `month` (streams the payments).
// Errors: Tampered from a record that cannot be read.
Result<std::vector<MonthFlag>> ReturnedPaymentFlags(const ViewSource& views, const Month& month);

// The same from payments already read (every payment record of the views,
// as ReadMonthFlagInputs collects them), so a month reads its payments once.
// Errors: Tampered for a returned payment without its return's members.
Result<std::vector<MonthFlag>> ReturnedPaymentFlagsOf(const std::vector<PaymentFlagFacts>& payments, const Month& month);

// The returns `plan` proposes but has not committed (a dry run, `close`),
// each payment read from `views`. Errors: Tampered.
Result<std::vector<MonthFlag>> PlannedReturnFlags(const ViewSource& views, const MonthMatchPlan& plan);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_RETURNED_FLAGS_H_
