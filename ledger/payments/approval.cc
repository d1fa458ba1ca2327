#include "ledger/payments/approval.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <set>
#include <tuple>

#include "ledger/core/views.h"

namespace rf {
namespace {

Result<nlohmann::json> ReadRecord(const ViewSource& views, RecordKind kind, const std::string& id) {
  const std::string key = RecordKey(kind, id);
  auto text = views.Get(key);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return nlohmann::json();  // null: absent
  auto doc = nlohmann::json::parse(**text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Status::Tampered("view " + key + " is not a JSON object");
  return doc;
}

std::string Str(const nlohmann::json& j, const char* member) {
  const auto it = j.find(member);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A received invoice under consideration, with what the checks need.
struct Candidate {
  std::string invoice_id, provider_id, budget_id, state, approved_on, payment_id;
  std::string service_from, service_to, received_on;  // ISO dates compare as text
  Pence amount;
  uint64_t seq = 0;
  bool found = true;
};

// A duplicate is the same provider, budget, amount and service period (the
// contract): a provider supporting several people at one rate sends one
// invoice per budget, and those are not duplicates.
using DuplicateKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;
DuplicateKey KeyOf(const Candidate& c) {
  return {c.provider_id, c.budget_id, c.amount.ToDecimal(), c.service_from, c.service_to};
}

Result<Candidate> ParseCandidate(const std::string& id, const nlohmann::json& record) {
  Candidate c;
  c.invoice_id = id;
  c.provider_id = Str(record, "provider_id");
  c.budget_id = Str(record, "budget_id");
  c.state = Str(record, "state");
  c.approved_on = Str(record, "approved_on");
  c.payment_id = Str(record, "payment_id");
  c.service_from = Str(record, "service_from");
  c.service_to = Str(record, "service_to");
  c.received_on = Str(record, "received_on");
  const auto seq = record.find("seq");
  auto amount = Pence::Parse(Str(record, "amount"), "invoice/" + id + ".amount");
  if (!amount.ok() || seq == record.end() || !seq->is_number_unsigned() || c.provider_id.empty() ||
      c.budget_id.empty() || c.state.empty()) {
    return Status::Tampered("view invoice/" + id + " is missing fields an invoice record always has");
  }
  c.amount = *amount;
  c.seq = seq->get<uint64_t>();
  return c;
}

// Pass 1: the invoices the request is about, in received order.
Status CollectCandidates(const ViewSource& views, const ApprovalRequest& request, std::vector<Candidate>* out,
                         bool* truncated) {
  if (request.all_valid) {
    Status s = views.ForEach("invoice/", [&](std::string_view key, std::string_view value) -> Status {
      auto doc = nlohmann::json::parse(value, nullptr, false);
      if (!doc.is_object()) return Status::Tampered("view " + std::string(key) + " is not a JSON object");
      if (Str(doc, "state") != "received") return Status::Ok();
      auto c = ParseCandidate(std::string(key.substr(8)), doc);
      if (!c.ok()) return c.status();
      out->push_back(std::move(*c));
      return Status::Ok();
    });
    RF_RETURN_IF_ERROR(s);
  } else {
    std::set<std::string> seen;
    for (const auto& id : request.invoice_ids) {
      if (!seen.insert(id).second) continue;
      auto record = ReadRecord(views, RecordKind::kInvoice, id);
      if (!record.ok()) return record.status();
      if (record->is_null()) {
        Candidate missing;
        missing.invoice_id = id;
        missing.found = false;
        out->push_back(std::move(missing));
        continue;
      }
      auto c = ParseCandidate(id, *record);
      if (!c.ok()) return c.status();
      out->push_back(std::move(*c));
    }
  }
  std::stable_sort(out->begin(), out->end(), [](const Candidate& a, const Candidate& b) { return a.seq < b.seq; });
  if (out->size() > kApprovalsMax) {
    out->resize(kApprovalsMax);
    *truncated = true;
  }
  return Status::Ok();
}

// Pass 2: for each candidate's duplicate key, the earliest other invoice
// (by entry number) that is received, approved or paid.
Result<std::map<DuplicateKey, std::pair<uint64_t, std::string>>> EarliestByKey(
    const ViewSource& views, const std::vector<Candidate>& candidates) {
  std::map<DuplicateKey, std::pair<uint64_t, std::string>> earliest;
  for (const auto& c : candidates) {
    if (c.found) earliest.emplace(KeyOf(c), std::make_pair(UINT64_MAX, std::string()));
  }
  if (earliest.empty()) return earliest;
  Status s = views.ForEach("invoice/", [&](std::string_view key, std::string_view value) -> Status {
    auto doc = nlohmann::json::parse(value, nullptr, false);
    if (!doc.is_object()) return Status::Tampered("view " + std::string(key) + " is not a JSON object");
    auto c = ParseCandidate(std::string(key.substr(8)), doc);
    if (!c.ok()) return c.status();
    if (c->state != "received" && c->state != "approved" && c->state != "paid") return Status::Ok();
    auto it = earliest.find(KeyOf(*c));
    if (it != earliest.end() && c->seq < it->second.first) it->second = {c->seq, c->invoice_id};
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
Result<Verdict> Check(const ViewSource& views, const Candidate& c, const ApprovalRequest& request,
                      const std::map<DuplicateKey, std::pair<uint64_t, std::string>>& earliest) {
  Verdict v;
  const std::string inv = "invoice " + c.invoice_id;
  if (!c.found) {
    v.Add("NOT_FOUND", inv + " is not in the ledger (has the invoices file been loaded?)");
    return v;
  }
  if (c.state != "received") {
    v.Add("NOT_RECEIVED", c.state == "approved" ? inv + " was already approved on " + c.approved_on
                          : c.state == "paid"   ? inv + " was already paid (payment " + c.payment_id + ")"
                                                : inv + " is " + c.state + ", not awaiting approval");
    return v;
  }
  const std::string on = request.approved_on.ToIso();
  if (c.received_on > on) v.Add("RECEIVED_LATER", inv + " was received on " + c.received_on + ", after " + on);

  auto provider = ReadRecord(views, RecordKind::kProvider, c.provider_id);
  if (!provider.ok()) return provider.status();
  const bool provider_approved =
      provider->is_object() && provider->contains("approved") && provider->at("approved") == true;
  if (!provider_approved) {
    v.Add("UNAPPROVED_PROVIDER", inv + ": provider " + c.provider_id +
                                     (provider->is_object() ? " (" + Str(*provider, "name") + ")" : "") +
                                     " is not an approved provider, so it cannot be paid");
  }

  auto budget = ReadRecord(views, RecordKind::kBudget, c.budget_id);
  if (!budget.ok()) return budget.status();
  if (!budget->is_object()) return Status::Tampered("view budget/" + c.budget_id + " is missing for " + inv);
  // PRODUCT.md: notional budgets are paid only through invoices; the others
  // through instalments to whoever holds the money, who pays providers from
  // it. Paying an invoice against one as well would pay for the care twice.
  if (const std::string management = Str(*budget, "management"); management != "notional") {
    v.Add("NOT_NOTIONAL_BUDGET", inv + ": budget " + c.budget_id + " is a " + management +
                                     " budget, paid by instalments to its holder, who pays providers from it; send "
                                     "the invoice to the holder (their spending comes back as a dp-return)");
  }
  const std::string start = Str(*budget, "start_date"), end = Str(*budget, "end_date");
  if (Str(*budget, "last_review_outcome") == "end" && Str(*budget, "last_review_on") < c.service_to) {
    v.Add("BUDGET_ENDED", inv + ": budget " + c.budget_id + " was ended by a review on " +
                              Str(*budget, "last_review_on") + ", before the service period ends (" + c.service_to +
                              ")");
  }
  if (c.service_from < start || c.service_to > end) {
    v.Add("OUTSIDE_BUDGET", inv + ": the service period " + c.service_from + " to " + c.service_to +
                                " is not inside budget " + c.budget_id + " (" + start + " to " + end + ")");
  }

  const auto it = earliest.find(KeyOf(c));
  assert(it != earliest.end());
  if (it->second.first < c.seq) {
    v.Add("DUPLICATE_INVOICE", inv + " repeats invoice " + it->second.second + ": same provider " + c.provider_id +
                                   ", budget " + c.budget_id + ", amount " + c.amount.ToPounds() + " and service period " + c.service_from +
                                   " to " + c.service_to);
  }
  return v;
}

}  // namespace

Result<ApprovalPlan> PlanApprovals(const ViewSource& views, const ApprovalRequest& request, const DraftOrigin& origin) {
  if (!request.all_valid && (request.invoice_ids.empty() || request.invoice_ids.size() > kApprovalIdsMax)) {
    return Status::InvalidInput("name 1 to " + std::to_string(kApprovalIdsMax) + " invoice ids, or --all-valid");
  }
  ApprovalPlan plan;
  std::vector<Candidate> candidates;
  RF_RETURN_IF_ERROR(CollectCandidates(views, request, &candidates, &plan.truncated));
  auto earliest = EarliestByKey(views, candidates);
  if (!earliest.ok()) return earliest.status();

  // Budget balances as this run leaves them, so earlier approvals count.
  struct BudgetLeft {
    Pence left, approved_in_run;
  };
  std::map<std::string, BudgetLeft> budget_left;
  for (const auto& c : candidates) {
    auto verdict = Check(views, c, request, *earliest);
    if (!verdict.ok()) return verdict.status();
    if (verdict->codes.empty()) {
      auto it = budget_left.find(c.budget_id);
      if (it == budget_left.end()) {
        auto text = views.Get("bal/budget:" + c.budget_id);
        if (!text.ok()) return text.status();
        auto balance = text->has_value() ? Pence::Parse(**text, "bal/budget:" + c.budget_id) : Result<Pence>(Pence());
        if (!balance.ok()) return Status::Tampered(balance.status().message());
        it = budget_left.emplace(c.budget_id, BudgetLeft{*balance, Pence()}).first;
      }
      BudgetLeft& b = it->second;
      if (b.left < c.amount) {
        verdict->Add("INSUFFICIENT_FUNDS", "invoice " + c.invoice_id + " is for " + c.amount.ToPounds() +
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
      plan.refused.push_back({c.invoice_id, std::move(verdict->codes), std::move(verdict->reasons)});
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

}  // namespace rf
