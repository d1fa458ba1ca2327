#include "reconcile/month_flag_records.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <optional>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace rf {
namespace {

// What the full scan keeps (flag_reducer.h): a payment run in the month;
// one run on or before month end and neither settled by then nor
// cancelled; one returned in the month or after it (live at month end, it
// may have been its budget's first payment then), or lacking its return's
// members.
bool PaymentKept(const PaymentFlagFacts& p, Date month_first, Date month_end) {
  const auto in_month = [&](Date day) { return month_first <= day && day <= month_end; };
  const bool settled = (p.state == PaymentState::kSettled || p.state == PaymentState::kReturned) &&
                       (!p.settled_on || *p.settled_on <= month_end);
  const bool open = p.run_date <= month_end && !settled && p.state != PaymentState::kCancelled;
  const bool returned = p.state == PaymentState::kReturned && (!p.returned_on || !p.returned_seq ||
                                                               p.return_line_id.empty() || *p.returned_on >= month_first);
  return in_month(p.run_date) || open || returned;
}

Month MonthAfter(const Month& m) { return m.month == 12 ? Month{m.year + 1, 1} : Month{m.year, m.month + 1}; }

Status Missing(const std::string& key, std::string_view index_key) {
  return Status::Tampered("view " + key + " is missing, which " + std::string(index_key) + " names");
}

// Which index named a payment: an error names that index's key.
enum class PaymentIndex : uint8_t { kRun, kPending, kSettled, kReturned };
struct PaymentNaming {
  std::string id;
  PaymentIndex index = PaymentIndex::kRun;
  std::string detail;  // kRun, kReturned: the key's middle (a month, a day); else the whole key
};

std::string IndexKeyOf(const PaymentNaming& n) {
  switch (n.index) {
    case PaymentIndex::kRun:
      return PaymentRunFamily() + n.detail + "/" + n.id;
    case PaymentIndex::kReturned:
      return PaymentReturnedFamily() + n.detail + "/" + n.id;
    default:
      return n.detail;
  }
}

// Sorts by id, stably, a list made of a few runs already in id order (an
// index walked in key order gives one per month or day): the runs merged
// pairwise, O(n log runs), not O(n log n) moves of every naming.
void SortRunsById(std::vector<PaymentNaming>& namings) {
  const auto by_id = [](const PaymentNaming& a, const PaymentNaming& b) { return a.id < b.id; };
  std::vector<size_t> bounds = {0};
  for (size_t i = 1; i < namings.size(); ++i) {
    if (by_id(namings[i], namings[i - 1])) bounds.push_back(i);
  }
  bounds.push_back(namings.size());
  const auto at = [&](size_t i) { return namings.begin() + static_cast<std::ptrdiff_t>(i); };
  while (bounds.size() > 2) {
    std::vector<size_t> merged = {0};
    for (size_t j = 0; j + 1 < bounds.size(); j += 2) {
      if (j + 2 < bounds.size()) std::inplace_merge(at(bounds[j]), at(bounds[j + 1]), at(bounds[j + 2]), by_id);
      merged.push_back(bounds[std::min(j + 2, bounds.size() - 1)]);
    }
    bounds = std::move(merged);
  }
  assert(std::is_sorted(namings.begin(), namings.end(), by_id));
}

// The record of `kind` and `id` in part, as `decode` (match_facts.h)
// reads it from the stored text in place (no copy); nullopt when there is
// none.
template <typename Facts>
Result<std::optional<Facts>> FindFacts(const ViewSource& views, RecordKind kind, std::string_view id,
                                       Result<Facts> (*decode)(std::string_view key, std::string_view text)) {
  const std::string key = RecordKey(kind, id);
  std::optional<Facts> out;
  RF_RETURN_IF_ERROR(views.Read(key, [&](std::optional<std::string_view> text) -> Status {
    if (!text) return Status::Ok();
    RF_ASSIGN(facts, decode(key, *text));
    out.emplace(std::move(facts));
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<PaymentFlagFacts>> FindPaymentFacts(const ViewSource& views, std::string_view id) {
  return FindFacts(views, RecordKind::kPayment, id, &DecodePaymentFlagFacts);
}

Result<std::optional<InvoiceFlagFacts>> FindInvoice(const ViewSource& views, std::string_view id) {
  return FindFacts(views, RecordKind::kInvoice, id, &DecodeInvoiceFlagFacts);
}

class FlagRecordsReader {
 public:
  FlagRecordsReader(const ViewSource& views, Date month_end)
      : views_(views),
        month_(Month{month_end.year(), month_end.month()}),
        first_(month_.first_day()),
        end_(month_end) {}

  bool InMonth(Date day) const { return first_ <= day && day <= end_; }
  const Month& month() const { return month_; }

  // Reads every payment `namings` name, once each, in key order (so the
  // descents share their pages), each kept when the scan would keep it;
  // checks each run index's month. Adds the invoice of each run-indexed
  // invoice payment to `invoice_ids`, and each run-indexed payment run
  // after month end to `later`. Called once, before the lookups below.
  Status ReadNamed(std::vector<PaymentNaming> namings, std::vector<std::string>* invoice_ids,
                   std::vector<const PaymentFlagFacts*>* later) {
    assert(named_.empty());
    SortRunsById(namings);
    size_t distinct = 0;
    for (size_t i = 0; i < namings.size(); ++i) distinct += (i == 0 || namings[i].id != namings[i - 1].id) ? 1 : 0;
    named_.reserve(distinct);
    named_kept_.reserve(distinct);
    // One read per distinct id, in key order, through one cursor (ReadSorted),
    // each decoded in part (what the flags read, match_facts.h) from the
    // stored text in place.
    std::vector<std::string> keys;
    std::vector<size_t> first_naming;  // per key: the naming reported if it is missing
    keys.reserve(distinct);
    first_naming.reserve(distinct);
    for (size_t i = 0; i < namings.size(); ++i) {
      if (i > 0 && namings[i].id == namings[i - 1].id) continue;
      keys.push_back(RecordKey(RecordKind::kPayment, namings[i].id));
      first_naming.push_back(i);
    }
    RF_RETURN_IF_ERROR(views_.ReadSorted(keys, [&](size_t k, std::optional<std::string_view> text) -> Status {
      const PaymentNaming& n = namings[first_naming[k]];
      if (!text) return Missing(keys[k], IndexKeyOf(n));
      RF_ASSIGN(found, DecodePaymentFlagFacts(keys[k], *text));
      if (found.payment_id != n.id) return Status::Tampered("view " + keys[k] + ": holds payment " + found.payment_id);
      named_kept_.push_back(PaymentKept(found, first_, end_) ? 1 : 0);
      named_.push_back(std::move(found));
      return Status::Ok();
    }));
    std::vector<std::string>().swap(keys);
    std::vector<size_t> later_at;
    size_t at = 0;  // named_ index of namings[i]
    for (size_t i = 0; i < namings.size(); ++i) {
      const PaymentNaming& n = namings[i];
      if (i > 0 && n.id != namings[i - 1].id) ++at;
      if (n.index != PaymentIndex::kRun) continue;
      const PaymentFlagFacts& p = named_[at];
      if (p.run_date.ToIso().substr(0, 7) != n.detail) {
        return Status::Tampered("view " + IndexKeyOf(n) + ": payment run on " + p.run_date.ToIso());
      }
      if (p.purpose == PaymentPurpose::kInvoice && !p.invoice_id.empty()) invoice_ids->push_back(p.invoice_id);
      if (p.run_date > end_) later_at.push_back(at);
    }
    assert(named_.size() == distinct);
    by_id_.reserve(named_.size());
    for (size_t i = 0; i < named_.size(); ++i) by_id_.emplace(named_[i].payment_id, i);
    for (size_t i : later_at) later->push_back(&named_[i]);
    return Status::Ok();
  }

  // The payment of `id`, read once; nullptr when there is none.
  Result<const PaymentFlagFacts*> Payment(const std::string& id) {
    if (auto it = by_id_.find(id); it != by_id_.end()) return &named_[it->second];
    if (auto it = others_.find(id); it != others_.end()) return &it->second.record;
    RF_ASSIGN(found, FindPaymentFacts(views_, id));
    if (!found) return nullptr;
    if (found->payment_id != id) {
      return Status::Tampered("view " + RecordKey(RecordKind::kPayment, id) + ": holds payment " + found->payment_id);
    }
    return &others_.emplace(id, Other{.record = std::move(*found), .kept = false}).first->second.record;
  }
  // The payment `index_key` names, which must exist.
  Result<const PaymentFlagFacts*> NamedPayment(const std::string& id, std::string_view index_key) {
    RF_ASSIGN(p, Payment(id));
    if (p == nullptr) return Missing(RecordKey(RecordKind::kPayment, id), index_key);
    return p;
  }

  // The invoice's Payer (records.h, "Flag indexes"), whatever its run date;
  // nullptr when none.
  Result<const PaymentFlagFacts*> Payer(const InvoiceFlagFacts& invoice) {
    if (!invoice.payment_id.empty()) {
      RF_ASSIGN(named, Payment(invoice.payment_id));
      if (named != nullptr) return named;
    }
    const std::string key = InvoiceFailedPayerKey(invoice.invoice_id);
    std::optional<FailedPayer> named_failed;
    RF_RETURN_IF_ERROR(views_.Read(key, [&](std::optional<std::string_view> value) -> Status {
      if (!value) return Status::Ok();
      RF_ASSIGN(parsed, ParseFailedPayer(*value, key));
      named_failed.emplace(std::move(parsed));
      return Status::Ok();
    }));
    if (!named_failed) return nullptr;
    const FailedPayer& failed = *named_failed;
    RF_ASSIGN(payer, NamedPayment(failed.payment_id, key));
    if (payer->invoice_id != invoice.invoice_id || payer->run_date != failed.run_date) {
      return Status::Tampered("view " + key + ": payment " + payer->payment_id + " does not match it");
    }
    return payer;
  }

  // Whether the paid invoice counts as paid at month end by `payer`.
  bool PaidAtEnd(const PaymentFlagFacts* payer) const { return payer != nullptr && payer->run_date <= end_; }

  // What the full scan keeps of an invoice, rejected ones included.
  bool InvoiceKept(const InvoiceFlagFacts& invoice, const PaymentFlagFacts* payer) const {
    const bool paid = PaidAtEnd(payer);
    return invoice.received_on <= end_ && (!paid || InMonth(payer->run_date) || InMonth(invoice.received_on));
  }

  // Keeps a payment Payment returned.
  void KeepPayment(const PaymentFlagFacts& p) {
    if (!named_.empty() && &p >= named_.data() && &p < named_.data() + named_.size()) {
      named_kept_[static_cast<size_t>(&p - named_.data())] = 1;
    } else {
      others_.at(p.payment_id).kept = true;
    }
  }

  // The payments kept, by id, moved out (compacted where they were read):
  // the lookups above end here.
  std::vector<PaymentFlagFacts> TakeKept() {
    by_id_.clear();
    size_t kept = 0;
    for (size_t i = 0; i < named_.size(); ++i) {
      if (!named_kept_[i]) continue;
      if (kept != i) named_[kept] = std::move(named_[i]);
      ++kept;
    }
    named_.erase(named_.begin() + static_cast<std::ptrdiff_t>(kept), named_.end());
    for (auto& [id, other] : others_) {
      if (other.kept) named_.push_back(std::move(other.record));
    }
    std::inplace_merge(named_.begin(), named_.begin() + static_cast<std::ptrdiff_t>(kept), named_.end(),
                       [](const PaymentFlagFacts& a, const PaymentFlagFacts& b) { return a.payment_id < b.payment_id; });
    others_.clear();
    named_kept_.clear();
    return std::move(named_);
  }

 private:
  struct Other {
    PaymentFlagFacts record;
    bool kept = false;
  };
  const ViewSource& views_;
  const Month month_;
  const Date first_, end_;
  std::vector<PaymentFlagFacts> named_;  // those the indexes name, by id
  std::vector<char> named_kept_;      // per named_
  std::unordered_map<std::string_view, size_t> by_id_;  // named_ index of each id
  std::map<std::string, Other, std::less<>> others_;      // payers read since, by id; node addresses stable
};

// Calls fn(id) for each key under `prefix` (from `from` on).
Status ForEachIndexedId(const ViewSource& views, const std::string& family, const std::string& prefix,
                        const std::string& from, const std::function<Status(FlagIndexKey&, std::string_view)>& fn) {
  return views.ForEachFrom(prefix, from, [&](std::string_view key, std::string_view value) -> Result<bool> {
    RF_ASSIGN(parts, ParseFlagIndexKey(key, family));
    RF_RETURN_IF_ERROR(fn(parts, value));  // may move from parts
    return true;
  });
}

}  // namespace

bool MonthFlagRecords::InstalmentPaid(const std::string& budget_id, Date due_on) const {
  const std::vector<Date>* paid = InstalmentsPaidOf(budget_id);
  return paid != nullptr && std::binary_search(paid->begin(), paid->end(), due_on);
}

const std::vector<Date>* MonthFlagRecords::InstalmentsPaidOf(const std::string& budget_id) const {
  auto it = instalments_paid.find(budget_id);
  return it == instalments_paid.end() ? nullptr : &it->second;
}

Result<MonthFlagRecords> ReadMonthFlagRecords(const ViewSource& views, Date month_end,
                                              const std::vector<BudgetFlagFacts>& budgets,
                                              const std::vector<ProviderRecord>& providers) {
  RF_RETURN_IF_ERROR(RequireMonthIndexes(views));
  FlagRecordsReader r(views, month_end);
  assert(r.month().last_day() == month_end);
  const Month next = MonthAfter(r.month());
  MonthFlagRecords out;

  // Payments: the month's, the open ones, the returned, and those run
  // after month end (which tell what had not yet happened at it): their
  // ids first, then each read once, in key order.
  std::vector<PaymentNaming> namings;
  std::vector<std::string> invoice_ids;  // candidates
  std::vector<const PaymentFlagFacts*> later;
  const std::string run_family = PaymentRunFamily();
  RF_RETURN_IF_ERROR(ForEachIndexedId(views, run_family, run_family, PaymentRunPrefix(r.month()),
                                      [&](FlagIndexKey& key, std::string_view) -> Status {
                                        namings.push_back({.id = std::move(key.id),
                                                           .index = PaymentIndex::kRun,
                                                           .detail = std::move(key.middle)});
                                        return Status::Ok();
                                      }));
  RF_RETURN_IF_ERROR(views.ForEach(PendingPaymentPrefix(), [&](std::string_view key, std::string_view value) -> Status {
    auto run_date = Date::Parse(value, key);
    if (!run_date.ok()) return Status::Tampered("view " + std::string(key) + ": not a run date");
    if (*run_date > month_end) return Status::Ok();
    RF_ASSIGN(id, PaymentIdOfPendingKey(key));
    namings.push_back({.id = std::move(id), .index = PaymentIndex::kPending, .detail = std::string(key)});
    return Status::Ok();
  }));
  RF_RETURN_IF_ERROR(views.ForEachFrom(
      SettledPaymentPrefix(), SettledPaymentKey(month_end.AddDays(1), ""),
      [&](std::string_view key, std::string_view) -> Result<bool> {
        RF_ASSIGN(point, ParseSettledPaymentKey(key));
        namings.push_back(
            {.id = std::move(point.payment_id), .index = PaymentIndex::kSettled, .detail = std::string(key)});
        return true;
      }));
  const std::string returned_family = PaymentReturnedFamily();
  RF_RETURN_IF_ERROR(ForEachIndexedId(views, returned_family, returned_family,
                                      PaymentReturnedKey(r.month().first_day(), ""),
                                      [&](FlagIndexKey& key, std::string_view) -> Status {
                                        namings.push_back({.id = std::move(key.id),
                                                           .index = PaymentIndex::kReturned,
                                                           .detail = std::move(key.middle)});
                                        return Status::Ok();
                                      }));
  RF_RETURN_IF_ERROR(r.ReadNamed(std::move(namings), &invoice_ids, &later));

  // Invoices: received in the month, open now, paid by a run in or after
  // it, rejected from a provider not approved.
  const std::string received_family = InvoiceReceivedFamily();
  RF_RETURN_IF_ERROR(views.ForEach(InvoiceReceivedPrefix(r.month()), [&](std::string_view key, std::string_view) {
    RF_ASSIGN(parts, ParseFlagIndexKey(key, received_family));
    invoice_ids.push_back(std::move(parts.id));
    return Status::Ok();
  }));
  const std::string open_family = InvoiceOpenFamily();
  RF_RETURN_IF_ERROR(views.ForEach(open_family, [&](std::string_view key, std::string_view) {
    RF_ASSIGN(parts, ParseFlagIndexKey(key, open_family));
    invoice_ids.push_back(std::move(parts.id));
    return Status::Ok();
  }));
  std::unordered_set<std::string_view> approved;
  for (const ProviderRecord& p : providers) {
    if (p.approved) approved.insert(p.provider_id);
  }
  if (approved.size() < providers.size()) {
    const std::string rejected_family = InvoiceRejectedFamily();
    RF_RETURN_IF_ERROR(views.ForEach(rejected_family, [&](std::string_view key, std::string_view provider) {
      if (approved.count(provider) > 0) return Status::Ok();
      RF_ASSIGN(parts, ParseFlagIndexKey(key, rejected_family));
      invoice_ids.push_back(std::move(parts.id));
      return Status::Ok();
    }));
  }
  std::sort(invoice_ids.begin(), invoice_ids.end());
  invoice_ids.erase(std::unique(invoice_ids.begin(), invoice_ids.end()), invoice_ids.end());
  std::deque<InvoiceFlagFacts> kept;  // by id (a deque: moving Pence may throw, so a vector would copy)
  auto read_invoice = [&](const std::string& id, std::string_view index_key) -> Result<InvoiceFlagFacts> {
    RF_ASSIGN(found, FindInvoice(views, id));
    if (!found) return Missing(RecordKey(RecordKind::kInvoice, id), index_key);
    return std::move(*found);
  };
  {
    std::vector<std::string> keys;  // in id order, so in key order: one cursor (ReadSorted)
    keys.reserve(invoice_ids.size());
    for (const std::string& id : invoice_ids) keys.push_back(RecordKey(RecordKind::kInvoice, id));
    std::vector<std::string>().swap(invoice_ids);
    RF_RETURN_IF_ERROR(views.ReadSorted(keys, [&](size_t k, std::optional<std::string_view> text) -> Status {
      if (!text) return Missing(keys[k], "a flag index");
      RF_ASSIGN(invoice, DecodeInvoiceFlagFacts(keys[k], *text));  // the text is not read past here
      RF_ASSIGN(payer, r.Payer(invoice));
      if (r.InvoiceKept(invoice, payer)) kept.push_back(std::move(invoice));
      return Status::Ok();
    }));
  }

  // DUPLICATE_INVOICE groups: received on or before month end, not
  // rejected, two or more of one key.
  using DuplicateKey = std::tuple<std::string, std::string, Pence, Date, Date>;
  const std::string group_family = DuplicateGroupFamily();
  std::string hash;
  std::vector<std::string> members;
  std::vector<InvoiceFlagFacts> in_groups;  // of groups of two or more
  auto flush_group = [&]() -> Status {
    std::map<DuplicateKey, std::vector<InvoiceFlagFacts>> by_key;
    for (const std::string& id : members) {
      RF_ASSIGN(invoice, read_invoice(id, DuplicateGroupKey(hash, id)));
      if (invoice.received_on > month_end || invoice.state == InvoiceState::kRejected) continue;
      DuplicateKey key{invoice.provider_id, invoice.budget_id, invoice.amount, invoice.service_from,
                       invoice.service_to};
      by_key[std::move(key)].push_back(std::move(invoice));
    }
    for (auto& [key, invoices] : by_key) {
      if (invoices.size() < 2) continue;
      for (InvoiceFlagFacts& invoice : invoices) in_groups.push_back(std::move(invoice));
    }
    members.clear();
    return Status::Ok();
  };
  RF_RETURN_IF_ERROR(views.ForEach(group_family, [&](std::string_view key, std::string_view) -> Status {
    RF_ASSIGN(parts, ParseFlagIndexKey(key, group_family));
    if (parts.middle != hash) {
      RF_RETURN_IF_ERROR(flush_group());
      hash = parts.middle;
    }
    members.push_back(std::move(parts.id));
    return Status::Ok();
  }));
  RF_RETURN_IF_ERROR(flush_group());
  if (!in_groups.empty()) {  // kept and in_groups by id, an invoice in both taken once
    const auto by_id = [](const InvoiceFlagFacts& a, const InvoiceFlagFacts& b) { return a.invoice_id < b.invoice_id; };
    std::sort(in_groups.begin(), in_groups.end(), by_id);
    std::deque<InvoiceFlagFacts> merged;
    size_t g = 0;
    for (InvoiceFlagFacts& invoice : kept) {
      for (; g < in_groups.size() && in_groups[g].invoice_id <= invoice.invoice_id; ++g) {
        if (in_groups[g].invoice_id == invoice.invoice_id) continue;
        if (merged.empty() || merged.back().invoice_id != in_groups[g].invoice_id) {
          merged.push_back(std::move(in_groups[g]));
        }
      }
      merged.push_back(std::move(invoice));
    }
    for (; g < in_groups.size(); ++g) {
      if (merged.empty() || merged.back().invoice_id != in_groups[g].invoice_id) merged.push_back(std::move(in_groups[g]));
    }
    kept = std::move(merged);
  }

  // Paid spend of the invoices left out, per budget: paid now, less paid
  // by runs after month end, less the paid invoices kept.
  std::unordered_map<std::string_view, Pence> spend;
  spend.reserve(budgets.size());
  for (const BudgetFlagFacts& b : budgets) spend.emplace(b.budget_id, Pence());
  const std::string paid_family = BudgetPaidFamily();
  RF_RETURN_IF_ERROR(views.ForEach(paid_family, [&](std::string_view key, std::string_view value) -> Status {
    RF_ASSIGN(parts, ParseFlagIndexKey(key, paid_family));
    auto amount = Pence::Parse(value, key);
    if (!amount.ok()) return Status::Tampered("view " + std::string(key) + ": " + amount.status().message());
    if (auto it = spend.find(parts.id); it != spend.end()) it->second += *amount;
    return Status::Ok();
  }));
  const std::string paid_month_family = BudgetPaidMonthFamily();
  RF_RETURN_IF_ERROR(ForEachIndexedId(views, paid_month_family, paid_month_family, BudgetPaidMonthPrefix(next),
                                      [&](FlagIndexKey& key, std::string_view value) -> Status {
                                        auto amount = Pence::Parse(value, "budpaidm");
                                        if (!amount.ok()) {
                                          return Status::Tampered("view " + paid_month_family + key.middle + "/" +
                                                                  key.id + ": " + amount.status().message());
                                        }
                                        if (auto it = spend.find(key.id); it != spend.end()) it->second -= *amount;
                                        return Status::Ok();
                                      }));
  for (const InvoiceFlagFacts& invoice : kept) {
    RF_ASSIGN(payer, r.Payer(invoice));
    if (payer != nullptr) r.KeepPayment(*payer);
    if (!r.PaidAtEnd(payer)) continue;
    if (auto it = spend.find(invoice.budget_id); it != spend.end()) it->second -= invoice.amount;
  }
  size_t nonzero = 0;
  for (const auto& [id, amount] : spend) nonzero += amount.is_zero() ? 0 : 1;
  out.paid_invoice_spend.reserve(nonzero);
  for (const BudgetFlagFacts& b : budgets) {
    const Pence& amount = spend.at(b.budget_id);
    if (amount.is_negative()) {
      return Status::Tampered("view " + BudgetPaidKey(b.budget_id) + ": less than the paid invoices of the month (" +
                              amount.ToDecimal() + ")");
    }
    if (!amount.is_zero()) out.paid_invoice_spend.push_back({.budget_id = b.budget_id, .amount_pence = amount});
  }

  // Instalments paid as at month end: now, less those run after it.
  const std::string instalments_family = InstalmentsPaidFamily();
  RF_RETURN_IF_ERROR(views.ForEach(instalments_family, [&](std::string_view key, std::string_view value) -> Status {
    RF_ASSIGN(parts, ParseFlagIndexKey(key, instalments_family));
    RF_ASSIGN(due_dates, ParseInstalmentsPaid(value, key));
    out.instalments_paid.emplace(std::move(parts.id), std::move(due_dates));
    return Status::Ok();
  }));
  for (const PaymentFlagFacts* p : later) {
    if (p->purpose != PaymentPurpose::kInstalment || !p->due_on || p->state == PaymentState::kCancelled) continue;
    auto it = out.instalments_paid.find(p->budget_id);
    auto at = it == out.instalments_paid.end()
                  ? std::vector<Date>::iterator()
                  : std::lower_bound(it->second.begin(), it->second.end(), *p->due_on);
    if (it == out.instalments_paid.end() || at == it->second.end() || *at != *p->due_on) {
      return Status::Tampered("view " + InstalmentsPaidKey(p->budget_id) + ": lacks " + p->due_on->ToIso() +
                              ", which payment " + p->payment_id + " pays");
    }
    it->second.erase(at);
  }

  out.invoices.reserve(kept.size());
  for (InvoiceFlagFacts& invoice : kept) out.invoices.push_back(std::move(invoice));
  std::deque<InvoiceFlagFacts>().swap(kept);
  out.payments = r.TakeKept();
  assert(std::is_sorted(out.invoices.begin(), out.invoices.end(),
                        [](const InvoiceFlagFacts& a, const InvoiceFlagFacts& b) { return a.invoice_id < b.invoice_id; }));
  return out;
}

}  // namespace rf
