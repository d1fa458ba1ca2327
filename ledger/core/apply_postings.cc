#include "ledger/core/apply_postings.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <set>

#include "ledger/core/pot_scope.h"
#include "ledger/core/records.h"

namespace rf {
namespace {

// What the rules read of pots and budgets, decoded once by LoadFor.
struct Loaded {
  std::map<std::string, std::string> pot_of_budget;
  std::map<std::string, std::string> funder_of_pot;
};

// LowestBalanceFrom of each ring-fenced account the entry takes money
// from (an entry has a handful of postings: searched in order).
using LowestOf = std::vector<std::pair<const Account*, LowestBalance>>;

// RuleContext over views and records already loaded by ApplyPostings.
class LoadedContext : public RuleContext {
 public:
  LoadedContext(const Views& views, const Loaded& loaded, const LowestOf& lowest)
      : views_(views), loaded_(loaded), lowest_(lowest) {}
  Pence Balance(const Account& account) const override { return views_.PeekBalance(BalanceKey(account)); }
  Lowest LowestBalanceFrom(const Account& account) const override {
    const auto it = std::find_if(lowest_.begin(), lowest_.end(), [&](const auto& l) { return *l.first == account; });
    assert(it != lowest_.end() && "loaded by ApplyPostings");
    return {it->second.balance, it->second.on};
  }
  std::optional<std::string> PotOfBudget(const std::string& budget) const override {
    const auto it = loaded_.pot_of_budget.find(budget);
    if (it == loaded_.pot_of_budget.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> FunderOfPot(const std::string& pot) const override {
    const auto it = loaded_.funder_of_pot.find(pot);
    if (it == loaded_.funder_of_pot.end()) return std::nullopt;
    return it->second;
  }

 private:
  const Views& views_;
  const Loaded& loaded_;
  const LowestOf& lowest_;
};

bool PaysOut(AccountType type) {
  return type == AccountType::kPaid || type == AccountType::kFunding || type == AccountType::kExternal;
}

// A record's link (nullptr: no such record), decoded by `decode` (record
// key and value to a Views::RecordLink) once while the record is unchanged
// (Views::CachedLink).
template <typename Decode>
Result<const Views::RecordLink*> LinkOf(Views& views, RecordKind kind, const std::string& id, Decode&& decode) {
  const std::string key = RecordKey(kind, id);
  if (const Views::RecordLink* cached = views.CachedLink(key)) return cached;
  RF_ASSIGN(found, views.Record(kind, id));
  if (found == nullptr) return nullptr;
  RF_ASSIGN(link, decode(key, *found));
  return views.CacheLink(key, std::move(link));
}

// A budget's pot and approval day (nullptr: no such budget).
Result<const Views::RecordLink*> BudgetLinkOf(Views& views, const std::string& budget_id) {
  return LinkOf(views, RecordKind::kBudget, budget_id,
                [](std::string_view key, const nlohmann::json& record) -> Result<Views::RecordLink> {
                  RF_ASSIGN(budget, DecodeBudgetLink(key, record));
                  return Views::RecordLink{.id = std::move(budget.pot_id), .on = budget.approved_on};
                });
}

// A pot's funder and funding day (nullptr: no such pot).
Result<const Views::RecordLink*> PotLinkOf(Views& views, const std::string& pot_id) {
  return LinkOf(views, RecordKind::kPot, pot_id,
                [](std::string_view key, const nlohmann::json& record) -> Result<Views::RecordLink> {
                  RF_ASSIGN(pot, DecodePotLink(key, record));
                  return Views::RecordLink{.id = std::move(pot.funder), .on = pot.funded_on};
                });
}

// Loads what the rules read, and checks every budget an account names is
// known and no account is used before its pot or budget existed (records
// carry the effective date of their creation). Fills pot_of[i], the pot
// posting i's account is scoped to (PotOfAccount, pot_scope.h; "" for
// accounts outside any pot).
Status LoadFor(const std::vector<Posting>& postings, Date effective, Views& views, std::vector<std::string>* pot_of,
               Loaded* loaded) {
  pot_of->assign(postings.size(), std::string());
  for (size_t i = 0; i < postings.size(); ++i) {
    const Posting& p = postings[i];
    RF_RETURN_IF_ERROR(views.LoadBalance(p.account));
    // A budget's pot from its record, known and approved by `effective`.
    auto budget_pot = [&](const std::string& budget_id) -> Result<std::string> {
      RF_ASSIGN(budget, BudgetLinkOf(views, budget_id));
      if (budget == nullptr) return NotKnown("budget", budget_id).WithContext(p.account.ToString() + ": ");
      if (effective < budget->on) {
        return RefusedWithCode(refusal::kBeforeBudgetApproved, p.account.ToString() + ": budget " + budget_id +
                                                                   " is approved on " + budget->on.ToIso() +
                                                                   ", after this entry's date " + effective.ToIso());
      }
      loaded->pot_of_budget.try_emplace(budget_id, budget->id);
      return budget->id;
    };
    RF_ASSIGN(scoped, PotOfAccount(p.account, budget_pot));
    std::string& pot = (*pot_of)[i];
    pot = std::move(scoped);
    if (pot.empty()) continue;
    RF_ASSIGN(record, PotLinkOf(views, pot));
    if (record == nullptr) continue;  // an unknown pot: the rules name it
    if (effective < record->on) {
      return RefusedWithCode(refusal::kBeforePotFunded, p.account.ToString() + ": pot " + pot + " is funded on " +
                                                            record->on.ToIso() + ", after this entry's date " +
                                                            effective.ToIso());
    }
    loaded->funder_of_pot.try_emplace(pot, record->id);
  }
  return Status::Ok();
}

}  // namespace

Status ApplyPostings(uint64_t seq, Date effective, const std::vector<Posting>& postings, const Authority& authority,
                     Views& views, bool enforce_rules) {
  if (postings.empty()) return Status::Ok();
  std::vector<std::string> pot_of;
  Loaded loaded;
  RF_RETURN_IF_ERROR(LoadFor(postings, effective, views, &pot_of, &loaded));
  RuleFindings findings;
  if (enforce_rules) {
    LowestOf lowest;
    // Only a ring-fenced account the entry takes money from is checked.
    for (const Posting& p : postings) {
      if (!IsRingFenced(p.account.type) || !p.amount.is_negative()) continue;
      if (std::any_of(lowest.begin(), lowest.end(), [&](const auto& l) { return *l.first == p.account; })) continue;
      auto found = views.LowestBalanceFrom(p.account, effective);
      if (!found.ok()) return found.status();
      lowest.emplace_back(&p.account, *found);
    }
    const LoadedContext context(views, loaded, lowest);
    auto checked = CheckRingFence(postings, context, authority);
    if (!checked.ok()) return checked.status();
    findings = std::move(*checked);
  }
  // Scope: the one pot (rule 3) and the budgets the entry touches.
  std::string pot;
  std::set<std::string> budgets;
  bool pays_out = false;
  for (size_t i = 0; i < postings.size(); ++i) {
    const Posting& p = postings[i];
    if (!p.account.budget().empty()) {
      budgets.insert(p.account.budget());
      assert(!pot_of[i].empty());  // LoadFor refused an unknown budget
    }
    if (!pot_of[i].empty()) {
      assert(!enforce_rules || pot.empty() || pot == pot_of[i]);
      pot = pot_of[i];
    }
    pays_out = pays_out || PaysOut(p.account.type) || p.account.type == AccountType::kSpent;
  }
  if (pays_out && budgets.size() > 1) {
    return RefusedWithCode(refusal::kOneBudget, "an entry that pays money out draws on one budget, not " +
                                                    std::to_string(budgets.size()) + " (" + *budgets.begin() + ", " +
                                                    *std::next(budgets.begin()) +
                                                    "): split it so every payment is attributable");
  }
  for (const auto& p : postings) {
    RF_RETURN_IF_ERROR(views.AddToBalance(p.account, effective, p.amount));
    if (!pot.empty()) RF_RETURN_IF_ERROR(views.AddPotNet(pot, p.account.type, p.amount));
    const std::string& own = p.account.budget();
    if (!own.empty()) {
      RF_RETURN_IF_ERROR(views.AddBudgetNet(own, p.account.type, p.amount));
    } else if (budgets.size() == 1) {
      RF_RETURN_IF_ERROR(views.AddBudgetNet(*budgets.begin(), p.account.type, p.amount));
    }
  }
  // Findings become flag records that reconciliation reads.
  if (!findings.overdrafts.empty()) {
    std::vector<FlaggedBalance> accounts;
    for (const auto& o : findings.overdrafts) accounts.push_back({o.account.ToString(), o.balance_after});
    views.PutRecord(RecordKind::kFlag, OverspendFlagId(seq),
                    OverspendFlagJson(seq, accounts, authority.reason, authority.actor));
  }
  if (findings.diversion) {
    Pence diverted;
    std::vector<std::string> to;
    for (const auto& p : postings) {
      if (p.account.type == AccountType::kExternal && !p.amount.is_negative()) {
        diverted += p.amount;
        to.push_back(p.account.ToString());
      }
    }
    assert(!diverted.is_zero());
    views.PutRecord(RecordKind::kFlag, DiversionFlagId(seq),
                    DiversionFlagJson(seq, diverted, to, pot, authority.reason, authority.actor));
  }
  return Status::Ok();
}

}  // namespace rf
