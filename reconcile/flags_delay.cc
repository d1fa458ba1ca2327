// The delay flags: DELAY_INVOICE, DELAY_FIRST_PAYMENT, DELAY_DP_MISSED and
// UNSETTLED_PAYMENT (flags.h says exactly when each is raised).

#include <algorithm>
#include <cassert>
#include <map>
#include <set>
#include <tuple>
#include <vector>
#include <string>
#include <utility>

#include "reconcile/business_days.h"
#include "reconcile/flags_internal.h"

namespace rf::flags_internal {
namespace {

bool SmallVcse(const ProviderRecord* provider) {
  return provider != nullptr && provider->kind == "vcse" && (provider->size == "micro" || provider->size == "small");
}

void InvoiceDelays(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  for (size_t i = 0; i < in.invoices.size(); ++i) {
    const InvoiceFlagFacts& invoice = in.invoices[i];
    if (invoice.received_on > index.month_end) continue;
    if (invoice.state == InvoiceState::kRejected) continue;  // withdrawn: nothing to pay
    const PaymentFlagFacts* paid = index.paid_by[i];
    if (paid != nullptr && !InMonth(index, paid->run_date)) continue;  // paid before the month
    const Date until = paid != nullptr ? paid->run_date : index.month_end;
    const int64_t days = DaysBetween(invoice.received_on, until);
    const ProviderRecord* provider = index.invoice_provider[i];
    const bool small = SmallVcse(provider);
    const uint32_t limit_days = small ? t.delay_invoice_small_vcse_days : t.delay_invoice_days;
    if (days <= limit_days) continue;
    FlagFacts facts{.form = paid != nullptr ? FlagForm::kInvoicePaid : FlagForm::kInvoiceUnpaid,
                    .detail = small,
                    .pence = {invoice.amount},
                    .dates = {invoice.received_on, until},
                    .numbers = {days, limit_days}};
    facts.Text(invoice.invoice_id);
    if (provider != nullptr && !provider->name.empty()) {
      facts.Text(provider->name + " (" + invoice.provider_id + ")");
    } else {
      facts.Text(invoice.provider_id);
    }
    std::vector<uint64_t> seqs = {invoice.seq};
    if (paid != nullptr) {
      facts.Text(paid->run_id);
      seqs.push_back(paid->seq);
    }
    out.push_back(MakeFlag(FlagCode::kDelayInvoice, FlagSeverity::kWarning, "invoice:" + invoice.invoice_id,
                           invoice.amount, std::move(seqs), std::move(facts)));
  }
}

void FirstPaymentDelays(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  for (const BudgetFlagFacts& budget : in.budgets) {
    if (budget.approved_on > index.month_end) continue;
    const BudgetFacts& at_end = index.Of(in, budget);
    const bool paid = at_end.first_payment_on && *at_end.first_payment_on <= index.month_end;
    if (paid && !InMonth(index, *at_end.first_payment_on)) continue;  // first paid before the month
    const Date until = paid ? *at_end.first_payment_on : index.month_end;
    const int64_t days = DaysBetween(budget.approved_on, until);
    if (days <= t.delay_first_payment_days) continue;
    FlagFacts facts{.form = paid ? FlagForm::kFirstPaymentPaid : FlagForm::kFirstPaymentUnpaid,
                    .detail = false,
                    .pence = {budget.amount},
                    .dates = {budget.approved_on, until},
                    .numbers = {days, t.delay_first_payment_days}};
    facts.Text(budget.budget_id);
    std::vector<uint64_t> seqs = {budget.seq};
    if (paid && at_end.first_payment_seq) seqs.push_back(*at_end.first_payment_seq);
    out.push_back(MakeFlag(FlagCode::kDelayFirstPayment, FlagSeverity::kWarning, "budget:" + budget.budget_id,
                           budget.amount, std::move(seqs), std::move(facts)));
  }
}

std::string InstalmentEntity(std::string_view budget_id, Date due_on) {
  return "instalment:" + std::string(budget_id) + "/" + due_on.ToIso();
}

Status MissedInstalments(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  // Instalments paid on or before month_end, by budget and due date; and
  // those a run in the month paid late, each with every payment that did
  // (a payment the bank returned and its repayment pay one instalment: one
  // flag, not two of the same id).
  using InstalmentKey = std::pair<std::string_view, Date>;
  std::set<InstalmentKey> paid;
  std::map<InstalmentKey, std::vector<const PaymentFlagFacts*>> late;
  for (const PaymentFlagFacts& p : in.payments) {
    if (p.purpose != PaymentPurpose::kInstalment || !p.due_on || p.run_date > index.month_end) continue;
    if (p.state == PaymentState::kCancelled) continue;  // withdrawn: the instalment is still owed
    paid.emplace(p.budget_id, *p.due_on);
    if (!InMonth(index, p.run_date)) continue;
    const int64_t days_late = DaysBetween(*p.due_on, p.run_date);
    if (days_late <= t.delay_dp_missed_days) continue;
    late[{p.budget_id, *p.due_on}].push_back(&p);
  }
  for (const auto& [instalment, payments] : late) {
    // Named by the payment that paid it: not returned, then the earliest.
    const PaymentFlagFacts& p = **std::min_element(payments.begin(), payments.end(), [](auto* a, auto* b) {
      return std::tuple(a->state == PaymentState::kReturned, a->run_date, std::string_view(a->payment_id)) <
             std::tuple(b->state == PaymentState::kReturned, b->run_date, std::string_view(b->payment_id));
    });
    std::vector<uint64_t> seqs;
    for (const PaymentFlagFacts* q : payments) seqs.push_back(q->seq);
    std::sort(seqs.begin(), seqs.end());
    seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
    const int64_t days_late = DaysBetween(*p.due_on, p.run_date);
    FlagFacts facts{.form = FlagForm::kInstalmentPaidLate,
                    .detail = false,
                    .pence = {p.amount},
                    .dates = {*p.due_on, p.run_date},
                    .numbers = {days_late, t.delay_dp_missed_days}};
    facts.Text(p.budget_id).Text(p.run_id).Text(p.payment_id);
    out.push_back(MakeFlag(FlagCode::kDelayDpMissed, FlagSeverity::kWarning, InstalmentEntity(p.budget_id, *p.due_on),
                           p.amount, std::move(seqs), std::move(facts)));
  }
  std::set<std::pair<std::string_view, Date>> seen;
  for (const DueInstalment& due : in.due_instalments) {
    if (!seen.emplace(due.budget_id, due.due_on).second) {
      return Status::InvalidInput("due instalment of budget " + due.budget_id + " on " + due.due_on.ToIso() +
                                  ": repeated");
    }
    if (due.due_on > index.month_end || paid.contains({due.budget_id, due.due_on})) continue;
    const int64_t days_late = DaysBetween(due.due_on, index.month_end);
    if (days_late <= t.delay_dp_missed_days) continue;
    std::vector<uint64_t> seqs;
    if (auto it = index.budgets.find(due.budget_id); it != index.budgets.end()) {
      if (auto ended = index.Of(in, *it->second).ended_on; ended && *ended <= due.due_on) continue;
      seqs.push_back(it->second->seq);
    }
    FlagFacts facts{.form = FlagForm::kInstalmentUnpaid,
                    .detail = false,
                    .pence = {due.amount_pence},
                    .dates = {due.due_on, index.month_end},
                    .numbers = {days_late, t.delay_dp_missed_days}};
    facts.Text(due.budget_id);
    out.push_back(MakeFlag(FlagCode::kDelayDpMissed, FlagSeverity::kWarning,
                           InstalmentEntity(due.budget_id, due.due_on), due.amount_pence, std::move(seqs),
                           std::move(facts)));
  }
  return Status::Ok();
}

void UnsettledPayments(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  for (const PaymentFlagFacts& p : in.payments) {
    if (p.run_date > index.month_end) continue;
    // A returned payment did settle (then came back: PAYMENT_RETURNED says so).
    const bool settled = (p.state == PaymentState::kSettled || p.state == PaymentState::kReturned) &&
                         (!p.settled_on || *p.settled_on <= index.month_end);
    if (settled || p.state == PaymentState::kCancelled) continue;
    const Date deadline = AddBusinessDays(p.run_date, t.unsettled_business_days);
    if (index.month_end <= deadline) continue;
    FlagFacts facts{.form = FlagForm::kUnsettledPayment,
                    .detail = false,
                    .pence = {p.amount},
                    .dates = {p.run_date, index.month_end},
                    .numbers = {t.unsettled_business_days}};
    facts.Text(p.payment_id).Text(p.run_id).Text(p.budget_id);
    out.push_back(MakeFlag(FlagCode::kUnsettledPayment, FlagSeverity::kWarning, "payment:" + p.payment_id, p.amount,
                           {p.seq}, std::move(facts)));
  }
}

}  // namespace

Status DelayFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  assert(t.unsettled_business_days <= kBusinessDaysWindowMax);
  const size_t before = out.size();
  InvoiceDelays(in, t, index, out);
  FirstPaymentDelays(in, t, index, out);
  RF_RETURN_IF_ERROR(MissedInstalments(in, t, index, out));
  UnsettledPayments(in, t, index, out);
  assert(out.size() - before <=
         in.invoices.size() + in.budgets.size() + 2 * in.payments.size() + in.due_instalments.size());
  return Status::Ok();
}

}  // namespace rf::flags_internal
