#include "reconcile/month_flags_all.h"

#include <utility>

#include "ledger/bank/iban.h"
#include "ledger/core/entry.h"
#include "reconcile/returned_flags.h"

namespace rf {

std::string PayeeMismatchSentence(const PayeeMismatch& m) {
  return "Bank line " + m.line_id + " carries payment " + m.payment_id + "'s end-to-end id and amount (" +
         m.amount_pence.ToPounds() + ") but paid account " + MaskIban(m.line_payee_ref) + ", not the payee's " +
         MaskIban(m.payment_payee_ref) +
         ": ask the bank where the money went and check the payee's bank details before paying them again.";
}

Result<std::vector<MonthFlag>> MonthFlags(const Ledger& ledger, const MonthMatchPlan& plan, bool plan_committed,
                                          const std::function<void(uint64_t, uint64_t)>& progress) {
  const Month& month = plan.month;
  // The month as at its last day: balances and thresholds then, with any
  // settlements committed (month_flags.h).
  RF_ASSIGN(as_at_month_end, RebuildViews(ledger.journal(), month.last_day(), progress));
  auto evaluated = EvaluateMonthFlags(as_at_month_end, month);
  if (!evaluated.ok()) return evaluated.status().WithContext("flags: ");
  auto returned = ReturnedPaymentFlags(as_at_month_end, month);
  if (!returned.ok()) return returned.status().WithContext("flags: ");
  for (MonthFlag& f : *returned) evaluated->push_back(std::move(f));
  // The rules' flag records are only in the live views (month_flags.h).
  const Journal& journal = ledger.journal();
  auto effective_of = [&](uint64_t seq) -> Result<Date> {
    RF_ASSIGN(line, journal.Line(seq));
    auto entry = ParseEntryLine(line);
    if (!entry.ok()) return Status::Tampered("entry " + std::to_string(seq) + ": " + entry.status().message());
    return entry->draft.effective;
  };
  Status read = ledger.ReadViews([&](const ViewSource& views) {
    RF_ASSIGN(rule_flags, ReadRuleFlags(views, month, effective_of));
    for (MonthFlag& f : rule_flags) evaluated->push_back(std::move(f));
    if (plan_committed) return Status::Ok();
    RF_ASSIGN(planned_returns, PlannedReturnFlags(views, plan));
    for (MonthFlag& f : planned_returns) evaluated->push_back(std::move(f));
    return Status::Ok();
  });
  if (!read.ok()) return read.WithContext("flags: ");
  if (!plan_committed) {
    std::vector<std::string> would_settle;
    for (const auto& m : plan.result.matches) {
      if (m.run_id.empty()) {
        would_settle.push_back(m.payment_id);
      } else {
        would_settle.insert(would_settle.end(), m.run_payment_ids.begin(), m.run_payment_ids.end());
      }
    }
    DropSettledByPlan(would_settle, *evaluated);
  }
  std::vector<MonthFlag> flags = std::move(*evaluated);
  for (const auto& m : plan.result.payee_mismatches) flags.push_back(PayeeMismatchFlag(m, PayeeMismatchSentence(m)));
  for (MonthFlag& f : UnmatchedLineFlags(plan.result, plan.lines)) flags.push_back(std::move(f));
  SortMonthFlags(flags);
  return flags;
}

Result<std::vector<MonthFlag>> DryRunMonthFlags(const Ledger& ledger, const Month& month, const DraftOrigin& origin,
                                                const std::function<void(uint64_t, uint64_t)>& progress) {
  Result<MonthMatchPlan> plan = Status::InvalidInput("no plan");
  Status read = ledger.ReadViews([&](const ViewSource& views) {
    plan = PlanMonthMatch(views, month, std::nullopt, origin);
    return plan.status();
  });
  if (!read.ok()) return read;
  return MonthFlags(ledger, *plan, /*plan_committed=*/false, progress);
}

}  // namespace rf
