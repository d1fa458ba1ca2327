// The provider tables of the equality report (reconcile/equality.h) read the
// provider payments index (ledger/core/records.h, "Provider payments index")
// instead of every payment record. Over random ledgers committed through
// LMDB (invoices paid by runs dated either side of the financial year's
// start, settled, unmatched, returned, cancelled), the tables from the index
// equal the tables from the full scan the report made before (kept here as
// the oracle) for as-of dates either side of the year's start, at every step.

#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "ledger/core/amendment_kinds.h"
#include "ledger/core/records.h"
#include "reconcile/equality.h"
#include "reconcile/equality_internal.h"
#include "tests/ledger_fixture.h"

namespace rf::equality_index_test {
namespace {

using rf::test::Books;
using rf::test::D;
using rf::test::kTester;

constexpr char kEqIdxPayee[] = "GB82WEST12345698765432";

// The oracle: the scan of every payment record the provider tables made
// before the index, with the invoice of each read back for its received date.
equality_internal::ProviderPaymentSource EqIdxScannedPayments(const ViewSource& views) {
  return [&views](Date year_start, Date as_of, const equality_internal::ProviderPaidFn& fn) -> Status {
    return ForEachRecord<PaymentRecord>(views, [&](const PaymentRecord& pay) -> Status {
      if (pay.purpose != PaymentPurpose::kInvoice) return Status::Ok();
      if (pay.state == PaymentState::kReturned || pay.state == PaymentState::kCancelled) return Status::Ok();
      if (pay.run_date < year_start || pay.run_date > as_of) return Status::Ok();
      auto invoice = FindRecord<InvoiceRecord>(views, pay.invoice_id);
      if (!invoice.ok()) return invoice.status();
      if (!invoice->has_value()) return Status::Tampered("payment " + pay.payment_id + " names no invoice");
      return fn({.provider_id = pay.provider_id,
                 .amount = pay.amount,
                 .days_to_pay = DaysBetween((*invoice)->received_on, pay.run_date)});
    });
  };
}

std::vector<std::string> EqIdxRendered(const std::vector<Table>& tables) {
  std::vector<std::string> out;
  for (const Table& t : tables) out.push_back(RenderJson(t).dump());
  return out;
}

// The provider tables as of `as_of`, from the index (through the report's own
// entry point) and from the scan, each rendered.
struct EqIdxBoth {
  std::vector<std::string> indexed, scanned;
};
EqIdxBoth EqIdxTables(Books& books, Date as_of, uint64_t threshold) {
  EqIdxBoth both;
  REQUIRE(books.ledger()
              .ReadViews([&](const ViewSource& views) -> Status {
                RF_ASSIGN(all, BuildEqualityTables(views, as_of, EqualityOptions{.by = EqualityBy::kNone,
                                                                                 .threshold = threshold}));
                REQUIRE(all.size() >= 2);
                both.indexed = EqIdxRendered({all.end() - 2, all.end()});
                RF_ASSIGN(scanned,
                          equality_internal::ProviderTables(views, as_of, threshold, EqIdxScannedPayments(views)));
                both.scanned = EqIdxRendered(scanned);
                return Status::Ok();
              })
              .ok());
  return both;
}

class EqIdxGenerator {
 public:
  EqIdxGenerator(Books& books, uint32_t seed) : books_(books), rng_(seed) {}

  Date today() const { return D("2026-03-10").AddDays(day_); }

  // One random operation, committed or refused (a refusal changes nothing).
  std::string Step() {
    day_ += static_cast<int>(Pick(3));
    std::vector<InvoiceRecord> approved;
    std::vector<PaymentRecord> pending, settled;
    std::vector<BankLineRecord> matched;
    REQUIRE(books_.ledger()
                .ReadViews([&](const ViewSource& views) -> Status {
                  RF_RETURN_IF_ERROR(ForEachRecord<InvoiceRecord>(views, [&](const InvoiceRecord& r) {
                    if (r.state == InvoiceState::kApproved) approved.push_back(r);
                    return Status::Ok();
                  }));
                  RF_RETURN_IF_ERROR(ForEachRecord<PaymentRecord>(views, [&](const PaymentRecord& r) {
                    if (r.state == PaymentState::kPending) pending.push_back(r);
                    if (r.state == PaymentState::kSettled) settled.push_back(r);
                    return Status::Ok();
                  }));
                  return ForEachRecord<BankLineRecord>(views, [&](const BankLineRecord& r) {
                    if (r.state == BankLineState::kMatched && r.returned_payment_id.empty()) matched.push_back(r);
                    return Status::Ok();
                  });
                })
                .ok());
    const Date on = today();
    switch (Pick(8)) {
      case 0:
      case 1: {  // an invoice received (up to 30 days back) and approved
        const std::string id = "INV-" + std::to_string(++invoices_);
        const std::string provider = "V-" + std::to_string(1 + Pick(5));
        const std::string budget = Pick(2) == 0 ? "B-1" : "B-2";
        const Date received = on.AddDays(-static_cast<int>(Pick(30)));
        const Pence amount = Pence::FromPence(100 * static_cast<int64_t>(1 + Pick(30)));
        return Try("invoice", {InvoiceReceivedDraft({.invoice_id = id,
                                                     .provider_id = provider,
                                                     .budget_id = budget,
                                                     .category = "therapy",
                                                     .description = "sessions",
                                                     .amount = amount,
                                                     .service_from = received,
                                                     .service_to = received,
                                                     .received_on = received},
                                                    kTester),
                               InvoiceApprovedDraft(id, budget, provider, amount, on, kTester)});
      }
      case 2:
      case 3: {  // an approved invoice paid by a run, sometimes dated back a few days
        if (approved.empty()) return "none";
        const InvoiceRecord& invoice = approved[Pick(approved.size())];
        PaymentFields f;
        f.payment_id = "PAY-" + std::to_string(++payments_);
        f.run_id = "RUN-" + std::to_string(payments_ / 3);
        f.purpose = "invoice";
        f.invoice_id = invoice.invoice_id;
        f.budget_id = invoice.budget_id;  // the postings' accounts
        f.provider_id = invoice.provider_id;
        f.payee_ref = kEqIdxPayee;
        f.amount = invoice.amount;
        f.run_date = on.AddDays(-static_cast<int>(Pick(4)));
        return Try("paid", {PaymentPendingDraft(f, kTester)});
      }
      case 4: {  // a line settles one pending payment
        if (pending.empty()) return "none";
        const PaymentRecord& p = pending[Pick(pending.size())];
        const std::string line = NextLine();
        return Try("settled", {Line(line, -p.amount, on),
                               PaymentSettledDraft(p.payment_id, "STMT-E/" + line, on, kTester)});
      }
      case 5: {  // a person undoes a match
        if (matched.empty()) return "none";
        const BankLineRecord& l = matched[Pick(matched.size())];
        return Try("unsettled", {PaymentUnsettledDraft(BankLineId(l.statement_id, l.line_id), "the wrong payment",
                                                       on, kTester)});
      }
      case 6: {  // the bank returns a settled payment
        if (settled.empty()) return "none";
        const PaymentRecord& p = settled[Pick(settled.size())];
        const std::string line = NextLine();
        return Try("returned", {Line(line, p.amount, on),
                                PaymentReturnedDraft({.payment_id = p.payment_id,
                                                      .bank_line_id = "STMT-E/" + line,
                                                      .purpose = std::string(ToString(p.purpose)),
                                                      .budget_id = p.budget_id,
                                                      .provider_id = p.provider_id,
                                                      .amount = p.amount,
                                                      .booked_on = on},
                                                     kTester)});
      }
      default: {  // a pending payment withdrawn
        if (pending.empty()) return "none";
        const PaymentRecord& p = pending[Pick(pending.size())];
        return Try("cancelled", {PaymentCancelledDraft(p.payment_id, "sent in error", on, kTester)});
      }
    }
  }

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::string NextLine() { return "L" + std::to_string(++lines_); }
  static EntryDraft Line(const std::string& line_id, const Pence& amount, Date on) {
    return rf::test::StatementLine("STMT-E", line_id, amount, on, kEqIdxPayee);
  }
  std::string Try(const std::string& what, std::vector<EntryDraft> drafts) {
    return books_.Commit(std::move(drafts)).ok() ? what : "refused";
  }

  Books& books_;
  std::mt19937 rng_;
  int day_ = 0;
  int invoices_ = 0, payments_ = 0, lines_ = 0;
};

// Pots and notional budgets from before the year begins (2026-04-01), and
// five providers over three sizes, community-led or not.
void EqIdxSetUp(Books& books) {
  books.MustCommit({books.Pot("POT-A", "900000.00", "2026-01-05"), books.Pot("POT-B", "900000.00", "2026-01-05"),
                    Books::Person("P-1"), Books::Person("P-2"),
                    Books::Budget("B-1", "POT-A", "400000.00", "2026-01-10", "P-1", "notional"),
                    Books::Budget("B-2", "POT-B", "400000.00", "2026-01-10", "P-2", "notional")});
  const char* sizes[] = {"micro", "small", "small", "large", "major"};
  for (int i = 1; i <= 5; ++i) {
    books.MustCommit({ProviderDraft({"V-" + std::to_string(i), "Provider " + std::to_string(i), "vcse", sizes[i - 1],
                                     kEqIdxPayee, i % 2 == 0, true},
                                    D("2026-01-05"), kTester)});
  }
}

}  // namespace

TEST_CASE("property: the provider tables from the provider payments index equal those from a scan of every payment",
          "[property]") {
  const char* env = std::getenv("RF_PROPERTY_SEQUENCES");
  const int sequences = env != nullptr ? std::max(1, std::atoi(env) / 100) : 8;
  std::map<std::string, int> tried;
  int compared_nonempty = 0;
  for (int seq = 0; seq < sequences; ++seq) {
    INFO("sequence " << seq);
    Books books;
    EqIdxSetUp(books);
    EqIdxGenerator gen(books, 104729u * static_cast<uint32_t>(seq) + 3u);
    std::mt19937 pick(static_cast<uint32_t>(seq));
    for (int step = 0; step < 70; ++step) {
      const std::string what = gen.Step();
      ++tried[what];
      INFO("step " << step << ": " << what);
      // As of each side of the year's start, today, and a day in between.
      const Date today = gen.today();
      const Date between = D("2026-03-10").AddDays(static_cast<int>(pick() % 120));
      for (const Date as_of : {D("2026-03-31"), D("2026-04-01"), today, today.AddDays(-1), between}) {
        INFO("as of " << as_of.ToIso());
        const uint64_t threshold = 1 + pick() % 3;
        const EqIdxBoth both = EqIdxTables(books, as_of, threshold);
        CHECK(both.indexed == both.scanned);
        if (both.indexed != EqIdxTables(books, as_of, threshold).indexed) FAIL("not repeatable");
        if (!both.scanned.empty() && both.scanned.back().find("\"Total\",\"0\"") == std::string::npos) {
          ++compared_nonempty;
        }
      }
    }
    rf::test::RequireViewsMatchJournal(books);
  }
  for (const char* what : {"invoice", "paid", "settled", "unsettled", "returned", "cancelled"}) {
    INFO(what);
    CHECK(tried[what] > 0);
  }
  CHECK(compared_nonempty > 0);
}

TEST_CASE("the provider tables count a payment run on the year's first day and on the as-of day, not a day outside") {
  Books books;
  EqIdxSetUp(books);
  const auto pay = [&](const std::string& n, const char* received, const char* run) {
    const std::string invoice = "INV-" + n;
    books.MustCommit({InvoiceReceivedDraft({.invoice_id = invoice,
                                            .provider_id = "V-1",
                                            .budget_id = "B-1",
                                            .category = "therapy",
                                            .description = "sessions",
                                            .amount = rf::test::P("10.00"),
                                            .service_from = D(received),
                                            .service_to = D(received),
                                            .received_on = D(received)},
                                           kTester),
                      InvoiceApprovedDraft(invoice, "B-1", "V-1", rf::test::P("10.00"), D(received), kTester)});
    PaymentFields f;
    f.payment_id = "PAY-" + n;
    f.run_id = "RUN-" + n;
    f.purpose = "invoice";
    f.invoice_id = invoice;
    f.budget_id = "B-1";
    f.provider_id = "V-1";
    f.payee_ref = kEqIdxPayee;
    f.amount = rf::test::P("10.00");
    f.run_date = D(run);
    books.MustCommit({PaymentPendingDraft(f, kTester)});
  };
  pay("1", "2026-03-20", "2026-03-31");  // the year before
  pay("2", "2026-03-25", "2026-04-01");  // the year's first day: 7 days to pay
  pay("3", "2026-06-01", "2026-06-30");  // the as-of day: 29 days
  pay("4", "2026-06-01", "2026-07-01");  // the day after
  std::vector<Table> tables;
  REQUIRE(books.ledger()
              .ReadViews([&](const ViewSource& views) -> Status {
                RF_ASSIGN(all, BuildEqualityTables(views, D("2026-06-30"),
                                                   EqualityOptions{.by = EqualityBy::kNone, .threshold = 1}));
                tables = std::move(all);
                return Status::Ok();
              })
              .ok());
  const Table& by_size = tables[tables.size() - 2];
  REQUIRE(by_size.title.starts_with("Provider diversity by size"));
  // One provider, 20.00 of spend, days 7 and 29: median 18.
  CHECK(by_size.total == std::vector<std::string>{"Total", "1", "20.00", "100.0", "18"});
  // A cancelled payment is not spend: it never left (its invoice is paid again).
  books.MustCommit({PaymentCancelledDraft("PAY-3", "sent in error", D("2026-06-30"), kTester)});
  REQUIRE(books.ledger()
              .ReadViews([&](const ViewSource& views) -> Status {
                RF_ASSIGN(all, BuildEqualityTables(views, D("2026-06-30"),
                                                   EqualityOptions{.by = EqualityBy::kNone, .threshold = 1}));
                tables = std::move(all);
                return Status::Ok();
              })
              .ok());
  CHECK(tables[tables.size() - 2].total == std::vector<std::string>{"Total", "1", "10.00", "100.0", "7"});
}

TEST_CASE("the equality tables refuse views without the provider payments index, naming views rebuild") {
  MemoryViews views;
  views.values[std::string(kViewFormKey)] = "1";  // the month indexes only
  auto tables = BuildEqualityTables(views, D("2026-06-30"), EqualityOptions{});
  REQUIRE_FALSE(tables.ok());
  CHECK(tables.status().code() == Status::Code::kRefused);
  CHECK_THAT(tables.status().message(), Catch::Contains("`ringfence views rebuild`"));
  views.values[std::string(kViewFormKey)] = std::string(kViewForm);
  CHECK(BuildEqualityTables(views, D("2026-06-30"), EqualityOptions{}).ok());
  // An index value that does not parse is damage, named by its key.
  views.values[ProviderPaymentKey(D("2026-05-01"), "PAY-1")] = "V-1 10.5 3";
  auto damaged = BuildEqualityTables(views, D("2026-06-30"), EqualityOptions{});
  REQUIRE_FALSE(damaged.ok());
  CHECK_THAT(damaged.status().message(), Catch::Contains("view provpay/2026-05-01/PAY-1"));
}

TEST_CASE("a provider payments index value reads back as written, and a malformed one is Tampered") {
  const std::string key = ProviderPaymentKey(D("2026-05-01"), "PAY-7");
  for (const int64_t days : {int64_t{-3}, int64_t{0}, int64_t{45}}) {
    auto p = ParseProviderPayment(key, ProviderPaymentValue("V-1", rf::test::P("1234.50"), days));
    REQUIRE(p.ok());
    CHECK(p->run_date == D("2026-05-01"));
    CHECK(p->payment_id == "PAY-7");
    CHECK(p->provider_id == "V-1");
    CHECK(p->amount == rf::test::P("1234.50"));
    CHECK(p->days_to_pay == days);
  }
  for (const char* bad : {"", "V-1", "V-1 10.00", "V-1 10.00 3 4", " 10.00 3", "V-1 10 3", "V-1 10.00 -0",
                          "V-1 10.00 03", "V-1 10.00 x", "V-1 10.00 "}) {
    INFO(bad);
    auto p = ParseProviderPayment(key, bad);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == Status::Code::kTampered);
  }
  CHECK_FALSE(ParseProviderPayment("provpay/2026-5-01/PAY-7", "V-1 10.00 3").ok());
  CHECK_FALSE(ParseProviderPayment("provpay/2026-05-01/", "V-1 10.00 3").ok());
}

}  // namespace rf::equality_index_test
