// `ringfence ingest KIND FILE [--dry-run]` end to end, as a finance manager
// runs it: exit codes, messages, camt.053 statements.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "test_util.h"

using rf::test::Quote;
using rf::test::RingfenceOn;
using rf::test::Run;
using rf::test::TempDir;

namespace {

using rf::test::kIngestData;
const std::string kSamples = std::string(RF_TEST_DATA_DIR) + "/iso20022/samples/";

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct Cli {
  TempDir tmp;
  std::string base = RingfenceOn(tmp / "ledger.rf");
  Cli() {
    auto init = Run(base + "init --org 'NHS Test ICB'");
    REQUIRE(init.exit_code == 0);
  }
  rf::test::RunResult Ingest(const std::string& kind, const std::string& file, const std::string& flags = "") {
    return Run(base + "ingest " + kind + " " + Quote(file) + " " + flags);
  }
  uint64_t Size() {
    auto r = Run(base + "--format json audit prove --seq 1");
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.output)["tree_size"].get<uint64_t>();
  }
};

}  // namespace

TEST_CASE("ingest loads each reference file, then says a second load changed nothing") {
  Cli cli;
  for (const char* kind : {"pots", "people", "providers", "budgets", "invoices", "reviews", "bank"}) {
    auto r = cli.Ingest(kind, kIngestData + kind + ".csv");
    INFO(kind << ": " << r.output);
    CHECK(r.exit_code == 0);
    CHECK(Contains(r.output, "Loaded "));
  }
  const uint64_t size = cli.Size();
  auto again = cli.Ingest("invoices", kIngestData + "invoices.csv");
  INFO(again.output);
  CHECK(again.exit_code == 0);
  CHECK(Contains(again.output, "All 3 rows of invoices.csv were already loaded; nothing changed"));
  CHECK(cli.Size() == size);
  auto json = Run(cli.base + "--format json ingest pots " + Quote(kIngestData + "pots.csv"));
  REQUIRE(json.exit_code == 0);
  const auto j = nlohmann::json::parse(json.output);
  CHECK(j["skipped"] == 3);
  CHECK(j["loaded"] == 0);
}

TEST_CASE("ingest --dry-run writes nothing, and a bad file exits 2 naming file, line and column") {
  Cli cli;
  const uint64_t size = cli.Size();
  auto dry = cli.Ingest("pots", kIngestData + "pots.csv", "--dry-run");
  INFO(dry.output);
  CHECK(dry.exit_code == 0);
  CHECK(Contains(dry.output, "Dry run: 3 rows of pots.csv (pots) pass every check; nothing was written"));
  CHECK(cli.Size() == size);

  std::ofstream(cli.tmp / "pots.csv") << "pot_id,name,programme,financial_year,amount,funded_on\n"
                                         "POT-1,One,PHB,2026-28,£10,2026-04-01\n";
  auto bad = cli.Ingest("pots", cli.tmp / "pots.csv");
  INFO(bad.output);
  CHECK(bad.exit_code == 2);
  CHECK(Contains(bad.output, "ringfence: error: nothing was loaded from pots.csv: 2 problems"));
  CHECK(Contains(bad.output, "pots.csv:2: column 4 (financial_year)"));
  CHECK(Contains(bad.output, "pots.csv:2: column 5 (amount)"));
  CHECK(cli.Size() == size);

  auto missing = cli.Ingest("pots", cli.tmp / "nope.csv");
  CHECK(missing.exit_code == 2);
  auto kind = cli.Ingest("potz", kIngestData + "pots.csv");
  CHECK(kind.exit_code == 2);
}

TEST_CASE("every real camt.053 sample loads through ringfence ingest bank or is refused with a clear reason") {
  Cli cli;
  size_t loaded = 0, refused = 0;
  for (const auto& file : std::filesystem::directory_iterator(kSamples)) {
    const uint64_t size = cli.Size();
    auto r = cli.Ingest("bank", file.path().string());
    const std::string name = file.path().filename().string();
    INFO(name << ": " << r.output);
    if (r.exit_code == 0) {
      ++loaded;
      CHECK((Contains(r.output, "Loaded ") || Contains(r.output, "already loaded")));
    } else {
      ++refused;
      CHECK(r.exit_code == 2);
      CHECK(Contains(r.output, name));
      CHECK((Contains(r.output, "GBP") || Contains(r.output, "decimal places")));
      CHECK(cli.Size() == size);
    }
  }
  CHECK(loaded >= 2);  // the two (identical) Goldman Sachs UK statements: the second is all skipped
  CHECK(refused >= 1);
  CHECK(loaded + refused == 9);
}

TEST_CASE("a UK camt.053 statement loads once, and the bank account is never printed") {
  Cli cli;
  const std::string sample = kSamples + "svapnil_gs_camt_053_uk_v2_2.camt.053.001.02.xml";
  auto first = cli.Ingest("bank", sample);
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  CHECK(Contains(first.output, "Loaded 6 bank lines"));
  auto second = Run(cli.base + "--format json ingest bank " + Quote(sample));
  REQUIRE(second.exit_code == 0);
  const auto j = nlohmann::json::parse(second.output);
  CHECK(j["format"] == "camt.053.001.02");
  CHECK(j["skipped"] == 6);
  CHECK(j["loaded"] == 0);
}

TEST_CASE("bank lines of an account that is not the PHB account are refused naming file line and field in CSV and camt.053") {
  Cli cli;
  // Another valid UK IBAN than the statements' (bank.csv: ****6819; the Goldman Sachs sample: ****0970).
  REQUIRE(Run(cli.base + "config set bank.debtor_iban GB33BUKB20201555555555").exit_code == 0);
  const uint64_t size = cli.Size();
  auto csv = cli.Ingest("bank", kIngestData + "bank.csv");
  INFO(csv.output);
  CHECK(csv.exit_code == 2);
  CHECK(Contains(csv.output, "bank.csv:2: column 3 (account): is not the PHB bank account (bank.debtor_iban, ****5555)"));
  CHECK_FALSE(Contains(csv.output, "GB29NWBK60161331926819"));
  const std::string sample = kSamples + "svapnil_gs_camt_053_uk_v2_2.camt.053.001.02.xml";
  auto camt = cli.Ingest("bank", sample);
  INFO(camt.output);
  CHECK(camt.exit_code == 2);
  CHECK(Contains(camt.output, "svapnil_gs_camt_053_uk_v2_2.camt.053.001.02.xml:"));
  CHECK(Contains(camt.output, "account is not the PHB bank account"));
  CHECK(cli.Size() == size);
  // The PHB account's own lines load.
  REQUIRE(Run(cli.base + "config set bank.debtor_iban GB29NWBK60161331926819").exit_code == 0);
  CHECK(cli.Ingest("bank", kIngestData + "bank.csv").exit_code == 0);
}

TEST_CASE("a bank line whose payee IBAN fails its check digits is refused naming file line and field in CSV and camt.053") {
  Cli cli;
  const uint64_t size = cli.Size();
  const auto csv_path = cli.tmp / "bank-bad-payee.csv";
  {
    std::ofstream out(csv_path);
    out << "statement_id,line_id,account,booked_on,value_date,amount,counterparty_ref,end_to_end_id,batch_id,"
           "description\n"
        << "S-1,1,GB29NWBK60161331926819,2026-05-05,,-10.00,GB29NWBK60161331926818,E-1,,one digit off\n";
  }
  auto csv = cli.Ingest("bank", csv_path);
  INFO(csv.output);
  CHECK(csv.exit_code == 2);
  CHECK(Contains(csv.output, "bank-bad-payee.csv:2: column 7 (counterparty_ref): is an IBAN (****6818) whose check digits fail"));
  CHECK(cli.Size() == size);

  std::ifstream in(kSamples + "svapnil_gs_camt_053_uk_v2_2.camt.053.001.02.xml");
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t at = xml.find("CH6908235000012345678");
  REQUIRE(at != std::string::npos);
  xml.replace(at, 21, "CH6908235000012345679");
  const auto camt_path = cli.tmp / "bad-payee.xml";
  std::ofstream(camt_path) << xml;
  auto camt = cli.Ingest("bank", camt_path);
  INFO(camt.output);
  CHECK(camt.exit_code == 2);
  CHECK(Contains(camt.output, "bad-payee.xml:"));
  CHECK(Contains(camt.output, "counterparty_ref is an IBAN (****5679) whose check digits fail"));
  CHECK(cli.Size() == size);
}

TEST_CASE("dates more than dates.future_days_max after today are refused on ingest and pay unless --future-dated gives a reason") {
  Cli cli;
  const std::string on_day = "RINGFENCE_TODAY=2026-04-01 " + cli.base;  // today+31 = 2026-05-02
  const std::string pots = cli.tmp / "pots.csv";
  const auto write_pots = [&](const char* funded_on) {
    rf::test::WriteFile(pots, std::string("pot_id,name,programme,financial_year,amount,funded_on\n") +
                                  "POT-A,A,PHB,2026-27,100.00,2026-04-01\nPOT-B,B,PHB,2026-27,50.00," + funded_on + "\n");
  };
  const uint64_t size = cli.Size();
  write_pots("2026-05-03");  // today + 32
  auto late = Run(on_day + "ingest pots " + Quote(pots));
  INFO(late.output);
  CHECK(late.exit_code == 2);
  CHECK(Contains(late.output, "pots.csv:3: column 6 (funded_on): FUTURE_DATED: 2026-05-03 is more than 31 days after "
                              "today (2026-04-01)"));
  CHECK(Contains(late.output, "--future-dated"));
  CHECK(cli.Size() == size);  // nothing changed, not even POT-A

  auto no_words = Run(on_day + "ingest pots " + Quote(pots) + " --future-dated ' . '");
  CHECK(no_words.exit_code == 2);
  CHECK(Contains(no_words.output, "--future-dated: give the reason in words"));
  CHECK(cli.Size() == size);

  auto allowed = Run(on_day + "ingest pots " + Quote(pots) + " --future-dated 'board agreed early funding'");
  INFO(allowed.output);
  CHECK(allowed.exit_code == 0);
  CHECK(Contains(allowed.output, "allowed: board agreed early funding"));

  write_pots("2026-05-02");  // today + 31: the edge is allowed (POT-B differs, so a new file)
  rf::test::WriteFile(pots, "pot_id,name,programme,financial_year,amount,funded_on\nPOT-C,C,PHB,2026-27,10.00,2026-05-02\n");
  auto edge = Run(on_day + "ingest pots " + Quote(pots));
  INFO(edge.output);
  CHECK(edge.exit_code == 0);

  // Invoices: the service period and the day received are checked.
  const std::string invoices = cli.tmp / "invoices.csv";
  rf::test::WriteFile(invoices,
                      "invoice_id,provider_id,budget_id,amount,service_from,service_to,received_on,category,description\n"
                      "INV-1,V-1,B-1,10.00,2026-04-01,2099-04-30,2026-04-01,therapy,\n");
  auto service = Run(on_day + "ingest invoices " + Quote(invoices));
  INFO(service.output);
  CHECK(service.exit_code == 2);
  CHECK(Contains(service.output, "invoices.csv:2: column 6 (service_to): FUTURE_DATED: 2099-04-30"));

  // pay --date: today + 32 refused, today + 31 runs; a wider horizon by config.
  REQUIRE(Run(on_day + "config set bank.debtor_iban GB33BUKB20201555555555 --date 2026-04-01").exit_code == 0);
  auto pay_late = Run(on_day + "pay --date 2026-05-03 --dry-run");
  INFO(pay_late.output);
  CHECK(pay_late.exit_code == 2);
  CHECK(Contains(pay_late.output, "--date: 2026-05-03 is more than 31 days after today (2026-04-01)"));
  auto pay_edge = Run(on_day + "pay --date 2026-05-02 --dry-run");
  INFO(pay_edge.output);
  CHECK(pay_edge.exit_code == 0);
  auto pay_reason = Run(on_day + "pay --date 2026-05-03 --dry-run --future-dated 'bank holiday run agreed early'");
  INFO(pay_reason.output);
  CHECK(pay_reason.exit_code == 0);
  REQUIRE(Run(on_day + "config set dates.future_days_max 40 --date 2026-04-01").exit_code == 0);
  CHECK(Run(on_day + "pay --date 2026-05-03 --dry-run").exit_code == 0);
  CHECK(Run(on_day + "pay --date 2026-05-12 --dry-run").exit_code == 2);

  // post: each entry's effective date (the horizon is 40 days now).
  const std::string post = cli.tmp / "note.json";
  rf::test::WriteFile(post, R"({"kind": "note", "effective": "2026-05-12", "body": {"text": "planned"}})");
  const uint64_t before_post = cli.Size();
  auto post_late = Run(on_day + "post " + Quote(post));
  INFO(post_late.output);
  CHECK(post_late.exit_code == 2);
  CHECK(Contains(post_late.output, "note.json#1: effective: 2026-05-12 is more than 40 days after today"));
  CHECK(cli.Size() == before_post);
  CHECK(Run(on_day + "post " + Quote(post) + " --future-dated 'agreed at the board'").exit_code == 0);
}
