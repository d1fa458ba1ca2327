#include "tools/sim/sim_world.h"

#include <algorithm>
#include <cassert>
#include <cstdio>

#include "ledger/core/money.h"
#include "reconcile/flags_internal.h"

namespace rf::sim {
namespace {

const char* kCategoriesDp[] = {"personal-assistant", "activities", "equipment", "therapy", "transport"};

int64_t ProRatePence(int64_t total, int64_t num, int64_t den) { return total * num / den; }

bool ActiveIn(const SimBudget& b, int index) { return b.join_month <= index; }

// The month index (0 = April 2026) of a day.
int IndexOf(Date d) { return (d.year() - 2026) * 12 + static_cast<int>(d.month()) - 4; }

// The first month whose last day is after `due` (a flag "month_end > due").
int FirstMonthAfter(Date due) {
  const Month m{due.year(), due.month()};
  return due < m.last_day() ? IndexOf(due) : IndexOf(due) + 1;
}

const char* ManagementName(SimManagement m) {
  return m == SimManagement::kNotional     ? "notional"
         : m == SimManagement::kThirdParty ? "third-party"
                                           : "direct-payment";
}

// Writes a file's header before its first row, and the file only if it has one.
struct SimLazyFile {
  SimSink& sink;
  const char *kind, *name, *header;
  bool begun = false;
  void Row(const std::string& row) {
    if (!begun) {
      sink.Begin(kind, name);
      sink.Row(header);
      begun = true;
    }
    sink.Row(row);
  }
  void End() {
    if (begun) sink.End();
  }
};

}  // namespace

SimWorld::SimWorld(const SimParams& params, bool held) : params_(params), held_(held) {
  assert(held_ || !params_.plant);
  if (held_) DrawHeld();
  if (held_ && params_.plant && params_.people >= 120) Plant();
  SizePots();
}

void SimWorld::DrawHeld() {
  const uint64_t providers = SimProviderCount(params_);
  providers_.reserve(providers);
  for (uint64_t i = 0; i < providers; ++i) providers_.push_back(DrawProvider(params_, i));
  people_.reserve(params_.people);
  for (uint64_t i = 0; i < params_.people; ++i) {
    SimPerson person;
    std::optional<SimBudget> b = DrawPersonAndBudget(params_, i, &person);
    people_.push_back(std::move(person));
    if (b) budgets_.push_back(std::move(*b));
  }
}

void SimWorld::ForEachBudget(const std::function<void(SimBudget&)>& fn) {
  if (held_) {
    for (SimBudget& b : budgets_) fn(b);
    return;
  }
  for (uint64_t i = 0; i < params_.people; ++i) {
    SimPerson person;
    std::optional<SimBudget> b = DrawPersonAndBudget(params_, i, &person);
    if (b) fn(*b);
  }
}

SimProvider SimWorld::Provider(size_t index) const {
  assert(index < provider_count());
  return held_ ? providers_[index] : DrawProvider(params_, index);
}

void SimWorld::Plant() {
  std::vector<size_t> april_dp, later_dp_fri, later_dp, april_notional;
  for (size_t i = 0; i < budgets_.size(); ++i) {
    const SimBudget& b = budgets_[i];
    if (b.management == SimManagement::kDirect && b.frequency == "monthly" && b.join_month == 0) april_dp.push_back(i);
    // Late approvals must still fall within the simulated months.
    if (b.management == SimManagement::kDirect && b.join_month >= 1 &&
        IndexOf(b.first_run.AddDays(7)) < params_.months) {
      const bool friday_not_near_a_first = b.first_run.iso_weekday() == 5 && b.first_run.day() >= 5;
      (friday_not_near_a_first && b.frequency == "monthly" ? later_dp_fri : later_dp).push_back(i);
    }
    if (b.management == SimManagement::kNotional && b.join_month == 0) april_notional.push_back(i);
  }
  auto take = [](std::vector<size_t>& from, size_t n) {
    std::vector<size_t> out;
    while (n-- > 0 && !from.empty()) {
      out.push_back(from.back());
      from.pop_back();
    }
    return out;
  };
  const auto month_name = [](int index) { return SimMonth(index).ToString(); };
  for (size_t i : take(april_dp, 3)) budgets_[i].plant = BudgetPlant::kHoard;
  for (size_t i : take(april_dp, 3)) budgets_[i].plant = BudgetPlant::kExactAllowance;
  for (size_t i : take(april_dp, 3)) {
    SimBudget& b = budgets_[i];
    b.plant = BudgetPlant::kNoReview;
    const int month = FirstMonthAfter(flags_internal::AddMonths(b.first_run, 3));
    if (month < params_.months) {
      truth_.anomalies.push_back(
          {"REVIEW_OVERDUE", "budget:" + b.id, month_name(month), "a direct payment never reviewed"});
    }
  }
  for (size_t i : take(april_dp, 3)) {
    SimBudget& b = budgets_[i];
    b.plant = BudgetPlant::kReviewOnDue;
    if (IndexOf(flags_internal::AddMonths(b.first_run, 3)) < params_.months) {
      truth_.near_misses.push_back({"REVIEW_OVERDUE", "budget:" + b.id,
                                    month_name(IndexOf(flags_internal::AddMonths(b.first_run, 3))),
                                    "reviewed on the day the first review fell due"});
    }
  }
  for (size_t i : take(april_notional, 3)) {
    SimBudget& b = budgets_[i];
    b.plant = BudgetPlant::kUnderspend;
    b.invoice_pct = 30;
    int month = 0;
    while (DaysBetween(b.start, SimMonth(month).last_day()) + 1 < 90) ++month;
    if (month < params_.months) {
      truth_.anomalies.push_back(
          {"UNDERSPEND_BUDGET", "budget:" + b.id, month_name(month), "invoiced at 30% of its allocation"});
    }
  }
  for (size_t i : take(april_notional, 3)) {
    SimBudget& b = budgets_[i];
    b.plant = BudgetPlant::kUnderspendNear;
    int month = 0;
    while (DaysBetween(b.start, SimMonth(month).last_day()) + 1 < 90) ++month;
    b.underspend_month = month;
    if (month < params_.months) {
      truth_.near_misses.push_back({"UNDERSPEND_BUDGET", "budget:" + b.id, month_name(month),
                                    "spent exactly half its pro-rata allocation at the first month end it counts"});
    }
  }
  for (size_t i : take(later_dp, 3)) {
    SimBudget& b = budgets_[i];
    b.plant = BudgetPlant::kLateFirstPayment;
    b.approved_on = b.first_run.AddDays(-15);
    truth_.anomalies.push_back({"DELAY_FIRST_PAYMENT", "budget:" + b.id, month_name(IndexOf(b.first_run)),
                                "approved 15 days before its first payment run"});
  }
  for (size_t i : take(later_dp, 3)) {
    SimBudget& b = budgets_[i];
    b.plant = BudgetPlant::kFirstPaymentNear;
    b.approved_on = b.first_run.AddDays(-14);
    truth_.near_misses.push_back({"DELAY_FIRST_PAYMENT", "budget:" + b.id, month_name(IndexOf(b.first_run)),
                                  "approved 14 days before its first payment run"});
  }
  for (size_t i : take(later_dp_fri, 3)) {
    SimBudget& b = budgets_[i];
    b.plant = BudgetPlant::kLateApproval;
    b.approved_on = b.first_run.AddDays(7);  // a Friday: a run pays it that day
    const Date due = b.first_run;
    // The budget exists from its approval, when a run pays the instalment late.
    const int month = IndexOf(b.approved_on);
    if (month < params_.months) {
      truth_.anomalies.push_back({"DELAY_DP_MISSED", "instalment:" + b.id + "/" + due.ToIso(), month_name(month),
                                  "budget approved 7 days after its first instalment was due"});
    }
  }
  for (size_t i : take(later_dp_fri, 3)) {
    // Starts on a Tuesday: the Friday run pays its first instalment 3 days late.
    SimBudget& b = budgets_[i];
    b.plant = BudgetPlant::kLateApprovalNear;
    b.start = b.first_run.AddDays(-3);
    b.approved_on = b.start;
    truth_.near_misses.push_back({"DELAY_DP_MISSED", "instalment:" + b.id + "/" + b.start.ToIso(),
                                  month_name(IndexOf(b.first_run)), "first instalment paid 3 days after it was due"});
  }
  // Twins: same provider, amount and service periods, different people (not duplicates).
  for (int pair = 0; pair < 3 && april_notional.size() >= 2; ++pair) {
    auto two = take(april_notional, 2);
    SimBudget& a = budgets_[two[0]];
    SimBudget& b = budgets_[two[1]];
    b.provider = a.provider;
    b.start = a.start;
    b.first_run = a.first_run;
    b.approved_on = a.approved_on;
    b.amount_pence = a.amount_pence;
    b.invoice_pct = a.invoice_pct;
    b.near_duplicate = true;
    a.twin = b.twin = a.id;
  }
  // A pilot pot left half unallocated, and one left exactly 20% unallocated.
  for (auto [pot, n, pounds] : {std::tuple{"PILOT-2627", 3, 10'000}, std::tuple{"CRISIS-2627", 4, 20'000}}) {
    for (size_t i : take(april_notional, static_cast<size_t>(n))) {
      budgets_[i].pot_id = pot;
      budgets_[i].amount_pence = int64_t{pounds} * 100;
    }
  }
  if (params_.months > 5) {
    truth_.anomalies.push_back({"POT_UNALLOCATED", "pot:PILOT-2627", month_name(5), "half the pilot pot unallocated"});
    truth_.near_misses.push_back({"POT_UNALLOCATED", "pot:CRISIS-2627", month_name(5), "exactly 20% unallocated"});
  }
  pots_.push_back({"PILOT-2627", "Community-led support pilot", "PHB", 60'000 * 100});
  pots_.push_back({"CRISIS-2627", "Crisis alternatives", "PHB", 100'000 * 100});
}

void SimWorld::SizePots() {
  int64_t mh = 0, s117 = 0;
  budget_count_ = 0;
  ForEachBudget([&](SimBudget& b) {
    ++budget_count_;
    if (b.pot_id == "PHB-MH-2627") mh += b.amount_pence;
    if (b.pot_id == "S117-2627") s117 += b.amount_pence;
  });
  // 3% headroom rounded up to £1,000, plus what the planted diversions take.
  const auto size = [](int64_t total) { return (total * 100 / 97 / 100'000 + 1) * 100'000; };
  pots_.insert(pots_.begin(), {"S117-2627", "Section 117 aftercare PHBs", "S117", size(s117)});
  pots_.insert(pots_.begin(), {"PHB-MH-2627", "Mental health PHBs", "PHB", size(mh) + 3 * 5'000 * 100});
}

size_t SimWorld::BudgetIndex(const std::string& id) const {
  // Budgets are numbered by person, in order; people who join after the
  // simulated months have none.
  auto it = std::lower_bound(budgets_.begin(), budgets_.end(), id,
                             [](const SimBudget& b, const std::string& v) { return b.id < v; });
  assert(it != budgets_.end() && it->id == id);
  return static_cast<size_t>(it - budgets_.begin());
}

void SimWorld::AddInstalmentPaid(const std::string& budget_id, int64_t pence) {
  assert(held_);
  budgets_[BudgetIndex(budget_id)].dp_balance_pence += pence;
}

void SimWorld::MonthStartFiles(int index, SimSink& sink) {
  const Month month = SimMonth(index);
  if (index == 0) {
    sink.Begin("pots", "pots.csv");
    sink.Row("pot_id,name,programme,financial_year,amount,funded_on\n");
    for (const SimPot& p : pots_) {
      sink.Row(p.id + "," + p.name + "," + p.programme + ",2026-27," + FormatPence(p.amount_pence) + ",2026-04-01\n");
    }
    sink.End();
    sink.Begin("people", "people.csv");
    sink.Row("person_id,ethnic_category,age_band,sex,locality,s117_eligible\n");
    for (uint64_t i = 0; i < params_.people; ++i) {
      SimPerson drawn;
      if (!held_) (void)DrawPersonAndBudget(params_, i, &drawn);
      const SimPerson& p = held_ ? people_[i] : drawn;
      sink.Row(p.id + "," + p.ethnic_category + "," + p.age_band + "," + p.sex + "," + p.locality + "," +
               (p.s117 ? "yes" : "no") + "\n");
    }
    sink.End();
    sink.Begin("providers", "providers.csv");
    sink.Row("provider_id,name,kind,size,community_led,approved,payee_ref\n");
    for (uint64_t i = 0; i < provider_count(); ++i) {
      const SimProvider p = Provider(i);
      sink.Row(p.id + "," + p.name + "," + p.kind + "," + p.size + "," + (p.community_led ? "yes" : "no") + "," +
               (p.approved ? "yes" : "no") + "," + p.iban + "\n");
    }
    sink.End();
  }
  SimLazyFile budgets{sink, "budgets", "budgets.csv",
                      "budget_id,person_id,pot_id,management,amount,start_date,end_date,approved_on,frequency,"
                      "payee_ref\n"};
  ForEachBudget([&](SimBudget& b) {
    if (IndexOf(b.approved_on) != index) return;
    budgets.Row(b.id + "," + SimPadded("P-", b.person + 1, 6) + "," + b.pot_id + "," + ManagementName(b.management) +
                "," + FormatPence(b.amount_pence) + "," + b.start.ToIso() + "," + b.end.ToIso() + "," +
                b.approved_on.ToIso() + "," + b.frequency + "," + b.payee_ref + "\n");
  });
  budgets.End();
  // Diversions: ring-fenced money moved to the general fund.
  if (params_.plant && params_.people >= 120 && (index == 2 || index == 6 || index == 9)) {
    const std::string id = SimPadded("T-", static_cast<uint64_t>(index), 4);
    const Date on = month.first_day().AddDays(9);
    sink.Begin("transfers", "transfers.csv");
    sink.Row("transfer_id,date,from_account,to_account,amount,reason,authorised_by\n");
    sink.Row(id + "," + on.ToIso() +
             ",pot:PHB-MH-2627,external:general-fund,5000.00,Winter pressures in the general fund,deputy.cfo\n");
    sink.End();
    truth_.anomalies.push_back(
        {"DIVERSION_TRANSFER", "transfer:" + id, month.ToString(), "pot money moved to external:general-fund"});
  }
  // Reviews: each direct payment and third-party budget reviewed 60-80 days after its first payment.
  SimLazyFile reviews{sink, "reviews", "reviews.csv", "review_id,budget_id,reviewed_on,outcome,reviewed_by\n"};
  ForEachBudget([&](SimBudget& b) {
    if (b.management == SimManagement::kNotional || b.plant == BudgetPlant::kNoReview) return;
    const Date paid = std::max(b.first_run, b.approved_on);
    const Date on = b.plant == BudgetPlant::kReviewOnDue
                        ? flags_internal::AddMonths(paid, 3)
                        : paid.AddDays(60 + static_cast<int32_t>(std::stoul(b.id.substr(2)) % 21));
    if (IndexOf(on) != index) return;
    reviews.Row(SimPadded("R-", ++review_counter_, 6) + "," + b.id + "," + on.ToIso() + ",continue,care.coordinator\n");
  });
  reviews.End();
  InvoiceRows(index, sink);
}

void SimWorld::InvoiceRows(int index, SimSink& sink) {
  const Month month = SimMonth(index);
  const std::vector<Date> runs = RunDates(index);
  sink.Begin("invoices", "invoices.csv");
  sink.Row("invoice_id,provider_id,budget_id,amount,service_from,service_to,received_on,category,description\n");
  const bool plant = params_.plant && params_.people >= 120;
  int duplicates_left = plant && (index == 2 || index == 5 || index == 9) ? 1 : 0;
  int unapproved_left = plant && (index == 1 || index == 3 || index == 6) ? 1 : 0;
  ForEachBudget([&](SimBudget& b) {
    if (b.management != SimManagement::kNotional || !ActiveIn(b, index)) return;
    const Date from = std::max(b.start, month.first_day());
    const Date to = std::min(b.end, month.last_day());
    const int64_t period_days = DaysBetween(b.start, b.end) + 1;
    int64_t amount = ProRatePence(b.amount_pence, DaysBetween(from, to) + 1, period_days) * b.invoice_pct / 100;
    if (b.plant == BudgetPlant::kUnderspendNear) {
      const int64_t share = ProRatePence(b.amount_pence, DaysBetween(from, to) + 1, period_days);
      if (index < b.underspend_month) amount = share / 2;
      if (index > b.underspend_month) amount = share * 60 / 100;
      if (index == b.underspend_month) {
        // Exactly half the pro-rata allocation (rounded up): UNDERSPEND_BUDGET
        // flags spent * 100 < pro_rata * 50, so one penny less would flag.
        const auto active = static_cast<uint64_t>(DaysBetween(b.start, to) + 1);
        const int64_t pro_rata =
            *ProRate(Pence::FromPence(b.amount_pence), active, static_cast<uint64_t>(period_days))->ToInt64();
        amount = (pro_rata + 1) / 2 - b.invoiced_pence;
      }
    }
    // Received on a run day; in the first month on the first run, so it is
    // paid within days of the budget's approval.
    const uint64_t h = std::stoull((b.twin.empty() ? b.id : b.twin).substr(2)) * 7 + static_cast<uint64_t>(index);
    const Date received = index == b.join_month ? b.first_run : runs[h % runs.size()];
    const SimProvider p = Provider(b.provider);
    const char* category = p.kind == "personal-assistant" ? "personal-assistant"
                           : p.kind == "vcse"             ? "activities"
                           : p.kind == "nhs"              ? "therapy"
                                                          : "equipment";
    const std::string id = SimPadded("I-", ++invoice_counter_, 7);
    b.invoiced_pence += amount;
    const std::string row = "," + b.id + "," + FormatPence(amount) + "," + from.ToIso() + "," + to.ToIso() + ",";
    sink.Row(id + "," + p.id + row + received.ToIso() + "," + category + ",Support " + month.ToString() + "\n");
    sink.InvoicePayable(received, {.payment_id = "PAY-" + id,
                                   .purpose = PaymentPurpose::kInvoice,
                                   .invoice_id = id,
                                   .budget_id = b.id,
                                   .provider_id = p.id,
                                   .payee_ref = p.iban,
                                   .creditor_name = p.name,
                                   .amount = Pence::FromPence(amount),
                                   .due_on = std::nullopt});
    if (b.near_duplicate) {
      truth_.near_misses.push_back({"DUPLICATE_INVOICE", "invoice:" + id, month.ToString(),
                                    "same provider, amount and period as another person's invoice"});
    }
    if (duplicates_left > 0 && index != b.join_month && b.plant == BudgetPlant::kNone && !b.near_duplicate &&
        received < month.last_day().AddDays(-3)) {
      --duplicates_left;
      const std::string dup = SimPadded("I-", ++invoice_counter_, 7);
      sink.Row(dup + "," + p.id + row + received.AddDays(2).ToIso() + "," + category + ",Support " + month.ToString() +
               " (resent)\n");
      truth_.anomalies.push_back({"DUPLICATE_INVOICE", "invoice:" + dup, month.ToString(), "an invoice sent twice"});
      truth_.consequences.push_back({"DELAY_INVOICE", "invoice:" + dup, month.ToString(), "never approved, so unpaid"});
    }
    if (unapproved_left > 0 && index != b.join_month && b.plant == BudgetPlant::kNone && !b.near_duplicate) {
      --unapproved_left;
      const std::string bad = SimPadded("I-", ++invoice_counter_, 7);
      const SimProvider u = Provider(static_cast<size_t>(index) % 3);
      sink.Row(bad + "," + u.id + "," + b.id + ",180.00," + from.ToIso() + "," + to.ToIso() + "," + received.ToIso() +
               ",activities,Peer group sessions\n");
      truth_.anomalies.push_back({"UNAPPROVED_PROVIDER", "invoice:" + bad, month.ToString(), "provider not approved"});
      truth_.consequences.push_back({"DELAY_INVOICE", "invoice:" + bad, month.ToString(), "never approved, so unpaid"});
    }
  });
  sink.End();
  // Invoices entered late: received weeks before the run that pays them.
  if (plant && (index == 1 || index == 4 || index == 8)) {
    assert(held_);  // planting needs the budgets held
    const Date run = runs.back();
    int k = 0;
    for (const SimBudget& b : budgets_) {
      if (k == 4) break;
      if (b.management != SimManagement::kNotional || b.join_month != 0 || b.plant != BudgetPlant::kNone ||
          b.near_duplicate || b.pot_id != "PHB-MH-2627") {
        continue;
      }
      const SimProvider& p = providers_[b.provider];  // held: planting
      const bool small_vcse = p.kind == "vcse" && (p.size == "micro" || p.size == "small");
      // k 0, 1: a micro/small VCSE provider (10-day threshold); k 2, 3: any other (30 days).
      if ((k < 2) != small_vcse) continue;
      const int32_t days = k == 0 ? 20 : k == 1 ? 10 : k == 2 ? 31 : 30;
      const Date received = run.AddDays(-days);
      const std::string id = SimPadded("I-", ++invoice_counter_, 7);
      late_invoices_.push_back({run, id + "," + p.id + "," + b.id + "," + FormatPence(4'250 + 1'000 * k) + "," +
                                         received.AddDays(-6).ToIso() + "," + received.ToIso() + "," +
                                         received.ToIso() + ",activities,Sessions (entered late)\n"});
      const std::string note = std::to_string(days) + " days from receipt to payment";
      if (k == 0 || k == 2) {
        truth_.anomalies.push_back({"DELAY_INVOICE", "invoice:" + id, month.ToString(), note});
      } else {
        truth_.near_misses.push_back({"DELAY_INVOICE", "invoice:" + id, month.ToString(), note});
      }
      ++k;
    }
  }
}

void SimWorld::BeforeRunFiles(int, Date run, SimSink& sink) {
  const std::string name = "invoices-late-" + run.ToIso() + ".csv";
  SimLazyFile late{sink, "invoices", name.c_str(),
                   "invoice_id,provider_id,budget_id,amount,service_from,service_to,received_on,category,"
                   "description\n"};
  for (const auto& [on, row] : late_invoices_) {
    if (on == run) late.Row(row);
  }
  late.End();
}

void SimWorld::DpReturns(int index, SimSink& sink) {
  const Month month = SimMonth(index);
  sink.Begin("dp-returns", "dp-returns.csv");
  sink.Row("return_id,budget_id,spent_on,amount,category,description\n");
  const bool plant = params_.plant && params_.people >= 120;
  int prohibited_left = plant && (index == 1 || index == 4 || index == 7) ? 1 : 0;
  ForEachBudget([&](SimBudget& b) {
    if (b.management == SimManagement::kNotional) return;
    if (!held_) b.dp_balance_pence = ModelDpBalance(b, index);
    if (b.dp_balance_pence <= 0) return;
    int64_t spend = b.dp_balance_pence * b.spend_pct / 100;
    if (b.plant == BudgetPlant::kHoard && index > b.join_month) {
      spend = 0;
      const int64_t period = DaysBetween(b.start, b.end) + 1;
      auto allowance = ProRate(Pence::FromPence(b.amount_pence), 56, static_cast<uint64_t>(period));
      if (b.dp_balance_pence > *allowance->ToInt64() &&
          std::none_of(truth_.anomalies.begin(), truth_.anomalies.end(),
                       [&](const TruthFlag& f) { return f.entity == "budget:" + b.id && f.code == "DP_SURPLUS"; })) {
        truth_.anomalies.push_back({"DP_SURPLUS", "budget:" + b.id, month.ToString(), "holder reports no spending"});
        truth_.consequences.push_back(
            {"UNDERSPEND_BUDGET", "budget:" + b.id, month.ToString(), "no spending reported"});
      }
    }
    if (b.plant == BudgetPlant::kExactAllowance) {
      const int64_t period = DaysBetween(b.start, b.end) + 1;
      const int64_t allowance =
          *ProRate(Pence::FromPence(b.amount_pence), 56, static_cast<uint64_t>(period))->ToInt64();
      spend = std::max<int64_t>(0, b.dp_balance_pence - allowance);
      if (b.dp_balance_pence >= allowance) {
        truth_.near_misses.push_back(
            {"DP_SURPLUS", "budget:" + b.id, month.ToString(), "holds exactly 8 weeks of funding"});
        truth_.consequences.push_back({"UNDERSPEND_BUDGET", "budget:" + b.id, month.ToString(), "spends little"});
      }
    }
    if (spend <= 0) return;
    const Date on = month.last_day();  // on or after every run of the month
    const uint64_t h = std::stoull(b.id.substr(2)) + static_cast<uint64_t>(index);
    if (prohibited_left > 0 && b.management == SimManagement::kDirect && b.plant == BudgetPlant::kNone &&
        std::stoull(b.id.substr(2)) % 5 == static_cast<uint64_t>(index) % 5) {  // a different holder each time
      --prohibited_left;
      static const char* kProhibited[] = {"gambling", "alcohol", "debt-repayment"};
      const char* category = kProhibited[(index / 3) % 3];
      const int64_t part = std::min<int64_t>(spend, 12'345);
      sink.Row(SimPadded("DR-", ++return_counter_, 7) + "," + b.id + "," + on.ToIso() + "," + FormatPence(part) + "," +
               category + ",Reported spending\n");
      spend -= part;
      b.dp_balance_pence -= part;
      truth_.anomalies.push_back({"PROHIBITED_SPEND", "spent:" + b.id + ":" + category, month.ToString(),
                                  "a return in a prohibited category"});
    }
    if (spend <= 0) return;
    sink.Row(SimPadded("DR-", ++return_counter_, 7) + "," + b.id + "," + on.ToIso() + "," + FormatPence(spend) + "," +
             kCategoriesDp[h % std::size(kCategoriesDp)] + ",Monthly return\n");
    b.dp_balance_pence -= spend;
  });
  sink.End();
}

}  // namespace rf::sim
