#ifndef RINGFENCE_TOOLS_SIM_SIM_WORLD_H_
#define RINGFENCE_TOOLS_SIM_SIM_WORLD_H_

// The synthetic ICB behind `ringfence simulate` (PRODUCT.md "Input files"):
// pots, people, providers and budgets drawn once from the seed, and each
// month's input rows (invoices, reviews, transfers, direct-payment returns)
// as CSV text in the columns the real `ingest` reads. Pure: no I/O. The
// month loop (simulate.h) writes the text to files and feeds back what the
// real payment runs paid (AddInstalmentPaid), which the holders' returns
// spend.
//
// The calendar: financial year 2026-27, months from April 2026. Payment runs
// every Friday and on the 1st of each month (monthly instalments fall due on
// the 1st; four-weekly ones start on a Friday; a part month's first
// instalment is due on a run day; invoices are received on run days): the
// natural flow raises no delay flag. Every planted anomaly and near miss is
// written to the truth (sim_truth.h) with its flag code, entity and month.

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/core/date.h"
#include "tools/sim/sim_random.h"
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
};

struct SimProvider {
  std::string id, name, kind, size;
  bool community_led = false, approved = true;
  std::string iban;
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
};

struct SimPot {
  std::string id, name, programme;
  int64_t amount_pence = 0;
};

// One input file's text for a month, and where it goes in the load order.
struct SimFile {
  std::string kind;  // ingest kind
  std::string name;  // file name within the month's folder
  std::string text;
};

// "1234.56" from pence.
std::string FormatPence(int64_t pence);
// A GB IBAN with valid ISO 7064 mod 97-10 check digits for a 4-letter bank
// code and 14 digits (sort code and account number).
std::string MakeGbIban(const std::string& bank, uint64_t digits14);
// The payment-run dates (the 1st and every Friday) of month `index` (0 = April 2026).
std::vector<Date> RunDates(int index);
Month SimMonth(int index);

class SimWorld {
 public:
  // Draws the ICB. REQUIRES: params within bounds (CheckSimParams).
  explicit SimWorld(const SimParams& params);

  const SimParams& params() const { return params_; }
  const std::vector<SimBudget>& budgets() const { return budgets_; }
  const std::vector<SimProvider>& providers() const { return providers_; }
  SimTruth& truth() { return truth_; }

  // Files loaded at the start of month `index`, in load order: (April) pots,
  // people, providers; then budgets approved in the month, transfers,
  // reviews and the month's invoices.
  std::vector<SimFile> MonthStartFiles(int index);
  // Invoices entered late (received_on weeks before) just before run `run`.
  std::vector<SimFile> BeforeRunFiles(int index, Date run);
  // The holders' returns for the month (after its runs paid them).
  SimFile DpReturns(int index);
  // A run paid an instalment of budget `budget_id`.
  void AddInstalmentPaid(const std::string& budget_id, int64_t pence);

 private:
  void DrawPeopleAndBudgets();
  void DrawProviders();
  void SizePots();
  void Plant();
  size_t BudgetIndex(const std::string& id) const;
  std::string InvoiceRows(int index);

  SimParams params_;
  SimRandom random_;
  std::vector<SimPerson> people_;
  std::vector<SimProvider> providers_;
  std::vector<SimBudget> budgets_;
  std::vector<SimPot> pots_;
  SimTruth truth_;
  uint64_t invoice_counter_ = 0, return_counter_ = 0, review_counter_ = 0;
  // Late-entered invoices per run date: rows.
  std::vector<std::pair<Date, std::string>> late_invoices_;
};

}  // namespace rf::sim

#endif  // RINGFENCE_TOOLS_SIM_SIM_WORLD_H_
