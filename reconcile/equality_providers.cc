// The provider half of the equality report (equality.h): providers paid
// in the period by size and by community-led status, with disclosure
// control over the provider counts.

#include <algorithm>
#include <cassert>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "ledger/core/records.h"
#include "reconcile/disclosure.h"
#include "reconcile/equality.h"
#include "reconcile/equality_internal.h"

namespace rf::equality_internal {
namespace {

constexpr std::array<std::string_view, 5> kProviderSizes = {"micro", "small", "medium", "large", "major"};

struct ProviderSet {
  std::string label;
  std::vector<uint32_t> cells;  // size x community-led cells
  Pence spend;
  std::string median_days;  // as shown: "" when none, "[c]" when fewer than the threshold
};

// What the period's payments add to one size x community-led cell (a set's
// figures are its cells' together: each payment is counted once, in its
// provider's cell, not once per set).
struct ProviderCellPaid {
  Pence spend;
  std::vector<int64_t> days;
};

}  // namespace

ProviderPaymentSource IndexedProviderPayments(const ViewSource& views) {
  return [&views](Date year_start, Date as_of, const ProviderPaidFn& fn) -> Status {
    assert(!(as_of < year_start));
    return views.ForEachFrom(ProviderPaymentPrefix(), ProviderPaymentKey(year_start, ""),
                             [&](std::string_view key, std::string_view value) -> Result<bool> {
                               RF_ASSIGN(paid, ParseProviderPayment(key, value));
                               assert(!(paid.run_date < year_start));
                               if (paid.run_date > as_of) return false;  // keys in run date order
                               RF_RETURN_IF_ERROR(fn({.provider_id = paid.provider_id,
                                                      .amount = paid.amount,
                                                      .days_to_pay = paid.days_to_pay}));
                               return true;
                             });
  };
}

Result<std::vector<Table>> ProviderTables(const ViewSource& views, Date as_of, uint64_t threshold,
                                          const ProviderPaymentSource& payments) {
  const Date year_start = EqualityYearStart(as_of);
  std::map<std::string, ProviderRecord, std::less<>> providers;
  RF_RETURN_IF_ERROR(ForEachRecord<ProviderRecord>(views, [&](const ProviderRecord& p) -> Status {
    providers[p.provider_id] = p;
    return Status::Ok();
  }));
  std::vector<std::string> sizes(kProviderSizes.begin(), kProviderSizes.end());
  std::set<std::string> other_sizes;
  for (const auto& [id, p] : providers) {
    if (std::find(sizes.begin(), sizes.end(), p.size) == sizes.end()) other_sizes.insert(p.size);
  }
  sizes.insert(sizes.end(), other_sizes.begin(), other_sizes.end());
  auto cell_of = [&](const ProviderRecord& p) {
    const size_t s = static_cast<size_t>(std::find(sizes.begin(), sizes.end(), p.size) - sizes.begin());
    return static_cast<uint32_t>(s * 2 + (p.community_led ? 0 : 1));
  };
  std::vector<ProviderSet> sets;
  for (size_t s = 0; s < sizes.size(); ++s) {
    sets.push_back({.label = sizes[s], .cells = {static_cast<uint32_t>(s * 2), static_cast<uint32_t>(s * 2 + 1)},
                    .spend = Pence(), .median_days = ""});
  }
  const size_t led_sets = sets.size();
  for (uint32_t led = 0; led < 2; ++led) {
    ProviderSet set{.label = led == 0 ? "yes" : "no", .cells = {}, .spend = Pence(), .median_days = ""};
    for (uint32_t s = 0; s < sizes.size(); ++s) set.cells.push_back(s * 2 + led);
    sets.push_back(std::move(set));
  }
  const size_t grand = sets.size();
  sets.push_back({.label = "Total", .cells = {}, .spend = Pence(), .median_days = ""});
  for (uint32_t c = 0; c < sizes.size() * 2; ++c) sets[grand].cells.push_back(c);
  // Each provider's cell, and whether it was paid in the period (looked up
  // once per payment: hashed).
  std::unordered_map<std::string_view, std::pair<uint32_t, bool>> cell_paid;
  cell_paid.reserve(providers.size());
  for (const auto& [id, p] : providers) cell_paid.emplace(id, std::make_pair(cell_of(p), false));
  std::vector<ProviderCellPaid> cells_paid(sizes.size() * 2);
  RF_RETURN_IF_ERROR(payments(year_start, as_of, [&](const ProviderPaid& pay) -> Status {
    auto provider = cell_paid.find(pay.provider_id);
    if (provider == cell_paid.end()) {
      // The rules refuse a payment to a provider not recorded.
      return Status::Tampered("invoice payment to provider " + std::string(pay.provider_id) +
                              ", which is not recorded");
    }
    provider->second.second = true;
    ProviderCellPaid& cell = cells_paid[provider->second.first];
    cell.spend += pay.amount;
    cell.days.push_back(pay.days_to_pay);
    return Status::Ok();
  }));
  // Each set's figures from its cells', one set's days held at a time.
  for (ProviderSet& set : sets) {
    std::vector<int64_t> days;
    size_t count = 0;
    for (const uint32_t c : set.cells) count += cells_paid[c].days.size();
    days.reserve(count);
    for (const uint32_t c : set.cells) {
      set.spend += cells_paid[c].spend;
      days.insert(days.end(), cells_paid[c].days.begin(), cells_paid[c].days.end());
    }
    set.median_days = days.empty() ? "" : days.size() < threshold ? "[c]" : MedianDaysText(std::move(days));
  }
  cells_paid.clear();
  DisclosureProblem problem{.cell_counts = std::vector<uint64_t>(sizes.size() * 2, 0), .figures = {},
                            .threshold = threshold};
  for (const auto& [id, cell] : cell_paid) {
    if (cell.second) ++problem.cell_counts[cell.first];
  }
  for (const ProviderSet& s : sets) problem.figures.push_back({.cells = s.cells, .shown = true});
  for (uint32_t c = 0; c < sizes.size() * 2; ++c) problem.figures.push_back({.cells = {c}, .shown = false});
  RF_ASSIGN(disclosed, SuppressFigures(problem));

  RF_ASSIGN(total_pence, sets[grand].spend.ToInt64());
  auto row_of = [&](size_t s) {
    const bool shown = disclosed.status[s] == FigureStatus::kShown;
    std::vector<std::string> row = {sets[s].label, FigureText(disclosed, s, threshold)};
    if (!shown) {
      row.insert(row.end(), {"[c]", "[c]", "[c]"});
      return row;
    }
    const int64_t pence = *sets[s].spend.ToInt64();
    row.push_back(sets[s].spend.ToDecimal());
    row.push_back(total_pence <= 0 || pence < 0 ? ""
                                                : PercentOneDecimal(static_cast<uint64_t>(pence),
                                                                    static_cast<uint64_t>(total_pence)));
    row.push_back(sets[s].median_days);
    return row;
  };
  const std::string period = year_start.ToIso() + " to " + as_of.ToIso();
  const std::string note =
      "Providers: paid for an invoice in the period (payments the bank returned left out). Spend in GBP; "
      "days to pay: from the invoice's received date to the payment run that paid it.";
  std::vector<Table> tables;
  auto table = [&](std::string title, TableColumn label, size_t from, size_t to) {
    Table t{.title = std::move(title),
            .columns = {std::move(label),
                        {"providers", "Providers", true},
                        {"spend", "Invoice spend", true},
                        {"spend_pct", "Spend %", true},
                        {"median_days_to_pay", "Median days to pay", true}},
            .rows = {},
            .total = row_of(grand),
            .notes = {note}};
    if (tables.empty()) t.notes.push_back(kEqualityLegend);  // once per report part
    for (size_t s = from; s < to; ++s) t.rows.push_back(row_of(s));
    tables.push_back(std::move(t));
  };
  table("Provider diversity by size, " + period, {"size", "Size", false}, 0, led_sets);
  table("Provider diversity by community-led status, " + period, {"community_led", "Community-led", false}, led_sets,
        grand);
  return tables;
}

}  // namespace rf::equality_internal
