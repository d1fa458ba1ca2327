#ifndef RINGFENCE_RECONCILE_FLAG_REDUCER_H_
#define RINGFENCE_RECONCILE_FLAG_REDUCER_H_

// Bounded flag inputs (flags.h, "Bounded inputs"; issue 17's target: a
// month's memory follows the month, not the journal). ReadMonthFlagInputs
// reads through the flag indexes (month_flag_records.h); this full scan
// stays as the oracle it is tested against (ReadMonthFlagInputsByScan,
// tests/month_flag_records_test.cc), and streams every payment and every
// invoice of the ledger through a
// FlagRecordReducer, which keeps in full only the records that can raise or
// evidence a flag of the month, and for the rest:
//   - per payment: its id and run date (an id arena and 24 bytes), so an
//     invoice's paying payment is found as the evaluator finds it (PaidBy);
//   - per invoice payment: the invoice id it names and its run date, for
//     invoices that name no payment (the evaluator's fallback);
//   - per instalment payment run on or before month end, not cancelled:
//     (budget, due_on), so due_instalments leaves out the instalments paid;
//   - per paid invoice left out: its amount, summed per budget
//     (FlagInputs::paid_invoice_spend);
//   - per invoice received on or before month end and not rejected: a
//     64-bit hash of its DUPLICATE_INVOICE key (provider, budget, amount,
//     service_from, service_to) and its id; every invoice whose hash is
//     seen twice or more is read back in full (a point read) and kept, so
//     a hash collision keeps an invoice more, never loses a duplicate.
// Payments kept in full: run in the month; run on or before month end and
// neither settled by then nor cancelled; returned in the month (or a
// returned one lacking its return's members, which the returned flags
// refuse: returned_flags.h); and the payment each kept invoice resolves to
// (point read when not already kept).
//
// Use: AddPayment for every payment, PaymentsDone, AddInvoice for every
// invoice, then Finish. Ids must be unique per family (view keys are).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "ledger/core/records.h"
#include "reconcile/flags.h"

namespace rf {

// The DUPLICATE_INVOICE key's hash (tests pass a weak one to force
// collisions).
using DuplicateKeyHash = uint64_t (*)(const InvoiceRecord& invoice);
uint64_t DefaultDuplicateKeyHash(const InvoiceRecord& invoice);

class FlagRecordReducer {
 public:
  // `budgets` (every budget, held by the caller) outlives the reducer.
  FlagRecordReducer(Date month_end, const std::vector<BudgetFlagFacts>& budgets,
                    DuplicateKeyHash hash = DefaultDuplicateKeyHash);

  // Errors: InvalidInput when the ids outgrow the arena (4 GiB).
  Status AddPayment(const PaymentRecord& payment);
  // Errors: InvalidInput naming a repeated payment id.
  Status PaymentsDone();
  // REQUIRES: PaymentsDone.
  Status AddInvoice(const InvoiceRecord& invoice);

  // Whether a payment (not cancelled) run on or before month end paid the
  // instalment of budgets[budget_index] due on `due_on`. REQUIRES: PaymentsDone.
  bool InstalmentPaid(size_t budget_index, Date due_on) const;

  // Reads back the records kept by id (`invoice_of`, `payment_of`: the
  // record of that id, which was streamed), and moves the kept records and
  // paid_invoice_spend into `in` (its other members untouched).
  // Errors: the readers'.
  Status Finish(const std::function<Result<InvoiceRecord>(std::string_view id)>& invoice_of,
                const std::function<Result<PaymentRecord>(std::string_view id)>& payment_of, FlagInputs& in);

  // Counts, for the bench notes and tests.
  size_t payments_seen() const { return pays_.size(); }
  size_t invoices_seen() const { return invoices_seen_; }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct PayRef {
    uint32_t id_off = 0, id_len = 0;
    Date run_date;
    bool held = false;
  };
  struct NameRef {  // an invoice payment naming an invoice
    uint32_t invoice_off = 0, invoice_len = 0;
    Date run_date;
    uint32_t pay = 0;  // index in pays_
  };
  struct Candidate {  // an invoice that may be a duplicate
    uint64_t key = 0;
    uint32_t id_off = 0, id_len = 0;
    bool held = false;
  };

  std::string_view Arena(uint32_t off, uint32_t len) const { return std::string_view(arena_).substr(off, len); }
  Result<std::pair<uint32_t, uint32_t>> Store(std::string_view text);
  bool InMonth(Date day) const { return month_first_ <= day && day <= month_end_; }
  // The payment PaidBy resolves `invoice` to (whatever its run date), or kNone.
  uint32_t Payer(const InvoiceRecord& invoice) const;
  uint32_t FindPayment(std::string_view id) const;
  void Hold(const InvoiceRecord& invoice, uint32_t payer);
  void AddSpend(const InvoiceRecord& invoice, bool add);

  Date month_first_, month_end_;
  const std::vector<BudgetFlagFacts>& budgets_;
  DuplicateKeyHash hash_;
  std::unordered_map<std::string_view, uint32_t> budget_index_;
  std::string arena_;                // payment ids, invoice ids named, candidates' ids
  std::vector<PayRef> pays_;         // in arrival order
  std::vector<uint32_t> pay_by_id_;  // indexes of pays_, by id
  std::vector<NameRef> names_;       // by (invoice id, run_date, payment id) after PaymentsDone
  std::vector<std::pair<uint32_t, int32_t>> instalments_paid_;  // (budget index, due_on days), sorted
  std::vector<Candidate> candidates_;
  std::vector<uint32_t> payments_needed_;  // indexes of pays_ kept invoices resolve to
  std::vector<Pence> spend_;               // per budget index: paid invoices left out
  std::vector<bool> spend_touched_;
  std::vector<InvoiceFlagFacts> invoices_;
  std::vector<PaymentFlagFacts> payments_;
  size_t invoices_seen_ = 0;
  bool payments_done_ = false;
};

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_FLAG_REDUCER_H_
