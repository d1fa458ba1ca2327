// The month-end views (reconcile/month_end_views.h) against the replay they
// replace: over random ledgers (entries committed in random date order, so
// back-dated ones abound, settings changed on random days), a month's flags
// evaluated over MonthEndViews of the live views equal those evaluated over
// RebuildViews(journal, month end), member for member, for every month.
#include <catch2/catch.hpp>
#include <random>

#include "ledger/payments/payment_run.h"
#include "reconcile/month_end_views.h"
#include "reconcile/month_flags.h"
#include "tests/ledger_fixture.h"

namespace rf::test {
namespace {

constexpr char kMevDebtorIban[] = "GB33BUKB20201555555555";

Date MevDay(std::mt19937_64& rng) {
  // 2026-04-01 + 0..182 days (April to September).
  return D("2026-04-01").AddDays(static_cast<int>(rng() % 183));
}

std::string MevAmount(std::mt19937_64& rng, int max_pounds) {
  return std::to_string(1 + rng() % static_cast<uint64_t>(max_pounds)) + "." + std::to_string(10 + rng() % 90);
}

struct MevLedger {
  Books books;
  std::vector<std::string> budgets;
  std::vector<std::string> providers = {"V-1", "V-2"};
};

void MevTry(Books& books, EntryDraft draft) { (void)books.Commit({std::move(draft)}); }

// One random ledger: reference data, then `steps` random entries.
void MevBuild(MevLedger& l, std::mt19937_64& rng, int steps) {
  Books& b = l.books;
  b.MustCommit({ConfigSetDraft("bank.debtor_iban", kMevDebtorIban, D("2026-04-01"), kTester),
                b.Pot("POT-A", "100000.00"), b.Pot("POT-B", "30000.00"), Books::Person("P-1"),
                Books::Provider("V-1"), Books::Provider("V-2", /*approved=*/false)});
  const char* managements[] = {"direct-payment", "notional", "third-party"};
  for (int i = 0; i < 6; ++i) {
    const std::string id = "B-" + std::to_string(i);
    const std::string mgmt = managements[i % 3];
    // Every budget approved on the first day: an entry dated before its
    // budget's approval is accepted today but cannot be replayed as of its
    // date (a defect noted in the README), which is not what is tested here.
    const Date start = D("2026-04-01");
    b.MustCommit({BudgetDraft({id, "P-1", i % 2 == 0 ? "POT-A" : "POT-B", mgmt, mgmt == "notional" ? "none" : "monthly",
                               "GB82WEST12345698765432", P("6000.00"), start, D("2027-03-31"), start},
                              kTester)});
    l.budgets.push_back(id);
  }
  const char* settings[][2] = {{"dp_surplus.weeks", "4"},      {"delay.invoice_days", "12"},
                               {"underspend.share_pct", "80"}, {"delay.dp_missed_days", "1"},
                               {"unsettled.business_days", "2"}, {"prohibited.categories", "alcohol,therapy"}};
  int invoices = 0, lines = 0;
  for (int step = 0; step < steps; ++step) {
    const std::string budget = l.budgets[rng() % l.budgets.size()];
    const Date on = MevDay(rng);
    switch (rng() % 7) {
      case 0: {  // an invoice received, maybe approved
        const std::string id = "INV-" + std::to_string(++invoices);
        const std::string provider = l.providers[rng() % l.providers.size()];
        const Pence amount = *Pence::Parse(MevAmount(rng, 300), "amount");
        MevTry(b, InvoiceReceivedDraft({id, provider, budget, "therapy", "sessions", amount, on.AddDays(-7),
                                        on.AddDays(-1), on},
                                       kTester));
        if (rng() % 3 != 0) {
          MevTry(b, InvoiceApprovedDraft(id, budget, provider, amount, on.AddDays(static_cast<int>(rng() % 20)),
                                         kTester));
        }
        break;
      }
      case 1: {  // a payment run, its lines on a statement, some settled
        auto run = MakePaymentRun(b.ledger(), on, kTester, /*dry_run=*/false);
        if (!run.ok() || !run->committed) break;
        for (const RunPayment& p : run->plan.payments) {
          if (rng() % 4 == 0) continue;  // not yet on a statement
          BankLineFields f;
          f.statement_id = "S-" + std::to_string(++lines);
          f.line_id = "1";
          f.account = kMevDebtorIban;
          f.booked_on = on.AddDays(static_cast<int>(rng() % 12));
          f.amount = -p.amount;
          f.counterparty_ref = p.payee_ref;
          f.end_to_end_id = p.payment_id;
          MevTry(b, BankLineDraft(f, kTester));
          MevTry(b, PaymentSettledDraft(p.payment_id, f.statement_id + "/1", f.booked_on, kTester));
        }
        break;
      }
      case 2: {  // a direct-payment holder reports spending
        const char* categories[] = {"personal-assistant", "activities", "alcohol", "therapy"};
        PostingFields f;
        const Pence amount = *Pence::Parse(MevAmount(rng, 200), "amount");
        f.postings = {{A("dp:" + budget), -amount}, {A("spent:" + budget + ":" + categories[rng() % 4]), amount}};
        f.effective = on;
        f.external_id = "dp-returns/R-" + std::to_string(step);
        MevTry(b, PostingDraft(f, kTester));
        break;
      }
      case 3: {  // a setting changed on a random day
        const auto& s = settings[rng() % 6];
        MevTry(b, ConfigSetDraft(s[0], s[1], on, kTester));
        break;
      }
      case 4:  // a review
        MevTry(b, ReviewDraft({.review_id = "R-" + std::to_string(step),
                               .budget_id = budget,
                               .outcome = "continue",
                               .reviewed_by = "reviewer",
                               .reviewed_on = on},
                              kTester));
        break;
      case 5:  // money back from a budget to its pot, or between pots' budgets
        MevTry(b, Books::Move("budget:" + budget, "dp:" + budget, MevAmount(rng, 400).c_str(),
                              on.ToIso().c_str()));
        break;
      default:  // a top-up of a pot
        MevTry(b, Books::Move("pot:POT-B", "budget:" + budget, MevAmount(rng, 500).c_str(), on.ToIso().c_str()));
        break;
    }
  }
}

void MevRequireSame(const std::vector<MonthFlag>& replayed, const std::vector<MonthFlag>& served) {
  REQUIRE(replayed.size() == served.size());
  for (size_t i = 0; i < replayed.size(); ++i) {
    INFO(FlagId(replayed[i]) << " / " << FlagId(served[i]));
    CHECK(FlagId(replayed[i]) == FlagId(served[i]));
    CHECK(replayed[i].severity == served[i].severity);
    CHECK(replayed[i].amount_at_stake_pence == served[i].amount_at_stake_pence);
    CHECK(replayed[i].evidence_seqs == served[i].evidence_seqs);
    CHECK(rf::BankLinesOf(replayed[i]) == rf::BankLinesOf(served[i]));
    CHECK(rf::SentenceOf(replayed[i]) == rf::SentenceOf(served[i]));
    CHECK(!rf::SentenceOf(served[i]).empty());
  }
}

}  // namespace

TEST_CASE("a month's flags over the month-end views equal those over the journal replayed to month end") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 4; ++round) {
    MevLedger l;
    MevBuild(l, rng, 120);
    uint64_t flags_seen = 0;
    for (const char* month_text : {"2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"}) {
      INFO("month " << month_text << ", round " << round);
      const Month month = *ParseMonth(month_text, "month");
      auto replayed_views = RebuildViews(l.books.ledger().journal(), month.last_day());
      INFO(replayed_views.status().message());
      REQUIRE(replayed_views.ok());
      auto replayed = EvaluateMonthFlags(*replayed_views, month);
      REQUIRE(replayed.ok());
      std::vector<MonthFlag> served;
      REQUIRE(l.books.ledger()
                  .ReadViews([&](const ViewSource& live) -> Status {
                    RF_ASSIGN(month_end, MonthEndViews::Make(live, month.last_day()));
                    RF_ASSIGN(flags, EvaluateMonthFlags(*month_end, month));
                    served = std::move(flags);
                    // The bounded inputs (flags.h) against every record:
                    // the same flags.
                    RF_ASSIGN(thresholds, ReadFlagThresholds(*month_end));
                    RF_ASSIGN(bounded, ReadMonthFlagInputs(*month_end, month));
                    FlagInputs full = bounded;
                    full.invoices.clear();
                    full.payments.clear();
                    full.paid_invoice_spend.clear();
                    RF_RETURN_IF_ERROR(ForEachRecord<InvoiceRecord>(*month_end, [&](const InvoiceRecord& r) {
                      full.invoices.push_back(InvoiceFlagFactsOf(r));
                      return Status::Ok();
                    }));
                    RF_RETURN_IF_ERROR(ForEachRecord<PaymentRecord>(*month_end, [&](const PaymentRecord& r) {
                      full.payments.push_back(PaymentFlagFactsOf(r));
                      return Status::Ok();
                    }));
                    CHECK(bounded.invoices.size() <= full.invoices.size());
                    CHECK(bounded.payments.size() <= full.payments.size());
                    RF_ASSIGN(over_bounded, EvaluateMonthFlagInputs(bounded, thresholds));
                    RF_ASSIGN(over_full, EvaluateMonthFlagInputs(full, thresholds));
                    MevRequireSame(over_full, over_bounded);
                    return Status::Ok();
                  })
                  .ok());
      MevRequireSame(*replayed, served);
      flags_seen += served.size();
    }
    CHECK(flags_seen > 0);  // the property says something
  }
}

TEST_CASE("month-end views serve dp, spent and pot balances and settings as at the day, and refuse the rest") {
  Books b;
  b.Standard();
  b.MustCommit({ConfigSetDraft("dp_surplus.weeks", "4", D("2026-05-10"), kTester)});
  b.MustCommit({Books::Move("budget:B-1", "dp:B-1", "500.00", "2026-05-01")});
  b.MustCommit({Books::Move("dp:B-1", "spent:B-1:activities", "100.00", "2026-05-20")});
  b.MustCommit({Books::Move("dp:B-1", "spent:B-1:activities", "50.00", "2026-06-02")});
  // Back-dated: committed last, effective first.
  b.MustCommit({ConfigSetDraft("dp_surplus.weeks", "6", D("2026-04-20"), kTester)});
  auto at = [&](const char* day, const std::string& key) {
    std::optional<std::string> out;
    REQUIRE(b.ledger()
                .ReadViews([&](const ViewSource& live) -> Status {
                  RF_ASSIGN(views, MonthEndViews::Make(live, D(day)));
                  RF_ASSIGN(value, views->Get(key));
                  out = value;
                  return Status::Ok();
                })
                .ok());
    return out;
  };
  CHECK(at("2026-04-30", "bal/dp:B-1") == std::nullopt);
  CHECK(at("2026-05-01", "bal/dp:B-1") == "500.00");
  CHECK(at("2026-05-31", "bal/dp:B-1") == "400.00");
  CHECK(at("2026-06-01", "bal/spent:B-1:activities") == "100.00");
  CHECK(at("2026-06-02", "bal/spent:B-1:activities") == "150.00");
  CHECK(at("2026-04-19", "config/dp_surplus.weeks") == std::nullopt);
  CHECK(at("2026-04-20", "config/dp_surplus.weeks") == "6");
  CHECK(at("2026-05-09", "config/dp_surplus.weeks") == "6");
  // As a replay to the day leaves it: the entries dated on or before it,
  // applied in journal order, so the back-dated change, committed last,
  // wins from its date on (what `config show` shows too).
  CHECK(at("2026-05-10", "config/dp_surplus.weeks") == "6");
  // Not served: a paid: or budget: balance.
  REQUIRE(b.ledger()
              .ReadViews([&](const ViewSource& live) -> Status {
                RF_ASSIGN(views, MonthEndViews::Make(live, D("2026-05-31")));
                CHECK(views->Get("bal/budget:B-1").status().code() == Status::Code::kInvalidInput);
                CHECK(!views->ForEach("b", [](std::string_view, std::string_view) { return Status::Ok(); }).ok());
                return Status::Ok();
              })
              .ok());
  RequireViewsMatchJournal(b);
}

}  // namespace rf::test
