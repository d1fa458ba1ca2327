// Bounded flag inputs (reconcile/flag_reducer.h, flags.h "Bounded
// inputs"): over random ledgers of records (payments that name missing
// invoices, invoices that name missing payments, several payments naming
// one invoice, payments run before the invoice was received, cancelled and
// returned ones, duplicates of every age, a weak key hash that makes every
// other key collide), the evaluator gives identical flags (ids, amounts,
// evidence, sentences) over every record and over the reducer's bounded
// inputs, and so do the returned-payment flags read from its payments.

#include "reconcile/flag_reducer.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "reconcile/flags.h"
#include "reconcile/returned_flags.h"

namespace rf::flag_reducer_test {
namespace {

Date FrDay(const char* iso) { return *Date::Parse(iso, "test"); }

// Every key in one of two buckets: almost every invoice collides.
uint64_t FrWeakHash(const InvoiceRecord& invoice) { return DefaultDuplicateKeyHash(invoice) % 2; }

struct FrLedger {
  FlagInputs full;  // every record
  std::vector<PaymentRecord> payments;  // every payment in full (full.payments: their flag facts)
  std::vector<InvoiceRecord> invoices;  // every invoice in full (full.invoices: their flag facts)
  FlagThresholds thresholds;
};

template <typename T>
const T& FrPick(std::mt19937_64& rng, const std::vector<T>& from) {
  return from[rng() % from.size()];
}

FrLedger FrRandomLedger(std::mt19937_64& rng) {
  FrLedger l;
  FlagInputs& in = l.full;
  const Date month_end = rng() % 2 == 0 ? FrDay("2026-06-30") : FrDay("2026-07-31");
  in.month_end = month_end;
  const Date base = month_end.AddDays(-150);
  auto day = [&](int span) { return base.AddDays(static_cast<int32_t>(rng() % static_cast<uint64_t>(span))); };
  auto near_end = [&]() { return month_end.AddDays(static_cast<int32_t>(rng() % 80) - 60); };
  uint64_t seq = 1;
  const std::vector<std::string> providers = {"V-0", "V-1", "V-2", "V-3", "V-missing"};
  for (int i = 0; i < 4; ++i) {
    ProviderRecord p;
    p.seq = seq++;
    p.provider_id = providers[static_cast<size_t>(i)];
    p.name = rng() % 2 == 0 ? "" : "Provider " + p.provider_id;
    p.kind = rng() % 2 == 0 ? "vcse" : "private";
    p.size = rng() % 2 == 0 ? "small" : "large";
    p.approved = rng() % 4 != 0;
    in.providers.push_back(p);
  }
  const int budgets = 1 + static_cast<int>(rng() % 5);
  std::vector<std::string> budget_ids;
  for (int i = 0; i < budgets; ++i) {
    BudgetRecord b;
    b.seq = seq++;
    b.budget_id = "B-" + std::to_string(i);
    b.person_id = "PER-1";
    b.pot_id = "POT-1";
    b.management = static_cast<Management>(rng() % 3);
    b.amount = Pence::FromPence(static_cast<int64_t>(50'000 + rng() % 500'000));
    b.start_date = day(100);
    b.end_date = b.start_date.AddDays(static_cast<int32_t>(100 + rng() % 300));
    b.approved_on = b.start_date.AddDays(-static_cast<int32_t>(rng() % 20));
    if (rng() % 2 == 0) {
      b.first_payment_on = day(160);
      b.first_payment_seq = seq++;
    }
    in.budgets.push_back(BudgetFlagFactsOf(b));
    budget_ids.push_back(b.budget_id);
    // A few instalments due (unique per budget and date).
    for (int k = 0; k < 3; ++k) {
      const Date due = b.start_date.AddDays(30 * k);
      if (due <= month_end) {
        in.due_instalments.push_back({.budget_id = b.budget_id, .due_on = due, .amount_pence = Pence::FromPence(9'000)});
      }
    }
  }
  std::vector<std::string> invoice_budgets = budget_ids;
  invoice_budgets.push_back("B-unknown");
  const int invoices = static_cast<int>(rng() % 40);
  const int payments = static_cast<int>(rng() % 40);
  auto invoice_id = [&](int i) { return "INV-" + std::to_string(i); };
  auto payment_id = [&](int i) { return "PAY-" + std::to_string(i); };
  const std::vector<Date> service_days = {FrDay("2026-03-01"), FrDay("2026-03-31"), FrDay("2026-04-30")};
  for (int i = 0; i < invoices; ++i) {
    InvoiceRecord inv;
    inv.seq = seq++;
    inv.invoice_id = invoice_id(i);
    inv.provider_id = FrPick(rng, providers);
    inv.budget_id = FrPick(rng, invoice_budgets);
    inv.amount = Pence::FromPence(static_cast<int64_t>(100 * (1 + rng() % 3)));
    inv.service_from = FrPick(rng, service_days);
    inv.service_to = inv.service_from.AddDays(static_cast<int32_t>(rng() % 2));
    inv.received_on = near_end();
    inv.state = static_cast<InvoiceState>(rng() % 4);
    switch (rng() % 4) {
      case 0:
        break;  // names no payment
      case 1:
        inv.payment_id = "PAY-missing";
        break;
      default:
        if (payments > 0) inv.payment_id = payment_id(static_cast<int>(rng() % static_cast<uint64_t>(payments)));
    }
    in.invoices.push_back(InvoiceFlagFactsOf(inv));
    l.invoices.push_back(inv);
  }
  std::set<std::pair<std::string, Date>> instalments_paid;
  for (int i = 0; i < payments; ++i) {
    PaymentRecord p;
    p.seq = seq++;
    p.payment_id = payment_id(i);
    p.run_id = "RUN-" + std::to_string(rng() % 5);
    p.amount = Pence::FromPence(static_cast<int64_t>(100 * (1 + rng() % 3)));
    p.run_date = near_end();
    p.budget_id = FrPick(rng, invoice_budgets);
    if (rng() % 3 == 0) {
      p.purpose = PaymentPurpose::kInstalment;
      if (rng() % 4 != 0) {
        // Often an instalment in the list above.
        p.due_on = in.due_instalments.empty() || rng() % 3 == 0 ? near_end() : FrPick(rng, in.due_instalments).due_on;
        if (!in.due_instalments.empty() && rng() % 2 == 0) p.budget_id = FrPick(rng, in.due_instalments).budget_id;
      }
    } else {
      p.purpose = PaymentPurpose::kInvoice;
      p.provider_id = FrPick(rng, providers);
      if (rng() % 8 != 0) {
        p.invoice_id = invoices > 0 && rng() % 6 != 0 ? invoice_id(static_cast<int>(rng() % static_cast<uint64_t>(invoices)))
                                                      : "INV-missing";
      }
    }
    p.state = static_cast<PaymentState>(rng() % 4);
    // One payment not cancelled per instalment (a ledger pays each once:
    // its flag's id is the instalment's).
    if (p.due_on && p.state != PaymentState::kCancelled && !instalments_paid.emplace(p.budget_id, *p.due_on).second) {
      p.due_on.reset();
    }
    if (p.state == PaymentState::kSettled || p.state == PaymentState::kReturned) {
      if (rng() % 5 != 0) {
        p.settled_on = p.run_date.AddDays(static_cast<int32_t>(rng() % 30));
        p.settled_seq = seq++;
        p.bank_line_id = "L-" + std::to_string(i);
      }
    }
    if (p.state == PaymentState::kReturned && rng() % 6 != 0) {
      p.returned_on = p.run_date.AddDays(static_cast<int32_t>(rng() % 40));
      p.returned_seq = seq++;
      p.return_line_id = "R-" + std::to_string(i);
    }
    if (p.state == PaymentState::kCancelled) {
      p.cancelled_on = p.run_date.AddDays(1);
      p.cancelled_seq = seq++;
    }
    in.payments.push_back(PaymentFlagFactsOf(p));
    l.payments.push_back(p);
  }
  for (int i = 0; i < static_cast<int>(rng() % 3); ++i) {
    ReviewRecord r;
    r.seq = seq++;
    r.review_id = "R-" + std::to_string(i);
    r.budget_id = FrPick(rng, budget_ids);
    r.outcome = static_cast<ReviewOutcome>(rng() % 3);
    r.reviewed_on = day(170);
    in.reviews.push_back(r);
  }
  for (const std::string& b : budget_ids) {
    if (rng() % 2 == 0) in.dp_spent.push_back({.budget_id = b, .amount_pence = Pence::FromPence(static_cast<int64_t>(rng() % 20'000))});
  }
  l.thresholds.delay_invoice_days = static_cast<uint32_t>(rng() % 40);
  l.thresholds.delay_invoice_small_vcse_days = static_cast<uint32_t>(rng() % 15);
  l.thresholds.underspend_active_days = static_cast<uint32_t>(rng() % 120);
  l.thresholds.underspend_share_pct = static_cast<uint32_t>(rng() % 101);
  l.thresholds.delay_dp_missed_days = static_cast<uint32_t>(rng() % 10);
  l.thresholds.unsettled_business_days = static_cast<uint32_t>(rng() % 8);
  return l;
}

struct FrBounded {
  FlagInputs in;
  size_t kept_invoices = 0, kept_payments = 0;
};

// The reducer over the ledger's records, payments then invoices, each
// family in a random order (a view streams them in key order; the reducer
// must not depend on it).
FrBounded FrReduce(const FrLedger& l, std::mt19937_64& rng, DuplicateKeyHash hash) {
  FrBounded out;
  FlagInputs& in = out.in;
  in.month_end = l.full.month_end;
  in.budgets = l.full.budgets;
  in.reviews = l.full.reviews;
  in.providers = l.full.providers;
  in.pots = l.full.pots;
  in.dp_balances = l.full.dp_balances;
  in.dp_spent = l.full.dp_spent;
  in.pot_unallocated = l.full.pot_unallocated;
  in.spent_by_category = l.full.spent_by_category;
  FlagRecordReducer reducer(in.month_end, in.budgets, hash);
  std::vector<PaymentRecord> payments = l.payments;
  std::shuffle(payments.begin(), payments.end(), rng);
  for (const PaymentRecord& p : payments) REQUIRE(reducer.AddPayment(p).ok());
  REQUIRE(reducer.PaymentsDone().ok());
  std::vector<InvoiceRecord> invoices = l.invoices;
  std::shuffle(invoices.begin(), invoices.end(), rng);
  for (const InvoiceRecord& i : invoices) REQUIRE(reducer.AddInvoice(i).ok());
  for (const DueInstalment& due : l.full.due_instalments) {
    size_t b = 0;
    while (in.budgets[b].budget_id != due.budget_id) ++b;
    if (!reducer.InstalmentPaid(b, due.due_on)) in.due_instalments.push_back(due);
  }
  std::map<std::string, InvoiceRecord, std::less<>> invoice_by_id;
  for (const InvoiceRecord& i : l.invoices) invoice_by_id[i.invoice_id] = i;
  std::map<std::string, PaymentRecord, std::less<>> payment_by_id;
  for (const PaymentRecord& p : l.payments) payment_by_id[p.payment_id] = p;
  REQUIRE(reducer
              .Finish([&](std::string_view id) -> Result<InvoiceRecord> { return invoice_by_id.find(id)->second; },
                      [&](std::string_view id) -> Result<PaymentRecord> { return payment_by_id.find(id)->second; },
                      in)
              .ok());
  out.kept_invoices = in.invoices.size();
  out.kept_payments = in.payments.size();
  return out;
}

std::string FrText(const std::vector<Flag>& flags) {
  std::string s;
  for (const Flag& f : flags) {
    s += f.id + "|" + std::string(ToString(f.code)) + "|" + std::string(ToString(f.severity)) + "|" + f.entity + "|" +
         f.amount_at_stake_pence.ToDecimal() + "|";
    for (uint64_t seq : f.evidence_seqs) s += std::to_string(seq) + ",";
    for (const std::string& line : f.evidence_bank_lines) s += line + ",";
    s += "|" + f.sentence + "\n";
  }
  return s;
}

std::string FrText(const Result<std::vector<MonthFlag>>& flags) {
  // Which malformed payment an error names depends on the order read.
  if (!flags.ok()) return "error: " + std::string(flags.status().message().substr(0, 5));
  std::vector<std::string> rows;
  for (const MonthFlag& f : *flags) {
    std::string row = FlagId(f) + "|" + std::string(ToString(f.code)) + "|" + f.amount_at_stake_pence.ToDecimal() + "|";
    for (uint64_t seq : f.evidence_seqs) row += std::to_string(seq) + ",";
    for (const std::string& line : rf::BankLinesOf(f)) row += line + ",";
    rows.push_back(row + "|" + rf::SentenceOf(f));
  }
  std::sort(rows.begin(), rows.end());
  std::string s;
  for (const std::string& r : rows) s += r + "\n";
  return s;
}

int FrSequences() {
  if (const char* n = std::getenv("RF_PROPERTY_SEQUENCES")) return std::max(1, std::atoi(n));
  return 1500;
}

}  // namespace

TEST_CASE("the evaluator gives the same flags over the reducer's bounded inputs as over every record",
          "[flags][property]") {
  std::mt19937_64 rng(20261206);
  size_t all_records = 0, kept_records = 0, flags_seen = 0, duplicates_seen = 0, underspend_seen = 0;
  const int sequences = FrSequences();
  for (int round = 0; round < sequences; ++round) {
    const FrLedger l = FrRandomLedger(rng);
    auto full = EvaluateFlags(l.full, l.thresholds);
    INFO("round " << round);
    REQUIRE(full.ok());
    const std::string expected = FrText(*full);
    const Month month{l.full.month_end.year(), l.full.month_end.month()};
    const std::string expected_returned = FrText(ReturnedPaymentFlagsOf(l.full.payments, month));
    for (const DuplicateKeyHash hash : {&DefaultDuplicateKeyHash, &FrWeakHash}) {
      const FrBounded bounded = FrReduce(l, rng, hash);
      auto flags = EvaluateFlags(bounded.in, l.thresholds);
      REQUIRE(flags.ok());
      CHECK(FrText(*flags) == expected);
      CHECK(FrText(ReturnedPaymentFlagsOf(bounded.in.payments, month)) == expected_returned);
      CHECK(bounded.kept_invoices <= l.full.invoices.size());
      CHECK(bounded.kept_payments <= l.full.payments.size());
      if (hash == &DefaultDuplicateKeyHash) {
        all_records += l.full.invoices.size() + l.full.payments.size();
        kept_records += bounded.kept_invoices + bounded.kept_payments;
      }
    }
    flags_seen += full->size();
    for (const Flag& f : *full) {
      duplicates_seen += f.code == FlagCode::kDuplicateInvoice ? 1 : 0;
      underspend_seen += f.code == FlagCode::kUnderspendBudget ? 1 : 0;
    }
  }
  // The generator reaches what it must: flags of the families that read
  // dropped records, and records left out.
  CHECK(duplicates_seen > 0);
  CHECK(underspend_seen > 0);
  CHECK(flags_seen > 0);
  CHECK(kept_records < all_records);
}

TEST_CASE("the reducer keeps an old duplicate, sums old paid invoices, and leaves the rest out", "[flags]") {
  FlagInputs in;
  in.month_end = FrDay("2026-07-31");
  BudgetFlagFacts b;
  b.seq = 1;
  b.budget_id = "B-1";
  b.amount = Pence::FromPence(1'200'00);
  b.start_date = FrDay("2026-01-01");
  b.end_date = FrDay("2026-12-31");
  b.approved_on = b.start_date;
  in.budgets = {b};
  auto invoice = [](const char* id, const char* received, const char* payment_id, int64_t amount) {
    InvoiceRecord i;
    i.seq = 10;
    i.invoice_id = id;
    i.provider_id = "V-1";
    i.budget_id = "B-1";
    i.amount = Pence::FromPence(amount);
    i.service_from = i.service_to = FrDay("2026-02-01");
    i.received_on = FrDay(received);
    i.payment_id = payment_id;
    i.state = InvoiceState::kPaid;
    return i;
  };
  auto payment = [](const char* id, const char* invoice_id, const char* run_date) {
    PaymentRecord p;
    p.seq = 20;
    p.payment_id = id;
    p.invoice_id = invoice_id;
    p.budget_id = "B-1";
    p.provider_id = "V-1";
    p.run_date = FrDay(run_date);
    p.state = PaymentState::kSettled;
    p.settled_on = p.run_date.AddDays(2);
    return p;
  };
  // INV-1 and INV-2 repeat each other, both paid in February; INV-3 paid in
  // March; INV-4 received in July, unpaid.
  const std::vector<InvoiceRecord> invoices = {
      invoice("INV-1", "2026-02-02", "P-1", 5'000), invoice("INV-2", "2026-02-03", "P-2", 5'000),
      invoice("INV-3", "2026-03-01", "P-3", 7'000), invoice("INV-4", "2026-07-02", "", 9'000)};
  const std::vector<PaymentRecord> payments = {payment("P-1", "INV-1", "2026-02-10"),
                                               payment("P-2", "INV-2", "2026-02-10"),
                                               payment("P-3", "INV-3", "2026-03-10")};
  FlagRecordReducer reducer(in.month_end, in.budgets);
  for (const PaymentRecord& p : payments) REQUIRE(reducer.AddPayment(p).ok());
  REQUIRE(reducer.PaymentsDone().ok());
  for (const InvoiceRecord& i : invoices) REQUIRE(reducer.AddInvoice(i).ok());
  std::vector<std::string> read_back;
  REQUIRE(reducer
              .Finish(
                  [&](std::string_view id) -> Result<InvoiceRecord> {
                    read_back.emplace_back(id);
                    for (const InvoiceRecord& i : invoices) {
                      if (i.invoice_id == id) return i;
                    }
                    return Status::InvalidInput("no such invoice");
                  },
                  [&](std::string_view id) -> Result<PaymentRecord> {
                    read_back.emplace_back(id);
                    for (const PaymentRecord& p : payments) {
                      if (p.payment_id == id) return p;
                    }
                    return Status::InvalidInput("no such payment");
                  },
                  in)
              .ok());
  std::vector<std::string> kept;
  for (const InvoiceFlagFacts& i : in.invoices) kept.push_back(i.invoice_id);
  std::sort(kept.begin(), kept.end());
  CHECK(kept == std::vector<std::string>{"INV-1", "INV-2", "INV-4"});
  // The duplicates and their paying payments read back; INV-3 only summed.
  std::sort(read_back.begin(), read_back.end());
  CHECK(read_back == std::vector<std::string>{"INV-1", "INV-2", "P-1", "P-2"});
  REQUIRE(in.paid_invoice_spend.size() == 1);
  CHECK(in.paid_invoice_spend[0].budget_id == "B-1");
  CHECK(in.paid_invoice_spend[0].amount_pence == Pence::FromPence(7'000));
  CHECK(in.payments.size() == 2);  // P-3 (settled, March) left out
  auto flags = EvaluateFlags(in, FlagThresholds{});
  REQUIRE(flags.ok());
  bool duplicate = false;
  for (const Flag& f : *flags) duplicate = duplicate || f.id == "DUPLICATE_INVOICE/invoice:INV-2";
  CHECK(duplicate);
}

}  // namespace rf::flag_reducer_test
