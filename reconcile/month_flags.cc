#include "reconcile/month_flags.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <set>
#include <utility>

#include "ledger/core/account.h"
#include "ledger/core/codes.h"
#include "ledger/core/records.h"
#include "ledger/payments/schedule.h"

namespace rf {
namespace {

template <typename R>
Status CollectFlagRecords(const ViewSource& views, std::vector<R>* out) {
  return ForEachRecord<R>(views, [&](const R& r) -> Status {
    out->push_back(r);
    return Status::Ok();
  });
}

bool HasInstalmentSchedule(Management m) { return m == Management::kDirectPayment || m == Management::kThirdParty; }

}  // namespace

Result<FlagInputs> ReadMonthFlagInputs(const ViewSource& views, const Month& month) {
  FlagInputs in;
  in.month_end = month.last_day();
  RF_RETURN_IF_ERROR(CollectFlagRecords(views, &in.budgets));
  RF_RETURN_IF_ERROR(CollectFlagRecords(views, &in.invoices));
  RF_RETURN_IF_ERROR(CollectFlagRecords(views, &in.payments));
  RF_RETURN_IF_ERROR(CollectFlagRecords(views, &in.reviews));
  RF_RETURN_IF_ERROR(CollectFlagRecords(views, &in.providers));
  RF_RETURN_IF_ERROR(CollectFlagRecords(views, &in.pots));

  // One pass over the balances: accounts are few per budget.
  std::map<std::string, Pence> dp, spent, pot;
  Status s = views.ForEach(kBalancePrefix, [&](std::string_view key, std::string_view value) -> Status {
    auto account = ParseAccount(AccountOfBalanceKey(key), "balance account");
    if (!account.ok()) return Status::Tampered("view " + std::string(key) + ": " + account.status().message());
    if (account->type != AccountType::kDp && account->type != AccountType::kSpent &&
        account->type != AccountType::kPot) {
      return Status::Ok();
    }
    auto balance = Pence::Parse(value, key);
    if (!balance.ok()) return Status::Tampered("view " + std::string(key) + ": " + balance.status().message());
    switch (account->type) {
      case AccountType::kDp:
        dp[account->id] += *balance;
        break;
      case AccountType::kSpent:
        spent[account->budget()] += *balance;
        break;
      default:
        pot[account->id] += *balance;
        break;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  for (auto& [id, amount] : dp) in.dp_balances.push_back({id, amount});
  for (auto& [id, amount] : spent) in.dp_spent.push_back({id, amount});
  for (auto& [id, amount] : pot) in.pot_unallocated.push_back({id, amount});

  // Instalments a run on or before month end has paid need not be listed.
  std::set<std::pair<std::string, Date>> paid;
  for (const PaymentRecord& p : in.payments) {
    if (p.purpose == PaymentPurpose::kInstalment && p.due_on && p.run_date <= in.month_end) {
      paid.emplace(p.budget_id, *p.due_on);
    }
  }
  for (const BudgetRecord& b : in.budgets) {
    if (!HasInstalmentSchedule(b.management) || b.start_date > in.month_end || b.amount.is_zero() ||
        b.amount.is_negative()) {
      continue;
    }
    BudgetTerms terms{b.budget_id,  std::string(NameOf(b.management, kManagementNames)),
                      b.frequency,  b.amount,
                      b.start_date, b.end_date};
    RF_ASSIGN(schedule, InstalmentSchedule(terms));
    for (const Instalment& i : schedule) {
      if (i.due_on > in.month_end) break;
      if (paid.count({b.budget_id, i.due_on}) > 0) continue;
      in.due_instalments.push_back({b.budget_id, i.due_on, i.amount});
    }
  }
  assert(in.month_end == month.last_day());
  return in;
}

Result<FlagThresholds> ReadFlagThresholds(const ViewSource& views) {
  Status read_error = Status::Ok();
  auto thresholds = FlagThresholdsFromSettings([&](std::string_view key) -> std::optional<std::string> {
    auto text = FindSetting(views, key);
    if (!text.ok()) {
      if (read_error.ok()) read_error = text.status();
      return std::nullopt;
    }
    return *text;
  });
  if (!read_error.ok()) return read_error;
  return thresholds;
}

MonthFlag ReportedFlag(const Flag& flag) {
  MonthFlag out{flag.id,
                std::string(ToString(flag.code)),
                flag.severity,
                flag.entity,
                flag.amount_at_stake_pence,
                flag.evidence_seqs,
                flag.evidence_bank_lines,
                flag.sentence};
  assert(out.id == out.code + "/" + out.entity);
  return out;
}

MonthFlag PayeeMismatchFlag(const PayeeMismatch& mismatch, std::string sentence) {
  assert(!sentence.empty());
  const std::string entity = "payment:" + mismatch.payment_id;
  return MonthFlag{std::string(kPayeeMismatchCode) + "/" + entity,
                   kPayeeMismatchCode,
                   FlagSeverity::kCritical,
                   entity,
                   mismatch.amount_pence,
                   {},
                   {mismatch.line_id},
                   std::move(sentence)};
}

void SortMonthFlags(std::vector<MonthFlag>& flags) {
  std::sort(flags.begin(), flags.end(), [](const MonthFlag& a, const MonthFlag& b) {
    if (a.severity != b.severity) return a.severity < b.severity;
    if (a.code != b.code) return a.code < b.code;
    return a.entity < b.entity;
  });
}

MonthFlagCounts CountMonthFlags(const std::vector<MonthFlag>& flags) {
  MonthFlagCounts c;
  for (const MonthFlag& f : flags) {
    switch (f.severity) {
      case FlagSeverity::kCritical:
        ++c.critical;
        break;
      case FlagSeverity::kWarning:
        ++c.warning;
        break;
      case FlagSeverity::kInfo:
        ++c.info;
        break;
    }
  }
  assert(c.critical + c.warning + c.info == flags.size());
  return c;
}

void DropSettledByPlan(const std::vector<std::string>& plan_payment_ids, std::vector<MonthFlag>& flags) {
  const std::string code(ToString(FlagCode::kUnsettledPayment));
  std::set<std::string> ids;
  for (const std::string& id : plan_payment_ids) ids.insert(code + "/payment:" + id);
  const size_t before = flags.size();
  std::erase_if(flags, [&](const MonthFlag& f) { return ids.count(f.id) > 0; });
  assert(flags.size() <= before && before - flags.size() <= ids.size());
}

Result<std::vector<MonthFlag>> EvaluateMonthFlags(const ViewSource& views, const Month& month) {
  RF_ASSIGN(thresholds, ReadFlagThresholds(views));
  RF_ASSIGN(inputs, ReadMonthFlagInputs(views, month));
  RF_ASSIGN(flags, EvaluateFlags(inputs, thresholds));
  std::vector<MonthFlag> out;
  out.reserve(flags.size());
  for (const Flag& f : flags) out.push_back(ReportedFlag(f));
  SortMonthFlags(out);
  return out;
}

}  // namespace rf
