// Reference data and records: ledger.init, pots, people, providers, budgets,
// reviews, bank lines.
#include "ledger/core/apply_kit.h"
#include "ledger/core/records.h"

namespace rf::apply_internal {

Status ApplyInit(Ctx& c) {
  Body b(c.body());
  RF_ASSIGN(org, b.Text("org"));
  c.views.PutText(std::string(kOrgKey), OrgAccountId(org));
  c.views.PutText(std::string(kViewFormKey), std::string(kViewForm));
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
  RF_ASSIGN(org, c.views.Text(std::string(kOrgKey)));
  if (!org) return Status::Tampered("the ledger has no ledger.init entry");
  nlohmann::json record = WithoutPostings(c.body(), c.seq);
  MarkPotFunder(record, *org);
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
    const std::string_view raw = b.Raw(member);
    if (member == id_member || raw.empty() || raw == "true" || raw == "false") continue;
    if (!b.CheckText(member, false).ok()) {
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
  RF_ASSIGN(budget_record, DecodeBudget(RecordKey(RecordKind::kBudget, budget), *found));
  RF_RETURN_IF_ERROR(CheckReviewAfterApproval(budget, budget_record.approved_on, reviewed_on));
  nlohmann::json updated = *found;
  MarkBudgetReviewed(updated, reviewed_on, *ParseReviewOutcome(outcome));
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
  const std::string key = BankLineId(statement, line);
  RF_RETURN_IF_ERROR(RequireNew(c.views, RecordKind::kBankLine, key, "bank line"));
  nlohmann::json record = WithoutPostings(c.body(), c.seq);
  MarkBankLineLoaded(record);
  c.views.PutRecord(RecordKind::kBankLine, key, std::move(record));
  IndexBankLine(c.views, booked_on, key);
  return Status::Ok();
}

}  // namespace rf::apply_internal
