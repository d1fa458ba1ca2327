#include "reconcile/returned_flags.h"

#include <cassert>
#include <string>

#include "ledger/core/account.h"
#include "reconcile/flags.h"

namespace rf {

namespace {

// P: PaymentRecord or PaymentFlagFacts (the members named the same).
template <typename P>
MonthFlag ReturnedFlagOf(const P& p, const std::string& line_id, Date returned_on, std::optional<uint64_t> seq) {
  assert(p.state == PaymentState::kReturned || !seq.has_value());
  const bool invoice = p.purpose == PaymentPurpose::kInvoice;
  const std::string back_in = invoice ? Account{AccountType::kPayable, p.budget_id, p.provider_id}.ToString()
                                      : Account{AccountType::kBudget, p.budget_id, ""}.ToString();
  const std::string what =
      invoice ? "invoice " + p.invoice_id + " to provider " + p.provider_id : "an instalment of budget " + p.budget_id;
  const std::string whose = invoice ? "provider " + p.provider_id : "the budget holder (budget " + p.budget_id + ")";
  const std::string again = invoice ? "the invoice is approved again and the next payment run pays it"
                                    : "the next payment run pays the instalment again";
  std::string sentence =
      "The bank returned payment " + p.payment_id + " of " + p.amount.ToPounds() + " (" + what +
      (p.settled_on ? ", settled on " + p.settled_on->ToIso() : std::string()) + ") on " + returned_on.ToIso() +
      " (bank line " + line_id + "): the settlement is reversed and the money is back in " + back_in +
      ". Confirm the bank details with " + whose +
      " (an account closed or details wrong; a second person confirms any change); then " + again + ".";
  const std::string entity = "payment:" + p.payment_id;
  return MonthFlag{.code = FlagCode::kPaymentReturned,
                   .severity = FlagSeverity::kWarning,
                   .entity = entity,
                   .amount_at_stake_pence = p.amount,
                   .evidence_seqs = seq ? std::vector<uint64_t>{*seq} : std::vector<uint64_t>{},
                   .words = FlagWords{.evidence_bank_lines = {line_id}, .sentence = std::move(sentence)}};
}

}  // namespace

MonthFlag ReturnedPaymentFlag(const PaymentRecord& p, const std::string& line_id, Date returned_on,
                              std::optional<uint64_t> seq) {
  return ReturnedFlagOf(p, line_id, returned_on, seq);
}

namespace {

// Adds p's flag to `out` when it was returned in [first, last].
template <typename P>
Status AddReturnedFlag(const P& p, Date first, Date last, std::vector<MonthFlag>& out) {
  if (p.state != PaymentState::kReturned) return Status::Ok();
  if (!p.returned_on || !p.returned_seq || p.return_line_id.empty()) {
    return Status::Tampered("view " + RecordKey(RecordKind::kPayment, p.payment_id) +
                            ": returned, without its return's members");
  }
  if (*p.returned_on < first || *p.returned_on > last) return Status::Ok();
  out.push_back(ReturnedFlagOf(p, p.return_line_id, *p.returned_on, p.returned_seq));
  return Status::Ok();
}

}  // namespace

Result<std::vector<MonthFlag>> ReturnedPaymentFlags(const ViewSource& views, const Month& month) {
  std::vector<MonthFlag> out;
  const Date first = month.first_day(), last = month.last_day();
  RF_RETURN_IF_ERROR(ForEachRecord<PaymentRecord>(
      views, [&](const PaymentRecord& p) -> Status { return AddReturnedFlag(p, first, last, out); }));
  return out;
}

Result<std::vector<MonthFlag>> ReturnedPaymentFlagsOf(const std::vector<PaymentFlagFacts>& payments, const Month& month) {
  std::vector<MonthFlag> out;
  const Date first = month.first_day(), last = month.last_day();
  for (const PaymentFlagFacts& p : payments) RF_RETURN_IF_ERROR(AddReturnedFlag(p, first, last, out));
  return out;
}

Result<std::vector<MonthFlag>> PlannedReturnFlags(const ViewSource& views, const MonthMatchPlan& plan) {
  std::vector<MonthFlag> out;
  for (const ProposedReturn& r : plan.returns) {
    auto payment = FindRecord<PaymentRecord>(views, r.payment_id);
    if (!payment.ok()) return payment.status();
    if (!payment->has_value()) {
      return Status::Tampered("view " + RecordKey(RecordKind::kPayment, r.payment_id) + " is missing");
    }
    out.push_back(ReturnedPaymentFlag(**payment, r.line_id, r.booked_on, std::nullopt));
  }
  return out;
}

}  // namespace rf
