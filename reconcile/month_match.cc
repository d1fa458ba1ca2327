#include "reconcile/month_match.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <map>
#include <set>

#include "ledger/core/canonical_writer.h"
#include "ledger/core/line_facts.h"
#include "ledger/core/match_facts.h"
#include "ledger/core/records.h"
#include "ledger/core/rules.h"
#include "reconcile/business_days.h"

namespace rf {
namespace {

Result<uint32_t> WindowFromViews(const ViewSource& views) {
  auto text = FindSetting(views, kMatchWindowSetting);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return kMatchWindowDefault;
  const std::string& value = **text;
  uint32_t days = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), days);
  if (ec != std::errc() || end != value.data() + value.size()) {
    return Status::Tampered(std::string("config ") + kMatchWindowSetting + ": not a count");
  }
  return days;
}

// The line as the matcher reads it, its id the one the line is read by;
// `r` is read no more after (its members are moved).
BankLineIn LineIn(std::string line_id, BankLineMatchFacts& r) {
  return {.line_id = std::move(line_id),
          .booked_on = r.booked_on,
          .amount_pence = r.amount,
          .end_to_end_id = std::move(r.end_to_end_id),
          .batch_id = std::move(r.batch_id),
          .payee_ref = std::move(r.counterparty_ref)};
}

// The bank line `line_id` as matching reads it: only those members are
// decoded, and, when `each_line` is given, its settlement facts from the
// same read (then handed to it). nullopt when there is none.
Result<std::optional<BankLineMatchFacts>> ReadLineForMatch(
    const ViewSource& views, const std::string& line_id,
    const std::function<Status(const BankLineSettlementFacts&)>& each_line) {
  const std::string key = RecordKey(RecordKind::kBankLine, line_id);
  RF_ASSIGN(text, views.Get(key));
  if (!text) return std::optional<BankLineMatchFacts>();
  if (!each_line) {
    RF_ASSIGN(facts, DecodeBankLineMatchFacts(key, *text));
    return std::optional<BankLineMatchFacts>(std::move(facts));
  }
  BankLineSettlementFacts settlement;
  RF_ASSIGN(facts, DecodeBankLineFacts(key, *text, &settlement));
  assert(settlement.line_id == line_id);
  RF_RETURN_IF_ERROR(each_line(settlement));
  return std::optional<BankLineMatchFacts>(std::move(facts));
}

// A settled payment an inflow booked in [first, last] could return within
// the window (the end-to-end id tier reads any other by a point read).
bool IsReturnCandidate(const PaymentRecord& r, Date first, Date last, uint32_t window_business_days) {
  if (r.state != PaymentState::kSettled || !r.settled_on) return false;
  return *r.settled_on <= last && first <= AddBusinessDays(*r.settled_on, window_business_days);
}

SettledPaymentIn SettledIn(const PaymentRecord& r) {
  const bool returnable = r.state == PaymentState::kSettled && r.settled_on.has_value();
  return {.payment_id = r.payment_id,
          .settled_on = r.settled_on.value_or(r.run_date),
          .amount_pence = r.amount,
          .payee_ref = r.payee_ref,
          .end_to_end_id = r.payment_id,
          .returnable = returnable,
          .state = std::string(ToString(r.state))};
}

// Matches the inflows MatchStatement left against settled payments
// (match_returns.h), one payment.returned per return. Candidates:
// `settled` (read by the caller), the payments this plan settles (settled
// on their line's date, in the same transaction), and whatever an inflow's
// end-to-end id names. Replaces the inflows' unmatched items by the return
// matcher's verdicts; keeps each return's draft fields (plan.returned).
Status PlanReturns(const ViewSource& views, MonthMatchPlan& plan, std::vector<SettledPaymentIn> settled) {
  std::vector<BankLineIn> inflows;
  std::vector<UnmatchedItem> kept;
  for (const UnmatchedItem& u : plan.result.unmatched_lines) {
    const BankLineIn* line = plan.FindLine(u.id);
    assert(line != nullptr);
    if (u.code == UnmatchedCode::kInflow && line != nullptr && line->amount_pence > Pence()) inflows.push_back(*line);
  }
  if (inflows.empty()) return Status::Ok();
  for (UnmatchedItem& u : plan.result.unmatched_lines) {
    const BankLineIn* line = plan.FindLine(u.id);
    if (!(u.code == UnmatchedCode::kInflow && line != nullptr && line->amount_pence > Pence())) {
      kept.push_back(std::move(u));
    }
  }
  std::set<std::string> known;
  for (const SettledPaymentIn& p : settled) known.insert(p.payment_id);
  for (const ProposedMatch& m : plan.result.matches) {
    const std::vector<std::string> ids = m.run_id.empty() ? std::vector<std::string>{m.payment_id} : m.run_payment_ids;
    for (const std::string& id : ids) {
      const PaymentIn* p = plan.FindPayment(id);
      assert(p != nullptr);
      if (p == nullptr || !known.insert(id).second) continue;
      settled.push_back({.payment_id = id,
                         .settled_on = m.booked_on,
                         .amount_pence = p->amount_pence,
                         .payee_ref = p->payee_ref,
                         .end_to_end_id = p->end_to_end_id,
                         .returnable = true,
                         .state = "settled"});
    }
  }
  for (const BankLineIn& line : inflows) {
    if (line.end_to_end_id.empty() || known.count(line.end_to_end_id) > 0) continue;
    auto named = FindRecord<PaymentRecord>(views, line.end_to_end_id);
    if (!named.ok()) return named.status();
    if (!named->has_value()) continue;
    known.insert(line.end_to_end_id);
    settled.push_back(SettledIn(**named));
  }
  auto matched = MatchReturns(inflows, settled, {plan.window_business_days});
  if (!matched.ok()) return matched.status();
  for (UnmatchedItem& u : matched->unmatched_lines) kept.push_back(std::move(u));
  // An instalment's return takes the money out of dp:<budget>; when the
  // holder has already reported spending it, rule 1 would refuse the month,
  // so the line is left for a person instead (the balance as it is now).
  std::map<std::string, Pence> dp_left;
  for (ProposedReturn& r : matched->returns) {
    // What the payment posted decides where the money goes back.
    auto payment = FindRecord<PaymentRecord>(views, r.payment_id);
    if (!payment.ok()) return payment.status();
    if (!payment->has_value()) {
      return Status::Tampered("view " + RecordKey(RecordKind::kPayment, r.payment_id) + " is missing");
    }
    const PaymentRecord& p = **payment;
    if (p.purpose == PaymentPurpose::kInstalment) {
      auto left = dp_left.find(p.budget_id);
      if (left == dp_left.end()) {
        auto balance = FindBalance(views, Account{AccountType::kDp, p.budget_id, ""});
        if (!balance.ok()) return balance.status();
        left = dp_left.emplace(p.budget_id, *balance).first;
      }
      if (left->second < r.amount_pence) {
        kept.push_back({r.line_id, UnmatchedCode::kInflow,
                        "returns instalment " + r.payment_id + " (" + r.amount_pence.ToPounds() + "), but dp:" +
                            p.budget_id + " holds only " + left->second.ToPounds() +
                            " (spending was reported from it): a person decides how to put the money back",
                        {r.payment_id}});
        continue;
      }
      left->second -= r.amount_pence;
    }
    plan.returns.push_back(r);
    plan.returned.push_back({.payment_id = r.payment_id,
                             .bank_line_id = r.line_id,
                             .purpose = std::string(ToString(p.purpose)),
                             .budget_id = p.budget_id,
                             .provider_id = p.provider_id,
                             .amount = r.amount_pence,
                             .booked_on = r.booked_on});
  }
  assert(plan.returned.size() == plan.returns.size());
  std::sort(kept.begin(), kept.end(), [](const UnmatchedItem& a, const UnmatchedItem& b) { return a.id < b.id; });
  plan.result.unmatched_lines = std::move(kept);
  plan.summary.lines_returned = plan.returns.size();
  return Status::Ok();
}

// Our payments and runs the plan's lines name by end-to-end or batch id that
// the plan does not hold open (match.h ClosedIds), each read by a point read:
// a line naming one is told what became of it, the same whether it closed in
// an earlier run or in this one (MatchStatement's later passes).
Result<ClosedIds> ReadClosedIds(const ViewSource& views, const MonthMatchPlan& plan, const std::vector<RunIn>& runs) {
  // plan.payments is sorted by id (FindPayment); the runs are a few.
  std::set<std::string_view> open_runs, payments_read, runs_read;
  for (const RunIn& r : runs) open_runs.insert(r.run_id);
  ClosedIds closed;
  for (const BankLineIn& line : plan.lines) {
    const std::string& e2e = line.end_to_end_id;
    if (!e2e.empty() && plan.FindPayment(e2e) == nullptr && payments_read.insert(e2e).second) {
      RF_ASSIGN(found, FindRecord<PaymentRecord>(views, e2e));
      if (found) {
        const PaymentRecord& r = *found;
        ClosedPaymentIn c{.payment_id = e2e,
                          .state = ClosedAs::kSettled,
                          .bank_line_id = r.bank_line_id,
                          .run_date = r.run_date,
                          .amount_pence = r.amount,
                          .payee_ref = r.payee_ref};
        switch (r.state) {
          case PaymentState::kPending:
            // Pending ones run by the month's end are open (read above).
            if (r.run_date <= plan.month.last_day()) {
              return Status::Tampered("view " + RecordKey(RecordKind::kPayment, e2e) +
                                      ": a pending payment paypending/ does not hold");
            }
            c.state = ClosedAs::kRunLater;
            c.bank_line_id.clear();
            break;
          case PaymentState::kSettled:
          case PaymentState::kReturned:
            break;
          case PaymentState::kCancelled:
            c.state = ClosedAs::kCancelled;
            c.bank_line_id.clear();
            break;
        }
        closed.payments.push_back(std::move(c));
      }
    }
    const std::string& batch = line.batch_id;
    if (!batch.empty() && !open_runs.contains(batch) && runs_read.insert(batch).second) {
      RF_ASSIGN(found, FindRecord<RunRecord>(views, batch));
      if (found) closed.run_ids.push_back(batch);
    }
  }
  return closed;
}

}  // namespace

const BankLineIn* MonthMatchPlan::FindLine(const std::string& line_id) const {
  auto it = std::lower_bound(lines.begin(), lines.end(), line_id,
                             [](const BankLineIn& l, const std::string& id) { return l.line_id < id; });
  return it != lines.end() && it->line_id == line_id ? &*it : nullptr;
}

const PaymentIn* MonthMatchPlan::FindPayment(const std::string& payment_id) const {
  auto it = std::lower_bound(payments.begin(), payments.end(), payment_id,
                             [](const PaymentIn& p, const std::string& id) { return p.payment_id < id; });
  return it != payments.end() && it->payment_id == payment_id ? &*it : nullptr;
}

size_t PlanDraftCount(const MonthMatchPlan& plan) {
  assert(plan.returned.size() == plan.returns.size());
  return plan.result.matches.size() + plan.returned.size();
}

EntryDraft PlanDraft(const MonthMatchPlan& plan, size_t i, const DraftOrigin& origin) {
  assert(i < PlanDraftCount(plan));
  const size_t matches = plan.result.matches.size();
  if (i >= matches) return PaymentReturnedDraft(plan.returned[i - matches], origin);
  const ProposedMatch& m = plan.result.matches[i];
  assert(m.payment_id.empty() != m.run_id.empty());
  return m.run_id.empty() ? PaymentSettledDraft(m.payment_id, m.line_id, m.booked_on, origin)
                          : RunSettledDraft(m.run_id, m.line_id, m.booked_on, origin);
}

Result<MonthMatchPlan> PlanMonthMatch(const ViewSource& views, const Month& month,
                                      std::optional<uint32_t> window_business_days, const DraftOrigin& origin,
                                      const std::function<Status(const BankLineSettlementFacts&)>& each_line_in_month,
                                      MatchDrafts drafts) {
  MonthMatchPlan plan;
  plan.month = month;
  if (window_business_days) {
    plan.window_business_days = *window_business_days;
  } else {
    auto configured = WindowFromViews(views);
    if (!configured.ok()) return configured.status();
    plan.window_business_days = *configured;
  }
  if (plan.window_business_days > kBusinessDaysWindowMax) {
    return Status::InvalidInput("--window-days: at most " + std::to_string(kBusinessDaysWindowMax) +
                                " business days, not " + std::to_string(plan.window_business_days));
  }
  const Date first = month.first_day(), last = month.last_day();
  MonthMatchSummary& s = plan.summary;

  RF_RETURN_IF_ERROR(RequireMonthIndexes(views));
  // The month's lines through linemonth/ (in bank line id order, as the
  // bankline/ family is), each read by a point read.
  const std::string line_month_prefix = LineMonthPrefix(month);
  Status read = views.ForEach(line_month_prefix, [&](std::string_view key, std::string_view) -> Status {
    // LineIdOfMonthKey without making the month's prefix again per line.
    if (!key.starts_with(line_month_prefix) || key.size() == line_month_prefix.size()) {
      return LineIdOfMonthKey(key, month).status();
    }
    std::string line_id(key.substr(line_month_prefix.size()));
    RF_ASSIGN(found, ReadLineForMatch(views, line_id, each_line_in_month));
    if (!found || found->booked_on < first || found->booked_on > last) {
      return Status::Tampered("view " + std::string(key) + ": names no bank line booked in " + month.ToString());
    }
    BankLineMatchFacts& r = *found;
    ++s.lines_in_month;
    if (r.amount.is_negative()) {
      s.money_out += -r.amount;
    } else {
      s.money_in += r.amount;
    }
    if (r.state != BankLineState::kUnmatched) {
      ++s.lines_settled_before;
      return Status::Ok();
    }
    if (plan.lines.size() >= kMatchLinesMax) {
      return Status::InvalidInput("month " + month.ToString() + ": more than " + std::to_string(kMatchLinesMax) +
                                  " bank lines to match");
    }
    plan.lines.push_back(LineIn(std::move(line_id), r));
    return Status::Ok();
  });
  if (!read.ok()) return read;

  // Unsettled payments through paypending/ (payment id order), the run date
  // its value: a payment run after the month is not read. Runs are dated by
  // their payments (a run record keeps no date).
  std::map<std::string, Date> run_dates;
  read = views.ForEach(PendingPaymentPrefix(), [&](std::string_view key, std::string_view value) -> Status {
    RF_ASSIGN(payment_id, PaymentIdOfPendingKey(key));
    RF_ASSIGN(run_date, Date::Parse(value, key));
    if (run_date > last) return Status::Ok();
    // Only what matching reads of the payment is decoded.
    const std::string record_key = RecordKey(RecordKind::kPayment, payment_id);
    RF_ASSIGN(text, views.Get(record_key));
    std::optional<PaymentMatchFacts> found;
    if (text) {
      RF_ASSIGN(facts, DecodePaymentMatchFacts(record_key, *text));
      found = std::move(facts);
    }
    if (!found || found->state != PaymentState::kPending || found->run_date != run_date) {
      return Status::Tampered("view " + std::string(key) + ": names no pending payment run on " + run_date.ToIso());
    }
    PaymentMatchFacts& r = *found;
    if (plan.payments.size() >= kMatchPaymentsMax) {
      return Status::InvalidInput("month " + month.ToString() + ": more than " + std::to_string(kMatchPaymentsMax) +
                                  " unsettled payments");
    }
    auto [it, added] = run_dates.try_emplace(r.run_id, r.run_date);
    if (!added && r.run_date < it->second) it->second = r.run_date;
    plan.payments.push_back({.payment_id = payment_id,
                             .run_id = std::move(r.run_id),
                             .run_date = r.run_date,
                             .amount_pence = r.amount,
                             .payee_ref = std::move(r.payee_ref),
                             .end_to_end_id = std::move(payment_id)});
    return Status::Ok();
  });
  if (!read.ok()) return read;

  // Return candidates through paysettled/, from the earliest settled date
  // whose window reaches the month (AddBusinessDays is nondecreasing) to
  // its last day.
  Date earliest = first;
  while (AddBusinessDays(earliest.AddDays(-1), plan.window_business_days) >= first) earliest = earliest.AddDays(-1);
  std::vector<SettledPaymentIn> settled;
  const std::string settled_prefix = SettledPaymentPrefix();
  read = views.ForEachFrom(settled_prefix, settled_prefix + earliest.ToIso(),
                           [&](std::string_view key, std::string_view) -> Result<bool> {
                             RF_ASSIGN(point, ParseSettledPaymentKey(key));
                             if (point.settled_on > last) return false;
                             RF_ASSIGN(found, FindRecord<PaymentRecord>(views, point.payment_id));
                             if (!found || found->state != PaymentState::kSettled ||
                                 found->settled_on != point.settled_on) {
                               return Status::Tampered("view " + std::string(key) + ": names no payment settled on " +
                                                       point.settled_on.ToIso());
                             }
                             if (!IsReturnCandidate(*found, first, last, plan.window_business_days)) return true;
                             if (settled.size() >= kMatchPaymentsMax) {
                               return Status::InvalidInput("month " + month.ToString() + ": more than " +
                                                           std::to_string(kMatchPaymentsMax) +
                                                           " settled payments a line could return");
                             }
                             settled.push_back(SettledIn(*found));
                             return true;
                           });
  if (!read.ok()) return read;
  // In payment id order, as a scan of payment/ gave them.
  std::sort(settled.begin(), settled.end(),
            [](const SettledPaymentIn& a, const SettledPaymentIn& b) { return a.payment_id < b.payment_id; });

  std::vector<RunIn> runs;
  for (const auto& [run_id, run_date] : run_dates) {
    auto run = FindRecord<RunRecord>(views, run_id);
    if (!run.ok()) return run.status();
    if (!run->has_value() || (*run)->state != PaymentState::kPending) continue;
    // Cancelled payments stay in the run's chain, not in its total.
    runs.push_back({run_id, run_date, (*run)->total, (*run)->payments - (*run)->cancelled});
  }

  // By id (the views' key order gives it already; sorted only if not).
  const auto line_less = [](const BankLineIn& a, const BankLineIn& b) { return a.line_id < b.line_id; };
  const auto payment_less = [](const PaymentIn& a, const PaymentIn& b) { return a.payment_id < b.payment_id; };
  if (!std::is_sorted(plan.lines.begin(), plan.lines.end(), line_less)) {
    std::sort(plan.lines.begin(), plan.lines.end(), line_less);
  }
  if (!std::is_sorted(plan.payments.begin(), plan.payments.end(), payment_less)) {
    std::sort(plan.payments.begin(), plan.payments.end(), payment_less);
  }

  RF_ASSIGN(closed, ReadClosedIds(views, plan, runs));
  auto result = MatchStatement(plan.lines, plan.payments, runs, {.window_business_days = plan.window_business_days},
                               closed);
  if (!result.ok()) return result.status();
  plan.result = std::move(*result);

  for (const ProposedMatch& m : plan.result.matches) {
    assert(m.payment_id.empty() != m.run_id.empty());
    const BankLineIn* line = plan.FindLine(m.line_id);
    assert(line != nullptr && line->booked_on == m.booked_on);
    (void)line;
    s.payments_settled += m.run_id.empty() ? 1 : m.run_payment_ids.size();
    switch (m.rule) {
      case MatchRule::kEndToEndId:
        ++s.matched_end_to_end_id;
        break;
      case MatchRule::kBatch:
        ++s.matched_batch;
        break;
      case MatchRule::kAmountPayeeDate:
        ++s.matched_amount_payee_date;
        break;
    }
  }
  RF_RETURN_IF_ERROR(PlanReturns(views, plan, std::move(settled)));
  if (drafts == MatchDrafts::kBuild) {
    const size_t count = PlanDraftCount(plan);
    plan.drafts.reserve(count);
    for (size_t i = 0; i < count; ++i) plan.drafts.push_back(PlanDraft(plan, i, origin));
  }
  s.lines_left = plan.result.unmatched_lines.size();
  for (const UnmatchedItem& item : plan.result.unmatched_lines) {
    // Money in (or none moved), whatever the return matcher said of it:
    // `reconcile match` settles payments out, so it is no decision for it.
    const BankLineIn* line = plan.FindLine(item.id);
    if (item.code == UnmatchedCode::kInflow || (line != nullptr && !line->amount_pence.is_negative())) {
      ++s.lines_inflow;
    }
  }
  s.payments_unsettled = plan.result.unmatched_payments.size();
  // Every line read is matched or left; every payment settled or left.
  assert(plan.result.matches.size() + plan.returns.size() + s.lines_left == plan.lines.size());
  assert(s.payments_settled + s.payments_unsettled == plan.payments.size());
  return plan;
}

Result<std::vector<EntryDraft>> ManualMatchDrafts(const ViewSource& views, const ManualMatch& match,
                                                  const DraftOrigin& origin) {
  if (match.payment_id.empty() == match.run_id.empty()) {
    return Status::InvalidInput("reconcile match: name the --payment or, for a batch line, the --run it settles");
  }
  if (!IsReason(match.reason)) return Status::InvalidInput("--reason: say why in words");
  if (match.bank_line_id.empty()) return Status::InvalidInput("--bank-line: name the bank line");
  auto line = FindRecord<BankLineRecord>(views, match.bank_line_id);
  if (!line.ok()) return line.status();
  if (!line->has_value()) {
    return Status::Refused("bank line " + match.bank_line_id +
                           " is not on any statement loaded (ingest the statement first)");
  }
  const Date booked_on = (*line)->booked_on;
  std::vector<EntryDraft> drafts;
  drafts.push_back(match.run_id.empty() ? PaymentSettledDraft(match.payment_id, match.bank_line_id, booked_on, origin)
                                        : RunSettledDraft(match.run_id, match.bank_line_id, booked_on, origin));
  CanonicalObject note;
  note.Text("note", "reconcile.match")
      .Text("bank_line_id", match.bank_line_id)
      .Text("reason", match.reason)
      .Text("by", origin.actor);
  if (match.run_id.empty()) {
    note.Text("payment_id", match.payment_id);
  } else {
    note.Text("run_id", match.run_id);
  }
  drafts.push_back(KindDraft(kind::kNote, booked_on, origin, note.Finish()));
  // The note follows its settlement, on the same date, in the same commit.
  assert(drafts.size() == 2 && drafts[0].kind == kind::kPaymentSettled && drafts[1].effective == booked_on);
  return drafts;
}

}  // namespace rf
