#include "ledger/core/apply_postings.h"

#include <cassert>
#include <set>

#include "ledger/core/records.h"

namespace rf {
namespace {

// RuleContext over views already loaded by ApplyPostings.
class LoadedContext : public RuleContext {
 public:
  explicit LoadedContext(const Views& views) : views_(views) {}
  Pence Balance(const Account& account) const override { return views_.PeekBalance(BalanceKey(account)); }
  std::optional<std::string> PotOfBudget(const std::string& budget) const override {
    const nlohmann::json* record = views_.PeekRecord(RecordKind::kBudget, budget);
    if (record == nullptr) return std::nullopt;
    auto link = DecodeBudgetLink(RecordKey(RecordKind::kBudget, budget), *record);
    if (!link.ok()) return std::nullopt;  // LoadFor decoded it first: unreachable
    return link->pot_id;
  }
  std::optional<std::string> FunderOfPot(const std::string& pot) const override {
    const nlohmann::json* record = views_.PeekRecord(RecordKind::kPot, pot);
    if (record == nullptr) return std::nullopt;
    auto link = DecodePotLink(RecordKey(RecordKind::kPot, pot), *record);
    if (!link.ok()) return std::nullopt;  // LoadFor decoded it first: unreachable
    return link->funder;
  }

 private:
  const Views& views_;
};

bool PaysOut(AccountType type) {
  return type == AccountType::kPaid || type == AccountType::kFunding || type == AccountType::kExternal;
}

// Loads what the rules read, and checks no account is used before its pot or
// budget existed (records carry the effective date of their creation).
// Fills pot_of[i], the pot posting i's account belongs to ("" for accounts
// outside any pot, or a budget not known: the rules name it).
Status LoadFor(const std::vector<Posting>& postings, Date effective, Views& views, std::vector<std::string>* pot_of) {
  pot_of->assign(postings.size(), std::string());
  for (size_t i = 0; i < postings.size(); ++i) {
    const Posting& p = postings[i];
    RF_RETURN_IF_ERROR(views.LoadBalance(p.account));
    std::string& pot = (*pot_of)[i];
    if (p.account.type == AccountType::kPot) pot = p.account.id;
    if (!p.account.budget().empty()) {
      auto loaded = views.Record(RecordKind::kBudget, p.account.budget());
      if (!loaded.ok()) return loaded.status();
      const nlohmann::json* budget = *loaded;
      if (budget == nullptr) continue;
      RF_ASSIGN(link, DecodeBudgetLink(RecordKey(RecordKind::kBudget, p.account.budget()), *budget));
      if (link.approved_on > effective) {
        return Status::Refused(p.account.ToString() + ": budget " + p.account.budget() + " is approved on " +
                               link.approved_on.ToIso() + ", after this entry's date " + effective.ToIso());
      }
      pot = link.pot_id;
    }
    if (pot.empty()) continue;
    auto loaded = views.Record(RecordKind::kPot, pot);
    if (!loaded.ok()) return loaded.status();
    const nlohmann::json* record = *loaded;
    if (record == nullptr) continue;
    RF_ASSIGN(link, DecodePotLink(RecordKey(RecordKind::kPot, pot), *record));
    if (link.funded_on > effective) {
      return Status::Refused(p.account.ToString() + ": pot " + pot + " is funded on " + link.funded_on.ToIso() +
                             ", after this entry's date " + effective.ToIso());
    }
  }
  return Status::Ok();
}

}  // namespace

Status ApplyPostings(uint64_t seq, Date effective, const std::vector<Posting>& postings, const Authority& authority,
                     Views& views, bool enforce_rules) {
  if (postings.empty()) return Status::Ok();
  std::vector<std::string> pot_of;
  RF_RETURN_IF_ERROR(LoadFor(postings, effective, views, &pot_of));
  const LoadedContext context(views);
  RuleFindings findings;
  if (enforce_rules) {
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
      if (pot_of[i].empty()) {
        return Status::Refused(p.account.ToString() + ": budget " + p.account.budget() + " is not known");
      }
    }
    if (!pot_of[i].empty()) {
      assert(!enforce_rules || pot.empty() || pot == pot_of[i]);
      pot = pot_of[i];
    }
    pays_out = pays_out || PaysOut(p.account.type) || p.account.type == AccountType::kSpent;
  }
  if (pays_out && budgets.size() > 1) {
    return Status::Refused("an entry that pays money out draws on one budget, not " + std::to_string(budgets.size()) +
                           " (" + *budgets.begin() + ", " + *std::next(budgets.begin()) +
                           "): split it so every payment is attributable");
  }
  for (const auto& p : postings) {
    RF_RETURN_IF_ERROR(views.AddToBalance(p.account, p.amount));
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
