// demo: a small ICB's first two months end to end, into a fresh ledger.
// Until ingest, payment runs and reconciliation land, the demo posts
// through the same entry builders they will use.
#include <cstdio>
#include <fstream>

#include "ledger/verify/audit_pack.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/storage/ledger.h"
#include "ledger/payments/approval.h"
#include "ledger/payments/payment_run.h"
#include "reconcile/reports.h"
#include "tools/cli_output.h"
#include "tools/commands.h"

namespace rf::cli {
namespace {

Date D(const char* iso) { return *Date::Parse(iso, "date"); }
Pence P(const char* amount) { return *Pence::Parse(amount, "amount"); }

std::vector<EntryDraft> SetUp(const std::string& org_id) {
  const DraftOrigin o{"finance.manager", "demo"};
  const char* iban = "GB82WEST12345698765432";
  std::vector<EntryDraft> d;
  d.push_back(PotDraft({"MH-2627", "Mental health PHBs", "PHB", "2026-27", P("250000"), D("2026-04-01")}, org_id, o));
  d.push_back(
      PotDraft({"S117-2627", "Section 117 aftercare", "S117", "2026-27", P("120000"), D("2026-04-01")}, org_id, o));
  for (const char* person : {"P-0001", "P-0002", "P-0003", "P-0004"}) {
    d.push_back(PersonDraft({person, "M", "25-34", "female", "Leeds", person[5] == '1'}, D("2026-04-01"), o));
  }
  d.push_back(
      ProviderDraft({"V-MIND", "Leeds Peer Support CIC", "vcse", "micro", iban, true, true}, D("2026-04-01"), o));
  d.push_back(
      ProviderDraft({"V-ARTS", "Community Arts Collective", "vcse", "small", iban, true, true}, D("2026-04-01"), o));
  d.push_back(BudgetDraft({"B-0001", "P-0001", "S117-2627", "direct-payment", "monthly", iban, P("12000"),
                           D("2026-04-01"), D("2027-03-31"), D("2026-04-03")},
                          o));
  d.push_back(BudgetDraft({"B-0002", "P-0002", "MH-2627", "notional", "none", "", P("6000"), D("2026-04-01"),
                           D("2027-03-31"), D("2026-04-03")},
                          o));
  d.push_back(BudgetDraft({"B-0003", "P-0003", "MH-2627", "third-party", "four-weekly", iban, P("9100"),
                           D("2026-04-06"), D("2027-03-31"), D("2026-04-06")},
                          o));
  return d;
}

// An invoice received in April (approved and paid by the run below).
std::vector<EntryDraft> AprilInvoices() {
  const DraftOrigin o{"finance.manager", "demo"};
  return {ConfigSetDraft("bank.debtor_iban", "GB33BUKB20201555555555", D("2026-04-01"), o),
          InvoiceReceivedDraft({"INV-101", "V-MIND", "B-0002", "peer-support", "Peer support, April", P("480"),
                                D("2026-04-01"), D("2026-04-30"), D("2026-04-28")},
                               o)};
}

// May: the bank statement carries the run (reconcile settles it); a
// direct-payment return; a new invoice.
std::vector<EntryDraft> May(const PaymentRunPlan& run) {
  const DraftOrigin o{"finance.manager", "demo"};
  std::vector<EntryDraft> d;
  int line = 0;
  for (const auto& payment : run.payments) {
    // The statement's line for the payment (a payment out is negative);
    // `reconcile --month 2026-05` below settles it.
    BankLineFields bank;
    bank.statement_id = "STMT-05";
    bank.line_id = std::to_string(++line);
    bank.account = "GB33BUKB20201555555555";
    bank.booked_on = D("2026-05-01");
    bank.amount = -payment.amount;
    bank.counterparty_ref = payment.payee_ref;
    bank.end_to_end_id = payment.payment_id;
    bank.description = payment.creditor_name;
    d.push_back(BankLineDraft(bank, o));
  }
  PostingFields spend;
  spend.postings = {{Account{AccountType::kDp, "B-0001", ""}, -P("320.50")},
                    {Account{AccountType::kSpent, "B-0001", "personal-assistant"}, P("320.50")}};
  spend.effective = D("2026-05-12");
  spend.memo = "DP return R-7: personal assistant hours";
  spend.external_id = "dp-returns/R-7";
  d.push_back(PostingDraft(spend, o));
  d.push_back(InvoiceReceivedDraft({"INV-102", "V-ARTS", "B-0002", "activities", "Art therapy group, May", P("260"),
                                    D("2026-05-01"), D("2026-05-31"), D("2026-05-20")},
                                   o));
  return d;
}

int Step(const char* title) {
  std::printf("\n== %s\n", title);
  return 0;
}

}  // namespace

void AddDemoCommand(CLI::App& app, const Global& g, Commands& out) {
  auto* demo = app.add_subcommand("demo", "Run an end-to-end demonstration into a fresh ledger");
  out.push_back({demo, [&g] {
                   const std::string org = "NHS Example Integrated Care Board";
                   Global quiet = g;
                   quiet.actor = "demo";
                   if (int rc = RunInit(quiet, org, ""); rc != 0) return rc;
                   auto ledger = Ledger::Open(g.ledger, /*writable=*/true);
                   if (!ledger.ok()) return Fail(kProgram, ledger.status());
                   Step("April: pots funded, people, providers and budgets set up; an invoice received");
                   for (auto batch : {SetUp(OrgAccountId(org)), AprilInvoices()}) {
                     auto c = (*ledger)->Commit(std::move(batch));
                     if (!c.ok()) return Fail(kProgram, c.status());
                   }
                   Step("$ ringfence approve invoices --all-valid --date 2026-04-29");
                   std::vector<EntryDraft> approvals;
                   Status planned = (*ledger)->ReadViews([&](const ViewSource& views) -> Status {
                     ApprovalRequest request;
                     request.all_valid = true;
                     request.approved_on = D("2026-04-29");
                     auto plan = PlanApprovals(views, request, {"finance.manager", "approve"});
                     if (!plan.ok()) return plan.status();
                     std::printf("approved %zu invoice(s), %s\n", plan->approved.size(),
                                 plan->approved_total.ToPounds().c_str());
                     approvals = std::move(plan->drafts);
                     return Status::Ok();
                   });
                   if (!planned.ok()) return Fail(kProgram, planned);
                   if (!approvals.empty()) {
                     auto c = (*ledger)->Commit(std::move(approvals));
                     if (!c.ok()) return Fail(kProgram, c.status());
                   }
                   const std::string xml_path = g.ledger + ".pain001-2026-04-30.xml";
                   Step(("$ ringfence pay --date 2026-04-30 --out " + xml_path).c_str());
                   auto run = MakePaymentRun(**ledger, D("2026-04-30"), {"finance.manager", "pay"}, false);
                   if (!run.ok()) return Fail(kProgram, run.status());
                   {
                     std::ofstream xml(xml_path, std::ios::binary);
                     xml << run->xml;
                   }
                   std::printf("run %s: %zu payments, %s; pain.001 written to %s\n", run->plan.run_id.c_str(),
                               run->plan.payments.size(), run->plan.total.ToPounds().c_str(), xml_path.c_str());
                   auto closed = (*ledger)->Commit(
                       {MonthCloseDraft({2026, 4}, "finance.manager", D("2026-05-03"), {"finance.manager", "close"})});
                   if (!closed.ok()) return Fail(kProgram, closed.status());
                   std::printf("\n$ ringfence close --month 2026-04 --by finance.manager\nApril closed.\n");
                   Step("May: the bank statement, a direct-payment return, a new invoice");
                   auto may = (*ledger)->Commit(May(run->plan));
                   if (!may.ok()) return Fail(kProgram, may.status());
                   Step("A late April adjustment is refused: April is closed");
                   PostingFields late;
                   late.postings = {{Account{AccountType::kBudget, "B-0002", ""}, -P("10")},
                                    {Account{AccountType::kDp, "B-0002", ""}, P("10")}};
                   late.effective = D("2026-04-30");
                   auto refused = (*ledger)->Commit({PostingDraft(late, {"finance.manager", "demo"})});
                   std::printf("refused: %s\n", refused.status().message().c_str());
                   ledger->reset();

                   Step("$ ringfence reconcile --month 2026-05 --sign-off finance.manager");
                   Global manager = g;
                   manager.actor = "finance.manager";
                   manager.format = "text";
                   if (int rc = RunReconcile(manager, "2026-05", std::nullopt, false, "", "finance.manager"); rc != 0) {
                     return rc;
                   }

                   Step("$ ringfence report pots --as-of 2026-05-31");
                   auto journal = Journal::Open(g.ledger, false);
                   if (!journal.ok()) return Fail(kProgram, journal.status());
                   auto views = RebuildViews(**journal, D("2026-05-31"));
                   if (!views.ok()) return Fail(kProgram, views.status());
                   for (auto kind : {ReportKind::kPots, ReportKind::kBudgets, ReportKind::kAgedInvoices}) {
                     auto table = BuildReport(kind, *views, D("2026-05-31"));
                     if (!table.ok()) return Fail(kProgram, table.status());
                     std::printf("%s\n", RenderText(*table).c_str());
                   }
                   Step("$ ringfence verify");
                   if (int rc = RunVerify(g); rc != 0) return rc;
                   const std::string pack = g.ledger + ".audit-pack";
                   Step("$ ringfence audit export");
                   if (int rc = RunAuditExport(g, pack); rc != 0) return rc;
                   Step("$ ringfence-verify PACK");
                   auto checked = VerifyAuditPack(pack, std::nullopt);
                   if (!checked.ok()) return Fail(kProgram, checked.status());
                   std::printf("OK: %llu entries, chain intact; %llu signed checkpoints verify\n",
                               static_cast<unsigned long long>(checked->entries),
                               static_cast<unsigned long long>(checked->checkpoints));
                   Step("$ ringfence audit prove --seq 3");
                   return RunProve(g, 3, std::nullopt);
                 }});
}

}  // namespace rf::cli
