#ifndef RINGFENCE_LEDGER_CORE_POT_SCOPE_H_
#define RINGFENCE_LEDGER_CORE_POT_SCOPE_H_

// Which pot an account's postings are scoped to (rule 3, rules.h): the one
// rule that ApplyPostings (its potnet/ and the pot a flag names), the
// ring-fence rules and the HTML report's month-end pot figures
// (reconcile/month_end_figures.cc) all read an entry's pot by.
//
//   pot:P                                   P itself
//   budget:B, payable:B:*, dp:B, spent:B:*  B's pot (its budget record's pot_id)
//   funding:*, paid:*, external:*           none ("")

#include <string>
#include <utility>

#include "crypto/status.h"
#include "ledger/core/account.h"

namespace rf {

// The pot `account` is scoped to, or "" for an account outside any pot.
// `pot_of_budget(budget_id)` answers a budget's pot as a Result<std::string>
// (its error, e.g. an unknown budget, is returned as it is); it is called
// only for an account of a budget, with that budget's id.
// REQUIRES: pot_of_budget is callable as Result<std::string>(const std::string&).
template <typename PotOfBudget>
Result<std::string> PotOfAccount(const Account& account, PotOfBudget&& pot_of_budget) {
  if (account.type == AccountType::kPot) return account.id;
  const std::string& budget_id = account.budget();
  if (budget_id.empty()) return std::string();
  return std::forward<PotOfBudget>(pot_of_budget)(budget_id);
}

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_POT_SCOPE_H_
