// The equality and provider diversity report (reconcile/equality.h) on
// hand-built views: the ethnic roll-up, who counts and which flags, exact
// shares and medians (odd and even counts), and disclosure control visible
// in the tables.

#include "reconcile/equality.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"

namespace rf::equality_test {

Date EqDay(const char* iso) { return *Date::Parse(iso, "test"); }

struct EqualityViews {
  MemoryViews views;
  uint64_t seq = 1;

  // Views in the current form, as ledger.init writes its marker.
  EqualityViews() { views.values[std::string(kViewFormKey)] = std::string(kViewForm); }

  void Put(RecordKind kind, const std::string& id, nlohmann::json j) {
    views.values[RecordKey(kind, id)] = j.dump();
  }
  void Person(const std::string& id, const std::string& ethnic, const std::string& age_band = "25-34",
              const std::string& sex = "female") {
    Put(RecordKind::kPerson, id,
        {{"seq", seq++}, {"person_id", id}, {"ethnic_category", ethnic}, {"age_band", age_band}, {"sex", sex},
         {"locality", "North"}, {"s117_eligible", false}});
  }
  void Budget(const std::string& id, const std::string& person, const std::string& amount, bool dp,
              const char* approved_on = "2026-04-02", const char* first_paid = nullptr,
              const char* end_date = "2027-03-31") {
    nlohmann::json j = {{"seq", seq++},
                        {"budget_id", id},
                        {"person_id", person},
                        {"pot_id", "POT-1"},
                        {"management", dp ? "direct-payment" : "notional"},
                        {"amount", amount},
                        {"start_date", approved_on},
                        {"end_date", end_date},
                        {"approved_on", approved_on},
                        {"frequency", "monthly"},
                        {"payee_ref", ""}};
    if (first_paid != nullptr) {
      j["first_payment_on"] = first_paid;
      j["first_payment_seq"] = seq++;
    }
    Put(RecordKind::kBudget, id, j);
  }
  void Flag(const std::string& code, const std::string& entity, const char* first_month, FlagState state) {
    FlagLifeRecord f;
    f.id = code + "/" + entity;
    f.code = code;
    f.severity = "warning";
    f.entity = entity;
    f.amount = Pence::FromPence(100);
    f.first_month = *ParseMonth(first_month, "test");
    f.last_month = f.first_month;
    f.state = state;
    f.raised_seq = seq++;
    if (state == FlagState::kResolved) f.resolved_month = f.last_month;
    views.values[RecordKey(RecordKind::kFlagLife, f.id)] = FlagLifeText(f);
  }
  void Provider(const std::string& id, const std::string& size, bool community_led) {
    Put(RecordKind::kProvider, id,
        {{"seq", seq++}, {"provider_id", id}, {"name", "Provider " + id}, {"kind", "vcse"}, {"size", size},
         {"community_led", community_led}, {"approved", true}, {"payee_ref", ""}});
  }
  // An invoice received on `received` and paid by a run on `run_date`.
  void PaidInvoice(const std::string& id, const std::string& provider, const std::string& budget,
                   const std::string& amount, const char* received, const char* run_date,
                   const char* state = "settled") {
    Put(RecordKind::kInvoice, id,
        {{"seq", seq++}, {"invoice_id", id}, {"provider_id", provider}, {"budget_id", budget}, {"amount", amount},
         {"service_from", received}, {"service_to", received}, {"received_on", received}, {"category", "therapy"},
         {"description", ""}, {"state", "paid"}, {"payment_id", "PAY-" + id}});
    Put(RecordKind::kPayment, "PAY-" + id,
        {{"seq", seq++}, {"payment_id", "PAY-" + id}, {"run_id", "RUN-1"}, {"purpose", "invoice"},
         {"invoice_id", id}, {"budget_id", budget}, {"provider_id", provider}, {"amount", amount},
         {"state", state}, {"run_date", run_date}, {"payee_ref", ""}});
    // The provider payments index, as payment.pending writes it and
    // payment.returned / payment.cancelled remove it.
    if (std::string_view(state) != "returned" && std::string_view(state) != "cancelled") {
      views.values[ProviderPaymentKey(EqDay(run_date), "PAY-" + id)] = ProviderPaymentValue(
          provider, *Pence::Parse(amount, "amount"), DaysBetween(EqDay(received), EqDay(run_date)));
    }
  }
};

// 10 White people (codes A, B, C), 5 on direct payments, 2 flagged; one
// Mixed; three Not stated/known (Z, 99, and an unknown code) unless left
// out; budgets that do not count; ten paid providers.
EqualityViews EqualityLedger(bool with_not_stated) {
  EqualityViews v;
  const char* codes[] = {"A", "B", "C", "a", "A", "B", "C", "A", "B", "C"};
  const char* amounts[] = {"100.00", "200.00", "300.00", "400.01", "500.00",
                           "600.00", "700.00", "800.00", "900.00", "1000.00"};
  // Days to first payment: 5, 10, 20, 30, 40 (by as_of); W6 paid after it.
  const char* first_paid[] = {"2026-04-07", "2026-04-12", "2026-04-22", "2026-05-02", "2026-05-12",
                              "2026-07-15", nullptr, nullptr, nullptr, nullptr};
  for (int i = 0; i < 10; ++i) {
    const std::string id = "W" + std::to_string(i + 1);
    v.Person(id, codes[i], i < 6 ? "25-34" : "75+", i % 2 == 0 ? "female" : "male");
    v.Budget("B-" + id, id, amounts[i], /*dp=*/i < 5, "2026-04-02", first_paid[i]);
  }
  v.Person("M1", "E");
  v.Budget("B-M1", "M1", "50.00", false);
  if (with_not_stated) {
    v.Person("N1", "Z");
    v.Person("N2", "99");
    v.Person("N3", "X");
    v.Budget("B-N1", "N1", "10.00", false);
    v.Budget("B-N2", "N2", "10.00", false);
    v.Budget("B-N3", "N3", "10.00", false);
  }
  // Do not count: ended before the year, approved after as_of, no budget.
  v.Person("H1", "H");
  v.Budget("B-H1", "H1", "99.00", true, "2025-04-02", nullptr, "2026-03-31");
  v.Person("H2", "H");
  v.Budget("B-H2", "H2", "99.00", true, "2026-07-01");
  v.Person("H3", "M");
  // Flags: W1 (open), W2 through an invoice (explained) count; W3's is
  // resolved, W4's first raised after as_of, W5's not an equality code.
  v.Flag("UNDERSPEND_BUDGET", "budget:B-W1", "2026-05", FlagState::kOpen);
  v.Flag("DELAY_INVOICE", "invoice:I-1", "2026-06", FlagState::kExplained);
  v.Flag("DELAY_DP_MISSED", "instalment:B-W3/2026-05-01", "2026-05", FlagState::kResolved);
  v.Flag("DELAY_FIRST_PAYMENT", "budget:B-W4", "2026-07", FlagState::kOpen);
  v.Flag("PAYEE_DETAILS_CHANGED", "budget:B-W5", "2026-05", FlagState::kOpen);
  // Providers: five micro community-led paid 100.00 after 1..5 days; five
  // medium not community-led paid 300.00 after 10..50 days.
  for (int i = 1; i <= 5; ++i) {
    const std::string micro = "V-" + std::to_string(i), medium = "V-" + std::to_string(i + 5);
    v.Provider(micro, "micro", true);
    v.Provider(medium, "medium", false);
    const std::string run_micro = "2026-05-0" + std::to_string(1 + i);
    v.PaidInvoice("I-" + std::to_string(i), micro, "B-W2", "100.00", "2026-05-01", run_micro.c_str());
    const Date run = EqDay("2026-04-01").AddDays(10 * i);
    const std::string run_medium = run.ToIso();
    v.PaidInvoice("I-" + std::to_string(i + 5), medium, "B-W3", "300.00", "2026-04-01", run_medium.c_str());
  }
  // Not counted: returned by the bank; paid after as_of.
  v.PaidInvoice("I-R", "V-1", "B-W2", "5000.00", "2026-05-01", "2026-05-10", "returned");
  v.PaidInvoice("I-L", "V-6", "B-W3", "5000.00", "2026-05-01", "2026-07-10");
  return v;
}

const Table& EqTable(const std::vector<Table>& tables, const std::string& starts) {
  for (const Table& t : tables) {
    if (t.title.starts_with(starts)) return t;
  }
  FAIL("no table " << starts);
  return tables.front();
}

std::vector<std::string> EqRow(const Table& t, const std::string& label) {
  for (const auto& row : t.rows) {
    if (row[0] == label) return row;
  }
  FAIL("no row " << label << " in " << t.title);
  return {};
}

TEST_CASE("equality: NHS ethnic category codes roll up to the six groups") {
  for (const char* c : {"A", "B", "C", "c"}) CHECK(EthnicGroupOf(c) == "White");
  for (const char* c : {"D", "E", "F", "G"}) CHECK(EthnicGroupOf(c) == "Mixed");
  for (const char* c : {"H", "J", "K", "L"}) CHECK(EthnicGroupOf(c) == "Asian or Asian British");
  for (const char* c : {"M", "N", "P"}) CHECK(EthnicGroupOf(c) == "Black or Black British");
  for (const char* c : {"R", "S"}) CHECK(EthnicGroupOf(c) == "Other");
  for (const char* c : {"Z", "99", "", "I", "O", "Q", "T", "AB", "9"}) CHECK(EthnicGroupOf(c) == "Not stated/known");
}

TEST_CASE("equality: percents round half up to one decimal from the integers") {
  CHECK(PercentOneDecimal(1, 3) == "33.3");
  CHECK(PercentOneDecimal(2, 3) == "66.7");
  CHECK(PercentOneDecimal(1, 16) == "6.3");   // 6.25 -> 6.3
  CHECK(PercentOneDecimal(1, 32) == "3.1");   // 3.125 -> 3.1
  CHECK(PercentOneDecimal(1, 37) == "2.7");
  CHECK(PercentOneDecimal(0, 5) == "0.0");
  CHECK(PercentOneDecimal(5, 5) == "100.0");
  CHECK(PercentOneDecimal(0, 0) == "");
}

TEST_CASE("equality: medians are exact for odd and even counts, pence half up to the penny") {
  CHECK(MedianPenceText({300, 100, 200}) == "2.00");
  CHECK(MedianPenceText({100, 201}) == "1.51");  // 150.5p -> 151p
  CHECK(MedianPenceText({100, 200}) == "1.50");
  CHECK(MedianPenceText({}) == "");
  CHECK(MedianDaysText({5, 1, 3}) == "3");
  CHECK(MedianDaysText({1, 2}) == "1.5");
  CHECK(MedianDaysText({2, 4}) == "3");
  CHECK(MedianDaysText({-1, 0}) == "-0.5");
  CHECK(MedianDaysText({}) == "");
}

TEST_CASE("equality: the figures by ethnic group on a small ledger, small counts shown as <5") {
  const EqualityViews v = EqualityLedger(/*with_not_stated=*/true);
  auto tables = BuildEqualityTables(v.views, EqDay("2026-06-30"), EqualityOptions{});
  INFO(tables.status().message());
  REQUIRE(tables.ok());
  REQUIRE(tables->size() == 3);
  const Table& ethnic = EqTable(*tables, "Equality: people with a personal health budget by ethnic group");
  for (const auto& c : ethnic.columns) INFO(c.id);
  // group, people, on DP, on DP %, median allocation, median days, flagged, flagged %
  CHECK(EqRow(ethnic, "White") ==
        std::vector<std::string>{"White", "10", "5", "50.0", "550.00", "20", "<5", "[c]"});
  CHECK(EqRow(ethnic, "Mixed") == std::vector<std::string>{"Mixed", "<5", "0", "[c]", "[c]", "[c]", "0", "[c]"});
  CHECK(EqRow(ethnic, "Not stated/known")[1] == "<5");
  CHECK(EqRow(ethnic, "Asian or Asian British") ==
        std::vector<std::string>{"Asian or Asian British", "0", "0", "", "", "", "0", ""});
  REQUIRE(ethnic.total.size() == ethnic.columns.size());
  CHECK(ethnic.total[0] == "Total");
  CHECK(ethnic.total[1] == "14");
  CHECK(ethnic.total[2] == "5");
  CHECK(ethnic.total[3] == "35.7");
  CHECK(ethnic.total[6] == "<5");  // the two flagged people
  CHECK(ethnic.total[5] == "20");  // days: 5, 10, 20, 30, 40

  const Table& size = EqTable(*tables, "Provider diversity by size");
  CHECK(EqRow(size, "micro") == std::vector<std::string>{"micro", "5", "500.00", "25.0", "3"});
  CHECK(EqRow(size, "medium") == std::vector<std::string>{"medium", "5", "1500.00", "75.0", "30"});
  CHECK(EqRow(size, "small") == std::vector<std::string>{"small", "0", "0.00", "0.0", ""});
  CHECK(size.total == std::vector<std::string>{"Total", "10", "2000.00", "100.0", "7.5"});  // even: (5+10)/2
  const Table& led = EqTable(*tables, "Provider diversity by community-led");
  CHECK(EqRow(led, "yes") == std::vector<std::string>{"yes", "5", "500.00", "25.0", "3"});
  CHECK(EqRow(led, "no") == std::vector<std::string>{"no", "5", "1500.00", "75.0", "30"});
}

TEST_CASE("equality: a group that could be worked out from the total is hidden too ([c])") {
  // Without the Not stated people, Mixed (1) = total - White: White goes.
  const EqualityViews v = EqualityLedger(/*with_not_stated=*/false);
  auto tables = BuildEqualityTables(v.views, EqDay("2026-06-30"), EqualityOptions{});
  REQUIRE(tables.ok());
  const Table& ethnic = EqTable(*tables, "Equality: people with a personal health budget by ethnic group");
  CHECK(EqRow(ethnic, "Mixed")[1] == "<5");
  const auto white = EqRow(ethnic, "White");
  CHECK(white[1] == "[c]");
  CHECK(white[3] == "[c]");  // its share and medians go with it
  CHECK(white[4] == "[c]");
  CHECK(white[5] == "[c]");
  CHECK(ethnic.total[1] == "11");
}

TEST_CASE("equality: the threshold is configurable, one either side") {
  const EqualityViews v = EqualityLedger(/*with_not_stated=*/true);
  // Threshold 3: Not stated (3) is not small, Mixed (1) is; Mixed would be
  // total - White - Not stated, so one more goes: White (10), not Not
  // stated (3), which beside "<3" in a sum of 4 would pin both (1 and 3).
  auto three = BuildEqualityTables(v.views, EqDay("2026-06-30"), EqualityOptions{.by = EqualityBy::kNone, .threshold = 3});
  REQUIRE(three.ok());
  CHECK(EqRow(EqTable(*three, "Equality"), "Not stated/known")[1] == "3");
  CHECK(EqRow(EqTable(*three, "Equality"), "Mixed")[1] == "<3");
  CHECK(EqRow(EqTable(*three, "Equality"), "White")[1] == "[c]");
  // Threshold 4: 3 is suppressed.
  auto four = BuildEqualityTables(v.views, EqDay("2026-06-30"), EqualityOptions{.by = EqualityBy::kNone, .threshold = 4});
  REQUIRE(four.ok());
  CHECK(EqRow(EqTable(*four, "Equality"), "Not stated/known")[1] == "<4");
  // From the journalled setting when not given.
  EqualityViews set = EqualityLedger(true);
  set.views.values[ConfigHistoryKey(kEqualitySuppressSetting, EqDay("2026-04-01"), 900)] = "3";
  auto configured = BuildEqualityTables(set.views, EqDay("2026-06-30"), EqualityOptions{});
  REQUIRE(configured.ok());
  CHECK(EqRow(EqTable(*configured, "Equality"), "Mixed")[1] == "<3");
  CHECK(EqRow(EqTable(*configured, "Equality"), "White")[1] == "[c]");
}

TEST_CASE("equality: by age band adds the band and group x band tables over the same cells") {
  const EqualityViews v = EqualityLedger(/*with_not_stated=*/true);
  auto tables =
      BuildEqualityTables(v.views, EqDay("2026-06-30"), EqualityOptions{.by = EqualityBy::kAgeBand, .threshold = {}});
  INFO(tables.status().message());
  REQUIRE(tables.ok());
  REQUIRE(tables->size() == 5);
  const Table& band = EqTable(*tables, "Equality: people with a personal health budget by age band");
  CHECK(band.columns[0].id == "age_band");
  CHECK(band.rows.size() == 8);
  const Table& cross = EqTable(*tables, "Equality: people with a personal health budget by ethnic group and");
  CHECK(cross.columns[1].id == "age_band");
  CHECK(cross.rows.size() == 6 * 8);
  REQUIRE(cross.total.size() == cross.columns.size());
  CHECK(cross.total[2] == "14");
  // White 25-34 holds 6 people, White 75+ 4: the 4 is small.
  std::vector<std::string> white_old;
  for (const auto& row : cross.rows) {
    if (row[0] == "White" && row[1] == "75+") white_old = row;
  }
  REQUIRE(!white_old.empty());
  CHECK(white_old[2] == "<5");
  CHECK(ParseEqualityBy("age-band").ok());
  CHECK_FALSE(ParseEqualityBy("postcode").ok());
}

}  // namespace rf::equality_test

namespace rf::equality_test {

// A shown count is 0 or at least the threshold; a share or median is shown
// only beside a shown count.
void EqRequireNoSmallCount(const Table& t, uint64_t threshold) {
  auto check_row = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
      const std::string& id = t.columns[i].id;
      if (id != "people" && id != "on_dp" && id != "flagged" && id != "providers") continue;
      const std::string& cell = row[i];
      INFO(t.title << " column " << id << " cell " << cell);
      if (cell == "[c]" || cell.starts_with("<")) continue;
      const uint64_t n = std::stoull(cell);
      CHECK((n == 0 || n >= threshold));
    }
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (t.columns[i].id != "people" && t.columns[i].id != "providers") continue;
      if (row[i] != "[c]" && !row[i].starts_with("<")) continue;
      for (size_t k = i + 1; k < t.columns.size(); ++k) {
        if (t.columns[k].id == "on_dp" || t.columns[k].id == "flagged") continue;
        CHECK(row[k] == "[c]");
      }
    }
  };
  for (const auto& row : t.rows) check_row(row);
  if (!t.total.empty()) check_row(t.total);
}

TEST_CASE("equality: on random small ledgers no count from 1 to threshold-1 is shown, nor a share of a hidden group") {
  std::mt19937 rng(2026);
  const char* codes[] = {"A", "B", "D", "H", "M", "R", "Z", "99"};
  const char* bands[] = {"18-24", "25-34", "75+"};
  for (int round = 0; round < 20; ++round) {
    EqualityViews v;
    const int people = static_cast<int>(rng() % 40);
    for (int i = 0; i < people; ++i) {
      const std::string id = "R" + std::to_string(i);
      v.Person(id, codes[rng() % 8], bands[rng() % 3], rng() % 2 ? "female" : "male");
      v.Budget("B-" + id, id, std::to_string(100 + rng() % 900) + ".00", rng() % 3 == 0, "2026-04-02",
               rng() % 2 ? "2026-04-20" : nullptr);
      if (rng() % 4 == 0) v.Flag("UNDERSPEND_BUDGET", "budget:B-" + id, "2026-05", FlagState::kOpen);
    }
    for (int i = 0; i < static_cast<int>(rng() % 12); ++i) {
      const std::string id = "V" + std::to_string(i);
      v.Provider(id, rng() % 2 ? "micro" : "large", rng() % 2 == 0);
      v.PaidInvoice("I-" + id, id, "B-R0", "10.00", "2026-05-01", "2026-05-20");
    }
    const uint64_t threshold = 3 + rng() % 4;
    const EqualityBy by = rng() % 2 ? EqualityBy::kAgeBand : EqualityBy::kNone;
    auto tables = BuildEqualityTables(v.views, EqDay("2026-06-30"), EqualityOptions{.by = by, .threshold = threshold});
    REQUIRE(tables.ok());
    for (const Table& t : *tables) EqRequireNoSmallCount(t, threshold);
  }
}

}  // namespace rf::equality_test

namespace rf::equality_test {

TEST_CASE("equality: more localities than disclosure control can protect are refused, naming the limit") {
  for (const int localities : {138, 139}) {
    EqualityViews v;
    for (int i = 0; i < localities; ++i) {
      const std::string id = "L" + std::to_string(i);
      v.Put(RecordKind::kPerson, id,
            {{"seq", v.seq++}, {"person_id", id}, {"ethnic_category", "A"}, {"age_band", "25-34"},
             {"sex", "female"}, {"locality", "Locality " + std::to_string(i)}, {"s117_eligible", false}});
      v.Budget("B-" + id, id, "100.00", false);
    }
    auto tables = BuildEqualityTables(v.views, EqDay("2026-06-30"),
                                      EqualityOptions{.by = EqualityBy::kLocality, .threshold = std::nullopt});
    if (localities == 138) {
      INFO(tables.status().message());
      CHECK(tables.ok());
    } else {
      REQUIRE_FALSE(tables.ok());
      CHECK_THAT(tables.status().message(), Catch::Contains("139 locality values are too many") &&
                                                Catch::Contains("at most 138"));
    }
  }
}

}  // namespace rf::equality_test
