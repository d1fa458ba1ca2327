#include "ledger/apply.h"

#include <algorithm>
#include <cassert>
#include <initializer_list>
#include <string_view>

#include "ledger/apply_postings.h"
#include "ledger/config.h"
#include "ledger/entry_kinds.h"

namespace rf {
namespace {

constexpr size_t kBodyTextBytesMax = 1024;

// Typed reads of body members; errors name body.<member>.
class Body {
 public:
  explicit Body(const nlohmann::json& j) : j_(j) {}

  Status OnlyMembers(std::initializer_list<std::string_view> allowed) const {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
        return Status::InvalidInput("body." + it.key() + ": not a member of this kind of entry");
      }
    }
    return Status::Ok();
  }
  bool Has(const char* name) const { return j_.contains(name); }
  Result<std::string> Text(const char* name, bool required = true) const {
    const auto it = j_.find(name);
    if (it == j_.end()) {
      if (!required) return std::string();
      return Status::InvalidInput(std::string("body.") + name + ": required");
    }
    if (!it->is_string() || it->get_ref<const std::string&>().size() > kBodyTextBytesMax ||
        (required && it->get_ref<const std::string&>().empty())) {
      return Status::InvalidInput(std::string("body.") + name + ": expected text of 1 to " +
                                  std::to_string(kBodyTextBytesMax) + " bytes");
    }
    return it->get<std::string>();
  }
  Result<std::string> Id(const char* name) const {
    auto text = Text(name);
    if (!text.ok()) return text;
    if (!ParseAccount("external:" + *text, "").ok()) {
      return Status::InvalidInput(std::string("body.") + name + ": \"" + text->substr(0, 80) +
                                  "\" is not an id (1 to 64 letters, digits, '.', '_' or '-')");
    }
    return text;
  }
  Result<Pence> Amount(const char* name) const {
    auto text = Text(name);
    if (!text.ok()) return text.status();
    return Pence::Parse(*text, std::string("body.") + name);
  }
  Result<Date> Day(const char* name) const {
    auto text = Text(name);
    if (!text.ok()) return text.status();
    return Date::Parse(*text, std::string("body.") + name);
  }
  Result<bool> Flag(const char* name) const {
    const auto it = j_.find(name);
    if (it == j_.end()) return false;
    if (!it->is_boolean()) return Status::InvalidInput(std::string("body.") + name + ": expected true or false");
    return it->get<bool>();
  }

 private:
  const nlohmann::json& j_;
};

#define RF_ASSIGN(lhs, expr)                            \
  auto lhs##_result = (expr);                           \
  if (!lhs##_result.ok()) return lhs##_result.status(); \
  auto lhs = std::move(*lhs##_result)

struct Ctx {
  uint64_t seq;
  EntryDraft* draft;
  Views& views;
  const PriorEntries& prior;
  ApplyMode mode;
  nlohmann::json& body() { return draft->body; }
  Date effective() const { return draft->effective; }
};

nlohmann::json WithoutPostings(const nlohmann::json& body, uint64_t seq) {
  nlohmann::json record = body;
  record.erase("postings");
  record["seq"] = seq;
  return record;
}

Status RequireNew(Views& views, RecordKind kind, const std::string& id, const char* what) {
  RF_ASSIGN(existing, views.Record(kind, id));
  if (existing != nullptr) {
    return Status::Refused(std::string(what) + " " + id + " already exists (entry " +
                           std::to_string(existing->at("seq").get<uint64_t>()) + ")");
  }
  return Status::Ok();
}

Result<const nlohmann::json*> RequireRecord(Views& views, RecordKind kind, const std::string& id, const char* what) {
  RF_ASSIGN(record, views.Record(kind, id));
  if (record == nullptr) return Status::Refused(std::string(what) + " " + id + " is not known");
  return record;
}

// Fills in the postings a kind requires when the body leaves them out, then
// checks the body's postings are exactly those and applies them.
Status ExpectedPostings(Ctx& c, const std::vector<Posting>& expected, const Authority& authority = {}) {
  if (!c.body().contains("postings")) c.body()["postings"] = PostingsJson(expected);
  RF_ASSIGN(postings, ParsePostings(c.body()));
  bool same = postings.size() == expected.size();
  for (size_t i = 0; same && i < postings.size(); ++i) {
    same = postings[i].account == expected[i].account && postings[i].amount == expected[i].amount;
  }
  if (!same) {
    return Status::InvalidInput("body.postings: a " + c.draft->kind + " entry must post exactly " +
                                PostingsJson(expected).dump() + " (or leave postings out)");
  }
  return ApplyPostings(c.seq, c.effective(), postings, authority, c.views, c.mode == ApplyMode::kEnforce);
}

Status AddProviderTotal(Views& views, const std::string& provider, const char* field, const Pence& amount, bool count) {
  RF_ASSIGN(existing, views.Record(RecordKind::kProviderTotals, provider));
  nlohmann::json totals = existing != nullptr ? *existing : nlohmann::json{{"invoices", 0}};
  Pence sum;
  if (totals.contains(field)) {
    RF_ASSIGN(before, Pence::Parse(totals[field].get<std::string>(), field));
    sum = before;
  }
  totals[field] = (sum + amount).ToDecimal();
  if (count) totals["invoices"] = totals["invoices"].get<uint64_t>() + 1;
  views.PutRecord(RecordKind::kProviderTotals, provider, std::move(totals));
  return Status::Ok();
}

Status ApplyInit(Ctx& c) {
  Body b(c.body());
  RF_ASSIGN(org, b.Text("org"));
  c.views.PutText("org", OrgAccountId(org));
  return Status::Ok();
}

Status ApplyPot(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(
      b.OnlyMembers({"pot_id", "name", "programme", "financial_year", "amount", "funded_on", "postings"}));
  RF_ASSIGN(pot, b.Id("pot_id"));
  RF_RETURN_IF_ERROR(b.Text("name").status());
  RF_RETURN_IF_ERROR(b.Text("programme", false).status());
  RF_ASSIGN(year, b.Text("financial_year"));
  RF_ASSIGN(amount, b.Amount("amount"));
  RF_ASSIGN(funded_on, b.Day("funded_on"));
  if (amount.is_negative()) return Status::InvalidInput("body.amount: a pot is funded with zero or more");
  if (funded_on != c.effective()) return Status::InvalidInput("body.funded_on: must equal the entry's date");
  RF_RETURN_IF_ERROR(RequireNew(c.views, RecordKind::kPot, pot, "pot"));
  RF_ASSIGN(org, c.views.Text("org"));
  if (!org) return Status::Tampered("the ledger has no ledger.init entry");
  nlohmann::json record = WithoutPostings(c.body(), c.seq);
  record["funder"] = *org;
  c.views.PutRecord(RecordKind::kPot, pot, std::move(record));
  std::vector<Posting> expected;
  if (!amount.is_zero()) {
    expected = {{Account{AccountType::kFunding, *org, ""}, -amount}, {Account{AccountType::kPot, pot, ""}, amount}};
  }
  return ExpectedPostings(c, expected);
}

Status ApplyReference(Ctx& c, RecordKind kind, const char* id_member, std::initializer_list<std::string_view> members,
                      const char* what) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers(members));
  RF_ASSIGN(id, b.Id(id_member));
  for (const auto member : members) {
    if (member == id_member || !c.body().contains(member)) continue;
    const auto& v = c.body()[std::string(member)];
    if (!v.is_boolean() && !(v.is_string() && v.get_ref<const std::string&>().size() <= kBodyTextBytesMax)) {
      return Status::InvalidInput("body." + std::string(member) + ": expected text or true/false");
    }
  }
  RF_RETURN_IF_ERROR(RequireNew(c.views, kind, id, what));
  c.views.PutRecord(kind, id, WithoutPostings(c.body(), c.seq));
  return Status::Ok();
}

Status ApplyBudget(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"budget_id", "person_id", "pot_id", "management", "amount", "start_date",
                                    "end_date", "approved_on", "frequency", "payee_ref", "postings"}));
  RF_ASSIGN(budget, b.Id("budget_id"));
  RF_ASSIGN(person, b.Id("person_id"));
  RF_ASSIGN(pot, b.Id("pot_id"));
  RF_ASSIGN(management, b.Text("management"));
  RF_ASSIGN(amount, b.Amount("amount"));
  RF_ASSIGN(start, b.Day("start_date"));
  RF_ASSIGN(end, b.Day("end_date"));
  RF_ASSIGN(approved_on, b.Day("approved_on"));
  RF_RETURN_IF_ERROR(b.Text("frequency").status());
  RF_RETURN_IF_ERROR(b.Text("payee_ref", false).status());
  if (management != "notional" && management != "third-party" && management != "direct-payment") {
    return Status::InvalidInput("body.management: expected notional, third-party or direct-payment");
  }
  if (!(amount > Pence())) return Status::InvalidInput("body.amount: a budget is more than zero");
  if (end < start) return Status::InvalidInput("body.end_date: before start_date");
  if (approved_on != c.effective()) return Status::InvalidInput("body.approved_on: must equal the entry's date");
  RF_RETURN_IF_ERROR(RequireNew(c.views, RecordKind::kBudget, budget, "budget"));
  RF_RETURN_IF_ERROR(RequireRecord(c.views, RecordKind::kPerson, person, "person").status());
  RF_RETURN_IF_ERROR(RequireRecord(c.views, RecordKind::kPot, pot, "pot").status());
  c.views.PutRecord(RecordKind::kBudget, budget, WithoutPostings(c.body(), c.seq));
  return ExpectedPostings(
      c, {{Account{AccountType::kPot, pot, ""}, -amount}, {Account{AccountType::kBudget, budget, ""}, amount}});
}

Status ApplyInvoiceReceived(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"invoice_id", "provider_id", "budget_id", "amount", "service_from", "service_to",
                                    "received_on", "category", "description"}));
  RF_ASSIGN(invoice, b.Id("invoice_id"));
  RF_ASSIGN(provider, b.Id("provider_id"));
  RF_ASSIGN(budget, b.Id("budget_id"));
  RF_ASSIGN(amount, b.Amount("amount"));
  RF_ASSIGN(from, b.Day("service_from"));
  RF_ASSIGN(to, b.Day("service_to"));
  RF_ASSIGN(received_on, b.Day("received_on"));
  RF_RETURN_IF_ERROR(b.Text("category").status());
  RF_RETURN_IF_ERROR(b.Text("description", false).status());
  if (!(amount > Pence())) return Status::InvalidInput("body.amount: an invoice is for more than zero");
  if (to < from) return Status::InvalidInput("body.service_to: before service_from");
  if (received_on != c.effective()) return Status::InvalidInput("body.received_on: must equal the entry's date");
  RF_RETURN_IF_ERROR(RequireNew(c.views, RecordKind::kInvoice, invoice, "invoice"));
  RF_RETURN_IF_ERROR(RequireRecord(c.views, RecordKind::kProvider, provider, "provider").status());
  RF_RETURN_IF_ERROR(RequireRecord(c.views, RecordKind::kBudget, budget, "budget").status());
  nlohmann::json record = WithoutPostings(c.body(), c.seq);
  record["state"] = "received";
  c.views.PutRecord(RecordKind::kInvoice, invoice, std::move(record));
  return AddProviderTotal(c.views, provider, "received", amount, /*count=*/true);
}

Status ApplyInvoiceApproved(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"invoice_id", "postings"}));
  RF_ASSIGN(id, b.Id("invoice_id"));
  RF_ASSIGN(found, RequireRecord(c.views, RecordKind::kInvoice, id, "invoice"));
  nlohmann::json invoice = *found;
  if (invoice["state"] != "received") {
    return Status::Refused("invoice " + id + " is " + invoice["state"].get<std::string>() + ", not awaiting approval");
  }
  if (invoice["received_on"].get<std::string>() > c.effective().ToIso()) {
    return Status::Refused("invoice " + id + " cannot be approved before it was received");
  }
  const std::string budget = invoice["budget_id"], provider = invoice["provider_id"];
  RF_ASSIGN(amount, Pence::Parse(invoice["amount"].get<std::string>(), "amount"));
  invoice["state"] = "approved";
  invoice["approved_seq"] = c.seq;
  invoice["approved_on"] = c.effective().ToIso();
  c.views.PutRecord(RecordKind::kInvoice, id, std::move(invoice));
  RF_RETURN_IF_ERROR(AddProviderTotal(c.views, provider, "approved", amount, false));
  return ExpectedPostings(c, {{Account{AccountType::kBudget, budget, ""}, -amount},
                              {Account{AccountType::kPayable, budget, provider}, amount}});
}

Status ApplyPaymentPending(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers(
      {"payment_id", "run_id", "purpose", "invoice_id", "budget_id", "amount", "payee_ref", "due_on", "postings"}));
  RF_ASSIGN(id, b.Id("payment_id"));
  RF_RETURN_IF_ERROR(b.Id("run_id").status());
  RF_ASSIGN(purpose, b.Text("purpose"));
  RF_ASSIGN(amount, b.Amount("amount"));
  RF_RETURN_IF_ERROR(b.Text("payee_ref", false).status());
  if (b.Has("due_on")) RF_RETURN_IF_ERROR(b.Day("due_on").status());
  if (!(amount > Pence())) return Status::InvalidInput("body.amount: a payment is more than zero");
  RF_RETURN_IF_ERROR(RequireNew(c.views, RecordKind::kPayment, id, "payment"));
  std::vector<Posting> expected;
  std::string budget;
  nlohmann::json record = WithoutPostings(c.body(), c.seq);
  if (purpose == "invoice") {
    if (b.Has("budget_id")) return Status::InvalidInput("body.budget_id: an invoice payment names the invoice only");
    RF_ASSIGN(invoice_id, b.Id("invoice_id"));
    RF_ASSIGN(found, RequireRecord(c.views, RecordKind::kInvoice, invoice_id, "invoice"));
    nlohmann::json invoice = *found;
    if (invoice["state"] != "approved") {
      return Status::Refused("invoice " + invoice_id + " is " + invoice["state"].get<std::string>() +
                             ": only approved invoices are paid");
    }
    if (invoice["amount"] != amount.ToDecimal()) {
      return Status::InvalidInput("body.amount: invoice " + invoice_id + " is for " +
                                  invoice["amount"].get<std::string>());
    }
    budget = invoice["budget_id"];
    const std::string provider = invoice["provider_id"];
    invoice["state"] = "paid";
    invoice["payment_id"] = id;
    c.views.PutRecord(RecordKind::kInvoice, invoice_id, std::move(invoice));
    record["budget_id"] = budget;
    record["provider_id"] = provider;
    RF_RETURN_IF_ERROR(AddProviderTotal(c.views, provider, "paid", amount, false));
    expected = {{Account{AccountType::kPayable, budget, provider}, -amount},
                {Account{AccountType::kPaid, provider, ""}, amount}};
  } else if (purpose == "instalment") {
    if (b.Has("invoice_id")) return Status::InvalidInput("body.invoice_id: an instalment names the budget only");
    RF_ASSIGN(budget_id, b.Id("budget_id"));
    budget = budget_id;
    RF_ASSIGN(found, RequireRecord(c.views, RecordKind::kBudget, budget, "budget"));
    if (found->at("management") == "notional") {
      return Status::Refused("budget " + budget + " is notional: it is paid through invoices, not instalments");
    }
    expected = {{Account{AccountType::kBudget, budget, ""}, -amount}, {Account{AccountType::kDp, budget, ""}, amount}};
  } else {
    return Status::InvalidInput("body.purpose: expected invoice or instalment");
  }
  RF_ASSIGN(budget_record, RequireRecord(c.views, RecordKind::kBudget, budget, "budget"));
  if (!budget_record->contains("first_payment_seq")) {
    nlohmann::json updated = *budget_record;
    updated["first_payment_seq"] = c.seq;
    updated["first_payment_on"] = c.effective().ToIso();
    c.views.PutRecord(RecordKind::kBudget, budget, std::move(updated));
  }
  record["state"] = "pending";
  record["run_date"] = c.effective().ToIso();
  c.views.PutRecord(RecordKind::kPayment, id, std::move(record));
  return ExpectedPostings(c, expected);
}

Status ApplyPaymentSettled(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"payment_id", "bank_line_id", "booked_on"}));
  RF_ASSIGN(id, b.Id("payment_id"));
  RF_ASSIGN(line, b.Text("bank_line_id"));
  RF_ASSIGN(booked_on, b.Day("booked_on"));
  if (booked_on != c.effective()) return Status::InvalidInput("body.booked_on: must equal the entry's date");
  RF_ASSIGN(found, RequireRecord(c.views, RecordKind::kPayment, id, "payment"));
  nlohmann::json payment = *found;
  if (payment["state"] != "pending") return Status::Refused("payment " + id + " is already settled");
  if (payment["run_date"].get<std::string>() > booked_on.ToIso()) {
    return Status::Refused("payment " + id + " cannot settle before its run date");
  }
  payment["state"] = "settled";
  payment["settled_seq"] = c.seq;
  payment["settled_on"] = booked_on.ToIso();
  payment["bank_line_id"] = line;
  c.views.PutRecord(RecordKind::kPayment, id, std::move(payment));
  return Status::Ok();
}

Status ApplyReview(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"review_id", "budget_id", "reviewed_on", "outcome", "reviewed_by"}));
  RF_ASSIGN(id, b.Id("review_id"));
  RF_ASSIGN(budget, b.Id("budget_id"));
  RF_ASSIGN(reviewed_on, b.Day("reviewed_on"));
  RF_ASSIGN(outcome, b.Text("outcome"));
  RF_RETURN_IF_ERROR(b.Text("reviewed_by").status());
  if (outcome != "continue" && outcome != "change" && outcome != "end") {
    return Status::InvalidInput("body.outcome: expected continue, change or end");
  }
  if (reviewed_on != c.effective()) return Status::InvalidInput("body.reviewed_on: must equal the entry's date");
  RF_RETURN_IF_ERROR(RequireNew(c.views, RecordKind::kReview, id, "review"));
  RF_ASSIGN(found, RequireRecord(c.views, RecordKind::kBudget, budget, "budget"));
  nlohmann::json updated = *found;
  updated["last_review_on"] = reviewed_on.ToIso();
  updated["last_review_outcome"] = outcome;
  c.views.PutRecord(RecordKind::kBudget, budget, std::move(updated));
  c.views.PutRecord(RecordKind::kReview, id, WithoutPostings(c.body(), c.seq));
  return Status::Ok();
}

// Bank line ids come from banks (camt.053 references hold '/'), so they are
// checked as printable text, not as ledger ids.
Status ApplyBankLine(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"statement_id", "line_id", "account", "booked_on", "value_date", "amount",
                                    "counterparty_ref", "end_to_end_id", "batch_id", "description"}));
  RF_ASSIGN(statement, b.Text("statement_id"));
  RF_ASSIGN(line, b.Text("line_id"));
  RF_RETURN_IF_ERROR(b.Text("account").status());
  RF_ASSIGN(booked_on, b.Day("booked_on"));
  if (b.Has("value_date")) RF_RETURN_IF_ERROR(b.Day("value_date").status());
  RF_ASSIGN(amount, b.Amount("amount"));
  for (const char* member : {"counterparty_ref", "end_to_end_id", "batch_id", "description"}) {
    RF_RETURN_IF_ERROR(b.Text(member, false).status());
  }
  for (const std::string& id : {statement, line}) {
    for (const char ch : id) {
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) {
        return Status::InvalidInput("body.line_id: control characters are not allowed in bank ids");
      }
    }
  }
  if (booked_on != c.effective()) return Status::InvalidInput("body.booked_on: must equal the entry's date");
  if (amount.is_zero()) return Status::InvalidInput("body.amount: a bank line moves money");
  const std::string key = statement + "/" + line;
  RF_RETURN_IF_ERROR(RequireNew(c.views, RecordKind::kBankLine, key, "bank line"));
  nlohmann::json record = WithoutPostings(c.body(), c.seq);
  record["state"] = "unmatched";
  c.views.PutRecord(RecordKind::kBankLine, key, std::move(record));
  return Status::Ok();
}

Status ApplyPosting(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"postings", "memo", "reason", "allow_negative", "external_id"}));
  RF_ASSIGN(postings, ParsePostings(c.body()));
  RF_RETURN_IF_ERROR(b.Text("memo", false).status());
  RF_ASSIGN(reason, b.Text("reason", false));
  RF_ASSIGN(allow_negative, b.Flag("allow_negative"));
  RF_ASSIGN(external_id, b.Text("external_id", false));
  if (!external_id.empty()) {
    RF_ASSIGN(seen, c.views.Text("xid/" + external_id));
    if (seen) return Status::Refused("external id " + external_id + " was already loaded (entry " + *seen + ")");
    c.views.PutText("xid/" + external_id, std::to_string(c.seq));
  }
  if (postings.size() < 2) return Status::InvalidInput("body.postings: at least two postings");
  return ApplyPostings(c.seq, c.effective(), postings, Authority{reason, c.draft->actor, allow_negative}, c.views,
                       c.mode == ApplyMode::kEnforce);
}

Status ApplyReversal(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"reverses", "reason", "allow_negative", "postings"}));
  const auto& reverses = c.body().find("reverses");
  if (reverses == c.body().end() || !reverses->is_number_unsigned() || reverses->get<uint64_t>() >= c.seq) {
    return Status::InvalidInput("body.reverses: the sequence number of an earlier posting entry");
  }
  const uint64_t original_seq = reverses->get<uint64_t>();
  RF_ASSIGN(reason, b.Text("reason"));
  RF_ASSIGN(allow_negative, b.Flag("allow_negative"));
  RF_ASSIGN(original, c.prior.At(original_seq));
  if (original.kind != kind::kPosting && original.kind != kind::kReversal) {
    return Status::Refused("entry " + std::to_string(original_seq) + " is a " + original.kind +
                           ": only posting and reversal entries are reversed (correct the others with a posting)");
  }
  if (original.effective > c.effective()) {
    return Status::Refused("a reversal is dated on or after the entry it reverses (" + original.effective.ToIso() +
                           ")");
  }
  const std::string reversed_key = "reversed/" + SeqKey(original_seq);
  RF_ASSIGN(already, c.views.Text(reversed_key));
  if (already) {
    return Status::Refused("entry " + std::to_string(original_seq) + " was already reversed by entry " + *already);
  }
  c.views.PutText(reversed_key, std::to_string(c.seq));
  RF_ASSIGN(postings, ParsePostings(original.body));
  std::vector<Posting> expected;
  for (const auto& p : postings) expected.push_back({p.account, -p.amount});
  return ExpectedPostings(c, expected, Authority{reason, c.draft->actor, allow_negative});
}

Status ApplyConfig(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"key", "value"}));
  RF_ASSIGN(key, b.Text("key"));
  RF_ASSIGN(value, b.Text("value"));
  RF_RETURN_IF_ERROR(ValidateConfig(key, value).WithContext("body.value: "));
  c.views.PutText("config/" + key, value);
  return Status::Ok();
}

Status ApplySignOff(Ctx& c) {
  Body b(c.body());
  RF_ASSIGN(month_text, b.Text("month"));
  RF_ASSIGN(month, ParseMonth(month_text, "body.month"));
  RF_ASSIGN(by, b.Text("by"));
  c.views.PutRecord(RecordKind::kSignOff, month.ToString(), {{"seq", c.seq}, {"by", by}});
  return Status::Ok();
}

Status ApplyMonthClose(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"month", "by"}));
  RF_ASSIGN(month_text, b.Text("month"));
  RF_ASSIGN(month, ParseMonth(month_text, "body.month"));
  RF_RETURN_IF_ERROR(b.Text("by").status());
  if (!(month.last_day() < c.effective())) {
    return Status::Refused("month " + month.ToString() + " has not ended on " + c.effective().ToIso() +
                           ": a month is closed after its last day");
  }
  RF_ASSIGN(closed, c.views.Text("closed"));
  if (closed && month.ToString() <= *closed) {
    return Status::Refused("month " + month.ToString() + " is already closed (months up to " + *closed +
                           " are locked)");
  }
  c.views.PutText("closed", month.ToString());
  return Status::Ok();
}

// Rule of the envelope: nothing is dated in a closed month.
Status CheckOpenMonth(Ctx& c) {
  RF_ASSIGN(closed, c.views.Text("closed"));
  if (!closed) return Status::Ok();
  RF_ASSIGN(month, ParseMonth(*closed, "closed"));
  if (c.effective() <= month.last_day()) {
    return Status::Refused("effective date " + c.effective().ToIso() + " is in a closed month (months up to " +
                           *closed + " are closed)");
  }
  return Status::Ok();
}

}  // namespace

Status ApplyEntry(uint64_t seq, EntryDraft* draft, Views& views, const PriorEntries& prior, ApplyMode mode) {
  assert(draft != nullptr && seq >= 1);
  assert(draft->body.is_object());
  Ctx c{seq, draft, views, prior, mode};
  const std::string& k = draft->kind;
  if (k == kind::kInit) {
    if (seq != 1) return Status::InvalidInput("kind: ledger.init is only the first entry");
    return ApplyInit(c);
  }
  if (seq == 1) return Status::Tampered("entry 1 is not ledger.init");
  RF_RETURN_IF_ERROR(CheckOpenMonth(c));
  if (k == kind::kPosting) return ApplyPosting(c);
  if (k == kind::kPot) return ApplyPot(c);
  if (k == kind::kPerson) {
    return ApplyReference(c, RecordKind::kPerson, "person_id",
                          {"person_id", "ethnic_category", "age_band", "sex", "locality", "s117_eligible"}, "person");
  }
  if (k == kind::kProvider) {
    return ApplyReference(c, RecordKind::kProvider, "provider_id",
                          {"provider_id", "name", "kind", "size", "community_led", "approved", "payee_ref"},
                          "provider");
  }
  if (k == kind::kBudget) return ApplyBudget(c);
  if (k == kind::kInvoiceReceived) return ApplyInvoiceReceived(c);
  if (k == kind::kInvoiceApproved) return ApplyInvoiceApproved(c);
  if (k == kind::kPaymentPending) return ApplyPaymentPending(c);
  if (k == kind::kPaymentSettled) return ApplyPaymentSettled(c);
  if (k == kind::kReversal) return ApplyReversal(c);
  if (k == kind::kReview) return ApplyReview(c);
  if (k == kind::kBankLine) return ApplyBankLine(c);
  if (k == kind::kConfigSet) return ApplyConfig(c);
  if (k == kind::kSignOff) return ApplySignOff(c);
  if (k == kind::kMonthClose) return ApplyMonthClose(c);
  if (k == kind::kNote) return Status::Ok();
  return Status::InvalidInput("kind: \"" + k + "\" is not a kind of entry (see ledger/entry_kinds.h)");
}

}  // namespace rf
