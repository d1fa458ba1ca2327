#include "reconcile/payee_flags.h"

#include <string>

#include "ledger/bank/iban.h"
#include "ledger/core/records.h"
#include "reconcile/flags.h"

namespace rf {

Result<std::vector<MonthFlag>> PayeeChangedFlags(const ViewSource& views, const Month& month) {
  std::vector<MonthFlag> out;
  const Date first = month.first_day(), last = month.last_day();
  RF_RETURN_IF_ERROR(ForEachRecord<AmendmentRecord>(views, [&](const AmendmentRecord& a) -> Status {
    if (a.state != AmendmentState::kConfirmed || !a.first_payment_on) return Status::Ok();
    if (*a.first_payment_on < first || *a.first_payment_on > last) return Status::Ok();
    auto payment = FindRecord<PaymentRecord>(views, a.first_payment_id);
    if (!payment.ok()) return payment.status();
    if (!payment->has_value()) {
      return Status::Tampered("view " + RecordKey(RecordKind::kAmendment, a.amendment_id) + ": its first payment " +
                              a.first_payment_id + " is missing");
    }
    const PaymentRecord& p = **payment;
    const std::string whose =
        a.target == "provider" ? "provider " + a.target_id : "the budget holder of budget " + a.target_id;
    std::string sentence = "Payment " + p.payment_id + " of " + p.amount.ToPounds() + " (run " + p.run_id + ", " +
                           p.run_date.ToIso() + ") is the first to " + whose + "'s new bank details " +
                           MaskIban(a.payee_ref) + " (before: " +
                           (a.old_payee_ref.empty() ? std::string("none") : MaskIban(a.old_payee_ref)) +
                           "), changed by amendment " + a.amendment_id + ", asked for by " + a.requested_by +
                           " on " + a.requested_on.ToIso() + " and confirmed by " + a.confirmed_by +
                           (a.confirmed_on ? " on " + a.confirmed_on->ToIso() : std::string()) +
                           ". Check with " + whose +
                           ", on contact details already on file (not those in the request), that the account is "
                           "theirs: a change of bank details is how payments are most often diverted.";
    std::vector<uint64_t> seqs = {a.seq};
    if (a.confirmed_seq) seqs.push_back(*a.confirmed_seq);
    if (a.first_payment_seq) seqs.push_back(*a.first_payment_seq);
    const std::string entity = "amendment:" + a.amendment_id;
    out.push_back(MonthFlag{.code = FlagCode::kPayeeDetailsChanged,
                            .severity = FlagSeverity::kWarning,
                            .entity = entity,
                            .amount_at_stake_pence = p.amount,
                            .evidence_seqs = std::move(seqs),
                            .words = FlagWords{.evidence_bank_lines = {}, .sentence = std::move(sentence)}});
    return Status::Ok();
  }));
  return out;
}

}  // namespace rf
