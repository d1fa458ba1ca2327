#include "reconcile/reports.h"

#include <algorithm>
#include <cassert>

#include "ledger/core/records.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

using T = AccountType;

Result<TypeTotals> Totals(const ViewSource& views, const std::string& key) {
  auto text = views.Get(key);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return TypeTotals{};
  return ParseTotals(**text, key);
}

Pence Sum(const TypeTotals& t, std::initializer_list<T> types) {
  Pence out;
  for (const T type : types) out += t[type];
  return out;
}

// First and last day of "2026-27".
std::optional<std::pair<Date, Date>> FinancialYear(const std::string& text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  auto start = Date::Parse(text.substr(0, 4) + "-04-01", "financial_year");
  if (!start.ok()) return std::nullopt;
  auto end = Date::Parse(std::to_string(start->year() + 1) + "-03-31", "financial_year");
  if (!end.ok()) return std::nullopt;
  return std::make_pair(*start, *end);
}

// Spend so far carried straight on to the year's end.
Pence Forecast(const Pence& spent, const std::string& financial_year, Date as_of) {
  const auto year = FinancialYear(financial_year);
  if (!year) return spent;
  const int32_t days = DaysBetween(year->first, year->second) + 1;
  const int32_t elapsed = std::clamp(DaysBetween(year->first, as_of) + 1, 0, days);
  if (elapsed == 0) return spent;
  auto projected = ProRate(spent, static_cast<uint64_t>(days), static_cast<uint64_t>(elapsed));
  return projected.ok() ? *projected : spent;
}

void AddTo(std::vector<Pence>* totals, const std::vector<Pence>& row) {
  if (totals->empty()) totals->resize(row.size());
  for (size_t i = 0; i < row.size(); ++i) (*totals)[i] += row[i];
}

std::vector<std::string> Decimals(const std::vector<Pence>& amounts) {
  std::vector<std::string> out;
  for (const auto& a : amounts) out.push_back(a.ToDecimal());
  return out;
}

Result<Table> Pots(const ViewSource& views, Date as_of) {
  Table t;
  t.title = "Ring-fenced pots as of " + as_of.ToIso() + " (GBP)";
  t.columns = {{"pot_id", "Pot", false},
               {"name", "Name", false},
               {"financial_year", "Year", false},
               {"funded", "Funded", true},
               {"allocated", "Allocated", true},
               {"committed", "Committed", true},
               {"paid", "Paid", true},
               {"spent", "Spent", true},
               {"unallocated", "Unallocated", true},
               {"diverted", "Diverted", true},
               {"forecast_spend", "Forecast spend", true},
               {"forecast_unspent", "Forecast unspent", true}};
  std::vector<Pence> totals;
  Status s = views.ForEach(RecordPrefix(RecordKind::kPot), [&](std::string_view key, std::string_view value) -> Status {
    RF_ASSIGN(pot, DecodeRecordText<PotRecord>(key, value));
    const std::string id(RecordIdOfKey(RecordKind::kPot, key));
    RF_ASSIGN(net, Totals(views, PotNetKey(id)));
    const PotFigures f = PotFiguresOf(net);
    const Pence forecast = Forecast(f.spent, pot.financial_year, as_of);
    const std::vector<Pence> amounts = {f.funded,   f.allocated, f.committed,        f.paid, f.spent, f.unallocated,
                                        f.diverted, forecast,    f.funded - forecast};
    std::vector<std::string> row = {id, pot.name, pot.financial_year};
    for (auto& d : Decimals(amounts)) row.push_back(std::move(d));
    t.rows.push_back(std::move(row));
    AddTo(&totals, amounts);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!totals.empty()) {
    t.total = {"Total", "", ""};
    for (auto& d : Decimals(totals)) t.total.push_back(std::move(d));
  }
  t.notes = {
      "Funded = unallocated + allocated + diverted. Committed: approved invoices not yet paid. Paid: to "
      "providers and into direct-payment accounts. Spent: paid to providers plus spend reported on direct "
      "payments. Forecast: spend so far carried straight on to 31 March."};
  return t;
}

Result<Table> Budgets(const ViewSource& views, Date as_of) {
  Table t;
  t.title = "Budgets as of " + as_of.ToIso() + " (GBP)";
  t.columns = {
      {"budget_id", "Budget", false},   {"person_id", "Person", false}, {"pot_id", "Pot", false},
      {"management", "Held as", false}, {"amount", "Amount", true},     {"allocated", "Allocated", true},
      {"committed", "Committed", true}, {"paid", "Paid", true},         {"spent", "Spent", true},
      {"remaining", "Remaining", true}, {"dp_held", "DP held", true},   {"first_payment_on", "First paid", false}};
  Status s = views.ForEach(RecordPrefix(RecordKind::kBudget), [&](std::string_view key, std::string_view value) -> Status {
    RF_ASSIGN(budget, DecodeRecordText<BudgetRecord>(key, value));
    const std::string id(RecordIdOfKey(RecordKind::kBudget, key));
    RF_ASSIGN(net, Totals(views, BudgetNetKey(id)));
    const std::vector<Pence> amounts = {
        budget.amount,
        Sum(net, {T::kBudget, T::kPayable, T::kDp, T::kPaid, T::kSpent, T::kExternal, T::kFunding}),
        net[T::kPayable],
        Sum(net, {T::kPaid, T::kDp, T::kSpent}),
        Sum(net, {T::kPaid, T::kSpent}),
        net[T::kBudget],
        net[T::kDp]};
    std::vector<std::string> row = {id, budget.person_id, budget.pot_id,
                                    std::string(NameOf(budget.management, kManagementNames))};
    for (auto& d : Decimals(amounts)) row.push_back(std::move(d));
    row.push_back(budget.first_payment_on ? budget.first_payment_on->ToIso() : "");
    t.rows.push_back(std::move(row));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return t;
}

Result<Table> Providers(const ViewSource& views, Date as_of) {
  Table t;
  t.title = "Providers as of " + as_of.ToIso() + " (GBP)";
  t.columns = {{"provider_id", "Provider", false},
               {"name", "Name", false},
               {"kind", "Kind", false},
               {"size", "Size", false},
               {"community_led", "Community-led", false},
               {"approved", "Approved", false},
               {"invoices", "Invoices", true},
               {"received", "Received", true},
               {"approved_amount", "Approved amount", true},
               {"paid", "Paid", true},
               {"awaiting_approval", "Awaiting approval", true},
               {"awaiting_payment", "Awaiting payment", true}};
  Status s = views.ForEach(RecordPrefix(RecordKind::kProvider), [&](std::string_view key, std::string_view value) -> Status {
    RF_ASSIGN(provider, DecodeRecordText<ProviderRecord>(key, value));
    const std::string id(RecordIdOfKey(RecordKind::kProvider, key));
    const std::string sums_key = RecordKey(RecordKind::kProviderTotals, id);
    RF_ASSIGN(sums_text, views.Get(sums_key));
    ProviderTotalsRecord sums;
    if (sums_text.has_value()) {
      RF_ASSIGN(parsed, DecodeRecordText<ProviderTotalsRecord>(sums_key, *sums_text));
      sums = parsed;
    }
    const Pence received = sums.received, approved = sums.approved, paid = sums.paid;
    std::vector<std::string> row = {id,
                                    provider.name,
                                    provider.kind,
                                    provider.size,
                                    provider.community_led ? "yes" : "no",
                                    provider.approved ? "yes" : "no",
                                    std::to_string(sums.invoices)};
    for (auto& d : Decimals({received, approved, paid, received - approved, approved - paid})) {
      row.push_back(std::move(d));
    }
    t.rows.push_back(std::move(row));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return t;
}

Result<Table> AgedInvoices(const ViewSource& views, Date as_of) {
  Table t;
  t.title = "Unpaid invoices by age as of " + as_of.ToIso() + " (GBP)";
  t.columns = {{"invoice_id", "Invoice", false},
               {"provider_id", "Provider", false},
               {"budget_id", "Budget", false},
               {"amount", "Amount", true},
               {"received_on", "Received", false},
               {"state", "State", false},
               {"days", "Days", true},
               {"band", "Band", false}};
  struct Row {
    int32_t days;
    std::vector<std::string> cells;
  };
  std::vector<Row> rows;
  Pence total;
  Status s = views.ForEach(RecordPrefix(RecordKind::kInvoice), [&](std::string_view key, std::string_view value) -> Status {
    RF_ASSIGN(invoice, DecodeRecordText<InvoiceRecord>(key, value));
    if (invoice.state == InvoiceState::kPaid || invoice.state == InvoiceState::kRejected) return Status::Ok();
    const Date received = invoice.received_on;
    if (received > as_of) return Status::Ok();
    const int32_t days = DaysBetween(received, as_of);
    const char* band = days <= 30 ? "0-30" : days <= 60 ? "31-60" : days <= 90 ? "61-90" : "91+";
    total += invoice.amount;
    rows.push_back({days,
                    {std::string(RecordIdOfKey(RecordKind::kInvoice, key)), invoice.provider_id, invoice.budget_id,
                     invoice.amount.ToDecimal(), received.ToIso(), std::string(ToString(invoice.state)),
                     std::to_string(days), band}});
    return Status::Ok();
  });
  if (!s.ok()) return s;
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.days > b.days; });
  for (auto& r : rows) t.rows.push_back(std::move(r.cells));
  t.total = {"Total", "", "", total.ToDecimal(), "", "", "", ""};
  return t;
}

Result<Table> Balances(const ViewSource& views, Date as_of) {
  Table t;
  t.title = "Trial balance as of " + as_of.ToIso() + " (GBP; positive = the account holds money)";
  t.columns = {{"account", "Account", false}, {"balance", "Balance", true}};
  Pence total;
  Status s = views.ForEach(kBalancePrefix, [&](std::string_view key, std::string_view value) -> Status {
    auto balance = ParseBalanceAmount(value, key);
    if (!balance.ok()) return balance.status();
    total += *balance;
    t.rows.push_back({std::string(AccountOfBalanceKey(key)), balance->ToDecimal()});
    return Status::Ok();
  });
  if (!s.ok()) return s;
  assert(total.is_zero() && "postings sum to zero, so balances do");
  t.total = {"Total", total.ToDecimal()};
  return t;
}

}  // namespace

PotFigures PotFiguresOf(const TypeTotals& net) {
  return {.funded = -net[T::kFunding],
          .allocated = Sum(net, {T::kBudget, T::kPayable, T::kDp, T::kPaid, T::kSpent}),
          .committed = net[T::kPayable],
          .paid = Sum(net, {T::kPaid, T::kDp, T::kSpent}),
          .spent = Sum(net, {T::kPaid, T::kSpent}),
          .unallocated = net[T::kPot],
          .diverted = net[T::kExternal]};
}

Result<ReportKind> ParseReportKind(std::string_view name) {
  if (name == "pots") return ReportKind::kPots;
  if (name == "budgets") return ReportKind::kBudgets;
  if (name == "providers") return ReportKind::kProviders;
  if (name == "aged-invoices") return ReportKind::kAgedInvoices;
  if (name == "balances") return ReportKind::kBalances;
  return Status::InvalidInput("report: \"" + std::string(name.substr(0, 40)) +
                              "\" is not a report (pots, budgets, providers, aged-invoices, balances)");
}

Result<Table> BuildReport(ReportKind kind, const ViewSource& views, Date as_of) {
  switch (kind) {
    case ReportKind::kPots:
      return Pots(views, as_of);
    case ReportKind::kBudgets:
      return Budgets(views, as_of);
    case ReportKind::kProviders:
      return Providers(views, as_of);
    case ReportKind::kAgedInvoices:
      return AgedInvoices(views, as_of);
    case ReportKind::kBalances:
      return Balances(views, as_of);
  }
  assert(false);
  return Status::InvalidInput("unknown report");
}

}  // namespace rf
