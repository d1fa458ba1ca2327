#ifndef RINGFENCE_LEDGER_CORE_RULES_H_
#define RINGFENCE_LEDGER_CORE_RULES_H_

// The ring-fence rules, checked for one entry's postings before it is
// written (PRODUCT.md "Ring-fence rules"). Pure: balances and reference data
// come through RuleContext, so the same check runs on live views and in
// property tests.
//
//   0. Postings sum to zero exactly; no zero amounts; at least two.
//   1. pot, budget, payable and dp accounts never go below zero, on any
//      date, unless the entry carries an override with reason and actor;
//      such an overdraft is returned as a finding (reconciliation flags
//      OVERSPEND). "On any date": an entry effective on day d that takes
//      money from such an account is checked against the lowest end-of-day
//      balance the account has on d or any later day it moved
//      (RuleContext::LowestBalanceFrom), so a back-dated debit cannot
//      overdraw a day between d and today. How that stays cheap: the views
//      keep each ring-fenced account's net movement per day, one key per
//      account and year (daydelta/, records.h); the lowest balance is the
//      balance now less the movements dated after each day, walked back
//      from the latest day to d. Most entries are dated in the latest year,
//      so that is the one key the entry updates anyway.
//   2. Money leaves ring-fenced accounts only to paid:*, spent:*, or its own
//      pot's funding:* with a reason. Anything to external:* needs a reason
//      and an actor and is returned as a diversion finding.
//   3. Every pot-scoped account an entry touches belongs to one pot.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/account.h"
#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "crypto/status.h"

namespace rf {

// At most this many postings in one entry (an entry is a human-sized event).
inline constexpr size_t kPostingsPerEntryMax = 64;

struct Posting {
  Account account;
  Pence amount;  // positive: the account receives money
};

// A reason is words a person can read: at least kReasonLettersMin letters
// (ASCII letters, or any non-ASCII character), not spaces or punctuation.
inline constexpr size_t kReasonLettersMin = 3;
bool IsReason(std::string_view text);

// Why an entry may break a rule, and who said so.
struct Authority {
  std::string reason;
  std::string actor;
  bool override_negative = false;  // explicitly allow rule 1 to be broken
  bool complete() const { return IsReason(reason) && !actor.empty(); }
};

class RuleContext {
 public:
  virtual ~RuleContext() = default;
  virtual Pence Balance(const Account& account) const = 0;
  // The lowest end-of-day balance `account` has on the entry's effective
  // date or any later day it moved, before this entry, and the first day it
  // has it (nullopt: a context without dates, where that is the balance).
  struct Lowest {
    Pence balance;
    std::optional<Date> on;
  };
  virtual Lowest LowestBalanceFrom(const Account& account) const { return {Balance(account), std::nullopt}; }
  // The pot a budget belongs to; nullopt if the budget is unknown.
  virtual std::optional<std::string> PotOfBudget(const std::string& budget) const = 0;
  // The funding org of a pot; nullopt if the pot is unknown.
  virtual std::optional<std::string> FunderOfPot(const std::string& pot) const = 0;
};

struct Overdraft {
  Account account;
  Pence balance_after;  // negative
};

struct RuleFindings {
  std::vector<Overdraft> overdrafts;  // allowed by an override: flag OVERSPEND
  bool diversion = false;             // ring-fenced money to external:*: flag DIVERSION_TRANSFER
};

// Stable refusal codes decided outside CheckRingFence (settlement, dates).
// Status does not carry a code yet: RefusedWithCode keeps each refusal's code
// beside its sentence, so wiring it into Status is one change here.
namespace refusal {
inline constexpr char kBankLineUnknown[] = "BANK_LINE_UNKNOWN";        // the line is on no loaded statement
inline constexpr char kBankLineUsed[] = "BANK_LINE_USED";              // the line already settles something
inline constexpr char kBankLineDate[] = "BANK_LINE_DATE";              // booked on another day
inline constexpr char kAlreadySettled[] = "ALREADY_SETTLED";           // the payment (or run) settled before
inline constexpr char kSettlementAmount[] = "SETTLEMENT_AMOUNT";       // amounts differ by a penny or more
inline constexpr char kRunUnknown[] = "RUN_UNKNOWN";                   // no payment names that run
inline constexpr char kRunPartlySettled[] = "RUN_PARTLY_SETTLED";      // some of its payments settled alone
inline constexpr char kFutureDated[] = "FUTURE_DATED";                 // beyond dates.future_days_max
}  // namespace refusal
inline Status RefusedWithCode(std::string_view code, std::string sentence) {
  static_cast<void>(code);  // REQUIRES: one of refusal::k*; not yet carried by Status
  return Status::Refused(std::move(sentence));
}

// Errors: Refused with a sentence naming the account and, for rule 1, the
// shortfall in pounds and pence; InvalidInput for malformed postings.
Result<RuleFindings> CheckRingFence(const std::vector<Posting>& postings, const RuleContext& context,
                                    const Authority& authority);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_RULES_H_
