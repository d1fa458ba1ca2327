// Month-end flags (reconcile/flags.h) over an ICB-scale ledger: 20,000
// budgets and 200,000 invoices, with their payments. Figures in
// bench/README.md.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "reconcile/flags.h"

namespace {

// Budgets over 2026-27, a third direct payments (each with an instalment
// payment and a dp: balance), the rest notional; ten invoices a budget from
// 2,000 providers (one in ten micro VCSE, one in fifty not approved), 80%
// paid by a run. Evaluated at 2026-11-30.
rf::FlagInputs MakeLedger(size_t budgets, size_t invoices) {
  std::mt19937_64 rng(17);
  rf::FlagInputs in;
  in.month_end = *rf::Date::Parse("2026-11-30", "bench");
  const rf::Date year_start = *rf::Date::Parse("2026-04-01", "bench");
  const size_t providers = 2'000;
  for (size_t i = 0; i < providers; ++i) {
    rf::ProviderRecord p;
    p.seq = i + 1;
    p.provider_id = "PR-" + std::to_string(i);
    p.kind = i % 10 == 0 ? "vcse" : "private";
    p.size = i % 10 == 0 ? "micro" : "large";
    p.approved = i % 50 != 7;
    in.providers.push_back(std::move(p));
  }
  rf::PotRecord pot;
  pot.pot_id = "POT-1";
  pot.financial_year = "2026-27";
  pot.amount = rf::Pence::FromPence(400'000'000'00);
  in.pots.push_back(pot);
  in.pot_unallocated.push_back({"POT-1", rf::Pence::FromPence(100'000'000'00)});
  for (size_t i = 0; i < budgets; ++i) {
    rf::BudgetFlagFacts b;
    b.seq = 10'000 + i;
    b.budget_id = "B-" + std::to_string(i);
    b.management = i % 3 == 0 ? rf::Management::kDirectPayment : rf::Management::kNotional;
    b.amount = rf::Pence::FromPence(1'000'00 + static_cast<int64_t>(rng() % 3'000'000));
    b.start_date = year_start.AddDays(static_cast<int32_t>(rng() % 200));
    b.end_date = year_start.AddDays(364);
    b.approved_on = b.start_date.AddDays(-7);
    if (rng() % 10 != 0) b.first_payment_on = b.start_date.AddDays(static_cast<int32_t>(rng() % 20));
    if (b.management == rf::Management::kDirectPayment) {
      in.dp_balances.push_back({b.budget_id, rf::Pence::FromPence(static_cast<int64_t>(rng() % 500'000))});
      in.dp_spent.push_back({b.budget_id, rf::Pence::FromPence(static_cast<int64_t>(rng() % 1'000'000))});
      rf::PaymentRecord p;
      p.seq = 5'000'000 + i;
      p.payment_id = "DP-" + std::to_string(i);
      p.run_id = "RUN-DP";
      p.purpose = rf::PaymentPurpose::kInstalment;
      p.budget_id = b.budget_id;
      p.amount = rf::Pence::FromPence(50'000);
      p.due_on = in.month_end.AddDays(-25);
      p.run_date = p.due_on->AddDays(static_cast<int32_t>(rng() % 6));
      in.payments.push_back(PaymentFlagFactsOf(p));
    }
    in.budgets.push_back(std::move(b));
  }
  for (size_t i = 0; i < invoices; ++i) {
    rf::InvoiceFlagFacts inv;
    inv.seq = 100'000 + i;
    inv.invoice_id = "INV-" + std::to_string(i);
    inv.provider_id = "PR-" + std::to_string(rng() % providers);
    inv.budget_id = "B-" + std::to_string(rng() % budgets);
    inv.amount = rf::Pence::FromPence(10'00 + static_cast<int64_t>(rng() % 100'000));
    inv.received_on = year_start.AddDays(static_cast<int32_t>(rng() % 240));
    if (rng() % 5 != 0) {
      rf::PaymentRecord p;
      p.seq = 1'000'000 + i;
      p.payment_id = "PAY-" + std::to_string(i);
      p.run_id = "RUN";
      p.purpose = rf::PaymentPurpose::kInvoice;
      p.invoice_id = inv.invoice_id;
      p.provider_id = inv.provider_id;
      p.budget_id = inv.budget_id;
      p.amount = inv.amount;
      p.run_date = inv.received_on.AddDays(static_cast<int32_t>(rng() % 40));
      p.state = rng() % 10 == 0 ? rf::PaymentState::kPending : rf::PaymentState::kSettled;
      if (p.state == rf::PaymentState::kSettled) p.settled_on = p.run_date.AddDays(2);
      inv.payment_id = p.payment_id;
      inv.state = rf::InvoiceState::kPaid;
      in.payments.push_back(PaymentFlagFactsOf(p));
    }
    in.invoices.push_back(std::move(inv));
  }
  return in;
}

void BM_EvaluateFlags(benchmark::State& state) {
  const rf::FlagInputs in = MakeLedger(static_cast<size_t>(state.range(0)), static_cast<size_t>(state.range(1)));
  size_t flags = 0;
  for (auto _ : state) {
    auto result = rf::EvaluateFlags(in, rf::FlagThresholds{});
    if (!result.ok()) {
      state.SkipWithError(result.status().message().c_str());
      break;
    }
    flags = result->size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["budgets"] = static_cast<double>(in.budgets.size());
  state.counters["invoices"] = static_cast<double>(in.invoices.size());
  state.counters["payments"] = static_cast<double>(in.payments.size());
  state.counters["flags"] = static_cast<double>(flags);
}
BENCHMARK(BM_EvaluateFlags)->Args({20'000, 200'000})->Unit(benchmark::kMillisecond);

}  // namespace
