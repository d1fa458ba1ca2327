// demo: a small ICB's first two months end to end, into a fresh ledger.
// Until ingest, payment runs and reconciliation land, the demo posts
// through the same entry builders they will use.
#include <cstdio>

#include "ledger/audit_pack.h"
#include "ledger/entry_kinds.h"
#include "ledger/ledger.h"
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

std::vector<EntryDraft> April() {
  const DraftOrigin o{"finance.manager", "demo"};
  std::vector<EntryDraft> d;
  d.push_back(InvoiceReceivedDraft({"INV-101", "V-MIND", "B-0002", "peer-support", "Peer support, April", P("480"),
                                    D("2026-04-01"), D("2026-04-30"), D("2026-04-28")},
                                   o));
  d.push_back(InvoiceApprovedDraft("INV-101", "B-0002", "V-MIND", P("480"), D("2026-04-29"), o));
  PaymentFields dp{"PAY-0001", "RUN-2026-04-30", "instalment",   "", "B-0001", "", "",
                   P("1000"),  D("2026-04-30"),  D("2026-04-30")};
  d.push_back(PaymentPendingDraft(dp, o));
  PaymentFields inv{"PAY-0002", "RUN-2026-04-30", "invoice",       "INV-101",   "B-0002", "V-MIND",
                    "",         P("480"),         D("2026-04-30"), std::nullopt};
  d.push_back(PaymentPendingDraft(inv, o));
  return d;
}

std::vector<EntryDraft> May() {
  const DraftOrigin o{"finance.manager", "demo"};
  std::vector<EntryDraft> d;
  d.push_back(PaymentSettledDraft("PAY-0001", "STMT-05/1", D("2026-05-01"), o));
  d.push_back(PaymentSettledDraft("PAY-0002", "STMT-05/2", D("2026-05-01"), o));
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
                   Step("April: pots funded, people, providers and budgets set up; invoice paid; first instalment");
                   for (auto batch : {SetUp(OrgAccountId(org)), April()}) {
                     auto c = (*ledger)->Commit(std::move(batch));
                     if (!c.ok()) return Fail(kProgram, c.status());
                   }
                   auto closed = (*ledger)->Commit(
                       {MonthCloseDraft({2026, 4}, "finance.manager", D("2026-05-03"), {"finance.manager", "close"})});
                   if (!closed.ok()) return Fail(kProgram, closed.status());
                   std::printf("April closed by finance.manager.\n");
                   Step("May: payments settled, a direct-payment return, a new invoice");
                   auto may = (*ledger)->Commit(May());
                   if (!may.ok()) return Fail(kProgram, may.status());
                   Step("A late April adjustment is refused: April is closed");
                   PostingFields late;
                   late.postings = {{Account{AccountType::kBudget, "B-0002", ""}, -P("10")},
                                    {Account{AccountType::kDp, "B-0002", ""}, P("10")}};
                   late.effective = D("2026-04-30");
                   auto refused = (*ledger)->Commit({PostingDraft(late, {"finance.manager", "demo"})});
                   std::printf("refused: %s\n", refused.status().message().c_str());
                   ledger->reset();

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
