// amend provider|budget, amend confirm, amend list, invoice reject, payment
// cancel (issue 20 items 7, 8; rules in ledger/core/apply_amendments.cc).
//
// A change of bank details is two entries by two people: `amend provider ID
// --payee-ref IBAN --reason R` journals amendment.requested (not in effect:
// `pay` still pays the old details), and `amend confirm AMD-nnnn`, run by a
// different --actor, journals amendment.confirmed (in effect from then on).
// A provider's approval (`amend provider ID --approved yes|no --reason R`)
// takes effect at once: one person, as loading a providers file is.
//
// Exit codes: 0 journalled (or shown); 2 for a usage error, or when the
// entry is refused (AMEND_SAME_PERSON, AMEND_UNKNOWN, AMEND_ALREADY_CONFIRMED,
// AMEND_STALE, INVOICE_NOT_REJECTABLE, PAYMENT_NOT_CANCELLABLE, a reason
// without words, an IBAN that fails mod 97), nothing journalled. IBANs are
// masked in every message.
#include <cstdio>
#include <memory>

#include "ledger/bank/iban.h"
#include "ledger/core/amendment_kinds.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"
#include "reconcile/table.h"
#include "tools/cli_output.h"
#include "tools/commands.h"

namespace rf::cli {
namespace {

struct AmendOptions {
  std::string id, payee_ref, approved, reason, date;
  bool dry_run = false;
  std::optional<std::string> future_dated;  // --future-dated REASON
};

Result<Date> EffectiveDate(const AmendOptions& o) { return Date::Parse(o.date.empty() ? TodayIso() : o.date, "--date"); }

// Commits one entry; prints the sentence (or JSON) on success.
int CommitOne(const Global& g, EntryDraft draft, const AmendOptions& o, const std::string& said, nlohmann::json json) {
  const bool dry_run = o.dry_run;
  auto ledger = Ledger::Open(g.ledger, /*writable=*/true);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  if (Status s = CheckDatesWithinHorizon(**ledger, {{draft.effective, "--date"}}, o.future_dated); !s.ok()) {
    return Fail(kProgram, s);
  }
  auto committed = (*ledger)->Commit({std::move(draft)}, dry_run);
  if (!committed.ok()) return Fail(kProgram, committed.status());
  const uint64_t seq = committed->appended.last_seq;
  if (g.format == "json") {
    json["seq"] = dry_run ? nlohmann::json(nullptr) : nlohmann::json(seq);
    json["actor"] = g.actor;
    json["dry_run"] = dry_run;
    PrintJson(json);
  } else {
    std::printf("%s%s\n", dry_run ? "(dry run, nothing journalled) " : "", MaskIbansIn(said).c_str());
    if (!dry_run) std::printf("Journalled as entry %llu.\n", static_cast<unsigned long long>(seq));
  }
  return 0;
}

// The next amendment id: the count of amendments so far, plus one.
Result<std::string> NextAmendmentId(const Ledger& ledger) {
  uint64_t count = 0;
  RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) {
    return ForEachRecord<AmendmentRecord>(views, [&](const AmendmentRecord&) {
      ++count;
      return Status::Ok();
    });
  }));
  return AmendmentId(count + 1);
}

int RunAmendTarget(const Global& g, const AmendOptions& o, const std::string& target) {
  auto date = EffectiveDate(o);
  if (!date.ok()) return Fail(kProgram, date.status());
  const bool payee = !o.payee_ref.empty();
  const bool approval = !o.approved.empty();
  if (payee == approval) {
    return Fail(kProgram, Status::InvalidInput(target == "provider"
                                                   ? "give one of --payee-ref IBAN or --approved yes|no"
                                                   : "give --payee-ref IBAN (the holder's new bank details)"));
  }
  const DraftOrigin origin{g.actor, "amend " + target};
  if (approval) {
    if (o.approved != "yes" && o.approved != "no") {
      return Fail(kProgram, Status::InvalidInput("--approved: yes or no"));
    }
    const bool approved = o.approved == "yes";
    return CommitOne(g, ProviderApprovalDraft(o.id, approved, o.reason, *date, origin), o,
                     "Provider " + o.id + (approved ? " approved" : " no longer approved") + " by " + g.actor +
                         ": " + o.reason,
                     {{"provider_id", o.id}, {"approved", approved}, {"reason", o.reason}});
  }
  if (Status iban = CheckIban(o.payee_ref, "--payee-ref"); !iban.ok()) return Fail(kProgram, iban);
  std::string id;
  {
    auto ledger = Ledger::Open(g.ledger, /*writable=*/false);
    if (!ledger.ok()) return Fail(kProgram, ledger.status());
    auto next = NextAmendmentId(**ledger);
    if (!next.ok()) return Fail(kProgram, next.status());
    id = *next;
  }
  AmendmentFields f{.amendment_id = id,
                    .target = target,
                    .target_id = o.id,
                    .payee_ref = o.payee_ref,
                    .reason = o.reason,
                    .effective = *date};
  return CommitOne(g, AmendmentRequestedDraft(f, origin), o,
                   "Amendment " + id + " requested by " + g.actor + ": " + target + " " + o.id +
                       " to be paid to " + MaskIban(o.payee_ref) + " (" + o.reason +
                       "). Not in effect: payments still go to the old details until a different person runs "
                       "`ringfence amend confirm " +
                       id + "`.",
                   {{"amendment_id", id},
                    {"target", target},
                    {"target_id", o.id},
                    {"payee_ref", MaskIban(o.payee_ref)},
                    {"state", "requested"},
                    {"reason", o.reason}});
}

int RunAmendConfirm(const Global& g, const AmendOptions& o) {
  auto date = EffectiveDate(o);
  if (!date.ok()) return Fail(kProgram, date.status());
  return CommitOne(g, AmendmentConfirmedDraft(o.id, *date, {g.actor, "amend confirm"}), o,
                   "Amendment " + o.id + " confirmed by " + g.actor + ": the new bank details are in effect.",
                   {{"amendment_id", o.id}, {"state", "confirmed"}});
}

int RunAmendList(const Global& g) {
  auto ledger = Ledger::Open(g.ledger, /*writable=*/false);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  Table t;
  t.title = "Bank-detail amendments";
  t.columns = {{"id", "Id", false},          {"target", "Target", false},
               {"new", "New details", false}, {"old", "Old details", false},
               {"state", "State", false},     {"requested_by", "Asked by", false},
               {"confirmed_by", "Confirmed by", false}, {"first_payment", "First payment", false}};
  Status read = (*ledger)->ReadViews([&](const ViewSource& views) {
    return ForEachRecord<AmendmentRecord>(views, [&](const AmendmentRecord& a) {
      t.rows.push_back({a.amendment_id, a.target + ":" + a.target_id, MaskIban(a.payee_ref),
                        a.old_payee_ref.empty() ? "" : MaskIban(a.old_payee_ref), std::string(ToString(a.state)),
                        a.requested_by, a.confirmed_by, a.first_payment_id});
      return Status::Ok();
    });
  });
  if (!read.ok()) return Fail(kProgram, read);
  if (t.rows.empty()) t.notes.push_back("No amendments: `ringfence amend provider ID --payee-ref IBAN --reason R`.");
  PrintTable(g, t);
  return 0;
}

int RunInvoiceReject(const Global& g, const AmendOptions& o) {
  auto date = EffectiveDate(o);
  if (!date.ok()) return Fail(kProgram, date.status());
  return CommitOne(g, InvoiceRejectedDraft(o.id, o.reason, *date, {g.actor, "invoice reject"}), o,
                   "Invoice " + o.id + " rejected by " + g.actor + ": " + o.reason +
                       ". It is never approved or paid, and leaves the aged-invoice report.",
                   {{"invoice_id", o.id}, {"state", "rejected"}, {"reason", o.reason}});
}

int RunPaymentCancel(const Global& g, const AmendOptions& o) {
  auto date = EffectiveDate(o);
  if (!date.ok()) return Fail(kProgram, date.status());
  return CommitOne(g, PaymentCancelledDraft(o.id, o.reason, *date, {g.actor, "payment cancel"}), o,
                   "Payment " + o.id + " cancelled by " + g.actor + ": " + o.reason +
                       ". Its money is back where it came from, and the next payment run pays it again (reject an "
                       "invoice to stop that). Do not send the run's file with it to the bank.",
                   {{"payment_id", o.id}, {"state", "cancelled"}, {"reason", o.reason}});
}

void Common(CLI::App* sub, AmendOptions& o) {
  sub->add_option("--date", o.date, "Effective date (default today)");
  sub->add_option("--future-dated", o.future_dated,
                  "Allow a date more than dates.future_days_max days ahead, giving the reason");
  sub->add_flag("--dry-run", o.dry_run, "Check only; journal nothing");
}

}  // namespace

void AddAmendCommands(CLI::App& app, const Global& g, Commands& out) {
  auto o = std::make_shared<AmendOptions>();
  auto* amend = app.add_subcommand("amend", "Change reference data: bank details (two people), a provider's approval");
  amend->require_subcommand(1);
  auto* provider = amend->add_subcommand("provider", "Change a provider's bank details or approval");
  provider->add_option("id", o->id, "The provider's id")->required();
  provider->add_option("--payee-ref", o->payee_ref, "New bank details (IBAN); in effect once another person confirms");
  provider->add_option("--approved", o->approved, "yes or no: grant or withdraw the provider's approval");
  provider->add_option("--reason", o->reason, "Why, in words (journalled with the actor)")->required();
  Common(provider, *o);
  auto* budget = amend->add_subcommand("budget", "Change a direct-payment or third-party holder's bank details");
  budget->add_option("id", o->id, "The budget's id")->required();
  budget->add_option("--payee-ref", o->payee_ref, "New bank details (IBAN); in effect once another person confirms")
      ->required();
  budget->add_option("--reason", o->reason, "Why, in words (journalled with the actor)")->required();
  Common(budget, *o);
  auto* confirm = amend->add_subcommand("confirm", "Confirm another person's bank-detail change: it takes effect");
  confirm->add_option("id", o->id, "The amendment's id (AMD-nnnn)")->required();
  Common(confirm, *o);
  auto* list = amend->add_subcommand("list", "List the bank-detail amendments (details masked)");
  out.push_back({provider, [&g, o] { return RunAmendTarget(g, *o, "provider"); }});
  out.push_back({budget, [&g, o] { return RunAmendTarget(g, *o, "budget"); }});
  out.push_back({confirm, [&g, o] { return RunAmendConfirm(g, *o); }});
  out.push_back({list, [&g] { return RunAmendList(g); }});

  auto* invoice = app.add_subcommand("invoice", "Withdraw an invoice");
  invoice->require_subcommand(1);
  auto* reject = invoice->add_subcommand("reject", "Reject a received or approved (unpaid) invoice for good");
  reject->add_option("id", o->id, "The invoice's id")->required();
  reject->add_option("--reason", o->reason, "Why, in words (journalled with the actor)")->required();
  Common(reject, *o);
  out.push_back({reject, [&g, o] { return RunInvoiceReject(g, *o); }});

  auto* payment = app.add_subcommand("payment", "Withdraw a pending payment");
  payment->require_subcommand(1);
  auto* cancel = payment->add_subcommand("cancel", "Cancel a pending payment before its file reaches the bank");
  cancel->add_option("id", o->id, "The payment's id")->required();
  cancel->add_option("--reason", o->reason, "Why, in words (journalled with the actor)")->required();
  Common(cancel, *o);
  out.push_back({cancel, [&g, o] { return RunPaymentCancel(g, *o); }});
}

}  // namespace rf::cli
