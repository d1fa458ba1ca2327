#include "ledger/payments/payment_run.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <map>

#include "crypto/sha256.h"
#include "ledger/payments/schedule.h"
#include "ledger/core/canonical_writer.h"
#include "ledger/core/records.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

constexpr char kRunNote[] = "payment run";

// A member of a journal entry body this file wrote itself (the run's header
// note, entry 1's org): "" when absent or not text.
std::string BodyText(const BodyReader& body, const char* member) { return body.Text(member).value_or(""); }

// A record another record names; its absence is damage.
template <typename R>
Result<R> RequiredRecord(const ViewSource& views, const std::string& id) {
  auto found = FindRecord<R>(views, id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return Status::Tampered("view " + RecordKey(RecordFamily<R>::value, id) + " is missing");
  }
  return std::move(**found);
}

// The readable id if it is a bank id, else the hashed form (see the header).
std::string PaymentId(const std::string& prefix, const std::string& subject, const std::string& suffix) {
  const std::string readable = prefix + subject + suffix;
  if (readable.size() <= kPainIdCharsMax && CheckBankId(readable, "id").ok()) return readable;
  return prefix + "H" + crypto::ToHex(crypto::Sha256(subject)).substr(0, 16) + suffix;
}

// A payment the bank returned is paid again under the next id, its own with
// "-R<n>" after it, n the count of returns so far (1 to kRepaymentsMax).
// Deterministic, so a rerun pays nothing twice.
constexpr uint32_t kRepaymentsMax = 9;
std::string RepaymentSuffix(uint32_t returns) {
  assert(returns <= kRepaymentsMax);
  return returns == 0 ? std::string() : "-R" + std::to_string(returns);
}

std::string InstalmentPaymentId(const std::string& budget_id, uint32_t number, uint32_t returns = 0) {
  char suffix[8];
  std::snprintf(suffix, sizeof(suffix), "-%04u", number);
  return PaymentId("DP-", budget_id, suffix + RepaymentSuffix(returns));
}

// The instalment's number as its id ends ("...-0003", or "...-0003-R1" when
// paid again after a return), for the remittance text.
std::string InstalmentNumberText(const std::string& id) {
  const bool repaid = id.size() >= 7 && id[id.size() - 3] == '-' && id[id.size() - 2] == 'R';
  if (repaid) return id.substr(id.size() - 7, 4) + " (paid again)";
  return id.size() >= 4 ? id.substr(id.size() - 4) : id;
}

CreditTransfer TransferFor(const RunPayment& p) {
  const bool invoice = p.purpose == PaymentPurpose::kInvoice;
  assert(invoice || p.due_on.has_value());
  return {p.payment_id, p.amount, p.creditor_name, p.payee_ref,
          invoice ? "Invoice " + p.invoice_id
                  : "PHB budget " + p.budget_id + " instalment " + InstalmentNumberText(p.payment_id) + " due " +
                        p.due_on->ToIso()};
}

std::string InstalmentCreditor(const std::string& budget_id) { return "PHB budget " + budget_id; }

std::string ProviderCreditor(const ProviderRecord& provider) {
  return ToBankLatin(provider.name, kPainNameCharsMax).empty() ? "Provider " + provider.provider_id : provider.name;
}

// True when `id` is the id `pay` gives one of `budget_id`'s instalments
// (or its repayment after a return, "-R<n>").
bool IsScheduledInstalmentId(std::string id, const std::string& budget_id) {
  uint32_t returns = 0;
  if (id.size() > 3 && id[id.size() - 3] == '-' && id[id.size() - 2] == 'R' && id.back() >= '1' &&
      id.back() <= static_cast<char>('0' + kRepaymentsMax)) {
    returns = static_cast<uint32_t>(id.back() - '0');
    id.resize(id.size() - 3);
  }
  if (id.size() < 5 || id[id.size() - 5] != '-') return false;
  const std::string digits = id.substr(id.size() - 4);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  return InstalmentPaymentId(budget_id, static_cast<uint32_t>(std::stoul(digits)), returns) ==
         id + RepaymentSuffix(returns);
}

// What earlier payments tell a new run: the run ids already used on `date`
// (and so the next free one), and budgets with instalment payments that
// `pay` did not make (their schedule cannot be matched to them).
struct PaymentScan {
  std::vector<std::string> runs_on_date;
  uint32_t next_run = 1;
  std::map<std::string, std::string> foreign_instalment;  // budget -> a payment id
};

Status ScanPayments(const ViewSource& views, Date date, PaymentScan* scan) {
  const std::string prefix = "RUN-" + date.ToIso() + "-";
  uint32_t highest = 0;
  RF_RETURN_IF_ERROR(ForEachRecord<PaymentRecord>(views, [&](const PaymentRecord& payment) -> Status {
    if (payment.purpose == PaymentPurpose::kInstalment &&
        !IsScheduledInstalmentId(payment.payment_id, payment.budget_id)) {
      scan->foreign_instalment.emplace(payment.budget_id, payment.payment_id);
    }
    const std::string& run = payment.run_id;
    auto& runs = scan->runs_on_date;
    if (run.rfind(prefix, 0) != 0 || std::find(runs.begin(), runs.end(), run) != runs.end()) return Status::Ok();
    runs.push_back(run);
    const std::string n = run.substr(prefix.size());
    if (!n.empty() && n.size() <= 3 && std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      highest = std::max(highest, static_cast<uint32_t>(std::stoul(n)));
    }
    return Status::Ok();
  }));
  std::sort(scan->runs_on_date.begin(), scan->runs_on_date.end());
  if (highest >= kRunsPerDayMax) {
    return Status::Refused("already " + std::to_string(highest) + " payment runs on " + date.ToIso());
  }
  scan->next_run = highest + 1;
  return Status::Ok();
}

struct Planner {
  const ViewSource& views;
  Date run_date;
  PaymentRunPlan& plan;
  const PaymentScan& scan;

  void Warn(const char* code, const std::string& subject, std::string message) {
    plan.warnings.push_back({code, subject, std::move(message)});
  }
  bool Full() {
    if (plan.payments.size() < kRunPaymentsMax) return false;
    if (plan.warnings.empty() || plan.warnings.back().code != "RUN_FULL") {
      Warn("RUN_FULL", "",
           "this run holds " + std::to_string(kRunPaymentsMax) + " payments; the rest stay due for the next run");
    }
    return true;
  }

  Status Instalments(const BudgetRecord& budget) {
    const std::string& budget_id = budget.budget_id;
    if (budget.management == Management::kNotional) return Status::Ok();
    if (budget.approved_on > run_date) return Status::Ok();
    auto schedule = InstalmentSchedule({budget_id, std::string(NameOf(budget.management, kManagementNames)),
                                        budget.frequency, budget.amount, budget.start_date, budget.end_date});
    if (!schedule.ok()) {
      Warn("BAD_SCHEDULE", budget_id, schedule.status().message() + "; no instalments paid");
      return Status::Ok();
    }
    if (const auto foreign = scan.foreign_instalment.find(budget_id); foreign != scan.foreign_instalment.end()) {
      Warn("MANUAL_INSTALMENT", budget_id,
           "budget " + budget_id + " has an instalment payment not made by `pay` (" + foreign->second +
               "), so its schedule cannot be matched to what was paid: no instalment is paid; pay it by hand");
      return Status::Ok();
    }
    // A review that ended the budget stops instalments due after it.
    const std::optional<Date> end_review = budget.ended_on();
    const bool ended = end_review.has_value();
    const Date ended_on = ended ? *end_review : Date();
    const std::string& payee_ref = budget.payee_ref;
    std::optional<Pence> left;  // the budget's balance after this run's instalments so far
    for (const Instalment& i : *schedule) {
      if (i.due_on > run_date) break;
      if (ended && i.due_on > ended_on) break;
      if (i.amount.is_zero()) continue;
      // Paid in an earlier run, unless the bank returned it (then paid again
      // under the next repayment id).
      std::string id = InstalmentPaymentId(budget_id, i.number);
      bool paid = false;
      for (uint32_t returns = 1;; ++returns) {
        auto existing = FindRecord<PaymentRecord>(views, id);
        if (!existing.ok()) return existing.status();
        if (!existing->has_value()) break;
        const PaymentState was = (*existing)->state;
        if ((was != PaymentState::kReturned && was != PaymentState::kCancelled) || returns > kRepaymentsMax) {
          paid = true;
          break;
        }
        id = InstalmentPaymentId(budget_id, i.number, returns);
      }
      if (paid) continue;
      if (!CheckIban(payee_ref, "payee_ref").ok()) {
        Warn("BAD_PAYEE_REF", budget_id,
             "budget " + budget_id + " has no valid payee_ref (IBAN): its instalments are not paid");
        return Status::Ok();
      }
      if (!left) {
        auto balance = FindBalance(views, Account{AccountType::kBudget, budget_id, ""});
        if (!balance.ok()) return balance.status();
        left = *balance;
      }
      if (*left < i.amount) {
        Warn("INSUFFICIENT_FUNDS", budget_id,
             "budget " + budget_id + " has " + left->ToPounds() + " left, not enough for instalment " +
                 std::to_string(i.number) + " of " + i.amount.ToPounds() + " due " + i.due_on.ToIso() +
                 ": it and later instalments wait");
        return Status::Ok();
      }
      if (Full()) return Status::Ok();
      *left -= i.amount;
      plan.payments.push_back(
          {id, PaymentPurpose::kInstalment, "", budget_id, "", payee_ref, InstalmentCreditor(budget_id), i.amount,
           i.due_on});
    }
    return Status::Ok();
  }

  Status Invoice(const InvoiceRecord& invoice) {
    const std::string& invoice_id = invoice.invoice_id;
    if (invoice.state != InvoiceState::kApproved) return Status::Ok();
    if (!invoice.approved_on) return Status::Tampered("view " + RecordKey(RecordKind::kInvoice, invoice_id) +
                                                      " member approved_on: is missing");
    if (*invoice.approved_on > run_date) return Status::Ok();
    const std::string& provider_id = invoice.provider_id;
    auto provider = RequiredRecord<ProviderRecord>(views, provider_id);
    if (!provider.ok()) return provider.status();
    if (!provider->approved) {
      Warn("UNAPPROVED_PROVIDER", invoice_id,
           "invoice " + invoice_id + " is not paid: provider " + provider_id + " (" + provider->name +
               ") is not approved");
      return Status::Ok();
    }
    const std::string& payee_ref = provider->payee_ref;
    if (!CheckIban(payee_ref, "payee_ref").ok()) {
      Warn("BAD_PAYEE_REF", invoice_id,
           "invoice " + invoice_id + " is not paid: provider " + provider_id + " has no valid payee_ref (IBAN)");
      return Status::Ok();
    }
    if (invoice.returns > kRepaymentsMax) {
      Warn("RETURNED_TOO_OFTEN", invoice_id,
           "invoice " + invoice_id + " was returned by the bank " + std::to_string(invoice.returns) +
               " times: it is not paid again automatically; pay it by hand once the details are confirmed");
      return Status::Ok();
    }
    if (Full()) return Status::Ok();
    plan.payments.push_back({PaymentId("PAY-", invoice_id, RepaymentSuffix(static_cast<uint32_t>(invoice.returns))), PaymentPurpose::kInvoice, invoice_id,
                             invoice.budget_id, provider_id, payee_ref, ProviderCreditor(*provider), invoice.amount,
                             std::nullopt});
    return Status::Ok();
  }
};

// A journal line that no longer parses was altered after it was written
// (every line is checked when appended): damage, not bad input.
Status EntryDamaged(uint64_t seq, const Status& parse) {
  return Status::Tampered("entry " + std::to_string(seq) + " is damaged: " + parse.message());
}

std::string RunNoteBody(const PaymentRunPlan& plan, const PaymentRun& header) {
  return CanonicalObject()
      .Text("note", kRunNote)
      .Text("run_id", plan.run_id)
      .Text("run_date", plan.run_date.ToIso())
      .Text("message_id", header.message_id)
      .Text("payment_information_id", header.payment_information_id)
      .Text("initiating_party_name", header.initiating_party_name)
      .Text("debtor_name", header.debtor_name)
      .Text("debtor_iban", header.debtor_iban)
      .Count("payments", plan.payments.size())
      .Text("total", plan.total.ToDecimal())
      .Finish();
}

Result<std::string> OrgName(const Ledger& ledger) {
  auto line = ledger.journal().Line(1);
  if (!line.ok()) return line.status();
  auto entry = ParseEntryLine(*line);
  if (!entry.ok()) return EntryDamaged(1, entry.status());
  auto body = BodyReader::Scan(entry->draft.body_json);
  if (!body.ok()) return EntryDamaged(1, body.status());
  const std::string org = BodyText(*body, "org");
  if (org.empty()) return Status::Tampered("entry 1 names no organisation");
  return org;
}

// The header of a new run on `run_date`, from config and the journal.
Result<PaymentRun> NewRunHeader(const Ledger& ledger, const ViewSource& views, const std::string& run_id,
                                Date run_date) {
  auto org = OrgName(ledger);
  if (!org.ok()) return org.status();
  auto iban = FindSetting(views, "bank.debtor_iban");
  auto name = FindSetting(views, "bank.debtor_name");
  if (!iban.ok()) return iban.status();
  if (!name.ok()) return name.status();
  if (!iban->has_value()) {
    return Status::InvalidInput(
        "bank.debtor_iban is not set: record the PHB bank account payments are made from with "
        "`ringfence config set bank.debtor_iban <IBAN>`");
  }
  PaymentRun run;
  run.message_id = run_id;
  run.payment_information_id = run_id;
  run.initiating_party_name = *org;
  run.debtor_name = name->value_or(*org);
  run.debtor_iban = **iban;
  run.requested_execution_date = run_date;
  return run;
}

}  // namespace

Result<PaymentRunPlan> PlanPaymentRun(const Ledger& ledger, Date run_date, const DraftOrigin& origin) {
  PaymentRunPlan plan;
  plan.run_date = run_date;
  Result<PaymentRun> header = Status::InvalidInput("no header");
  PaymentScan scan;
  RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) -> Status {
    RF_RETURN_IF_ERROR(ScanPayments(views, run_date, &scan));
    plan.earlier_runs = scan.runs_on_date;
    plan.run_id = "RUN-" + run_date.ToIso() + "-" + std::to_string(scan.next_run);
    header = NewRunHeader(ledger, views, plan.run_id, run_date);
    if (!header.ok()) return header.status();
    Planner planner{views, run_date, plan, scan};
    RF_RETURN_IF_ERROR(ForEachRecord<BudgetRecord>(
        views, [&](const BudgetRecord& budget) -> Status { return planner.Instalments(budget); }));
    return ForEachRecord<InvoiceRecord>(
        views, [&](const InvoiceRecord& invoice) -> Status { return planner.Invoice(invoice); });
  }));
  assert(plan.payments.size() <= kRunPaymentsMax);
  if (plan.payments.empty()) {
    plan.run_id.clear();
    return plan;
  }
  for (const auto& p : plan.payments) plan.total += p.amount;
  EntryDraft note = KindDraft(kind::kNote, run_date, origin, RunNoteBody(plan, *header));
  plan.drafts.push_back(std::move(note));
  for (const auto& p : plan.payments) {
    plan.drafts.push_back(PaymentPendingDraft({p.payment_id, plan.run_id, std::string(ToString(p.purpose)),
                                               p.invoice_id, p.budget_id,
                                               p.provider_id, p.payee_ref, p.amount, run_date, p.due_on},
                                              origin));
  }
  assert(plan.drafts.size() == plan.payments.size() + 1);
  return plan;
}

Result<PaymentRun> CommittedRun(const Ledger& ledger, const std::string& run_id) {
  struct Found {
    uint64_t seq;
    RunPayment payment;
  };
  std::vector<Found> found;
  std::string cancelled;  // the run's payments cancelled since, by id
  RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) -> Status {
    return ForEachRecord<PaymentRecord>(views, [&](const PaymentRecord& payment) -> Status {
      if (payment.run_id != run_id) return Status::Ok();
      if (found.size() == kRunPaymentsMax) return Status::Tampered("run " + run_id + " has too many payments");
      if (payment.state == PaymentState::kCancelled) {
        cancelled += (cancelled.empty() ? "" : ", ") + payment.payment_id;
      }
      RunPayment p;
      p.payment_id = payment.payment_id;
      p.purpose = payment.purpose;
      p.invoice_id = payment.invoice_id;
      p.budget_id = payment.budget_id;
      p.provider_id = payment.provider_id;
      p.payee_ref = payment.payee_ref;
      p.amount = payment.amount;
      if (p.purpose == PaymentPurpose::kInvoice) {
        auto provider = RequiredRecord<ProviderRecord>(views, p.provider_id);
        if (!provider.ok()) return provider.status();
        p.creditor_name = ProviderCreditor(*provider);
      } else {
        if (!payment.due_on) {
          return Status::Tampered("view " + RecordKey(RecordKind::kPayment, p.payment_id) +
                                  " member due_on: is missing");
        }
        p.due_on = payment.due_on;
        p.creditor_name = InstalmentCreditor(p.budget_id);
      }
      found.push_back({payment.seq, std::move(p)});
      return Status::Ok();
    });
  }));
  if (found.empty()) return Status::NotFound("no payment run " + run_id + " in this ledger");
  // The file holds every payment the run was made with; one cancelled since
  // (payment.cancelled) would be paid by it, so it is not written again.
  if (!cancelled.empty()) {
    return Status::InvalidInput("payment run " + run_id + " holds cancelled payments (" + cancelled +
                                "): its file is not written again, since it would pay them; the next payment run "
                                "pays what is still due");
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.seq < b.seq; });

  // The header note is the entry just before the run's first payment.
  const uint64_t note_seq = found.front().seq - 1;
  auto line = ledger.journal().Line(note_seq);
  if (!line.ok() && line.status().code() == Status::Code::kNotFound) {
    // The payment's record names an entry the journal does not have.
    return Status::Tampered("payment run " + run_id + ": view " +
                            RecordKey(RecordKind::kPayment, found.front().payment.payment_id) +
                            " names entry " + std::to_string(found.front().seq) + ", but " + line.status().message());
  }
  if (!line.ok()) return line.status();
  auto note = ParseEntryLine(*line);
  if (!note.ok()) return EntryDamaged(note_seq, note.status());
  auto scanned = BodyReader::Scan(note->draft.body_json);
  if (!scanned.ok()) return EntryDamaged(note_seq, scanned.status());
  const BodyReader& body = *scanned;
  if (note->draft.kind != kind::kNote || BodyText(body, "note") != kRunNote || BodyText(body, "run_id") != run_id) {
    return Status::Tampered("entry " + std::to_string(note_seq) + " is not the header of payment run " + run_id);
  }
  PaymentRun run;
  run.message_id = BodyText(body, "message_id");
  run.payment_information_id = BodyText(body, "payment_information_id");
  run.initiating_party_name = BodyText(body, "initiating_party_name");
  run.debtor_name = BodyText(body, "debtor_name");
  run.debtor_iban = BodyText(body, "debtor_iban");
  auto run_date = Date::Parse(BodyText(body, "run_date"), "run_date");
  auto created = ParseUtcTimestamp(note->recorded, "recorded");
  if (!run_date.ok() || !created.ok()) return Status::Tampered("entry " + std::to_string(note_seq) + " is damaged");
  run.requested_execution_date = *run_date;
  run.created_at = *created;
  Pence total;
  for (size_t i = 0; i < found.size(); ++i) {
    if (found[i].seq != note_seq + 1 + i) {
      return Status::Tampered("payment run " + run_id + " is not one contiguous run of entries");
    }
    run.transfers.push_back(TransferFor(found[i].payment));
    total += found[i].payment.amount;
  }
  // The header names the run as its file's ids (NewRunHeader), and counts
  // and totals its payments.
  if (run.message_id != run_id || run.payment_information_id != run_id ||
      body.Raw("payments") != std::to_string(found.size()) || BodyText(body, "total") != total.ToDecimal()) {
    return Status::Tampered("payment run " + run_id + ": its header (entry " + std::to_string(note_seq) +
                            ") disagrees with its payments");
  }
  return run;
}

Result<PaymentRunOutcome> MakePaymentRun(Ledger& ledger, Date run_date, const DraftOrigin& origin, bool dry_run) {
  PaymentRunOutcome out;
  auto plan = PlanPaymentRun(ledger, run_date, origin);
  if (!plan.ok()) return plan.status();
  out.plan = std::move(*plan);
  if (out.plan.payments.empty()) return out;

  // The file as it will be written, checked before anything is journalled.
  PaymentRun preview;
  preview.message_id = preview.payment_information_id = out.plan.run_id;
  auto scanned_note = BodyReader::Scan(out.plan.drafts.front().body_json);
  assert(scanned_note.ok());  // written above by RunNoteBody
  const BodyReader& note = *scanned_note;
  preview.initiating_party_name = BodyText(note, "initiating_party_name");
  preview.debtor_name = BodyText(note, "debtor_name");
  preview.debtor_iban = BodyText(note, "debtor_iban");
  preview.requested_execution_date = run_date;
  preview.created_at = std::chrono::system_clock::now();
  for (const auto& p : out.plan.payments) preview.transfers.push_back(TransferFor(p));
  auto preview_xml = WritePain001(preview);
  if (!preview_xml.ok()) {
    return preview_xml.status().WithContext("payment run " + out.plan.run_id + " not made, nothing journalled: ");
  }

  auto committed = ledger.Commit(out.plan.drafts, dry_run);
  if (!committed.ok()) return committed.status();
  if (dry_run) return out;
  out.committed = true;

  // Read back what was committed; it must be exactly what was planned.
  auto run = CommittedRun(ledger, out.plan.run_id);
  if (!run.ok()) return run.status();
  assert(run->transfers.size() == preview.transfers.size());
  for (size_t i = 0; i < preview.transfers.size(); ++i) {
    const CreditTransfer &a = preview.transfers[i], &b = run->transfers[i];
    assert(a.end_to_end_id == b.end_to_end_id && a.amount == b.amount && a.creditor_iban == b.creditor_iban &&
           a.creditor_name == b.creditor_name && a.remittance == b.remittance);
    (void)a;
    (void)b;
  }
  auto xml = WritePain001(*run);
  if (!xml.ok()) return xml.status();
  out.xml = std::move(*xml);
  return out;
}

}  // namespace rf
