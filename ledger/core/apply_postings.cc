#include "ledger/core/apply_postings.h"

#include <cassert>
#include <map>
#include <set>

namespace rf {
namespace {

// RuleContext over views already loaded by ApplyPostings.
// `lowest` holds LowestBalanceFrom for each ring-fenced account posted to.
class LoadedContext : public RuleContext {
 public:
  LoadedContext(const Views& views, const std::map<std::string, LowestBalance>& lowest)
      : views_(views), lowest_(lowest) {}
  Pence Balance(const Account& account) const override { return views_.PeekBalance(BalanceKey(account)); }
  Lowest LowestBalanceFrom(const Account& account) const override {
    const auto it = lowest_.find(account.ToString());
    assert(it != lowest_.end() && "loaded by ApplyPostings");
    return {it->second.balance, it->second.on};
  }
  std::optional<std::string> PotOfBudget(const std::string& budget) const override {
    const nlohmann::json* record = views_.PeekRecord(RecordKind::kBudget, budget);
    if (record == nullptr) return std::nullopt;
    return record->at("pot_id").get<std::string>();
  }
  std::optional<std::string> FunderOfPot(const std::string& pot) const override {
    const nlohmann::json* record = views_.PeekRecord(RecordKind::kPot, pot);
    if (record == nullptr) return std::nullopt;
    return record->at("funder").get<std::string>();
  }

 private:
  const Views& views_;
  const std::map<std::string, LowestBalance>& lowest_;
};

bool PaysOut(AccountType type) {
  return type == AccountType::kPaid || type == AccountType::kFunding || type == AccountType::kExternal;
}

// Loads what the rules read, and checks no account is used before its pot or
// budget existed (records carry the effective date of their creation).
// Fills pot_of[i], the pot posting i's account belongs to ("" for accounts
// outside any pot, or a budget not known: the rules name it).
Status LoadFor(const std::vector<Posting>& postings, Date effective, Views& views, std::vector<std::string>* pot_of) {
  const std::string effective_iso = effective.ToIso();  // ISO dates compare as text
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
      const std::string& approved_on = budget->at("approved_on").get_ref<const std::string&>();
      if (approved_on > effective_iso) {
        return Status::Refused(p.account.ToString() + ": budget " + p.account.budget() + " is approved on " +
                               approved_on + ", after this entry's date " + effective.ToIso());
      }
      pot = budget->at("pot_id").get<std::string>();
    }
    if (pot.empty()) continue;
    auto loaded = views.Record(RecordKind::kPot, pot);
    if (!loaded.ok()) return loaded.status();
    const nlohmann::json* record = *loaded;
    if (record != nullptr && record->at("funded_on").get_ref<const std::string&>() > effective_iso) {
      return Status::Refused(p.account.ToString() + ": pot " + pot + " is funded on " +
                             record->at("funded_on").get<std::string>() + ", after this entry's date " +
                             effective.ToIso());
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
  RuleFindings findings;
  if (enforce_rules) {
    std::map<std::string, LowestBalance> lowest;
    for (const Posting& p : postings) {
      if (!IsRingFenced(p.account.type)) continue;
      auto found = views.LowestBalanceFrom(p.account, effective);
      if (!found.ok()) return found.status();
      lowest.insert_or_assign(p.account.ToString(), *found);
    }
    const LoadedContext context(views, lowest);
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
    if (IsRingFenced(p.account.type)) RF_RETURN_IF_ERROR(views.AddDayDelta(p.account, effective, p.amount));
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
    nlohmann::json accounts = nlohmann::json::array();
    for (const auto& o : findings.overdrafts) {
      assert(o.balance_after.is_negative());
      accounts.push_back({{"account", o.account.ToString()}, {"balance_after", o.balance_after.ToDecimal()}});
    }
    views.PutRecord(RecordKind::kFlag, "overspend/" + SeqKey(seq),
                    {{"seq", seq}, {"accounts", accounts}, {"reason", authority.reason}, {"actor", authority.actor}});
  }
  if (findings.diversion) {
    Pence diverted;
    nlohmann::json to = nlohmann::json::array();
    for (const auto& p : postings) {
      if (p.account.type == AccountType::kExternal && !p.amount.is_negative()) {
        diverted += p.amount;
        to.push_back(p.account.ToString());
      }
    }
    assert(!diverted.is_zero());
    views.PutRecord(RecordKind::kFlag, "diversion/" + SeqKey(seq),
                    {{"seq", seq},
                     {"amount", diverted.ToDecimal()},
                     {"to", to},
                     {"pot", pot},
                     {"reason", authority.reason},
                     {"actor", authority.actor}});
  }
  return Status::Ok();
}

}  // namespace rf
