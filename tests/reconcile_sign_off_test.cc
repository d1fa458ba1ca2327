// A month's reconciliation result as one hash (reconcile/month_result.h),
// computed from the journal as it stood at a tree size (sign_off.h);
// `reconcile --month M --sign-off NAME` journals it and `--check` recomputes
// it (issue 17 item 10).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "crypto/sha256.h"
#include "ledger/core/canonical_json.h"
#include "ledger/core/records.h"
#include "reconcile/month_real_run.h"
#include "reconcile/month_result.h"
#include "reconcile/month_tally.h"
#include "reconcile/sign_off.h"
#include "tests/ledger_fixture.h"
#include "tests/body_util.h"
#include "tests/test_util.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;
using rf::test::PendingInstalment;
using rf::test::StatementLine;

namespace {

constexpr char kSignOffPayee1[] = "GB11PAYE00000000000001";
constexpr char kSignOffPayee2[] = "GB11PAYE00000000000002";
constexpr char kSignOffPayee3[] = "GB11PAYE00000000000003";

// May 2026: PAY-1 £50 settled by its end-to-end id (line 1), PAY-2 £75 by
// amount and payee (line 2), PAY-3 £60 on no statement; a line of money in
// (3); an invoice from a small VCSE provider received 25 April nobody pays
// (DELAY_INVOICE at the end of May under the 10-day limit).
void SignOffLoadMay(Books& books) {
  books.MustOpenOneBudget();
  books.MustCommit({rf::InvoiceReceivedDraft({"INV-7", "V-1", "B-1", "activities", "Art group, April", P("120.00"),
                                              D("2026-04-20"), D("2026-04-24"), D("2026-04-25")},
                                             rf::test::kTester)});
  books.MustCommit({PendingInstalment("PAY-1", "RUN-1", "50.00", "2026-05-11", kSignOffPayee1),
                    PendingInstalment("PAY-2", "RUN-1", "75.00", "2026-05-11", kSignOffPayee2),
                    PendingInstalment("PAY-3", "RUN-1", "60.00", "2026-05-11", kSignOffPayee3)});
  books.MustCommit({StatementLine("STMT-5", "1", "-50.00", "2026-05-12", kSignOffPayee1, "PAY-1"),
                    StatementLine("STMT-5", "2", "-75.00", "2026-05-12", kSignOffPayee2),
                    StatementLine("STMT-5", "3", "25.00", "2026-05-13", "GB11FUND00000000000001")});
}

// June loaded later: a run and its statement line.
void SignOffLoadJune(Books& books) {
  books.MustCommit({PendingInstalment("PAY-9", "RUN-9", "30.00", "2026-06-08", kSignOffPayee1)});
  books.MustCommit({StatementLine("STMT-6", "1", "-30.00", "2026-06-09", kSignOffPayee1, "PAY-9")});
}

std::string SignOffCli(Books& books) {
  return std::string(RF_RINGFENCE_BIN) + " --actor finance.manager --ledger " + rf::test::Quote(books.dir());
}

std::optional<rf::SignOffRecord> SignOffOf(Books& books, const std::string& month) {
  return rf::test::StoredRecord<rf::SignOffRecord>(books, month);
}

rf::MonthResultHashes SignOffHashAt(Books& books, uint64_t tree_size) {
  auto result = rf::MonthResultAt(books.ledger(), *rf::ParseMonth("2026-05", "month"), tree_size, std::nullopt);
  INFO(result.status().message());
  REQUIRE(result.ok());
  auto hashes = rf::HashMonthResult(*result);
  REQUIRE(hashes.ok());
  return *hashes;
}

rf::MonthResult SignOffSample() {
  rf::MonthResult r;
  r.month = *rf::ParseMonth("2026-05", "month");
  r.lines.push_back({.bank_line_id = "STMT-5/1",
                     .booked_on = D("2026-05-12"),
                     .amount = P("-50.00"),
                     .payment_id = "PAY-1",
                     .run_id = "",
                     .settled_seq = 9});
  r.lines.push_back({.bank_line_id = "STMT-5/2",
                     .booked_on = D("2026-05-12"),
                     .amount = P("-300.00"),
                     .payment_id = "",
                     .run_id = "RUN-1",
                     .settled_seq = 10});
  r.lines.push_back({.bank_line_id = "STMT-5/3",
                     .booked_on = D("2026-05-13"),
                     .amount = P("25.00"),
                     .payment_id = "",
                     .run_id = "",
                     .settled_seq = std::nullopt});
  r.flags.push_back({.code = rf::FlagCode::kDelayInvoice,
                     .severity = rf::FlagSeverity::kWarning,
                     .entity = "invoice:INV-7",
                     .amount_at_stake_pence = P("120.00"),
                     .evidence_seqs = {3, 7},
                     .words = rf::FlagWords{.evidence_bank_lines = {}, .sentence = "Invoice INV-7 is late."}});
  r.flags.push_back({.code = rf::FlagCode::kUnmatchedBankLine,
                     .severity = rf::FlagSeverity::kWarning,
                     .entity = "bankline:STMT-5/3",
                     .amount_at_stake_pence = P("25.00"),
                     .evidence_seqs = {8},
                     .words = rf::FlagWords{.evidence_bank_lines = {"STMT-5/3", "STMT-5/1"}, .sentence = "Money in."}});
  return r;
}

std::string SignOffHash(rf::MonthResult r) {
  rf::CanonicalOrder(r);
  auto h = rf::HashMonthResult(r);
  REQUIRE(h.ok());
  return h->result_sha256;
}

}  // namespace

TEST_CASE("a month result's hash is its canonical JSON's SHA-256, whatever order it was read in") {
  rf::MonthResult r = SignOffSample();
  rf::CanonicalOrder(r);
  auto hashes = rf::HashMonthResult(r);
  REQUIRE(hashes.ok());
  const nlohmann::json j = rf::MonthResultJson(r);
  CHECK(hashes->result_sha256 == rf::crypto::ToHex(rf::crypto::Sha256(*rf::Canonicalize(j))));
  CHECK(hashes->matches_sha256 == rf::crypto::ToHex(rf::crypto::Sha256(*rf::Canonicalize(j["lines"]))));
  CHECK(hashes->flags_sha256 == rf::crypto::ToHex(rf::crypto::Sha256(*rf::Canonicalize(j["flags"]))));
  CHECK(j["flags"][1]["evidence_bank_lines"] == nlohmann::json({"STMT-5/1", "STMT-5/3"}));
  CHECK(j["lines"][2]["settled_seq"].is_null());
  CHECK_FALSE(j["flags"][0].contains("sentence"));

  std::mt19937 shuffle(17);
  for (int i = 0; i < 10; ++i) {
    rf::MonthResult s = SignOffSample();
    std::shuffle(s.lines.begin(), s.lines.end(), shuffle);
    std::shuffle(s.flags.begin(), s.flags.end(), shuffle);
    for (auto& f : s.flags) std::shuffle(f.evidence_seqs.begin(), f.evidence_seqs.end(), shuffle);
    CHECK(SignOffHash(s) == hashes->result_sha256);
  }
}

TEST_CASE("a month result's hash changes when any member of a line or flag changes, not with a flag's wording") {
  const std::string base = SignOffHash(SignOffSample());
  std::vector<std::pair<const char*, std::function<void(rf::MonthResult&)>>> changes = {
      {"month", [](rf::MonthResult& r) { r.month = *rf::ParseMonth("2026-06", "month"); }},
      {"line id", [](rf::MonthResult& r) { r.lines[0].bank_line_id = "STMT-5/9"; }},
      {"booked on", [](rf::MonthResult& r) { r.lines[0].booked_on = D("2026-05-13"); }},
      {"amount by a penny", [](rf::MonthResult& r) { r.lines[0].amount = P("-50.01"); }},
      {"payment", [](rf::MonthResult& r) { r.lines[0].payment_id = "PAY-2"; }},
      {"run", [](rf::MonthResult& r) { r.lines[1].run_id = "RUN-2"; }},
      {"settled by another entry", [](rf::MonthResult& r) { r.lines[0].settled_seq = 11; }},
      {"unmatched",
       [](rf::MonthResult& r) {
         r.lines[0] = {r.lines[0].bank_line_id, r.lines[0].booked_on, r.lines[0].amount, "", "", std::nullopt};
       }},
      {"a line more",
       [](rf::MonthResult& r) {
         r.lines.push_back(r.lines[2]);
         r.lines.back().bank_line_id = "S/4";
       }},
      // The id is the code and the entity (rf::FlagId): each changes it.
      {"flag code", [](rf::MonthResult& r) { r.flags[0].code = rf::FlagCode::kDelayFirstPayment; }},
      {"severity", [](rf::MonthResult& r) { r.flags[0].severity = rf::FlagSeverity::kCritical; }},
      {"entity", [](rf::MonthResult& r) { r.flags[0].entity = "invoice:INV-8"; }},
      {"at stake by a penny", [](rf::MonthResult& r) { r.flags[0].amount_at_stake_pence = P("120.01"); }},
      {"evidence seq", [](rf::MonthResult& r) { r.flags[0].evidence_seqs.push_back(12); }},
      {"evidence line", [](rf::MonthResult& r) { r.flags[1].words->evidence_bank_lines.pop_back(); }},
      {"a flag fewer", [](rf::MonthResult& r) { r.flags.pop_back(); }},
  };
  for (auto& [what, change] : changes) {
    rf::MonthResult r = SignOffSample();
    change(r);
    INFO(what);
    CHECK(SignOffHash(r) != base);
  }
  rf::MonthResult reworded = SignOffSample();
  reworded.flags[0].words->sentence = "Invoice INV-7 is overdue: pay it.";
  CHECK(SignOffHash(reworded) == base);
}

TEST_CASE("the result at a journal size reads no later entry: a back-dated bank line changes it only after") {
  Books books;
  SignOffLoadMay(books);
  const uint64_t before_run = books.Size();
  auto run = rf::test::Run(SignOffCli(books) + " reconcile --month 2026-05");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const uint64_t n = books.Size();
  const rf::MonthResultHashes at_n = SignOffHashAt(books, n);  // the live views serve it
  // A line booked in May loaded now: an outflow nothing explains.
  books.MustCommit({StatementLine("STMT-5", "4", "-99.00", "2026-05-20", kSignOffPayee3)});
  const rf::MonthResultHashes again = SignOffHashAt(books, n);  // rebuilt from the first n entries
  CHECK(again.result_sha256 == at_n.result_sha256);
  CHECK(again.matches_sha256 == at_n.matches_sha256);
  CHECK(again.flags_sha256 == at_n.flags_sha256);
  const rf::MonthResultHashes after = SignOffHashAt(books, n + 1);
  CHECK(after.result_sha256 != at_n.result_sha256);
  CHECK(after.matches_sha256 != at_n.matches_sha256);  // a line more
  CHECK(after.flags_sha256 != at_n.flags_sha256);      // DIVERSION_UNEXPLAINED_OUTFLOW
  // An earlier size: before the May settlements were committed, the
  // lines were unmatched.
  CHECK(SignOffHashAt(books, before_run).matches_sha256 != at_n.matches_sha256);
  auto too_far = rf::MonthResultAt(books.ledger(), *rf::ParseMonth("2026-05", "month"), n + 2, std::nullopt);
  CHECK(too_far.status().code() == rf::Status::Code::kInvalidInput);
}

TEST_CASE("a signed-off month still reproduces its hash after later months, a config change and back-dated entries") {
  Books books;
  SignOffLoadMay(books);
  auto signed_off =
      rf::test::Run(SignOffCli(books) + " --format json reconcile --month 2026-05 --sign-off \"Jo Bloggs\"");
  INFO(signed_off.output);
  REQUIRE(signed_off.exit_code == 0);
  const auto j = nlohmann::json::parse(signed_off.output);
  const std::string hash = j["result"]["sha256"];
  const uint64_t tree_size = j["result"]["tree_size"];
  // The printed hash is the journalled one, of the flags printed.
  const auto record = SignOffOf(books, "2026-05");
  REQUIRE(record.has_value());
  CHECK(record->result_sha256 == hash);
  CHECK(record->tree_size == tree_size);
  CHECK(record->by == "Jo Bloggs");
  CHECK(record->seq == j["sign_off"]["seq"].get<uint64_t>());
  CHECK(record->seq == tree_size + 1);
  CHECK(record->flags == j["flags"].size());
  CHECK(record->lines == 3);
  CHECK(j["matches"].size() == 2);
  bool delay_flagged = false;
  for (const auto& f : j["flags"]) delay_flagged = delay_flagged || f["id"] == "DELAY_INVOICE/invoice:INV-7";
  CHECK(delay_flagged);
  rf::test::RequireViewsMatchJournal(books);

  auto check = rf::test::Run(SignOffCli(books) + " reconcile --month 2026-05 --check");
  INFO(check.output);
  CHECK(check.exit_code == 0);
  CHECK_THAT(check.output, Catch::Contains("still reproduces") && Catch::Contains(hash));

  // Later: June loaded and reconciled, the VCSE limit raised from a date in
  // May, an invoice received in May and a May bank line loaded late.
  SignOffLoadJune(books);
  REQUIRE(rf::test::Run(SignOffCli(books) + " reconcile --month 2026-06").exit_code == 0);
  books.MustCommit({rf::ConfigSetDraft("delay.invoice_small_vcse_days", "60", D("2026-05-15"), rf::test::kTester)});
  books.MustCommit({rf::InvoiceReceivedDraft({"INV-8", "V-1", "B-1", "activities", "Art group, May", P("80.00"),
                                              D("2026-05-01"), D("2026-05-02"), D("2026-05-03")},
                                             rf::test::kTester)});
  books.MustCommit({StatementLine("STMT-5", "4", "-99.00", "2026-05-20", kSignOffPayee3)});
  // Reconciled as the journal is now, May's result is another one ...
  auto now = rf::test::Run(SignOffCli(books) + " --format json reconcile --month 2026-05");
  INFO(now.output);
  REQUIRE(now.exit_code == 0);
  CHECK(nlohmann::json::parse(now.output)["result"]["sha256"] != hash);
  // ... but the signed one is recomputed from the journal as it stood.
  auto later = rf::test::Run(SignOffCli(books) + " --format json reconcile --month 2026-05 --check");
  INFO(later.output);
  CHECK(later.exit_code == 0);
  const auto c = nlohmann::json::parse(later.output);
  CHECK(c["reproduces"] == true);
  CHECK(c["recomputed"]["sha256"] == hash);
  CHECK(c["signed_by"] == "Jo Bloggs");
  CHECK(c["tree_size"] == tree_size);

  // A second sign-off replaces the first: --check reads the latest.
  auto second = rf::test::Run(SignOffCli(books) + " --format json reconcile --month 2026-05 --sign-off \"Ann Lee\"");
  INFO(second.output);
  REQUIRE(second.exit_code == 0);
  const std::string second_hash = nlohmann::json::parse(second.output)["result"]["sha256"];
  CHECK(second_hash != hash);
  auto latest = rf::test::Run(SignOffCli(books) + " reconcile --month 2026-05 --check");
  INFO(latest.output);
  CHECK(latest.exit_code == 0);
  CHECK_THAT(latest.output, Catch::Contains("by Ann Lee") && Catch::Contains(second_hash));
}

TEST_CASE("reconcile --check exits 1 naming the part that moved when a sign-off's hash is not the journal's") {
  Books books;
  SignOffLoadMay(books);
  REQUIRE(rf::test::Run(SignOffCli(books) + " reconcile --month 2026-05").exit_code == 0);
  const uint64_t n = books.Size();
  auto result = rf::MonthResultAt(books.ledger(), *rf::ParseMonth("2026-05", "month"), n, std::nullopt);
  REQUIRE(result.ok());
  auto hashes = rf::HashMonthResult(*result);
  REQUIRE(hashes.ok());
  // A sign-off of a result the journal does not give: its flags differ.
  rf::MonthResult other = *result;
  other.flags.pop_back();
  auto other_hashes = rf::HashMonthResult(other);
  REQUIRE(other_hashes.ok());
  books.MustCommit({rf::SignOffDraft(other, *other_hashes, n, "Jo Bloggs", D("2026-06-03"), rf::test::kTester)});

  auto check = rf::test::Run(SignOffCli(books) + " reconcile --month 2026-05 --check");
  INFO(check.output);
  CHECK(check.exit_code == 1);
  CHECK_THAT(check.output, Catch::Contains("does NOT reproduce") && Catch::Contains(other_hashes->result_sha256) &&
                               Catch::Contains(hashes->result_sha256) && Catch::Contains("matches     same") &&
                               Catch::Contains("flags       DIFFER"));
  auto json = rf::test::Run(SignOffCli(books) + " --format json reconcile --month 2026-05 --check");
  CHECK(json.exit_code == 1);
  const auto j = nlohmann::json::parse(json.output);
  CHECK(j["reproduces"] == false);
  CHECK(j["flags_differ"] == true);
  CHECK(j["matches_differ"] == false);
}

TEST_CASE("reconcile --check of a month never signed off exits 2, and --sign-off refuses --dry-run, --window-days") {
  Books books;
  SignOffLoadMay(books);
  const uint64_t before = books.Size();
  auto never = rf::test::Run(SignOffCli(books) + " reconcile --month 2026-05 --check");
  INFO(never.output);
  CHECK(never.exit_code == 2);
  CHECK_THAT(never.output, Catch::Contains("never signed off"));
  auto dry = rf::test::Run(SignOffCli(books) + " reconcile --month 2026-05 --dry-run --sign-off \"Jo Bloggs\"");
  INFO(dry.output);
  CHECK(dry.exit_code == 2);
  auto window =
      rf::test::Run(SignOffCli(books) + " reconcile --month 2026-05 --window-days 5 --sign-off \"Jo Bloggs\"");
  INFO(window.output);
  CHECK(window.exit_code == 2);
  auto both = rf::test::Run(SignOffCli(books) + " reconcile --month 2026-05 --check --sign-off \"Jo Bloggs\"");
  CHECK(both.exit_code == 2);
  CHECK(books.Size() == before);
}

TEST_CASE("a reconcile.signoff entry is refused unless it names an earlier journal size and SHA-256 hashes") {
  Books books;
  books.Standard();
  rf::MonthResult r = SignOffSample();
  rf::CanonicalOrder(r);
  auto hashes = rf::HashMonthResult(r);
  REQUIRE(hashes.ok());
  const uint64_t n = books.Size();
  auto future = books.Commit({rf::SignOffDraft(r, *hashes, n + 1, "Jo", D("2026-06-01"), rf::test::kTester)});
  CHECK_FALSE(future.ok());
  rf::EntryDraft bad_hash = rf::SignOffDraft(r, *hashes, n, "Jo", D("2026-06-01"), rf::test::kTester);
  rf::test::EditBody(&bad_hash, [&](nlohmann::json& b) { b["result_sha256"] = "ABC"; });
  CHECK_FALSE(books.Commit({bad_hash}).ok());
  rf::EntryDraft extra = rf::SignOffDraft(r, *hashes, n, "Jo", D("2026-06-01"), rf::test::kTester);
  rf::test::EditBody(&extra, [&](nlohmann::json& b) { b["comment"] = "x"; });
  CHECK_FALSE(books.Commit({extra}).ok());
  books.MustCommit({rf::SignOffDraft(r, *hashes, n, "Jo", D("2026-06-01"), rf::test::kTester)});
  const auto record = SignOffOf(books, "2026-05");
  REQUIRE(record.has_value());
  CHECK(record->tree_size == n);
  CHECK(record->result_sha256 == hashes->result_sha256);
  rf::test::RequireViewsMatchJournal(books);
}

TEST_CASE("the rules' flag records in a result at a journal size are those its first entries raised") {
  Books books;
  books.Standard();
  const rf::Month may = *rf::ParseMonth("2026-05", "month");
  const uint64_t n = books.Size();
  // Posted later, dated in May: a transfer out of the ring-fence.
  books.MustCommit({Books::Move("pot:POT-A", "external:general-fund", "100.00", "2026-05-06", "winter pressures")});
  const auto has_diversion = [](const rf::MonthResult& r) {
    return std::any_of(r.flags.begin(), r.flags.end(),
                       [](const rf::MonthFlag& f) { return f.code == rf::FlagCode::kDiversionTransfer; });
  };
  auto before = rf::MonthResultAt(books.ledger(), may, n, std::nullopt);
  REQUIRE(before.ok());
  CHECK_FALSE(has_diversion(*before));
  auto after = rf::MonthResultAt(books.ledger(), may, n + 1, std::nullopt);
  REQUIRE(after.ok());
  CHECK(has_diversion(*after));

  // The views of the first n entries are the full rebuild's, less the later entry.
  auto all = rf::RebuildViews(books.ledger().journal(), std::nullopt);
  auto at_size = rf::RebuildViewsAt(books.ledger().journal(), n + 1, std::nullopt);
  REQUIRE(all.ok());
  REQUIRE(at_size.ok());
  CHECK(at_size->values == all->values);
  auto at_n = rf::RebuildViewsAt(books.ledger().journal(), n, std::nullopt);
  REQUIRE(at_n.ok());
  CHECK(at_n->values != all->values);
  CHECK(rf::RebuildViewsAt(books.ledger().journal(), n + 2, std::nullopt).status().code() ==
        rf::Status::Code::kInvalidInput);
}

namespace {

// What `ringfence demo` leaves (its last month signed off), checked by --check.
TEST_CASE("the demo signs off its last month, and reconcile --check reproduces the signed hash") {
  rf::test::TempDir dir;
  const std::string ledger = rf::test::Quote(dir / "demo.rf");
  const std::string cli = std::string(RF_RINGFENCE_BIN) + " --ledger " + ledger;
  auto demo = rf::test::Run(cli + " demo --people 150 --months 2");
  INFO(demo.output);
  REQUIRE(demo.exit_code == 0);
  CHECK_THAT(demo.output, Catch::Contains("Signed off by finance.manager"));
  auto check = rf::test::Run(cli + " reconcile --month 2026-05 --check");
  INFO(check.output);
  CHECK(check.exit_code == 0);
  CHECK_THAT(check.output, Catch::Contains("still reproduces"));
}

}  // namespace

TEST_CASE("a result's lines and flags written as canonical text are the bytes AppendCanonical writes of their JSON") {
  rf::MonthResult r = SignOffSample();
  // Text that must be escaped, text beyond ASCII, an empty evidence list,
  // the largest seq canonical JSON holds.
  r.lines.push_back({.bank_line_id = "STMT \"7\"/\\1\t",
                     .booked_on = D("2026-05-31"),
                     .amount = P("-0.01"),
                     .payment_id = "PAY-\xC3\xA9\xF0\x9F\x92\xB7",
                     .run_id = "",
                     .settled_seq = uint64_t{rf::kCanonicalIntegerMax}});
  r.flags.push_back({.code = rf::FlagCode::kDiversionPayeeMismatch,
                     .severity = rf::FlagSeverity::kCritical,
                     .entity = "\x01\x1f\x7f C\xE2\x82\xAC",
                     .amount_at_stake_pence = P("-12345678.90"),
                     .evidence_seqs = {},
                     .words = rf::FlagWords{.evidence_bank_lines = {"\xF0\x9F\x92\xB7", "a\"b"}, .sentence = ""}});
  r.flags.push_back({.code = rf::FlagCode::kUnsettledPayment,
                     .severity = rf::FlagSeverity::kInfo,
                     .entity = "e",
                     .amount_at_stake_pence = P("0.00"),
                     .evidence_seqs = {1, uint64_t{rf::kCanonicalIntegerMax}},
                     .words = rf::FlagWords{.evidence_bank_lines = {}, .sentence = ""}});
  for (const rf::MonthResultLine& line : r.lines) {
    std::string direct = "[", dom = "[";
    REQUIRE(rf::AppendMonthResultLineCanonical(line, &direct).ok());
    REQUIRE(rf::AppendCanonical(rf::MonthResultLineJson(line), &dom).ok());
    CHECK(direct == dom);
  }
  for (const rf::MonthFlag& flag : r.flags) {
    std::string direct, dom;
    REQUIRE(rf::AppendMonthResultFlagCanonical(flag, &direct).ok());
    REQUIRE(rf::AppendCanonical(rf::MonthResultFlagJson(flag), &dom).ok());
    CHECK(direct == dom);
  }
  rf::CanonicalOrder(r);
  auto hashes = rf::HashMonthResult(r);
  REQUIRE(hashes.ok());
  CHECK(hashes->result_sha256 == rf::crypto::ToHex(rf::crypto::Sha256(*rf::Canonicalize(rf::MonthResultJson(r)))));

  // Refused where the DOM's canonical form is refused: a seq one above the
  // largest, text that is not UTF-8.
  rf::MonthResultLine too_large = r.lines[0];
  too_large.settled_seq = uint64_t{rf::kCanonicalIntegerMax} + 1;
  std::string out;
  CHECK_FALSE(rf::AppendMonthResultLineCanonical(too_large, &out).ok());
  CHECK_FALSE(rf::AppendCanonical(rf::MonthResultLineJson(too_large), &out).ok());
  rf::MonthFlag seq_too_large = r.flags[0];
  seq_too_large.evidence_seqs = {uint64_t{rf::kCanonicalIntegerMax} + 1};
  CHECK_FALSE(rf::AppendMonthResultFlagCanonical(seq_too_large, &out).ok());
  rf::MonthFlag not_utf8 = r.flags[0];
  not_utf8.words->evidence_bank_lines = {"\xC3"};
  CHECK_FALSE(rf::AppendMonthResultFlagCanonical(not_utf8, &out).ok());
  CHECK_FALSE(rf::AppendCanonical(rf::MonthResultFlagJson(not_utf8), &out).ok());
  rf::MonthResultLine line_not_utf8 = r.lines[0];
  line_not_utf8.payment_id = "\xFF";
  CHECK_FALSE(rf::AppendMonthResultLineCanonical(line_not_utf8, &out).ok());
  rf::MonthResult bad_result = r;
  bad_result.lines = {line_not_utf8};
  CHECK_FALSE(rf::HashMonthResult(bad_result).ok());
}

// A real run's shown result built from its own plan (MonthResultAfterCommit)
// against the result planned again from the journal (MonthResultAt, what
// `reconcile --check` recomputes): over random months of payments and
// statement lines made to collide (shared payees and amounts, repeated and
// wrong end-to-end ids, batch lines, returns, late statements), whenever the
// fast result is given it has MonthResultAt's hashes, lines and flags
// (sentences included), and it declines the cases it cannot show equal.

namespace {

const char* const kRacPayees[] = {"GB11PAYE00000000000001", "GB11PAYE00000000000002", "GB11PAYE00000000000003"};
const char* const kRacAmounts[] = {"50.00", "75.00", "60.00"};

struct RacPayment {
  std::string id, run, payee;
  rf::Pence amount;
  rf::Date run_date;
};

struct RacCounts {
  int fast = 0, declined = 0, drafts = 0;
  int fast_after_drafts = 0;  // fast results of runs that committed something
  // MonthResultFromPreCommitFlags: given (after a commit of matches), and
  // declined for a plan with returns.
  int pre_commit = 0, pre_commit_after_drafts = 0, pre_commit_declined_returns = 0;
};

rf::EntryDraft RacPaymentDraft(const RacPayment& p) {
  return rf::test::PendingInstalment(p.id, p.run, p.amount, p.run_date, p.payee);
}

rf::EntryDraft RacLine(const std::string& statement, int line, rf::Pence amount, rf::Date booked_on,
                       const std::string& payee, const std::string& end_to_end_id, const std::string& batch_id = "") {
  return rf::test::StatementLine(statement, std::to_string(line), amount, booked_on, payee, end_to_end_id, batch_id);
}

// Reconciles `month` as a real run does and compares the two results.
// The fields a draft is journalled with.
std::string RacDraftText(const rf::EntryDraft& d) {
  return d.kind + "|" + d.effective.ToIso() + "|" + d.actor + "|" + d.source + "|" + d.body_json;
}

// A real run (PlanAndCommitMonth: the drafts made from the plan `chunk` at
// a time inside one transaction) on a copy of the ledger as it stands
// before `built` (the drafts MatchDrafts::kBuild made) are committed.
// Returns the copy, for RacCheckRealRunTwin once they are.
struct RacRealRunTwin {
  std::unique_ptr<rf::test::TempDir> dir;
  std::unique_ptr<rf::Ledger> ledger;
  uint64_t size_before = 0;
};
RacRealRunTwin RacRunTwin(Books& books, const rf::Month& month, const std::vector<rf::EntryDraft>& built,
                          size_t chunk, unsigned threads) {
  RacRealRunTwin twin;
  twin.dir = std::make_unique<rf::test::TempDir>();
  const std::string copy = *twin.dir / "ledger.rf";
  std::filesystem::copy(books.dir(), copy, std::filesystem::copy_options::recursive);
  auto size = books.ledger().journal().Size();
  REQUIRE(size.ok());
  twin.size_before = *size;
  auto opened = rf::Ledger::Open(copy, /*writable=*/true);
  REQUIRE(opened.ok());
  twin.ledger = std::move(*opened);
  std::vector<std::string> chunked;
  size_t chunks = 0;
  rf::RealRunOptions options{.window_days = std::nullopt,
                             .origin = rf::DraftOrigin{"tester", "reconcile test"},
                             .threads = threads,
                             .before_worker_reads = {},
                             .before_commit = {},
                             .chunk_drafts_max = chunk,
                             .each_chunk = {}};
  options.each_chunk = [&](const std::vector<rf::EntryDraft>& drafts) {
    ++chunks;
    CHECK(!drafts.empty());
    CHECK(drafts.size() <= chunk);
    for (const rf::EntryDraft& d : drafts) chunked.push_back(RacDraftText(d));
  };
  auto run = rf::PlanAndCommitMonth(*twin.ledger, month, options);
  INFO(run.status().message());
  REQUIRE(run.ok());
  // The same drafts, in the same order, never more than `chunk` at once.
  CHECK(run->drafts_committed == built.size());
  CHECK(run->plan.drafts.empty());
  CHECK(chunks == (built.size() + chunk - 1) / chunk);
  REQUIRE(chunked.size() == built.size());
  for (size_t i = 0; i < built.size(); ++i) CHECK(chunked[i] == RacDraftText(built[i]));
  CHECK(run->appended.has_value() == !built.empty());
  return twin;
}

// The twin's journal after its real run holds the entries `books` holds
// after committing the built drafts (seq, kind, date, actor, source, body:
// all but the recorded time and the hashes it feeds), and the same views.
void RacCheckRealRunTwin(Books& books, const RacRealRunTwin& twin) {
  auto size = books.ledger().journal().Size();
  auto twin_size = twin.ledger->journal().Size();
  REQUIRE(size.ok());
  REQUIRE(twin_size.ok());
  REQUIRE(*twin_size == *size);
  for (uint64_t seq = twin.size_before + 1; seq <= *size; ++seq) {
    auto line = books.ledger().journal().Line(seq);
    auto twin_line = twin.ledger->journal().Line(seq);
    REQUIRE(line.ok());
    REQUIRE(twin_line.ok());
    auto entry = rf::ParseEntryLine(*line);
    auto twin_entry = rf::ParseEntryLine(*twin_line);
    REQUIRE(entry.ok());
    REQUIRE(twin_entry.ok());
    CHECK(twin_entry->seq == entry->seq);
    CHECK(RacDraftText(twin_entry->draft) == RacDraftText(entry->draft));
  }
  const auto views_of = [](const rf::Ledger& ledger) {
    std::vector<std::pair<std::string, std::string>> all;
    REQUIRE(ledger
                .ReadViews([&](const rf::ViewSource& views) {
                  return views.ForEach("", [&](std::string_view key, std::string_view value) {
                    all.emplace_back(std::string(key), std::string(value));
                    return rf::Status::Ok();
                  });
                })
                .ok());
    return all;
  };
  const auto views = views_of(books.ledger());
  const auto twin_views = views_of(*twin.ledger);
  CHECK(twin_views.size() == views.size());
  CHECK((twin_views == views));
}

void RacReconcile(Books& books, const char* month_text, RacCounts& counts) {
  INFO("month " << month_text);
  const rf::Month month = *rf::ParseMonth(month_text, "month");
  // The month-end flags as a real run's worker reads them: in the snapshot
  // the plan reads (nothing appends between the two here).
  auto pre_commit = rf::ReadMonthEndFlags(books.ledger(), month);
  INFO(pre_commit.status().message());
  REQUIRE(pre_commit.ok());
  rf::MonthTallyLines lines;
  auto plan = rf::PlanMonthMatchKeepingLines(books.ledger(), month, std::nullopt,
                                             rf::DraftOrigin{"tester", "reconcile test"}, lines);
  INFO(plan.status().message());
  REQUIRE(plan.ok());
  const uint64_t drafts = plan->drafts.size();
  // The real run's drafts, made by chunks on a copy, against these.
  const size_t chunk = 1 + static_cast<size_t>(counts.drafts % 3);
  const RacRealRunTwin twin = RacRunTwin(books, month, plan->drafts, chunk, 1 + static_cast<unsigned>(drafts % 2));
  std::optional<rf::AppendResult> appended;
  if (drafts > 0) {
    auto c = books.Commit(std::move(plan->drafts));
    INFO(c.status().message());
    REQUIRE(c.ok());
    appended = c->appended;
    plan->drafts.clear();
  }
  RacCheckRealRunTwin(books, twin);
  counts.drafts += static_cast<int>(drafts);
  // Item 5: a second run settles and returns nothing, and says of what is
  // left what this one said (the matcher is stable; returns are planned
  // over the settlements committed).
  {
    rf::MonthTallyLines lines_again;
    auto again = rf::PlanMonthMatchKeepingLines(books.ledger(), month, std::nullopt,
                                                rf::DraftOrigin{"tester", "reconcile test"}, lines_again);
    REQUIRE(again.ok());
    CHECK(again->result.matches.empty());
    CHECK(again->returns.empty());
    CHECK(again->drafts.empty());
    const auto said = [](const std::vector<rf::UnmatchedItem>& items) {
      std::string out;
      for (const rf::UnmatchedItem& u : items) {
        out += u.id + " " + std::string(rf::ToString(u.code)) + " " + u.reason + "\n";
        for (const std::string& r : u.related) out += "  " + r + "\n";
      }
      return out;
    };
    CHECK(said(again->result.unmatched_lines) == said(plan->result.unmatched_lines));
    CHECK(said(again->result.unmatched_payments) == said(plan->result.unmatched_payments));
  }
  const rf::CommittedPlan committed{.plan = *plan, .lines = lines, .drafts_committed = drafts, .appended = appended};
  uint64_t pre_commit_size = 0;
  std::optional<rf::MonthResult> from_pre_commit =
      rf::MonthResultFromPreCommitFlags(committed, std::move(*pre_commit), &pre_commit_size);
  uint64_t fast_size = 0;
  auto fast = rf::MonthResultAfterCommit(books.ledger(), committed, &fast_size);
  INFO(fast.status().message());
  REQUIRE(fast.ok());
  auto size = books.ledger().journal().Size();
  REQUIRE(size.ok());
  auto slow = rf::MonthResultAt(books.ledger(), month, *size, std::nullopt);
  INFO(slow.status().message());
  REQUIRE(slow.ok());
  if (!plan->returns.empty()) {
    CHECK(!from_pre_commit.has_value());
    ++counts.pre_commit_declined_returns;
  }
  if (from_pre_commit) {
    // Whenever given: the post-commit evaluation's (which the same lines
    // allow) and MonthResultAt's, every flag's sentence included.
    ++counts.pre_commit;
    counts.pre_commit_after_drafts += drafts > 0 ? 1 : 0;
    CHECK(pre_commit_size == *size);
    REQUIRE(fast->has_value());
    CHECK(rf::MonthResultJson(*from_pre_commit).dump() == rf::MonthResultJson(**fast).dump());
    CHECK(rf::MonthResultJson(*from_pre_commit).dump() == rf::MonthResultJson(*slow).dump());
    REQUIRE(from_pre_commit->flags.size() == slow->flags.size());
    for (size_t i = 0; i < slow->flags.size(); ++i) {
      INFO(rf::FlagId(slow->flags[i]));
      CHECK(rf::SentenceOf(from_pre_commit->flags[i]) == rf::SentenceOf(slow->flags[i]));
    }
  }
  if (!fast->has_value()) {
    ++counts.declined;
    return;
  }
  ++counts.fast;
  counts.fast_after_drafts += drafts > 0 ? 1 : 0;
  const rf::MonthResult& f = **fast;
  CHECK(fast_size == *size);
  auto fast_hashes = rf::HashMonthResult(f);
  auto slow_hashes = rf::HashMonthResult(*slow);
  REQUIRE(fast_hashes.ok());
  REQUIRE(slow_hashes.ok());
  CHECK(rf::MonthResultJson(f).dump() == rf::MonthResultJson(*slow).dump());
  CHECK(fast_hashes->result_sha256 == slow_hashes->result_sha256);
  REQUIRE(f.flags.size() == slow->flags.size());
  for (size_t i = 0; i < f.flags.size(); ++i) {
    INFO(rf::FlagId(f.flags[i]));
    CHECK(rf::SentenceOf(f.flags[i]) == rf::SentenceOf(slow->flags[i]));
  }
}

// One month of payments and lines drawn to collide: each payment gets no
// line, its line by end-to-end id, by amount and payee only, with another
// payee or amount, or twice; runs sometimes get one batch line; some
// settled payments come back as inflows on a later statement.
void RacLoadMonth(Books& books, std::mt19937_64& rng, const std::string& tag, rf::Date first_day, int& serial) {
  std::vector<RacPayment> payments;
  const int runs = 1 + static_cast<int>(rng() % 3);
  for (int r = 0; r < runs; ++r) {
    const std::string run = "RUN-" + tag + "-" + std::to_string(r);
    const rf::Date run_date = first_day.AddDays(static_cast<int>(rng() % 20));
    const int n = 1 + static_cast<int>(rng() % 5);
    std::vector<rf::EntryDraft> drafts;
    for (int k = 0; k < n; ++k) {
      RacPayment p{.id = "PAY-" + tag + "-" + std::to_string(++serial),
                   .run = run,
                   .payee = kRacPayees[rng() % 3],
                   .amount = P(kRacAmounts[rng() % 3]),
                   .run_date = run_date};
      drafts.push_back(RacPaymentDraft(p));
      payments.push_back(p);
    }
    books.MustCommit(std::move(drafts));
  }
  const std::string statement = "S-" + tag;
  int line = 0;
  std::vector<rf::EntryDraft> lines;
  std::vector<std::string> batched;
  for (int r = 0; r < runs; ++r) {
    if (rng() % 4 != 0) continue;
    const std::string run = "RUN-" + tag + "-" + std::to_string(r);
    rf::Pence total;
    rf::Date run_date;
    for (const RacPayment& p : payments) {
      if (p.run != run) continue;
      total += p.amount;
      run_date = p.run_date;
    }
    lines.push_back(RacLine(statement, ++line, -total, run_date.AddDays(1), "", "", run));
    batched.push_back(run);
  }
  for (const RacPayment& p : payments) {
    if (std::find(batched.begin(), batched.end(), p.run) != batched.end()) continue;
    const rf::Date booked = p.run_date.AddDays(static_cast<int>(rng() % 6));
    switch (rng() % 8) {
      case 0:
        break;  // on no statement
      case 1:
        lines.push_back(RacLine(statement, ++line, -p.amount, booked, p.payee, ""));
        break;
      case 2:  // another payee, the payment's id
        lines.push_back(RacLine(statement, ++line, -p.amount, booked, kRacPayees[rng() % 3], p.id));
        break;
      case 3:  // another amount, the payment's id
        lines.push_back(RacLine(statement, ++line, -p.amount - P("1.00"), booked, p.payee, p.id));
        break;
      case 4:  // twice: once right, once with a random payee
        lines.push_back(RacLine(statement, ++line, -p.amount, booked, p.payee, p.id));
        lines.push_back(RacLine(statement, ++line, -p.amount, booked, kRacPayees[rng() % 3], p.id));
        break;
      case 5:  // a line no payment explains
        lines.push_back(RacLine(statement, ++line, -p.amount - P("3.00"), booked, p.payee, ""));
        break;
      default:
        lines.push_back(RacLine(statement, ++line, -p.amount, booked, p.payee, p.id));
        break;
    }
  }
  if (rng() % 2 == 0) lines.push_back(RacLine(statement, ++line, P("12.00"), first_day.AddDays(3), "GB11FUND0000", ""));
  if (!lines.empty()) books.MustCommit(std::move(lines));
  // Returns (and a late statement) on a second statement of the month.
  std::vector<rf::EntryDraft> late;
  int late_line = 0;
  for (const RacPayment& p : payments) {
    if (rng() % 5 != 0) continue;
    const rf::Date booked = p.run_date.AddDays(2 + static_cast<int>(rng() % 3));
    if (rng() % 2 == 0) {
      late.push_back(RacLine(statement + "R", ++late_line, p.amount, booked, p.payee, p.id));
    } else {
      late.push_back(RacLine(statement + "R", ++late_line, -p.amount, booked, p.payee, ""));
    }
  }
  if (!late.empty()) books.MustCommit(std::move(late));
}

// PAY-1: £50.00 to the first payee, run on 11 May 2026.
RacPayment RacPay1() {
  return {.id = "PAY-1", .run = "RUN-1", .payee = kRacPayees[0], .amount = P("50.00"), .run_date = D("2026-05-11")};
}

// Twelve rounds of colliding months from `seed`, each reconciled as a real
// run would be, every result checked against the month planned again.
void RacRandomMonths(uint64_t seed) {
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  RacCounts counts;
  for (int round = 0; round < 12; ++round) {
    INFO("round " << round);
    Books books;
    books.MustCommit({books.Pot("POT-A", "100000.00"), Books::Person("P-1"), Books::Provider("V-1"),
                      Books::Budget("B-1", "POT-A", "50000.00")});
    int serial = 0;
    RacLoadMonth(books, rng, "A", D("2026-05-01"), serial);
    RacReconcile(books, "2026-05", counts);
    // The same month again (nothing to settle), then more of it loaded late.
    RacReconcile(books, "2026-05", counts);
    RacLoadMonth(books, rng, "B", D("2026-05-04"), serial);
    RacReconcile(books, "2026-05", counts);
    RacLoadMonth(books, rng, "C", D("2026-06-01"), serial);
    RacReconcile(books, "2026-06", counts);
  }
  INFO("fast " << counts.fast << " (" << counts.fast_after_drafts << " after drafts), declined " << counts.declined
               << ", drafts " << counts.drafts);
  CHECK(counts.fast > counts.declined / 4);
  CHECK(counts.fast_after_drafts > 0);
  CHECK(counts.drafts > 0);
  INFO("from the flags read before the commit " << counts.pre_commit << " (" << counts.pre_commit_after_drafts
                                                 << " after drafts), declined for returns "
                                                 << counts.pre_commit_declined_returns);
  CHECK(counts.pre_commit_after_drafts > 0);
  CHECK(counts.pre_commit_declined_returns > 0);
}

}  // namespace

TEST_CASE("a real run's result built from its plan equals the result planned again from the journal") {
  const char* pinned = std::getenv("RF_TEST_SEED");
  RacRandomMonths(pinned != nullptr ? std::strtoull(pinned, nullptr, 10) : std::random_device{}());
}

// Seeds that once found a difference, kept as fixed cases. 2191950855: the
// first plan kept a line paying one of our payees out of the batch tier,
// as a payment to that payee was open; (a) settled it in the same pass, so
// planning again matched the line to a run (MatchStatement is stable now).
TEST_CASE("a real run's result equals the month planned again for seeds that once differed") {
  RacRandomMonths(2191950855ULL);
}

TEST_CASE("a line left naming a payment the same run settles is told as a second pass tells it") {
  Books books;
  books.MustOpenOneBudget();
  const RacPayment pay = RacPay1();
  books.MustCommit({RacPaymentDraft(pay)});
  // Line 1 settles PAY-1 by its id; line 2 carries the id with another
  // payee: a payee mismatch against PAY-1 in the first pass, an id no
  // unsettled payment has in the second (and in any plan after the commit).
  books.MustCommit({RacLine("S-1", 1, P("-50.00"), D("2026-05-12"), kRacPayees[0], "PAY-1"),
                    RacLine("S-1", 2, P("-50.00"), D("2026-05-12"), kRacPayees[1], "PAY-1")});
  rf::MonthTallyLines lines;
  auto plan = rf::PlanMonthMatchKeepingLines(books.ledger(), *rf::ParseMonth("2026-05", "month"), std::nullopt,
                                             rf::DraftOrigin{"tester", "reconcile test"}, lines);
  REQUIRE(plan.ok());
  CHECK(plan->result.passes == 2);
  CHECK(plan->result.stable);
  REQUIRE(plan->result.matches.size() == 1);
  CHECK(plan->result.matches[0].payment_id == "PAY-1");
  REQUIRE(plan->result.unmatched_lines.size() == 1);
  CHECK(plan->result.unmatched_lines[0].id == "S-1/2");
  CHECK(plan->result.unmatched_lines[0].code == rf::UnmatchedCode::kUnknownEndToEndId);
  CHECK(plan->result.payee_mismatches.empty());
  // So the real run's result is built from its plan, and equals the month
  // planned again; run again, nothing is committed and it is the same.
  RacCounts counts;
  RacReconcile(books, "2026-05", counts);
  CHECK(counts.declined == 0);
  CHECK(counts.fast == 1);
  CHECK(counts.pre_commit == 1);
  CHECK(counts.drafts == 1);
  RacReconcile(books, "2026-05", counts);
  CHECK(counts.fast == 2);
  CHECK(counts.drafts == 1);
}

TEST_CASE("a plan tells lines naming payments and runs closed in earlier runs what became of them") {
  Books books;
  books.MustOpenOneBudget();
  const RacPayment pay = RacPay1();
  const RacPayment batched{
      .id = "PAY-2", .run = "RUN-2", .payee = kRacPayees[1], .amount = P("30.00"), .run_date = D("2026-05-11")};
  const RacPayment open{
      .id = "PAY-3", .run = "RUN-3", .payee = kRacPayees[2], .amount = P("30.00"), .run_date = D("2026-05-11")};
  const RacPayment later{
      .id = "PAY-4", .run = "RUN-4", .payee = kRacPayees[0], .amount = P("20.00"), .run_date = D("2026-06-02")};
  books.MustCommit({RacPaymentDraft(pay), RacPaymentDraft(batched), RacPaymentDraft(open), RacPaymentDraft(later)});
  books.MustCommit({RacLine("S-1", 1, P("-50.00"), D("2026-05-12"), kRacPayees[0], "PAY-1"),
                    RacLine("S-1", 2, P("-30.00"), D("2026-05-12"), "", "", "RUN-2")});
  RacCounts counts;
  RacReconcile(books, "2026-05", counts);
  REQUIRE(counts.drafts == 2);
  // A late statement: PAY-1's id again, RUN-2's batch id again with RUN-3's
  // total (not RUN-3 by amount and date: RUN-2 is ours), PAY-4's id early.
  books.MustCommit({RacLine("S-2", 1, P("-50.00"), D("2026-05-20"), kRacPayees[0], "PAY-1"),
                    RacLine("S-2", 2, P("-30.00"), D("2026-05-13"), "", "", "RUN-2"),
                    RacLine("S-2", 3, P("-20.00"), D("2026-05-20"), kRacPayees[0], "PAY-4")});
  rf::MonthTallyLines lines;
  auto plan = rf::PlanMonthMatchKeepingLines(books.ledger(), *rf::ParseMonth("2026-05", "month"), std::nullopt,
                                             rf::DraftOrigin{"tester", "reconcile test"}, lines);
  REQUIRE(plan.ok());
  CHECK(plan->result.matches.empty());
  const auto left = [&](const char* id) -> const rf::UnmatchedItem& {
    const auto& all = plan->result.unmatched_lines;
    auto it = std::find_if(all.begin(), all.end(), [&](const rf::UnmatchedItem& u) { return u.id == id; });
    REQUIRE(it != all.end());
    return *it;
  };
  CHECK(left("S-2/1").reason ==
        "its end-to-end id is payment PAY-1's, already settled by bank line S-1/1: money went out twice under one "
        "id, or the bank repeated the line; it is not matched by amount to another payment");
  CHECK(left("S-2/1").related == std::vector<std::string>{"PAY-1"});
  CHECK(left("S-2/2").reason.find("its batch id names payment run RUN-2, but not all") == 0);
  CHECK(left("S-2/3").reason.find("payment PAY-4's, whose run is not until 2026-06-02, after this month") !=
        std::string::npos);
  // The same verdicts whether the ids closed earlier or in this run.
  RacReconcile(books, "2026-05", counts);
  CHECK(counts.drafts == 2);
}

TEST_CASE("a real run's result is planned again when its matching stopped at the bound of passes") {
  Books books;
  books.MustOpenOneBudget();
  books.MustCommit({RacPaymentDraft(RacPay1())});
  books.MustCommit({RacLine("S-1", 1, P("-50.00"), D("2026-05-12"), kRacPayees[0], "PAY-1")});
  const rf::Month may = *rf::ParseMonth("2026-05", "month");
  // Nothing to commit (the line already settled by a first run), so the
  // result is built from the plan unless its matching is not known stable.
  RacCounts counts;
  RacReconcile(books, "2026-05", counts);
  REQUIRE(counts.drafts == 1);
  for (const bool stable : {true, false}) {
    CAPTURE(stable);
    rf::MonthTallyLines lines;
    auto plan = rf::PlanMonthMatchKeepingLines(books.ledger(), may, std::nullopt,
                                               rf::DraftOrigin{"tester", "reconcile test"}, lines);
    REQUIRE(plan.ok());
    REQUIRE(plan->drafts.empty());
    plan->result.stable = stable;
    const rf::CommittedPlan committed{.plan = *plan, .lines = lines, .drafts_committed = 0, .appended = std::nullopt};
    uint64_t size = 0;
    auto built = rf::MonthResultAfterCommit(books.ledger(), committed, &size);
    REQUIRE(built.ok());
    CHECK(built->has_value() == stable);
  }
}
