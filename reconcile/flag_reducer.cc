#include "reconcile/flag_reducer.h"

#include <algorithm>
#include <cassert>
#include <tuple>

namespace rf {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

uint64_t FnvBytes(uint64_t h, std::string_view bytes) {
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return h;
}

uint64_t FnvInt(uint64_t h, uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    h ^= (v >> (8 * i)) & 0xff;
    h *= kFnvPrime;
  }
  return h;
}

}  // namespace

uint64_t DefaultDuplicateKeyHash(const InvoiceRecord& invoice) {
  uint64_t h = kFnvOffset;
  // Lengths first: ("ab", "c") and ("a", "bc") differ.
  h = FnvInt(h, invoice.provider_id.size());
  h = FnvBytes(h, invoice.provider_id);
  h = FnvInt(h, invoice.budget_id.size());
  h = FnvBytes(h, invoice.budget_id);
  if (auto pence = invoice.amount.ToInt64(); pence.ok()) {
    h = FnvInt(h, static_cast<uint64_t>(*pence));
  } else {
    h = FnvBytes(h, invoice.amount.ToDecimal());  // beyond int64: rare, exact all the same
  }
  h = FnvInt(h, static_cast<uint32_t>(invoice.service_from.days_since_epoch()));
  h = FnvInt(h, static_cast<uint32_t>(invoice.service_to.days_since_epoch()));
  return h;
}

FlagRecordReducer::FlagRecordReducer(Date month_end, const std::vector<BudgetFlagFacts>& budgets, DuplicateKeyHash hash)
    : month_first_(Month{month_end.year(), month_end.month()}.first_day()),
      month_end_(month_end),
      budgets_(budgets),
      hash_(hash),
      spend_(budgets.size()),
      spend_touched_(budgets.size(), false) {
  budget_index_.reserve(budgets.size());
  for (size_t i = 0; i < budgets.size(); ++i) budget_index_.emplace(budgets[i].budget_id, static_cast<uint32_t>(i));
}

Result<std::pair<uint32_t, uint32_t>> FlagRecordReducer::Store(std::string_view text) {
  if (arena_.size() + text.size() > UINT32_MAX) {
    return Status::InvalidInput("flag inputs: more record ids than one month's read holds (4 GiB)");
  }
  const auto off = static_cast<uint32_t>(arena_.size());
  arena_.append(text);
  return std::make_pair(off, static_cast<uint32_t>(text.size()));
}

Status FlagRecordReducer::AddPayment(const PaymentRecord& p) {
  assert(!payments_done_);
  if (pays_.size() >= kFlagPaymentsMax) return Status::InvalidInput("flag inputs: more payments than one call takes");
  RF_ASSIGN(id, Store(p.payment_id));
  const auto index = static_cast<uint32_t>(pays_.size());
  const bool settled = (p.state == PaymentState::kSettled || p.state == PaymentState::kReturned) &&
                       (!p.settled_on || *p.settled_on <= month_end_);
  const bool open = p.run_date <= month_end_ && !settled && p.state != PaymentState::kCancelled;
  // A returned payment: in the month or after it (it may have been its
  // budget's first payment at month end), or lacking what its flag needs
  // (so the returned flags refuse it as they would over every payment).
  const bool returned = p.state == PaymentState::kReturned &&
                        (!p.returned_on || !p.returned_seq || p.return_line_id.empty() ||
                         *p.returned_on >= month_first_);
  const bool held = InMonth(p.run_date) || open || returned;
  pays_.push_back({.id_off = id.first, .id_len = id.second, .run_date = p.run_date, .held = held});
  if (held) payments_.push_back(PaymentFlagFactsOf(p));
  if (p.purpose == PaymentPurpose::kInvoice && !p.invoice_id.empty()) {
    RF_ASSIGN(named, Store(p.invoice_id));
    names_.push_back({.invoice_off = named.first, .invoice_len = named.second, .run_date = p.run_date, .pay = index});
  }
  if (p.purpose == PaymentPurpose::kInstalment && p.due_on && p.run_date <= month_end_ &&
      p.state != PaymentState::kCancelled) {
    if (auto it = budget_index_.find(p.budget_id); it != budget_index_.end()) {
      instalments_paid_.emplace_back(it->second, p.due_on->days_since_epoch());
    }
  }
  return Status::Ok();
}

Status FlagRecordReducer::PaymentsDone() {
  assert(!payments_done_);
  payments_done_ = true;
  pay_by_id_.resize(pays_.size());
  for (uint32_t i = 0; i < pays_.size(); ++i) pay_by_id_[i] = i;
  auto id_of = [&](uint32_t i) { return Arena(pays_[i].id_off, pays_[i].id_len); };
  // Views stream in key order, so this is usually sorted already.
  auto by_id = [&](uint32_t a, uint32_t b) { return id_of(a) < id_of(b); };
  if (!std::is_sorted(pay_by_id_.begin(), pay_by_id_.end(), by_id)) {
    std::sort(pay_by_id_.begin(), pay_by_id_.end(), by_id);
  }
  for (size_t i = 1; i < pay_by_id_.size(); ++i) {
    if (id_of(pay_by_id_[i - 1]) == id_of(pay_by_id_[i])) {
      return Status::InvalidInput("payment " + std::string(id_of(pay_by_id_[i])) + ": repeated");
    }
  }
  std::sort(names_.begin(), names_.end(), [&](const NameRef& a, const NameRef& b) {
    return std::make_tuple(Arena(a.invoice_off, a.invoice_len), a.run_date, id_of(a.pay)) <
           std::make_tuple(Arena(b.invoice_off, b.invoice_len), b.run_date, id_of(b.pay));
  });
  std::sort(instalments_paid_.begin(), instalments_paid_.end());
  instalments_paid_.erase(std::unique(instalments_paid_.begin(), instalments_paid_.end()), instalments_paid_.end());
  return Status::Ok();
}

bool FlagRecordReducer::InstalmentPaid(size_t budget_index, Date due_on) const {
  assert(payments_done_);
  return std::binary_search(instalments_paid_.begin(), instalments_paid_.end(),
                            std::make_pair(static_cast<uint32_t>(budget_index), due_on.days_since_epoch()));
}

uint32_t FlagRecordReducer::FindPayment(std::string_view id) const {
  auto it = std::lower_bound(pay_by_id_.begin(), pay_by_id_.end(), id, [&](uint32_t i, std::string_view wanted) {
    return Arena(pays_[i].id_off, pays_[i].id_len) < wanted;
  });
  if (it == pay_by_id_.end() || Arena(pays_[*it].id_off, pays_[*it].id_len) != id) return kNone;
  return *it;
}

uint32_t FlagRecordReducer::Payer(const InvoiceRecord& invoice) const {
  // As flags_internal::PaidBy: the payment it names, else the earliest
  // (run_date, payment_id) invoice payment naming it.
  if (!invoice.payment_id.empty()) {
    if (const uint32_t named = FindPayment(invoice.payment_id); named != kNone) return named;
  }
  auto it = std::lower_bound(names_.begin(), names_.end(), std::string_view(invoice.invoice_id),
                             [&](const NameRef& n, std::string_view wanted) {
                               return Arena(n.invoice_off, n.invoice_len) < wanted;
                             });
  if (it == names_.end() || Arena(it->invoice_off, it->invoice_len) != invoice.invoice_id) return kNone;
  return it->pay;
}

void FlagRecordReducer::Hold(const InvoiceRecord& invoice, uint32_t payer) {
  invoices_.push_back(InvoiceFlagFactsOf(invoice));
  if (payer != kNone && !pays_[payer].held) payments_needed_.push_back(payer);
}

void FlagRecordReducer::AddSpend(const InvoiceRecord& invoice, bool add) {
  auto it = budget_index_.find(invoice.budget_id);
  if (it == budget_index_.end()) return;  // no budget: no UNDERSPEND_BUDGET to feed
  if (add) {
    spend_[it->second] += invoice.amount;
  } else {
    spend_[it->second] -= invoice.amount;
  }
  spend_touched_[it->second] = true;
}

Status FlagRecordReducer::AddInvoice(const InvoiceRecord& invoice) {
  assert(payments_done_);
  ++invoices_seen_;
  if (invoices_seen_ > kFlagInvoicesMax) return Status::InvalidInput("flag inputs: more invoices than one call takes");
  const uint32_t payer = Payer(invoice);
  const bool paid = payer != kNone && pays_[payer].run_date <= month_end_;
  const bool received = invoice.received_on <= month_end_;
  const bool held =
      received && (!paid || InMonth(pays_[payer].run_date) || InMonth(invoice.received_on));
  if (held) {
    Hold(invoice, payer);
  } else if (paid) {
    AddSpend(invoice, /*add=*/true);
  }
  if (received && invoice.state != InvoiceState::kRejected) {
    Candidate c{.key = hash_(invoice), .id_off = 0, .id_len = 0, .held = held};
    if (!held) {
      RF_ASSIGN(id, Store(invoice.invoice_id));
      c.id_off = id.first;
      c.id_len = id.second;
    }
    candidates_.push_back(c);
  }
  return Status::Ok();
}

Status FlagRecordReducer::Finish(const std::function<Result<InvoiceRecord>(std::string_view id)>& invoice_of,
                                 const std::function<Result<PaymentRecord>(std::string_view id)>& payment_of,
                                 FlagInputs& in) {
  assert(payments_done_);
  // Duplicates: every invoice of a key hash seen twice, read back in full.
  std::sort(candidates_.begin(), candidates_.end(),
            [](const Candidate& a, const Candidate& b) { return a.key < b.key; });
  for (size_t begin = 0; begin < candidates_.size();) {
    size_t end = begin + 1;
    while (end < candidates_.size() && candidates_[end].key == candidates_[begin].key) ++end;
    for (size_t i = begin; end - begin >= 2 && i < end; ++i) {
      const Candidate& c = candidates_[i];
      if (c.held) continue;
      const std::string_view id = Arena(c.id_off, c.id_len);
      RF_ASSIGN(invoice, invoice_of(id));
      if (invoice.invoice_id != id) {
        return Status::Tampered("invoice " + std::string(id) + ": read back as " + invoice.invoice_id);
      }
      const uint32_t payer = Payer(invoice);
      // Left out when streamed, so counted in the spend if paid: now listed.
      if (payer != kNone && pays_[payer].run_date <= month_end_) AddSpend(invoice, /*add=*/false);
      Hold(invoice, payer);
    }
    begin = end;
  }
  candidates_ = {};
  std::sort(payments_needed_.begin(), payments_needed_.end());
  payments_needed_.erase(std::unique(payments_needed_.begin(), payments_needed_.end()), payments_needed_.end());
  for (const uint32_t i : payments_needed_) {
    assert(!pays_[i].held);
    const std::string_view id = Arena(pays_[i].id_off, pays_[i].id_len);
    RF_ASSIGN(payment, payment_of(id));
    if (payment.payment_id != id) {
      return Status::Tampered("payment " + std::string(id) + ": read back as " + payment.payment_id);
    }
    pays_[i].held = true;
    payments_.push_back(PaymentFlagFactsOf(payment));
  }
  in.invoices = std::move(invoices_);
  in.payments = std::move(payments_);
  in.paid_invoice_spend.clear();
  for (size_t b = 0; b < budgets_.size(); ++b) {
    if (spend_touched_[b]) {
      in.paid_invoice_spend.push_back({.budget_id = budgets_[b].budget_id, .amount_pence = spend_[b]});
    }
  }
  invoices_ = {};
  payments_ = {};
  return Status::Ok();
}

}  // namespace rf
