// Returned payments (payment.returned, issue 17 item 3): the bank sent a
// settled payment back. Guarded here, as settlement is: the inflow line is
// on a loaded statement, unused, booked on the entry's date, after the
// settlement, and brings back exactly the payment's amount; the payment is
// settled and not yet returned. The same entry uses the line, marks the
// payment returned and posts the money back where it came from (the
// payment's own posting, reversed):
//   invoice     paid:<provider> -> payable:<budget>:<provider>; the invoice
//               is approved again, so the next run pays it (PAY-<id>-R<n>)
//   instalment  dp:<budget> -> budget:<budget>; the next run pays the
//               instalment again (DP-<budget>-<nnnn>-R<n>)
#include "ledger/core/apply_kit.h"
#include "ledger/core/canonical_json.h"
#include "ledger/core/records.h"
#include "ledger/core/rules.h"

namespace rf::apply_internal {

namespace {

// The inflow line a return names, if it may be used: loaded, unused, booked
// on the entry's date, bringing in exactly `amount`.
Result<Found<BankLineRecord>> ReturnInflowLine(Ctx& c, const std::string& line_id, const std::string& payment_id,
                                               const Pence& amount) {
  RF_ASSIGN(found_line, c.views.Record(RecordKind::kBankLine, line_id));
  if (found_line == nullptr) {
    return RefusedWithCode(refusal::kBankLineUnknown,
                           "bank line " + line_id + " is not on any statement loaded (ingest the statement first)");
  }
  RF_ASSIGN(line, DecodeBankLine(RecordKey(RecordKind::kBankLine, line_id), *found_line));
  if (line.state != BankLineState::kUnmatched) {
    const std::string what = !line.run_id.empty()                ? "settles payment run " + line.run_id
                             : !line.returned_payment_id.empty() ? "returns payment " + line.returned_payment_id
                                                                 : "settles payment " + line.payment_id;
    return RefusedWithCode(refusal::kBankLineUsed, "bank line " + line_id + " already " + what);
  }
  if (line.booked_on != c.effective()) {
    return RefusedWithCode(refusal::kBankLineDate, "bank line " + line_id + " is booked on " + line.booked_on.ToIso() +
                                                       ", not on " + c.effective().ToIso());
  }
  if (line.amount != amount) {
    return RefusedWithCode(refusal::kReturnAmount, "bank line " + line_id + " moves " + line.amount.ToPounds() +
                                                       ", but payment " + payment_id + " paid out " +
                                                       amount.ToPounds() +
                                                       " (a return is an inflow of the same amount, to the penny)");
  }
  return Found<BankLineRecord>{std::move(line), *found_line};
}

}  // namespace

// A payment that did not reach its payee does not pay its budget: if it was
// the budget's first payment, the first is now the earliest dated (first
// committed on a tie) of the budget's other live (pending or settled)
// payments, walked from the budget's last along budget_prev, or none (the
// next payment.pending sets it). Reads only the budget's own payments, and
// only when its first is the one that failed.
Status ForgetFirstPayment(Ctx& c, const PaymentRecord& gone) {
  {
    // Most failed payments were not the first: read that one member first.
    RF_ASSIGN(stored, c.views.Record(RecordKind::kBudget, gone.budget_id));
    if (stored != nullptr) {
      const auto first = stored->find("first_payment_seq");
      if (first == stored->end() || !first->is_number_unsigned() || first->get<uint64_t>() != gone.seq) {
        return Status::Ok();
      }
    }
  }
  RF_ASSIGN(found, RequireTyped<BudgetRecord>(c.views, gone.budget_id, "budget"));
  const BudgetRecord& budget = found.record;
  if (budget.first_payment_seq != gone.seq) return Status::Ok();
  const std::string budget_key = RecordKey(RecordKind::kBudget, budget.budget_id);
  std::optional<Date> first_on;
  uint64_t first_seq = 0;
  std::string payment_id = budget.last_payment_id;
  for (uint64_t i = 0; i < budget.payments; ++i) {
    RF_ASSIGN(stored, c.views.Record(RecordKind::kPayment, payment_id));
    if (stored == nullptr) return Status::Tampered("view " + budget_key + ": its payments do not chain back to its first");
    RF_ASSIGN(p, DecodePayment(RecordKey(RecordKind::kPayment, payment_id), *stored));
    if (p.budget_id != budget.budget_id) {
      return Status::Tampered("view " + budget_key + ": its payments do not chain back to its first");
    }
    const bool live = p.state == PaymentState::kPending || p.state == PaymentState::kSettled;
    if (live && p.payment_id != gone.payment_id &&
        (!first_on || p.run_date < *first_on || (p.run_date == *first_on && p.seq < first_seq))) {
      first_on = p.run_date;
      first_seq = p.seq;
    }
    payment_id = p.budget_prev;
  }
  if (!payment_id.empty()) return Status::Tampered("view " + budget_key + ": its count disagrees with its payments");
  if (first_on) {
    MarkBudgetFirstPayment(found.json, first_seq, *first_on);
  } else {
    ClearBudgetFirstPayment(found.json);
  }
  c.views.PutRecord(RecordKind::kBudget, budget.budget_id, std::move(found.json));
  // Its pot and approval day are unchanged: keep them decoded for the postings.
  c.views.CacheLink(budget_key, {budget.pot_id, budget.approved_on});
  return Status::Ok();
}

// Money of a payment that did not reach its payee (returned by the bank,
// or cancelled before its file went): an invoice is approved again (its
// count of returns, which names the repayment PAY-<id>-R<n>, goes up) and
// its money goes back from paid:<provider> to payable:<budget>:<provider>;
// an instalment's goes back from dp:<budget> to budget:<budget>. Returns
// the postings the entry must carry.
Result<std::vector<Posting>> PutPaymentMoneyBack(Ctx& c, const PaymentRecord& payment) {
  const std::string& id = payment.payment_id;
  RF_RETURN_IF_ERROR(ForgetFirstPayment(c, payment));
  std::vector<Posting> expected;
  if (payment.purpose == PaymentPurpose::kInvoice) {
    RF_ASSIGN(invoice, RequireTyped<InvoiceRecord>(c.views, payment.invoice_id, "invoice"));
    if (invoice.record.state != InvoiceState::kPaid || invoice.record.payment_id != id) {
      return Status::Tampered("view " + RecordKey(RecordKind::kInvoice, payment.invoice_id) + ": not paid by payment " +
                              id + ", which names it");
    }
    RF_RETURN_IF_ERROR(IndexInvoicePaymentFailed(c.views, payment, invoice.record));
    MarkInvoiceReturned(invoice.json, invoice.record.returns + 1);
    c.views.PutRecord(RecordKind::kInvoice, payment.invoice_id, std::move(invoice.json));
    RF_RETURN_IF_ERROR(AddProviderTotal(c.views, payment.provider_id, ProviderTotal::kPaid, -payment.amount, false));
    expected = {{Account{AccountType::kPaid, payment.provider_id, ""}, -payment.amount},
                {Account{AccountType::kPayable, payment.budget_id, payment.provider_id}, payment.amount}};
  } else {
    expected = {{Account{AccountType::kDp, payment.budget_id, ""}, -payment.amount},
                {Account{AccountType::kBudget, payment.budget_id, ""}, payment.amount}};
  }
  return expected;
}


Status ApplyPaymentReturned(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"payment_id", "bank_line_id", "amount", "postings"}));
  RF_ASSIGN(id, b.Id("payment_id"));
  RF_ASSIGN(line_id, b.Text("bank_line_id"));
  RF_ASSIGN(amount, b.Amount("amount"));
  RF_ASSIGN(found, RequireTyped<PaymentRecord>(c.views, id, "payment"));
  const PaymentRecord& payment = found.record;
  if (payment.state == PaymentState::kReturned) {
    return RefusedWithCode(refusal::kAlreadyReturned,
                           "payment " + id + " was already returned by bank line " + payment.return_line_id);
  }
  if (payment.state != PaymentState::kSettled) {
    return RefusedWithCode(refusal::kReturnNotSettled, "payment " + id +
                                                           " is not settled: only a payment the statement shows "
                                                           "leaving can come back");
  }
  if (amount != payment.amount) {
    return RefusedWithCode(refusal::kReturnAmount, "body.amount " + amount.ToPounds() + ": payment " + id +
                                                       " paid out " + payment.amount.ToPounds());
  }
  assert(payment.settled_on.has_value());  // a settled payment is dated by its line (records.h)
  if (!payment.settled_on) return Status::Tampered("view " + RecordKey(RecordKind::kPayment, id) + ": no settled_on");
  if (c.effective() < *payment.settled_on) {
    return RefusedWithCode(refusal::kReturnBeforeSettlement,
                           "payment " + id + " settled on " + payment.settled_on->ToIso() +
                               ": it cannot come back before, on " + c.effective().ToIso());
  }
  RF_ASSIGN(line, ReturnInflowLine(c, line_id, id, payment.amount));
  assert(line.record.amount == payment.amount && !line.record.amount.is_negative());

  RF_ASSIGN(expected, PutPaymentMoneyBack(c, payment));
  IndexPaymentReturned(c.views, payment);
  IndexProviderPaymentGone(c.views, payment);
  IndexPaymentReturnedOn(c.views, payment, c.effective(), line_id);
  MarkPaymentReturned(found.json, c.seq, c.effective(), line_id);
  c.views.PutRecord(RecordKind::kPayment, id, std::move(found.json));
  MarkBankLineReturnsPayment(line.json, c.seq, id);
  c.views.PutRecord(RecordKind::kBankLine, line_id, std::move(line.json));
  return ExpectedPostings(c, expected);
}

}  // namespace rf::apply_internal
