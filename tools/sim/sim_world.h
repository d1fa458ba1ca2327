#ifndef RINGFENCE_TOOLS_SIM_SIM_WORLD_H_
#define RINGFENCE_TOOLS_SIM_SIM_WORLD_H_

// The synthetic ICB behind `ringfence simulate` (PRODUCT.md "Input files"):
// pots, people, providers and budgets, each drawn from (seed, index) alone
// (DrawProvider, DrawPersonAndBudget: a SplitMix64 stream per index), and
// each month's input rows (invoices, reviews, transfers, direct-payment
// returns) in the columns the real `ingest` reads, handed row by row to a
// SimSink. Pure: no I/O.
//
// Two ways to hold the ICB (README "simulate"):
//   held      every person, provider and budget in memory: planting needs
//             them (it picks budgets and changes them), and the month loop
//             feeds back what the real payment runs paid (AddInstalmentPaid).
//   streamed  nothing per person is kept: a budget is drawn again each time
//             a month needs it, and what its holder has left is recomputed
//             from its instalment schedule (the one `pay` uses). No planting.
//
// The calendar: financial year 2026-27, months from April 2026. Payment runs
// every Friday and on the 1st of each month (monthly instalments fall due on
// the 1st; four-weekly ones start on a Friday; a part month's first
// instalment is due on a run day; invoices are received on run days): the
// natural flow raises no delay flag. Every planted anomaly and near miss is
// written to the truth (sim_truth.h) with its flag code, entity and month.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/payments/payment_run.h"
#include "tools/sim/sim_random.h"
#include "tools/sim/sim_spool.h"
#include "tools/sim/sim_truth.h"

namespace rf::sim {

inline constexpr int kSimMonthsMax = 12;
inline constexpr uint64_t kSimPeopleMax = 2'000'000;
inline constexpr char kSimDebtorIban[] = "GB33BUKB20201555555555";
inline constexpr char kSimOrg[] = "NHS Example Integrated Care Board";

struct SimParams {
  uint64_t people = 300;
  int months = 12;  // from April 2026; 1..kSimMonthsMax
  uint64_t seed = 1;
  bool plant = true;  // plant anomalies and near misses (needs >= 120 people)
};

enum class SimManagement : uint8_t { kNotional, kThirdParty, kDirect };

// What a planted budget does differently (the rest behave).
enum class BudgetPlant : uint8_t {
  kNone,
  kHoard,             // DP_SURPLUS: reports no spend from its second month
  kExactAllowance,    // near miss: spends down to exactly 8 weeks' funding
  kNoReview,          // REVIEW_OVERDUE: never reviewed
  kReviewOnDue,       // near miss: reviewed on the due day
  kUnderspend,        // UNDERSPEND_BUDGET: invoices at 30% of its share
  kUnderspendNear,    // near miss: paid exactly half its pro-rata allocation at its 90th day's month end
  kLateFirstPayment,  // DELAY_FIRST_PAYMENT: approved 15 days before its first payment
  kFirstPaymentNear,  // near miss: approved 14 days before it
  kLateApproval,      // DELAY_DP_MISSED: approved 7 days after its first instalment was due
  kLateApprovalNear,  // near miss: starts on a Tuesday, paid by the Friday run (3 days late)
};

struct SimPerson {
  std::string id, ethnic_category, age_band, sex, locality;
  bool s117 = false;
  SimLive<SimPerson> live;
};

struct SimProvider {
  std::string id, name, kind, size;
  bool community_led = false, approved = true;
  std::string iban;
  SimLive<SimProvider> live;
};

struct SimBudget {
  std::string id;
  size_t person = 0;
  std::string pot_id;
  SimManagement management = SimManagement::kNotional;
  int64_t amount_pence = 0;
  Date start, end, approved_on;
  std::string frequency;  // monthly, four-weekly, none
  std::string payee_ref;  // DP / third-party: the holder's or organisation's IBAN
  size_t provider = 0;    // notional: who invoices it
  int join_month = 0;     // 0 = April
  int invoice_pct = 90;   // notional: share of the month's allocation invoiced (80-95)
  int spend_pct = 85;     // DP / TP: share of the balance reported spent each month
  BudgetPlant plant = BudgetPlant::kNone;
  Date first_run;                // the run that first pays it
  int64_t dp_balance_pence = 0;  // held by the holder (instalments paid - spend reported)
  int64_t invoiced_pence = 0;    // kUnderspendNear: invoiced so far
  int underspend_month = 0;      // kUnderspendNear: the first month end with 90 active days
  bool near_duplicate = false;   // near miss: shares provider, amount and period with its twin
  std::string twin;              // twins (near miss) share the day their invoices arrive: the first's id
  SimLive<SimBudget> live;
};

struct SimPot {
  std::string id, name, programme;
  int64_t amount_pence = 0;
};

// Where the world's files go, one file at a time, row by row (nothing is
// held). A file is Begin, its header row, its rows, End.
class SimSink {
 public:
  virtual ~SimSink() = default;
  virtual void Begin(const std::string& kind, const std::string& name) = 0;
  virtual void Row(std::string_view text) = 0;  // one row, ending '\n'
  virtual void End() = 0;
  // An invoice just written that the run on `run` will pay (approved by
  // `approve invoices --all-valid` that day; invoices that approval
  // refuses - duplicates, unapproved providers - are not reported).
  virtual void InvoicePayable(Date run, const RunPayment& payment) {
    (void)run;
    (void)payment;
  }
};

// prefix + n zero-padded to width digits: the ids ("B-000012").
std::string SimPadded(const char* prefix, uint64_t n, int width);
// "1234.56" from pence.
std::string FormatPence(int64_t pence);
// A GB IBAN with valid ISO 7064 mod 97-10 check digits for a 4-letter bank
// code and 14 digits (sort code and account number).
std::string MakeGbIban(const std::string& bank, uint64_t digits14);
// The payment-run dates (the 1st and every Friday) of month `index` (0 = April 2026).
std::vector<Date> RunDates(int index);
Month SimMonth(int index);
// The first payment run on or after a day.
Date FirstRunOnOrAfter(Date d);
// Providers in the ICB: max(40, people / 8).
uint64_t SimProviderCount(const SimParams& params);
// Provider `index` (0-based), from the seed alone.
SimProvider DrawProvider(const SimParams& params, uint64_t index);
// Person `index` (0-based) and their budget, from the seed alone (nullopt:
// they join after the simulated months). Before any planting.
std::optional<SimBudget> DrawPersonAndBudget(const SimParams& params, uint64_t index, SimPerson* person);

class SimWorld {
 public:
  // Draws the ICB. REQUIRES: params within bounds (CheckSimParams); held,
  // or params.plant false (planting changes budgets, which needs them held).
  SimWorld(const SimParams& params, bool held);

  const SimParams& params() const { return params_; }
  bool held() const { return held_; }
  uint64_t budget_count() const { return budget_count_; }
  uint64_t provider_count() const { return SimProviderCount(params_); }
  SimProvider Provider(size_t index) const;
  SimTruth& truth() { return truth_; }

  // Files loaded at the start of month `index`, in load order: (April) pots,
  // people, providers; then budgets approved in the month, transfers,
  // reviews and the month's invoices.
  void MonthStartFiles(int index, SimSink& sink);
  // Invoices entered late (received_on weeks before) just before run `run`.
  void BeforeRunFiles(int index, Date run, SimSink& sink);
  // The holders' returns for the month (after its runs paid them).
  void DpReturns(int index, SimSink& sink);
  // Held: a run paid an instalment of budget `budget_id`.
  void AddInstalmentPaid(const std::string& budget_id, int64_t pence);
  // Streamed: every instalment a run of month `index` pays, as `pay` plans
  // it (sim_pay_model.cc): budgets in id order, each budget's oldest first,
  // paid by the first run on or after both its due date and the budget's
  // approval. REQUIRES: !held().
  void MonthInstalments(int index, const std::function<void(Date run, const RunPayment&)>& fn) const;

 private:
  void ForEachBudget(const std::function<void(SimBudget&)>& fn);
  void DrawHeld();
  void Plant();
  void SizePots();
  size_t BudgetIndex(const std::string& id) const;
  void InvoiceRows(int index, SimSink& sink);
  // Streamed: what a holder has left at month `index`'s returns.
  int64_t ModelDpBalance(const SimBudget& b, int index) const;

  SimParams params_;
  bool held_ = true;
  uint64_t budget_count_ = 0;
  std::vector<SimPerson> people_;       // held only
  std::vector<SimProvider> providers_;  // held only
  std::vector<SimBudget> budgets_;      // held only
  std::vector<SimPot> pots_;
  SimTruth truth_;
  uint64_t invoice_counter_ = 0, return_counter_ = 0, review_counter_ = 0;
  // Late-entered invoices per run date: rows.
  std::vector<std::pair<Date, std::string>> late_invoices_;
};

}  // namespace rf::sim

#endif  // RINGFENCE_TOOLS_SIM_SIM_WORLD_H_
