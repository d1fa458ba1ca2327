#include "reconcile/month_end_figures.h"

#include <algorithm>
#include <cassert>
#include <cstdint>

#include "ledger/core/account.h"
#include "ledger/core/records.h"
#include "ledger/core/views.h"
#include "reconcile/month_flags.h"
#include "reconcile/reports.h"

namespace rf {
namespace {

size_t Column(const Table& t, std::string_view id) {
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].id == id) return i;
  }
  assert(false && "the pots report has this column");
  return 0;
}

// The pots report (reports.h) read back as amounts.
Result<std::vector<HtmlPotPosition>> PotPositions(const ViewSource& views, Date as_of) {
  RF_ASSIGN(table, BuildReport(ReportKind::kPots, views, as_of));
  std::vector<HtmlPotPosition> out;
  for (const auto& row : table.rows) {
    auto amount = [&](std::string_view id) { return Pence::Parse(row[Column(table, id)], id); };
    RF_ASSIGN(funded, amount("funded"));
    RF_ASSIGN(allocated, amount("allocated"));
    RF_ASSIGN(committed, amount("committed"));
    RF_ASSIGN(paid, amount("paid"));
    RF_ASSIGN(spent, amount("spent"));
    RF_ASSIGN(unallocated, amount("unallocated"));
    RF_ASSIGN(diverted, amount("diverted"));
    RF_ASSIGN(forecast, amount("forecast_spend"));
    out.push_back({.pot_id = row[Column(table, "pot_id")],
                   .name = row[Column(table, "name")],
                   .financial_year = row[Column(table, "financial_year")],
                   .funded = funded,
                   .allocated = allocated,
                   .committed = committed,
                   .paid = paid,
                   .spent = spent,
                   .unallocated = unallocated,
                   .diverted = diverted,
                   .forecast = forecast});
  }
  return out;
}

Month Next(const Month& m) { return m.month == 12 ? Month{m.year + 1, 1} : Month{m.year, m.month + 1}; }

// "3.4": tenths of `held` / `weekly`, rounded down; "" when weekly is zero.
std::string WeeksText(const Pence& held, const Pence& weekly) {
  if (weekly.is_zero() || weekly.is_negative()) return "";
  auto h = held.ToInt64();
  auto w = weekly.ToInt64();
  if (!h.ok() || !w.ok()) return "";
  if (*h > INT64_MAX / 10 || *h < INT64_MIN / 10) return "";
  const int64_t t = *h * 10 / *w;
  const std::string sign = t < 0 ? "-" : "";
  const int64_t a = t < 0 ? -t : t;
  return sign + std::to_string(a / 10) + "." + std::to_string(a % 10);
}

}  // namespace

Month FinancialYearStart(const Month& month) { return Month{month.month >= 4 ? month.year : month.year - 1, 4}; }

// At most this many direct-payment accounts are listed on the page.
constexpr size_t kDpRowsShown = 100;

Result<Table> DpBalancesTable(const ViewSource& views, Date as_of) {
  RF_ASSIGN(thresholds, ReadFlagThresholds(views));
  Table t;
  t.title = "Direct-payment accounts on " + as_of.ToIso() + " against their weeks of funding (DP_SURPLUS above " +
            std::to_string(thresholds.dp_surplus_weeks) + " weeks)";
  t.columns = {{"budget_id", "Budget", false},       {"person_id", "Person", false},
               {"pot_id", "Pot", false},             {"balance", "Balance held", true},
               {"weekly", "Weekly funding", true},   {"weeks_held", "Weeks held", true},
               {"over", "Above allowance", false}};
  Pence total;
  Status s = ForEachRecord<BudgetRecord>(views, [&](const BudgetRecord& budget) -> Status {
    if (budget.management != Management::kDirectPayment || budget.approved_on > as_of) return Status::Ok();
    const Account account{.type = AccountType::kDp, .id = budget.budget_id, .detail = ""};
    RF_ASSIGN(text, views.Get(BalanceKey(account)));
    Pence balance;
    if (text.has_value()) {
      RF_ASSIGN(parsed, ParseBalanceAmount(*text, BalanceKey(account)));
      balance = parsed;
    }
    const int32_t days = DaysBetween(budget.start_date, budget.end_date) + 1;
    Pence weekly, allowance;
    if (days > 0) {
      RF_ASSIGN(w, ProRate(budget.amount, 7, static_cast<uint64_t>(days)));
      RF_ASSIGN(a, ProRate(budget.amount, 7ULL * thresholds.dp_surplus_weeks, static_cast<uint64_t>(days)));
      weekly = w;
      allowance = a;
    }
    const std::string weeks = WeeksText(balance, weekly);
    // As DP_SURPLUS decides (flags_budget.cc): above the allowance and the contingency.
    const bool over = days > 0 && balance - allowance - thresholds.dp_surplus_contingency_pence > Pence();
    total += balance;
    t.rows.push_back({budget.budget_id, budget.person_id, budget.pot_id, balance.ToDecimal(), weekly.ToDecimal(),
                      weeks, over ? "yes" : "no"});
    return Status::Ok();
  });
  if (!s.ok()) return s;
  // Accounts above their allowance first (in budget order), then the rest;
  // at most kDpRowsShown, so an ICB's page stays readable; the total is
  // over every account.
  const size_t accounts = t.rows.size();
  std::stable_partition(t.rows.begin(), t.rows.end(), [](const std::vector<std::string>& row) {
    return row.back() == "yes";
  });
  if (t.rows.size() > kDpRowsShown) t.rows.resize(kDpRowsShown);
  t.total = {"Total (" + std::to_string(accounts) + " accounts)", "", "", total.ToDecimal(), "", "", ""};
  t.notes = {"Weekly funding: the budget's amount pro rata to a week of its period. A DP_SURPLUS flag is raised "
             "when the balance less the allowance and any contingency is above zero (see Flags)."};
  if (accounts > t.rows.size()) {
    t.notes.push_back("Accounts above their allowance come first; " + std::to_string(accounts - t.rows.size()) +
                      " more are not listed here (`ringfence report balances --as-of " + as_of.ToIso() +
                      "` lists every account).");
  }
  return t;
}

Result<MonthEndFigures> MonthEndFiguresAt(const Journal& journal, const Month& month, uint64_t tree_size,
                                          const std::function<void(uint64_t, uint64_t)>& progress) {
  MonthEndFigures out;
  for (Month m = FinancialYearStart(month); m <= month; m = Next(m)) {
    const Date end = m.last_day();
    RF_ASSIGN(views, RebuildViewsAt(journal, tree_size, end, progress));
    RF_ASSIGN(pots, PotPositions(views, end));
    for (const HtmlPotPosition& p : pots) {
      HtmlPotChart* chart = nullptr;
      for (HtmlPotChart& c : out.charts) chart = c.pot_id == p.pot_id ? &c : chart;
      if (chart == nullptr) {
        out.charts.push_back({.pot_id = p.pot_id, .name = p.name, .months = {}});
        chart = &out.charts.back();
      }
      chart->months.push_back({.month = m, .funded = p.funded, .allocated = p.allocated, .spent = p.spent});
    }
    if (m == month) {
      out.pots = std::move(pots);
      RF_ASSIGN(aged, BuildReport(ReportKind::kAgedInvoices, views, end));
      out.aged_invoices = std::move(aged);
      RF_ASSIGN(dp, DpBalancesTable(views, end));
      out.dp_balances = std::move(dp);
    }
  }
  return out;
}

}  // namespace rf
