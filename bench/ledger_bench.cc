// Posting throughput with the ring-fence rules and views on: every entry
// passes ApplyEntry and its views are written in the same transaction.
// Target (issue 4): >= 150,000 entries/s in large batches. Figures go in
// bench/README.md.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "ledger/core/entry_kinds.h"
#include "ledger/storage/ledger.h"

namespace {

constexpr int kBudgets = 2000;

rf::Date D(const char* iso) { return *rf::Date::Parse(iso, "date"); }
rf::Pence P(const char* amount) { return *rf::Pence::Parse(amount, "amount"); }

std::unique_ptr<rf::Ledger> SetUp(const std::string& dir) {
  std::filesystem::remove_all(dir);
  auto ledger = rf::Ledger::Create(dir, "Bench ICB", "ringfence.invalid/bench", "bench");
  if (!ledger.ok()) return nullptr;
  const rf::DraftOrigin o{"bench", "bench"};
  std::vector<rf::EntryDraft> setup;
  setup.push_back(rf::PotDraft({"POT-1", "Bench pot", "PHB", "2026-27", P("900000000000"), D("2026-04-01")},
                               rf::OrgAccountId("Bench ICB"), o));
  setup.push_back(rf::PersonDraft({"P-1", "A", "25-34", "female", "Leeds", false}, D("2026-04-01"), o));
  for (int b = 0; b < kBudgets; ++b) {
    setup.push_back(
        rf::BudgetDraft({"B-" + std::to_string(b), "P-1", "POT-1", "direct-payment", "monthly",
                         "GB82WEST12345698765432", P("100000000"), D("2026-04-01"), D("2027-03-31"), D("2026-04-01")},
                        o));
  }
  if (!(*ledger)->Commit(std::move(setup)).ok()) return nullptr;
  return std::move(*ledger);
}

// A month of instalments and DP spend across many budgets.
std::vector<rf::EntryDraft> Batch(int64_t size, int64_t round) {
  std::vector<rf::EntryDraft> drafts;
  drafts.reserve(static_cast<size_t>(size));
  for (int64_t i = 0; i < size; ++i) {
    const std::string b = "B-" + std::to_string(((i / 2) * 7 + round) % kBudgets);
    rf::PostingFields f;
    const bool spend = i % 2 == 1;
    f.postings = {{rf::Account{spend ? rf::AccountType::kDp : rf::AccountType::kBudget, b, ""}, -P("41.25")},
                  {spend ? rf::Account{rf::AccountType::kSpent, b, "personal-assistant"}
                         : rf::Account{rf::AccountType::kDp, b, ""},
                   P("41.25")}};
    f.effective = D("2026-05-14");
    f.memo = "instalment";
    drafts.push_back(rf::PostingDraft(f, {"finance.manager", "bench.csv:" + std::to_string(i + 2)}));
  }
  return drafts;
}

void BM_CommitWithRulesAndViews(benchmark::State& state) {
  const int64_t size = state.range(0);
  const std::string dir = (std::filesystem::temp_directory_path() / "rf-bench-ledger").string();
  auto ledger = SetUp(dir);
  if (!ledger) {
    state.SkipWithError("set-up failed");
    return;
  }
  int64_t round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto drafts = Batch(size, round++);
    state.ResumeTiming();
    auto r = ledger->Commit(std::move(drafts));
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
  }
  state.counters["entries_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * size), benchmark::Counter::kIsRate);
  ledger.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_CommitWithRulesAndViews)->Arg(100)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same batches through verify's rebuild: replay and compare every view.
void BM_CompareViews(benchmark::State& state) {
  const std::string dir = (std::filesystem::temp_directory_path() / "rf-bench-views").string();
  auto ledger = SetUp(dir);
  if (!ledger) {
    state.SkipWithError("set-up failed");
    return;
  }
  for (int64_t round = 0; round < 10; ++round) {
    if (!ledger->Commit(Batch(10000, round)).ok()) state.SkipWithError("commit failed");
  }
  uint64_t entries = 0;
  for (auto _ : state) {
    auto check = rf::CompareViews(ledger->journal());
    if (!check.ok()) state.SkipWithError(check.status().message().c_str());
    entries = check->entries;
  }
  state.counters["entries_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * entries), benchmark::Counter::kIsRate);
  ledger.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_CompareViews)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
