// Statement matching (reconcile/match.h) over one month: an ICB's ~20,000
// bank lines and payments, and the issue 17 national figure of ~250,000.
// Figures in bench/README.md.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "reconcile/match.h"

namespace {

struct BenchMonth {
  std::vector<rf::BankLineIn> lines;
  std::vector<rf::PaymentIn> pays;
  std::vector<rf::RunIn> runs;
};

// Weekly runs over four weeks; one payee in ten paid twice the same amount
// (equal instalments); ~45% of lines echo the end-to-end id, ~45% only
// amount, payee and date, 1 run in 4 reaches the statement as one Bacs debit,
// a few lines are late, wrong by a penny, or foreign.
BenchMonth MakeMonth(size_t payments) {
  std::mt19937_64 rng(17);
  BenchMonth m;
  const rf::Date first = *rf::Date::Parse("2026-11-02", "bench");  // a Monday
  const size_t payees = payments / 4 + 1;
  const size_t runs = 20;
  std::vector<int64_t> run_totals(runs, 0);
  std::vector<uint64_t> run_counts(runs, 0);
  for (size_t i = 0; i < payments; ++i) {
    const size_t run = i % runs;
    const rf::Date run_date = first.AddDays(static_cast<int32_t>(run / 5 * 7 + run % 5));
    const size_t payee_no = rng() % payees;
    const int64_t amount = payee_no % 10 == 0 ? 400'00 : 1'00 + static_cast<int64_t>(rng() % 200'000);
    std::string payee = "GB00BANK" + std::to_string(10'000'000 + payee_no);
    std::string id = "PAY-" + std::to_string(i);
    m.pays.push_back({id, "RUN-" + std::to_string(run), run_date, rf::Pence::FromPence(amount), payee, id});
    run_totals[run] += amount;
    ++run_counts[run];
    if (run % 4 == 3) continue;  // reported as one batch debit below
    const uint64_t how = rng() % 100;
    const rf::Date booked = run_date.AddDays(static_cast<int32_t>(rng() % 3));
    const std::string line_id = "ST-11/" + std::to_string(m.lines.size());
    const int64_t out = how < 97 ? -amount : -amount - 1;
    m.lines.push_back({line_id, booked, rf::Pence::FromPence(out), how < 45 ? id : "", "", payee});
  }
  for (size_t run = 0; run < runs; ++run) {
    const rf::Date run_date = first.AddDays(static_cast<int32_t>(run / 5 * 7 + run % 5));
    m.runs.push_back({"RUN-" + std::to_string(run), run_date, rf::Pence::FromPence(run_totals[run]), run_counts[run]});
    if (run % 4 == 3) {
      m.lines.push_back({"ST-11/B" + std::to_string(run), run_date.AddDays(1), rf::Pence::FromPence(-run_totals[run]),
                         "", run % 8 == 3 ? "RUN-" + std::to_string(run) : "", ""});
    }
  }
  return m;
}

void BM_MatchStatement(benchmark::State& state) {
  const BenchMonth m = MakeMonth(static_cast<size_t>(state.range(0)));
  size_t matched = 0;
  for (auto _ : state) {
    auto result = rf::MatchStatement(m.lines, m.pays, m.runs, rf::MatchOptions{});
    if (!result.ok()) {
      state.SkipWithError(result.status().message().c_str());
      break;
    }
    matched = result->matches.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["lines"] = static_cast<double>(m.lines.size());
  state.counters["matched"] = static_cast<double>(matched);
  state.counters["items_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * (m.lines.size() + m.pays.size())), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MatchStatement)->Arg(20'000)->Arg(250'000)->Unit(benchmark::kMillisecond);

}  // namespace
