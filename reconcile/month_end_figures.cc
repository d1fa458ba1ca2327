#include "reconcile/month_end_figures.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ledger/core/account.h"
#include "ledger/core/entry.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/pot_scope.h"
#include "ledger/core/records.h"
#include "ledger/core/views.h"
#include "reconcile/month_end_views.h"
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
  // Every dp: balance in one read (month-end views serve a prefix in one
  // pass; a Get per budget would repeat it).
  std::map<std::string, Pence, std::less<>> dp_balance;
  RF_RETURN_IF_ERROR(views.ForEach(BalanceKey(Account{.type = AccountType::kDp, .id = "", .detail = ""}),
                                   [&](std::string_view key, std::string_view value) -> Status {
                                     RF_ASSIGN(parsed, ParseBalanceAmount(value, key));
                                     dp_balance.emplace(std::string(key), parsed);
                                     return Status::Ok();
                                   }));
  Pence total;
  Status s = ForEachRecord<BudgetRecord>(views, [&](const BudgetRecord& budget) -> Status {
    if (budget.management != Management::kDirectPayment || budget.approved_on > as_of) return Status::Ok();
    const Account account{.type = AccountType::kDp, .id = budget.budget_id, .detail = ""};
    const auto held = dp_balance.find(BalanceKey(account));
    const Pence balance = held == dp_balance.end() ? Pence() : held->second;
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
// first `tree_size` dated after `from` (and on or before `to`, when given),
// by pot and by month: index k is the k-th month from `first`, index
// `months` every day after the last of them. Subtracting a month's
// PotFiguresOf from the position at the last month's end gives the chart's
// three series (funded, allocated, spent) at an earlier month end; the
// live potnet/ less the last bucket is the position at that month end. An
// entry's postings all count to the one pot it is scoped to (rule 3:
// PotOfAccount, as ApplyPostings scopes it); `pot_of_budget` holds every
// budget such an entry posts to (views that applied it).
Result<std::map<std::string, std::vector<TypeTotals>>> PotMovements(
    const Journal& journal, uint64_t tree_size, const Month& first, Date from, std::optional<Date> to, size_t months,
    const std::map<std::string, std::string>& pot_of_budget) {
  std::map<std::string, std::vector<TypeTotals>> out;
  const Status s = journal.ForEachLine(1, [&](uint64_t seq, std::string_view line) -> Status {
    if (seq > tree_size) return Status::Ok();  // after the page's tree size
    if (line.find("\"postings\"") == std::string_view::npos) return Status::Ok();
    auto entry = ParseEntryLine(line);
    if (!entry.ok()) return Status::Tampered("entry " + std::to_string(seq) + ": " + entry.status().message());
    const EntryDraft& d = entry->draft;
    if (d.effective <= from || (to && d.effective > *to)) return Status::Ok();
    auto postings = ParseBodyPostings(d.body_json);
    if (!postings.ok()) return Status::Tampered("entry " + std::to_string(seq) + ": " + postings.status().message());
    auto budget_pot = [&](const std::string& budget) -> Result<std::string> {
      const auto it = pot_of_budget.find(budget);
      if (it == pot_of_budget.end()) {
        return Status::Tampered("entry " + std::to_string(seq) + " posts to budget " + budget +
                                ", which the views do not hold");
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
    std::vector<TypeTotals>& by_month = out[pot];
    by_month.resize(months + 1);
    TypeTotals& net = by_month[std::min(static_cast<size_t>(index), months)];
    for (const Posting& p : *postings) net[p.account.type] += p.amount;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::map<std::string, std::string>> PotsOfBudgets(const ViewSource& views) {
  std::map<std::string, std::string> out;
  RF_RETURN_IF_ERROR(views.ForEach(RecordPrefix(RecordKind::kBudget), [&](std::string_view key, std::string_view value) {
    RF_ASSIGN(budget, DecodeRecordText<BudgetRecord>(key, value));
    out.emplace(budget.budget_id, budget.pot_id);
    return Status::Ok();
  }));
  return out;
}

size_t MonthsFrom(const Month& first, const Month& month) {
  return static_cast<size_t>((month.year - first.year) * 12 + static_cast<int>(month.month) -
                             static_cast<int>(first.month) + 1);
}

// The page's figures from views as of the month's end (a replay to it, or
// the live views served as of it: PageViews) and the pots' movements by
// month of the financial year (PotMovements).
Result<MonthEndFigures> FiguresFrom(const ViewSource& views, const Month& month,
                                    const std::map<std::string, std::vector<TypeTotals>>& movements) {
  MonthEndFigures out;
  const Date end = month.last_day();
  RF_ASSIGN(pots, PotPositions(views, end));
  const Month first = FinancialYearStart(month);
  const size_t months = MonthsFrom(first, month);
  std::map<std::string, Date> funded_on;
  RF_RETURN_IF_ERROR(views.ForEach(RecordPrefix(RecordKind::kPot), [&](std::string_view key, std::string_view value) {
    RF_ASSIGN(pot, DecodeRecordText<PotRecord>(key, value));
    funded_on.emplace(pot.pot_id, pot.funded_on);
    return Status::Ok();
  }));
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

bool OnOrBefore(const std::optional<Date>& day, Date end) { return day.has_value() && *day <= end; }

// Whether a payment of `invoice` paid it at the end of `end`: one run on or
// before it, not cancelled or returned by then. An invoice never paid back
// (returns 0) has at most the payment it names; otherwise its payments are
// found along its budget's chain (budget_prev), which holds every payment
// of the budget.
Result<bool> PaidAt(const ViewSource& live, const InvoiceRecord& invoice, Date end) {
  if (invoice.returns == 0) {
    if (invoice.payment_id.empty()) return false;
    RF_ASSIGN(payment, FindRecord<PaymentRecord>(live, invoice.payment_id));
    if (!payment) return Status::Tampered("invoice " + invoice.invoice_id + " names payment " + invoice.payment_id +
                                          ", which the views do not hold");
    return payment->run_date <= end;
  }
  RF_ASSIGN(budget, FindRecord<BudgetRecord>(live, invoice.budget_id));
  if (!budget) return Status::Tampered("invoice " + invoice.invoice_id + " names budget " + invoice.budget_id +
                                       ", which the views do not hold");
  std::string id = budget->last_payment_id;
  for (uint64_t walked = 0; !id.empty(); ++walked) {
    if (walked > budget->payments) {
      return Status::Tampered("budget " + budget->budget_id + ": its payment chain is longer than its count");
    }
    RF_ASSIGN(payment, FindRecord<PaymentRecord>(live, id));
    if (!payment) return Status::Tampered("budget " + budget->budget_id + "'s payment chain names payment " + id +
                                          ", which the views do not hold");
    if (payment->invoice_id == invoice.invoice_id && payment->run_date <= end &&
        !OnOrBefore(payment->cancelled_on, end) && !OnOrBefore(payment->returned_on, end)) {
      return true;
    }
    id = payment->budget_prev;
  }
  return false;
}

// An invoice's state at the end of `end` from its live record (received on
// or before it): paid (PaidAt), rejected by then, approved by then, else
// received.
Result<InvoiceState> InvoiceStateAt(const ViewSource& live, const InvoiceRecord& invoice, std::string_view value,
                                    std::string_view key, Date end) {
  RF_ASSIGN(paid, PaidAt(live, invoice, end));
  if (paid) return InvoiceState::kPaid;
  if (invoice.state == InvoiceState::kRejected) {
    const nlohmann::json record = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    const auto on = record.is_object() ? record.find("rejected_on") : record.end();
    if (!record.is_object() || on == record.end() || !on->is_string()) {
      return Status::Tampered("view " + std::string(key) + ": a rejected invoice without rejected_on");
    }
    RF_ASSIGN(rejected_on, Date::Parse(on->get<std::string>(), "rejected_on"));
    if (rejected_on <= end) return InvoiceState::kRejected;
  }
  return OnOrBefore(invoice.approved_on, end) ? InvoiceState::kApproved : InvoiceState::kReceived;
}

// The live views served as at a month's end for what the page reads:
//   pot/      the pots funded on or before it (funded_on is the entry's date)
//   potnet/   the live totals less the movements dated after it
//   budget/   the budgets approved on or before it (approved_on likewise)
//   invoice/  those received on or before it, each in its state then
//             (InvoiceStateAt; the record otherwise the live one)
//   bal/, config/ and the rest: MonthEndViews (dp:, spent:, pot: balances
//             and settings as of the day)
// Records the page reads are otherwise unchanged by later entries: a pot's
// and a budget's members the page shows are written once, and an invoice's
// amount, provider, budget and received day too.
class PageViews final : public ViewSource {
 public:
  PageViews(const ViewSource& live, const MonthEndViews& month_end, Date end,
            std::map<std::string, TypeTotals, std::less<>> potnet)
      : live_(live), month_end_(month_end), end_(end), potnet_(std::move(potnet)) {}

  Result<std::optional<std::string>> Get(std::string_view key) const override {
    if (StartsWith(key, PotNetKey(""))) {
      const auto it = potnet_.find(key);
      if (it == potnet_.end()) return std::optional<std::string>();
      return std::optional<std::string>(SerializeTotals(it->second));
    }
    if (Served(key)) return NotServed(key);
    return month_end_.Get(key);
  }

  Status ForEach(std::string_view prefix,
                 const std::function<Status(std::string_view, std::string_view)>& fn) const override {
    if (prefix == RecordPrefix(RecordKind::kPot)) {
      return live_.ForEach(prefix, [&](std::string_view key, std::string_view value) -> Status {
        RF_ASSIGN(pot, DecodeRecordText<PotRecord>(key, value));
        return pot.funded_on <= end_ ? fn(key, value) : Status::Ok();
      });
    }
    if (prefix == RecordPrefix(RecordKind::kBudget)) {
      return live_.ForEach(prefix, [&](std::string_view key, std::string_view value) -> Status {
        RF_ASSIGN(budget, DecodeRecordText<BudgetRecord>(key, value));
        return budget.approved_on <= end_ ? fn(key, value) : Status::Ok();
      });
    }
    if (prefix == RecordPrefix(RecordKind::kInvoice)) {
      return live_.ForEach(prefix, [&](std::string_view key, std::string_view value) -> Status {
        RF_ASSIGN(invoice, DecodeRecordText<InvoiceRecord>(key, value));
        if (invoice.received_on > end_) return Status::Ok();
        RF_ASSIGN(state, InvoiceStateAt(live_, invoice, value, key, end_));
        if (state == invoice.state) return fn(key, value);
        nlohmann::json then = nlohmann::json::parse(value);
        then["state"] = ToString(state);
        return fn(key, then.dump());
      });
    }
    if (Overlaps(prefix)) return NotServed(prefix);
    return month_end_.ForEach(prefix, fn);
  }

  Status ForEachFrom(std::string_view prefix, std::string_view from,
                     const std::function<Result<bool>(std::string_view, std::string_view)>& fn) const override {
    if (Overlaps(prefix)) return NotServed(prefix);
    return month_end_.ForEachFrom(prefix, from, fn);
  }

 private:
  static bool StartsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
  }
  // The families served here as of the month end.
  static std::array<std::string, 4> Families() {
    return {PotNetKey(""), std::string(RecordPrefix(RecordKind::kPot)), std::string(RecordPrefix(RecordKind::kBudget)),
            std::string(RecordPrefix(RecordKind::kInvoice))};
  }
  // A key of one of them.
  static bool Served(std::string_view key) {
    for (const std::string& family : Families()) {
      if (StartsWith(key, family)) return true;
    }
    return false;
  }
  // A prefix whose keys include some of theirs (served only by the family's
  // own ForEach above).
  static bool Overlaps(std::string_view prefix) {
    for (const std::string& family : Families()) {
      if (StartsWith(prefix, family) || StartsWith(family, prefix)) return true;
    }
    return false;
  }
  static Status NotServed(std::string_view key) {
    return Status::InvalidInput("month-end page views: " + std::string(key) +
                                " is served as of the month end only by a whole-family ForEach");
  }

  const ViewSource& live_;
  const MonthEndViews& month_end_;
  Date end_;
  std::map<std::string, TypeTotals, std::less<>> potnet_;  // potnet/ key -> totals at the month end
};

}  // namespace

Result<MonthEndFigures> MonthEndFiguresAt(const Journal& journal, const Month& month, uint64_t tree_size,
                                          const std::function<void(uint64_t, uint64_t)>& progress) {
  const Date end = month.last_day();
  RF_ASSIGN(views, RebuildViewsAt(journal, tree_size, end, progress));
  // Earlier month ends: the position at `end` less what was dated after each.
  const Month first = FinancialYearStart(month);
  RF_ASSIGN(pot_of_budget, PotsOfBudgets(views));
  const Date before_first = first.first_day().AddDays(-1);
  RF_ASSIGN(movements,
            PotMovements(journal, tree_size, first, before_first, end, MonthsFrom(first, month), pot_of_budget));
  return FiguresFrom(views, month, movements);
}

Result<MonthEndFigures> MonthEndFiguresFromViews(const Journal& journal, const ViewSource& live, const Month& month,
                                                 uint64_t tree_size) {
  const Date end = month.last_day();
  const Month first = FinancialYearStart(month);
  const size_t months = MonthsFrom(first, month);
  // Every budget, whenever approved: an entry dated after the month end
  // may post to one approved after it too.
  RF_ASSIGN(pot_of_budget, PotsOfBudgets(live));
  const Date before_first = first.first_day().AddDays(-1);
  RF_ASSIGN(movements, PotMovements(journal, tree_size, first, before_first, std::nullopt, months, pot_of_budget));
  // potnet/ at the month end: the live totals less the last bucket (dated after it).
  std::map<std::string, TypeTotals, std::less<>> potnet;
  RF_RETURN_IF_ERROR(live.ForEach(RecordPrefix(RecordKind::kPot), [&](std::string_view key, std::string_view value) {
    RF_ASSIGN(pot, DecodeRecordText<PotRecord>(key, value));
    if (pot.funded_on > end) return Status::Ok();
    const std::string net_key = PotNetKey(pot.pot_id);
    RF_ASSIGN(text, live.Get(net_key));
    TypeTotals net;
    if (text.has_value()) {
      RF_ASSIGN(parsed, ParseTotals(*text, net_key));
      net = parsed;
    }
    if (const auto it = movements.find(pot.pot_id); it != movements.end()) {
      const TypeTotals& after = it->second[months];
      for (size_t i = 0; i < kAccountTypes; ++i) net.net[i] = net.net[i] - after.net[i];
    }
    potnet.emplace(net_key, net);
    return Status::Ok();
  }));
  RF_ASSIGN(month_end, MonthEndViews::Make(live, end));
  const PageViews views(live, *month_end, end, std::move(potnet));
  return FiguresFrom(views, month, movements);
}

}  // namespace rf
