#ifndef RINGFENCE_LEDGER_CORE_MATCH_FACTS_H_
#define RINGFENCE_LEDGER_CORE_MATCH_FACTS_H_

// What statement matching reads (reconcile/month_match.h) of a bank line
// and of a pending payment, decoded from the stored text without the rest
// of the record (as BudgetEqualityFacts in records.h is): the same values
// DecodeBankLine / DecodePayment give for these members, and the same
// Tampered errors for them; members it does not read are not checked.
// Defined in records.cc (beside the record decoders); declared apart so
// that records.h, which most of the program includes, is not touched.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "ledger/core/records.h"

namespace rf {

struct BankLineMatchFacts {
  std::string end_to_end_id, batch_id, counterparty_ref;
  Date booked_on;
  Pence amount;
  BankLineState state = BankLineState::kUnmatched;
};
Result<BankLineMatchFacts> DecodeBankLineMatchFacts(std::string_view key, std::string_view text);

struct PaymentMatchFacts {
  std::string run_id, payee_ref;
  Pence amount;
  PaymentState state = PaymentState::kPending;
  Date run_date;
};
Result<PaymentMatchFacts> DecodePaymentMatchFacts(std::string_view key, std::string_view text);

// What the month-end flags read (reconcile/flags.h, FlagInputs::payments)
// of a payment: the members of PaymentRecord the evaluator and the flag
// reader (reconcile/month_flag_records.h) and PAYMENT_RETURNED use; the
// rest (payee, bank line, chains, settlement and cancellation seqs) left
// undecoded and unheld.
struct PaymentFlagFacts {
  uint64_t seq = 0;
  std::string payment_id, run_id;
  PaymentPurpose purpose = PaymentPurpose::kInvoice;
  std::string invoice_id, budget_id, provider_id;
  Pence amount;
  PaymentState state = PaymentState::kPending;
  Date run_date;
  std::optional<Date> due_on;
  std::optional<Date> settled_on;
  std::optional<uint64_t> returned_seq;  // PAYMENT_RETURNED (reconcile/returned_flags.h)
  std::optional<Date> returned_on;
  std::string return_line_id;
};
// The same values as DecodePayment gives for these members, and the same
// Tampered errors for them.
Result<PaymentFlagFacts> DecodePaymentFlagFacts(std::string_view key, std::string_view text);
// The facts of a decoded payment (the oracle's and the tests' way in).
PaymentFlagFacts PaymentFlagFactsOf(const PaymentRecord& p);

// What the month-end flags read of an invoice (FlagInputs::invoices): the
// members of InvoiceRecord the evaluator, the flag reader and the reducer
// (reconcile/flag_reducer.h) use; category, description, approval and
// returns left undecoded and unheld.
struct InvoiceFlagFacts {
  uint64_t seq = 0;
  std::string invoice_id, provider_id, budget_id;
  Pence amount;
  Date service_from, service_to, received_on;
  InvoiceState state = InvoiceState::kReceived;
  std::string payment_id;  // "" until paid (again, after a return)
};
// The same values as DecodeInvoice gives for these members, and the same
// Tampered errors for them.
Result<InvoiceFlagFacts> DecodeInvoiceFlagFacts(std::string_view key, std::string_view text);
// The facts of a decoded invoice (the oracle's and the tests' way in).
InvoiceFlagFacts InvoiceFlagFactsOf(const InvoiceRecord& i);

// What the month-end flags read of a budget (FlagInputs::budgets): the
// members of BudgetRecord the evaluator, the flag reader and the instalment
// schedule of month_flags.cc use; person, pot, payee and the payment chain
// left undecoded and unheld (~200,000 budgets a national month).
struct BudgetFlagFacts {
  uint64_t seq = 0;
  std::string budget_id, frequency;
  Management management = Management::kNotional;
  Pence amount;
  Date start_date, end_date, approved_on;
  std::optional<uint64_t> first_payment_seq;
  std::optional<Date> first_payment_on;
  std::optional<Date> last_review_on;
  std::optional<ReviewOutcome> last_review_outcome;  // nullopt when never reviewed

  std::optional<Date> ended_on() const { return BudgetEndedOn(last_review_on, last_review_outcome); }
};
// The same values as DecodeBudget gives for these members, and the same
// Tampered errors for them.
Result<BudgetFlagFacts> DecodeBudgetFlagFacts(std::string_view key, std::string_view text);
// The facts of a decoded budget (the oracle's and the tests' way in).
BudgetFlagFacts BudgetFlagFactsOf(const BudgetRecord& b);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_MATCH_FACTS_H_
