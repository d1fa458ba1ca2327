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

Status ProhibitedSpend(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<Flag>& out) {
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
    std::string sentence = "The direct-payment returns of budget " + s.budget_id + " report " +
                           s.amount_pence.ToPounds() + " spent on " + s.category + " (" + account + ") by " +
                           index.month_end.ToIso() + ", a category PHB money cannot buy (prohibited.categories). " +
                           "Ask the holder what was bought; if the return is right, recover " +
                           s.amount_pence.ToPounds() +
                           " and review whether the direct payment should continue; if it is wrong, correct it.";
    out.push_back(MakeFlag(FlagCode::kProhibitedSpend, FlagSeverity::kCritical, account, s.amount_pence, {budget_seq},
                           std::move(sentence)));
  }
  return Status::Ok();
}

void DuplicateInvoices(const FlagInputs& in, const Index& index, std::vector<Flag>& out) {
  using Key = std::tuple<std::string_view, std::string_view, Pence, Date, Date>;
  std::map<Key, std::vector<const InvoiceRecord*>> groups;
  for (const InvoiceRecord& invoice : in.invoices) {
    if (invoice.received_on > index.month_end) continue;
    if (invoice.state == InvoiceState::kRejected) continue;  // the copy was dealt with: rejected
    groups[Key{invoice.provider_id, invoice.budget_id, invoice.amount, invoice.service_from,
               invoice.service_to}]
        .push_back(&invoice);
  }
  for (auto& [key, invoices] : groups) {
    if (invoices.size() < 2) continue;
    std::sort(invoices.begin(), invoices.end(), [](const InvoiceRecord* a, const InvoiceRecord* b) {
      return std::tie(a->received_on, a->invoice_id) < std::tie(b->received_on, b->invoice_id);
    });
    const InvoiceRecord& first = *invoices.front();
    for (size_t i = 1; i < invoices.size(); ++i) {
      const InvoiceRecord& later = *invoices[i];
      assert(later.provider_id == first.provider_id && later.budget_id == first.budget_id);
      std::string sentence = "Invoice " + later.invoice_id + " from provider " + later.provider_id + " for " +
                             later.amount.ToPounds() + " (budget " + later.budget_id + ", service " +
                             later.service_from.ToIso() + " to " + later.service_to.ToIso() + "), received " +
                             later.received_on.ToIso() + ", repeats invoice " + first.invoice_id + " received " +
                             first.received_on.ToIso() +
                             " for the same provider, budget, amount and period. Check with the provider whether "
                             "it is a copy; if it is, do not pay it (or ask for the money back if it was paid).";
      out.push_back(MakeFlag(FlagCode::kDuplicateInvoice, FlagSeverity::kWarning, "invoice:" + later.invoice_id,
                             later.amount, {first.seq, later.seq}, std::move(sentence)));
    }
  }
}

}  // namespace

Status SpendFlags(const FlagInputs& in, const FlagThresholds& t, const Index& index, std::vector<Flag>& out) {
  RF_RETURN_IF_ERROR(ProhibitedSpend(in, t, index, out));
  DuplicateInvoices(in, index, out);
  return Status::Ok();
}

}  // namespace rf::flags_internal
