// Amendments and cancellations (issue 20 items 7, 8), guarded here as every
// other entry is in ApplyEntry:
//   amendment.requested  a provider's or budget holder's new bank details
//                        (an IBAN, mod 97 checked), with a reason in words;
//                        recorded as amendment/<id>, not in effect: payments
//                        still go to the old details
//   amendment.confirmed  by a different actor than the one who asked
//                        (AMEND_SAME_PERSON), once (AMEND_ALREADY_CONFIRMED),
//                        only while the details are still those the request
//                        replaced (AMEND_STALE); the target's payee_ref changes
//   provider.approval    a provider's approval granted or withdrawn
//   invoice.rejected     a received or approved invoice withdrawn for good
//                        (its approval's money back in the budget); a paid
//                        one is refused (cancel its payment first)
//   payment.cancelled    a pending payment withdrawn (never a settled one):
//                        its posting reversed, the invoice approved again
//                        (the next run pays it) or the instalment's money
//                        back in the budget (the next run pays it again)
// Every entry carries the actor (the envelope's) and, except a
// confirmation, a reason in words.
#include "ledger/bank/iban.h"
#include "ledger/core/apply_kit.h"
#include "ledger/core/records.h"
#include "ledger/core/rules.h"

namespace rf::apply_internal {
namespace {

Status NeedsReason(const Body& b) {
  RF_ASSIGN(reason, b.Text("reason"));
  if (!IsReason(reason)) return Status::InvalidInput("body.reason: say why in words");
  return Status::Ok();
}

// The record an amendment targets, by target name.
Result<RecordKind> TargetKind(const std::string& target) {
  if (target == "provider") return RecordKind::kProvider;
  if (target == "budget") return RecordKind::kBudget;
  return Status::InvalidInput("body.target: provider or budget");
}

}  // namespace

Status ApplyAmendmentRequested(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"amendment_id", "target", "target_id", "payee_ref", "reason"}));
  RF_ASSIGN(id, b.Id("amendment_id"));
  RF_ASSIGN(target, b.Text("target"));
  RF_ASSIGN(target_id, b.Id("target_id"));
  RF_ASSIGN(payee_ref, b.Text("payee_ref"));
  RF_RETURN_IF_ERROR(NeedsReason(b));
  RF_RETURN_IF_ERROR(CheckIban(payee_ref, "body.payee_ref"));
  RF_ASSIGN(kind, TargetKind(target));
  RF_ASSIGN(found, RequireRecord(c.views, kind, target_id, target == "provider" ? "provider" : "budget"));
  const std::string old_ref = found->value("payee_ref", std::string());
  if (old_ref == payee_ref) {
    return Status::InvalidInput("body.payee_ref: " + target + " " + target_id + " is already paid to " +
                                MaskIban(payee_ref));
  }
  if (kind == RecordKind::kBudget) {
    RF_ASSIGN(budget, DecodeBudget(RecordKey(kind, target_id), *found));
    if (budget.management == Management::kNotional) {
      return Status::InvalidInput("body.target_id: budget " + target_id +
                                  " is notional: it pays nobody directly (change the provider's details)");
    }
  }
  RF_RETURN_IF_ERROR(RequireNew(c.views, RecordKind::kAmendment, id, "amendment"));
  // The target names its open requests, so a payment to their details is
  // refused without a scan (NotePaymentToAmendedPayee).
  nlohmann::json changed = *found;
  changed["payee_requested"][id] = payee_ref;
  c.views.PutRecord(kind, target_id, std::move(changed));
  nlohmann::json record = {{"seq", c.seq},
                           {"target", target},
                           {"target_id", target_id},
                           {"payee_ref", payee_ref},
                           {"old_payee_ref", old_ref},
                           {"requested_by", c.draft->actor},
                           {"requested_on", c.effective().ToIso()},
                           {"state", ToString(AmendmentState::kRequested)}};
  c.views.PutRecord(RecordKind::kAmendment, id, std::move(record));
  return Status::Ok();
}

Status ApplyAmendmentConfirmed(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"amendment_id"}));
  RF_ASSIGN(id, b.Id("amendment_id"));
  RF_ASSIGN(found, c.views.Record(RecordKind::kAmendment, id));
  if (found == nullptr) {
    return RefusedWithCode(refusal::kAmendUnknown, "amendment " + id + " was never requested in this ledger");
  }
  const std::string key = RecordKey(RecordKind::kAmendment, id);
  RF_ASSIGN(amendment, DecodeAmendment(key, *found));
  if (amendment.state == AmendmentState::kConfirmed) {
    return RefusedWithCode(refusal::kAmendAlreadyConfirmed, "amendment " + id + " was already confirmed by " +
                                                                amendment.confirmed_by);
  }
  if (amendment.requested_by == c.draft->actor) {
    return RefusedWithCode(refusal::kAmendSamePerson,
                           "amendment " + id + " was requested by " + amendment.requested_by +
                               ": a change of bank details is confirmed by a second, different person");
  }
  if (c.effective() < amendment.requested_on) {
    return Status::InvalidInput("effective: amendment " + id + " cannot be confirmed before it was requested (" +
                                amendment.requested_on.ToIso() + ")");
  }
  RF_ASSIGN(kind, TargetKind(amendment.target));
  RF_ASSIGN(target, RequireRecord(c.views, kind, amendment.target_id, amendment.target.c_str()));
  nlohmann::json changed = *target;
  if (changed.value("payee_ref", std::string()) != amendment.old_payee_ref) {
    return RefusedWithCode(refusal::kAmendStale,
                           "amendment " + id + " replaces " + MaskIban(amendment.old_payee_ref) + ", but " +
                               amendment.target + " " + amendment.target_id + " is now paid to " +
                               MaskIban(changed.value("payee_ref", std::string())) + ": ask for the change again");
  }
  MarkPayeeAmended(changed, amendment.payee_ref, id);
  if (auto open = changed.find("payee_requested"); open != changed.end() && open->is_object()) {
    open->erase(id);
    if (open->empty()) changed.erase("payee_requested");
  }
  c.views.PutRecord(kind, amendment.target_id, std::move(changed));
  nlohmann::json record = *found;
  MarkAmendmentConfirmed(record, c.seq, c.draft->actor, c.effective());
  c.views.PutRecord(RecordKind::kAmendment, id, std::move(record));
  return Status::Ok();
}

Status NotePaymentToAmendedPayee(Ctx& c, RecordKind target_kind, const std::string& target_id,
                                 const std::string& payee_ref, const std::string& payment_id) {
  RF_ASSIGN(target, c.views.Record(target_kind, target_id));
  if (target == nullptr) return Status::Ok();
  const std::string current = target->value("payee_ref", std::string());
  bool unconfirmed = false;
  if (auto open = target->find("payee_requested"); open != target->end() && open->is_object()) {
    for (const auto& iban : *open) {
      unconfirmed = unconfirmed || (iban.is_string() && iban.get_ref<const std::string&>() == payee_ref);
    }
  }
  if (unconfirmed && payee_ref != current) {
    return RefusedWithCode(refusal::kPayeeNotCurrent,
                           "payment " + payment_id + " goes to " + MaskIban(payee_ref) + ", but " +
                               std::string(target_kind == RecordKind::kProvider ? "provider " : "budget ") +
                               target_id + " is paid to " + MaskIban(current) +
                               " (a change of details takes effect only when a second person confirms it)");
  }
  const std::string amendment_id = target->value("payee_amendment", std::string());
  if (amendment_id.empty() || payee_ref.empty()) return Status::Ok();
  RF_ASSIGN(found, c.views.Record(RecordKind::kAmendment, amendment_id));
  if (found == nullptr) {
    return Status::Tampered("view " + RecordKey(target_kind, target_id) + ": amendment " + amendment_id +
                            " it names is missing");
  }
  RF_ASSIGN(amendment, DecodeAmendment(RecordKey(RecordKind::kAmendment, amendment_id), *found));
  if (!amendment.first_payment_id.empty() || amendment.payee_ref != payee_ref) return Status::Ok();
  nlohmann::json record = *found;
  MarkAmendmentFirstPayment(record, payment_id, c.seq, c.effective());
  c.views.PutRecord(RecordKind::kAmendment, amendment_id, std::move(record));
  return Status::Ok();
}

Status ApplyProviderApproval(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"provider_id", "approved", "reason"}));
  RF_ASSIGN(id, b.Id("provider_id"));
  RF_RETURN_IF_ERROR(NeedsReason(b));
  const std::string_view approved_raw = b.Raw("approved");
  if (approved_raw != "true" && approved_raw != "false") {
    return Status::InvalidInput("body.approved: true or false");
  }
  RF_ASSIGN(found, RequireTyped<ProviderRecord>(c.views, id, "provider"));
  if (found.record.approved == (approved_raw == "true")) {
    return Status::InvalidInput("body.approved: provider " + id + " is already " +
                                (found.record.approved ? "approved" : "not approved"));
  }
  found.json["approved"] = approved_raw == "true";
  c.views.PutRecord(RecordKind::kProvider, id, std::move(found.json));
  return Status::Ok();
}

Status ApplyInvoiceRejected(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"invoice_id", "reason", "postings"}));
  RF_ASSIGN(id, b.Id("invoice_id"));
  RF_RETURN_IF_ERROR(NeedsReason(b));
  RF_ASSIGN(found, RequireTyped<InvoiceRecord>(c.views, id, "invoice"));
  const InvoiceRecord invoice = found.record;
  if (invoice.state == InvoiceState::kPaid) {
    return RefusedWithCode(refusal::kInvoiceNotRejectable,
                           "invoice " + id + " is paid (payment " + invoice.payment_id +
                               "): cancel the payment first (payment cancel), while it is pending");
  }
  if (invoice.state == InvoiceState::kRejected) {
    return RefusedWithCode(refusal::kInvoiceNotRejectable, "invoice " + id + " is already rejected");
  }
  if (c.effective() < invoice.received_on) {
    return Status::InvalidInput("effective: invoice " + id + " cannot be rejected before it was received (" +
                                invoice.received_on.ToIso() + ")");
  }
  const bool was_approved = invoice.state == InvoiceState::kApproved;
  MarkInvoiceRejected(found.json, c.seq, c.effective());
  c.views.PutRecord(RecordKind::kInvoice, id, std::move(found.json));
  IndexInvoiceRejected(c.views, invoice);
  if (!was_approved) {
    const std::string_view postings = b.Raw("postings");
    if (!postings.empty() && postings != "[]") {
      return Status::InvalidInput("body.postings: invoice " + id + " was never approved: no money moves");
    }
    return Status::Ok();
  }
  RF_RETURN_IF_ERROR(AddProviderTotal(c.views, invoice.provider_id, ProviderTotal::kApproved, -invoice.amount, false));
  return ExpectedPostings(c, {{Account{AccountType::kPayable, invoice.budget_id, invoice.provider_id}, -invoice.amount},
                              {Account{AccountType::kBudget, invoice.budget_id, ""}, invoice.amount}});
}

Status ApplyPaymentCancelled(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"payment_id", "reason", "postings"}));
  RF_ASSIGN(id, b.Id("payment_id"));
  RF_RETURN_IF_ERROR(NeedsReason(b));
  RF_ASSIGN(found, RequireTyped<PaymentRecord>(c.views, id, "payment"));
  const PaymentRecord payment = found.record;
  if (payment.state != PaymentState::kPending) {
    return RefusedWithCode(refusal::kPaymentNotCancellable,
                           "payment " + id + " is " + std::string(ToString(payment.state)) +
                               ": only a pending payment (its file not yet through the bank) is cancelled" +
                               (payment.state == PaymentState::kSettled
                                    ? "; a settled payment comes back only as a return from the bank"
                                    : ""));
  }
  if (c.effective() < payment.run_date) {
    return Status::InvalidInput("effective: payment " + id + " cannot be cancelled before its run (" +
                                payment.run_date.ToIso() + ")");
  }
  RF_ASSIGN(found_run, c.views.Record(RecordKind::kRun, payment.run_id));
  if (found_run == nullptr) {
    return Status::Tampered("view " + RecordKey(RecordKind::kRun, payment.run_id) + ": payment " + id +
                            " names it, it is missing");
  }
  RF_ASSIGN(run, DecodeRun(RecordKey(RecordKind::kRun, payment.run_id), *found_run));
  nlohmann::json run_json = *found_run;
  MarkRunPaymentCancelled(run_json, run, payment.amount);
  c.views.PutRecord(RecordKind::kRun, payment.run_id, std::move(run_json));

  // Approved again, under the next repayment id: the invoice's count of
  // returns counts cancellations too.
  RF_ASSIGN(expected, PutPaymentMoneyBack(c, payment));
  MarkPaymentCancelled(found.json, c.seq, c.effective());
  c.views.PutRecord(RecordKind::kPayment, id, std::move(found.json));
  IndexPaymentCancelled(c.views, id);
  IndexProviderPaymentGone(c.views, payment);
  RF_RETURN_IF_ERROR(IndexInstalmentCancelled(c.views, payment));
  return ExpectedPostings(c, expected);
}

}  // namespace rf::apply_internal
