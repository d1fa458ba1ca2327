// Journal benchmarks: append throughput by batch size, full verification,
// and proof generation at 1M entries. Figures go in bench/README.md.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "ledger/core/date.h"
#include "ledger/storage/journal.h"
#include "ledger/audit/ledger_verify.h"

namespace {

std::string FreshDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("rf-bench-" + name);
  std::filesystem::remove_all(dir);
  return dir.string();
}

// A representative entry: ~300 bytes as a canonical line.
rf::EntryDraft Draft(uint64_t n) {
  rf::EntryDraft d;
  d.kind = "posting";
  d.effective = *rf::Date::Parse("2026-05-14", "effective");
  d.actor = "finance.manager";
  d.source = "invoices-2026-05.csv:" + std::to_string(n + 2);
  d.body_json = "{\"invoice_id\":\"INV-" + std::to_string(100000 + n) +
                "\",\"memo\":\"invoice approved\",\"postings\":[{\"account\":\"budget:B-004211\",\"amount\":\"-412.50\"},"
                "{\"account\":\"payable:B-004211:PROV-0042\",\"amount\":\"412.50\"}]}";
  return d;
}

std::vector<rf::EntryDraft> Batch(uint64_t first, uint64_t count) {
  std::vector<rf::EntryDraft> drafts;
  drafts.reserve(count);
  for (uint64_t i = 0; i < count; ++i) drafts.push_back(Draft(first + i));
  return drafts;
}

void BM_Append(benchmark::State& state) {
  const auto batch = static_cast<uint64_t>(state.range(0));
  const std::string dir = FreshDir("append-" + std::to_string(batch));
  auto j = rf::Journal::Create(dir, "Bench ICB", "ringfence.invalid/bench", "bench");
  if (!j.ok()) state.SkipWithError(j.status().message().c_str());
  const auto drafts = Batch(0, batch);
  for (auto _ : state) {
    auto r = (*j)->Append(drafts);
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch));
  state.counters["entries_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * batch), benchmark::Counter::kIsRate);
  j->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Append)->Arg(1)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();

// A ledger of `entries` entries in 10,000-entry commits, built once.
const rf::Journal& BigLedger(uint64_t entries) {
  static std::unique_ptr<rf::Journal> journal;
  static uint64_t built = 0;
  if (built != entries) {
    journal.reset();
    const std::string dir = FreshDir("big-" + std::to_string(entries));
    auto j = rf::Journal::Create(dir, "Bench ICB", "ringfence.invalid/bench", "bench", {.sync = false});
    if (!j.ok()) std::abort();
    for (uint64_t n = 1; n < entries; n += 10000) {
      if (!(*j)->Append(Batch(n, std::min<uint64_t>(10000, entries - n))).ok()) std::abort();
    }
    journal = std::move(*j);
    built = entries;
  }
  return *journal;
}

void BM_Verify(benchmark::State& state) {
  const auto entries = static_cast<uint64_t>(state.range(0));
  const rf::Journal& j = BigLedger(entries);
  for (auto _ : state) {
    auto report = rf::VerifyLedger(j);
    if (!report.ok()) state.SkipWithError(report.status().message().c_str());
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * entries));
  state.counters["entries_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * entries), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Verify)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_InclusionProof(benchmark::State& state) {
  const auto entries = static_cast<uint64_t>(state.range(0));
  const rf::Journal& j = BigLedger(entries);
  std::mt19937_64 rng(7);
  for (auto _ : state) {
    auto proof = j.ProveInclusion(1 + rng() % entries, std::nullopt);
    if (!proof.ok()) state.SkipWithError(proof.status().message().c_str());
    benchmark::DoNotOptimize(proof);
  }
}
BENCHMARK(BM_InclusionProof)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

void BM_ConsistencyProof(benchmark::State& state) {
  const auto entries = static_cast<uint64_t>(state.range(0));
  const rf::Journal& j = BigLedger(entries);
  std::mt19937_64 rng(9);
  for (auto _ : state) {
    auto proof = j.ProveConsistency(1 + rng() % entries, entries);
    if (!proof.ok()) state.SkipWithError(proof.status().message().c_str());
    benchmark::DoNotOptimize(proof);
  }
}
BENCHMARK(BM_ConsistencyProof)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);

}  // namespace
