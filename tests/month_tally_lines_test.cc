// TallyMonth from the lines the plan read (MonthTallyLines): the same tally
// as reading the month's lines again, and a read again whenever the journal
// has grown since the plan read them.
#include <catch2/catch.hpp>

#include "ledger/core/records.h"
#include "reconcile/month_match.h"
#include "reconcile/month_tally.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::PendingInstalment;
using rf::test::StatementLine;

namespace {

// May 2026: a batch line (RUN-1), a line by end-to-end id, one by amount and
// payee, an ambiguous one, money in, and a line of June (not the month's).
void TallyLinesLoadMay(Books& books) {
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Budget("B-1", "POT-A", "5000.00")});
  books.MustCommit({PendingInstalment("PAY-1", "RUN-1", "100.00", "2026-05-05", "GB11PAYE00000000000001"),
                    PendingInstalment("PAY-2", "RUN-1", "200.00", "2026-05-05", "GB11PAYE00000000000002")});
  books.MustCommit({PendingInstalment("PAY-3", "RUN-2", "50.00", "2026-05-11", "GB11PAYE00000000000003"),
                    PendingInstalment("PAY-4", "RUN-2", "75.00", "2026-05-11", "GB11PAYE00000000000004"),
                    PendingInstalment("PAY-5", "RUN-2", "40.00", "2026-05-11", "GB11PAYE00000000000005"),
                    PendingInstalment("PAY-6", "RUN-2", "40.00", "2026-05-11", "GB11PAYE00000000000005")});
  books.MustCommit({StatementLine("STMT-T", "1", "-300.00", "2026-05-06", "", "", "RUN-1"),
                    StatementLine("STMT-T", "2", "-50.00", "2026-05-12", "GB11PAYE00000000000003", "PAY-3"),
                    StatementLine("STMT-T", "3", "-75.00", "2026-05-12", "GB11PAYE00000000000004"),
                    StatementLine("STMT-T", "4", "-40.00", "2026-05-12", "GB11PAYE00000000000005"),
                    StatementLine("STMT-T", "5", "25.00", "2026-05-13", "GB11FUND00000000000001"),
                    StatementLine("STMT-T", "6", "-9.00", "2026-06-01", "GB11PAYE00000000000009")});
}

const rf::Month kTallyLinesMay = *rf::ParseMonth("2026-05", "month");

rf::MonthMatchPlan TallyLinesPlan(Books& books, rf::MonthTallyLines& lines) {
  auto plan = rf::PlanMonthMatchKeepingLines(books.ledger(), kTallyLinesMay, std::nullopt, rf::test::kTester, lines);
  INFO(plan.status().message());
  REQUIRE(plan.ok());
  return std::move(*plan);
}

// Every member the reports read.
void TallyLinesRequireSame(const rf::MonthTally& a, const rf::MonthTally& b) {
  CHECK(a.lines_in_month == b.lines_in_month);
  CHECK(a.lines_out == b.lines_out);
  CHECK(a.lines_in == b.lines_in);
  CHECK(a.matched_end_to_end_id == b.matched_end_to_end_id);
  CHECK(a.matched_batch == b.matched_batch);
  CHECK(a.matched_amount_payee_date == b.matched_amount_payee_date);
  CHECK(a.matched_by_person == b.matched_by_person);
  CHECK(a.left_for_review == b.left_for_review);
  CHECK(a.unmatched == b.unmatched);
  CHECK(a.lines_in_unmatched == b.lines_in_unmatched);
  CHECK(a.lines_returned == b.lines_returned);
  CHECK(a.payments_settled == b.payments_settled);
  CHECK(a.payments_unsettled == b.payments_unsettled);
  CHECK(a.money_in == b.money_in);
  CHECK(a.money_out == b.money_out);
  REQUIRE(a.matches.size() == b.matches.size());
  for (size_t i = 0; i < a.matches.size(); ++i) {
    CAPTURE(i);
    CHECK(a.matches[i].line_id == b.matches[i].line_id);
    CHECK(a.matches[i].payment_id == b.matches[i].payment_id);
    CHECK(a.matches[i].run_id == b.matches[i].run_id);
    CHECK(a.matches[i].payment_ids == b.matches[i].payment_ids);
    CHECK(a.matches[i].booked_on == b.matches[i].booked_on);
    CHECK(a.matches[i].amount_pence == b.matches[i].amount_pence);
    CHECK(a.matches[i].by == b.matches[i].by);
  }
  REQUIRE(a.returns.size() == b.returns.size());
  for (size_t i = 0; i < a.returns.size(); ++i) {
    CHECK(a.returns[i].line_id == b.returns[i].line_id);
    CHECK(a.returns[i].payment_id == b.returns[i].payment_id);
    CHECK(a.returns[i].booked_on == b.returns[i].booked_on);
    CHECK(a.returns[i].amount_pence == b.returns[i].amount_pence);
  }
}

// The tally from the kept lines, checked against the one read again.
rf::MonthTally TallyLinesFromPlan(Books& books, const rf::MonthMatchPlan& plan, const rf::MonthTallyLines& lines) {
  bool read_again = true;
  auto kept = rf::TallyMonth(books.ledger(), plan, &lines, &read_again);
  INFO(kept.status().message());
  REQUIRE(kept.ok());
  CHECK_FALSE(read_again);
  bool read = false;
  auto reread = rf::TallyMonth(books.ledger(), plan, nullptr, &read);
  REQUIRE(reread.ok());
  CHECK(read);
  TallyLinesRequireSame(*kept, *reread);
  return std::move(*kept);
}

// The tests' set-up: May loaded and planned, the lines the plan read kept
// (read at the journal's size now).
struct TallyLinesMayPlanned {
  static rf::MonthMatchPlan LoadAndPlan(Books& books, rf::MonthTallyLines& lines) {
    TallyLinesLoadMay(books);
    rf::MonthMatchPlan plan = TallyLinesPlan(books, lines);
    REQUIRE(lines.journal_size == books.Size());
    return plan;
  }
  Books books;
  rf::MonthTallyLines lines;
  const rf::MonthMatchPlan plan = LoadAndPlan(books, lines);  // after books and lines: their order
};

}  // namespace

TEST_CASE_METHOD(
    TallyLinesMayPlanned,
    "the tally from the lines the plan read is the tally read again, before and after the month is matched") {
  CHECK(lines.lines_in_month == 5);  // not June's line 6
  CHECK(lines.settled.empty());      // nothing matched yet: the plan keeps the lines
  const rf::MonthTally before = TallyLinesFromPlan(books, plan, lines);
  CHECK(before.matches.size() == 3);
  CHECK(before.matched_batch == 1);
  CHECK(before.left_for_review == 1);
  CHECK(before.money_out == P("465.00"));
  CHECK(before.money_in == P("25.00"));

  // The month settled, and line 4 by a person: every match is now "before".
  books.MustCommit(plan.drafts);
  auto person = [&]() -> rf::Result<std::vector<rf::EntryDraft>> {
    rf::Result<std::vector<rf::EntryDraft>> drafts = rf::Status::InvalidInput("none");
    REQUIRE(books.ledger()
                .ReadViews([&](const rf::ViewSource& views) {
                  drafts = rf::ManualMatchDrafts(views,
                                                 {.bank_line_id = "STMT-T/4",
                                                  .payment_id = "PAY-5",
                                                  .run_id = "",
                                                  .reason = "remittance names PAY-5"},
                                                 rf::test::kTester);
                  return drafts.status();
                })
                .ok());
    return drafts;
  }();
  REQUIRE(person.ok());
  books.MustCommit(*person);
  rf::MonthTallyLines after_lines;
  const rf::MonthMatchPlan again = TallyLinesPlan(books, after_lines);
  CHECK(again.drafts.empty());
  CHECK(after_lines.settled.size() == 4);
  const rf::MonthTally after = TallyLinesFromPlan(books, again, after_lines);
  CHECK(after.matched_batch == 1);
  CHECK(after.matched_end_to_end_id == 1);
  CHECK(after.matched_amount_payee_date == 1);
  CHECK(after.matched_by_person == 1);
  CHECK(after.payments_settled == 5);
  CHECK(after.left_for_review == 0);
}

TEST_CASE_METHOD(TallyLinesMayPlanned,
                 "the tally reads the month's lines again when the journal grew after the plan read them") {
  // Another process loads a May line between the plan and the tally.
  books.MustCommit({StatementLine("STMT-T", "7", "-12.00", "2026-05-20", "GB11PAYE00000000000007")});
  bool read_again = false;
  auto tally = rf::TallyMonth(books.ledger(), plan, &lines, &read_again);
  REQUIRE(tally.ok());
  CHECK(read_again);
  CHECK(tally->lines_in_month == 6);  // line 7 counted: read, not taken from the plan
  CHECK(tally->lines_out == 5);
  CHECK(tally->money_out == P("477.00"));

  // A size not known (an append during the plan's read) reads them too.
  rf::MonthTallyLines unknown = lines;
  unknown.journal_size.reset();
  read_again = false;
  auto unsized = rf::TallyMonth(books.ledger(), plan, &unknown, &read_again);
  REQUIRE(unsized.ok());
  CHECK(read_again);
  CHECK(unsized->lines_in_month == 6);

  // Any size but the journal's now reads them again.
  rf::MonthTallyLines one_less = lines;
  one_less.journal_size = books.Size() - 1;
  read_again = false;
  REQUIRE(rf::TallyMonth(books.ledger(), plan, &one_less, &read_again).ok());
  CHECK(read_again);
}
