// The spending flags: PROHIBITED_SPEND and DUPLICATE_INVOICE (flags.h says
// exactly when each is raised).

#include <algorithm>
#include <cassert>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "reconcile/flags_internal.h"

namespace rf::flags_internal {
namespace {

Status ProhibitedSpend(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  const std::set<std::string_view> prohibited(t.prohibited_categories.begin(), t.prohibited_categories.end());
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const SpentAmount& s : in.spent_by_category) {
    if (s.budget_id.empty() || s.category.empty()) {
      return Status::InvalidInput("spent account: an empty budget or category");
    }
    if (!seen.emplace(s.budget_id, s.category).second) {
      return Status::InvalidInput("spent account spent:" + s.budget_id + ":" + s.category + ": repeated");
    }
    if (prohibited.count(s.category) == 0 || s.amount_pence.is_zero() || s.amount_pence.is_negative()) continue;
    const std::string account = "spent:" + s.budget_id + ":" + s.category;
    uint64_t budget_seq = 0;
    if (auto it = index.budgets.find(s.budget_id); it != index.budgets.end()) budget_seq = it->second->seq;
    FlagFacts facts{
        .form = FlagForm::kProhibitedSpend, .detail = false, .pence = {s.amount_pence}, .dates = {index.month_end}};
    facts.Text(s.budget_id).Text(s.category).Text(account);
    out.push_back(MakeFlag(FlagCode::kProhibitedSpend, FlagSeverity::kCritical, account, s.amount_pence, {budget_seq},
                           std::move(facts)));
  }
  return Status::Ok();
}

void DuplicateInvoices(const FlagInputs& in, const Index& index, std::vector<MonthFlag>& out) {
  using Key = std::tuple<std::string_view, std::string_view, Pence, Date, Date>;
  std::map<Key, std::vector<const InvoiceFlagFacts*>> groups;
  for (const InvoiceFlagFacts& invoice : in.invoices) {
    if (invoice.received_on > index.month_end) continue;
    if (invoice.state == InvoiceState::kRejected) continue;  // the copy was dealt with: rejected
    groups[Key{invoice.provider_id, invoice.budget_id, invoice.amount, invoice.service_from,
               invoice.service_to}]
        .push_back(&invoice);
  }
  for (auto& [key, invoices] : groups) {
    if (invoices.size() < 2) continue;
    std::sort(invoices.begin(), invoices.end(), [](const InvoiceFlagFacts* a, const InvoiceFlagFacts* b) {
      return std::tie(a->received_on, a->invoice_id) < std::tie(b->received_on, b->invoice_id);
    });
    const InvoiceFlagFacts& first = *invoices.front();
    for (size_t i = 1; i < invoices.size(); ++i) {
      const InvoiceFlagFacts& later = *invoices[i];
      assert(later.provider_id == first.provider_id && later.budget_id == first.budget_id);
      FlagFacts facts{.form = FlagForm::kDuplicateInvoice,
                      .detail = false,
                      .pence = {later.amount},
                      .dates = {later.service_from, later.service_to, later.received_on, first.received_on}};
      facts.Text(later.invoice_id).Text(later.provider_id).Text(later.budget_id).Text(first.invoice_id);
      out.push_back(MakeFlag(FlagCode::kDuplicateInvoice, FlagSeverity::kWarning, "invoice:" + later.invoice_id,
                             later.amount, {first.seq, later.seq}, std::move(facts)));
    }
  }
}

}  // namespace

Status SpendFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<MonthFlag>& out) {
  RF_RETURN_IF_ERROR(ProhibitedSpend(in, t, index, out));
  DuplicateInvoices(in, index, out);
  return Status::Ok();
}

}  // namespace rf::flags_internal
