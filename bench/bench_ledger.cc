#include "bench/bench_ledger.h"

#include <cstdio>
#include <filesystem>
#include <vector>

#include "ledger/core/entry_kinds.h"
#include "ledger/payments/payment_run.h"

namespace rf::bench {
namespace {

constexpr char kDebtorIban[] = "GB33BUKB20201555555555";
constexpr int kPeoplePerProvider = 40;
// Commits of at most this many drafts (an ingest chunk's size).
constexpr size_t kCommitDraftsMax = 10'000;

Date D(const char* iso) { return *Date::Parse(iso, "date"); }
Pence P(const std::string& amount) { return *Pence::Parse(amount, "amount"); }
std::string Id(const char* prefix, int i) { return prefix + std::to_string(i); }

// A valid UK IBAN (ISO 7064 mod 97-10) unique to `n`: bank WEST, sort code
// and account number from n.
std::string Iban(int kind, int n) {
  char bban[32];
  std::snprintf(bban, sizeof bban, "WEST%06d%08d", 100000 + kind, n);
  // Check digits over BBAN + "GB00", letters as 10..35.
  std::string digits;
  for (const char c : std::string(bban) + "GB00") {
    if (c >= 'A' && c <= 'Z') {
      digits += std::to_string(c - 'A' + 10);
    } else {
      digits += c;
    }
  }
  int rem = 0;
  for (const char c : digits) rem = (rem * 10 + (c - '0')) % 97;
  char out[40];
  std::snprintf(out, sizeof out, "GB%02d%s", 98 - rem, bban);
  return out;
}

bool CommitAll(Ledger& ledger, std::vector<EntryDraft> drafts) {
  for (size_t from = 0; from < drafts.size(); from += kCommitDraftsMax) {
    const size_t to = std::min(drafts.size(), from + kCommitDraftsMax);
    std::vector<EntryDraft> chunk(std::make_move_iterator(drafts.begin() + static_cast<ptrdiff_t>(from)),
                                  std::make_move_iterator(drafts.begin() + static_cast<ptrdiff_t>(to)));
    auto r = ledger.Commit(std::move(chunk));
    if (!r.ok()) {
      std::fprintf(stderr, "bench ledger: commit failed: %s\n", r.status().message().c_str());
      return false;
    }
  }
  return true;
}

// Month `month` (4 = April 2026 ... 12): two invoices per notional budget
// received on the 20th and approved on the 25th, the payment run on the 1st
// of the next month, a bank line per payment booked on the 3rd (lines of
// the runs' payments, one in ten without its end-to-end id when
// `unsettled`), settled unless `unsettled`, and a return from every
// direct-payment budget on the 10th of the next month.
bool Month(Ledger& ledger, int people, int month, bool unsettled) {
  auto iso = [](int year, int mon, int day) {
    auto two = [](int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
    return std::to_string(year) + "-" + two(mon) + "-" + two(day);
  };
  const int next_year = month == 12 ? 2027 : 2026, next_month = month == 12 ? 1 : month + 1;
  const std::string received_s = iso(2026, month, 20), approved_s = iso(2026, month, 25),
                    spent_s = iso(next_year, next_month, 10), run_s = iso(next_year, next_month, 1),
                    booked_s = iso(next_year, next_month, 3);
  const char *received_on = received_s.c_str(), *approved_on = approved_s.c_str(), *spent_on = spent_s.c_str(),
             *run_on = run_s.c_str(), *booked_on = booked_s.c_str();
  const DraftOrigin o{"finance.manager", "bench"};
  std::vector<EntryDraft> drafts;
  auto invoice_id = [&](int i, int k) {
    return "INV-" + std::to_string(month) + "-" + std::to_string(i) + "-" + std::to_string(k);
  };
  auto invoice_amount = [](int i) { return P("150." + std::to_string(10 + i % 90)); };
  for (int i = 0; i < people; i += 2) {  // notional budgets: even i
    for (int k = 0; k < 2; ++k) {
      const Date to = D(received_on).AddDays(-7 * k);  // two weeks of sessions, one invoice each
      InvoiceFields f{invoice_id(i, k),  Id("V-", i / kPeoplePerProvider), Id("B-", i), "therapy", "sessions",
                      invoice_amount(i), to.AddDays(-6),                    to,          D(received_on)};
      drafts.push_back(InvoiceReceivedDraft(f, o));
    }
  }
  for (int i = 0; i < people; i += 2) {
    for (int k = 0; k < 2; ++k) {
      drafts.push_back(InvoiceApprovedDraft(invoice_id(i, k), Id("B-", i), Id("V-", i / kPeoplePerProvider),
                                            invoice_amount(i), D(approved_on), o));
    }
  }
  if (!CommitAll(ledger, std::move(drafts))) return false;
  // A run holds at most kRunPaymentsMax payments: a national month takes
  // several runs on the same date.
  std::vector<RunPayment> paid;
  for (;;) {
    auto run = MakePaymentRun(ledger, D(run_on), o, /*dry_run=*/false);
    if (!run.ok() || (!run->committed && paid.empty())) {
      std::fprintf(stderr, "bench ledger: payment run failed: %s\n",
                   run.ok() ? "nothing committed" : run.status().message().c_str());
      return false;
    }
    if (!run->committed) break;
    for (RunPayment& payment : run->plan.payments) paid.push_back(std::move(payment));
  }
  drafts.clear();
  const std::string statement = "STMT-" + std::to_string(month);
  int line = 0;
  for (const RunPayment& payment : paid) {
    BankLineFields f;
    f.statement_id = statement;
    f.line_id = std::to_string(++line);
    f.account = kDebtorIban;
    f.booked_on = D(booked_on);
    f.amount = -payment.amount;
    f.counterparty_ref = payment.payee_ref;
    if (!unsettled || line % 10 != 0) f.end_to_end_id = payment.payment_id;
    f.description = "payment";
    drafts.push_back(BankLineDraft(f, o));
  }
  if (!unsettled) {
    line = 0;
    for (const RunPayment& payment : paid) {
      drafts.push_back(
          PaymentSettledDraft(payment.payment_id, statement + "/" + std::to_string(++line), D(booked_on), o));
    }
  }
  for (int i = 1; i < people; i += 2) {  // direct-payment budgets: odd i
    PostingFields f;
    f.postings = {{Account{AccountType::kDp, Id("B-", i), ""}, -P("80.00")},
                  {Account{AccountType::kSpent, Id("B-", i), "personal-assistant"}, P("80.00")}};
    f.effective = D(spent_on);
    f.memo = "return";
    f.external_id = "dp-returns/R-" + std::to_string(month) + "-" + std::to_string(i);
    drafts.push_back(PostingDraft(f, o));
  }
  return CommitAll(ledger, std::move(drafts));
}

}  // namespace

std::unique_ptr<Ledger> BuildBenchLedger(const std::string& dir, const BenchLedgerShape& shape) {
  std::filesystem::remove_all(dir);
  auto ledger = Ledger::Create(dir, "Bench ICB", "ringfence.invalid/bench", "bench");
  if (!ledger.ok()) {
    std::fprintf(stderr, "bench ledger: %s\n", ledger.status().message().c_str());
    return nullptr;
  }
  const int people = shape.people < 2 ? 2 : shape.people;
  const DraftOrigin o{"finance.manager", "bench"};
  std::vector<EntryDraft> drafts;
  drafts.push_back(ConfigSetDraft("bank.debtor_iban", kDebtorIban, D("2026-04-01"), o));
  drafts.push_back(PotDraft({"POT-1", "Bench pot", "PHB", "2026-27",
                             P(std::to_string(static_cast<long long>(people) * 13'000) + ".00"), D("2026-04-01")},
                            OrgAccountId("Bench ICB"), o));
  for (int v = 0; v <= (people - 1) / kPeoplePerProvider; ++v) {
    drafts.push_back(ProviderDraft(
        {Id("V-", v), "Provider " + std::to_string(v), "vcse", "small", Iban(1, v), true, true}, D("2026-04-01"), o));
  }
  for (int i = 0; i < people; ++i) {
    drafts.push_back(PersonDraft({Id("P-", i), "A", "25-34", "female", "Leeds", i % 3 == 0}, D("2026-04-01"), o));
  }
  for (int i = 0; i < people; ++i) {
    const bool notional = i % 2 == 0;
    drafts.push_back(BudgetDraft(
        {Id("B-", i), Id("P-", i), "POT-1", notional ? "notional" : "direct-payment", notional ? "none" : "monthly",
         Iban(2, i), P("12000.00"), D("2026-04-01"), D("2027-03-31"), D("2026-04-01")},
        o));
  }
  if (!CommitAll(**ledger, std::move(drafts))) return nullptr;
  const int months = shape.months < 1 ? 1 : (shape.months > 9 ? 9 : shape.months);
  for (int m = 0; m < months; ++m) {
    const bool last = m + 1 == months;
    if (!Month(**ledger, people, 4 + m, last && shape.last_month_unsettled)) return nullptr;
  }
  return std::move(*ledger);
}

}  // namespace rf::bench
