// Month-end flags (reconcile/flags.h): each flag planted one day or one
// penny either side of its threshold (raised on one side only), the
// thresholds read from settings, the order of the result, its independence
// from the order of the inputs, and ids that stay the same across months.

#include "reconcile/flags.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "tests/flag_inputs.h"

namespace rf::flags_test {

using test::FlagBudget;
using test::FlagDay;
using test::FlagInvoice;
using test::FlagPayment;
using test::FlagPence;

ProviderRecord Provider(std::string id, std::string kind, std::string size, bool approved = true) {
  std::string name = "Provider " + id;
  return test::FlagProvider(std::move(id), std::move(name), std::move(kind), std::move(size), approved);
}

PaymentFlagFacts PaymentOf(const InvoiceFlagFacts& invoice, const char* run_date) {
  PaymentFlagFacts p = FlagPayment("PAY-" + invoice.invoice_id, run_date, *invoice.amount.ToInt64(), invoice.budget_id);
  p.purpose = PaymentPurpose::kInvoice;
  p.invoice_id = invoice.invoice_id;
  p.provider_id = invoice.provider_id;
  return p;
}

std::vector<Flag> Evaluate(const FlagInputs& in, const FlagThresholds& t = {}) {
  auto flags = EvaluateFlags(in, t);
  REQUIRE(flags.ok());
  return std::move(*flags);
}

const Flag* Find(const std::vector<Flag>& flags, const std::string& id) {
  for (const Flag& f : flags) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

size_t CountOf(const std::vector<Flag>& flags, FlagCode code) {
  return static_cast<size_t>(std::count_if(flags.begin(), flags.end(), [&](const Flag& f) { return f.code == code; }));
}

std::string Text(const std::vector<Flag>& flags) {
  std::string s;
  for (const Flag& f : flags) {
    s += f.id + "|" + std::string(ToString(f.severity)) + "|" + f.amount_at_stake_pence.ToDecimal() + "|";
    for (uint64_t seq : f.evidence_seqs) s += std::to_string(seq) + ",";
    s += "|" + f.sentence + "\n";
  }
  return s;
}

TEST_CASE("DELAY_INVOICE: more than 30 days from receipt, more than 10 for a micro or small VCSE", "[flags]") {
  struct Row {
    const char* received;
    const char* paid_on;  // nullptr: unpaid at month end
    const char* kind;
    const char* size;
    bool flagged;
  };
  const std::vector<Row> rows = {
      {"2026-03-01", nullptr, "private", "large", false},       // 30 days unpaid
      {"2026-02-28", nullptr, "private", "large", true},        // 31 days unpaid
      {"2026-03-21", nullptr, "vcse", "micro", false},          // 10 days, micro VCSE
      {"2026-03-20", nullptr, "vcse", "micro", true},           // 11 days
      {"2026-03-20", nullptr, "vcse", "small", true},           // small VCSE too
      {"2026-03-20", nullptr, "vcse", "medium", false},         // a medium VCSE has 30 days
      {"2026-03-20", nullptr, "private", "micro", false},       // a micro private provider has 30 days
      {"2026-02-01", "2026-03-03", "private", "large", false},  // paid after 30 days
      {"2026-02-01", "2026-03-04", "private", "large", true},   // paid after 31 days, in the month
      {"2026-02-21", "2026-03-03", "vcse", "small", false},     // 10 days
      {"2026-02-20", "2026-03-03", "vcse", "small", true},      // 11 days
      {"2025-12-01", "2026-02-27", "private", "large", false},  // paid late before the month: flagged then
      {"2026-02-01", "2026-04-02", "private", "large", true},   // paid after month end: unpaid at it (58 days)
      {"2026-04-01", nullptr, "private", "large", false},       // received after month end
  };
  for (const Row& row : rows) {
    INFO(std::string(row.received) + " paid " + (row.paid_on ? row.paid_on : "never") + " " + row.kind + " " +
         row.size);
    FlagInputs in;
    in.month_end = FlagDay("2026-03-31");
    in.providers = {Provider("PR-1", row.kind, row.size)};
    in.invoices = {FlagInvoice("INV-7", "PR-1", row.received)};
    if (row.paid_on) {
      in.payments = {PaymentOf(in.invoices[0], row.paid_on)};
      in.invoices[0].payment_id = in.payments[0].payment_id;
      in.invoices[0].state = InvoiceState::kPaid;
    }
    const auto flags = Evaluate(in);
    const Flag* f = Find(flags, "DELAY_INVOICE/invoice:INV-7");
    CHECK((f != nullptr) == row.flagged);
    if (f != nullptr) {
      CHECK(f->severity == FlagSeverity::kWarning);
      CHECK(f->entity == "invoice:INV-7");
      CHECK(f->amount_at_stake_pence == FlagPence(12'000));
      CHECK(f->evidence_seqs.front() == 30);
      CHECK(f->sentence.find("INV-7") != std::string::npos);
      CHECK(f->sentence.find("£120.00") != std::string::npos);
    }
  }
}

TEST_CASE("DELAY_FIRST_PAYMENT: more than 14 days from approval to the first payment run", "[flags]") {
  struct Row {
    const char* approved;
    const char* first_paid;
    bool flagged;
  };
  const std::vector<Row> rows = {
      {"2026-03-17", nullptr, false},       // 14 days unpaid at month end
      {"2026-03-16", nullptr, true},        // 15 days
      {"2026-03-01", "2026-03-15", false},  // paid after 14 days
      {"2026-03-01", "2026-03-16", true},   // paid after 15 days, in the month
      {"2026-01-01", "2026-02-20", false},  // paid late before the month
      {"2026-03-01", "2026-04-03", true},   // paid after month end: unpaid at it
      {"2026-04-01", nullptr, false},       // approved after month end
  };
  for (const Row& row : rows) {
    INFO(std::string(row.approved) + " first paid " + (row.first_paid ? row.first_paid : "never"));
    FlagInputs in;
    in.month_end = FlagDay("2026-03-31");
    in.budgets = {FlagBudget("B-1", Management::kDirectPayment, 1'200'000, "2026-03-01", "2027-02-28", row.approved)};
    if (row.first_paid) {
      in.budgets[0].first_payment_on = FlagDay(row.first_paid);
      in.budgets[0].first_payment_seq = 77;
    }
    const auto flags = Evaluate(in);
    const Flag* f = Find(flags, "DELAY_FIRST_PAYMENT/budget:B-1");
    CHECK((f != nullptr) == row.flagged);
    if (f != nullptr) {
      CHECK(f->amount_at_stake_pence == FlagPence(1'200'000));
      CHECK(f->sentence.find("B-1") != std::string::npos);
    }
  }
}

// 365 days from 2026-01-01 at £100.00 a day; to 2026-03-31 is 90 days active,
// pro-rata £9,000.00, half of it £4,500.00.
TEST_CASE("UNDERSPEND_BUDGET: active 90+ days and spent under 50% of pro-rata", "[flags]") {
  struct Row {
    const char* start;
    int64_t invoice_paid_pence;
    int64_t dp_spent_pence;
    bool flagged;
  };
  const std::vector<Row> rows = {
      {"2026-01-01", 449'999, 0, true},       // a penny under half
      {"2026-01-01", 450'000, 0, false},      // exactly half
      {"2026-01-01", 400'000, 49'999, true},  // invoices and DP spend together
      {"2026-01-01", 400'000, 50'000, false},
      {"2026-01-02", 0, 0, false},  // 89 days active
      {"2026-01-01", 0, 0, true},   // 90 days active
  };
  for (const Row& row : rows) {
    CAPTURE(row.start, row.invoice_paid_pence, row.dp_spent_pence);
    FlagInputs in;
    in.month_end = FlagDay("2026-03-31");
    in.budgets = {FlagBudget("B-1", Management::kNotional, 3'650'000, row.start, "2026-12-31", "2025-12-15")};
    in.providers = {Provider("PR-1", "private", "large")};
    if (row.invoice_paid_pence > 0) {
      in.invoices = {FlagInvoice("INV-1", "PR-1", "2026-02-01", row.invoice_paid_pence)};
      in.payments = {PaymentOf(in.invoices[0], "2026-02-10")};
      // An invoice paid after month end is not spend at it.
      in.invoices.push_back(FlagInvoice("INV-2", "PR-1", "2026-03-30", 900'000));
      in.payments.push_back(PaymentOf(in.invoices[1], "2026-04-01"));
    }
    if (row.dp_spent_pence > 0) in.dp_spent = {{"B-1", FlagPence(row.dp_spent_pence)}};
    const auto flags = Evaluate(in);
    const Flag* f = Find(flags, "UNDERSPEND_BUDGET/budget:B-1");
    CHECK((f != nullptr) == row.flagged);
    if (f != nullptr && row.start == std::string("2026-01-01")) {
      CHECK(f->severity == FlagSeverity::kInfo);
      CHECK(f->amount_at_stake_pence == FlagPence(900'000 - row.invoice_paid_pence - row.dp_spent_pence));
    }
  }
}

// £36,500.00 over 365 days: £700.00 a week, 8 weeks £5,600.00.
TEST_CASE("DP_SURPLUS: a direct-payment account holding more than 8 weeks of funding", "[flags]") {
  struct Row {
    Management management;
    int64_t balance_pence;
    int64_t contingency_pence;
    bool flagged;
  };
  const std::vector<Row> rows = {
      {Management::kDirectPayment, 560'001, 0, true},      {Management::kDirectPayment, 560'000, 0, false},
      {Management::kDirectPayment, 570'001, 10'000, true}, {Management::kDirectPayment, 570'000, 10'000, false},
      {Management::kThirdParty, 9'000'000, 0, false},
  };
  for (const Row& row : rows) {
    CAPTURE(row.balance_pence, row.contingency_pence);
    FlagInputs in;
    in.month_end = FlagDay("2026-06-30");
    in.budgets = {FlagBudget("B-1", row.management, 3'650'000, "2026-01-01", "2026-12-31", "2025-12-15")};
    in.budgets[0].first_payment_on = FlagDay("2026-01-02");
    in.dp_balances = {{"B-1", FlagPence(row.balance_pence)}};
    FlagThresholds t;
    t.dp_surplus_contingency_pence = FlagPence(row.contingency_pence);
    const auto flags = Evaluate(in, t);
    const Flag* f = Find(flags, "DP_SURPLUS/budget:B-1");
    CHECK((f != nullptr) == row.flagged);
    if (f != nullptr) {
      CHECK(f->amount_at_stake_pence == FlagPence(1));  // the reclaimable amount
      CHECK(f->sentence.find("£0.01 can be reclaimed") != std::string::npos);
      CHECK(f->sentence.find("£700.00 a week") != std::string::npos);
    }
  }
}

TEST_CASE("REVIEW_OVERDUE: within 3 months of the first payment, then every 12 months", "[flags]") {
  struct Row {
    const char* first_paid;
    const char* reviewed;  // nullptr: never
    bool as_record;        // a ReviewRecord, else the budget's last_review_on
    bool flagged;
  };
  const std::vector<Row> rows = {
      {"2026-01-30", nullptr, false, false},      // due 2026-04-30
      {"2026-01-29", nullptr, false, true},       // due 2026-04-29
      {"2024-01-01", "2025-04-30", true, false},  // next due 2026-04-30
      {"2024-01-01", "2025-04-29", true, true},   // next due 2026-04-29
      {"2024-01-01", "2025-04-29", false, true},  // the same from last_review_on
      {"2024-01-01", "2025-04-30", false, false},
      {"2026-01-29", "2026-01-20", true, true},  // a review before the first payment does not count
      {"2026-01-29", "2026-05-02", true, true},  // a review after month end has not happened yet
  };
  for (const Row& row : rows) {
    INFO(std::string(row.first_paid) + " reviewed " + (row.reviewed ? row.reviewed : "never") +
         (row.as_record ? " (record)" : ""));
    FlagInputs in;
    in.month_end = FlagDay("2026-04-30");
    in.budgets = {FlagBudget("B-1", Management::kDirectPayment, 1'000'000, "2023-12-01", "2027-12-31", "2023-11-01")};
    in.budgets[0].first_payment_on = FlagDay(row.first_paid);
    if (row.reviewed && row.as_record) {
      ReviewRecord r;
      r.seq = 50;
      r.review_id = "R-1";
      r.budget_id = "B-1";
      r.reviewed_on = FlagDay(row.reviewed);
      in.reviews = {r};
    } else if (row.reviewed) {
      in.budgets[0].last_review_on = FlagDay(row.reviewed);
      in.budgets[0].last_review_outcome = ReviewOutcome::kContinue;
    }
    const auto flags = Evaluate(in);
    CHECK((Find(flags, "REVIEW_OVERDUE/budget:B-1") != nullptr) == row.flagged);
  }
  SECTION("a notional budget, or one ended by review, is not flagged") {
    FlagInputs in;
    in.month_end = FlagDay("2026-04-30");
    in.budgets = {FlagBudget("B-1", Management::kNotional, 1'000'000, "2023-12-01", "2027-12-31", "2023-11-01"),
                  FlagBudget("B-2", Management::kDirectPayment, 1'000'000, "2023-12-01", "2027-12-31", "2023-11-01")};
    in.budgets[0].first_payment_on = in.budgets[1].first_payment_on = FlagDay("2024-01-01");
    ReviewRecord end;
    end.review_id = "R-9";
    end.budget_id = "B-2";
    end.reviewed_on = FlagDay("2024-02-01");
    end.outcome = ReviewOutcome::kEnd;
    in.reviews = {end};
    CHECK(CountOf(Evaluate(in), FlagCode::kReviewOverdue) == 0);
  }
}

// 2026-03-31 is a Tuesday: 5 business days after Tuesday 24 March.
TEST_CASE("UNSETTLED_PAYMENT: not on a statement after 5 business days", "[flags]") {
  struct Row {
    const char* run_date;
    const char* settled_on;
    bool flagged;
  };
  const std::vector<Row> rows = {
      {"2026-03-24", nullptr, false},       // deadline 2026-03-31
      {"2026-03-23", nullptr, true},        // deadline 2026-03-30
      {"2026-03-23", "2026-03-30", false},  // settled in time
      {"2026-03-23", "2026-04-01", true},   // settled after month end: unsettled at it
      {"2026-04-01", nullptr, false},       // issued after month end
  };
  for (const Row& row : rows) {
    INFO(std::string(row.run_date) + " settled " + (row.settled_on ? row.settled_on : "never"));
    FlagInputs in;
    in.month_end = FlagDay("2026-03-31");
    in.payments = {FlagPayment("PAY-1", row.run_date, 50'000)};
    if (row.settled_on) {
      in.payments[0].state = PaymentState::kSettled;
      in.payments[0].settled_on = FlagDay(row.settled_on);
    }
    const auto flags = Evaluate(in);
    const Flag* f = Find(flags, "UNSETTLED_PAYMENT/payment:PAY-1");
    CHECK((f != nullptr) == row.flagged);
    if (f != nullptr) CHECK(f->amount_at_stake_pence == FlagPence(50'000));
  }
}

TEST_CASE("UNAPPROVED_PROVIDER: an invoice or a payment to a provider not approved", "[flags]") {
  FlagInputs in;
  in.month_end = FlagDay("2026-03-31");
  in.providers = {Provider("OK", "vcse", "small", true), Provider("NO", "vcse", "small", false)};
  in.invoices = {FlagInvoice("I-OK", "OK", "2026-03-10"), FlagInvoice("I-NO", "NO", "2026-03-10"),
                 FlagInvoice("I-UNKNOWN", "GHOST", "2026-03-10"), FlagInvoice("I-PAID-BEFORE", "NO", "2026-01-10")};
  in.payments = {PaymentOf(in.invoices[1], "2026-03-12"), PaymentOf(in.invoices[0], "2026-03-12"),
                 PaymentOf(in.invoices[3], "2026-01-12")};
  const auto flags = Evaluate(in);
  CHECK(Find(flags, "UNAPPROVED_PROVIDER/invoice:I-OK") == nullptr);
  REQUIRE(Find(flags, "UNAPPROVED_PROVIDER/invoice:I-NO") != nullptr);
  CHECK(Find(flags, "UNAPPROVED_PROVIDER/invoice:I-NO")->severity == FlagSeverity::kCritical);
  CHECK(Find(flags, "UNAPPROVED_PROVIDER/invoice:I-UNKNOWN") != nullptr);
  CHECK(Find(flags, "UNAPPROVED_PROVIDER/payment:PAY-I-NO") != nullptr);
  CHECK(Find(flags, "UNAPPROVED_PROVIDER/payment:PAY-I-OK") == nullptr);
  // Received and paid in earlier months: flagged then.
  CHECK(Find(flags, "UNAPPROVED_PROVIDER/invoice:I-PAID-BEFORE") == nullptr);
  CHECK(Find(flags, "UNAPPROVED_PROVIDER/payment:PAY-I-PAID-BEFORE") == nullptr);
}

// 2026-27 has 365 days; to 30 September is 183 (over half), to 31 August 153.
TEST_CASE("POT_UNALLOCATED: over 20% unallocated after half the financial year", "[flags]") {
  struct Row {
    const char* month_end;
    int64_t unallocated_pence;
    bool flagged;
  };
  const std::vector<Row> rows = {
      {"2026-09-30", 2'000'001, true},                                    // a penny over 20%
      {"2026-09-30", 2'000'000, false},                                   // exactly 20%
      {"2026-08-31", 9'000'000, false},                                   // under half the year gone
      {"2027-03-31", 2'000'001, true},  {"2027-06-30", 2'000'001, true},  // after the year: still unallocated
      {"2026-03-31", 9'000'000, false},                                   // before the year
  };
  for (const Row& row : rows) {
    CAPTURE(row.month_end, row.unallocated_pence);
    FlagInputs in;
    in.month_end = FlagDay(row.month_end);
    PotRecord pot;
    pot.seq = 5;
    pot.pot_id = "POT-1";
    pot.name = "SMI PHB";
    pot.financial_year = "2026-27";
    pot.amount = FlagPence(10'000'000);
    pot.funded_on = FlagDay("2026-04-01");
    in.pots = {pot};
    in.pot_unallocated = {{"POT-1", FlagPence(row.unallocated_pence)}};
    const auto flags = Evaluate(in);
    const Flag* f = Find(flags, "POT_UNALLOCATED/pot:POT-1");
    CHECK((f != nullptr) == row.flagged);
    if (f != nullptr) CHECK(f->amount_at_stake_pence == FlagPence(row.unallocated_pence));
  }
  SECTION("the share of the year is a setting") {
    FlagInputs in;
    in.month_end = FlagDay("2026-09-30");
    PotRecord pot;
    pot.pot_id = "POT-1";
    pot.financial_year = "2026-27";
    pot.amount = FlagPence(10'000'000);
    in.pots = {pot};
    in.pot_unallocated = {{"POT-1", FlagPence(9'000'000)}};
    FlagThresholds t;
    t.pot_unallocated_year_pct = 51;  // 183 * 100 <= 365 * 51
    CHECK(CountOf(Evaluate(in, t), FlagCode::kPotUnallocated) == 0);
  }
}

TEST_CASE("DELAY_DP_MISSED: an instalment paid more than 3 days after its due date", "[flags]") {
  struct Row {
    const char* due;
    const char* run_date;  // nullptr: no payment for it
    bool scheduled;        // listed in due_instalments
    bool flagged;
  };
  const std::vector<Row> rows = {
      {"2026-03-10", "2026-03-13", false, false},  // paid 3 days late
      {"2026-03-10", "2026-03-14", false, true},   // paid 4 days late, in the month
      {"2026-03-10", "2026-03-14", true, true},    // the same, also scheduled: one flag
      {"2026-02-10", "2026-02-20", true, false},   // paid late in an earlier month: flagged then
      {"2026-03-28", nullptr, true, false},        // unpaid, 3 days after its due date at month end
      {"2026-03-27", nullptr, true, true},         // unpaid, 4 days
      {"2026-03-27", "2026-03-27", true, false},   // paid on time
      {"2026-03-27", "2026-04-02", true, true},    // paid after month end: unpaid at it
      {"2026-03-27", nullptr, false, false},       // no schedule given: not known
  };
  for (const Row& row : rows) {
    INFO(std::string(row.due) + " paid " + (row.run_date ? row.run_date : "never") +
         (row.scheduled ? " (scheduled)" : ""));
    FlagInputs in;
    in.month_end = FlagDay("2026-03-31");
    in.budgets = {FlagBudget("B-1", Management::kDirectPayment, 1'200'000, "2026-01-01", "2026-12-31", "2025-12-01")};
    if (row.run_date) {
      in.payments = {FlagPayment("PAY-1", row.run_date, 50'000)};
      in.payments[0].due_on = FlagDay(row.due);
      in.payments[0].state = PaymentState::kSettled;
      in.payments[0].settled_on = FlagDay(row.run_date);
    }
    if (row.scheduled) in.due_instalments = {{"B-1", FlagDay(row.due), FlagPence(50'000)}};
    const auto flags = Evaluate(in);
    CHECK(CountOf(flags, FlagCode::kDelayDpMissed) == (row.flagged ? 1U : 0U));
    const Flag* f = Find(flags, "DELAY_DP_MISSED/instalment:B-1/" + std::string(row.due));
    CHECK((f != nullptr) == row.flagged);
    if (f != nullptr) CHECK(f->amount_at_stake_pence == FlagPence(50'000));
  }
  SECTION("missed one month and paid late the next is the same flag") {
    FlagInputs march;
    march.month_end = FlagDay("2026-03-31");
    march.due_instalments = {{"B-1", FlagDay("2026-03-20"), FlagPence(50'000)}};
    FlagInputs april = march;
    april.month_end = FlagDay("2026-04-30");
    april.payments = {FlagPayment("PAY-1", "2026-04-03", 50'000)};
    april.payments[0].due_on = FlagDay("2026-03-20");
    const char* id = "DELAY_DP_MISSED/instalment:B-1/2026-03-20";
    CHECK(Find(Evaluate(march), id) != nullptr);
    CHECK(Find(Evaluate(april), id) != nullptr);
  }
  SECTION("an instalment paid late, returned and paid again in the month is one flag, named by the repayment") {
    FlagInputs in;
    in.month_end = FlagDay("2026-03-31");
    in.budgets = {FlagBudget("B-1", Management::kDirectPayment, 1'200'000, "2026-01-01", "2026-12-31", "2025-12-01")};
    in.payments = {FlagPayment("PAY-1", "2026-03-14", 50'000), FlagPayment("PAY-2", "2026-03-20", 50'000)};
    in.payments[0].seq = 41;
    in.payments[0].state = PaymentState::kReturned;
    in.payments[1].seq = 45;
    for (PaymentFlagFacts& p : in.payments) p.due_on = FlagDay("2026-03-10");
    const auto flags = Evaluate(in);
    CHECK(CountOf(flags, FlagCode::kDelayDpMissed) == 1);
    const Flag* f = Find(flags, "DELAY_DP_MISSED/instalment:B-1/2026-03-10");
    REQUIRE(f != nullptr);
    CHECK(f->evidence_seqs == std::vector<uint64_t>{41, 45});
    CHECK_THAT(f->sentence, Catch::Contains("PAY-2"));
    CHECK_THAT(f->sentence, !Catch::Contains("PAY-1"));
    // Both paid (neither returned): the earlier names it, both evidence it.
    in.payments[0].state = PaymentState::kSettled;
    const auto both = Evaluate(in);
    CHECK(CountOf(both, FlagCode::kDelayDpMissed) == 1);
    CHECK_THAT(Find(both, "DELAY_DP_MISSED/instalment:B-1/2026-03-10")->sentence, Catch::Contains("PAY-1"));
  }
  SECTION("an instalment of a budget ended by review before it fell due is not missed") {
    FlagInputs in;
    in.month_end = FlagDay("2026-03-31");
    in.budgets = {FlagBudget("B-1", Management::kDirectPayment, 1'200'000, "2026-01-01", "2026-12-31", "2025-12-01")};
    in.budgets[0].last_review_on = FlagDay("2026-02-15");
    in.budgets[0].last_review_outcome = ReviewOutcome::kEnd;
    in.due_instalments = {{"B-1", FlagDay("2026-03-01"), FlagPence(50'000)}};
    CHECK(CountOf(Evaluate(in), FlagCode::kDelayDpMissed) == 0);
  }
}

FlagInputs Mixed(const char* month_end) {
  FlagInputs in;
  in.month_end = FlagDay(month_end);
  in.providers = {Provider("PR-1", "vcse", "micro"), Provider("PR-2", "private", "large", false)};
  in.budgets = {FlagBudget("B-1", Management::kDirectPayment, 3'650'000, "2026-01-01", "2026-12-31", "2025-12-01"),
                FlagBudget("B-2", Management::kNotional, 2'000'000, "2026-01-01", "2026-12-31", "2026-01-01"),
                FlagBudget("B-3", Management::kDirectPayment, 500'000, "2026-02-01", "2027-01-31", "2026-01-10")};
  in.budgets[0].first_payment_on = FlagDay("2026-01-02");
  in.invoices = {FlagInvoice("INV-1", "PR-1", "2026-02-01", 5'000, "B-2"),
                 FlagInvoice("INV-2", "PR-2", "2026-03-02", 7'000, "B-2"),
                 FlagInvoice("INV-3", "PR-1", "2026-03-25", 9'000, "B-2")};
  in.payments = {FlagPayment("PAY-1", "2026-03-02", 10'000, "B-1"), FlagPayment("PAY-2", "2026-03-03", 10'000, "B-1")};
  in.dp_balances = {{"B-1", FlagPence(900'000)}};
  in.dp_spent = {{"B-1", FlagPence(1'000)}};
  in.spent_by_category = {{.budget_id = "B-1", .category = "alcohol", .amount_pence = FlagPence(600)},
                          {.budget_id = "B-1", .category = "equipment", .amount_pence = FlagPence(400)}};
  PotRecord pot;
  pot.pot_id = "POT-1";
  pot.financial_year = "2025-26";
  pot.amount = FlagPence(10'000'000);
  in.pots = {pot};
  in.pot_unallocated = {{"POT-1", FlagPence(5'000'000)}};
  in.due_instalments = {{"B-1", FlagDay("2026-03-01"), FlagPence(30'000)},
                        {"B-3", FlagDay("2026-02-01"), FlagPence(40'000)},
                        {"B-3", FlagDay("2026-03-01"), FlagPence(40'000)}};
  return in;
}

template <typename T>
void Shuffle(std::vector<T>& v, std::mt19937& rng) {
  std::shuffle(v.begin(), v.end(), rng);
}

TEST_CASE("PROHIBITED_SPEND: a spent balance in a prohibited category, one flag per budget and category", "[flags]") {
  FlagInputs in;
  in.month_end = FlagDay("2026-03-31");
  in.budgets = {FlagBudget("B-1", Management::kDirectPayment, 1'200'000, "2026-01-01", "2026-12-31", "2025-12-01")};
  in.spent_by_category = {{.budget_id = "B-1", .category = "alcohol", .amount_pence = FlagPence(4'599)},
                          {.budget_id = "B-1", .category = "gambling", .amount_pence = FlagPence(1'000)},
                          {.budget_id = "B-1", .category = "personal-care", .amount_pence = FlagPence(90'000)},
                          {.budget_id = "B-2", .category = "tobacco", .amount_pence = FlagPence(0)}};
  const auto flags = Evaluate(in);
  CHECK(CountOf(flags, FlagCode::kProhibitedSpend) == 2);
  const Flag* alcohol = Find(flags, "PROHIBITED_SPEND/spent:B-1:alcohol");
  REQUIRE(alcohol != nullptr);
  CHECK(alcohol->severity == FlagSeverity::kCritical);
  CHECK(alcohol->entity == "spent:B-1:alcohol");
  CHECK(alcohol->amount_at_stake_pence == FlagPence(4'599));
  CHECK(alcohol->evidence_seqs == std::vector<uint64_t>{20});
  CHECK(alcohol->sentence.find("£45.99") != std::string::npos);
  CHECK(alcohol->sentence.find("cannot buy") != std::string::npos);
  CHECK(alcohol->sentence.find("Ask the holder") != std::string::npos);
  CHECK(Find(flags, "PROHIBITED_SPEND/spent:B-1:gambling") != nullptr);
  CHECK(Find(flags, "PROHIBITED_SPEND/spent:B-1:personal-care") == nullptr);  // allowed
  CHECK(Find(flags, "PROHIBITED_SPEND/spent:B-2:tobacco") == nullptr);        // zero balance

  // A changed setting is respected.
  std::map<std::string, std::string, std::less<>> settings = {{"prohibited.categories", "personal-care,tobacco"}};
  auto thresholds = FlagThresholdsFromSettings([&](std::string_view key) -> std::optional<std::string> {
    auto it = settings.find(key);
    if (it == settings.end()) return std::nullopt;
    return it->second;
  });
  REQUIRE(thresholds.ok());
  CHECK(thresholds->prohibited_categories == std::vector<std::string>{"personal-care", "tobacco"});
  const auto changed = Evaluate(in, *thresholds);
  CHECK(CountOf(changed, FlagCode::kProhibitedSpend) == 1);
  CHECK(Find(changed, "PROHIBITED_SPEND/spent:B-1:personal-care") != nullptr);
  CHECK(Find(changed, "PROHIBITED_SPEND/spent:B-1:alcohol") == nullptr);
  settings["prohibited.categories"] = "Alcohol";  // not a slug list
  CHECK_FALSE(FlagThresholdsFromSettings([&](std::string_view key) -> std::optional<std::string> {
                auto it = settings.find(key);
                if (it == settings.end()) return std::nullopt;
                return it->second;
              }).ok());

  in.spent_by_category.push_back({.budget_id = "B-1", .category = "alcohol", .amount_pence = FlagPence(1)});
  CHECK_FALSE(EvaluateFlags(in, {}).ok());  // a repeated account
}

TEST_CASE("PROHIBITED_SPEND: default categories are the setting's defaults", "[flags]") {
  auto defaults = FlagThresholdsFromSettings([](std::string_view) -> std::optional<std::string> { return std::nullopt; });
  REQUIRE(defaults.ok());
  CHECK(defaults->prohibited_categories == FlagThresholds{}.prohibited_categories);
  CHECK(defaults->prohibited_categories.size() == 6);
}

TEST_CASE("DUPLICATE_INVOICE: same provider, budget, amount and period, and each later one flagged", "[flags]") {
  struct Row {
    const char* what;
    InvoiceFlagFacts other;
    bool flagged;
  };
  InvoiceFlagFacts first = FlagInvoice("INV-A", "PR-1", "2026-03-02", 12'000, "B-1");
  first.seq = 31;
  first.service_from = FlagDay("2026-02-01");
  first.service_to = FlagDay("2026-02-28");
  auto copy = [&](std::string id) {
    InvoiceFlagFacts i = first;
    i.seq = 32;
    i.invoice_id = std::move(id);
    i.received_on = FlagDay("2026-03-09");
    return i;
  };
  InvoiceFlagFacts same = copy("INV-B");
  InvoiceFlagFacts other_budget = copy("INV-C");
  other_budget.budget_id = "B-2";
  InvoiceFlagFacts penny = copy("INV-D");
  penny.amount = FlagPence(12'001);
  InvoiceFlagFacts day_from = copy("INV-E");
  day_from.service_from = FlagDay("2026-02-02");
  InvoiceFlagFacts day_to = copy("INV-F");
  day_to.service_to = FlagDay("2026-02-27");
  InvoiceFlagFacts other_provider = copy("INV-G");
  other_provider.provider_id = "PR-2";
  InvoiceFlagFacts after_month = copy("INV-H");
  after_month.received_on = FlagDay("2026-04-01");
  const std::vector<Row> rows = {
      {"the same invoice again", same, true},
      {"another budget (one invoice per person at the same rate)", other_budget, false},
      {"a penny more", penny, false},
      {"a day later start", day_from, false},
      {"a day earlier end", day_to, false},
      {"another provider", other_provider, false},
      {"received after month end", after_month, false},
  };
  for (const Row& row : rows) {
    CAPTURE(row.what);
    FlagInputs in;
    in.month_end = FlagDay("2026-03-31");
    in.providers = {Provider("PR-1", "private", "large"), Provider("PR-2", "private", "large")};
    in.invoices = {row.other, first};
    const auto flags = Evaluate(in);
    CHECK(CountOf(flags, FlagCode::kDuplicateInvoice) == (row.flagged ? 1U : 0U));
    if (!row.flagged) continue;
    const Flag* f = Find(flags, "DUPLICATE_INVOICE/invoice:" + row.other.invoice_id);
    REQUIRE(f != nullptr);
    CHECK(f->severity == FlagSeverity::kWarning);
    CHECK(f->amount_at_stake_pence == FlagPence(12'000));
    CHECK(f->evidence_seqs == std::vector<uint64_t>{31, 32});
    CHECK(f->sentence.find("repeats invoice INV-A") != std::string::npos);
    CHECK(f->sentence.find("Check with the provider") != std::string::npos);
  }

  // Three copies: the two later ones, each naming the first; same day ordered by id.
  FlagInputs in;
  in.month_end = FlagDay("2026-03-31");
  in.providers = {Provider("PR-1", "private", "large")};
  InvoiceFlagFacts same_day = copy("INV-0");
  same_day.received_on = first.received_on;
  in.invoices = {same, first, same_day};
  const auto flags = Evaluate(in);
  CHECK(CountOf(flags, FlagCode::kDuplicateInvoice) == 2);
  const Flag* later = Find(flags, "DUPLICATE_INVOICE/invoice:INV-B");
  const Flag* same_day_flag = Find(flags, "DUPLICATE_INVOICE/invoice:INV-A");
  REQUIRE(later != nullptr);
  REQUIRE(same_day_flag != nullptr);  // INV-0 sorts before INV-A on the same day
  CHECK(later->sentence.find("repeats invoice INV-0") != std::string::npos);
  CHECK(Find(flags, "DUPLICATE_INVOICE/invoice:INV-0") == nullptr);
}

TEST_CASE("flags are sorted by severity, code and entity, whatever the order of the inputs", "[flags]") {
  const FlagInputs in = Mixed("2026-04-30");
  const auto flags = Evaluate(in);
  REQUIRE(flags.size() >= 8);
  for (size_t i = 1; i < flags.size(); ++i) {
    const Flag& a = flags[i - 1];
    const Flag& b = flags[i];
    CHECK(std::tie(a.severity, a.code, a.entity) < std::tie(b.severity, b.code, b.entity));
  }
  CHECK(flags.front().severity == FlagSeverity::kCritical);
  for (const Flag& f : flags) {
    CAPTURE(f.id);
    CHECK_FALSE(f.amount_at_stake_pence.is_negative());
    CHECK(std::is_sorted(f.evidence_seqs.begin(), f.evidence_seqs.end()));
    CHECK(std::find(f.evidence_seqs.begin(), f.evidence_seqs.end(), 0U) == f.evidence_seqs.end());
    CHECK_FALSE(f.sentence.empty());
  }
  const std::string expected = Text(flags);
  std::mt19937 rng(17);
  for (int round = 0; round < 20; ++round) {
    FlagInputs shuffled = in;
    Shuffle(shuffled.providers, rng);
    Shuffle(shuffled.budgets, rng);
    Shuffle(shuffled.invoices, rng);
    Shuffle(shuffled.payments, rng);
    Shuffle(shuffled.dp_balances, rng);
    Shuffle(shuffled.due_instalments, rng);
    Shuffle(shuffled.spent_by_category, rng);
    CHECK(Text(Evaluate(shuffled)) == expected);
  }
}

TEST_CASE("a flag's id is its code and entity, the same in the next month", "[flags]") {
  const auto april = Evaluate(Mixed("2026-04-30"));
  const auto may = Evaluate(Mixed("2026-05-31"));
  for (const Flag& f : april) {
    CHECK(f.id == std::string(ToString(f.code)) + "/" + f.entity);
    CHECK(f.id.find("2026-04") == std::string::npos);  // nothing of the month evaluated
  }
  // Conditions that still hold in May are the same flags.
  for (const char* id : {"DELAY_INVOICE/invoice:INV-2", "UNSETTLED_PAYMENT/payment:PAY-1", "DP_SURPLUS/budget:B-1",
                         "UNDERSPEND_BUDGET/budget:B-2", "PROHIBITED_SPEND/spent:B-1:alcohol"}) {
    CAPTURE(id);
    CHECK(Find(april, id) != nullptr);
    CHECK(Find(may, id) != nullptr);
  }
}

TEST_CASE("thresholds come from the settings, defaults as in the contract", "[flags]") {
  std::map<std::string, std::string, std::less<>> settings;
  auto lookup = [&](std::string_view key) -> std::optional<std::string> {
    auto it = settings.find(key);
    if (it == settings.end()) return std::nullopt;
    return it->second;
  };
  auto defaults = FlagThresholdsFromSettings(lookup);
  REQUIRE(defaults.ok());
  CHECK(defaults->delay_invoice_days == 30);
  CHECK(defaults->delay_invoice_small_vcse_days == 10);
  CHECK(defaults->dp_surplus_weeks == 8);
  CHECK(defaults->unsettled_business_days == 5);
  CHECK(defaults->dp_surplus_contingency_pence.is_zero());
  settings["delay.invoice_days"] = "45";
  settings["unsettled.business_days"] = "7";
  auto changed = FlagThresholdsFromSettings(lookup);
  REQUIRE(changed.ok());
  CHECK(changed->delay_invoice_days == 45);
  CHECK(changed->unsettled_business_days == 7);
  settings["dp_surplus.contingency"] = "250.50";
  auto contingency = FlagThresholdsFromSettings(lookup);
  REQUIRE(contingency.ok());
  CHECK(contingency->dp_surplus_contingency_pence == FlagPence(25'050));
  settings["dp_surplus.contingency"] = "-0.01";
  CHECK_FALSE(FlagThresholdsFromSettings(lookup).ok());
  settings.erase("dp_surplus.contingency");
  settings["underspend.share_pct"] = "150";
  auto bad = FlagThresholdsFromSettings(lookup);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("underspend.share_pct") != std::string::npos);
  settings.erase("underspend.share_pct");
  settings["unsettled.business_days"] = "90";  // wider than a settlement window may be
  CHECK_FALSE(FlagThresholdsFromSettings(lookup).ok());
}

TEST_CASE("flag evaluation refuses a month end that is not one, and repeated ids", "[flags]") {
  FlagInputs in;
  in.month_end = FlagDay("2026-03-30");
  CHECK_FALSE(EvaluateFlags(in, {}).ok());
  in.month_end = FlagDay("2026-03-31");
  in.invoices = {FlagInvoice("INV-1", "PR-1", "2026-03-01"), FlagInvoice("INV-1", "PR-1", "2026-03-02")};
  auto repeated = EvaluateFlags(in, {});
  REQUIRE_FALSE(repeated.ok());
  CHECK(repeated.status().message().find("INV-1") != std::string::npos);
}

}  // namespace rf::flags_test
