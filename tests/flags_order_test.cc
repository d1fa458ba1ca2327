// The evaluator's lookups and order (reconcile/flags.cc): per-budget and
// per-invoice facts looked up once, and a sort that trusts input already in
// id order. Property: over random inputs, the flags are the same whatever
// the order of the inputs (ids sorted, as the views give them, or shuffled,
// taking the slow path of the sort), and the reported flags
// (EvaluateReportedFlags) are EvaluateFlagFacts' flags field by field.

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "reconcile/flags.h"
#include "reconcile/month_flags.h"

namespace rf::flags_order_test {

Date OrderDay(int offset) { return Date::Parse("2026-01-01", "test")->AddDays(offset); }

// Ids of unequal length ("B-7", "B-12") so that id order is not number order.
FlagInputs OrderInputs(std::mt19937_64& rng) {
  FlagInputs in;
  in.month_end = *Date::Parse("2026-06-30", "test");
  const size_t budgets = 1 + rng() % 40, providers = 1 + rng() % 6, invoices = rng() % 80;
  for (size_t i = 0; i < providers; ++i) {
    ProviderRecord p;
    p.seq = 1 + i;
    p.provider_id = "PR-" + std::to_string(i * 7);
    p.name = rng() % 2 == 0 ? "" : "Provider " + std::to_string(i);
    p.kind = rng() % 3 == 0 ? "vcse" : "private";
    p.size = rng() % 2 == 0 ? "micro" : "large";
    p.approved = rng() % 4 != 0;
    in.providers.push_back(std::move(p));
  }
  for (size_t i = 0; i < budgets; ++i) {
    BudgetFlagFacts b;
    b.seq = 100 + i;
    b.budget_id = "B-" + std::to_string(i * 13 % 97);
    b.management = rng() % 2 == 0 ? Management::kDirectPayment : Management::kNotional;
    b.amount = Pence::FromPence(1'000'00 + static_cast<int64_t>(rng() % 5'000'000));
    b.start_date = OrderDay(static_cast<int>(rng() % 120) - 60);
    b.end_date = b.start_date.AddDays(100 + static_cast<int>(rng() % 300));
    b.approved_on = b.start_date.AddDays(-static_cast<int>(rng() % 30));
    if (rng() % 3 != 0) {
      b.first_payment_on = b.approved_on.AddDays(static_cast<int>(rng() % 40));
      b.first_payment_seq = 900 + i;
    }
    if (rng() % 5 == 0) {
      b.last_review_on = b.start_date.AddDays(static_cast<int>(rng() % 200));
      b.last_review_outcome = rng() % 2 == 0 ? ReviewOutcome::kEnd : ReviewOutcome::kContinue;
    }
    if (rng() % 2 == 0) in.dp_balances.push_back({b.budget_id, Pence::FromPence(static_cast<int64_t>(rng() % 900'000))});
    if (rng() % 2 == 0) in.dp_spent.push_back({b.budget_id, Pence::FromPence(static_cast<int64_t>(rng() % 900'000))});
    if (rng() % 3 == 0) {
      in.paid_invoice_spend.push_back({b.budget_id, Pence::FromPence(static_cast<int64_t>(rng() % 900'000))});
    }
    if (rng() % 4 == 0) {
      ReviewRecord r;
      r.seq = 700 + i;
      r.budget_id = b.budget_id;
      r.outcome = rng() % 3 == 0 ? ReviewOutcome::kEnd : ReviewOutcome::kContinue;
      r.reviewed_on = b.start_date.AddDays(static_cast<int>(rng() % 250));
      in.reviews.push_back(std::move(r));
    }
    if (b.management == Management::kDirectPayment && rng() % 2 == 0) {
      in.due_instalments.push_back({b.budget_id, OrderDay(static_cast<int>(rng() % 170)), b.amount});
    }
    in.budgets.push_back(std::move(b));
  }
  // Amounts of ids that are no budget: raise nothing, change nothing.
  in.dp_balances.push_back({"B-none", Pence::FromPence(5'000'000)});
  in.paid_invoice_spend.push_back({"B-none", Pence::FromPence(1)});
  for (size_t i = 0; i < invoices; ++i) {
    InvoiceFlagFacts inv;
    inv.seq = 1'000 + i;
    inv.invoice_id = "INV-" + std::to_string(i * 31 % 1009);
    inv.provider_id = "PR-" + std::to_string(rng() % (providers + 1) * 7);  // sometimes unknown
    inv.budget_id = in.budgets[rng() % budgets].budget_id;
    inv.amount = Pence::FromPence(100 + static_cast<int64_t>(rng() % 3) * 1'000);
    inv.received_on = OrderDay(static_cast<int>(rng() % 180));
    inv.service_from = inv.service_to = inv.received_on.AddDays(-static_cast<int>(rng() % 2));
    if (rng() % 10 == 0) inv.state = InvoiceState::kRejected;
    if (rng() % 3 != 0) {
      PaymentFlagFacts p;
      p.seq = 5'000 + i;
      p.payment_id = "PAY-" + std::to_string(i * 17 % 1013);
      p.run_id = "RUN-" + std::to_string(i % 4);
      p.purpose = PaymentPurpose::kInvoice;
      p.invoice_id = rng() % 8 == 0 ? "INV-elsewhere" : inv.invoice_id;
      p.provider_id = inv.provider_id;
      p.budget_id = inv.budget_id;
      p.amount = inv.amount;
      p.run_date = inv.received_on.AddDays(static_cast<int>(rng() % 60));
      p.state = rng() % 3 == 0 ? PaymentState::kPending : PaymentState::kSettled;
      if (p.state == PaymentState::kSettled) p.settled_on = p.run_date.AddDays(static_cast<int>(rng() % 9));
      if (rng() % 2 == 0) inv.payment_id = p.payment_id;
      in.payments.push_back(std::move(p));
    }
    in.invoices.push_back(std::move(inv));
  }
  PotRecord pot;
  pot.seq = 3;
  pot.pot_id = "POT-1";
  pot.name = "Pot";
  pot.financial_year = "2025-26";
  pot.amount = Pence::FromPence(10'000'000);
  in.pots.push_back(std::move(pot));
  in.pot_unallocated.push_back({"POT-1", Pence::FromPence(static_cast<int64_t>(rng() % 5'000'000))});
  in.spent_by_category.push_back({in.budgets[0].budget_id, "alcohol", Pence::FromPence(1)});
  return in;
}

template <typename T, typename Key>
void OrderSortBy(std::vector<T>& v, Key key) {
  std::sort(v.begin(), v.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

FlagInputs OrderSortedById(FlagInputs in) {
  OrderSortBy(in.budgets, [](const BudgetFlagFacts& b) { return b.budget_id; });
  OrderSortBy(in.invoices, [](const InvoiceFlagFacts& i) { return i.invoice_id; });
  OrderSortBy(in.payments, [](const PaymentFlagFacts& p) { return p.payment_id; });
  OrderSortBy(in.dp_balances, [](const BudgetAmount& a) { return a.budget_id; });
  OrderSortBy(in.dp_spent, [](const BudgetAmount& a) { return a.budget_id; });
  OrderSortBy(in.paid_invoice_spend, [](const BudgetAmount& a) { return a.budget_id; });
  return in;
}

FlagInputs OrderShuffled(FlagInputs in, std::mt19937_64& rng) {
  std::shuffle(in.budgets.begin(), in.budgets.end(), rng);
  std::shuffle(in.invoices.begin(), in.invoices.end(), rng);
  std::shuffle(in.payments.begin(), in.payments.end(), rng);
  std::shuffle(in.reviews.begin(), in.reviews.end(), rng);
  std::shuffle(in.providers.begin(), in.providers.end(), rng);
  std::shuffle(in.dp_balances.begin(), in.dp_balances.end(), rng);
  std::shuffle(in.dp_spent.begin(), in.dp_spent.end(), rng);
  std::shuffle(in.paid_invoice_spend.begin(), in.paid_invoice_spend.end(), rng);
  std::shuffle(in.due_instalments.begin(), in.due_instalments.end(), rng);
  return in;
}

void OrderCheckSame(const std::vector<Flag>& a, const std::vector<Flag>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CAPTURE(a[i].id, b[i].id);
    CHECK(a[i].id == b[i].id);
    CHECK(a[i].code == b[i].code);
    CHECK(a[i].severity == b[i].severity);
    CHECK(a[i].entity == b[i].entity);
    CHECK(a[i].amount_at_stake_pence == b[i].amount_at_stake_pence);
    CHECK(a[i].evidence_seqs == b[i].evidence_seqs);
    CHECK(a[i].sentence == b[i].sentence);
  }
}

TEST_CASE("flags are the same over inputs sorted by id or shuffled, and as reported", "[flags]") {
  std::mt19937_64 rng(20261206);
  size_t flags_seen = 0;
  for (int round = 0; round < 150; ++round) {
    CAPTURE(round);
    const FlagInputs raw = OrderInputs(rng);
    const FlagInputs sorted = OrderSortedById(raw);
    auto by_id = EvaluateFlags(sorted, FlagThresholds{});
    REQUIRE(by_id.ok());
    flags_seen += by_id->size();
    for (int shuffle = 0; shuffle < 3; ++shuffle) {
      auto shuffled = EvaluateFlags(OrderShuffled(raw, rng), FlagThresholds{});
      REQUIRE(shuffled.ok());
      OrderCheckSame(*by_id, *shuffled);
    }
    auto facts = EvaluateFlagFacts(sorted, FlagThresholds{});
    auto reported = EvaluateReportedFlags(sorted, FlagThresholds{});
    REQUIRE(facts.ok());
    REQUIRE(reported.ok());
    REQUIRE(facts->size() == reported->size());
    for (size_t i = 0; i < facts->size(); ++i) {
      const Flag& f = (*facts)[i];
      const MonthFlag& m = (*reported)[i];
      CHECK(FlagId(m) == f.id);
      CHECK(m.code == f.code);
      CHECK(m.severity == f.severity);
      CHECK(m.entity == f.entity);
      CHECK(m.amount_at_stake_pence == f.amount_at_stake_pence);
      CHECK(m.evidence_seqs == f.evidence_seqs);
      CHECK(!m.words);
      REQUIRE(!m.facts.none());
      CHECK(FlagSentence(m.facts) == (*by_id)[i].sentence);
      CHECK(SentenceOf(m) == (*by_id)[i].sentence);
    }
  }
  CHECK(flags_seen > 1'000);  // the inputs raise flags of many codes, not none
}

TEST_CASE("a repeated amount is refused whether or not its id is a budget", "[flags]") {
  std::mt19937_64 rng(7);
  FlagInputs in = OrderInputs(rng);
  FlagInputs of_budget = in;
  of_budget.dp_spent.push_back({in.budgets[0].budget_id, Pence::FromPence(1)});
  of_budget.dp_spent.push_back({in.budgets[0].budget_id, Pence::FromPence(2)});
  CHECK_FALSE(EvaluateFlags(of_budget, FlagThresholds{}).ok());
  FlagInputs of_none = in;
  of_none.dp_balances.push_back({"B-none", Pence::FromPence(1)});  // "B-none" is there once already
  CHECK_FALSE(EvaluateFlags(of_none, FlagThresholds{}).ok());
  CHECK(EvaluateFlags(in, FlagThresholds{}).ok());
}

}  // namespace rf::flags_order_test
