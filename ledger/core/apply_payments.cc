// Invoices and payments: received, approved, pending, settled.
#include "ledger/core/apply_kit.h"
#include "ledger/core/canonical_json.h"
#include "ledger/core/records.h"
#include "ledger/core/rules.h"

namespace rf::apply_internal {

Status ApplyInvoiceReceived(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"invoice_id", "provider_id", "budget_id", "amount", "service_from", "service_to",
                                    "received_on", "category", "description"}));
  RF_ASSIGN(invoice, b.Id("invoice_id"));
  RF_ASSIGN(provider, b.Id("provider_id"));
  RF_ASSIGN(budget, b.Id("budget_id"));
  RF_ASSIGN(amount, b.Amount("amount"));
  RF_ASSIGN(from, b.Day("service_from"));
  RF_ASSIGN(to, b.Day("service_to"));
  RF_ASSIGN(received_on, b.Day("received_on"));
  RF_RETURN_IF_ERROR(b.CheckText("category"));
  RF_RETURN_IF_ERROR(b.CheckText("description", false));
  if (!(amount > Pence())) return Status::InvalidInput("body.amount: an invoice is for more than zero");
  if (to < from) return Status::InvalidInput("body.service_to: before service_from");
  if (received_on != c.effective()) return Status::InvalidInput("body.received_on: must equal the entry's date");
  RF_RETURN_IF_ERROR(RequireNew(c.views, RecordKind::kInvoice, invoice, "invoice"));
  RF_RETURN_IF_ERROR(RequireRecord(c.views, RecordKind::kProvider, provider, "provider").status());
  RF_ASSIGN(budget_found, RequireRecord(c.views, RecordKind::kBudget, budget, "budget"));
  RF_ASSIGN(budget_link, DecodeBudgetLink(RecordKey(RecordKind::kBudget, budget), *budget_found));
  RF_RETURN_IF_ERROR(CheckNotBeforeBudgetApproval("invoice " + invoice, budget, budget_link.approved_on, received_on));
  // The record keeps what approval, payment and the reports read; the id is
  // its key, and the category and description stay in the entry (a load
  // writes one record per row, in its one transaction: views_store.h). It
  // is written as canonical text without a DOM (records.h).
  std::string amount_text, budget_text, provider_text, received_text, from_text, to_text;
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("amount", &amount_text));
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("budget_id", &budget_text));
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("provider_id", &provider_text));
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("received_on", &received_text));
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("service_from", &from_text));
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("service_to", &to_text));
  c.views.PutRecordText(
      RecordKind::kInvoice, invoice,
      ReceivedInvoiceText({amount_text, budget_text, provider_text, received_text, from_text, to_text}, c.seq));
  InvoiceRecord indexed;
  indexed.invoice_id = invoice;
  indexed.provider_id = provider;
  indexed.budget_id = budget;
  indexed.amount = amount;
  indexed.service_from = from;
  indexed.service_to = to;
  indexed.received_on = received_on;
  RF_RETURN_IF_ERROR(IndexInvoiceReceived(c.views, indexed));
  return AddProviderTotal(c.views, provider, ProviderTotal::kReceived, amount, /*count=*/true);
}

Status ApplyInvoiceApproved(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"invoice_id", "postings"}));
  RF_ASSIGN(id, b.Id("invoice_id"));
  RF_ASSIGN(found, RequireTyped<InvoiceRecord>(c.views, id, "invoice"));
  const InvoiceRecord& invoice = found.record;
  if (invoice.state != InvoiceState::kReceived) {
    return RefusedWithCode(refusal::kInvoiceNotAwaiting,
                           "invoice " + id + " is " + std::string(ToString(invoice.state)) + ", not awaiting approval");
  }
  if (invoice.received_on > c.effective()) {
    return RefusedWithCode(refusal::kApprovedBeforeReceived,
                           "invoice " + id + " cannot be approved before it was received");
  }
  MarkInvoiceApproved(found.json, c.seq, c.effective());
  c.views.PutRecord(RecordKind::kInvoice, id, std::move(found.json));
  RF_RETURN_IF_ERROR(AddProviderTotal(c.views, invoice.provider_id, ProviderTotal::kApproved, invoice.amount, false));
  return ExpectedPostings(c, {{Account{AccountType::kBudget, invoice.budget_id, ""}, -invoice.amount},
                              {Account{AccountType::kPayable, invoice.budget_id, invoice.provider_id}, invoice.amount}});
}

namespace {

// A run is a chain: its record names its last payment and each payment the
// one before it (run_prev), so settling a whole run reads only the run's own
// records, however many payments the ledger holds.
Status JoinRun(Ctx& c, const std::string& run_id, const std::string& payment_id, const Pence& amount,
               nlohmann::json* payment) {
  RF_ASSIGN(existing, c.views.Record(RecordKind::kRun, run_id));
  nlohmann::json run = existing != nullptr ? *existing : NewRunJson(c.seq);
  RF_ASSIGN(before, DecodeRun(RecordKey(RecordKind::kRun, run_id), run));
  assert(before.state == PaymentState::kPending);  // checked by the caller
  JoinRunJson(run, before, *payment, payment_id, amount);
  c.views.PutRecord(RecordKind::kRun, run_id, std::move(run));
  return Status::Ok();
}

// The bank line a settlement names, if it may settle: loaded, unused, booked
// on the settlement's date.
// The line with its text, to change by text (a month's reconcile settles
// hundreds of thousands: no DOM each).
Result<FoundText<BankLineRecord>> UnusedLine(Ctx& c, const std::string& line_id, Date booked_on) {
  RF_ASSIGN(found_line, c.views.RecordText(RecordKind::kBankLine, line_id));
  if (!found_line) {
    return RefusedWithCode(refusal::kBankLineUnknown, "bank line " + line_id +
                                                          " is not on any statement loaded (ingest the statement first)");
  }
  std::string text(*found_line);  // the view is valid only until the next read
  RF_ASSIGN(line, DecodeRecordText<BankLineRecord>(RecordKey(RecordKind::kBankLine, line_id), text));
  if (line.state != BankLineState::kUnmatched) {
    const std::string what = !line.run_id.empty() ? "payment run " + line.run_id : "payment " + line.payment_id;
    return RefusedWithCode(refusal::kBankLineUsed, "bank line " + line_id + " already settles " + what);
  }
  if (line.booked_on != booked_on) {
    return RefusedWithCode(refusal::kBankLineDate, "bank line " + line_id + " is booked on " +
                                                       line.booked_on.ToIso() + ", not on " + booked_on.ToIso());
  }
  return FoundText<BankLineRecord>{std::move(line), std::move(text)};
}

// A payment settles on or after its run's date, alone or with its run.
Status CheckSettledAfterRun(const PaymentRecord& payment, Date booked_on) {
  if (!(booked_on < payment.run_date)) return Status::Ok();
  return RefusedWithCode(
      refusal::kSettledBeforeRun,
      "payment " + payment.payment_id + " cannot settle before its run date (" + payment.run_date.ToIso() + ")");
}

// Calls fn(payment, its stored JSON) for every payment of `run`, walked from
// its last along run_prev. Bounded by the run's count; a chain that ends
// early, runs on, or leaves the run is damage (Tampered), not a refusal.
template <typename Fn>
Status ForEachRunPayment(Ctx& c, const RunRecord& run, const std::string& run_key, Fn&& fn) {
  std::string payment_id = run.last_payment_id;
  for (uint64_t i = 0; i < run.payments; ++i) {
    RF_ASSIGN(found, c.views.Record(RecordKind::kPayment, payment_id));
    if (found == nullptr) return Status::Tampered("view " + run_key + ": its payments do not chain back to its first");
    RF_ASSIGN(payment, DecodePayment(RecordKey(RecordKind::kPayment, payment_id), *found));
    if (payment.run_id != run.run_id) {
      return Status::Tampered("view " + run_key + ": its payments do not chain back to its first");
    }
    RF_RETURN_IF_ERROR(fn(payment, *found));
    payment_id = payment.run_prev;
  }
  if (!payment_id.empty()) return Status::Tampered("view " + run_key + ": its count disagrees with its payments");
  return Status::Ok();
}

// Every payment of the run, walked from its last along run_prev, settled by
// one batch line whose amount is the run's total, negated, to the penny.
Status SettleRun(Ctx& c, const std::string& run_id, const std::string& line_id, Date booked_on) {
  RF_ASSIGN(found_run, c.views.Record(RecordKind::kRun, run_id));
  if (found_run == nullptr) {
    return RefusedWithCode(refusal::kRunUnknown, "payment run " + run_id + " is not in this ledger");
  }
  const std::string run_key = RecordKey(RecordKind::kRun, run_id);
  RF_ASSIGN(run, DecodeRun(run_key, *found_run));
  if (run.state != PaymentState::kPending) {
    return RefusedWithCode(refusal::kAlreadySettled,
                           "payment run " + run_id + " is already settled by bank line " + run.bank_line_id);
  }
  RF_ASSIGN(line, UnusedLine(c, line_id, booked_on));
  if (line.record.amount != -run.total) {
    return RefusedWithCode(refusal::kSettlementAmount,
                           "bank line " + line_id + " moves " + line.record.amount.ToPounds() + ", but payment run " +
                               run_id + " pays out " + run.total.ToPounds() + " in " + std::to_string(run.payments) +
                               " payments (a batch line is the run's total, negated, to the penny)");
  }
  Pence settled_total;
  RF_RETURN_IF_ERROR(ForEachRunPayment(
      c, run, run_key, [&](const PaymentRecord& payment, const nlohmann::json& stored) -> Status {
        if (payment.state == PaymentState::kCancelled) return Status::Ok();  // not in the run's total
        if (payment.state != PaymentState::kPending) {
          return RefusedWithCode(refusal::kRunPartlySettled, "payment run " + run_id +
                                                                 " is partly settled: payment " + payment.payment_id +
                                                                 " is already settled on its own");
        }
        RF_RETURN_IF_ERROR(CheckSettledAfterRun(payment, booked_on));
        settled_total += payment.amount;
        nlohmann::json changed = stored;
        MarkPaymentSettled(changed, c.seq, booked_on, line_id);
        c.views.PutRecord(RecordKind::kPayment, payment.payment_id, std::move(changed));
        IndexPaymentSettled(c.views, payment.payment_id, booked_on, line_id);
        return Status::Ok();
      }));
  if (settled_total != run.total) {
    return Status::Tampered("view " + run_key + ": its total disagrees with its payments");
  }
  nlohmann::json run_json = *found_run;
  MarkRunSettled(run_json, c.seq, line_id);
  c.views.PutRecord(RecordKind::kRun, run_id, std::move(run_json));
  RF_ASSIGN(matched_line, BankLineMatchedRunText(line.text, c.seq, run_id));
  c.views.PutRecordText(RecordKind::kBankLine, line_id, std::move(matched_line));
  return Status::Ok();
}

}  // namespace

Status ApplyPaymentPending(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers(
      {"payment_id", "run_id", "purpose", "invoice_id", "budget_id", "amount", "payee_ref", "due_on", "postings"}));
  RF_ASSIGN(id, b.Id("payment_id"));
  RF_ASSIGN(run_id, b.Id("run_id"));
  RF_ASSIGN(purpose, b.Text("purpose"));
  RF_ASSIGN(amount, b.Amount("amount"));
  RF_RETURN_IF_ERROR(b.Text("payee_ref", false).status());
  if (b.Has("due_on")) RF_RETURN_IF_ERROR(b.Day("due_on").status());
  if (!(amount > Pence())) return Status::InvalidInput("body.amount: a payment is more than zero");
  RF_RETURN_IF_ERROR(RequireNew(c.views, RecordKind::kPayment, id, "payment"));
  RF_ASSIGN(run_found, c.views.Record(RecordKind::kRun, run_id));
  if (run_found != nullptr) {
    RF_ASSIGN(run, DecodeRun(RecordKey(RecordKind::kRun, run_id), *run_found));
    if (run.state != PaymentState::kPending) {
      return RefusedWithCode(refusal::kAlreadySettled,
                             "payment run " + run_id + " is already settled: payment " + id + " cannot join it");
    }
  }
  std::vector<Posting> expected;
  std::string budget, provider, paid_invoice;
  std::optional<Date> invoice_received_on;  // purpose invoice
  nlohmann::json record = WithoutPostings(c.body(), c.seq);
  if (purpose == ToString(PaymentPurpose::kInvoice)) {
    if (b.Has("budget_id")) return Status::InvalidInput("body.budget_id: an invoice payment names the invoice only");
    RF_ASSIGN(invoice_id, b.Id("invoice_id"));
    paid_invoice = invoice_id;
    RF_ASSIGN(found, RequireTyped<InvoiceRecord>(c.views, invoice_id, "invoice"));
    const InvoiceRecord& invoice = found.record;
    if (invoice.state != InvoiceState::kApproved) {
      return RefusedWithCode(refusal::kInvoiceNotApproved, "invoice " + invoice_id + " is " +
                                                               std::string(ToString(invoice.state)) +
                                                               ": only approved invoices are paid");
    }
    if (invoice.amount != amount) {
      return Status::InvalidInput("body.amount: invoice " + invoice_id + " is for " + invoice.amount.ToDecimal());
    }
    budget = invoice.budget_id;
    provider = invoice.provider_id;
    invoice_received_on = invoice.received_on;
    RF_ASSIGN(provider_found, RequireTyped<ProviderRecord>(c.views, provider, "provider"));
    RF_RETURN_IF_ERROR(CheckProviderApproved(provider, provider_found.record.approved));
    MarkInvoicePaid(found.json, id);
    c.views.PutRecord(RecordKind::kInvoice, invoice_id, std::move(found.json));
    RF_RETURN_IF_ERROR(AddProviderTotal(c.views, provider, ProviderTotal::kPaid, amount, false));
    expected = {{Account{AccountType::kPayable, budget, provider}, -amount},
                {Account{AccountType::kPaid, provider, ""}, amount}};
  } else if (purpose == ToString(PaymentPurpose::kInstalment)) {
    if (b.Has("invoice_id")) return Status::InvalidInput("body.invoice_id: an instalment names the budget only");
    RF_ASSIGN(budget_id, b.Id("budget_id"));
    budget = budget_id;
    expected = {{Account{AccountType::kBudget, budget, ""}, -amount}, {Account{AccountType::kDp, budget, ""}, amount}};
  } else {
    return Status::InvalidInput("body.purpose: expected invoice or instalment");
  }
  RF_ASSIGN(budget_found, RequireTyped<BudgetRecord>(c.views, budget, "budget"));
  if (purpose == ToString(PaymentPurpose::kInstalment) && budget_found.record.management == Management::kNotional) {
    return RefusedWithCode(refusal::kNotionalInstalment,
                           "budget " + budget + " is notional: it is paid through invoices, not instalments");
  }
  // The first payment is the earliest dated (the first committed on a tie):
  // a back-dated run can pay a budget before the run that first paid it,
  // and as of any date the record then says what a replay to it would.
  // A cancelled or returned first payment gives way to the budget's next
  // live one (ForgetFirstPayment), found along the budget's chain.
  if (!budget_found.record.first_payment_seq || c.effective() < *budget_found.record.first_payment_on) {
    MarkBudgetFirstPayment(budget_found.json, c.seq, c.effective());
  }
  JoinBudgetPaymentsJson(budget_found.json, budget_found.record, record, id);
  c.views.PutRecord(RecordKind::kBudget, budget, std::move(budget_found.json));
  // Its pot and approval day are unchanged: keep them decoded for the postings.
  c.views.CacheLink(RecordKey(RecordKind::kBudget, budget),
                    {budget_found.record.pot_id, budget_found.record.approved_on});
  RF_ASSIGN(payee_ref, b.Text("payee_ref", false));
  RF_RETURN_IF_ERROR(NotePaymentToAmendedPayee(c, provider.empty() ? RecordKind::kBudget : RecordKind::kProvider,
                                               provider.empty() ? budget : provider, payee_ref, id));
  MarkPaymentPending(record, budget, provider, c.effective());
  RF_RETURN_IF_ERROR(JoinRun(c, run_id, id, amount, &record));
  c.views.PutRecord(RecordKind::kPayment, id, std::move(record));
  IndexPaymentPending(c.views, id, c.effective());
  if (invoice_received_on) IndexProviderPayment(c.views, id, provider, amount, c.effective(), *invoice_received_on);
  std::optional<Date> due_on;
  if (purpose == ToString(PaymentPurpose::kInstalment) && b.Has("due_on")) {
    RF_ASSIGN(due, b.Day("due_on"));
    due_on = due;
  }
  RF_RETURN_IF_ERROR(IndexPaymentRun(c.views, id, c.effective(), paid_invoice, budget, amount, due_on));
  return ExpectedPostings(c, expected);
}

// The one write reconciliation depends on, guarded here: the bank line is
// on a loaded statement and not yet used, it pays out exactly the payment's
// (or the whole run's) amount on the settlement's date, and the line is
// marked matched in the same entry. A payment settles once.
Status ApplyPaymentSettled(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"payment_id", "run_id", "bank_line_id", "booked_on"}));
  RF_ASSIGN(line_id, b.Text("bank_line_id"));
  RF_ASSIGN(booked_on, b.Day("booked_on"));
  if (booked_on != c.effective()) return Status::InvalidInput("body.booked_on: must equal the entry's date");
  if (b.Has("run_id")) {
    if (b.Has("payment_id")) return Status::InvalidInput("body.run_id: a settlement names a payment or a run, not both");
    RF_ASSIGN(run_id, b.Id("run_id"));
    return SettleRun(c, run_id, line_id, booked_on);
  }
  RF_ASSIGN(id, b.Id("payment_id"));
  RF_ASSIGN(found, RequireTypedText<PaymentRecord>(c.views, id, "payment"));
  const PaymentRecord& payment = found.record;
  if (payment.state != PaymentState::kPending) {
    return RefusedWithCode(refusal::kAlreadySettled, "payment " + id + " is already settled");
  }
  RF_RETURN_IF_ERROR(CheckSettledAfterRun(payment, booked_on));
  RF_ASSIGN(line, UnusedLine(c, line_id, booked_on));
  if (line.record.amount != -payment.amount) {
    return RefusedWithCode(refusal::kSettlementAmount,
                           "bank line " + line_id + " moves " + line.record.amount.ToPounds() + ", but payment " + id +
                               " pays out " + payment.amount.ToPounds() +
                               " (a payment out is a negative line of the same amount)");
  }
  RF_ASSIGN(settled, PaymentSettledText(found.text, c.seq, booked_on, line_id));
  c.views.PutRecordText(RecordKind::kPayment, id, std::move(settled));
  IndexPaymentSettled(c.views, id, booked_on, line_id);
  RF_ASSIGN(matched_line, BankLineMatchedPaymentText(line.text, c.seq, id));
  c.views.PutRecordText(RecordKind::kBankLine, line_id, std::move(matched_line));
  return Status::Ok();
}

namespace {

// A returned payment's settlement stands: its money has already come back
// (payment.returned posted it), so undoing the match would leave a payment
// both pending and returned.
Status ReturnStands(const PaymentRecord& payment, const std::string& line_id) {
  return RefusedWithCode(refusal::kPaymentWasReturned,
                         "bank line " + line_id + " settles payment " + payment.payment_id +
                             ", which the bank returned (bank line " + payment.return_line_id +
                             "): a settlement with a return is not undone");
}

// Every payment of the run back to pending, walked as SettleRun walks it.
Status UnsettleRun(Ctx& c, const std::string& run_id, const std::string& line_id) {
  RF_ASSIGN(found_run, c.views.Record(RecordKind::kRun, run_id));
  const std::string run_key = RecordKey(RecordKind::kRun, run_id);
  if (found_run == nullptr)
    return Status::Tampered("view " + run_key + ": a matched bank line names it, it is missing");
  RF_ASSIGN(run, DecodeRun(run_key, *found_run));
  if (run.state != PaymentState::kSettled || run.bank_line_id != line_id) {
    return Status::Tampered("view " + run_key + ": bank line " + line_id + " settles it, it does not name the line");
  }
  RF_RETURN_IF_ERROR(ForEachRunPayment(
      c, run, run_key, [&](const PaymentRecord& payment, const nlohmann::json& stored) -> Status {
        if (payment.state == PaymentState::kReturned) return ReturnStands(payment, line_id);
        if (payment.state == PaymentState::kCancelled) return Status::Ok();  // never settled
        if (payment.state != PaymentState::kSettled || payment.bank_line_id != line_id) {
          return Status::Tampered("view " + run_key + ": payment " + payment.payment_id +
                                  " is not settled by its batch line");
        }
        nlohmann::json changed = stored;
        MarkPaymentUnsettled(changed);
        c.views.PutRecord(RecordKind::kPayment, payment.payment_id, std::move(changed));
        IndexPaymentUnsettled(c.views, payment);
        return Status::Ok();
      }));
  nlohmann::json run_json = *found_run;
  MarkRunUnsettled(run_json);
  c.views.PutRecord(RecordKind::kRun, run_id, std::move(run_json));
  return Status::Ok();
}

}  // namespace

// A person's undoing of a match: the line must settle something; what it
// settled (a payment, or every payment of a run) is pending again and the
// line unmatched, each record's bytes as before the settlement. No postings
// (a settlement has none); the reason and actor are journalled.
Status ApplyPaymentUnsettled(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"bank_line_id", "reason"}));
  RF_ASSIGN(line_id, b.Text("bank_line_id"));
  RF_ASSIGN(reason, b.Text("reason"));
  if (!IsReason(reason)) return Status::InvalidInput("body.reason: say why in words");
  RF_ASSIGN(found_line, c.views.Record(RecordKind::kBankLine, line_id));
  if (found_line == nullptr) {
    return RefusedWithCode(refusal::kBankLineUnknown, "bank line " + line_id + " is not on any statement loaded");
  }
  const std::string line_key = RecordKey(RecordKind::kBankLine, line_id);
  RF_ASSIGN(line, DecodeBankLine(line_key, *found_line));
  if (line.state != BankLineState::kMatched) {
    return RefusedWithCode(refusal::kBankLineNotMatched,
                           "bank line " + line_id + " is not matched: there is no settlement to undo");
  }
  if (!line.returned_payment_id.empty()) {
    return RefusedWithCode(refusal::kPaymentWasReturned,
                           "bank line " + line_id + " returns payment " + line.returned_payment_id +
                               ": a return is not undone by unmatch (if it was wrong, post a correction)");
  }
  if (!line.run_id.empty()) {
    RF_RETURN_IF_ERROR(UnsettleRun(c, line.run_id, line_id));
  } else {
    RF_ASSIGN(found, c.views.Record(RecordKind::kPayment, line.payment_id));
    const std::string payment_key = RecordKey(RecordKind::kPayment, line.payment_id);
    if (found == nullptr) return Status::Tampered("view " + line_key + ": the payment it settles is missing");
    RF_ASSIGN(payment, DecodePayment(payment_key, *found));
    if (payment.state == PaymentState::kReturned) return ReturnStands(payment, line_id);
    if (payment.state != PaymentState::kSettled || payment.bank_line_id != line_id) {
      return Status::Tampered("view " + payment_key + ": bank line " + line_id +
                              " settles it, it does not name the line");
    }
    nlohmann::json changed = *found;
    MarkPaymentUnsettled(changed);
    c.views.PutRecord(RecordKind::kPayment, line.payment_id, std::move(changed));
    IndexPaymentUnsettled(c.views, payment);
  }
  nlohmann::json line_json = *found_line;
  MarkBankLineUnmatched(line_json);
  c.views.PutRecord(RecordKind::kBankLine, line_id, std::move(line_json));
  return Status::Ok();
}

}  // namespace rf::apply_internal
