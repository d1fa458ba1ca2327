#include "ledger/core/rules.h"

#include <cassert>
#include <map>
#include <set>

#include "ledger/core/pot_scope.h"

namespace rf {

bool IsReason(std::string_view text) {
  size_t letters = 0;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    const bool ascii_letter = (byte | 0x20) >= 'a' && (byte | 0x20) <= 'z';
    const bool non_ascii_start = byte >= 0xC0;  // the first byte of a UTF-8 character beyond ASCII
    if (ascii_letter || non_ascii_start) ++letters;
  }
  return letters >= kReasonLettersMin;
}

Status NotKnown(std::string_view what, std::string_view id) {
  struct Known {
    std::string_view what;
    std::string_view code;
  };
  static constexpr Known kKnown[] = {
      {"pot", refusal::kUnknownPot},         {"budget", refusal::kUnknownBudget},
      {"person", refusal::kUnknownPerson},   {"provider", refusal::kUnknownProvider},
      {"invoice", refusal::kUnknownInvoice}, {"payment", refusal::kUnknownPayment},
  };
  for (const Known& known : kKnown) {
    if (known.what == what) {
      return RefusedWithCode(known.code, std::string(what) + " " + std::string(id) + " is not known");
    }
  }
  assert(false && "NotKnown: not a kind of record");
  return Status::Refused(std::string(what) + " " + std::string(id) + " is not known");
}

Status CheckNoPaidPosting(const std::vector<Posting>& postings) {
  for (const Posting& p : postings) {
    if (p.account.type == AccountType::kPaid && !p.amount.is_negative()) {
      return RefusedWithCode(refusal::kPaidOnlyByPayment,
                             p.account.ToString() +
                                 ": money reaches a provider only through a payment of an "
                                 "approved invoice (or an instalment), never by a posting");
    }
  }
  return Status::Ok();
}

Status CheckProviderApproved(std::string_view provider, bool approved) {
  if (approved) return Status::Ok();
  return RefusedWithCode(refusal::kUnapprovedProvider,
                         "provider " + std::string(provider) + " is not approved: it cannot be paid");
}

Status CheckNotBeforeBudgetApproval(std::string_view what, std::string_view budget, Date approved_on, Date effective) {
  if (effective < approved_on) {
    return RefusedWithCode(refusal::kBeforeBudgetApproved, std::string(what) + " names budget " + std::string(budget) +
                                                               ", approved on " + approved_on.ToIso() +
                                                               ", after this entry's date " + effective.ToIso() +
                                                               " (as of that date the budget does not exist yet)");
  }
  return Status::Ok();
}

Status CheckReviewAfterApproval(std::string_view budget, Date approved_on, Date reviewed_on) {
  if (reviewed_on < approved_on) {
    return RefusedWithCode(refusal::kReviewBeforeApproval,
                           "budget " + std::string(budget) + " was approved on " + approved_on.ToIso() +
                               ": it cannot be reviewed before that, on " + reviewed_on.ToIso());
  }
  return Status::Ok();
}

namespace {

// The pot an account's money belongs to, for rule 3 (PotOfAccount,
// pot_scope.h); "" for accounts outside any pot. NotKnown for a pot or
// budget the context does not hold.
Result<std::string> PotScope(const Account& account, const RuleContext& context) {
  if (account.type == AccountType::kPot && !context.FunderOfPot(account.id)) return NotKnown("pot", account.id);
  return PotOfAccount(account, [&](const std::string& budget_id) -> Result<std::string> {
    auto pot = context.PotOfBudget(budget_id);
    if (!pot) return NotKnown("budget", budget_id);
    return *pot;
  });
}

}  // namespace

Result<RuleFindings> CheckRingFence(const std::vector<Posting>& postings, const RuleContext& context,
                                    const Authority& authority) {
  if (postings.size() < 2) return Status::InvalidInput("postings: an entry moves money between at least two accounts");
  if (postings.size() > kPostingsPerEntryMax) {
    return Status::InvalidInput("postings: more than " + std::to_string(kPostingsPerEntryMax) + " in one entry");
  }
  // Net movement per account (an account may appear twice).
  std::map<std::string, std::pair<Account, Pence>> net;
  Pence sum;
  for (const auto& p : postings) {
    if (p.amount.is_zero()) return Status::InvalidInput("postings: " + p.account.ToString() + " has a zero amount");
    auto added = sum.Add(p.amount);
    if (!added.ok()) return added.status();
    sum = *added;
    auto& slot = net[p.account.ToString()];
    slot.first = p.account;
    slot.second += p.amount;
  }
  if (!sum.is_zero()) {
    return RefusedWithCode(refusal::kUnbalanced,
                           "postings do not balance: they sum to " + sum.ToPounds() + " instead of £0.00");
  }

  RuleFindings findings;
  bool from_ring_fence = false;
  std::set<std::string> pots;
  for (const auto& [name, entry] : net) {
    const auto& [account, movement] = entry;
    auto pot = PotScope(account, context);
    if (!pot.ok()) return pot.status().WithContext(name + ": ");
    if (!pot->empty()) pots.insert(*pot);
    if (IsRingFenced(account.type) && movement.is_negative()) from_ring_fence = true;
    // Rule 1.
    // Money arriving never breaks it, even into an account already overdrawn.
    // At every date from the entry's on (see the header).
    if (IsRingFenced(account.type) && movement.is_negative()) {
      const RuleContext::Lowest lowest = context.LowestBalanceFrom(account);
      assert(lowest.balance <= context.Balance(account));
      const Pence after = lowest.balance + movement;
      if (after.is_negative()) {
        if (!authority.override_negative || !authority.complete()) {
          const std::string on = lowest.on ? " on " + lowest.on->ToIso() : "";
          return RefusedWithCode(refusal::kWouldGoNegative, name + " would go below zero: short by " +
                                                                (-after).ToPounds() + on +
                                                                " (an override needs a reason and an actor)");
        }
        findings.overdrafts.push_back({account, after});
      }
    }
  }
  // Rule 3.
  if (pots.size() > 1) {
    return RefusedWithCode(refusal::kCrossPot, "money of pot " + *pots.begin() + " cannot reach pot " +
                                                   *std::next(pots.begin()) +
                                                   "'s accounts (move it through funding, with a reason)");
  }
  // Rule 2.
  if (from_ring_fence) {
    for (const auto& [name, entry] : net) {
      const auto& [account, movement] = entry;
      if (movement.is_negative()) continue;
      if (account.type == AccountType::kExternal) {
        if (!authority.complete()) {
          return RefusedWithCode(refusal::kExternalNeedsReason,
                                 name + ": ring-fenced money may go outside PHBs only with a reason and an actor");
        }
        findings.diversion = true;
      }
      if (account.type == AccountType::kFunding) {
        assert(pots.size() == 1);
        const auto funder = context.FunderOfPot(*pots.begin());
        if (!funder || *funder != account.id) {
          return RefusedWithCode(
              refusal::kReturnToOtherFunder,
              name + ": a pot's money returns only to its own funder (funding:" + funder.value_or("?") + ")");
        }
        if (!IsReason(authority.reason)) {
          return RefusedWithCode(refusal::kReturnNeedsReason,
                                 name + ": a return to the funder needs a reason (in words)");
        }
      }
    }
  }
  return findings;
}

}  // namespace rf
