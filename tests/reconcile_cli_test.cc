// `ringfence reconcile --month` and `reconcile match` end to end: the
// matcher's proposals settled in one transaction, what is left explained,
// and a person's decision journalled with its reason (or refused, exit 2).
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/core/records.h"
#include "reconcile/month_match.h"
#include "tests/ledger_fixture.h"
#include "tests/body_util.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::PendingInstalment;
using rf::test::RequireViewsMatchJournal;
using rf::test::StatementLine;

namespace {

constexpr char kPayee1[] = "GB11PAYE00000000000001";
constexpr char kPayee2[] = "GB11PAYE00000000000002";
constexpr char kPayee3[] = "GB11PAYE00000000000003";
constexpr char kPayee4[] = "GB11PAYE00000000000004";
constexpr char kPayee5[] = "GB11PAYE00000000000005";
constexpr char kPayee7[] = "GB11PAYE00000000000007";

// May 2026. RUN-1 (Tue 5 May): PAY-1 £100 and PAY-2 £200, reaching the
// statement as one batch debit (line 1). RUN-2 (Mon 11 May): PAY-3 £50
// (line 2 carries its end-to-end id), PAY-4 £75 (line 3: amount and payee
// only), PAY-5 and PAY-6 £40 each to one payee with one line (4) between
// them: ambiguous, and PAY-7 £60 that no line pays. Line 5 is money in.
void LoadMay(Books& books) {
  books.MustCommit({books.Pot("POT-A", "10000.00"), Books::Person("P-1"), Books::Budget("B-1", "POT-A", "5000.00")});
  books.MustCommit({PendingInstalment("PAY-1", "RUN-1", "100.00", "2026-05-05", kPayee1),
                    PendingInstalment("PAY-2", "RUN-1", "200.00", "2026-05-05", kPayee2)});
  books.MustCommit({PendingInstalment("PAY-3", "RUN-2", "50.00", "2026-05-11", kPayee3),
                    PendingInstalment("PAY-4", "RUN-2", "75.00", "2026-05-11", kPayee4),
                    PendingInstalment("PAY-5", "RUN-2", "40.00", "2026-05-11", kPayee5),
                    PendingInstalment("PAY-6", "RUN-2", "40.00", "2026-05-11", kPayee5),
                    PendingInstalment("PAY-7", "RUN-2", "60.00", "2026-05-11", kPayee7)});
  books.MustCommit({StatementLine("STMT-5", "1", "-300.00", "2026-05-06", "", "", "RUN-1"),
                    StatementLine("STMT-5", "2", "-50.00", "2026-05-12", kPayee3, "PAY-3"),
                    StatementLine("STMT-5", "3", "-75.00", "2026-05-12", kPayee4),
                    StatementLine("STMT-5", "4", "-40.00", "2026-05-12", kPayee5),
                    StatementLine("STMT-5", "5", "25.00", "2026-05-13", "GB11FUND00000000000001")});
}

rf::PaymentState StateOf(Books& books, const std::string& payment_id) {
  return rf::test::MustStoredRecord<rf::PaymentRecord>(books, payment_id).state;
}

std::string Cli(Books& books) {
  return std::string(RF_RINGFENCE_BIN) + " --actor finance.manager --ledger " + rf::test::Quote(books.dir());
}

}  // namespace

TEST_CASE("reconcile settles lines matched by end-to-end id, batch and amount+payee+date in one transaction") {
  Books books;
  LoadMay(books);
  const uint64_t before = books.Size();

  auto dry = rf::test::Run(Cli(books) + " reconcile --month 2026-05 --dry-run");
  INFO(dry.output);
  REQUIRE(dry.exit_code == 0);
  CHECK_THAT(dry.output, Catch::Contains("would settle 3 bank lines"));
  CHECK(books.Size() == before);
  CHECK(StateOf(books, "PAY-1") == rf::PaymentState::kPending);

  auto run = rf::test::Run(Cli(books) + " --format json reconcile --month 2026-05");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const auto j = nlohmann::json::parse(run.output);
  for (const char* member :
       {"month", "summary", "matches", "unmatched_lines", "unmatched_payments", "payee_mismatches"}) {
    CHECK(j.contains(member));
  }
  CHECK(j["month"] == "2026-05");
  CHECK(j["summary"]["lines_in_month"] == 5);
  CHECK(j["summary"]["matched"]["end_to_end_id"] == 1);
  CHECK(j["summary"]["matched"]["batch"] == 1);
  CHECK(j["summary"]["matched"]["amount_payee_date"] == 1);
  CHECK(j["summary"]["payments_settled"] == 4);
  CHECK(j["summary"]["payments_unsettled"] == 3);
  CHECK(j["summary"]["money_out"] == "465.00");
  CHECK(j["summary"]["money_in"] == "25.00");
  REQUIRE(j["matches"].size() == 3);
  CHECK(j["matches"][0]["bank_line_id"] == "STMT-5/1");
  CHECK(j["matches"][0]["run_id"] == "RUN-1");
  CHECK(j["matches"][0]["rule"] == "batch");
  CHECK(books.Size() == before + 3 + 1);  // three settlements and the month's flags.raised

  // The ambiguous pair is asked about, with both candidates, not guessed.
  bool ambiguous_listed = false;
  for (const auto& u : j["unmatched_lines"]) {
    if (u["bank_line_id"] != "STMT-5/4") continue;
    ambiguous_listed = true;
    CHECK(u["code"] == "ambiguous");
    CHECK(u["candidates"] == nlohmann::json::array({"PAY-5", "PAY-6"}));
    CHECK_FALSE(u["reason"].get<std::string>().empty());
  }
  CHECK(ambiguous_listed);

  for (const char* settled : {"PAY-1", "PAY-2", "PAY-3", "PAY-4"}) {
    INFO(settled);
    CHECK(StateOf(books, settled) == rf::PaymentState::kSettled);
  }
  for (const char* pending : {"PAY-5", "PAY-6", "PAY-7"}) {
    INFO(pending);
    CHECK(StateOf(books, pending) == rf::PaymentState::kPending);
  }
  auto verify = rf::test::Run(Cli(books) + " verify");
  INFO(verify.output);
  CHECK(verify.exit_code == 0);
  RequireViewsMatchJournal(books);

  // A rerun settles nothing new and says so.
  auto again = rf::test::Run(Cli(books) + " reconcile --month 2026-05");
  INFO(again.output);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.output, Catch::Contains("Nothing new to settle") && Catch::Contains("Matched by batch               1") &&
                               Catch::Contains("Left for you") && Catch::Contains("STMT-5/4") &&
                               Catch::Contains("reconcile match"));
  CHECK(books.Size() == before + 3 + 1);
}

TEST_CASE("reconcile match settles a line left for a person, with reason and actor, and a wrong amount exits 2") {
  Books books;
  LoadMay(books);
  REQUIRE(rf::test::Run(Cli(books) + " reconcile --month 2026-05").exit_code == 0);
  const uint64_t before = books.Size();

  auto wrong =
      rf::test::Run(Cli(books) + " reconcile match --bank-line STMT-5/4 --payment PAY-7 --reason 'paid by phone'");
  INFO(wrong.output);
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.output, Catch::Contains("pays out"));
  CHECK(books.Size() == before);
  CHECK(StateOf(books, "PAY-7") == rf::PaymentState::kPending);

  auto wordless = rf::test::Run(Cli(books) + " reconcile match --bank-line STMT-5/4 --payment PAY-5 --reason '--'");
  CHECK(wordless.exit_code == 2);
  CHECK(books.Size() == before);

  auto dry = rf::test::Run(
      Cli(books) + " reconcile match --bank-line STMT-5/4 --payment PAY-5 --reason 'remittance advice' --dry-run");
  INFO(dry.output);
  CHECK(dry.exit_code == 0);
  CHECK(books.Size() == before);
  CHECK(StateOf(books, "PAY-5") == rf::PaymentState::kPending);

  auto decided = rf::test::Run(Cli(books) + " reconcile match --bank-line STMT-5/4 --payment PAY-5 --reason " +
                               "'remittance advice names PAY-5'");
  INFO(decided.output);
  REQUIRE(decided.exit_code == 0);
  CHECK(books.Size() == before + 2);
  CHECK(StateOf(books, "PAY-5") == rf::PaymentState::kSettled);
  CHECK(StateOf(books, "PAY-6") == rf::PaymentState::kPending);
  auto line = books.ledger().journal().Line(before + 2);
  REQUIRE(line.ok());
  auto note = rf::ParseEntryLine(*line);
  REQUIRE(note.ok());
  CHECK(note->draft.kind == "note");
  CHECK(note->draft.actor == "finance.manager");
  CHECK(rf::test::BodyOf(note->draft)["reason"] == "remittance advice names PAY-5");
  CHECK(rf::test::BodyOf(note->draft)["payment_id"] == "PAY-5");

  auto reused = rf::test::Run(Cli(books) + " reconcile match --bank-line STMT-5/4 --payment PAY-6 --reason " +
                              "'second thoughts'");
  CHECK(reused.exit_code == 2);
  CHECK(books.Size() == before + 2);
  RequireViewsMatchJournal(books);
}

TEST_CASE("the month plan reads only the month's lines and payments run by its end") {
  Books books;
  LoadMay(books);
  rf::Result<rf::MonthMatchPlan> plan = rf::Status::InvalidInput("none");
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                plan = rf::PlanMonthMatch(views, *rf::ParseMonth("2026-04", "month"), std::nullopt, rf::test::kTester);
                return plan.status();
              })
              .ok());
  CHECK(plan->summary.lines_in_month == 0);
  CHECK(plan->payments.empty());  // run in May, after April's end
  CHECK(plan->drafts.empty());
  CHECK(plan->window_business_days == rf::kMatchWindowDefault);
}

namespace {

rf::Result<rf::MonthMatchPlan> PlanMay(Books& books, std::optional<uint32_t> window) {
  rf::Result<rf::MonthMatchPlan> plan = rf::Status::InvalidInput("none");
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                plan = rf::PlanMonthMatch(views, *rf::ParseMonth("2026-05", "month"), window, rf::test::kTester);
                return plan.status();
              })
              .ok());
  return plan;
}

}  // namespace

TEST_CASE("a plan no one commits builds no drafts and proposes the same as one that does") {
  Books books;
  LoadMay(books);
  rf::Result<rf::MonthMatchPlan> built = rf::Status::InvalidInput("none"), bare = rf::Status::InvalidInput("none");
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                const rf::Month may = *rf::ParseMonth("2026-05", "month");
                built = rf::PlanMonthMatch(views, may, std::nullopt, rf::test::kTester);
                bare = rf::PlanMonthMatch(views, may, std::nullopt, rf::test::kTester, {}, rf::MatchDrafts::kNone);
                return built.ok() ? bare.status() : built.status();
              })
              .ok());
  REQUIRE(!built->result.matches.empty());
  CHECK(built->drafts.size() == built->result.matches.size() + built->returns.size());
  CHECK(bare->drafts.empty());
  REQUIRE(bare->result.matches.size() == built->result.matches.size());
  for (size_t i = 0; i < built->result.matches.size(); ++i) {
    CHECK(bare->result.matches[i].line_id == built->result.matches[i].line_id);
    CHECK(bare->result.matches[i].payment_id == built->result.matches[i].payment_id);
    CHECK(bare->result.matches[i].run_id == built->result.matches[i].run_id);
  }
  CHECK(bare->result.unmatched_lines.size() == built->result.unmatched_lines.size());
  CHECK(bare->result.unmatched_payments.size() == built->result.unmatched_payments.size());
  CHECK(bare->returns.size() == built->returns.size());
  CHECK(bare->summary.payments_settled == built->summary.payments_settled);
  CHECK(bare->summary.lines_left == built->summary.lines_left);
}

TEST_CASE("the matching window comes from --window-days, else the journalled setting, else 3 business days") {
  Books books;
  LoadMay(books);
  CHECK(PlanMay(books, std::nullopt)->summary.matched_amount_payee_date == 1);
  books.MustCommit({rf::ConfigSetDraft(rf::kMatchWindowSetting, "0", D("2026-05-01"), rf::test::kTester)});
  auto configured = PlanMay(books, std::nullopt);
  CHECK(configured->window_business_days == 0);
  CHECK(configured->summary.matched_amount_payee_date == 0);  // line 3 is booked a day after its run
  auto given = PlanMay(books, 3);
  CHECK(given->window_business_days == 3);
  CHECK(given->summary.matched_amount_payee_date == 1);

  auto too_wide = rf::test::Run(Cli(books) + " reconcile --month 2026-05 --window-days 67");
  CHECK(too_wide.exit_code == 2);
  CHECK_THAT(too_wide.output, Catch::Contains("at most 66"));
}

TEST_CASE("a line carrying a payment's id and amount but another payee is shown as critical and settles nothing") {
  Books books;
  LoadMay(books);
  books.MustCommit({StatementLine("STMT-5", "6", "-60.00", "2026-05-12", "GB99ELSE00000000009999", "PAY-7")});
  const uint64_t before = books.Size();

  auto text = rf::test::Run(Cli(books) + " reconcile --month 2026-05");
  INFO(text.output);
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.output, Catch::Contains("Critical (1)\n    DIVERSION_PAYEE_MISMATCH  payment:PAY-7  £60.00") &&
                              Catch::Contains("STMT-5/6") && Catch::Contains("****9999"));
  CHECK(books.Size() == before + 3 + 1);  // three settlements and the month's flags.raised
  CHECK(StateOf(books, "PAY-7") == rf::PaymentState::kPending);

  auto json = rf::test::Run(Cli(books) + " --format json reconcile --month 2026-05 --dry-run");
  INFO(json.output);
  REQUIRE(json.exit_code == 0);
  const auto j = nlohmann::json::parse(json.output);
  REQUIRE(j["payee_mismatches"].size() == 1);
  CHECK(j["payee_mismatches"][0]["code"] == "DIVERSION_PAYEE_MISMATCH");
  CHECK(j["payee_mismatches"][0]["severity"] == "critical");
  CHECK(j["payee_mismatches"][0]["payment_id"] == "PAY-7");
  bool listed = false;
  for (const auto& f : j["flags"]) {
    if (f["id"] != "DIVERSION_PAYEE_MISMATCH/payment:PAY-7") continue;
    listed = true;
    CHECK(f["severity"] == "critical");
    CHECK(f["amount_at_stake"] == "60.00");
    CHECK(f["evidence_bank_lines"] == nlohmann::json::array({"STMT-5/6"}));
  }
  CHECK(listed);
  CHECK(j["summary"]["flags"]["critical"].get<uint64_t>() >= 1);
  CHECK(rf::test::Run(Cli(books) + " reconcile --month 2026-05 --dry-run --fail-on critical").exit_code == 1);
  CHECK_FALSE(j.contains("entries"));  // what a run journalled is not the month's result
  CHECK(books.Size() == before + 3 + 1);
}

TEST_CASE("a dry run lists the flags the real run does: payments it would settle are not unsettled") {
  Books books;
  LoadMay(books);
  auto ids = [](const std::string& output) {
    std::vector<std::string> out;
    const auto j = nlohmann::json::parse(output);
    for (const auto& f : j["flags"]) out.push_back(f["id"].get<std::string>());
    return out;
  };
  auto dry = rf::test::Run(Cli(books) + " --format json reconcile --month 2026-05 --dry-run");
  INFO(dry.output);
  REQUIRE(dry.exit_code == 0);
  auto run = rf::test::Run(Cli(books) + " --format json reconcile --month 2026-05");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const std::vector<std::string> dry_ids = ids(dry.output), run_ids = ids(run.output);
  CHECK(dry_ids == run_ids);
  // PAY-7 (run 11 May) reaches no statement line: unsettled at 31 May.
  CAPTURE(run_ids);
  REQUIRE_FALSE(run_ids.empty());
  CHECK(std::find(run_ids.begin(), run_ids.end(), "UNSETTLED_PAYMENT/payment:PAY-7") != run_ids.end());
  CHECK(std::find(run_ids.begin(), run_ids.end(), "UNSETTLED_PAYMENT/payment:PAY-1") == run_ids.end());
}

namespace {

// The stored text of a record (its bytes), "" when there is none.
std::string UnmatchStoredText(Books& books, rf::RecordKind kind, const std::string& id) {
  std::string out;
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                auto text = views.Get(rf::RecordKey(kind, id));
                if (!text.ok()) return text.status();
                if (text->has_value()) out = std::string(**text);
                return rf::Status::Ok();
              })
              .ok());
  return out;
}

rf::BankLineRecord UnmatchLineOf(Books& books, const std::string& line_id) {
  return rf::test::MustStoredRecord<rf::BankLineRecord>(books, line_id);
}

}  // namespace

TEST_CASE("reconcile unmatch returns a payment, or a whole run, to pending and the line to unmatched, as they were") {
  Books books;
  LoadMay(books);
  const std::vector<std::pair<rf::RecordKind, std::string>> records = {
      {rf::RecordKind::kPayment, "PAY-1"},     {rf::RecordKind::kPayment, "PAY-2"},
      {rf::RecordKind::kPayment, "PAY-3"},     {rf::RecordKind::kRun, "RUN-1"},
      {rf::RecordKind::kBankLine, "STMT-5/1"}, {rf::RecordKind::kBankLine, "STMT-5/2"}};
  std::vector<std::string> before_settlement;
  for (const auto& [kind, id] : records) before_settlement.push_back(UnmatchStoredText(books, kind, id));
  REQUIRE(rf::test::Run(Cli(books) + " reconcile --month 2026-05").exit_code == 0);
  REQUIRE(StateOf(books, "PAY-3") == rf::PaymentState::kSettled);
  REQUIRE(StateOf(books, "PAY-1") == rf::PaymentState::kSettled);
  CHECK(UnmatchStoredText(books, rf::RecordKind::kPayment, "PAY-3") != before_settlement[2]);
  const uint64_t settled = books.Size();

  auto wordless = rf::test::Run(Cli(books) + " reconcile unmatch --bank-line STMT-5/2 --reason '--'");
  INFO(wordless.output);
  CHECK(wordless.exit_code == 2);
  CHECK(books.Size() == settled);

  auto dry = rf::test::Run(Cli(books) + " reconcile unmatch --bank-line STMT-5/2 --reason 'wrong payee' --dry-run");
  INFO(dry.output);
  CHECK(dry.exit_code == 0);
  CHECK(books.Size() == settled);
  CHECK(StateOf(books, "PAY-3") == rf::PaymentState::kSettled);

  auto one = rf::test::Run(Cli(books) + " reconcile unmatch --bank-line STMT-5/2 --reason 'the bank recalled it'");
  INFO(one.output);
  REQUIRE(one.exit_code == 0);
  CHECK(books.Size() == settled + 1);
  CHECK(StateOf(books, "PAY-3") == rf::PaymentState::kPending);
  CHECK(UnmatchLineOf(books, "STMT-5/2").state == rf::BankLineState::kUnmatched);
  CHECK(UnmatchLineOf(books, "STMT-5/2").payment_id.empty());
  auto entry_line = books.ledger().journal().Line(settled + 1);
  REQUIRE(entry_line.ok());
  auto entry = rf::ParseEntryLine(*entry_line);
  REQUIRE(entry.ok());
  CHECK(entry->draft.kind == "payment.unsettled");
  CHECK(entry->draft.actor == "finance.manager");
  CHECK(rf::test::BodyOf(entry->draft)["reason"] == "the bank recalled it");

  auto again = rf::test::Run(Cli(books) + " reconcile unmatch --bank-line STMT-5/2 --reason 'the bank recalled it'");
  INFO(again.output);
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.output, Catch::Contains("is not matched"));  // BANK_LINE_NOT_MATCHED: refusal_codes_test
  CHECK(books.Size() == settled + 1);

  // A batch line: every payment of its run pending again.
  auto batch = rf::test::Run(Cli(books) + " reconcile unmatch --bank-line STMT-5/1 --reason 'batch was returned'");
  INFO(batch.output);
  REQUIRE(batch.exit_code == 0);
  CHECK(StateOf(books, "PAY-1") == rf::PaymentState::kPending);
  CHECK(StateOf(books, "PAY-2") == rf::PaymentState::kPending);
  CHECK(StateOf(books, "PAY-4") == rf::PaymentState::kSettled);
  CHECK(UnmatchLineOf(books, "STMT-5/1").state == rf::BankLineState::kUnmatched);
  for (size_t i = 0; i < records.size(); ++i) {
    INFO(records[i].second);
    CHECK(UnmatchStoredText(books, records[i].first, records[i].second) == before_settlement[i]);
  }

  auto verify = rf::test::Run(Cli(books) + " verify");
  INFO(verify.output);
  CHECK(verify.exit_code == 0);
  RequireViewsMatchJournal(books);

  // The next month run may match the lines again.
  auto rerun = rf::test::Run(Cli(books) + " reconcile --month 2026-05");
  INFO(rerun.output);
  REQUIRE(rerun.exit_code == 0);
  CHECK(StateOf(books, "PAY-1") == rf::PaymentState::kSettled);
  CHECK(StateOf(books, "PAY-3") == rf::PaymentState::kSettled);
  RequireViewsMatchJournal(books);
}

// stdout only: what a run journalled goes to stderr.
rf::test::RunResult ReconcileStdout(Books& books, const std::string& args) {
  return rf::test::Run("(" + Cli(books) + " " + args + " 2>/dev/null)");
}

// Reconcile's stdout with the result's tree size taken out (json:
// result.tree_size; text: the line naming it).
std::string ReconcileWithoutTreeSize(const std::string& output, const std::string& format) {
  if (format == "json") {
    auto j = nlohmann::json::parse(output);
    if (j["result"].is_object()) j["result"].erase("tree_size");
    return j.dump();
  }
  std::string out;
  size_t from = 0;
  while (from < output.size()) {
    size_t end = output.find('\n', from);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(from, end - from);
    if (line.find("from the journal's first") == std::string::npos) out += line + "\n";
    from = end + 1;
  }
  return out;
}

bool SameButTreeSize(const std::string& a, const std::string& b, const std::string& format) {
  return ReconcileWithoutTreeSize(a, format) == ReconcileWithoutTreeSize(b, format);
}

TEST_CASE("reconciling a month again prints the same text and json, by tier and by person, and journals nothing") {
  for (const char* format : {"text", "json"}) {
    CAPTURE(format);
    Books books;
    LoadMay(books);
    const std::string args = std::string("--format ") + format + " reconcile --month 2026-05";
    auto first = ReconcileStdout(books, args);
    REQUIRE(first.exit_code == 0);
    const uint64_t size = books.Size();
    auto second = ReconcileStdout(books, args);
    REQUIRE(second.exit_code == 0);
    // The same, but for the size the result is computed at: the first run
    // recorded its flags (flags.raised) after computing it. The hash is the same.
    CHECK(SameButTreeSize(second.output, first.output, format));
    CHECK(books.Size() == size);
    // A dry run now reads the same month too (less the result's hash: a dry
    // run hashes nothing).
    const std::string dry = ReconcileStdout(books, args + " --dry-run").output;
    if (std::string(format) == "json") {
      auto real_json = nlohmann::json::parse(first.output), dry_json = nlohmann::json::parse(dry);
      CHECK(dry_json["dry_run"] == true);
      CHECK(dry_json["result"].is_null());
      for (const char* member : {"dry_run", "result", "sign_off"}) {
        real_json.erase(member);
        dry_json.erase(member);
      }
      CHECK(dry_json == real_json);
    } else {
      // (Both end with what they reflect, reconcile/provenance.h: left out here.)
      CHECK(dry.substr(0, dry.find("\nComputed from the journal")) ==
            first.output.substr(0, first.output.find("\nResult sha256")));
    }

    // A person's decision is counted as theirs, on every later run.
    REQUIRE(rf::test::Run(Cli(books) + " reconcile match --bank-line STMT-5/4 --payment PAY-5 --reason " +
                          "'remittance advice names PAY-5'")
                .exit_code == 0);
    auto decided = ReconcileStdout(books, args);
    REQUIRE(decided.exit_code == 0);
    const uint64_t decided_size = books.Size();
    CHECK(SameButTreeSize(ReconcileStdout(books, args).output, decided.output, format));
    CHECK(books.Size() == decided_size);
    if (std::string(format) == "text") {
      CHECK_THAT(first.output, Catch::Contains("Matched by a person            0") &&
                                   Catch::Contains("Auto-match rate                75.0% of money-out lines") &&
                                   Catch::Contains("Left for review                1"));
      CHECK_THAT(decided.output, Catch::Contains("Matched by a person            1") &&
                                     Catch::Contains("Auto-match rate                75.0% of money-out lines") &&
                                     Catch::Contains("Left for review                0") &&
                                     Catch::Contains("STMT-5/4   PAY-5"));
    } else {
      const auto before = nlohmann::json::parse(first.output);
      CHECK(before["summary"]["matched"] ==
            nlohmann::json({{"end_to_end_id", 1}, {"batch", 1}, {"amount_payee_date", 1}, {"person", 0}}));
      CHECK(before["summary"]["auto_match_rate_pct"] == "75.0");
      CHECK(before["summary"]["left_for_review"] == 1);
      CHECK(before["summary"]["payments_settled"] == 4);
      const auto after = nlohmann::json::parse(decided.output);
      CHECK(after["summary"]["matched"]["person"] == 1);
      CHECK(after["summary"]["left_for_review"] == 0);
      CHECK(after["summary"]["payments_settled"] == 5);
      REQUIRE(after["matches"].size() == 4);
      CHECK(after["matches"][3]["bank_line_id"] == "STMT-5/4");
      CHECK(after["matches"][3]["rule"] == "person");
      CHECK(after["matches"][0]["payment_ids"] == nlohmann::json::array({"PAY-1", "PAY-2"}));
    }
  }
}

// The "Dry run: would settle ..." note is a line of its own on stderr and
// the report on stdout ends its last line: a tool that shows stdout with its
// final newline trimmed and stderr after it (as some terminals and agent
// shells do) runs the two together ("...signed at that size.Dry run: ..."),
// which is the display's doing, not the program's.
TEST_CASE("a text dry run ends its report with a newline and notes on stderr what it would settle, on its own line") {
  Books books;
  LoadMay(books);
  const std::string command = Cli(books) + " reconcile --month 2026-05 --dry-run";
  const auto out = rf::test::Run("(" + command + " 2>/dev/null)");
  REQUIRE(out.exit_code == 0);
  REQUIRE_FALSE(out.output.empty());
  CHECK(out.output.back() == '\n');
  CHECK(out.output.find("Dry run:") == std::string::npos);
  const auto err = rf::test::Run("(" + command + " 2>&1 >/dev/null)");
  INFO(err.output);
  REQUIRE(err.exit_code == 0);
  CHECK(err.output.rfind("Dry run: would settle 3 bank lines (", 0) == 0);
  CHECK(err.output.ends_with("; nothing journalled.\n"));
  CHECK(std::count(err.output.begin(), err.output.end(), '\n') == 1);
  const auto both = rf::test::Run(command);
  CHECK(both.output.rfind("Dry run: would settle 3 bank lines", 0) == 0);
  CHECK(both.output.find(".Dry run:") == std::string::npos);
}
