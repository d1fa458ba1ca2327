// `verify` on a ledger shaped like real use (issue 16, item 8): people,
// providers, budgets (half notional, half direct payment), invoices received
// and approved, monthly payment runs of invoices and instalments, a bank
// line and a settlement per payment, and direct-payment returns, for two
// months. Verify's two halves are timed apart: the chain (VerifyLedger: chain,
// tree nodes, checkpoint signatures) and the views (CompareViews: replay of
// every entry through ApplyEntry and compare of every view).
//
// RF_BENCH_VERIFY_PEOPLE (default 20,000) scales the ledger: ~16 entries per
// person (320,000 entries at the default). The ledger is built once per
// process, before the first timed run. Figures go in bench/README.md.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ledger/audit/ledger_verify.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/payments/payment_run.h"
#include "ledger/storage/ledger.h"

namespace verify_bench {
namespace {

constexpr char kDebtorIban[] = "GB33BUKB20201555555555";
constexpr char kPayeeIban[] = "GB82WEST12345698765432";
constexpr int kPeoplePerProvider = 40;
// Commits of at most this many drafts (an ingest chunk's size).
constexpr size_t kCommitDraftsMax = 10'000;

rf::Date D(const char* iso) { return *rf::Date::Parse(iso, "date"); }
rf::Pence P(const char* amount) { return *rf::Pence::Parse(amount, "amount"); }

int People() {
  const char* text = std::getenv("RF_BENCH_VERIFY_PEOPLE");
  const int people = text == nullptr ? 20'000 : std::atoi(text);
  return people < 2 ? 2 : people;
}

std::string Id(const char* prefix, int i) { return prefix + std::to_string(i); }

bool CommitAll(rf::Ledger& ledger, std::vector<rf::EntryDraft> drafts) {
  for (size_t from = 0; from < drafts.size(); from += kCommitDraftsMax) {
    const size_t to = std::min(drafts.size(), from + kCommitDraftsMax);
    std::vector<rf::EntryDraft> chunk(std::make_move_iterator(drafts.begin() + static_cast<ptrdiff_t>(from)),
                                      std::make_move_iterator(drafts.begin() + static_cast<ptrdiff_t>(to)));
    auto r = ledger.Commit(std::move(chunk));
    if (!r.ok()) {
      std::fprintf(stderr, "verify_bench: commit failed: %s\n", r.status().message().c_str());
      return false;
    }
  }
  return true;
}

// One month: two invoices per notional budget received and approved, the
// payment run on `run_on`, every payment settled by its own bank line two
// days later, and a return from every direct-payment budget.
bool Month(rf::Ledger& ledger, int people, int month, const char* received_on, const char* approved_on,
           const char* run_on, const char* booked_on, const char* spent_on) {
  const rf::DraftOrigin o{"finance.manager", "bench"};
  std::vector<rf::EntryDraft> drafts;
  for (int i = 0; i < people; i += 2) {  // notional budgets: even i
    for (int k = 0; k < 2; ++k) {
      const std::string invoice = "INV-" + std::to_string(month) + "-" + std::to_string(i) + "-" + std::to_string(k);
      const rf::Date to = D(received_on).AddDays(-7 * k);  // two weeks of sessions, one invoice each
      rf::InvoiceFields f{invoice,        Id("V-", i / kPeoplePerProvider),
                          Id("B-", i),    "therapy",
                          "sessions",     P("150.00"),
                          to.AddDays(-6), to,
                          D(received_on)};
      drafts.push_back(rf::InvoiceReceivedDraft(f, o));
    }
  }
  for (int i = 0; i < people; i += 2) {
    for (int k = 0; k < 2; ++k) {
      const std::string invoice = "INV-" + std::to_string(month) + "-" + std::to_string(i) + "-" + std::to_string(k);
      drafts.push_back(rf::InvoiceApprovedDraft(invoice, Id("B-", i), Id("V-", i / kPeoplePerProvider), P("150.00"),
                                                D(approved_on), o));
    }
  }
  if (!CommitAll(ledger, std::move(drafts))) return false;
  auto run = rf::MakePaymentRun(ledger, D(run_on), o, /*dry_run=*/false);
  if (!run.ok() || !run->committed) {
    std::fprintf(stderr, "verify_bench: payment run failed: %s\n", run.status().message().c_str());
    return false;
  }
  drafts.clear();
  const std::string statement = "STMT-" + std::to_string(month);
  int line = 0;
  for (const rf::RunPayment& payment : run->plan.payments) {
    rf::BankLineFields f;
    f.statement_id = statement;
    f.line_id = std::to_string(++line);
    f.account = kDebtorIban;
    f.booked_on = D(booked_on);
    f.amount = -payment.amount;
    f.counterparty_ref = payment.payee_ref;
    f.end_to_end_id = payment.payment_id;
    f.description = "payment";
    drafts.push_back(rf::BankLineDraft(f, o));
  }
  line = 0;
  for (const rf::RunPayment& payment : run->plan.payments) {
    drafts.push_back(
        rf::PaymentSettledDraft(payment.payment_id, statement + "/" + std::to_string(++line), D(booked_on), o));
  }
  for (int i = 1; i < people; i += 2) {  // direct-payment budgets: odd i
    rf::PostingFields f;
    f.postings = {{rf::Account{rf::AccountType::kDp, Id("B-", i), ""}, -P("80.00")},
                  {rf::Account{rf::AccountType::kSpent, Id("B-", i), "personal-assistant"}, P("80.00")}};
    f.effective = D(spent_on);
    f.memo = "return";
    f.external_id = "dp-returns/R-" + std::to_string(month) + "-" + std::to_string(i);
    drafts.push_back(rf::PostingDraft(f, o));
  }
  return CommitAll(ledger, std::move(drafts));
}

std::unique_ptr<rf::Ledger> Build(const std::string& dir, int people) {
  std::filesystem::remove_all(dir);
  auto ledger = rf::Ledger::Create(dir, "Bench ICB", "ringfence.invalid/bench", "bench");
  if (!ledger.ok()) return nullptr;
  const rf::DraftOrigin o{"finance.manager", "bench"};
  std::vector<rf::EntryDraft> drafts;
  drafts.push_back(rf::ConfigSetDraft("bank.debtor_iban", kDebtorIban, D("2026-04-01"), o));
  drafts.push_back(rf::PotDraft({"POT-1", "Bench pot", "PHB", "2026-27", P("900000000.00"), D("2026-04-01")},
                                rf::OrgAccountId("Bench ICB"), o));
  for (int v = 0; v <= (people - 1) / kPeoplePerProvider; ++v) {
    drafts.push_back(rf::ProviderDraft(
        {Id("V-", v), "Provider " + std::to_string(v), "vcse", "small", kPayeeIban, true, true}, D("2026-04-01"), o));
  }
  for (int i = 0; i < people; ++i) {
    drafts.push_back(rf::PersonDraft({Id("P-", i), "A", "25-34", "female", "Leeds", i % 3 == 0}, D("2026-04-01"), o));
  }
  for (int i = 0; i < people; ++i) {
    const bool notional = i % 2 == 0;
    drafts.push_back(rf::BudgetDraft(
        {Id("B-", i), Id("P-", i), "POT-1", notional ? "notional" : "direct-payment", notional ? "none" : "monthly",
         kPayeeIban, P("12000.00"), D("2026-04-01"), D("2027-03-31"), D("2026-04-01")},
        o));
  }
  if (!CommitAll(**ledger, std::move(drafts))) return nullptr;
  if (!Month(**ledger, people, 4, "2026-04-20", "2026-04-25", "2026-05-01", "2026-05-05", "2026-05-10")) return nullptr;
  if (!Month(**ledger, people, 5, "2026-05-20", "2026-05-25", "2026-06-01", "2026-06-03", "2026-06-10")) return nullptr;
  return std::move(*ledger);
}

// Built once per process, removed at exit.
struct RealLedger {
  RealLedger() : dir((std::filesystem::temp_directory_path() / "rf-bench-verify-real").string()) {
    ledger = Build(dir, People());
  }
  ~RealLedger() {
    ledger.reset();
    std::filesystem::remove_all(dir);
  }
  std::string dir;
  std::unique_ptr<rf::Ledger> ledger;
};

rf::Ledger* Shared() {
  static RealLedger real;
  return real.ledger.get();
}

void BM_VerifyRealChain(benchmark::State& state) {
  rf::Ledger* ledger = Shared();
  if (ledger == nullptr) {
    state.SkipWithError("set-up failed");
    return;
  }
  uint64_t entries = 0;
  for (auto _ : state) {
    auto report = rf::VerifyLedger(ledger->journal());
    if (!report.ok()) {
      state.SkipWithError(report.status().message().c_str());
      return;
    }
    entries = report->entries;
  }
  state.counters["entries"] = static_cast<double>(entries);
  state.counters["entries_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * entries), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_VerifyRealChain)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_VerifyRealViews(benchmark::State& state) {
  rf::Ledger* ledger = Shared();
  if (ledger == nullptr) {
    state.SkipWithError("set-up failed");
    return;
  }
  uint64_t entries = 0, keys = 0;
  for (auto _ : state) {
    auto check = rf::CompareViews(ledger->journal());
    if (!check.ok()) {
      state.SkipWithError(check.status().message().c_str());
      return;
    }
    entries = check->entries;
    keys = check->keys;
  }
  state.counters["entries"] = static_cast<double>(entries);
  state.counters["views"] = static_cast<double>(keys);
  state.counters["entries_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * entries), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_VerifyRealViews)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace verify_bench
