#include "ledger/apply_postings.h"

#include <cassert>
#include <set>

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
    return record->at("pot_id").get<std::string>();
  }
  std::optional<std::string> FunderOfPot(const std::string& pot) const override {
    const nlohmann::json* record = views_.PeekRecord(RecordKind::kPot, pot);
    if (record == nullptr) return std::nullopt;
    return record->at("funder").get<std::string>();
  }

 private:
  const Views& views_;
};

bool PaysOut(AccountType type) {
  return type == AccountType::kPaid || type == AccountType::kFunding || type == AccountType::kExternal;
}

// Loads what the rules read, and checks no account is used before its pot or
// budget existed (records carry the effective date of their creation).
Status LoadFor(const std::vector<Posting>& postings, Date effective, Views& views) {
  const std::string effective_iso = effective.ToIso();  // ISO dates compare as text
  for (const auto& p : postings) {
    RF_RETURN_IF_ERROR(views.LoadBalance(p.account));
    std::string pot;
    if (p.account.type == AccountType::kPot) pot = p.account.id;
    if (!p.account.budget().empty()) {
      RF_RETURN_IF_ERROR(views.LoadRecord(RecordKind::kBudget, p.account.budget()));
      const nlohmann::json* budget = views.PeekRecord(RecordKind::kBudget, p.account.budget());
      if (budget == nullptr) continue;  // the rules name the unknown budget
      if (budget->at("approved_on").get_ref<const std::string&>() > effective_iso) {
        return Status::Refused(p.account.ToString() + ": budget " + p.account.budget() + " is approved on " +
                               budget->at("approved_on").get<std::string>() + ", after this entry's date " +
                               effective.ToIso());
      }
      pot = budget->at("pot_id").get<std::string>();
    }
    if (pot.empty()) continue;
    RF_RETURN_IF_ERROR(views.LoadRecord(RecordKind::kPot, pot));
    const nlohmann::json* record = views.PeekRecord(RecordKind::kPot, pot);
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
  RF_RETURN_IF_ERROR(LoadFor(postings, effective, views));
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
  for (const auto& p : postings) {
    std::optional<std::string> of;
    if (p.account.type == AccountType::kPot) of = p.account.id;
    if (!p.account.budget().empty()) {
      budgets.insert(p.account.budget());
      of = context.PotOfBudget(p.account.budget());
      if (!of) return Status::Refused(p.account.ToString() + ": budget " + p.account.budget() + " is not known");
    }
    if (of) {
      assert(!enforce_rules || pot.empty() || pot == *of);
      pot = *of;
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
