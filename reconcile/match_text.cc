#include "reconcile/match_text.h"

#include <cstdlib>

#include "ledger/bank/iban.h"

namespace rf::match_internal::text {
namespace {

std::string Pounds(int64_t pence) { return Pence::FromPence(pence).ToPounds(); }

// Payee references are bank accounts: sentences show them masked
// (iban.h), like every report and message.
std::string Quoted(std::string_view payee) { return payee.empty() ? "no payee" : MaskIban(payee); }

}  // namespace

std::string IdList(const std::vector<std::string>& ids, size_t count) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += (i + 1 == ids.size() && count == ids.size()) ? " and " : ", ";
    out += ids[i];
  }
  if (count > ids.size()) out += " and " + std::to_string(count - ids.size()) + " more";
  return out;
}

std::string Inflow(const Pence& amount) {
  if (amount.is_zero()) return "the line moves no money, so it settles no payment";
  return "money in (" + amount.ToPounds() +
         "), not a payment out, and it returns no settled payment (none with its end-to-end id, nor of that amount "
         "to its payee within the window before it), so a person explains it";
}

std::string UnknownEndToEndId(std::string_view id) {
  return "no unsettled payment has end-to-end id " + std::string(id) +
         " (already settled, or not a payment of this ledger); it is not matched by amount to another payment";
}

std::string ClosedEndToEndId(const ClosedPaymentIn& payment, int64_t line_out_pence, std::string_view line_payee,
                             bool payee_differs) {
  std::string out = "its end-to-end id is payment " + payment.payment_id + "'s, ";
  switch (payment.state) {
    case ClosedAs::kSettled:
      out += "already settled by bank line " + payment.bank_line_id +
             ": money went out twice under one id, or the bank repeated the line";
      break;
    case ClosedAs::kCancelled:
      out += "which was cancelled: money went out for a payment that was called off";
      break;
    case ClosedAs::kRunLater:
      out += "whose run is not until " + payment.run_date.ToIso() + ", after this month";
      break;
  }
  // What else differs from the payment named, so a person sees at once
  // whether the line looks like it or like money sent elsewhere.
  const auto payment_pence = payment.amount_pence.ToInt64();
  if (payment_pence.ok() && *payment_pence != line_out_pence) {
    out += "; and the line pays out " + Pounds(line_out_pence) + ", the payment " + Pounds(*payment_pence);
  }
  if (payee_differs) {
    out += std::string(payment_pence.ok() && *payment_pence != line_out_pence ? ", " : "; and ") + "the line paid " +
           Quoted(line_payee) + ", not the payment's payee " + Quoted(payment.payee_ref) + " (possible diversion)";
  }
  return out + "; it is not matched by amount to another payment";
}

std::string EndToEndIdOnPayments(std::string_view id, const std::vector<std::string>& payment_ids) {
  return "end-to-end id " + std::string(id) + " is on " + std::to_string(payment_ids.size()) +
         " unsettled payments that all agree with the line (" + IdList(payment_ids, payment_ids.size()) +
         "): a person decides which it settles";
}

std::string EndToEndAmountDiffers(std::string_view payment_id, int64_t line_out_pence, int64_t payment_pence) {
  return "the end-to-end id is payment " + std::string(payment_id) + "'s, but the line pays out " +
         Pounds(line_out_pence) + " and the payment " + Pounds(payment_pence) + ": amount differs by " +
         Pounds(std::llabs(line_out_pence - payment_pence));
}

std::string PaymentNamedAmountDiffers(std::string_view line_id, int64_t line_out_pence, int64_t payment_pence) {
  return "bank line " + std::string(line_id) + " carries its end-to-end id but pays out " + Pounds(line_out_pence) +
         ", not " + Pounds(payment_pence) + ": amount differs by " + Pounds(std::llabs(line_out_pence - payment_pence));
}

std::string EndToEndNoPayee(std::string_view payment_id) {
  return "the end-to-end id and amount are payment " + std::string(payment_id) +
         "'s, but the line names no payee, so the match cannot be confirmed: a person checks the payee";
}

std::string EndToEndPayeeDiffers(std::string_view payment_id, std::string_view line_payee, std::string_view payee) {
  return "the end-to-end id and amount are payment " + std::string(payment_id) + "'s, but the money went to " +
         Quoted(line_payee) + ", not the payment's payee " + Quoted(payee) + " (possible diversion)";
}

std::string PaymentNamedPayeeDiffers(std::string_view line_id, std::string_view line_payee) {
  return "bank line " + std::string(line_id) + " carries its end-to-end id and amount but paid " + Quoted(line_payee) +
         ", not this payment's payee (possible diversion)";
}

std::string BeforeRunDate(std::string_view what, Date run_date, Date booked_on) {
  return "the line names " + std::string(what) + " but is booked on " + booked_on.ToIso() + ", before its run date " +
         run_date.ToIso() + ", so it cannot settle it";
}

std::string LineRepeated(std::string_view what, const std::vector<std::string>& line_ids) {
  return std::to_string(line_ids.size()) + " bank lines (" + IdList(line_ids, line_ids.size()) + ") each settle " +
         std::string(what) + " exactly: one may be a duplicate payment; a person decides which settles it";
}

std::string ConfirmedByLines(std::string_view by_what, const std::vector<std::string>& line_ids) {
  return std::to_string(line_ids.size()) + " bank lines (" + IdList(line_ids, line_ids.size()) + ") match it by " +
         std::string(by_what) + ": one may be a duplicate payment; a person decides which settles it";
}

std::string BatchRunNotOpen(std::string_view run_id) {
  return "its batch id names payment run " + std::string(run_id) +
         ", but not all of that run's payments are unsettled, so the run cannot be settled as a whole";
}

std::string BatchTotalDiffers(std::string_view run_id, size_t payments, int64_t line_out_pence, int64_t total_pence) {
  return "its batch id names payment run " + std::string(run_id) + " of " + Pounds(total_pence) + " in " +
         std::to_string(payments) + " payments, but the line pays out " + Pounds(line_out_pence) +
         ": batch total differs by " + Pounds(std::llabs(line_out_pence - total_pence));
}

std::string AmbiguousRuns(const std::vector<std::string>& run_ids, size_t count, size_t group_lines) {
  return "candidates ambiguous: payment runs " + IdList(run_ids, count) +
         " each total this amount within the window (" + std::to_string(group_lines) +
         " such line(s)); a person decides which run this debit settles";
}

std::string AmbiguousRunLines(const std::vector<std::string>& line_ids, size_t count) {
  return "its run's total could be settled by bank line(s) " + IdList(line_ids, count) +
         ", but other runs of the same total compete for them: a person decides";
}

std::string AmbiguousPayments(const std::vector<std::string>& payment_ids, size_t count, size_t group_lines,
                              size_t group_payments) {
  return "candidates ambiguous: payments " + IdList(payment_ids, count) +
         " have this amount and payee within the window, and " + std::to_string(group_lines) + " line(s) face " +
         std::to_string(group_payments) + " payment(s), so which pairs with which cannot be told: a person decides";
}

std::string AmbiguousLines(const std::vector<std::string>& line_ids, size_t count, size_t group_lines,
                           size_t group_payments) {
  return "candidates ambiguous: bank line(s) " + IdList(line_ids, count) +
         " pay this amount to this payee within the window, and " + std::to_string(group_lines) + " line(s) face " +
         std::to_string(group_payments) + " payment(s), so which pairs with which cannot be told: a person decides";
}

std::string LineOutsideWindow(std::string_view payment_id, Date run_date, Date window_end, Date booked_on) {
  const std::string when = booked_on < run_date ? "before its run date" : "after its window closed";
  return "payment " + std::string(payment_id) + " has this amount and payee, run date " + run_date.ToIso() +
         ", but the line is booked on " + booked_on.ToIso() + ", " + when + " (" + run_date.ToIso() + " to " +
         window_end.ToIso() + ")";
}

std::string LineCandidateHeld(std::string_view payment_id) {
  return "payment " + std::string(payment_id) +
         " has this amount and payee within the window, but is itself left for a person (see its reason)";
}

std::string LineAmountDiffers(std::string_view payment_id, Date run_date, int64_t line_out_pence,
                              int64_t payment_pence) {
  return "no payment of this amount to this payee; amount differs from payment " + std::string(payment_id) +
         " (run date " + run_date.ToIso() + ", " + Pounds(payment_pence) + ") by " +
         Pounds(std::llabs(line_out_pence - payment_pence));
}

std::string LineOtherPayee(std::string_view payment_id, std::string_view payee, std::string_view line_payee) {
  return "payment " + std::string(payment_id) + " has the same amount within the window but is to " + Quoted(payee) +
         ", not " + Quoted(line_payee);
}

std::string LineNoPayment(int64_t line_out_pence, std::string_view line_payee, uint32_t window_business_days) {
  return "no candidate: no unsettled payment pays out " + Pounds(line_out_pence) + " to " + Quoted(line_payee) +
         " with a run date up to " + std::to_string(window_business_days) +
         " business days before the booking (money left with no matching payment)";
}

std::string LineNoPayeeNoRun(int64_t line_out_pence, uint32_t window_business_days) {
  return "no candidate: the line names no payee, and no payment run totals " + Pounds(line_out_pence) +
         " with a run date up to " + std::to_string(window_business_days) + " business days before the booking";
}

std::string PaymentLineOutsideWindow(std::string_view line_id, Date booked_on, Date run_date, Date window_end) {
  return "bank line " + std::string(line_id) + " pays this amount to this payee, but is booked on " +
         booked_on.ToIso() + ", outside the window " + run_date.ToIso() + " to " + window_end.ToIso();
}

std::string PaymentNoLine(int64_t payment_pence, std::string_view payee, Date run_date, Date window_end) {
  return "no bank line pays out " + Pounds(payment_pence) + " to " + Quoted(payee) + " from " + run_date.ToIso() +
         " to " + window_end.ToIso() + ": not yet on a statement";
}

std::string PaymentNotPositive(int64_t payment_pence) {
  return "it pays out " + Pounds(payment_pence) + ", which no bank line can settle";
}

}  // namespace rf::match_internal::text
