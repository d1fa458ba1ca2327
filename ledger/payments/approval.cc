#include "ledger/payments/approval.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <set>
#include <tuple>

#include "ledger/core/records.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

// The record of `kind` with `id`, decoded as R; nullopt when absent.
template <typename R>
Result<std::optional<R>> ReadRecord(const ViewSource& views, RecordKind kind, const std::string& id) {
  const std::string key = RecordKey(kind, id);
  RF_ASSIGN(text, views.Get(key));
  if (!text.has_value()) return std::optional<R>();
  RF_ASSIGN(record, DecodeRecordText<R>(key, *text));
  return std::optional<R>(std::move(record));
}

// A received invoice under consideration; `found` false when the id named
// is not in the ledger.
struct Candidate {
  std::string invoice_id;
  InvoiceRecord record;
  bool found = true;
};

// A duplicate is the same provider, budget, amount and service period (the
// contract): a provider supporting several people at one rate sends one
// invoice per budget, and those are not duplicates.
using DuplicateKey = std::tuple<std::string, std::string, Pence, Date, Date>;
DuplicateKey KeyOf(const InvoiceRecord& r) {
  return {r.provider_id, r.budget_id, r.amount, r.service_from, r.service_to};
}

// Pass 1: the invoices the request is about, in received order. For
// --all-valid, the next batch after the cursor; *more when the batch filled
// (the walk stopped there, so later ids may hold more).
Status CollectCandidates(const ViewSource& views, const ApprovalRequest& request, std::vector<Candidate>* out,
                         bool* more, std::string* last_examined) {
  if (request.all_valid) {
    assert(request.batch_invoices >= 1 && request.batch_invoices <= kApprovalBatchMax);
    const std::string_view prefix = RecordPrefix(RecordKind::kInvoice);
    // The smallest key after the cursor's: the cursor's key and a NUL.
    std::string from(prefix);
    if (!request.after_invoice_id.empty()) {
      from = RecordKey(RecordKind::kInvoice, request.after_invoice_id);
      from.push_back('\0');
    }
    Status s = views.ForEachFrom(prefix, from, [&](std::string_view key, std::string_view value) -> Result<bool> {
      auto record = DecodeRecordText<InvoiceRecord>(key, value);
      if (!record.ok()) return record.status();
      *last_examined = record->invoice_id;
      if (record->state != InvoiceState::kReceived) return true;
      out->push_back({record->invoice_id, std::move(*record), true});
      if (out->size() < request.batch_invoices) return true;
      *more = true;
      return false;
    });
    RF_RETURN_IF_ERROR(s);
    assert(out->size() <= request.batch_invoices);
  } else {
    std::set<std::string> seen;
    for (const auto& id : request.invoice_ids) {
      if (!seen.insert(id).second) continue;
      RF_ASSIGN(record, ReadRecord<InvoiceRecord>(views, RecordKind::kInvoice, id));
      if (!record.has_value()) {
        out->push_back({id, InvoiceRecord{}, false});
        continue;
      }
      out->push_back({id, std::move(*record), true});
    }
  }
  std::stable_sort(out->begin(), out->end(),
                   [](const Candidate& a, const Candidate& b) { return a.record.seq < b.record.seq; });
  return Status::Ok();
}

// Pass 2: for each candidate's duplicate key, the earliest other invoice
// (by entry number) that is received, approved or paid (a rejected one
// bills nothing).
Result<std::map<DuplicateKey, std::pair<uint64_t, std::string>>> EarliestByKey(
    const ViewSource& views, const std::vector<Candidate>& candidates) {
  std::map<DuplicateKey, std::pair<uint64_t, std::string>> earliest;
  for (const auto& c : candidates) {
    if (c.found) earliest.emplace(KeyOf(c.record), std::make_pair(UINT64_MAX, std::string()));
  }
  if (earliest.empty()) return earliest;
  // Every state counts: received, approved and paid invoices all bill.
  Status s = views.ForEach(RecordPrefix(RecordKind::kInvoice), [&](std::string_view key, std::string_view value) -> Status {
    RF_ASSIGN(record, DecodeRecordText<InvoiceRecord>(key, value));
    if (record.state == InvoiceState::kRejected) return Status::Ok();  // withdrawn: bills nothing
    auto it = earliest.find(KeyOf(record));
    if (it != earliest.end() && record.seq < it->second.first) it->second = {record.seq, record.invoice_id};
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return earliest;
}

struct Verdict {
  std::vector<std::string> codes, reasons;
  void Add(const char* code, std::string reason) {
    codes.emplace_back(code);
    reasons.push_back(std::move(reason));
  }
};

// The checks that need no running state (everything but funds).
Result<Verdict> Check(const ViewSource& views, const Candidate& candidate, const ApprovalRequest& request,
                      const std::map<DuplicateKey, std::pair<uint64_t, std::string>>& earliest) {
  Verdict v;
  const std::string inv = "invoice " + candidate.invoice_id;
  if (!candidate.found) {
    v.Add(approval_code::kNotFound, inv + " is not in the ledger (has the invoices file been loaded?)");
    return v;
  }
  const InvoiceRecord& c = candidate.record;
  switch (c.state) {
    case InvoiceState::kReceived:
      break;
    case InvoiceState::kApproved:
      v.Add(approval_code::kNotReceived, inv + " was already approved on " + (c.approved_on ? c.approved_on->ToIso() : "?"));
      return v;
    case InvoiceState::kPaid:
      v.Add(approval_code::kNotReceived, inv + " was already paid (payment " + c.payment_id + ")");
      return v;
    case InvoiceState::kRejected:
      v.Add(approval_code::kNotReceived, inv + " was rejected: it is never approved");
      return v;
  }
  const Date on = request.approved_on;
  if (c.received_on > on) {
    v.Add(approval_code::kReceivedLater, inv + " was received on " + c.received_on.ToIso() + ", after " + on.ToIso());
  }

  RF_ASSIGN(provider, ReadRecord<ProviderRecord>(views, RecordKind::kProvider, c.provider_id));
  if (!provider.has_value() || !provider->approved) {
    v.Add(approval_code::kUnapprovedProvider, inv + ": provider " + c.provider_id +
                                     (provider.has_value() ? " (" + provider->name + ")" : "") +
                                     " is not an approved provider, so it cannot be paid");
  }

  RF_ASSIGN(budget, ReadRecord<BudgetRecord>(views, RecordKind::kBudget, c.budget_id));
  if (!budget.has_value()) {
    return Status::Tampered("view " + RecordKey(RecordKind::kBudget, c.budget_id) + " is missing for " + inv);
  }
  // PRODUCT.md: notional budgets are paid only through invoices; the others
  // through instalments to whoever holds the money, who pays providers from
  // it. Paying an invoice against one as well would pay for the care twice.
  if (budget->management != Management::kNotional) {
    v.Add(approval_code::kNotNotionalBudget, inv + ": budget " + c.budget_id + " is a " +
                                     std::string(NameOf(budget->management, kManagementNames)) +
                                     " budget, paid by instalments to its holder, who pays providers from it; send "
                                     "the invoice to the holder (their spending comes back as a dp-return)");
  }
  if (const auto ended_on = budget->ended_on(); ended_on && *ended_on < c.service_to) {
    v.Add(approval_code::kBudgetEnded, inv + ": budget " + c.budget_id + " was ended by a review on " +
                              ended_on->ToIso() + ", before the service period ends (" +
                              c.service_to.ToIso() + ")");
  }
  if (c.service_from < budget->start_date || c.service_to > budget->end_date) {
    v.Add(approval_code::kOutsideBudget, inv + ": the service period " + c.service_from.ToIso() + " to " + c.service_to.ToIso() +
                                " is not inside budget " + c.budget_id + " (" + budget->start_date.ToIso() + " to " +
                                budget->end_date.ToIso() + ")");
  }

  const auto it = earliest.find(KeyOf(c));
  assert(it != earliest.end());
  if (it->second.first < c.seq) {
    v.Add(approval_code::kDuplicateInvoice, inv + " repeats invoice " + it->second.second + ": same provider " + c.provider_id +
                                   ", budget " + c.budget_id + ", amount " + c.amount.ToPounds() +
                                   " and service period " + c.service_from.ToIso() + " to " + c.service_to.ToIso());
  }
  return v;
}

}  // namespace

Result<ApprovalPlan> PlanApprovals(const ViewSource& views, const ApprovalRequest& request, const DraftOrigin& origin) {
  if (!request.all_valid && (request.invoice_ids.empty() || request.invoice_ids.size() > kApprovalIdsMax)) {
    return Status::InvalidInput("name 1 to " + std::to_string(kApprovalIdsMax) + " invoice ids, or --all-valid");
  }
  if (request.batch_invoices < 1 || request.batch_invoices > kApprovalBatchMax) {
    return Status::InvalidInput("an approval batch is 1 to " + std::to_string(kApprovalBatchMax) + " invoices");
  }
  ApprovalPlan plan;
  std::vector<Candidate> candidates;
  RF_RETURN_IF_ERROR(CollectCandidates(views, request, &candidates, &plan.more, &plan.resume_after));
  auto earliest = EarliestByKey(views, candidates);
  if (!earliest.ok()) return earliest.status();

  // Budget balances as this run leaves them, so earlier approvals count.
  struct BudgetLeft {
    Pence left, approved_in_run;
  };
  std::map<std::string, BudgetLeft> budget_left;
  for (const auto& candidate : candidates) {
    auto verdict = Check(views, candidate, request, *earliest);
    const InvoiceRecord& c = candidate.record;
    if (!verdict.ok()) return verdict.status();
    if (verdict->codes.empty()) {
      auto it = budget_left.find(c.budget_id);
      if (it == budget_left.end()) {
        const std::string balance_key = BalanceKey(Account{AccountType::kBudget, c.budget_id, ""});
        auto text = views.Get(balance_key);
        if (!text.ok()) return text.status();
        auto balance = text->has_value() ? ParseBalanceAmount(**text, balance_key) : Result<Pence>(Pence());
        if (!balance.ok()) return balance.status();
        Pence left = *balance;
        if (request.approved_earlier != nullptr) {
          const auto earlier = request.approved_earlier->find(c.budget_id);
          if (earlier != request.approved_earlier->end()) left -= earlier->second;
        }
        it = budget_left.emplace(c.budget_id, BudgetLeft{left, Pence()}).first;
      }
      BudgetLeft& b = it->second;
      if (b.left < c.amount) {
        verdict->Add(approval_code::kInsufficientFunds, "invoice " + c.invoice_id + " is for " + c.amount.ToPounds() +
                                               " but budget " + c.budget_id + " has " + b.left.ToPounds() + " left" +
                                               (b.approved_in_run.is_zero() ? std::string()
                                                                            : " after " + b.approved_in_run.ToPounds() +
                                                                                  " approved earlier in this run"));
      } else {
        b.left -= c.amount;
        b.approved_in_run += c.amount;
      }
    }
    if (!verdict->codes.empty()) {
      plan.refused.push_back(
          {candidate.invoice_id, candidate.found ? c.amount : Pence(), std::move(verdict->codes), std::move(verdict->reasons)});
      continue;
    }
    plan.approved.push_back({c.invoice_id, c.budget_id, c.provider_id, c.amount});
    plan.drafts.push_back(
        InvoiceApprovedDraft(c.invoice_id, c.budget_id, c.provider_id, c.amount, request.approved_on, origin));
    plan.approved_total += c.amount;
  }
  assert(plan.approved.size() == plan.drafts.size());
  assert(plan.approved.size() + plan.refused.size() == candidates.size());
  return plan;
}

Result<ApprovalSummary> RunApprovals(Ledger& ledger, ApprovalRequest request, const DraftOrigin& origin, bool dry_run,
                                     const std::function<Status(const ApprovalPlan&)>& on_batch) {
  ApprovalSummary summary;
  std::map<std::string, Pence> approved_uncommitted;  // dry run only: what the views do not show
  if (dry_run) request.approved_earlier = &approved_uncommitted;
  // Each batch moves the cursor past at least one invoice, so the loop ends
  // after at most (invoices / batch_invoices) + 1 batches.
  for (bool more = true; more;) {
    Result<ApprovalPlan> plan = Status::InvalidInput("no plan");
    RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) {
      plan = PlanApprovals(views, request, origin);
      return plan.status();
    }));
    assert(!plan->more || request.after_invoice_id < plan->resume_after);
    if (!plan->drafts.empty()) {
      auto committed = ledger.Commit(plan->drafts, dry_run);
      if (!committed.ok()) return committed.status();
      if (committed->committed) {
        if (!summary.committed) summary.first_seq = committed->appended.first_seq;
        summary.last_seq = committed->appended.last_seq;
        summary.committed = true;
      }
    }
    ++summary.batches;
    summary.approved_count += plan->approved.size();
    summary.approved_total += plan->approved_total;
    for (const auto& a : plan->approved) {
      if (dry_run) approved_uncommitted[a.budget_id] += a.amount;
    }
    for (const auto& r : plan->refused) {
      ++summary.refused_count;
      summary.refused_total += r.amount;
      for (const auto& code : r.codes) {
        auto& total = summary.refused_by_code[code];
        ++total.count;
        total.amount += r.amount;
      }
    }
    RF_RETURN_IF_ERROR(on_batch(*plan));
    more = request.all_valid && plan->more;
    request.after_invoice_id = plan->resume_after;
  }
  assert(summary.batches >= 1);
  assert(summary.refused_by_code.empty() == (summary.refused_count == 0));
  return summary;
}

std::string_view ApprovalAdvice(std::string_view code) {
  static const std::map<std::string_view, std::string_view> kAdvice = {
      {approval_code::kNotFound, "check the invoice ids, or load the invoices file first"},
      {approval_code::kNotReceived, "nothing to do: these were approved or paid before"},
      {approval_code::kReceivedLater, "approve them with a --date on or after the day they were received"},
      {approval_code::kUnapprovedProvider,
       "approve the provider if it should be paid (`amend provider` is not built yet); until then these invoices "
       "stay unapproved"},
      {approval_code::kNotNotionalBudget,
       "send these invoices to the budget holder, who pays providers from their instalments, and reject them here"},
      {approval_code::kBudgetEnded, "reject these invoices, or ask the provider to invoice only up to the day the budget ended"},
      {approval_code::kOutsideBudget, "ask the provider to correct the service period, or amend the budget's dates"},
      {approval_code::kDuplicateInvoice, "check with the provider and reject the repeated invoices"},
      {approval_code::kInsufficientFunds, "allocate more to these budgets (a transfer from the pot), then approve again"},
  };
  const auto it = kAdvice.find(code);
  return it == kAdvice.end() ? std::string_view("see each invoice's reason (--verbose)") : it->second;
}

}  // namespace rf
