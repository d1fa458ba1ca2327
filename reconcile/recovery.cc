#include "reconcile/recovery.h"

#include <cassert>
#include <string_view>

namespace rf {

std::vector<ProposedRecovery> ProposeRecoveries(const std::vector<MonthFlag>& flags, const Month& month,
                                                const FlagThresholds& thresholds) {
  constexpr std::string_view kBudgetPrefix = "budget:";
  const Date recovered_on = month.last_day().AddDays(1);
  std::vector<ProposedRecovery> out;
  for (const MonthFlag& f : flags) {
    if (f.code != FlagCode::kDpSurplus) continue;
    // The evaluator names a DP_SURPLUS flag by its budget and stakes what
    // can be reclaimed (flags.h).
    assert(f.entity.starts_with(kBudgetPrefix) && f.entity.size() > kBudgetPrefix.size());
    assert(!f.amount_at_stake_pence.is_zero() && !f.amount_at_stake_pence.is_negative());
    const std::string budget = f.entity.substr(kBudgetPrefix.size());
    std::string reason = "DP surplus recovery for " + month.ToString() + ": the amount dp:" + budget + " held on " +
                         month.last_day().ToIso() + " above " + std::to_string(thresholds.dp_surplus_weeks) +
                         " weeks of funding";
    if (!thresholds.dp_surplus_contingency_pence.is_zero()) {
      reason += " and the contingency of " + thresholds.dp_surplus_contingency_pence.ToPounds();
    }
    reason += " (flag " + FlagId(f) + "), returned to the budget as the NHS (Direct Payments) Regulations 2013 allow";
    out.push_back(ProposedRecovery{.transfer_id = kRecoveryIdPrefix + budget + "-" + month.ToString(),
                                   .date = recovered_on,
                                   .from_account = "dp:" + budget,
                                   .to_account = "budget:" + budget,
                                   .amount_pence = f.amount_at_stake_pence,
                                   .reason = std::move(reason)});
  }
  return out;
}

Table RecoveriesTable(const std::vector<ProposedRecovery>& recoveries) {
  Table t;
  t.title = "Proposed DP surplus recoveries";
  // The transfers kind's columns, in its order (ingest/rows_transfers.cc).
  t.columns = {{.id = "transfer_id", .heading = "Transfer", .numeric = false},
               {.id = "date", .heading = "Date", .numeric = false},
               {.id = "from_account", .heading = "From", .numeric = false},
               {.id = "to_account", .heading = "To", .numeric = false},
               {.id = "amount", .heading = "Amount", .numeric = true},
               {.id = "reason", .heading = "Reason", .numeric = false},
               {.id = "authorised_by", .heading = "Authorised by", .numeric = false}};
  for (const ProposedRecovery& r : recoveries) {
    assert(!r.amount_pence.is_negative() && !r.amount_pence.is_zero());
    t.rows.push_back({r.transfer_id, r.date.ToIso(), r.from_account, r.to_account, r.amount_pence.ToDecimal(),
                      r.reason, ""});
  }
  return t;
}

}  // namespace rf
