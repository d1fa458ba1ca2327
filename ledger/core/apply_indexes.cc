// The month indexes (records.h, "Month indexes"): which bank lines a month
// holds, which payments are pending, which are settled and when. Written
// only here, by the appliers, so a replay writes them exactly as a commit
// did and `verify` compares them like every other view.
#include <algorithm>
#include <cassert>

#include "ledger/core/apply_kit.h"
#include "ledger/core/records.h"

namespace rf::apply_internal {

void IndexBankLine(Views& views, Date booked_on, const std::string& line_id) {
  views.PutText(LineMonthKey(booked_on, line_id), booked_on.ToIso());
}

void IndexPaymentPending(Views& views, const std::string& payment_id, Date run_date) {
  views.PutText(PendingPaymentKey(payment_id), run_date.ToIso());
}

void IndexPaymentSettled(Views& views, const std::string& payment_id, Date settled_on, const std::string& line_id) {
  views.DeleteText(PendingPaymentKey(payment_id));
  views.PutText(SettledPaymentKey(settled_on, payment_id), line_id);
}

void IndexPaymentUnsettled(Views& views, const PaymentRecord& settled) {
  assert(settled.state == PaymentState::kSettled && settled.settled_on.has_value());
  if (settled.settled_on) views.DeleteText(SettledPaymentKey(*settled.settled_on, settled.payment_id));
  views.PutText(PendingPaymentKey(settled.payment_id), settled.run_date.ToIso());
}

void IndexPaymentReturned(Views& views, const PaymentRecord& settled) {
  assert(settled.state == PaymentState::kSettled && settled.settled_on.has_value());
  if (settled.settled_on) views.DeleteText(SettledPaymentKey(*settled.settled_on, settled.payment_id));
}

void IndexPaymentCancelled(Views& views, const std::string& payment_id) {
  views.DeleteText(PendingPaymentKey(payment_id));
}

// ---- The provider payments index (records.h "Provider payments index") ----

void IndexProviderPayment(Views& views, const std::string& payment_id, const std::string& provider_id,
                          const Pence& amount, Date run_date, Date invoice_received_on) {
  assert(!provider_id.empty());
  views.PutText(ProviderPaymentKey(run_date, payment_id),
                ProviderPaymentValue(provider_id, amount, DaysBetween(invoice_received_on, run_date)));
}

void IndexProviderPaymentGone(Views& views, const PaymentRecord& payment) {
  assert(payment.state == PaymentState::kPending || payment.state == PaymentState::kSettled);
  if (payment.purpose != PaymentPurpose::kInvoice) return;
  views.DeleteText(ProviderPaymentKey(payment.run_date, payment.payment_id));
}

// ---- Flag indexes (records.h, "Flag indexes") ----
// How each answers "as at a month end" (ReadMonthFlagInputs, flags.h): the
// indexes hold the records' current state, as the full scan read it; what
// happened after the month end is found by date: payrun/ and payreturned/
// of later dates name the payments run or returned since, budpaidm/ of
// later months is subtracted from budpaid/, and instpaid/ loses the due
// dates of the instalments run since (read from payrun/).

namespace {

// budpaid/ and budpaidm/ values: exact pence, absent when zero.
Status AddPaidText(Views& views, const std::string& key, const Pence& delta) {
  RF_ASSIGN(stored, views.Text(key));
  Pence value;
  if (stored.has_value()) {
    auto parsed = Pence::Parse(*stored, key);
    if (!parsed.ok()) return Status::Tampered("view " + key + ": " + parsed.status().message());
    value = *parsed;
  }
  value += delta;
  if (value.is_zero()) {
    views.DeleteText(key);
  } else {
    views.PutText(key, value.ToDecimal());
  }
  return Status::Ok();
}

Month MonthOf(Date day) { return Month{day.year(), day.month()}; }

// An invoice's Payer changed from one run date (nullopt: none) to another.
Status MovePaid(Views& views, const std::string& budget_id, const Pence& amount, std::optional<Date> from, Date to) {
  assert(amount > Pence());
  if (from) {
    if (MonthOf(*from) == MonthOf(to)) return Status::Ok();
    RF_RETURN_IF_ERROR(AddPaidText(views, BudgetPaidMonthKey(MonthOf(*from), budget_id), -amount));
  } else {
    RF_RETURN_IF_ERROR(AddPaidText(views, BudgetPaidKey(budget_id), amount));
  }
  return AddPaidText(views, BudgetPaidMonthKey(MonthOf(to), budget_id), amount);
}

Result<std::optional<FailedPayer>> StoredFailedPayer(Views& views, const std::string& invoice_id) {
  const std::string key = InvoiceFailedPayerKey(invoice_id);
  RF_ASSIGN(stored, views.Text(key));
  if (!stored.has_value()) return std::optional<FailedPayer>();
  RF_ASSIGN(payer, ParseFailedPayer(*stored, key));
  return std::optional<FailedPayer>(std::move(payer));
}

Result<std::vector<Date>> StoredInstalmentsPaid(Views& views, const std::string& key) {
  RF_ASSIGN(stored, views.Text(key));
  if (!stored.has_value()) return std::vector<Date>();
  return ParseInstalmentsPaid(*stored, key);
}

}  // namespace

Status IndexInvoiceReceived(Views& views, const InvoiceRecord& invoice) {
  views.PutText(InvoiceReceivedKey(invoice.received_on, invoice.invoice_id), invoice.received_on.ToIso());
  views.PutText(InvoiceOpenKey(invoice.invoice_id), invoice.received_on.ToIso());
  const std::string hash =
      DuplicateKeyHashText(invoice.provider_id, invoice.budget_id, invoice.amount, invoice.service_from, invoice.service_to);
  const std::string first_key = DuplicateKeyKey(hash);
  RF_ASSIGN(first, views.Text(first_key));
  if (!first.has_value()) {
    views.PutText(first_key, invoice.invoice_id);
    return Status::Ok();
  }
  assert(*first != invoice.invoice_id);  // invoice ids are new (RequireNew)
  views.PutText(DuplicateGroupKey(hash, *first), std::string(kDuplicateGroupMark));
  views.PutText(DuplicateGroupKey(hash, invoice.invoice_id), std::string(kDuplicateGroupMark));
  return Status::Ok();
}

void IndexInvoiceRejected(Views& views, const InvoiceRecord& invoice) {
  assert(invoice.state != InvoiceState::kPaid);
  views.DeleteText(InvoiceOpenKey(invoice.invoice_id));
  views.PutText(InvoiceRejectedKey(invoice.invoice_id), invoice.provider_id);
}

Status IndexPaymentRun(Views& views, const std::string& payment_id, Date run_date, const std::string& invoice_id,
                       const std::string& budget_id, const Pence& amount, std::optional<Date> due_on) {
  views.PutText(PaymentRunKey(run_date, payment_id), run_date.ToIso());
  if (!invoice_id.empty()) {
    // Approved, so open until now; its Payer was its earliest failed
    // payment, if any, and is this one from now.
    views.DeleteText(InvoiceOpenKey(invoice_id));
    RF_ASSIGN(failed, StoredFailedPayer(views, invoice_id));
    return MovePaid(views, budget_id, amount, failed ? std::optional<Date>(failed->run_date) : std::nullopt, run_date);
  }
  if (!due_on) return Status::Ok();
  const std::string key = InstalmentsPaidKey(budget_id);
  RF_ASSIGN(due_dates, StoredInstalmentsPaid(views, key));
  due_dates.insert(std::upper_bound(due_dates.begin(), due_dates.end(), *due_on), *due_on);
  views.PutText(key, InstalmentsPaidText(due_dates));
  return Status::Ok();
}

Status IndexInvoicePaymentFailed(Views& views, const PaymentRecord& payment, const InvoiceRecord& invoice) {
  assert(payment.purpose == PaymentPurpose::kInvoice && invoice.payment_id == payment.payment_id);
  views.PutText(InvoiceOpenKey(invoice.invoice_id), invoice.received_on.ToIso());
  RF_ASSIGN(failed, StoredFailedPayer(views, invoice.invoice_id));
  const FailedPayer gone{.run_date = payment.run_date, .payment_id = payment.payment_id};
  const FailedPayer earliest = failed && *failed < gone ? *failed : gone;
  views.PutText(InvoiceFailedPayerKey(invoice.invoice_id), FailedPayerText(earliest));
  return MovePaid(views, invoice.budget_id, invoice.amount, payment.run_date, earliest.run_date);
}

void IndexPaymentReturnedOn(Views& views, const PaymentRecord& payment, Date returned_on, const std::string& line_id) {
  views.PutText(PaymentReturnedKey(returned_on, payment.payment_id), line_id);
}

Status IndexInstalmentCancelled(Views& views, const PaymentRecord& payment) {
  if (payment.purpose != PaymentPurpose::kInstalment || !payment.due_on) return Status::Ok();
  const std::string key = InstalmentsPaidKey(payment.budget_id);
  RF_ASSIGN(due_dates, StoredInstalmentsPaid(views, key));
  auto it = std::lower_bound(due_dates.begin(), due_dates.end(), *payment.due_on);
  if (it == due_dates.end() || *it != *payment.due_on) {
    return Status::Tampered("view " + key + ": lacks " + payment.due_on->ToIso() + ", which payment " +
                            payment.payment_id + " pays");
  }
  due_dates.erase(it);
  if (due_dates.empty()) {
    views.DeleteText(key);
  } else {
    views.PutText(key, InstalmentsPaidText(due_dates));
  }
  return Status::Ok();
}

}  // namespace rf::apply_internal
