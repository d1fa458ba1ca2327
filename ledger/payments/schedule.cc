#include "ledger/payments/schedule.h"

#include <cassert>

namespace rf {
namespace {

struct Period {
  Date from, to;
  uint64_t weight = 0;
};

Status TooMany(const BudgetTerms& t) {
  return Status::InvalidInput("budget " + t.budget_id + ": more than " + std::to_string(kInstalmentsMax) + " " +
                              t.frequency + " instalments from " + t.start_date.ToIso() + " to " + t.end_date.ToIso());
}

Result<std::vector<Period>> MonthlyPeriods(const BudgetTerms& t) {
  std::vector<Period> periods;
  Date from = t.start_date;
  for (size_t i = 0; i <= kInstalmentsMax && from <= t.end_date; ++i) {
    if (i == kInstalmentsMax) return TooMany(t);
    const Month month{from.year(), from.month()};
    const Date month_end = month.last_day();
    const Date to = month_end < t.end_date ? month_end : t.end_date;
    const auto month_days = static_cast<uint64_t>(DaysBetween(month.first_day(), month_end) + 1);
    const auto days = static_cast<uint64_t>(DaysBetween(from, to) + 1);
    assert(kMonthWeightUnits % month_days == 0 && days >= 1 && days <= month_days);
    periods.push_back({from, to, days * (kMonthWeightUnits / month_days)});
    from = to.AddDays(1);
  }
  return periods;
}

Result<std::vector<Period>> FourWeeklyPeriods(const BudgetTerms& t) {
  std::vector<Period> periods;
  Date from = t.start_date;
  for (size_t i = 0; i <= kInstalmentsMax && from <= t.end_date; ++i) {
    if (i == kInstalmentsMax) return TooMany(t);
    const Date full_to = from.AddDays(kFourWeeklyPeriodDays - 1);
    const Date to = full_to < t.end_date ? full_to : t.end_date;
    periods.push_back({from, to, static_cast<uint64_t>(DaysBetween(from, to) + 1)});
    from = to.AddDays(1);
  }
  return periods;
}

// The fallback split (see the header): differences of the rounded running
// total, never negative because the running total never decreases.
Result<std::vector<Pence>> CumulativeSplit(const Pence& total, const std::vector<Period>& periods) {
  uint64_t weight_sum = 0;
  for (const auto& p : periods) weight_sum += p.weight;
  std::vector<Pence> shares;
  shares.reserve(periods.size());
  uint64_t cumulative_weight = 0;
  Pence before;
  for (const auto& p : periods) {
    cumulative_weight += p.weight;
    auto upto = ProRate(total, cumulative_weight, weight_sum);
    if (!upto.ok()) return upto.status();
    shares.push_back(*upto - before);
    before = *upto;
  }
  assert(before == total);
  return shares;
}

}  // namespace

Result<std::vector<Instalment>> InstalmentSchedule(const BudgetTerms& t) {
  const std::string where = "budget " + t.budget_id + ": ";
  if (t.management != "notional" && t.management != "third-party" && t.management != "direct-payment") {
    return Status::InvalidInput(where + "management: expected notional, third-party or direct-payment");
  }
  if (t.frequency != "monthly" && t.frequency != "four-weekly" && t.frequency != "one-off" && t.frequency != "none") {
    return Status::InvalidInput(where + "frequency: expected monthly, four-weekly, one-off or none");
  }
  if (!(t.amount > Pence())) return Status::InvalidInput(where + "amount: a budget is more than zero");
  if (t.end_date < t.start_date) return Status::InvalidInput(where + "end_date: before start_date");
  if (t.management == "notional" || t.frequency == "none") return std::vector<Instalment>{};

  Result<std::vector<Period>> periods = std::vector<Period>{{t.start_date, t.end_date, 1}};
  if (t.frequency == "monthly") periods = MonthlyPeriods(t);
  if (t.frequency == "four-weekly") periods = FourWeeklyPeriods(t);
  if (!periods.ok()) return periods.status();
  assert(!periods->empty() && periods->size() <= kInstalmentsMax);

  std::vector<uint64_t> weights;
  weights.reserve(periods->size());
  for (const auto& p : *periods) weights.push_back(p.weight);
  auto shares = SplitExact(t.amount, weights);
  if (!shares.ok()) return shares.status().WithContext(where);
  if (shares->back().is_negative()) {
    shares = CumulativeSplit(t.amount, *periods);
    if (!shares.ok()) return shares.status().WithContext(where);
  }

  std::vector<Instalment> out;
  out.reserve(periods->size());
  Pence sum;
  for (size_t i = 0; i < periods->size(); ++i) {
    const Period& p = (*periods)[i];
    const Pence& amount = (*shares)[i];
    assert(!amount.is_negative());
    assert(t.start_date <= p.from && p.from <= p.to && p.to <= t.end_date);
    out.push_back({static_cast<uint32_t>(i + 1), p.from, p.from, p.to, amount});
    sum += amount;
  }
  assert(sum == t.amount);
  assert(out.front().period_from == t.start_date && out.back().period_to == t.end_date);
  return out;
}

}  // namespace rf
