#include "reconcile/month_end_figures.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ledger/core/account.h"
#include "ledger/core/entry.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/pot_scope.h"
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

namespace {

// The potnet/ movement (net per account type) of every entry among the
// first `tree_size` dated in (`from`, `to`], by pot and by month (index from
// `first`): subtracting a month's PotFiguresOf from the month end's position
// gives the chart's three series (funded, allocated, spent) at an earlier
// month end. An entry's postings all count to the one pot it is scoped to
// (rule 3: PotOfAccount, as ApplyPostings scopes it); `pot_of_budget` is
// read from the views as of `to`, which hold every budget such an entry
// posts to (the replay to `to` applied it).
Result<std::map<std::string, std::vector<TypeTotals>>> PotMovements(
    const Journal& journal, uint64_t tree_size, const Month& first, Date from, Date to, size_t months,
    const std::map<std::string, std::string>& pot_of_budget) {
  std::map<std::string, std::vector<TypeTotals>> out;
  const Status s = journal.ForEachLine(1, [&](uint64_t seq, std::string_view line) -> Status {
    if (seq > tree_size) return Status::Ok();  // after the page's tree size
    if (line.find("\"postings\"") == std::string_view::npos) return Status::Ok();
    auto entry = ParseEntryLine(line);
    if (!entry.ok()) return Status::Tampered("entry " + std::to_string(seq) + ": " + entry.status().message());
    const EntryDraft& d = entry->draft;
    if (d.effective <= from || d.effective > to) return Status::Ok();
    auto postings = ParseBodyPostings(d.body_json);
    if (!postings.ok()) return Status::Tampered("entry " + std::to_string(seq) + ": " + postings.status().message());
    auto budget_pot = [&](const std::string& budget) -> Result<std::string> {
      const auto it = pot_of_budget.find(budget);
      if (it == pot_of_budget.end()) {
        return Status::Tampered("entry " + std::to_string(seq) + " posts to budget " + budget +
                                ", which the views as of " + to.ToIso() + " do not hold");
      }
      return it->second;
    };
    std::string pot;
    for (const Posting& p : *postings) {
      RF_ASSIGN(scoped, PotOfAccount(p.account, budget_pot));
      if (!scoped.empty()) pot = std::move(scoped);
    }
    if (pot.empty()) return Status::Ok();
    const int index = (d.effective.year() - first.year) * 12 + static_cast<int>(d.effective.month()) -
                      static_cast<int>(first.month);
    assert(index >= 0);
    assert(static_cast<size_t>(index) < months);
    std::vector<TypeTotals>& by_month = out[pot];
    by_month.resize(months);
    TypeTotals& net = by_month[static_cast<size_t>(index)];
    for (const Posting& p : *postings) net[p.account.type] += p.amount;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace

Result<MonthEndFigures> MonthEndFiguresAt(const Journal& journal, const Month& month, uint64_t tree_size,
                                          const std::function<void(uint64_t, uint64_t)>& progress) {
  MonthEndFigures out;
  const Date end = month.last_day();
  RF_ASSIGN(views, RebuildViewsAt(journal, tree_size, end, progress));
  RF_ASSIGN(pots, PotPositions(views, end));
  // Earlier month ends: the position at `end` less what was dated after each.
  const Month first = FinancialYearStart(month);
  const auto months = static_cast<size_t>((month.year - first.year) * 12 + static_cast<int>(month.month) -
                                          static_cast<int>(first.month) + 1);
  std::map<std::string, std::string> pot_of_budget;
  std::map<std::string, Date> funded_on;
  RF_RETURN_IF_ERROR(views.ForEach(RecordPrefix(RecordKind::kBudget), [&](std::string_view key, std::string_view value) {
    RF_ASSIGN(budget, DecodeRecordText<BudgetRecord>(key, value));
    pot_of_budget.emplace(budget.budget_id, budget.pot_id);
    return Status::Ok();
  }));
  RF_RETURN_IF_ERROR(views.ForEach(RecordPrefix(RecordKind::kPot), [&](std::string_view key, std::string_view value) {
    RF_ASSIGN(pot, DecodeRecordText<PotRecord>(key, value));
    funded_on.emplace(pot.pot_id, pot.funded_on);
    return Status::Ok();
  }));
  const Date before_first = first.first_day().AddDays(-1);
  RF_ASSIGN(movements, PotMovements(journal, tree_size, first, before_first, end, months, pot_of_budget));
  // A pot's series starts at the first month end it existed by, as the
  // replays as of each month end listed it; charts in order of first listing.
  Month m = first;
  for (size_t k = 0; k < months; ++k, m = Next(m)) {
    for (const HtmlPotPosition& p : pots) {
      const auto created = funded_on.find(p.pot_id);
      if (created == funded_on.end() || created->second > m.last_day()) continue;
      HtmlPotChart* chart = nullptr;
      for (HtmlPotChart& c : out.charts) chart = c.pot_id == p.pot_id ? &c : chart;
      if (chart == nullptr) {
        out.charts.push_back({.pot_id = p.pot_id, .name = p.name, .months = {}});
        chart = &out.charts.back();
      }
      HtmlPotMonth point{.month = m, .funded = p.funded, .allocated = p.allocated, .spent = p.spent};
      if (const auto it = movements.find(p.pot_id); it != movements.end()) {
        for (size_t later = k + 1; later < months; ++later) {
          const PotFigures moved = PotFiguresOf(it->second[later]);
          point.funded = point.funded - moved.funded;
          point.allocated = point.allocated - moved.allocated;
          point.spent = point.spent - moved.spent;
        }
      }
      chart->months.push_back(point);
    }
  }
  out.pots = std::move(pots);
  RF_ASSIGN(aged, BuildReport(ReportKind::kAgedInvoices, views, end));
  out.aged_invoices = std::move(aged);
  RF_ASSIGN(dp, DpBalancesTable(views, end));
  out.dp_balances = std::move(dp);
  return out;
}

}  // namespace rf
