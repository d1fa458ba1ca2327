#ifndef RINGFENCE_RECONCILE_MONTH_FLAG_RECORDS_H_
#define RINGFENCE_RECONCILE_MONTH_FLAG_RECORDS_H_

// The invoices and payments a month's flags read, through the flag indexes
// ApplyEntry keeps (ledger/core/records.h, "Flag indexes"; issue 17 item 1:
// the month-end flag reader reads the month, not every payment and
// invoice). The same bounded inputs (flags.h, "Bounded inputs") the full
// scan (flag_reducer.h, kept as the tests' oracle) reads, so the flags are
// identical (tests/month_flag_records_test.cc):
//   payments  run in the month (payrun/<month>/); pending and run on or
//             before month end (paypending/); settled after month end
//             (paysettled/ from the next day); returned in or after the
//             month (payreturned/ from its first day); each kept when the
//             scan would keep it; and the Payer of each invoice kept
//   invoices  received in the month (invrecv/<month>/); open now
//             (invopen/); named by a payment run in or after the month
//             (payrun/); rejected ones only when their provider is not
//             approved (invrejected/: UNAPPROVED_PROVIDER is the one flag a
//             rejected invoice can raise); each kept when the scan would
//             keep it; and every invoice of a DUPLICATE_INVOICE group
//             (dupgroup/, grouped by the key itself, so a hash collision
//             reads an invoice more and flags nothing more)
//   paid_invoice_spend  per budget: budpaid/ less budpaidm/ of the months
//             after month end, less the paid invoices kept
//   instalments_paid    instpaid/ less the instalments run after month end
// "As at month end" as the scan has it: records are read as they stand
// now, and what happened after month end is told by its dates (payrun/,
// payreturned/ and budpaidm/ of later dates, read only for the months
// after the one reconciled: usually none).
//
// Cost: point reads of the month's payments (each once, in key order) and
// invoices (in key order) and their payers, a scan of the open invoices,
// the duplicate groups and one key per budget (budpaid/, instpaid/); no
// payment/ or invoice/ scan. Memory: the payments the indexes name (the
// kept ones become `payments` in place), the invoices kept, and a date per
// instalment paid of each direct-payment and third-party budget.

#include <string>
#include <unordered_map>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"
#include "reconcile/flags.h"

namespace rf {

struct MonthFlagRecords {
  std::vector<InvoiceFlagFacts> invoices;  // by id
  std::vector<PaymentFlagFacts> payments;  // by id
  std::vector<BudgetAmount> paid_invoice_spend;  // nonzero, by budget id
  // Per budget id: the due dates of its instalment payments not cancelled
  // and run on or before month end, ascending (repeats kept).
  std::unordered_map<std::string, std::vector<Date>> instalments_paid;

  // Whether an instalment payment (not cancelled) run on or before month
  // end pays the instalment of `budget_id` due on `due_on`.
  bool InstalmentPaid(const std::string& budget_id, Date due_on) const;
  // The due dates paid of `budget_id` (ascending; nullptr when none): one
  // lookup for all of a budget's instalments.
  const std::vector<Date>* InstalmentsPaidOf(const std::string& budget_id) const;
};

// REQUIRES: month_end is a month's last day; `budgets` and `providers` are
// every budget and provider. A payment missing or disagreeing with an
// index that names it is reported naming the first index (in the order
// payrun/, paypending/, paysettled/, payreturned/) that names it. Errors: Refused naming `ringfence views
// rebuild` when the views lack the indexes (RequireMonthIndexes); Tampered
// naming the view when an index disagrees with a record it names.
Result<MonthFlagRecords> ReadMonthFlagRecords(const ViewSource& views, Date month_end,
                                              const std::vector<BudgetFlagFacts>& budgets,
                                              const std::vector<ProviderRecord>& providers);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MONTH_FLAG_RECORDS_H_
