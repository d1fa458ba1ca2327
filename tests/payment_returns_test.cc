// Returned payments (issue 17 item 3): the pure return matcher, the
// payment.returned entry's guards and postings, PAYMENT_RETURNED, and the
// whole path through `reconcile --month`, `pay` and `verify`.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/core/records.h"
#include "ledger/core/rules.h"
#include "ledger/payments/payment_run.h"
#include "reconcile/match_returns.h"
#include "reconcile/month_match.h"
#include "reconcile/returned_flags.h"
#include "tests/ledger_fixture.h"
#include "tests/body_util.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::RequireViewsMatchJournal;
using rf::test::StatementLine;

namespace {

constexpr char kReturnsPayee[] = "GB82WEST12345698765432";  // Books' provider and budget payee
constexpr char kReturnsOtherPayee[] = "GB11PAYE00000000000009";

rf::BankLineIn ReturnsInflow(const std::string& id, const char* amount, const char* booked_on, const std::string& payee,
                             const std::string& e2e = "") {
  return {.line_id = id,
          .booked_on = D(booked_on),
          .amount_pence = P(amount),
          .end_to_end_id = e2e,
          .batch_id = "",
          .payee_ref = payee};
}

rf::SettledPaymentIn ReturnsSettled(const std::string& id, const char* amount, const char* settled_on,
                                    const std::string& payee) {
  return {.payment_id = id,
          .settled_on = D(settled_on),
          .amount_pence = P(amount),
          .payee_ref = payee,
          .end_to_end_id = id,
          .returnable = true,
          .state = "settled"};
}

rf::ReturnMatchResult ReturnsMatch(const std::vector<rf::BankLineIn>& lines,
                                   const std::vector<rf::SettledPaymentIn>& payments, uint32_t window = 3) {
  auto result = rf::MatchReturns(lines, payments, {window});
  INFO(result.status().message());
  REQUIRE(result.ok());
  REQUIRE(result->returns.size() + result->unmatched_lines.size() == lines.size());
  return *result;
}

// ---- Books: B-1 (direct payment, 1,200 from POT-A), provider V-1 ----

// Instalment `id` of run RUN-R on 2026-05-05 to the budget's payee.
rf::EntryDraft ReturnsInstalment(const std::string& id, const char* amount = "100.00") {
  return rf::test::PendingInstalment(id, "RUN-R", amount, "2026-05-05", kReturnsPayee);
}

rf::EntryDraft ReturnedOf(const std::string& payment, const std::string& line, const char* on,
                          const char* amount = "100.00") {
  return rf::PaymentReturnedDraft({.payment_id = payment,
                                   .bank_line_id = line,
                                   .purpose = "instalment",
                                   .budget_id = "B-1",
                                   .provider_id = "",
                                   .amount = P(amount),
                                   .booked_on = D(on)},
                                  rf::test::kTester);
}

rf::PaymentRecord ReturnsPayment(Books& books, const std::string& id) {
  return rf::test::MustStoredRecord<rf::PaymentRecord>(books, id);
}

rf::InvoiceRecord ReturnsInvoice(Books& books, const std::string& id) {
  return rf::test::MustStoredRecord<rf::InvoiceRecord>(books, id);
}

// The trial balance: every bal/ key summed.
rf::Pence ReturnsTrialBalance(Books& books) {
  rf::Pence sum;
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                return views.ForEach(rf::kBalancePrefix, [&](std::string_view, std::string_view value) {
                  sum += *rf::ParseBalanceAmount(value, "balance");
                  return rf::Status::Ok();
                });
              })
              .ok());
  return sum;
}

// B-1 pays PAY-1 (100.00) on Tue 5 May 2026; line S settles it on Wed 6 May.
void ReturnsSettledInstalment(Books& books) {
  books.Standard();
  books.MustCommit(
      {ReturnsInstalment("PAY-1"), StatementLine("STMT-R", "S", "-100.00", "2026-05-06", kReturnsPayee, "PAY-1")});
  books.MustCommit({rf::PaymentSettledDraft("PAY-1", "STMT-R/S", D("2026-05-06"), rf::test::kTester)});
}

std::string ReturnsCli(Books& books) {
  return std::string(RF_RINGFENCE_BIN) + " --actor finance.manager --ledger " + rf::test::Quote(books.dir());
}

}  // namespace

// ---- the pure matcher ----

TEST_CASE("an inflow carrying a settled payment's end-to-end id and amount returns it") {
  const auto r = ReturnsMatch({ReturnsInflow("L1", "100.00", "2026-06-20", kReturnsPayee, "PAY-1")},
                              {ReturnsSettled("PAY-1", "100.00", "2026-05-06", kReturnsPayee)});
  REQUIRE(r.returns.size() == 1);
  CHECK(r.returns[0].payment_id == "PAY-1");
  CHECK(r.returns[0].rule == rf::MatchRule::kEndToEndId);
  CHECK(r.returns[0].amount_pence == P("100.00"));
}

TEST_CASE("a return by end-to-end id a penny off, or from another payee, is left with the reason") {
  const std::vector<rf::SettledPaymentIn> paid = {ReturnsSettled("PAY-1", "100.00", "2026-05-06", kReturnsPayee)};
  SECTION("a penny short") {
    const auto r = ReturnsMatch({ReturnsInflow("L1", "99.99", "2026-05-07", kReturnsPayee, "PAY-1")}, paid);
    CHECK(r.returns.empty());
    CHECK(r.unmatched_lines[0].code == rf::UnmatchedCode::kAmountDiffers);
  }
  SECTION("a penny over") {
    const auto r = ReturnsMatch({ReturnsInflow("L1", "100.01", "2026-05-07", kReturnsPayee, "PAY-1")}, paid);
    CHECK(r.returns.empty());
  }
  SECTION("another payee") {
    const auto r = ReturnsMatch({ReturnsInflow("L1", "100.00", "2026-05-07", kReturnsOtherPayee, "PAY-1")}, paid);
    CHECK(r.returns.empty());
    CHECK(r.unmatched_lines[0].code == rf::UnmatchedCode::kPayeeDiffers);
  }
  SECTION("no payee on the line: the id and amount confirm it") {
    const auto r = ReturnsMatch({ReturnsInflow("L1", "100.00", "2026-05-07", "", "PAY-1")}, paid);
    CHECK(r.returns.size() == 1);
  }
  SECTION("an id of a payment not settled is explained, not matched to another by amount") {
    rf::SettledPaymentIn pending = ReturnsSettled("PAY-2", "100.00", "2026-05-06", kReturnsPayee);
    pending.returnable = false;
    pending.state = "pending";
    const auto r =
        ReturnsMatch({ReturnsInflow("L1", "100.00", "2026-05-07", kReturnsPayee, "PAY-2")}, {paid[0], pending});
    CHECK(r.returns.empty());
    CHECK_THAT(r.unmatched_lines[0].reason, Catch::Contains("pending"));
  }
}

TEST_CASE("an inflow of the amount from the payee within the window after settlement returns it, and a day later not") {
  // Settled Wed 6 May 2026; 3 business days later is Mon 11 May.
  const std::vector<rf::SettledPaymentIn> paid = {ReturnsSettled("PAY-1", "100.00", "2026-05-06", kReturnsPayee)};
  const auto inside = ReturnsMatch({ReturnsInflow("L1", "100.00", "2026-05-11", kReturnsPayee)}, paid);
  REQUIRE(inside.returns.size() == 1);
  CHECK(inside.returns[0].rule == rf::MatchRule::kAmountPayeeDate);
  const auto outside = ReturnsMatch({ReturnsInflow("L1", "100.00", "2026-05-12", kReturnsPayee)}, paid);
  CHECK(outside.returns.empty());
  CHECK(outside.unmatched_lines[0].code == rf::UnmatchedCode::kInflow);
  const auto before = ReturnsMatch({ReturnsInflow("L1", "100.00", "2026-05-05", kReturnsPayee)}, paid);
  CHECK(before.returns.empty());
  const auto penny = ReturnsMatch({ReturnsInflow("L1", "99.99", "2026-05-07", kReturnsPayee)}, paid);
  CHECK(penny.returns.empty());
  const auto wider = ReturnsMatch({ReturnsInflow("L1", "100.00", "2026-05-12", kReturnsPayee)}, paid, 4);
  CHECK(wider.returns.size() == 1);
}

TEST_CASE("an inflow that could return either of two equal payments is left for a person with both listed") {
  const auto r = ReturnsMatch({ReturnsInflow("L1", "40.00", "2026-05-08", kReturnsPayee)},
                              {ReturnsSettled("PAY-5", "40.00", "2026-05-06", kReturnsPayee),
                               ReturnsSettled("PAY-6", "40.00", "2026-05-07", kReturnsPayee)});
  CHECK(r.returns.empty());
  REQUIRE(r.unmatched_lines.size() == 1);
  CHECK(r.unmatched_lines[0].code == rf::UnmatchedCode::kAmbiguous);
  CHECK(r.unmatched_lines[0].related == std::vector<std::string>{"PAY-5", "PAY-6"});
  // Two lines claiming the one payment: neither is guessed.
  const auto two = ReturnsMatch({ReturnsInflow("L1", "40.00", "2026-05-08", kReturnsPayee),
                                 ReturnsInflow("L2", "40.00", "2026-05-08", kReturnsPayee)},
                                {ReturnsSettled("PAY-5", "40.00", "2026-05-06", kReturnsPayee)});
  CHECK(two.returns.empty());
}

// ---- the entry ----

TEST_CASE("payment.returned puts an instalment back in the budget, uses the line, and verify agrees") {
  Books books;
  ReturnsSettledInstalment(books);
  CHECK(books.Balance("dp:B-1") == P("100.00"));
  CHECK(books.Balance("budget:B-1") == P("1100.00"));
  books.MustCommit({StatementLine("STMT-R", "R", "100.00", "2026-05-08", kReturnsPayee, "PAY-1")});
  books.MustCommit({ReturnedOf("PAY-1", "STMT-R/R", "2026-05-08")});
  CHECK(books.Balance("dp:B-1") == P("0.00"));
  CHECK(books.Balance("budget:B-1") == P("1200.00"));
  CHECK(ReturnsTrialBalance(books).is_zero());
  const rf::PaymentRecord p = ReturnsPayment(books, "PAY-1");
  CHECK(p.state == rf::PaymentState::kReturned);
  CHECK(p.return_line_id == "STMT-R/R");
  CHECK(p.returned_on == D("2026-05-08"));
  const auto line = books.Record("bankline/STMT-R/R");
  REQUIRE(line.has_value());
  CHECK((*line)["state"] == "matched");
  CHECK((*line)["returned_payment_id"] == "PAY-1");
  RequireViewsMatchJournal(books);

  SECTION("a second return of it is refused") {
    books.MustCommit({StatementLine("STMT-R", "R2", "100.00", "2026-05-09", kReturnsPayee, "PAY-1")});
    const auto again = books.Commit({ReturnedOf("PAY-1", "STMT-R/R2", "2026-05-09")});
    CHECK(again.status().refusal_code() == rf::refusal::kAlreadyReturned);
  }
  SECTION("neither its settlement nor its return is undone by unmatch") {
    const auto settlement =
        books.Commit({rf::PaymentUnsettledDraft("STMT-R/S", "matched in error", D("2026-05-06"), rf::test::kTester)});
    CHECK(settlement.status().refusal_code() == rf::refusal::kPaymentWasReturned);
    const auto ret =
        books.Commit({rf::PaymentUnsettledDraft("STMT-R/R", "matched in error", D("2026-05-08"), rf::test::kTester)});
    CHECK(ret.status().refusal_code() == rf::refusal::kPaymentWasReturned);
  }
}

TEST_CASE("a return of a payment not settled, or a penny off, is refused and changes nothing") {
  Books books;
  books.Standard();
  books.MustCommit({ReturnsInstalment("PAY-1"), StatementLine("STMT-R", "R", "100.00", "2026-05-08", kReturnsPayee)});
  const auto pending = books.Commit({ReturnedOf("PAY-1", "STMT-R/R", "2026-05-08")});
  CHECK(pending.status().refusal_code() == rf::refusal::kReturnNotSettled);
  books.MustCommit({StatementLine("STMT-R", "S", "-100.00", "2026-05-06", kReturnsPayee),
                    StatementLine("STMT-R", "P", "99.99", "2026-05-08", kReturnsPayee)});
  books.MustCommit({rf::PaymentSettledDraft("PAY-1", "STMT-R/S", D("2026-05-06"), rf::test::kTester)});
  const uint64_t size = books.Size();
  const auto penny = books.Commit({ReturnedOf("PAY-1", "STMT-R/P", "2026-05-08")});
  CHECK(penny.status().refusal_code() == rf::refusal::kReturnAmount);
  CHECK(books.Size() == size);
  CHECK(books.Balance("dp:B-1") == P("100.00"));
}

// ---- reconcile, flags, pay, verify ----

TEST_CASE("reconcile settles and returns an invoice payment, PAYMENT_RETURNED once, pay pays it again, verify") {
  Books books;
  books.Standard();
  books.MustCommit(
      {rf::ConfigSetDraft("bank.debtor_iban", "GB29NWBK60161331926819", D("2026-04-01"), rf::test::kTester),
       rf::InvoiceReceivedDraft(
           {"INV-1", "V-1", "B-1", "therapy", "April", P("150.00"), D("2026-04-02"), D("2026-04-30"), D("2026-05-02")},
           rf::test::kTester),
       rf::InvoiceApprovedDraft("INV-1", "B-1", "V-1", P("150.00"), D("2026-05-04"), rf::test::kTester)});
  auto run = rf::MakePaymentRun(books.ledger(), D("2026-05-05"), {"tester", "pay"}, false);
  INFO(run.status().message());
  REQUIRE(run.ok());
  CHECK(books.Balance("paid:V-1") == P("150.00"));
  // Settled Wed 6 May by end-to-end id; back on Fri 8 May with no id.
  books.MustCommit({StatementLine("STMT-R", "1", "-150.00", "2026-05-06", kReturnsPayee, "PAY-INV-1"),
                    StatementLine("STMT-R", "2", "150.00", "2026-05-08", kReturnsPayee)});
  const std::string cli = ReturnsCli(books);
  auto first = rf::test::Run(cli + " reconcile --month 2026-05 --format json");
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  const auto j = nlohmann::json::parse(first.output);
  CHECK(j["summary"]["returned"] == 1);
  REQUIRE(j["returns"].size() == 1);
  CHECK(j["returns"][0]["payment_id"] == "PAY-INV-1");
  int returned_flags = 0;
  for (const auto& f : j["flags"]) {
    if (f["code"] != "PAYMENT_RETURNED") continue;
    ++returned_flags;
    CHECK(f["entity"] == "payment:PAY-INV-1");
    CHECK(f["amount_at_stake"] == "150.00");
    CHECK(f["severity"] == "warning");
    CHECK(f["evidence_bank_lines"] == nlohmann::json::array({"STMT-R/2"}));
    CHECK(f["evidence_seqs"].size() == 1);
    CHECK_THAT(f["sentence"].get<std::string>(),
               Catch::Contains("payable:B-1:V-1") && Catch::Contains("second person"));
  }
  CHECK(returned_flags == 1);
  for (const auto& f : j["flags"]) CHECK(f["code"] != "UNMATCHED_BANK_LINE");
  // MonthEndFlags reads the payments once: the flags from payments already
  // read are those of a scan, in May (one) and June (none); and the plan
  // hands its caller every line booked in the month.
  rf::Status read = books.ledger().ReadViews([](const rf::ViewSource& views) -> rf::Status {
    std::vector<rf::PaymentFlagFacts> payments;
    RF_RETURN_IF_ERROR(rf::ForEachRecord<rf::PaymentRecord>(views, [&](const rf::PaymentRecord& p) -> rf::Status {
      payments.push_back(rf::PaymentFlagFactsOf(p));
      return rf::Status::Ok();
    }));
    for (const rf::Month month : {rf::Month{2026, 5}, rf::Month{2026, 6}}) {
      RF_ASSIGN(scanned, rf::ReturnedPaymentFlags(views, month));
      RF_ASSIGN(of, rf::ReturnedPaymentFlagsOf(payments, month));
      CHECK(scanned.size() == (month.month == 5 ? 1U : 0U));
      REQUIRE(of.size() == scanned.size());
      for (size_t i = 0; i < of.size(); ++i) {
        CHECK(rf::FlagId(of[i]) == rf::FlagId(scanned[i]));
        CHECK(rf::SentenceOf(of[i]) == rf::SentenceOf(scanned[i]));
        CHECK(of[i].evidence_seqs == scanned[i].evidence_seqs);
        CHECK(rf::BankLinesOf(of[i]) == rf::BankLinesOf(scanned[i]));
      }
      std::vector<std::string> handed;
      RF_ASSIGN(plan, rf::PlanMonthMatch(views, month, std::nullopt, {"tester", "test"},
                                         [&](const rf::BankLineSettlementFacts& r) -> rf::Status {
                                           handed.push_back(r.line_id);
                                           return rf::Status::Ok();
                                         }));
      CHECK(handed.size() == plan.summary.lines_in_month);
      CHECK(handed == (month.month == 5 ? std::vector<std::string>{"STMT-R/1", "STMT-R/2"}
                                          : std::vector<std::string>{}));
    }
    return rf::Status::Ok();
  });
  INFO(read.message());
  CHECK(read.ok());

  CHECK(books.Balance("paid:V-1") == P("0.00"));
  CHECK(books.Balance("payable:B-1:V-1") == P("150.00"));
  CHECK(ReturnsTrialBalance(books).is_zero());
  CHECK(ReturnsInvoice(books, "INV-1").state == rf::InvoiceState::kApproved);
  CHECK(ReturnsPayment(books, "PAY-INV-1").state == rf::PaymentState::kReturned);

  // A rerun journals nothing new and reports the same flag.
  const uint64_t size = books.Size();
  auto second = rf::test::Run(cli + " reconcile --month 2026-05 --format json");
  REQUIRE(second.exit_code == 0);
  CHECK(books.Size() == size);
  const auto j2 = nlohmann::json::parse(second.output);
  CHECK_FALSE(j2.contains("entries"));
  int again = 0;
  for (const auto& f : j2["flags"]) again += f["code"] == "PAYMENT_RETURNED" ? 1 : 0;
  CHECK(again == 1);
  // The next month does not raise it again.
  auto june = rf::test::Run(cli + " reconcile --month 2026-06 --format csv");
  REQUIRE(june.exit_code == 0);
  CHECK_THAT(june.output, !Catch::Contains("PAYMENT_RETURNED"));

  // The next run pays the invoice again, under its repayment id.
  auto repay = rf::MakePaymentRun(books.ledger(), D("2026-05-20"), {"tester", "pay"}, false);
  INFO(repay.status().message());
  REQUIRE(repay.ok());
  bool repaid = false;
  for (const auto& p : repay->plan.payments) repaid = repaid || p.payment_id == "PAY-INV-1-R1";
  CHECK(repaid);
  CHECK(books.Balance("paid:V-1") == P("150.00"));
  CHECK(books.Balance("payable:B-1:V-1") == P("0.00"));
  CHECK(ReturnsInvoice(books, "INV-1").payment_id == "PAY-INV-1-R1");
  auto verify = rf::test::Run(cli + " verify");
  INFO(verify.output);
  CHECK(verify.exit_code == 0);
}

TEST_CASE("reconcile returns an instalment by end-to-end id, and the next run pays the instalment again") {
  Books books;
  books.Standard();
  books.MustCommit(
      {rf::ConfigSetDraft("bank.debtor_iban", "GB29NWBK60161331926819", D("2026-04-01"), rf::test::kTester)});
  auto run = rf::MakePaymentRun(books.ledger(), D("2026-04-02"), {"tester", "pay"}, false);
  INFO(run.status().message());
  REQUIRE(run.ok());
  std::string id;
  rf::Pence amount;
  for (const auto& p : run->plan.payments) {
    if (p.budget_id != "B-1") continue;
    id = p.payment_id;
    amount = p.amount;
  }
  REQUIRE(!id.empty());
  const std::string out = "-" + amount.ToDecimal(), in = amount.ToDecimal();
  books.MustCommit({StatementLine("STMT-R", "1", out.c_str(), "2026-04-03", kReturnsPayee, id),
                    StatementLine("STMT-R", "2", in.c_str(), "2026-04-28", kReturnsPayee, id)});
  const std::string cli = ReturnsCli(books);
  auto rec = rf::test::Run(cli + " reconcile --month 2026-04");
  INFO(rec.output);
  REQUIRE(rec.exit_code == 0);
  CHECK_THAT(rec.output, Catch::Contains("PAYMENT_RETURNED") && Catch::Contains("Returned"));
  CHECK(ReturnsPayment(books, id).state == rf::PaymentState::kReturned);
  CHECK(books.Balance("dp:B-1").is_zero());
  CHECK(books.Balance("budget:B-1") == P("1200.00"));
  auto repay = rf::MakePaymentRun(books.ledger(), D("2026-04-29"), {"tester", "pay"}, false);
  INFO(repay.status().message());
  REQUIRE(repay.ok());
  std::vector<std::string> repaid;
  for (const auto& p : repay->plan.payments) repaid.push_back(p.payment_id);
  CHECK(repaid == std::vector<std::string>{id + "-R1"});
  for (const auto& w : repay->plan.warnings) CHECK(w.code != "MANUAL_INSTALMENT");
  CHECK(books.Balance("dp:B-1") == amount);
  auto verify = rf::test::Run(cli + " verify");
  INFO(verify.output);
  CHECK(verify.exit_code == 0);
}

TEST_CASE("a returned instalment the holder already reported spending is left for a person, not refused") {
  Books books;
  ReturnsSettledInstalment(books);
  books.MustCommit({Books::Move("dp:B-1", "spent:B-1:care", "100.00", "2026-05-07"),
                    StatementLine("STMT-R", "R", "100.00", "2026-05-08", kReturnsPayee, "PAY-1")});
  const uint64_t size = books.Size();
  auto rec = rf::test::Run(ReturnsCli(books) + " reconcile --month 2026-05 --format json");
  INFO(rec.output);
  REQUIRE(rec.exit_code == 0);
  CHECK(books.Size() == size + 1);  // the month's flags.raised entry only: no return
  const auto j = nlohmann::json::parse(rec.output);
  CHECK(j["summary"]["returned"] == 0);
  bool left = false;
  for (const auto& u : j["unmatched_lines"]) {
    if (u["bank_line_id"] != "STMT-R/R") continue;
    left = true;
    CHECK_THAT(u["reason"].get<std::string>(), Catch::Contains("dp:B-1 holds only"));
  }
  CHECK(left);
  CHECK(ReturnsPayment(books, "PAY-1").state == rf::PaymentState::kSettled);
}

TEST_CASE("a payment settled and returned in the same month is settled, then returned, in one reconcile") {
  Books books;
  books.Standard();
  books.MustCommit({ReturnsInstalment("PAY-1"),
                    StatementLine("STMT-R", "S", "-100.00", "2026-05-06", kReturnsPayee, "PAY-1"),
                    StatementLine("STMT-R", "R", "100.00", "2026-05-07", kReturnsPayee, "PAY-1")});
  auto rec = rf::test::Run(ReturnsCli(books) + " reconcile --month 2026-05 --format json");
  INFO(rec.output);
  REQUIRE(rec.exit_code == 0);
  const auto j = nlohmann::json::parse(rec.output);
  CHECK(j["summary"]["matched"]["end_to_end_id"] == 1);
  CHECK(j["summary"]["returned"] == 1);
  CHECK(ReturnsPayment(books, "PAY-1").state == rf::PaymentState::kReturned);
  CHECK(books.Balance("budget:B-1") == P("1200.00"));
  RequireViewsMatchJournal(books);
}

TEST_CASE("a person records a return by hand: payment.returned without postings gets them filled in") {
  Books books;
  ReturnsSettledInstalment(books);
  books.MustCommit({StatementLine("STMT-R", "R", "100.00", "2026-05-08", kReturnsPayee)});
  rf::EntryDraft draft;
  draft.kind = rf::kind::kPaymentReturned;
  draft.effective = D("2026-05-08");
  draft.actor = "finance.manager";
  draft.source = "returns.json";
  rf::test::SetBody(&draft, {{"payment_id", "PAY-1"}, {"bank_line_id", "STMT-R/R"}, {"amount", "100.00"}});
  books.MustCommit({draft});
  CHECK(books.Balance("budget:B-1") == P("1200.00"));
  CHECK(books.Balance("dp:B-1").is_zero());
  RequireViewsMatchJournal(books);
}

TEST_CASE("a month with no money in keeps every unmatched line's reason (the return tier changes nothing)") {
  Books books;
  books.Standard();
  books.MustCommit(
      {ReturnsInstalment("PAY-1"), StatementLine("STMT-R", "X", "-40.00", "2026-05-06", kReturnsOtherPayee)});
  Books* b = &books;
  std::optional<rf::MonthMatchPlan> plan;
  REQUIRE(b->ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                auto planned = rf::PlanMonthMatch(views, {2026, 5}, std::nullopt, rf::test::kTester);
                if (!planned.ok()) return planned.status();
                plan = std::move(*planned);
                return rf::Status::Ok();
              })
              .ok());
  REQUIRE(plan->result.unmatched_lines.size() == 1);
  CHECK(plan->result.unmatched_lines[0].id == "STMT-R/X");
  CHECK_FALSE(plan->result.unmatched_lines[0].reason.empty());
  CHECK(plan->returns.empty());
  CHECK(plan->summary.lines_inflow == 0);
}
