#ifndef RINGFENCE_RECONCILE_MATCH_RETURNS_H_
#define RINGFENCE_RECONCILE_MATCH_RETURNS_H_

// Returned payments (issue 17 item 3): which inflow bank line brings back
// which settled payment. Pure, like match.h: the matcher proposes, the
// apply rules (payment.returned) enforce. Runs after MatchStatement, over
// the inflows it left (amount_pence > 0).
//
// Two tiers, in the contract's spirit ("Matching order"):
//   (a) end_to_end_id: a line whose end-to-end id is a settled payment's,
//       with the same amount to the penny, booked on or after the payment's
//       settlement, and the same payee when the line names one (a bank
//       returning a payment echoes its end-to-end id). A line whose id names
//       one of our payments that it does not confirm (another amount,
//       payee, booked before the settlement, or a payment not settled or
//       already returned: `returnable` false) is left with the reason and
//       goes no further: it must not be matched by amount to another one.
//       A payment already returned is read as settled (on its settlement
//       date: amount, date, payee) and told "returned" only when the line
//       would confirm it, so a line's reason is the same whether another
//       line returns the payment in this run or returned it before.
//   (b) amount_payee_date: a line with no end-to-end id of ours that names
//       a payee, against returnable payments to that payee of the same
//       amount, settled on or before the line's booking date and no more
//       than `window_business_days` business days before it. A line with one
//       candidate that no other line also claims is matched; otherwise every
//       line and payment of the tie is left for a person (kAmbiguous, the
//       candidates listed), never guessed.
// A line left by both tiers keeps its kInflow verdict (money in, no payment
// returned), with the reason saying so.
//
// Deterministic: depends only on the set of inputs; lists sorted by id.
// Cost: O(n log n) in lines + payments; memory linear.

#include <cstddef>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "reconcile/match.h"

namespace rf {

// A payment an inflow may return. settled payments in or near the month,
// and any payment an inflow's end-to-end id names (returnable false when it
// is not settled or already returned: such a line is explained, not matched).
struct SettledPaymentIn {
  std::string payment_id;  // unique
  Date settled_on;         // meaningful when returnable
  Pence amount_pence;      // positive: paid out
  std::string payee_ref;
  std::string end_to_end_id;  // the id sent to the bank (= payment_id today)
  bool returnable = true;
  std::string state;  // "pending", "returned", ...: the reason when not returnable
};

struct ProposedReturn {
  std::string line_id;
  std::string payment_id;
  MatchRule rule = MatchRule::kEndToEndId;  // kEndToEndId or kAmountPayeeDate
  Date booked_on;
  Pence amount_pence;  // brought back: the line's amount
};

struct ReturnMatchResult {
  std::vector<ProposedReturn> returns;         // by line id
  std::vector<UnmatchedItem> unmatched_lines;  // by line id: every inflow not matched
};

// `inflows`: lines with amount_pence > 0 (others are an InvalidInput).
// Errors (InvalidInput, naming the item): an empty or repeated id, more
// items than match.h's bounds, an amount outside int64 pence, a window over
// kBusinessDaysWindowMax. Every inflow appears exactly once in the result.
Result<ReturnMatchResult> MatchReturns(const std::vector<BankLineIn>& inflows,
                                       const std::vector<SettledPaymentIn>& payments, const MatchOptions& options);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MATCH_RETURNS_H_
