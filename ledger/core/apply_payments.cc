// Invoices and payments: received, approved, pending, settled.
#include "ledger/core/apply_kit.h"
#include "ledger/core/canonical_json.h"
#include "ledger/core/records.h"
#include "ledger/core/rules.h"

namespace rf::apply_internal {

Status ApplyInvoiceReceived(Ctx& c) {
  RF_ASSIGN(b, c.ReadBody());
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
  RF_RETURN_IF_ERROR(RequireRecord(c.views, RecordKind::kBudget, budget, "budget").status());
  // The record keeps what approval, payment and the reports read; the id is
  // its key, and the category and description stay in the entry (a load
  // writes one record per row, in its one transaction: views_store.h). It
  // is written as canonical text, members in JCS order, without a DOM.
  std::string record;
  record.reserve(192);
  record += "{\"amount\":";
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("amount", &record));
  record += ",\"budget_id\":";
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("budget_id", &record));
  record += ",\"provider_id\":";
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("provider_id", &record));
  record += ",\"received_on\":";
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("received_on", &record));
  record += ",\"seq\":" + std::to_string(c.seq);
  record += ",\"service_from\":";
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("service_from", &record));
  record += ",\"service_to\":";
  RF_RETURN_IF_ERROR(b.AppendCanonicalText("service_to", &record));
  record += ",\"state\":\"received\"}";
  c.views.PutRecordText(RecordKind::kInvoice, invoice, std::move(record));
  return AddProviderTotal(c.views, provider, "received", amount, /*count=*/true);
}

Status ApplyInvoiceApproved(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"invoice_id", "postings"}));
  RF_ASSIGN(id, b.Id("invoice_id"));
  RF_ASSIGN(found, RequireRecord(c.views, RecordKind::kInvoice, id, "invoice"));
  RF_ASSIGN(record, DecodeInvoice(RecordKey(RecordKind::kInvoice, id), *found));
  if (record.state != InvoiceState::kReceived) {
    return RefusedWithCode(refusal::kInvoiceNotAwaiting,
                           "invoice " + id + " is " + std::string(ToString(record.state)) + ", not awaiting approval");
  }
  if (c.effective() < record.received_on) {
    return RefusedWithCode(refusal::kApprovedBeforeReceived,
                           "invoice " + id + " cannot be approved before it was received");
  }
  const std::string& budget = record.budget_id;
  const std::string& provider = record.provider_id;
  const Pence amount = record.amount;
  nlohmann::json invoice = *found;
  invoice["state"] = "approved";
  invoice["approved_seq"] = c.seq;
  invoice["approved_on"] = c.effective().ToIso();
  c.views.PutRecord(RecordKind::kInvoice, id, std::move(invoice));
  RF_RETURN_IF_ERROR(AddProviderTotal(c.views, provider, "approved", amount, false));
  return ExpectedPostings(c, {{Account{AccountType::kBudget, budget, ""}, -amount},
                              {Account{AccountType::kPayable, budget, provider}, amount}});
}

namespace {

// A run is a chain: its record names its last payment and each payment the
// one before it (run_prev), so settling a whole run reads only the run's own
// records, however many payments the ledger holds.
Status JoinRun(Ctx& c, const std::string& run_id, const std::string& payment_id, const Pence& amount,
               nlohmann::json* payment) {
  RF_ASSIGN(existing, c.views.Record(RecordKind::kRun, run_id));
  nlohmann::json run = existing != nullptr
                           ? *existing
                           : nlohmann::json{{"payments", 0}, {"total", "0.00"}, {"state", "pending"}, {"seq", c.seq}};
  assert(run.value("state", "") == "pending");  // checked by the caller
  const std::string last = run.value("last_payment_id", "");
  if (!last.empty()) (*payment)["run_prev"] = last;
  RF_ASSIGN(total, Pence::Parse(run.value("total", ""), "run/" + run_id + ".total"));
  run["total"] = (total + amount).ToDecimal();
  run["payments"] = run.value("payments", uint64_t{0}) + 1;
  run["last_payment_id"] = payment_id;
  c.views.PutRecord(RecordKind::kRun, run_id, std::move(run));
  return Status::Ok();
}

// The bank line a settlement names, if it may settle: loaded, unused, booked
// on the settlement's date. Returns a copy to change.
Result<nlohmann::json> UnusedLine(Ctx& c, const std::string& line_id, Date booked_on) {
  RF_ASSIGN(found_line, c.views.Record(RecordKind::kBankLine, line_id));
  if (found_line == nullptr) {
    return RefusedWithCode(refusal::kBankLineUnknown, "bank line " + line_id +
                                                          " is not on any statement loaded (ingest the statement first)");
  }
  nlohmann::json line = *found_line;
  if (line.value("state", "") != "unmatched") {
    const std::string what = line.contains("run_id") ? "payment run " + line.value("run_id", "?")
                                                     : "payment " + line.value("payment_id", "?");
    return RefusedWithCode(refusal::kBankLineUsed, "bank line " + line_id + " already settles " + what);
  }
  if (line.value("booked_on", "") != booked_on.ToIso()) {
    return RefusedWithCode(refusal::kBankLineDate, "bank line " + line_id + " is booked on " +
                                                       line.value("booked_on", "?") + ", not on " + booked_on.ToIso());
  }
  return line;
}

// A payment settles on or after its run's date, alone or with its run.
Status CheckSettledAfterRun(const PaymentRecord& payment, Date booked_on) {
  if (!(booked_on < payment.run_date)) return Status::Ok();
  return RefusedWithCode(
      refusal::kSettledBeforeRun,
      "payment " + payment.payment_id + " cannot settle before its run date (" + payment.run_date.ToIso() + ")");
}

// Every payment of the run, walked from its last along run_prev, settled by
// one batch line whose amount is the run's total, negated, to the penny.
Status SettleRun(Ctx& c, const std::string& run_id, const std::string& line_id, Date booked_on) {
  RF_ASSIGN(found_run, c.views.Record(RecordKind::kRun, run_id));
  if (found_run == nullptr) {
    return RefusedWithCode(refusal::kRunUnknown, "payment run " + run_id + " is not in this ledger");
  }
  nlohmann::json run = *found_run;
  if (run.value("state", "") != "pending") {
    return RefusedWithCode(refusal::kAlreadySettled, "payment run " + run_id + " is already settled by bank line " +
                                                         run.value("bank_line_id", "?"));
  }
  RF_ASSIGN(line, UnusedLine(c, line_id, booked_on));
  RF_ASSIGN(total, Pence::Parse(run.value("total", ""), "run/" + run_id + ".total"));
  RF_ASSIGN(line_amount, Pence::Parse(line.value("amount", ""), "bank_line.amount"));
  const uint64_t payments = run.value("payments", uint64_t{0});
  if (line_amount != -total) {
    return RefusedWithCode(refusal::kSettlementAmount,
                           "bank line " + line_id + " moves " + line_amount.ToPounds() + ", but payment run " +
                               run_id + " pays out " + total.ToPounds() + " in " + std::to_string(payments) +
                               " payments (a batch line is the run's total, negated, to the penny)");
  }
  // Bounded by the run's count; a chain that ends early, runs on, or leaves
  // the run is damage, not a refusal.
  std::string payment_id = run.value("last_payment_id", "");
  Pence settled_total;
  for (uint64_t i = 0; i < payments; ++i) {
    RF_ASSIGN(found, c.views.Record(RecordKind::kPayment, payment_id));
    if (found == nullptr) {
      return Status::Tampered("view run/" + run_id + ": its payments do not chain back to its first");
    }
    RF_ASSIGN(record, DecodePayment(RecordKey(RecordKind::kPayment, payment_id), *found));
    if (record.run_id != run_id) {
      return Status::Tampered("view run/" + run_id + ": its payments do not chain back to its first");
    }
    if (record.state != PaymentState::kPending) {
      return RefusedWithCode(refusal::kRunPartlySettled, "payment run " + run_id + " is partly settled: payment " +
                                                             payment_id + " is already settled on its own");
    }
    RF_RETURN_IF_ERROR(CheckSettledAfterRun(record, booked_on));
    settled_total += record.amount;
    const std::string prev = record.run_prev;
    nlohmann::json payment = *found;
    payment["state"] = "settled";
    payment["settled_seq"] = c.seq;
    payment["settled_on"] = booked_on.ToIso();
    payment["bank_line_id"] = line_id;
    c.views.PutRecord(RecordKind::kPayment, payment_id, std::move(payment));
    payment_id = prev;
  }
  if (!payment_id.empty() || settled_total != total) {
    return Status::Tampered("view run/" + run_id + ": its count or total disagrees with its payments");
  }
  run["state"] = "settled";
  run["settled_seq"] = c.seq;
  run["bank_line_id"] = line_id;
  c.views.PutRecord(RecordKind::kRun, run_id, std::move(run));
  line["state"] = "matched";
  line["run_id"] = run_id;
  line["settled_seq"] = c.seq;
  c.views.PutRecord(RecordKind::kBankLine, line_id, std::move(line));
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
  if (run_found != nullptr && run_found->value("state", "") != "pending") {
    return RefusedWithCode(refusal::kAlreadySettled,
                           "payment run " + run_id + " is already settled: payment " + id + " cannot join it");
  }
  std::vector<Posting> expected;
  std::string budget;
  nlohmann::json record = WithoutPostings(c.body(), c.seq);
  if (purpose == "invoice") {
    if (b.Has("budget_id")) return Status::InvalidInput("body.budget_id: an invoice payment names the invoice only");
    RF_ASSIGN(invoice_id, b.Id("invoice_id"));
    RF_ASSIGN(found, RequireRecord(c.views, RecordKind::kInvoice, invoice_id, "invoice"));
    RF_ASSIGN(invoice_record, DecodeInvoice(RecordKey(RecordKind::kInvoice, invoice_id), *found));
    if (invoice_record.state != InvoiceState::kApproved) {
      return RefusedWithCode(refusal::kInvoiceNotApproved, "invoice " + invoice_id + " is " +
                                                               std::string(ToString(invoice_record.state)) +
                                                               ": only approved invoices are paid");
    }
    if (invoice_record.amount != amount) {
      return Status::InvalidInput("body.amount: invoice " + invoice_id + " is for " +
                                  invoice_record.amount.ToDecimal());
    }
    budget = invoice_record.budget_id;
    const std::string provider = invoice_record.provider_id;
    RF_ASSIGN(provider_found, RequireRecord(c.views, RecordKind::kProvider, provider, "provider"));
    RF_ASSIGN(provider_record, DecodeProvider(RecordKey(RecordKind::kProvider, provider), *provider_found));
    RF_RETURN_IF_ERROR(CheckProviderApproved(provider, provider_record.approved));
    nlohmann::json invoice = *found;
    invoice["state"] = "paid";
    invoice["payment_id"] = id;
    c.views.PutRecord(RecordKind::kInvoice, invoice_id, std::move(invoice));
    record["budget_id"] = budget;
    record["provider_id"] = provider;
    RF_RETURN_IF_ERROR(AddProviderTotal(c.views, provider, "paid", amount, false));
    expected = {{Account{AccountType::kPayable, budget, provider}, -amount},
                {Account{AccountType::kPaid, provider, ""}, amount}};
  } else if (purpose == "instalment") {
    if (b.Has("invoice_id")) return Status::InvalidInput("body.invoice_id: an instalment names the budget only");
    RF_ASSIGN(budget_id, b.Id("budget_id"));
    budget = budget_id;
    RF_ASSIGN(found, RequireRecord(c.views, RecordKind::kBudget, budget, "budget"));
    RF_ASSIGN(budget_record, DecodeBudget(RecordKey(RecordKind::kBudget, budget), *found));
    if (budget_record.management == Management::kNotional) {
      return RefusedWithCode(refusal::kNotionalInstalment,
                             "budget " + budget + " is notional: it is paid through invoices, not instalments");
    }
    expected = {{Account{AccountType::kBudget, budget, ""}, -amount}, {Account{AccountType::kDp, budget, ""}, amount}};
  } else {
    return Status::InvalidInput("body.purpose: expected invoice or instalment");
  }
  RF_ASSIGN(budget_record, RequireRecord(c.views, RecordKind::kBudget, budget, "budget"));
  if (!budget_record->contains("first_payment_seq")) {
    nlohmann::json updated = *budget_record;
    updated["first_payment_seq"] = c.seq;
    updated["first_payment_on"] = c.effective().ToIso();
    c.views.PutRecord(RecordKind::kBudget, budget, std::move(updated));
  }
  record["state"] = "pending";
  record["run_date"] = c.effective().ToIso();
  RF_RETURN_IF_ERROR(JoinRun(c, run_id, id, amount, &record));
  c.views.PutRecord(RecordKind::kPayment, id, std::move(record));
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
  RF_ASSIGN(found, RequireRecord(c.views, RecordKind::kPayment, id, "payment"));
  RF_ASSIGN(payment_record, DecodePayment(RecordKey(RecordKind::kPayment, id), *found));
  nlohmann::json payment = *found;
  if (payment_record.state != PaymentState::kPending) {
    return RefusedWithCode(refusal::kAlreadySettled, "payment " + id + " is already settled");
  }
  RF_RETURN_IF_ERROR(CheckSettledAfterRun(payment_record, booked_on));
  RF_ASSIGN(line, UnusedLine(c, line_id, booked_on));
  const Pence paid = payment_record.amount;
  RF_ASSIGN(line_amount, Pence::Parse(line.value("amount", ""), "bank_line.amount"));
  if (line_amount != -paid) {
    return RefusedWithCode(refusal::kSettlementAmount,
                           "bank line " + line_id + " moves " + line_amount.ToPounds() + ", but payment " + id +
                               " pays out " + paid.ToPounds() +
                               " (a payment out is a negative line of the same amount)");
  }
  payment["state"] = "settled";
  payment["settled_seq"] = c.seq;
  payment["settled_on"] = booked_on.ToIso();
  payment["bank_line_id"] = line_id;
  c.views.PutRecord(RecordKind::kPayment, id, std::move(payment));
  line["state"] = "matched";
  line["payment_id"] = id;
  line["settled_seq"] = c.seq;
  c.views.PutRecord(RecordKind::kBankLine, line_id, std::move(line));
  return Status::Ok();
}

}  // namespace rf::apply_internal
