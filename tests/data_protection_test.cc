// Data protection in what commands print: no message carries a full IBAN
// (bank details are personal data; PRODUCT.md shows them as the last four
// characters), and no CSV cell is a formula a spreadsheet would run (CSV
// injection: a cell beginning =, +, -, @, tab or CR).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "ledger/bank/iban.h"
#include "ledger/core/views.h"
#include "ledger/storage/journal.h"
#include "reconcile/table.h"
#include "tests/test_util.h"

using rf::test::Quote;
using rf::test::RingfenceOn;
using rf::test::Run;
using rf::test::TempDir;
using rf::test::WriteFile;

namespace {

constexpr char kProtectIban[] = "GB82WEST12345698765432";

// RFC 4180 cells of a CSV text (quoted cells unquoted).
std::vector<std::string> ProtectCsvCells(const std::string& csv) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false, in_cell = false;
  for (size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"' && !in_cell) {
      quoted = in_cell = true;
    } else if (c == ',' || c == '\n') {
      cells.push_back(cell);
      cell.clear();
      in_cell = false;
    } else if (c != '\r' || i + 1 >= csv.size() || csv[i + 1] != '\n') {
      cell += c;
      in_cell = true;
    }
  }
  if (in_cell) cells.push_back(cell);
  return cells;
}

// A cell a spreadsheet would run: formula-leading and not a plain number.
bool ProtectIsFormula(const std::string& cell) {
  static const std::regex kNumber("-?[0-9]+(\\.[0-9]+)?");
  return !cell.empty() && std::string("=+-@\t\r").find(cell[0]) != std::string::npos &&
         !std::regex_match(cell, kNumber);
}

}  // namespace

TEST_CASE("MaskIbansIn masks every IBAN-shaped word in a text, valid or not, and nothing else") {
  CHECK(rf::MaskIbansIn(std::string("{\"payee_ref\":\"") + kProtectIban + "\"}") == "{\"payee_ref\":\"****5432\"}");
  // A tampered IBAN fails its check digits and is masked all the same.
  CHECK(rf::MaskIbansIn("to GB82WEST12345698765433 and DE89370400440532013000.") == "to ****5433 and ****3000.");
  for (const char* kept : {"RUN-2026-05-15-1", "INV-000001", "PAY-INV-1", "B-1", "GB82WEST1234",
                           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                           "AGB82WEST12345698765432", "£1,234.50", "2026-05-01T00:00:00.000000Z", ""}) {
    INFO(kept);
    CHECK(rf::MaskIbansIn(kept) == kept);
  }
}

TEST_CASE("verify's view-differs message shows a payee's IBAN masked, never whole") {
  TempDir tmp;
  const std::string ledger = tmp / "ledger.rf";
  const std::string rf = RingfenceOn(ledger);
  REQUIRE(Run(rf + "init --org 'NHS Test ICB'").exit_code == 0);
  WriteFile(tmp / "setup.json", rf::test::kSetupPostJson);
  REQUIRE(Run(rf + "post " + Quote(tmp / "setup.json")).exit_code == 0);
  {
    // The budget's record carries its payee_ref; change its amount behind
    // the ledger's back.
    auto journal = rf::Journal::Open(ledger, /*writable=*/true);
    REQUIRE(journal.ok());
    auto txn = rf::LmdbTxn::Begin((*journal)->env(), /*read_only=*/false);
    REQUIRE(txn.ok());
    std::string key = rf::RecordKey(rf::RecordKind::kBudget, "B-1");
    auto value = txn->Get((*journal)->dbs().views, MDB_val{key.size(), key.data()});
    REQUIRE(value.ok());
    REQUIRE(value->has_value());
    std::string text(**value);
    REQUIRE(text.find(kProtectIban) != std::string::npos);
    const size_t at = text.find("300.00");
    REQUIRE(at != std::string::npos);
    text.replace(at, 6, "301.00");
    REQUIRE(
        txn->Put((*journal)->dbs().views, MDB_val{key.size(), key.data()}, MDB_val{text.size(), text.data()}, 0).ok());
    REQUIRE(txn->Commit().ok());
  }
  for (const char* format : {"text", "json"}) {
    auto verify = Run(rf + "--format " + format + " verify");
    INFO(verify.output);
    CHECK(verify.exit_code == 1);
    CHECK_THAT(verify.output, Catch::Contains("differs") && Catch::Contains("****5432") &&
                                  !Catch::Contains(kProtectIban) && !Catch::Contains("WEST1234"));
  }
}

TEST_CASE("RenderCsv neutralises formula-leading cells with a quote and keeps plain numbers, negatives included") {
  rf::Table t;
  t.columns = {{"a", "A", false}, {"b", "B", true}};
  t.rows = {{"=HYPERLINK(\"http://x\")", "-12.34"},
            {"+1+1", "12"},
            {"-2+3", "-0.50"},
            {"@SUM(A1)", "-"},
            {"\tx", "\rx"},
            {"plain", "0"}};
  const std::string csv = rf::RenderCsv(t);
  const auto cells = ProtectCsvCells(csv);
  REQUIRE(cells.size() == 14);
  CHECK(cells[2] == "'=HYPERLINK(\"http://x\")");
  CHECK(cells[3] == "-12.34");
  CHECK(cells[4] == "'+1+1");
  CHECK(cells[6] == "'-2+3");
  CHECK(cells[7] == "-0.50");
  CHECK(cells[8] == "'@SUM(A1)");
  CHECK(cells[9] == "'-");
  CHECK(cells[10] == "'\tx");
  CHECK(cells[11] == "'\rx");
  CHECK(cells[12] == "plain");
  for (const auto& cell : cells) {
    INFO(cell);
    CHECK_FALSE(ProtectIsFormula(cell));
  }
}

TEST_CASE("no command's CSV carries a formula from a hostile pot, provider or setting, nor a full IBAN") {
  TempDir tmp;
  const std::string ledger = tmp / "ledger.rf";
  const std::string rf = RingfenceOn(ledger);
  REQUIRE(Run(rf + "init --org 'NHS Test ICB'").exit_code == 0);
  std::string setup = rf::test::kSetupPostJson;
  setup.replace(setup.find("PHB pot"), 7, "=HYPERLINK(\\\"http://evil.example\\\",\\\"pot\\\")");
  setup.replace(setup.find("Leeds"), 5, "@SUM(1+1)");
  WriteFile(tmp / "setup.json", setup);
  auto posted = Run(rf + "post " + Quote(tmp / "setup.json"));
  INFO(posted.output);
  REQUIRE(posted.exit_code == 0);
  WriteFile(tmp / "providers.csv",
            "provider_id,name,kind,size,community_led,approved,payee_ref\n"
            "V-1,\"+cmd|' /C calc'!A0\",vcse,micro,yes,yes,GB82WEST12345698765432\n"
            "V-2,-2+3 Care Ltd,private,medium,no,no,GB33BUKB20201555555555\n");
  auto providers = Run(rf + "ingest providers " + Quote(tmp / "providers.csv"));
  INFO(providers.output);
  REQUIRE(providers.exit_code == 0);
  REQUIRE(Run(rf + "config set bank.debtor_name '=1+1'").exit_code == 0);
  bool neutralised_seen = false;
  for (const char* command : {"report pots", "report budgets", "report providers", "report aged-invoices",
                              "report balances", "report equality --by locality", "config show", "flags",
                              "amend list", "reconcile --month 2026-05 --dry-run"}) {
    auto r = Run("{ " + rf + "--format csv " + command + " 2>/dev/null; }");
    INFO(command << "\n" << r.output);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.output, !Catch::Contains(kProtectIban) && !Catch::Contains("GB33BUKB20201555555555"));
    for (const auto& cell : ProtectCsvCells(r.output)) {
      INFO(cell);
      CHECK_FALSE(ProtectIsFormula(cell));
      neutralised_seen = neutralised_seen || (cell.size() > 1 && cell[0] == '\'');
    }
  }
  CHECK(neutralised_seen);
}

TEST_CASE("a count for people groups its digits in threes, from 1,000 on") {
  CHECK(rf::GroupedCount(0) == "0");
  CHECK(rf::GroupedCount(999) == "999");
  CHECK(rf::GroupedCount(1000) == "1,000");
  CHECK(rf::GroupedCount(999999) == "999,999");
  CHECK(rf::GroupedCount(1000000) == "1,000,000");
  CHECK(rf::GroupedCount(UINT64_MAX) == "18,446,744,073,709,551,615");
}
