#include "reconcile/month_flags_all.h"

#include <map>
#include <string_view>
#include <utility>

#include "ledger/bank/iban.h"
#include "ledger/core/entry.h"
#include "reconcile/month_end_views.h"
#include "reconcile/returned_flags.h"
#include "reconcile/payee_flags.h"

namespace rf {

std::string PayeeMismatchSentence(const PayeeMismatch& m) {
  return "Bank line " + m.line_id + " carries payment " + m.payment_id + "'s end-to-end id and amount (" +
         m.amount_pence.ToPounds() + ") but paid account " + MaskIban(m.line_payee_ref) + ", not the payee's " +
         MaskIban(m.payment_payee_ref) +
         ": ask the bank where the money went and check the payee's bank details before paying them again.";
}

std::function<Result<Date>(uint64_t)> JournalEffectiveOf(const Journal& journal) {
  return [&journal](uint64_t seq) -> Result<Date> {
    RF_ASSIGN(line, journal.Line(seq));
    auto entry = ParseEntryLine(line);
    if (!entry.ok()) return Status::Tampered("entry " + std::to_string(seq) + ": " + entry.status().message());
    return entry->draft.effective;
  };
}

std::vector<MonthFlag> AssembleMonthFlags(std::vector<MonthFlag> evaluated, std::vector<MonthFlag> rule_flags,
                                          const MonthMatchPlan& plan, bool plan_committed) {
  for (MonthFlag& f : rule_flags) evaluated.push_back(std::move(f));
  if (!plan_committed) {
    std::vector<std::string> would_settle;
    for (const auto& m : plan.result.matches) {
      if (m.run_id.empty()) {
        would_settle.push_back(m.payment_id);
      } else {
        would_settle.insert(would_settle.end(), m.run_payment_ids.begin(), m.run_payment_ids.end());
      }
    }
    DropSettledByPlan(would_settle, evaluated);
  }
  std::vector<MonthFlag> flags = std::move(evaluated);
  // One flag per payment (its id is the payment's): two or more lines
  // carrying its end-to-end id and amount to other payees are one
  // DIVERSION_PAYEE_MISMATCH, every line its evidence, at stake what they
  // paid out together (two flags of one id would be refused by flags.raised).
  std::map<std::string_view, std::vector<const PayeeMismatch*>> by_payment;
  for (const auto& m : plan.result.payee_mismatches) by_payment[m.payment_id].push_back(&m);
  for (const auto& [payment_id, group] : by_payment) {
    if (group.size() == 1) {
      flags.push_back(PayeeMismatchFlag(*group[0], PayeeMismatchSentence(*group[0])));
      continue;
    }
    std::string lines, paid;
    Pence at_stake;
    for (const PayeeMismatch* m : group) {
      lines += (lines.empty() ? "" : ", ") + m->line_id;
      paid += (paid.empty() ? "" : ", ") + MaskIban(m->line_payee_ref);
      at_stake += m->amount_pence;
    }
    const PayeeMismatch& first = *group[0];
    MonthFlag flag = PayeeMismatchFlag(
        first, "Bank lines " + lines + " carry payment " + first.payment_id + "'s end-to-end id and amount (" +
                   first.amount_pence.ToPounds() + " each) but paid accounts " + paid + ", not the payee's " +
                   MaskIban(first.payment_payee_ref) +
                   ": ask the bank where the money went and check the payee's bank details before paying them "
                   "again.");
    flag.amount_at_stake_pence = at_stake;
    for (size_t i = 1; i < group.size(); ++i) flag.words->evidence_bank_lines.push_back(group[i]->line_id);
    flags.push_back(std::move(flag));
  }
  for (MonthFlag& f : UnmatchedLineFlags(plan.result, plan.lines)) flags.push_back(std::move(f));
  SortMonthFlags(flags);
  return flags;
}

Result<std::vector<MonthFlag>> MonthEndFlags(const ViewSource& month_end, const Month& month) {
  // EvaluateMonthFlags, keeping the inputs: the returns are read from the
  // same payments, so the month reads its payments once.
  RF_ASSIGN(thresholds, ReadFlagThresholds(month_end));
  RF_ASSIGN(inputs, ReadMonthFlagInputs(month_end, month));
  RF_ASSIGN(flags, EvaluateMonthFlagInputs(inputs, thresholds));
  // Records are read as of their dates: a return dated in the month.
  RF_ASSIGN(returned, ReturnedPaymentFlagsOf(inputs.payments, month));
  for (MonthFlag& f : returned) flags.push_back(std::move(f));
  inputs = FlagInputs{};  // freed before the amendments are read
  RF_ASSIGN(payee_changes, PayeeChangedFlags(month_end, month));
  for (MonthFlag& f : payee_changes) flags.push_back(std::move(f));
  return flags;
}

Result<MonthEndFlagsRead> ReadMonthEndFlags(const Ledger& ledger, const Month& month) {
  // The month as at its last day: balances and thresholds then, with any
  // settlements committed, served from the live views (month_end_views.h);
  // the rules' flag records are only in the live views (month_flags.h).
  MonthEndFlagsRead read;
  Result<std::vector<MonthFlag>> evaluated = Status::InvalidInput("not evaluated");
  RF_ASSIGN(before, ledger.journal().Size());
  Status status = ledger.ReadViews([&](const ViewSource& views) {
    RF_ASSIGN(month_end, MonthEndViews::Make(views, month.last_day()));
    evaluated = MonthEndFlags(*month_end, month);
    if (!evaluated.ok()) return Status::Ok();  // reported below, with its own prefix
    RF_ASSIGN(thresholds, ReadFlagThresholds(*month_end));
    read.thresholds = std::move(thresholds);
    RF_ASSIGN(found, ReadRuleFlags(views, month, JournalEffectiveOf(ledger.journal())));
    read.rule_flags = std::move(found);
    return Status::Ok();
  });
  if (!status.ok()) return status.WithContext("flags: ");
  if (!evaluated.ok()) return evaluated.status().WithContext("flags: ");
  read.evaluated = std::move(*evaluated);
  RF_ASSIGN(after, ledger.journal().Size());
  if (before == after) read.journal_size = before;
  return read;
}

Result<std::vector<MonthFlag>> FinishMonthFlags(const Ledger& ledger, MonthEndFlagsRead read,
                                                const MonthMatchPlan& plan, bool plan_committed) {
  if (!plan_committed) {
    Status status = ledger.ReadViews([&](const ViewSource& views) -> Status {
      RF_ASSIGN(planned_returns, PlannedReturnFlags(views, plan));
      for (MonthFlag& f : planned_returns) read.rule_flags.push_back(std::move(f));
      return Status::Ok();
    });
    if (!status.ok()) return status.WithContext("flags: ");
  }
  return AssembleMonthFlags(std::move(read.evaluated), std::move(read.rule_flags), plan, plan_committed);
}

Result<std::vector<MonthFlag>> MonthFlags(const Ledger& ledger, const MonthMatchPlan& plan, bool plan_committed,
                                          const std::function<void(uint64_t, uint64_t)>& progress,
                                          FlagThresholds* thresholds_out) {
  (void)progress;  // nothing long left to report: no replay
  RF_ASSIGN(read, ReadMonthEndFlags(ledger, plan.month));
  if (thresholds_out != nullptr) *thresholds_out = read.thresholds;
  return FinishMonthFlags(ledger, std::move(read), plan, plan_committed);
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
