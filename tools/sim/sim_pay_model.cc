// The streamed world's payment runs (README "simulate"): what the real
// `pay` would pay on each run of the simulated calendar, computed from the
// budgets' terms with the schedule `pay` itself uses (InstalmentSchedule),
// so no ledger is needed. It holds for the world without planted anomalies:
// every budget approved on or before its start, every instalment and
// invoice paid by the first run that may pay it, nothing returned, no
// budget short of funds. The simulate test runs the ledger-driven path on
// the same seed and compares every file byte for byte.
#include <cassert>
#include <cstdio>

#include "ledger/payments/schedule.h"
#include "tools/sim/sim_world.h"

namespace rf::sim {
namespace {

int MonthIndexOf(Date d) { return (d.year() - 2026) * 12 + static_cast<int>(d.month()) - 4; }

std::vector<Instalment> ScheduleOf(const SimBudget& b) {
  const char* management = b.management == SimManagement::kThirdParty ? "third-party" : "direct-payment";
  auto schedule = InstalmentSchedule({b.id, management, b.frequency, Pence::FromPence(b.amount_pence), b.start, b.end});
  assert(schedule.ok());  // the world draws only valid terms
  return schedule.ok() ? std::move(*schedule) : std::vector<Instalment>{};
}

// The run that pays an instalment: the first on or after its due date and
// the budget's approval (`pay` pays what is due on or before its date, for
// budgets approved on or before it).
Date PayingRun(const SimBudget& b, const Instalment& i) { return FirstRunOnOrAfter(std::max(i.due_on, b.approved_on)); }

// `pay`'s instalment payment id, readable form: DP-<budget>-<nnnn>. The
// world's budget ids (B-nnnnnn) keep it a bank id of at most 35 characters,
// so the hashed form never applies.
std::string InstalmentId(const std::string& budget_id, uint32_t number) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%04u", number);
  const std::string id = "DP-" + budget_id + suffix;
  assert(id.size() <= 35);
  return id;
}

}  // namespace

void SimWorld::MonthInstalments(int index, const std::function<void(Date, const RunPayment&)>& fn) const {
  assert(!held_);
  // Budgets in id order, as `pay` walks its budget view: ids B-nnnnnn sort
  // as numbers below a million people.
  assert(params_.people < 1'000'000);
  for (uint64_t n = 0; n < params_.people; ++n) {
    SimPerson person;
    const std::optional<SimBudget> b = DrawPersonAndBudget(params_, n, &person);
    if (!b || b->management == SimManagement::kNotional || b->join_month > index) continue;
    assert(b->plant == BudgetPlant::kNone);
    for (const Instalment& i : ScheduleOf(*b)) {
      if (i.amount.is_zero()) continue;  // never paid
      const Date run = PayingRun(*b, i);
      if (MonthIndexOf(run) > index) break;
      if (MonthIndexOf(run) < index) continue;
      fn(run, {.payment_id = InstalmentId(b->id, i.number),
               .purpose = PaymentPurpose::kInstalment,
               .invoice_id = "",
               .budget_id = b->id,
               .provider_id = "",
               .payee_ref = b->payee_ref,
               .creditor_name = "PHB budget " + b->id,
               .amount = i.amount,
               .due_on = i.due_on});
    }
  }
}

int64_t SimWorld::ModelDpBalance(const SimBudget& b, int index) const {
  assert(!held_ && b.plant == BudgetPlant::kNone && b.management != SimManagement::kNotional);
  const std::vector<Instalment> schedule = ScheduleOf(b);
  int64_t balance = 0;
  size_t next = 0;
  for (int month = b.join_month; month <= index; ++month) {
    // What the month's runs paid, then (before `index`) what the holder's
    // return reported spent, as DpReturns writes it.
    for (; next < schedule.size() && MonthIndexOf(PayingRun(b, schedule[next])) <= month; ++next) {
      balance += *schedule[next].amount.ToInt64();
    }
    if (month == index || balance <= 0) continue;
    const int64_t spend = balance * b.spend_pct / 100;
    if (spend > 0) balance -= spend;
  }
  return balance;
}

}  // namespace rf::sim
