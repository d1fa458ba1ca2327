// The ICB's people, budgets and providers, each drawn from (seed, index)
// alone (sim_world.h), and the calendar the simulated year runs on.
#include <algorithm>
#include <cassert>
#include <cstdio>

#include "tools/sim/sim_world.h"

namespace rf::sim {
namespace {

Date Day(const char* iso) { return *Date::Parse(iso, "date"); }
const Date kYearStart = Day("2026-04-01");
const Date kYearEnd = Day("2027-03-31");

const char* kEthnic[] = {"A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99"};
// Roughly an English ICB's adult mix (per mille-ish weights).
const uint32_t kEthnicWeights[] = {700, 30, 60, 12, 6, 10, 10, 32, 28, 10, 15, 22, 26, 10, 7, 17, 35, 10};
const char* kAgeBands[] = {"0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"};
const uint32_t kAgeWeights[] = {20, 90, 200, 220, 200, 150, 80, 40};
const char* kSexes[] = {"female", "male", "other", "unknown"};
const uint32_t kSexWeights[] = {480, 495, 10, 15};
const char* kLocalities[] = {"Northfield", "Riverside", "Eastgate", "Westmoor", "Hillside", "Central"};
const uint32_t kLocalityWeights[] = {20, 18, 15, 14, 13, 20};
const char* kPlaces[] = {"Riverside", "Northfield", "Eastgate",  "Westmoor",  "Hillside", "Canal Street",
                         "Parkview",  "Old Town",   "Millbrook", "Greenside", "Harbour",  "Moorland"};
const char* kThemes[] = {"Peer Support",      "Arts Collective", "Wellbeing Hub", "Recovery College",
                         "Allotment Project", "Walking Group",   "Womens Circle", "Men in Sheds",
                         "Music Therapy",     "Sports Trust",    "Mind Matters",  "Befriending"};
const char* kBanks[] = {"BUKB", "NWBK", "LOYD", "HBUK", "MIDL", "BARC"};

// SplitMix64's finaliser: a well-mixed 64-bit value from any input.
uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Independent streams: providers and people, one per index.
enum : uint64_t { kStreamProviders = 1, kStreamPeople = 2 };
SimRandom IndexRandom(uint64_t seed, uint64_t stream, uint64_t index) {
  return SimRandom(Mix64(Mix64(seed * 0x2545F4914F6CDD1DULL + 19 + stream * 0x9E3779B97F4A7C15ULL) + index));
}
}  // namespace

std::string SimPadded(const char* prefix, uint64_t n, int width) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%0*llu", prefix, width, static_cast<unsigned long long>(n));
  return buf;
}

std::string FormatPence(int64_t pence) {
  char buf[48];
  const int64_t a = pence < 0 ? -pence : pence;
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", pence < 0 ? "-" : "", static_cast<long long>(a / 100),
                static_cast<long long>(a % 100));
  return buf;
}

std::string MakeGbIban(const std::string& bank, uint64_t digits14) {
  const std::string bban = bank + SimPadded("", digits14 % 100'000'000'000'000ULL, 14);
  // Rearranged: BBAN + "GB00", letters as 10..35, mod 97.
  uint32_t rem = 0;
  for (char c : bban + "GB00") {
    if (c >= 'A' && c <= 'Z') {
      const int v = c - 'A' + 10;
      rem = (rem * 100 + static_cast<uint32_t>(v)) % 97;
    } else {
      rem = (rem * 10 + static_cast<uint32_t>(c - '0')) % 97;
    }
  }
  return "GB" + SimPadded("", 98 - rem, 2) + bban;
}

Month SimMonth(int index) {
  const int m = 3 + index;  // 0-based from January 2026
  return Month{2026 + m / 12, static_cast<unsigned>(m % 12 + 1)};
}

std::vector<Date> RunDates(int index) {
  const Month m = SimMonth(index);
  std::vector<Date> out;
  for (Date d = m.first_day(); d <= m.last_day(); d = d.AddDays(1)) {
    if (d == m.first_day() || d.iso_weekday() == 5) out.push_back(d);
  }
  return out;
}

Date FirstRunOnOrAfter(Date d) {
  Date friday = d;
  while (friday.iso_weekday() != 5) friday = friday.AddDays(1);
  if (d.day() == 1) return d;
  const Date next_first = Month{d.year(), d.month()}.last_day().AddDays(1);
  return std::min(friday, next_first);
}

uint64_t SimProviderCount(const SimParams& params) { return std::max<uint64_t>(40, params.people / 8); }

SimProvider DrawProvider(const SimParams& params, uint64_t i) {
  SimRandom random = IndexRandom(params.seed, kStreamProviders, i);
  // The first three are new micro VCSE organisations whose approval has not
  // come through (UNAPPROVED_PROVIDER when they invoice).
  SimProvider p;
  p.id = SimPadded("V-", i + 1, 5);
  const char* place = kPlaces[random.Below(std::size(kPlaces))];
  const char* theme = kThemes[random.Below(std::size(kThemes))];
  static const uint32_t kKindWeights[] = {30, 20, 10, 10, 5, 25};
  const size_t kind = i < 3 ? 0 : random.Weighted(kKindWeights);
  switch (kind) {
    case 0:
      p.kind = "vcse", p.size = "micro", p.community_led = true;
      p.name = std::string(place) + " " + theme + " CIC";
      break;
    case 1:
      p.kind = "vcse", p.size = "small", p.community_led = random.Chance(700);
      p.name = std::string(place) + " " + theme;
      break;
    case 2:
      p.kind = "vcse", p.size = "medium", p.name = std::string(place) + " " + theme + " Trust";
      break;
    case 3:
      p.kind = "private", p.size = "large", p.name = std::string(place) + " Care Services Ltd";
      break;
    case 4:
      p.kind = "nhs", p.size = "major", p.name = std::string(place) + " NHS Foundation Trust";
      break;
    default:
      p.kind = "personal-assistant", p.size = "micro", p.name = "Personal assistant " + p.id;
      break;
  }
  p.approved = i >= 3;
  p.iban = MakeGbIban(kBanks[random.Below(std::size(kBanks))], random.Next());
  return p;
}

std::optional<SimBudget> DrawPersonAndBudget(const SimParams& params, uint64_t i, SimPerson* person) {
  static const std::string kTpOrgs[] = {MakeGbIban("NWBK", 60161331926819ULL), MakeGbIban("LOYD", 30963312345678ULL),
                                        MakeGbIban("BARC", 20000055779911ULL)};
  SimRandom random = IndexRandom(params.seed, kStreamPeople, i);
  person->id = SimPadded("P-", i + 1, 6);
  person->ethnic_category = kEthnic[random.Weighted(kEthnicWeights)];
  person->age_band = kAgeBands[random.Weighted(kAgeWeights)];
  person->sex = kSexes[random.Weighted(kSexWeights)];
  person->locality = kLocalities[random.Weighted(kLocalityWeights)];
  person->s117 = random.Chance(350);

  const int join = random.Chance(750) ? 0 : static_cast<int>(random.Between(1, 11));
  static const uint32_t kManagementWeights[] = {45, 15, 40};
  const auto management = static_cast<SimManagement>(random.Weighted(kManagementWeights));
  const int64_t annual_pounds = management == SimManagement::kDirect       ? random.Between(8'000, 30'000)
                                : management == SimManagement::kThirdParty ? random.Between(10'000, 40'000)
                                                                           : random.Between(2'000, 12'000);
  const int spend_pct = static_cast<int>(random.Between(75, 95));
  // Up to 95%: the slack pays the odd extra invoice (entered late) in March.
  const int invoice_pct = static_cast<int>(random.Between(80, 95));
  const bool monthly = random.Chance(700);
  const uint64_t iban_digits = random.Next();
  const uint64_t pick = random.Next();
  if (join >= params.months) return std::nullopt;  // joins after the simulated months
  SimBudget b;
  b.id = SimPadded("B-", i + 1, 6);
  b.person = static_cast<size_t>(i);
  b.pot_id = person->s117 ? "S117-2627" : "PHB-MH-2627";
  b.management = management;
  b.join_month = join;
  std::vector<Date> runs = RunDates(join);
  // Four-weekly instalments fall on the start's weekday: a Friday, a run day.
  if (management != SimManagement::kNotional && !monthly) {
    std::erase_if(runs, [](Date d) { return d.iso_weekday() != 5; });
  }
  b.first_run = runs[pick % runs.size()];
  b.start = b.first_run;
  if (management == SimManagement::kNotional)
    b.start = std::max(kYearStart, b.first_run.AddDays(-static_cast<int32_t>(pick % 3)));
  b.approved_on = std::max(kYearStart, b.start.AddDays(-static_cast<int32_t>((pick >> 8) % 8)));
  b.end = kYearEnd;
  const int64_t days = DaysBetween(b.start, b.end) + 1;
  b.amount_pence = (annual_pounds * (person->s117 ? 3 : 2) / 2) * days / 365 * 100;
  b.frequency = management == SimManagement::kNotional ? "none" : monthly ? "monthly" : "four-weekly";
  if (management == SimManagement::kDirect)
    b.payee_ref = MakeGbIban(kBanks[iban_digits % std::size(kBanks)], iban_digits);
  if (management == SimManagement::kThirdParty) b.payee_ref = kTpOrgs[iban_digits % std::size(kTpOrgs)];
  // Notional budgets are invoiced by one approved provider.
  b.provider = 3 + (pick >> 16) % (SimProviderCount(params) - 3);
  b.invoice_pct = invoice_pct;
  b.spend_pct = spend_pct;
  return b;
}
}  // namespace rf::sim
