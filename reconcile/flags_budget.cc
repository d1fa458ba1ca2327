// The budget and pot flags: UNDERSPEND_BUDGET, DP_SURPLUS, REVIEW_OVERDUE,
// UNAPPROVED_PROVIDER and POT_UNALLOCATED (flags.h says exactly when each
// is raised).

#include <algorithm>
#include <cassert>
#include <string>

#include "reconcile/flags_internal.h"

namespace rf::flags_internal {
namespace {

Status Underspend(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  for (const BudgetFlagFacts& budget : in.budgets) {
    if (budget.approved_on > index.month_end || budget.start_date > index.month_end) continue;
    Date active_end = std::min(index.month_end, budget.end_date);
    const BudgetFacts& facts_of = index.Of(in, budget);
    if (facts_of.ended_on) active_end = std::min(active_end, *facts_of.ended_on);
    if (active_end < index.month_first || active_end < budget.start_date) continue;  // ended before the month
    const int64_t active_days = DaysInclusive(budget.start_date, active_end);
    if (active_days < t.underspend_active_days) continue;
    const int64_t period_days = DaysInclusive(budget.start_date, budget.end_date);
    assert(active_days <= period_days);
    RF_ASSIGN(pro_rata, ProRate(budget.amount, static_cast<uint64_t>(active_days), static_cast<uint64_t>(period_days)));
    // Invoices paid by month end: those listed, plus paid_invoice_spend for the rest.
    const Pence spent = facts_of.paid_invoices + facts_of.paid_invoice_spend + facts_of.dp_spent;
    if (!(spent * 100 < pro_rata * static_cast<int64_t>(t.underspend_share_pct))) continue;
    const Pence at_stake = pro_rata - spent;
    FlagFacts facts{.form = FlagForm::kUnderspend,
                    .detail = false,
                    .pence = {spent, pro_rata, budget.amount},
                    .dates = {active_end},
                    .numbers = {active_days, t.underspend_share_pct, period_days}};
    facts.Text(budget.budget_id);
    out.push_back(MakeFlag(FlagCode::kUnderspendBudget, FlagSeverity::kInfo, "budget:" + budget.budget_id, at_stake,
                           {budget.seq}, std::move(facts)));
  }
  return Status::Ok();
}

Status DpSurplus(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  for (const BudgetFlagFacts& budget : in.budgets) {
    if (budget.management != Management::kDirectPayment || budget.approved_on > index.month_end) continue;
    const Pence balance = index.Of(in, budget).dp_balance;
    if (balance.is_zero() || balance.is_negative()) continue;
    const auto period_days = static_cast<uint64_t>(DaysInclusive(budget.start_date, budget.end_date));
    RF_ASSIGN(allowance, ProRate(budget.amount, 7ULL * t.dp_surplus_weeks, period_days));
    RF_ASSIGN(weekly, ProRate(budget.amount, 7, period_days));
    const Pence reclaimable = balance - allowance - t.dp_surplus_contingency_pence;
    if (reclaimable.is_zero() || reclaimable.is_negative()) continue;
    FlagFacts facts{.form = FlagForm::kDpSurplus,
                    .detail = false,
                    .pence = {balance, allowance, weekly, t.dp_surplus_contingency_pence},
                    .dates = {index.month_end},
                    .numbers = {t.dp_surplus_weeks}};
    facts.Text(budget.budget_id);
    out.push_back(MakeFlag(FlagCode::kDpSurplus, FlagSeverity::kWarning, "budget:" + budget.budget_id, reclaimable,
                           {budget.seq}, std::move(facts)));
  }
  return Status::Ok();
}

void ReviewOverdue(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  for (const BudgetFlagFacts& budget : in.budgets) {
    if (budget.management != Management::kDirectPayment) continue;
    const BudgetFacts& at_end = index.Of(in, budget);
    if (!at_end.first_payment_on || *at_end.first_payment_on > index.month_end) continue;
    if (at_end.ended_on || budget.end_date < index.month_first) continue;
    const Date first_paid = *at_end.first_payment_on;
    std::optional<Date> last_review;
    uint64_t review_seq = 0;
    if (budget.last_review_on && first_paid <= *budget.last_review_on && *budget.last_review_on <= index.month_end) {
      last_review = budget.last_review_on;
    }
    if (auto it = index.reviews.find(budget.budget_id); it != index.reviews.end()) {
      for (const ReviewRecord* r : it->second) {
        if (r->reviewed_on < first_paid) continue;
        if (!last_review || r->reviewed_on > *last_review ||
            (r->reviewed_on == *last_review && (review_seq == 0 || r->seq < review_seq))) {
          last_review = r->reviewed_on;
          review_seq = r->seq;
        }
      }
    }
    const Date due =
        last_review ? AddMonths(*last_review, t.review_interval_months) : AddMonths(first_paid, t.review_first_months);
    if (index.month_end <= due) continue;
    assert(DaysBetween(due, index.month_end) > 0);
    FlagFacts facts{.form = last_review ? FlagForm::kReviewDoneBefore : FlagForm::kReviewNeverDone,
                    .detail = false,
                    .pence = {},
                    .dates = {last_review ? *last_review : first_paid, due, index.month_end},
                    .numbers = {last_review ? t.review_interval_months : t.review_first_months}};
    facts.Text(budget.budget_id);
    std::vector<uint64_t> seqs = {budget.seq, review_seq};
    if (at_end.first_payment_seq) seqs.push_back(*at_end.first_payment_seq);
    out.push_back(MakeFlag(FlagCode::kReviewOverdue, FlagSeverity::kWarning, "budget:" + budget.budget_id,
                           budget.amount, std::move(seqs), std::move(facts)));
  }
}

enum class ProviderStanding { kApproved, kNotApproved, kUnknown };

ProviderStanding StandingOf(const ProviderRecord* provider) {
  if (provider == nullptr) return ProviderStanding::kUnknown;
  return provider->approved ? ProviderStanding::kApproved : ProviderStanding::kNotApproved;
}

ProviderStanding StandingOf(const Index& index, std::string_view provider_id) {
  auto it = index.providers.find(provider_id);
  return StandingOf(it == index.providers.end() ? nullptr : it->second);
}

void UnapprovedProviders(const FlagInputs& in, const Index& index, std::vector<MonthFlag>& out) {
  for (size_t i = 0; i < in.invoices.size(); ++i) {
    const InvoiceFlagFacts& invoice = in.invoices[i];
    if (invoice.received_on > index.month_end) continue;
    if (!InMonth(index, invoice.received_on) && index.paid_by[i] != nullptr) continue;
    const ProviderStanding standing = StandingOf(index.invoice_provider[i]);
    if (standing == ProviderStanding::kApproved) continue;
    FlagFacts facts{.form = FlagForm::kUnapprovedInvoice,
                    .detail = standing == ProviderStanding::kNotApproved,
                    .pence = {invoice.amount}};
    facts.Text(invoice.invoice_id).Text(invoice.budget_id).Text(invoice.provider_id);
    out.push_back(MakeFlag(FlagCode::kUnapprovedProvider, FlagSeverity::kCritical, "invoice:" + invoice.invoice_id,
                           invoice.amount, {invoice.seq}, std::move(facts)));
  }
  for (const PaymentFlagFacts& p : in.payments) {
    if (p.provider_id.empty() || !InMonth(index, p.run_date)) continue;
    const ProviderStanding standing = StandingOf(index, p.provider_id);
    if (standing == ProviderStanding::kApproved) continue;
    FlagFacts facts{.form = FlagForm::kUnapprovedPayment,
                    .detail = standing == ProviderStanding::kNotApproved,
                    .pence = {p.amount},
                    .dates = {p.run_date}};
    facts.Text(p.payment_id).Text(p.run_id).Text(p.invoice_id).Text(p.provider_id);
    out.push_back(MakeFlag(FlagCode::kUnapprovedProvider, FlagSeverity::kCritical, "payment:" + p.payment_id, p.amount,
                           {p.seq}, std::move(facts)));
  }
}

// 1 April of the financial year "YYYY-YY" (e.g. "2026-27").
Result<Date> FinancialYearStart(const PotRecord& pot) {
  const std::string& fy = pot.financial_year;
  auto bad = [&] {
    return Status::InvalidInput("pot " + pot.pot_id + ": financial_year \"" + fy.substr(0, 16) +
                                "\" is not of the form 2026-27");
  };
  if (fy.size() != 7 || fy[4] != '-') return bad();
  for (size_t i = 0; i < fy.size(); ++i) {
    if (i != 4 && (fy[i] < '0' || fy[i] > '9')) return bad();
  }
  const int year = std::stoi(fy.substr(0, 4));
  if ((year + 1) % 100 != std::stoi(fy.substr(5, 2))) return bad();
  auto start = Date::Parse(fy.substr(0, 4) + "-04-01", "financial_year");
  if (!start.ok()) return bad();
  return *start;
}

Status PotUnallocated(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  for (const PotRecord& pot : in.pots) {
    RF_ASSIGN(year_start, FinancialYearStart(pot));
    if (index.month_end < year_start || pot.amount.is_zero() || pot.amount.is_negative()) continue;
    const Date year_end = AddMonths(year_start, 12).AddDays(-1);
    const int64_t year_days = DaysInclusive(year_start, year_end);
    const int64_t gone_days = DaysInclusive(year_start, std::min(index.month_end, year_end));
    if (gone_days * 100 <= year_days * t.pot_unallocated_year_pct) continue;
    const Pence unallocated = AmountOf(index.pot_unallocated, pot.pot_id);
    if (!(unallocated * 100 > pot.amount * static_cast<int64_t>(t.pot_unallocated_share_pct))) continue;
    FlagFacts facts{.form = FlagForm::kPotUnallocated,
                    .detail = false,
                    .pence = {unallocated, pot.amount},
                    .dates = {index.month_end},
                    .numbers = {gone_days, year_days, t.pot_unallocated_share_pct, t.pot_unallocated_year_pct}};
    facts.Text(pot.pot_id).Text(pot.name).Text(pot.financial_year);
    out.push_back(MakeFlag(FlagCode::kPotUnallocated, FlagSeverity::kInfo, "pot:" + pot.pot_id, unallocated, {pot.seq},
                           std::move(facts)));
  }
  return Status::Ok();
}

}  // namespace

Status BudgetFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  RF_RETURN_IF_ERROR(Underspend(in, t, index, out));
  RF_RETURN_IF_ERROR(DpSurplus(in, t, index, out));
  ReviewOverdue(in, t, index, out);
  return Status::Ok();
}

Status ProviderPotFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  UnapprovedProviders(in, index, out);
  return PotUnallocated(in, t, index, out);
}

}  // namespace rf::flags_internal
