#include "reconcile/equality.h"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cassert>
#include <map>
#include <set>
#include <string>

#include "ledger/core/config.h"
#include "ledger/core/equality_facts.h"
#include "ledger/core/match_facts.h"
#include "ledger/core/records.h"
#include "reconcile/disclosure.h"
#include "reconcile/equality_internal.h"

namespace rf {
namespace equality_internal {

Date EqualityYearStart(Date as_of) {
  const int year = as_of.month() >= 4 ? as_of.year() : as_of.year() - 1;
  auto start = Date::Parse(std::to_string(year) + "-04-01", "as_of");
  assert(start.ok());
  return *start;
}

const char* const kEqualityLegend =
    "<N: from 1 to N-1 people (or providers), not shown. [c]: hidden so that no small count can be worked out "
    "from the totals and the other tables of this report (or derived from a hidden group). Zero counts are shown. "
    "Percents: of the group, rounded half up to one decimal. Medians: the middle value; of an even number, the "
    "mean of the middle two (pence rounded half up); a median of fewer than N values is hidden.";

std::string FigureText(const DisclosureResult& r, size_t figure, uint64_t threshold) {
  assert(figure < r.status.size() && r.status.size() == r.values.size());
  const FigureStatus s = r.status[figure];
  if (s == FigureStatus::kShown) return std::to_string(r.values[figure]);
  return SuppressedText(s, threshold);
}

}  // namespace equality_internal

namespace {

using equality_internal::EqualityYearStart;
using equality_internal::FigureText;
using equality_internal::kEqualityLegend;


// The flags that count as "an underspend or delay flag".
constexpr std::array<std::string_view, 4> kEqualityFlagCodes = {"UNDERSPEND_BUDGET", "DELAY_FIRST_PAYMENT",
                                                               "DELAY_INVOICE", "DELAY_DP_MISSED"};
constexpr std::array<std::string_view, 8> kAgeBands = {"0-17",  "18-24", "25-34", "35-44",
                                                       "45-54", "55-64", "65-74", "75+"};
constexpr std::array<std::string_view, 4> kSexes = {"female", "male", "other", "unknown"};
constexpr size_t kGroups = kEthnicGroups.size();

// Interior cells of a block (group x level): on DP x flagged.
constexpr size_t kBlockCells = 4;
enum CellKind : uint32_t { kNotDpNotFlagged = 0, kNotDpFlagged = 1, kDpNotFlagged = 2, kDpFlagged = 3 };
// Figures of each set of blocks: shown people, on DP, flagged; hidden
// complements a reader can compute.
enum Measure : size_t { kPeople = 0, kOnDp = 1, kFlagged = 2, kNotDp = 3, kNotFlagged = 4, kMeasures = 5 };
constexpr std::array<std::array<uint32_t, 4>, kMeasures> kMeasureCells = {{
    {kNotDpNotFlagged, kNotDpFlagged, kDpNotFlagged, kDpFlagged},
    {kDpNotFlagged, kDpFlagged, 0, 0},
    {kNotDpFlagged, kDpFlagged, 0, 0},
    {kNotDpNotFlagged, kNotDpFlagged, 0, 0},
    {kNotDpNotFlagged, kDpNotFlagged, 0, 0},
}};
constexpr std::array<size_t, kMeasures> kMeasureCellCount = {4, 2, 2, 2, 2};

struct PersonFacts {
  size_t group = kGroups - 1;
  std::string level;
  bool counted = false, on_dp = false, flagged = false;
  int64_t allocation_pence = 0;
  Date first_approved;  // of the first budget counted: the earliest approved, then the least budget id
  std::optional<int64_t> days_to_first_payment;
};

Result<uint64_t> Threshold(const ViewSource& views, Date as_of, const EqualityOptions& options) {
  if (options.threshold) {
    if (*options.threshold == 0) return Status::InvalidInput("the suppression threshold must be at least 1");
    return *options.threshold;
  }
  RF_ASSIGN(text, SettingAsOf(views, kEqualitySuppressSetting, as_of));
  if (!text) return kDisclosureThresholdDefault;
  // The rules refuse a config.set that fails this (1..100000), so a stored
  // value that does not is an altered store.
  if (Status valid = ValidateConfig(kEqualitySuppressSetting, *text); !valid.ok()) {
    return Status::Tampered("view of " + std::string(kEqualitySuppressSetting) + ": " + valid.message());
  }
  const uint64_t value = std::stoull(*text);
  assert(value >= 1 && value <= 100000);
  return value;
}

// The person record's member a breakdown reads; "" for none.
std::string_view LevelMember(EqualityBy by) {
  return by == EqualityBy::kAgeBand ? "age_band"
         : by == EqualityBy::kSex   ? "sex"
         : by == EqualityBy::kLocality ? "locality"
                                       : "";
}

// The budget a flag's entity names: "budget:B", "instalment:B/<date>", or
// "invoice:I" (the invoice's budget); "" for anything else.
Result<std::string> FlaggedBudget(const ViewSource& views, std::string_view entity) {
  if (entity.starts_with("budget:")) return std::string(entity.substr(7));
  if (entity.starts_with("instalment:")) {
    const std::string_view rest = entity.substr(11);
    const size_t slash = rest.rfind('/');
    return std::string(slash == std::string_view::npos ? rest : rest.substr(0, slash));
  }
  if (entity.starts_with("invoice:")) {
    // Only its budget is read: the invoice decoded partially (match_facts.h),
    // from the stored text in place (200,000 flagged invoices nationally).
    const std::string key = RecordKey(RecordKind::kInvoice, entity.substr(8));
    std::string budget_id;
    RF_RETURN_IF_ERROR(views.Read(key, [&](std::optional<std::string_view> text) -> Status {
      if (!text) return Status::Ok();
      RF_ASSIGN(invoice, DecodeInvoiceFlagFacts(key, *text));
      budget_id = std::move(invoice.budget_id);
      return Status::Ok();
    }));
    return budget_id;
  }
  return std::string();
}

// Everyone the period counts, in no particular order.
// Reads every person and every budget once (each decoded only for the
// members used: PersonEqualityFacts, BudgetEqualityFacts), and the flag
// records of the four codes only (flagstate/<code>/..., a flag id begins
// with its code; each decoded for state, month and entity only:
// FlagLifeEqualityFacts).
// Memory: one PersonFacts per person and one budget id per counted budget.
Result<std::vector<PersonFacts>> ReadPeople(const ViewSource& views, Date as_of, EqualityBy by) {
  const Date year_start = EqualityYearStart(as_of);
  // In key order, so in person id order: found by binary search.
  std::vector<std::pair<std::string, PersonFacts>> people;
  const std::string_view level_member = LevelMember(by);
  RF_RETURN_IF_ERROR(views.ForEach(RecordPrefix(RecordKind::kPerson),
                                   [&](std::string_view key, std::string_view text) -> Status {
    RF_ASSIGN(p, DecodePersonEqualityFacts(key, text, level_member));
    const std::string_view group = EthnicGroupOf(p.ethnic_category);
    const size_t g = static_cast<size_t>(std::find(kEthnicGroups.begin(), kEthnicGroups.end(), group) -
                                         kEthnicGroups.begin());
    assert(g < kGroups);
    assert(people.empty() || people.back().first < p.person_id);
    PersonFacts facts;
    facts.group = g;
    facts.level = by != EqualityBy::kNone && p.level.empty() ? "not stated" : std::move(p.level);
    people.emplace_back(std::move(p.person_id), std::move(facts));
    return Status::Ok();
  }));
  // Budgets for a person never loaded: counted, group not known (node
  // addresses are stable, as the vector's are once filled).
  std::map<std::string, PersonFacts, std::less<>> unloaded;
  auto person = [&](std::string_view id) -> PersonFacts& {
    auto it = std::lower_bound(people.begin(), people.end(), id,
                               [](const auto& entry, std::string_view want) { return entry.first < want; });
    if (it != people.end() && it->first == id) return it->second;
    auto found = unloaded.find(id);
    if (found == unloaded.end()) {
      found = unloaded.emplace(std::string(id), PersonFacts()).first;
      found->second.level = by == EqualityBy::kNone ? "" : "not stated";
    }
    return found->second;
  };
  // The counted budgets' holders, in budget id order (for the flags).
  std::vector<std::pair<std::string, PersonFacts*>> person_of_budget;
  RF_RETURN_IF_ERROR(views.ForEach(RecordPrefix(RecordKind::kBudget),
                                   [&](std::string_view key, std::string_view text) -> Status {
    RF_ASSIGN(b, DecodeBudgetEqualityFacts(key, text));
    if (b.approved_on > as_of || b.end_date < year_start) return Status::Ok();
    if (b.ended_on && *b.ended_on < year_start) return Status::Ok();
    PersonFacts& p = person(b.person_id);
    RF_ASSIGN(pence, b.amount.ToInt64());
    // Budgets come in budget id order (asserted below), so of two approved
    // the same day the one counted first has the lesser id.
    const bool first = !p.counted || b.approved_on < p.first_approved;
    p.counted = true;
    p.on_dp = p.on_dp || b.management == Management::kDirectPayment;
    p.allocation_pence += pence;
    if (first) {
      p.first_approved = b.approved_on;
      p.days_to_first_payment.reset();
      if (b.first_payment_on && *b.first_payment_on <= as_of) {
        p.days_to_first_payment = DaysBetween(b.approved_on, *b.first_payment_on);
      }
    }
    assert(person_of_budget.empty() || person_of_budget.back().first < b.budget_id);
    person_of_budget.emplace_back(std::move(b.budget_id), &p);
    return Status::Ok();
  }));
  const Month as_of_month{.year = as_of.year(), .month = as_of.month()};
  for (const std::string_view code : kEqualityFlagCodes) {
    const std::string prefix = RecordKey(RecordKind::kFlagLife, std::string(code) + "/");
    RF_RETURN_IF_ERROR(views.ForEach(prefix, [&](std::string_view key, std::string_view text) -> Status {
      RF_ASSIGN(f, DecodeFlagLifeEqualityFacts(key, text));
      assert(f.code == code);
      if (f.state == FlagState::kResolved || f.first_month > as_of_month) return Status::Ok();
      RF_ASSIGN(budget, FlaggedBudget(views, f.entity));
      auto it = std::lower_bound(person_of_budget.begin(), person_of_budget.end(), budget,
                                 [](const auto& entry, const std::string& want) { return entry.first < want; });
      if (it != person_of_budget.end() && it->first == budget) it->second->flagged = true;
      return Status::Ok();
    }));
  }
  std::vector<PersonFacts> counted;
  for (auto& [id, p] : people) {
    if (p.counted) counted.push_back(std::move(p));
  }
  for (auto& [id, p] : unloaded) {
    assert(p.counted);
    counted.push_back(std::move(p));
  }
  return counted;
}

std::vector<std::string> Levels(const std::vector<PersonFacts>& people, EqualityBy by) {
  std::vector<std::string> levels;
  if (by == EqualityBy::kNone) return {""};
  if (by == EqualityBy::kAgeBand) levels.assign(kAgeBands.begin(), kAgeBands.end());
  if (by == EqualityBy::kSex) levels.assign(kSexes.begin(), kSexes.end());
  std::set<std::string> others;
  for (const PersonFacts& p : people) {
    if (std::find(levels.begin(), levels.end(), p.level) == levels.end()) others.insert(p.level);
  }
  levels.insert(levels.end(), others.begin(), others.end());
  return levels;
}

std::string_view ByHeading(EqualityBy by) {
  return by == EqualityBy::kAgeBand ? "Age band" : by == EqualityBy::kSex ? "Sex" : "Locality";
}
std::string_view ByWord(EqualityBy by) {
  return by == EqualityBy::kAgeBand ? "age band" : by == EqualityBy::kSex ? "sex" : "locality";
}
std::string_view ById(EqualityBy by) {
  return by == EqualityBy::kAgeBand ? "age_band" : by == EqualityBy::kSex ? "sex" : "locality";
}

// One row of a people table: a set of blocks and what its people hold.
struct PeopleSet {
  std::vector<std::string> labels;
  std::vector<size_t> blocks;
  std::vector<int64_t> allocations_pence, days;
};

Result<std::vector<Table>> PeopleTables(const ViewSource& views, Date as_of, const EqualityOptions& options,
                                        uint64_t threshold) {
  RF_ASSIGN(people, ReadPeople(views, as_of, options.by));
  const std::vector<std::string> levels = Levels(people, options.by);
  const size_t level_count = levels.size(), blocks = kGroups * level_count;
  // Figures: kMeasures per set (groups, levels, blocks, grand total; fewer
  // without a breakdown) plus one per cell; both within the disclosure bounds.
  auto figures_for = [](size_t levels_n) {
    const size_t sets_n = kGroups + 1 + levels_n + kGroups * levels_n;
    return sets_n * kMeasures + kGroups * levels_n * kBlockCells;
  };
  if (blocks * kBlockCells > kDisclosureCellsMax || figures_for(level_count) > kDisclosureFiguresMax) {
    size_t levels_max = 1;
    while (kGroups * (levels_max + 1) * kBlockCells <= kDisclosureCellsMax &&
           figures_for(levels_max + 1) <= kDisclosureFiguresMax) {
      ++levels_max;
    }
    return Status::InvalidInput("equality: " + std::to_string(level_count) + " " + std::string(ById(options.by)) +
                                " values are too many to protect small counts (at most " +
                                std::to_string(levels_max) + ")");
  }
  // The sets of blocks the report shows, in table order.
  std::vector<PeopleSet> sets;
  for (size_t g = 0; g < kGroups; ++g) {
    PeopleSet s{.labels = {std::string(kEthnicGroups[g])}, .blocks = {}, .allocations_pence = {}, .days = {}};
    for (size_t l = 0; l < level_count; ++l) s.blocks.push_back(g * level_count + l);
    sets.push_back(std::move(s));
  }
  const size_t level_sets = sets.size();
  if (options.by != EqualityBy::kNone) {
    for (size_t l = 0; l < level_count; ++l) {
      PeopleSet s{.labels = {levels[l]}, .blocks = {}, .allocations_pence = {}, .days = {}};
      for (size_t g = 0; g < kGroups; ++g) s.blocks.push_back(g * level_count + l);
      sets.push_back(std::move(s));
    }
  }
  const size_t block_sets = sets.size();
  if (options.by != EqualityBy::kNone) {
    for (size_t g = 0; g < kGroups; ++g) {
      for (size_t l = 0; l < level_count; ++l) {
        sets.push_back({.labels = {std::string(kEthnicGroups[g]), levels[l]},
                        .blocks = {g * level_count + l},
                        .allocations_pence = {},
                        .days = {}});
      }
    }
  }
  const size_t grand = sets.size();
  sets.push_back({.labels = {"Total"}, .blocks = {}, .allocations_pence = {}, .days = {}});
  for (size_t b = 0; b < blocks; ++b) sets[grand].blocks.push_back(b);

  DisclosureProblem problem{.cell_counts = std::vector<uint64_t>(blocks * kBlockCells, 0), .figures = {},
                            .threshold = threshold};
  std::vector<std::vector<size_t>> sets_of_block(blocks);
  for (size_t s = 0; s < sets.size(); ++s) {
    for (const size_t b : sets[s].blocks) sets_of_block[b].push_back(s);
  }
  for (const PersonFacts& p : people) {
    const size_t l = static_cast<size_t>(std::find(levels.begin(), levels.end(), p.level) - levels.begin());
    assert(l < level_count);
    const size_t block = p.group * level_count + l;
    const uint32_t kind = (p.on_dp ? 2u : 0u) + (p.flagged ? 1u : 0u);
    ++problem.cell_counts[block * kBlockCells + kind];
    for (const size_t s : sets_of_block[block]) {
      sets[s].allocations_pence.push_back(p.allocation_pence);
      if (p.days_to_first_payment) sets[s].days.push_back(*p.days_to_first_payment);
    }
  }
  for (const PeopleSet& s : sets) {
    for (size_t m = 0; m < kMeasures; ++m) {
      DisclosureFigure f{.cells = {}, .shown = m < kNotDp};
      for (const size_t b : s.blocks) {
        for (size_t k = 0; k < kMeasureCellCount[m]; ++k) {
          f.cells.push_back(static_cast<uint32_t>(b * kBlockCells + kMeasureCells[m][k]));
        }
      }
      problem.figures.push_back(std::move(f));
    }
  }
  for (uint32_t c = 0; c < blocks * kBlockCells; ++c) problem.figures.push_back({.cells = {c}, .shown = false});
  RF_ASSIGN(disclosed, SuppressFigures(problem));

  auto row_of = [&](size_t s) {
    const size_t base = s * kMeasures;
    const bool people_shown = disclosed.status[base + kPeople] == FigureStatus::kShown;
    const uint64_t count = disclosed.values[base + kPeople];
    auto share = [&](Measure m) -> std::string {
      if (!people_shown || disclosed.status[base + m] != FigureStatus::kShown) return "[c]";
      return PercentOneDecimal(disclosed.values[base + m], count);
    };
    std::vector<std::string> row = sets[s].labels;
    row.push_back(FigureText(disclosed, base + kPeople, threshold));
    row.push_back(FigureText(disclosed, base + kOnDp, threshold));
    row.push_back(share(kOnDp));
    row.push_back(people_shown ? MedianPenceText(sets[s].allocations_pence) : "[c]");
    const auto& days = sets[s].days;
    row.push_back(!people_shown ? "[c]"
                  : days.empty() ? ""
                  : days.size() < threshold ? "[c]"
                                            : MedianDaysText(days));
    row.push_back(FigureText(disclosed, base + kFlagged, threshold));
    row.push_back(share(kFlagged));
    return row;
  };
  const std::vector<TableColumn> measures = {
      {"people", "People", true},
      {"on_dp", "On DP", true},
      {"on_dp_pct", "On DP %", true},
      {"median_allocation", "Median allocation", true},
      {"median_days_to_first_payment", "Median days to 1st payment", true},
      {"flagged", "Flagged", true},
      {"flagged_pct", "Flagged %", true},
  };
  const std::string period = EqualityYearStart(as_of).ToIso() + " to " + as_of.ToIso();
  const std::string flags_note =
      "Flagged: an unresolved UNDERSPEND_BUDGET, DELAY_FIRST_PAYMENT, DELAY_INVOICE or DELAY_DP_MISSED flag on "
      "any of the person's budgets. People: with a budget approved by " + as_of.ToIso() +
      " and not ended before " + EqualityYearStart(as_of).ToIso() + ". Allocation in GBP.";
  std::vector<Table> tables;
  auto table = [&](std::string title, std::vector<TableColumn> label_columns, size_t from, size_t to) {
    Table t{.title = std::move(title), .columns = std::move(label_columns), .rows = {}, .total = {}, .notes = {}};
    t.columns.insert(t.columns.end(), measures.begin(), measures.end());
    for (size_t s = from; s < to; ++s) t.rows.push_back(row_of(s));
    t.total = row_of(grand);
    while (t.total.size() < t.columns.size()) t.total.insert(t.total.begin() + 1, "");
    t.notes = {flags_note};
    if (tables.empty()) t.notes.push_back(kEqualityLegend);  // once per report part
    tables.push_back(std::move(t));
  };
  table("Equality: people with a personal health budget by ethnic group, " + period, {{"ethnic_group", "Ethnic group", false}},
        0, level_sets);
  if (options.by != EqualityBy::kNone) {
    const std::string heading(ByHeading(options.by)), by_word(ByWord(options.by));
    table("Equality: people with a personal health budget by " + by_word + ", " + period,
          {{std::string(ById(options.by)), heading, false}}, level_sets, block_sets);
    table("Equality: people with a personal health budget by ethnic group and " + by_word + ", " + period,
          {{"ethnic_group", "Ethnic group", false}, {std::string(ById(options.by)), heading, false}}, block_sets,
          grand);
  }
  assert(tables.size() == (options.by == EqualityBy::kNone ? 1u : 3u));
  return tables;
}

}  // namespace

Result<EqualityBy> ParseEqualityBy(std::string_view text) {
  if (text.empty() || text == "none") return EqualityBy::kNone;
  if (text == "age-band") return EqualityBy::kAgeBand;
  if (text == "sex") return EqualityBy::kSex;
  if (text == "locality") return EqualityBy::kLocality;
  return Status::InvalidInput("--by: \"" + std::string(text.substr(0, 40)) +
                              "\" is not a breakdown (age-band, sex, locality)");
}

std::string_view EthnicGroupOf(std::string_view code) {
  if (code.size() != 1) return kEthnicGroups[5];
  const char c = static_cast<char>(code[0] >= 'a' && code[0] <= 'z' ? code[0] - 'a' + 'A' : code[0]);
  switch (c) {
    case 'A': case 'B': case 'C':
      return kEthnicGroups[0];
    case 'D': case 'E': case 'F': case 'G':
      return kEthnicGroups[1];
    case 'H': case 'J': case 'K': case 'L':
      return kEthnicGroups[2];
    case 'M': case 'N': case 'P':
      return kEthnicGroups[3];
    case 'R': case 'S':
      return kEthnicGroups[4];
    default:
      return kEthnicGroups[5];
  }
}

std::string PercentOneDecimal(uint64_t num, uint64_t den) {
  if (den == 0) return "";
  assert(num <= den);
  using boost::multiprecision::cpp_int;
  // tenths of a percent, half up: floor((num * 1000 * 2 + den) / (2 * den)).
  const cpp_int tenths = (cpp_int(num) * 2000 + den) / (cpp_int(den) * 2);
  assert(tenths <= 1000);
  const auto t = tenths.convert_to<uint64_t>();
  return std::to_string(t / 10) + "." + std::to_string(t % 10);
}

std::string MedianPenceText(std::vector<int64_t> pence) {
  if (pence.empty()) return "";
  std::sort(pence.begin(), pence.end());
  using boost::multiprecision::cpp_int;
  const size_t n = pence.size();
  const cpp_int twice = n % 2 == 1 ? cpp_int(pence[n / 2]) * 2 : cpp_int(pence[n / 2 - 1]) + pence[n / 2];
  // half up: floor((twice + 1) / 2), for either sign (cpp_int divides toward zero).
  const cpp_int sum = twice + 1;
  const cpp_int median = sum >= 0 ? cpp_int(sum / 2) : cpp_int(-((-sum + 1) / 2));
  return Pence::FromPence(median.convert_to<int64_t>()).ToDecimal();
}

std::string MedianDaysText(std::vector<int64_t> days) {
  if (days.empty()) return "";
  std::sort(days.begin(), days.end());
  const size_t n = days.size();
  if (n % 2 == 1) return std::to_string(days[n / 2]);
  const int64_t twice = days[n / 2 - 1] + days[n / 2];
  if (twice % 2 == 0) return std::to_string(twice / 2);
  // x.5: the sign goes on the whole ("-0.5").
  const int64_t whole = twice / 2;  // truncates toward zero
  return (twice < 0 && whole == 0 ? "-0" : std::to_string(whole)) + ".5";
}

Result<std::vector<Table>> BuildEqualityTables(const ViewSource& views, Date as_of, const EqualityOptions& options) {
  // A ledger whose views lack the provider payments index must not read as
  // one that paid no provider.
  RF_RETURN_IF_ERROR(RequireMonthIndexes(views));
  RF_ASSIGN(threshold, Threshold(views, as_of, options));
  RF_ASSIGN(tables, PeopleTables(views, as_of, options, threshold));
  RF_ASSIGN(provider_tables, equality_internal::ProviderTables(views, as_of, threshold,
                                                               equality_internal::IndexedProviderPayments(views)));
  for (auto& t : provider_tables) tables.push_back(std::move(t));
  return tables;
}

}  // namespace rf
