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

#include "bench/bench_ledger.h"
#include "ledger/audit/ledger_verify.h"
#include "ledger/storage/ledger.h"

namespace verify_bench {
namespace {

int People() {
  const char* text = std::getenv("RF_BENCH_VERIFY_PEOPLE");
  const int people = text == nullptr ? 20'000 : std::atoi(text);
  return people < 2 ? 2 : people;
}

// Built once per process, removed at exit.
struct RealLedger {
  RealLedger() : dir((std::filesystem::temp_directory_path() / "rf-bench-verify-real").string()) {
    ledger = rf::bench::BuildBenchLedger(dir, {.people = People(), .months = 2});
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
