// The month indexes (ledger/core/records.h, "Month indexes") and the
// provider payments index ("Provider payments index"): over random
// sequences of payment runs (instalments and invoices), settlements (alone
// and by run), unmatches, returns and cancellations, committed through
// LMDB, each index equals what a full scan of the bankline/, payment/ and
// invoice/ records says after every commit, and verify's replay writes the
// same (so `views rebuild` does too).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ledger/audit/ledger_verify.h"
#include "ledger/core/amendment_kinds.h"
#include "ledger/core/records.h"
#include "reconcile/month_match.h"
#include "tests/flag_indexes_scan.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;

namespace {

constexpr char kIndexesPayee[] = "GB82WEST12345698765432";

using IndexMap = std::map<std::string, std::string>;

// Every key under `prefix`, with its value, as stored.
IndexMap IndexesStored(Books& books, const std::string& prefix) {
  IndexMap out;
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                return views.ForEach(prefix, [&](std::string_view k, std::string_view v) {
                  out.emplace(std::string(k), std::string(v));
                  return rf::Status::Ok();
                });
              })
              .ok());
  return out;
}

struct IndexesWorld {
  std::vector<rf::BankLineRecord> lines;
  std::vector<rf::PaymentRecord> payments;
  std::vector<rf::RunRecord> runs;
  std::map<std::string, rf::InvoiceRecord> invoices;
};

IndexesWorld IndexesRead(Books& books) {
  IndexesWorld w;
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) -> rf::Status {
                RF_RETURN_IF_ERROR(rf::ForEachRecord<rf::BankLineRecord>(views, [&](const rf::BankLineRecord& r) {
                  w.lines.push_back(r);
                  return rf::Status::Ok();
                }));
                RF_RETURN_IF_ERROR(rf::ForEachRecord<rf::PaymentRecord>(views, [&](const rf::PaymentRecord& r) {
                  w.payments.push_back(r);
                  return rf::Status::Ok();
                }));
                RF_RETURN_IF_ERROR(rf::ForEachRecord<rf::InvoiceRecord>(views, [&](const rf::InvoiceRecord& r) {
                  w.invoices.emplace(r.invoice_id, r);
                  return rf::Status::Ok();
                }));
                return rf::ForEachRecord<rf::RunRecord>(views, [&](const rf::RunRecord& r) {
                  w.runs.push_back(r);
                  return rf::Status::Ok();
                });
              })
              .ok());
  return w;
}

// The indexes as a full scan of the records says they must be.
void IndexesCheck(Books& books) {
  const IndexesWorld w = IndexesRead(books);
  IndexMap line_months, pending, settled, provider_payments;
  for (const rf::BankLineRecord& r : w.lines) {
    line_months[rf::LineMonthKey(r.booked_on, rf::BankLineId(r.statement_id, r.line_id))] = r.booked_on.ToIso();
  }
  for (const rf::PaymentRecord& r : w.payments) {
    if (r.state == rf::PaymentState::kPending) pending[rf::PendingPaymentKey(r.payment_id)] = r.run_date.ToIso();
    if (r.state == rf::PaymentState::kSettled) {
      REQUIRE(r.settled_on.has_value());
      settled[rf::SettledPaymentKey(*r.settled_on, r.payment_id)] = r.bank_line_id;
    }
    // Invoice payments neither returned nor cancelled, by run date.
    const bool paid = r.state == rf::PaymentState::kPending || r.state == rf::PaymentState::kSettled;
    if (r.purpose == rf::PaymentPurpose::kInvoice && paid) {
      REQUIRE(w.invoices.contains(r.invoice_id));
      provider_payments[rf::ProviderPaymentKey(r.run_date, r.payment_id)] = rf::ProviderPaymentValue(
          r.provider_id, r.amount, rf::DaysBetween(w.invoices.at(r.invoice_id).received_on, r.run_date));
    }
  }
  CHECK(IndexesStored(books, rf::LineMonthKey(D("2026-01-01"), "").substr(0, 10)) == line_months);
  CHECK(IndexesStored(books, rf::PendingPaymentPrefix()) == pending);
  CHECK(IndexesStored(books, rf::SettledPaymentPrefix()) == settled);
  CHECK(IndexesStored(books, rf::ProviderPaymentPrefix()) == provider_payments);
  // And the flag indexes (records.h, "Flag indexes"): instalments run,
  // returned and cancelled here.
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                CHECK(rf::test::FlagIndexesStored(views) == rf::test::FlagIndexesFromScan(views));
                return rf::Status::Ok();
              })
              .ok());
  const IndexMap form = IndexesStored(books, std::string(rf::kViewFormKey));
  CHECK(form == IndexMap{{std::string(rf::kViewFormKey), std::string(rf::kViewForm)}});
}

class IndexesGenerator {
 public:
  IndexesGenerator(Books& books, uint32_t seed) : books_(books), rng_(seed) {}

  // One random operation, committed or refused (a refusal changes nothing).
  // Returns the kind of operation tried, for the tally.
  std::string Step() {
    day_ += Pick(3);
    const rf::Date today = D("2026-05-01").AddDays(day_);
    const IndexesWorld w = IndexesRead(books_);
    std::vector<const rf::PaymentRecord*> pending, settled;
    for (const auto& p : w.payments) {
      if (p.state == rf::PaymentState::kPending) pending.push_back(&p);
      if (p.state == rf::PaymentState::kSettled) settled.push_back(&p);
    }
    std::vector<const rf::InvoiceRecord*> approved;
    for (const auto& [id, invoice] : w.invoices) {
      if (invoice.state == rf::InvoiceState::kApproved) approved.push_back(&invoice);
    }
    std::vector<const rf::BankLineRecord*> matched;
    for (const auto& l : w.lines) {
      if (l.state == rf::BankLineState::kMatched && l.returned_payment_id.empty()) matched.push_back(&l);
    }
    switch (Pick(10)) {
      case 0:
      case 1: {  // a payment joins the open run (a new one now and then)
        if (run_ == 0 || Pick(4) == 0) ++run_;
        rf::PaymentFields f;
        f.payment_id = "PAY-" + std::to_string(++payments_);
        f.run_id = "RUN-" + std::to_string(run_);
        f.purpose = "instalment";
        f.budget_id = Pick(2) == 0 ? "B-1" : "B-2";
        f.payee_ref = kIndexesPayee;
        f.amount = rf::Pence::FromPence(100 * (1 + Pick(20)));
        f.run_date = today;
        return Try("pending", {rf::PaymentPendingDraft(f, rf::test::kTester)});
      }
      case 2: {  // a line settles one pending payment
        if (pending.empty()) return "none";
        const rf::PaymentRecord& p = *pending[Pick(pending.size())];
        const std::string line = NextLine();
        return Try("settled", {Line(line, -p.amount, today),
                               rf::PaymentSettledDraft(p.payment_id, "STMT-X/" + line, today, rf::test::kTester)});
      }
      case 3: {  // a batch line settles a whole run
        if (w.runs.empty()) return "none";
        const rf::RunRecord& r = w.runs[Pick(w.runs.size())];
        const std::string line = NextLine();
        return Try("run settled", {Line(line, -r.total, today),
                                   rf::RunSettledDraft(r.run_id, "STMT-X/" + line, today, rf::test::kTester)});
      }
      case 4: {  // a person undoes a match
        if (matched.empty()) return "none";
        const rf::BankLineRecord& l = *matched[Pick(matched.size())];
        return Try("unsettled", {rf::PaymentUnsettledDraft(rf::BankLineId(l.statement_id, l.line_id),
                                                           "matched to the wrong payment", today, rf::test::kTester)});
      }
      case 5: {  // the bank returns a settled payment
        if (settled.empty()) return "none";
        const rf::PaymentRecord& p = *settled[Pick(settled.size())];
        const std::string line = NextLine();
        const bool invoice = p.purpose == rf::PaymentPurpose::kInvoice;
        return Try(invoice ? "invoice returned" : "returned", {Line(line, p.amount, today),
                                rf::PaymentReturnedDraft({.payment_id = p.payment_id,
                                                          .bank_line_id = "STMT-X/" + line,
                                                          .purpose = std::string(rf::ToString(p.purpose)),
                                                          .budget_id = p.budget_id,
                                                          .provider_id = p.provider_id,
                                                          .amount = p.amount,
                                                          .booked_on = today},
                                                         rf::test::kTester)});
      }
      case 6: {  // a pending payment withdrawn
        if (pending.empty()) return "none";
        const rf::PaymentRecord& p = *pending[Pick(pending.size())];
        return Try(p.purpose == rf::PaymentPurpose::kInvoice ? "invoice cancelled" : "cancelled",
                   {rf::PaymentCancelledDraft(p.payment_id, "the holder asked to stop it", today, rf::test::kTester)});
      }
      case 8: {  // an invoice received (up to 40 days back) and approved
        const std::string id = "INV-" + std::to_string(++invoices_);
        const rf::Date received = today.AddDays(-static_cast<int>(Pick(40)));
        const rf::Pence amount = rf::Pence::FromPence(100 * (1 + Pick(20)));
        return Try("invoice", {rf::InvoiceReceivedDraft({.invoice_id = id,
                                                         .provider_id = "V-1",
                                                         .budget_id = "B-1",
                                                         .category = "therapy",
                                                         .description = "sessions",
                                                         .amount = amount,
                                                         .service_from = received,
                                                         .service_to = received,
                                                         .received_on = received},
                                                        rf::test::kTester),
                               rf::InvoiceApprovedDraft(id, "B-1", "V-1", amount, today, rf::test::kTester)});
      }
      case 9: {  // an approved invoice paid: joins the open run
        if (approved.empty()) return "none";
        const rf::InvoiceRecord& invoice = *approved[Pick(approved.size())];
        if (run_ == 0 || Pick(4) == 0) ++run_;
        rf::PaymentFields f;
        f.payment_id = "PAY-" + std::to_string(++payments_);
        f.run_id = "RUN-" + std::to_string(run_);
        f.purpose = "invoice";
        f.invoice_id = invoice.invoice_id;
        f.budget_id = invoice.budget_id;  // the postings' accounts
        f.provider_id = invoice.provider_id;
        f.payee_ref = kIndexesPayee;
        f.amount = invoice.amount;
        f.run_date = today;
        return Try("invoice paid", {rf::PaymentPendingDraft(f, rf::test::kTester)});
      }
      default: {  // a line nothing settles (money in or out)
        const std::string line = NextLine();
        return Try("line", {Line(line, rf::Pence::FromPence((Pick(2) == 0 ? -1 : 1) * (1 + Pick(5000))), today)});
      }
    }
  }

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::string NextLine() { return "L" + std::to_string(++lines_); }
  static rf::EntryDraft Line(const std::string& line_id, const rf::Pence& amount, rf::Date on) {
    return rf::test::StatementLine("STMT-X", line_id, amount, on, kIndexesPayee);
  }
  std::string Try(const std::string& what, std::vector<rf::EntryDraft> drafts) {
    auto r = books_.Commit(std::move(drafts));
    return r.ok() ? what : "refused";
  }

  Books& books_;
  std::mt19937 rng_;
  int day_ = 0;
  int run_ = 0, payments_ = 0, lines_ = 0, invoices_ = 0;
};

}  // namespace

TEST_CASE("property: the month indexes equal a full scan of the records after every commit, and verify replays them",
          "[property]") {
  const char* env = std::getenv("RF_PROPERTY_SEQUENCES");
  const int sequences = env != nullptr ? std::max(1, std::atoi(env) / 100) : 20;
  std::map<std::string, int> tried;
  for (int seq = 0; seq < sequences; ++seq) {
    INFO("sequence " << seq);
    Books books;
    books.Standard();
    IndexesGenerator gen(books, 7919u * static_cast<uint32_t>(seq) + 17u);
    for (int step = 0; step < 60; ++step) {
      const std::string what = gen.Step();
      ++tried[what];
      INFO("step " << step << ": " << what);
      IndexesCheck(books);
    }
    rf::test::RequireViewsMatchJournal(books);
  }
  // Every kind of change was made, not only tried.
  for (const char* what :
       {"pending", "settled", "run settled", "unsettled", "returned", "cancelled", "line", "invoice", "invoice paid",
        "invoice returned", "invoice cancelled"}) {
    INFO(what);
    CHECK(tried[what] > 0);
  }
}

TEST_CASE("a month's plan reads the month's line and a payment run in it through the indexes, and not a month before") {
  Books books;
  books.Standard();
  books.MustCommit({rf::test::PendingInstalment("PAY-1", "RUN-1", "10.00", "2026-05-05", kIndexesPayee),
                    rf::test::StatementLine("STMT-X", "L1", "-10.00", "2026-05-06", kIndexesPayee, "PAY-1")});
  const auto plan = [&](const char* month) {
    std::optional<rf::Result<rf::MonthMatchPlan>> out;
    REQUIRE(books.ledger()
                .ReadViews([&](const rf::ViewSource& views) {
                  out = rf::PlanMonthMatch(views, *rf::ParseMonth(month, "month"), std::nullopt, rf::test::kTester);
                  return rf::Status::Ok();
                })
                .ok());
    REQUIRE(out.has_value());
    return std::move(*out);
  };
  auto may = plan("2026-05");
  INFO(may.status().message());
  REQUIRE(may.ok());
  CHECK(may->summary.lines_in_month == 1);
  CHECK(may->payments.size() == 1);
  CHECK(may->result.matches.size() == 1);
  auto april = plan("2026-04");  // the payment is run after April: not read
  REQUIRE(april.ok());
  CHECK(april->summary.lines_in_month == 0);
  CHECK(april->payments.empty());
}
