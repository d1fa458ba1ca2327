// The month indexes (records.h, "Month indexes"): which bank lines a month
// holds, which payments are pending, which are settled and when. Written
// only here, by the appliers, so a replay writes them exactly as a commit
// did and `verify` compares them like every other view.
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

}  // namespace rf::apply_internal
