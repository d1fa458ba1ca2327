#include "reconcile/month_flags.h"

#include <algorithm>
#include <cassert>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_set>
#include <utility>

#include "ledger/core/account.h"
#include "ledger/core/codes.h"
#include "ledger/core/match_facts.h"
#include "ledger/core/records.h"
#include "ledger/payments/schedule.h"
#include "reconcile/flag_reducer.h"
#include "reconcile/month_flag_records.h"

namespace rf {
namespace {

// How a flag input is read: budgets in part (BudgetFlagFacts, match_facts.h:
// only the members the flags read), the other families whole.
template <typename R>
constexpr RecordKind kFlagInputKind = RecordFamily<R>::value;
template <>
constexpr RecordKind kFlagInputKind<BudgetFlagFacts> = RecordKind::kBudget;
template <typename R>
Result<R> DecodeFlagInput(std::string_view key, std::string_view text) {
  return DecodeRecordText<R>(key, text);
}
template <>
Result<BudgetFlagFacts> DecodeFlagInput<BudgetFlagFacts>(std::string_view key, std::string_view text) {
  return DecodeBudgetFlagFacts(key, text);
}

// Every record of R's family, in key order, each decoded once and moved in
// (gathered in a deque first: records hold Pence, whose move may throw, so
// a growing vector would copy them).
template <typename R>
Status CollectFlagRecords(const ViewSource& views, std::vector<R>* out) {
  std::deque<R> records;
  RF_RETURN_IF_ERROR(
      views.ForEach(RecordPrefix(kFlagInputKind<R>), [&](std::string_view key, std::string_view value) -> Status {
        auto record = DecodeFlagInput<R>(key, value);
        if (!record.ok()) return record.status();
        records.push_back(std::move(*record));
        return Status::Ok();
      }));
  out->reserve(out->size() + records.size());
  for (R& r : records) out->push_back(std::move(r));
  return Status::Ok();
}

// Sorted by key_of, the amounts of equal keys summed into one.
template <typename A, typename KeyOf>
std::vector<A> SumById(std::deque<A> amounts, KeyOf key_of) {
  std::sort(amounts.begin(), amounts.end(), [&](const A& a, const A& b) { return key_of(a) < key_of(b); });
  std::vector<A> out;
  out.reserve(amounts.size());
  for (A& a : amounts) {
    if (!out.empty() && key_of(out.back()) == key_of(a)) {
      out.back().amount_pence += a.amount_pence;
    } else {
      out.push_back(std::move(a));
    }
  }
  return out;
}

bool HasInstalmentSchedule(Management m) { return m == Management::kDirectPayment || m == Management::kThirdParty; }

}  // namespace

namespace {

// by_scan: every payment and invoice streamed through FlagRecordReducer
// (the oracle the indexed read is tested against); else the flag indexes
// (month_flag_records.h).
Result<FlagInputs> ReadMonthFlagInputsVia(const ViewSource& views, const Month& month, bool by_scan) {
  FlagInputs in;
  in.month_end = month.last_day();
  RF_RETURN_IF_ERROR(CollectFlagRecords(views, &in.budgets));
  RF_RETURN_IF_ERROR(CollectFlagRecords(views, &in.reviews));
  RF_RETURN_IF_ERROR(CollectFlagRecords(views, &in.providers));
  RF_RETURN_IF_ERROR(CollectFlagRecords(views, &in.pots));

  // Payments and invoices: the month's in full, the rest reduced to what
  // the flags need (flags.h "Bounded inputs").
  std::optional<FlagRecordReducer> reducer;
  std::optional<MonthFlagRecords> indexed;
  if (by_scan) {
    reducer.emplace(in.month_end, in.budgets);
    RF_RETURN_IF_ERROR(
        ForEachRecord<PaymentRecord>(views, [&](const PaymentRecord& p) -> Status { return reducer->AddPayment(p); }));
    RF_RETURN_IF_ERROR(reducer->PaymentsDone());
    RF_RETURN_IF_ERROR(
        ForEachRecord<InvoiceRecord>(views, [&](const InvoiceRecord& i) -> Status { return reducer->AddInvoice(i); }));
  } else {
    RF_ASSIGN(records, ReadMonthFlagRecords(views, in.month_end, in.budgets, in.providers));
    indexed = std::move(records);
  }
  auto invoice_of = [&](std::string_view id) -> Result<InvoiceRecord> {
    RF_ASSIGN(found, FindRecord<InvoiceRecord>(views, id));
    if (!found) return Status::Tampered("view " + RecordKey(RecordKind::kInvoice, id) + " is missing");
    return std::move(*found);
  };
  auto payment_of = [&](std::string_view id) -> Result<PaymentRecord> {
    RF_ASSIGN(found, FindRecord<PaymentRecord>(views, id));
    if (!found) return Status::Tampered("view " + RecordKey(RecordKind::kPayment, id) + " is missing");
    return std::move(*found);
  };

  // One pass over the balances: accounts are few per budget. Collected in
  // key order, then sorted by id and summed (an id's accounts need not be
  // adjacent in key order: dp:B-1, dp:B-10, dp:B-1:x).
  std::deque<BudgetAmount> dp;  // deques: Pence's move may throw, so a growing vector would copy
  std::deque<PotAmount> pot;
  std::deque<SpentAmount> spent_by_category;
  Status s = views.ForEach(kBalancePrefix, [&](std::string_view key, std::string_view value) -> Status {
    auto account = ParseAccount(AccountOfBalanceKey(key), "balance account");
    if (!account.ok()) return Status::Tampered("view " + std::string(key) + ": " + account.status().message());
    if (account->type != AccountType::kDp && account->type != AccountType::kSpent &&
        account->type != AccountType::kPot) {
      return Status::Ok();
    }
    auto balance = ParseBalanceAmount(value, key);
    if (!balance.ok()) return balance.status();
    switch (account->type) {
      case AccountType::kDp:
        dp.push_back({.budget_id = std::move(account->id), .amount_pence = *balance});
        break;
      case AccountType::kSpent:
        spent_by_category.push_back(
            {.budget_id = std::string(account->budget()), .category = std::move(account->detail), .amount_pence = *balance});
        break;
      default:
        pot.push_back({.pot_id = std::move(account->id), .amount_pence = *balance});
        break;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  in.dp_balances = SumById(std::move(dp), [](const BudgetAmount& a) { return std::tie(a.budget_id); });
  in.pot_unallocated = SumById(std::move(pot), [](const PotAmount& a) { return std::tie(a.pot_id); });
  in.spent_by_category = SumById(std::move(spent_by_category),
                                 [](const SpentAmount& a) { return std::tie(a.budget_id, a.category); });
  size_t spent_budgets = 0;
  for (size_t i = 0; i < in.spent_by_category.size(); ++i) {
    spent_budgets += (i == 0 || in.spent_by_category[i].budget_id != in.spent_by_category[i - 1].budget_id) ? 1 : 0;
  }
  in.dp_spent.reserve(spent_budgets);
  for (const SpentAmount& a : in.spent_by_category) {  // sorted by budget: its categories adjacent
    if (in.dp_spent.empty() || in.dp_spent.back().budget_id != a.budget_id) {
      in.dp_spent.push_back({.budget_id = a.budget_id, .amount_pence = Pence()});
    }
    in.dp_spent.back().amount_pence += a.amount_pence;
  }

  // Instalments a run (not cancelled) on or before month end has paid
  // need not be listed.
  for (size_t b_index = 0; b_index < in.budgets.size(); ++b_index) {
    const BudgetFlagFacts& b = in.budgets[b_index];
    if (!HasInstalmentSchedule(b.management) || b.start_date > in.month_end || b.amount.is_zero() ||
        b.amount.is_negative()) {
      continue;
    }
    BudgetTerms terms{b.budget_id,  std::string(NameOf(b.management, kManagementNames)),
                      b.frequency,  b.amount,
                      b.start_date, b.end_date};
    RF_ASSIGN(schedule, InstalmentSchedule(terms));
    const std::vector<Date>* paid = indexed ? indexed->InstalmentsPaidOf(b.budget_id) : nullptr;
    for (const Instalment& i : schedule) {
      if (i.due_on > in.month_end) break;
      if (indexed ? paid != nullptr && std::binary_search(paid->begin(), paid->end(), i.due_on)
                  : reducer->InstalmentPaid(b_index, i.due_on)) {
        continue;
      }
      in.due_instalments.push_back({b.budget_id, i.due_on, i.amount});
    }
  }
  if (indexed) {
    in.invoices = std::move(indexed->invoices);
    in.payments = std::move(indexed->payments);
    in.paid_invoice_spend = std::move(indexed->paid_invoice_spend);
  } else {
    RF_RETURN_IF_ERROR(reducer->Finish(invoice_of, payment_of, in));
  }
  assert(in.month_end == month.last_day());
  return in;
}

}  // namespace

Result<FlagInputs> ReadMonthFlagInputs(const ViewSource& views, const Month& month) {
  return ReadMonthFlagInputsVia(views, month, /*by_scan=*/false);
}

Result<FlagInputs> ReadMonthFlagInputsByScan(const ViewSource& views, const Month& month) {
  return ReadMonthFlagInputsVia(views, month, /*by_scan=*/true);
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

std::string SentenceOf(const MonthFlag& flag) {
  if (!flag.facts.none()) {
    assert(!flag.words || flag.words->sentence.empty());
    return FlagSentence(flag.facts);
  }
  return flag.words ? flag.words->sentence : std::string();
}

MonthFlag ReportedFlag(Flag flag) {
  const bool written = !flag.sentence.empty();
  MonthFlag out{.code = flag.code,
                .severity = flag.severity,
                .entity = std::move(flag.entity),
                .amount_at_stake_pence = std::move(flag.amount_at_stake_pence),
                .evidence_seqs = std::move(flag.evidence_seqs),
                .words = written || !flag.evidence_bank_lines.empty()
                             ? HeldFlagWords(FlagWords{.evidence_bank_lines = std::move(flag.evidence_bank_lines),
                                                       .sentence = std::move(flag.sentence)})
                             : HeldFlagWords(),
                .facts = written ? FlagFacts() : std::move(flag.facts)};
  assert(FlagId(out) == flag.id);
  return out;
}

MonthFlag PayeeMismatchFlag(const PayeeMismatch& mismatch, std::string sentence) {
  assert(!sentence.empty());
  const std::string entity = "payment:" + mismatch.payment_id;
  return MonthFlag{FlagCode::kDiversionPayeeMismatch,
                   FlagSeverity::kCritical,
                   entity,
                   mismatch.amount_pence,
                   {},
                   FlagWords{.evidence_bank_lines = {mismatch.line_id}, .sentence = std::move(sentence)}};
}

std::vector<MonthFlag> UnmatchedLineFlags(const MatchResult& result, const std::vector<BankLineIn>& lines) {
  std::map<std::string_view, const BankLineIn*> by_id;
  for (const BankLineIn& l : lines) by_id.emplace(l.line_id, &l);
  std::set<std::string_view> mismatched;
  for (const PayeeMismatch& m : result.payee_mismatches) mismatched.insert(m.line_id);
  std::vector<MonthFlag> out;
  for (const UnmatchedItem& u : result.unmatched_lines) {
    if (mismatched.count(u.id) > 0) continue;
    const auto it = by_id.find(u.id);
    assert(it != by_id.end());
    if (it == by_id.end()) continue;
    const BankLineIn& line = *it->second;
    const bool outflow = line.amount_pence.is_negative();
    const bool unexplained =
        outflow && (u.code == UnmatchedCode::kNoCandidate || u.code == UnmatchedCode::kUnknownEndToEndId);
    const Pence at_stake = outflow ? -line.amount_pence : line.amount_pence;
    const std::string entity = "bankline:" + u.id;
    const FlagCode code = unexplained ? FlagCode::kDiversionUnexplainedOutflow : FlagCode::kUnmatchedBankLine;
    std::string sentence;
    if (unexplained) {
      sentence = at_stake.ToPounds() + " left the PHB account on " + line.booked_on.ToIso() + " (bank line " + u.id +
                 ") with no matching payment: " + u.reason +
                 ". Find out who authorised it; if nobody did, ask the bank to recall it and report it as a "
                 "possible diversion of the budget.";
    } else if (!outflow) {
      sentence = "Bank line " + u.id + " of " + line.booked_on.ToIso() + " brought " + at_stake.ToPounds() +
                 " in and explains no payment: " + u.reason +
                 ". Find out what the money is (a returned payment, a top-up, a refund) and record it.";
    } else {
      sentence = "Bank line " + u.id + " paid out " + at_stake.ToPounds() + " on " + line.booked_on.ToIso() +
                 " but was not matched: " + u.reason +
                 ". Decide which payment it settles and run `ringfence reconcile match --bank-line " + u.id +
                 " --payment ID --reason ...` (or --run ID for a batch line).";
    }
    out.push_back(MonthFlag{.code = code,
                            .severity = unexplained ? FlagSeverity::kCritical : FlagSeverity::kWarning,
                            .entity = entity,
                            .amount_at_stake_pence = at_stake,
                            .evidence_seqs = {},
                            .words = FlagWords{.evidence_bank_lines = {u.id}, .sentence = std::move(sentence)}});
  }
  return out;
}

namespace {

MonthFlag MonthRuleFlag(FlagCode code, FlagSeverity severity, uint64_t seq, const Pence& at_stake,
                        std::string sentence) {
  const std::string entity = "entry:" + std::to_string(seq);
  return MonthFlag{.code = code,
                   .severity = severity,
                   .entity = entity,
                   .amount_at_stake_pence = at_stake,
                   .evidence_seqs = {seq},
                   .words = FlagWords{.evidence_bank_lines = {}, .sentence = std::move(sentence)}};
}

std::string OverrideAuthority(const std::string& actor, const std::string& reason) {
  return (actor.empty() ? std::string("an unnamed actor") : actor) + " (reason: \"" + reason + "\")";
}

}  // namespace

Result<std::vector<MonthFlag>> ReadRuleFlags(const ViewSource& views, const Month& month,
                                             const std::function<Result<Date>(uint64_t seq)>& effective_of) {
  std::vector<MonthFlag> out;
  const Date last_day = month.last_day();
  auto in_or_before = [&](uint64_t seq) -> Result<bool> {
    RF_ASSIGN(effective, effective_of(seq));
    return effective <= last_day;
  };
  RF_RETURN_IF_ERROR(ForEachFlagRecord<OverspendFlagRecord>(views, [&](const OverspendFlagRecord& r) -> Status {
    RF_ASSIGN(raised, in_or_before(r.seq));
    if (!raised) return Status::Ok();
    Pence below;
    std::string accounts;
    for (const FlaggedBalance& a : r.accounts) {
      below += -a.balance_after;
      accounts += std::string(accounts.empty() ? "" : ", ") + a.account + " to " + a.balance_after.ToPounds();
    }
    out.push_back(MonthRuleFlag(FlagCode::kOverspend, FlagSeverity::kWarning, r.seq, below,
                                "Entry " + std::to_string(r.seq) + " took " + accounts + " under an override by " +
                                    OverrideAuthority(r.actor, r.reason) +
                                    ". Recover the overspend or top the budget up, and review the support plan so it "
                                    "does not happen again."));
    return Status::Ok();
  }));
  RF_RETURN_IF_ERROR(ForEachFlagRecord<DiversionFlagRecord>(views, [&](const DiversionFlagRecord& r) -> Status {
    RF_ASSIGN(raised, in_or_before(r.seq));
    if (!raised) return Status::Ok();
    std::string to;
    for (const std::string& t : r.to) to += std::string(to.empty() ? "" : ", ") + t;
    out.push_back(
        MonthRuleFlag(FlagCode::kDiversionTransfer, FlagSeverity::kCritical, r.seq, r.amount,
                      "Entry " + std::to_string(r.seq) + " moved " + r.amount.ToPounds() + " of ring-fenced money" +
                          (r.pot.empty() ? "" : " of pot " + r.pot) + " out to " + to + ", entered by " +
                          OverrideAuthority(r.actor, r.reason) +
                          ". Check the transfer was approved and lawful; if not, recover the money and report "
                          "it as a possible diversion."));
    return Status::Ok();
  }));
  return out;
}

void SortMonthFlags(std::vector<MonthFlag>& flags) {
  const auto before = [](const MonthFlag& a, const MonthFlag& b) {
    if (a.severity != b.severity) return a.severity < b.severity;
    if (a.code != b.code) return a.code < b.code;
    return a.entity < b.entity;
  };
  const auto unsorted = std::is_sorted_until(flags.begin(), flags.end(), before);
  std::sort(unsorted, flags.end(), before);
  std::inplace_merge(flags.begin(), unsorted, flags.end(), before);
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
  constexpr std::string_view kPrefix = "payment:";
  std::unordered_set<std::string_view> ids(plan_payment_ids.begin(), plan_payment_ids.end());
  const size_t before = flags.size();
  std::erase_if(flags, [&](const MonthFlag& f) {
    return f.code == FlagCode::kUnsettledPayment && f.entity.starts_with(kPrefix) &&
           ids.count(std::string_view(f.entity).substr(kPrefix.size())) > 0;
  });
  assert(flags.size() <= before && before - flags.size() <= ids.size());
}

Result<std::vector<MonthFlag>> EvaluateMonthFlags(const ViewSource& views, const Month& month) {
  RF_ASSIGN(thresholds, ReadFlagThresholds(views));
  RF_ASSIGN(inputs, ReadMonthFlagInputs(views, month));
  return EvaluateMonthFlagInputs(inputs, thresholds);
}

Result<std::vector<MonthFlag>> EvaluateMonthFlagInputs(const FlagInputs& inputs, const FlagThresholds& thresholds) {
  // Sorted already: the evaluator's order (severity, code, entity) is SortMonthFlags'.
  return EvaluateReportedFlags(inputs, thresholds);
}

}  // namespace rf
