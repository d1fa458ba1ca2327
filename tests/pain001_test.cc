#include "ledger/bank/pain001.h"
#include "ledger/bank/iban.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <pugixml.hpp>
#include <string>

#include "tests/test_util.h"

namespace rf {
namespace {

const std::string kSchema = std::string(RF_TEST_DATA_DIR) + "/iso20022/pain.001.001.03.xsd";

Pence P(const char* text) { return *Pence::Parse(text, "amount"); }

// A run with awkward text: XML specials, quotes, accents, scripts a UK bank
// cannot take, and a remittance longer than Max140Text.
PaymentRun AwkwardRun() {
  PaymentRun run;
  run.message_id = "RF-2026-04-RUN-0001";
  run.created_at = *ParseUtcTimestamp("2026-04-01T09:30:15.123456Z", "created");
  run.initiating_party_name = "NHS Example ICB";
  run.debtor_name = "NHS Example ICB PHB account";
  run.debtor_iban = "GB29NWBK60161331926819";
  run.requested_execution_date = *Date::Parse("2026-04-02", "date");
  run.payment_information_id = "RUN-2026-04-02";
  run.transfers = {
      {"INV-1001", P("1234.56"), "Smith & Sons <Care> 'Ltd' \"Quoted\"", "GB82WEST12345698765432",
       "Invoice 1001 & 1002 <March>"},
      {"DP-B0042-2026-04", P("0.01"), "Zo\u00eb \u0141ukasz Dvo\u0159\u00e1k", "GB33BUKB20201555555555",
       "Direct payment \u00a3 April \u2013 \u201cPA hours\u201d"},
      {"INV/2002", P("99999.99"), "\u674e\u5c0f\u9f99 Support CIC", "GB94BARC10201530093459", std::string(300, 'x')},
      {"INV-3003", P("7"), "Caf\u00e9 M\u00fcller", "GB29NWBK60161331926819", ""},
  };
  return run;
}

std::string WriteTemp(const test::TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST_CASE("a payment run with awkward names validates against the ISO pain.001.001.03 schema") {
  REQUIRE(std::system("command -v xmllint > /dev/null") == 0);  // apt-get install libxml2-utils
  Result<std::string> xml = WritePain001(AwkwardRun());
  REQUIRE(xml.ok());
  test::TempDir dir;
  const std::string path = WriteTemp(dir, "run.xml", *xml);
  const std::string command = "xmllint --noout --schema '" + kSchema + "' '" + path + "' 2> '" + path + ".log'";
  const int rc = std::system(command.c_str());
  std::ifstream log(path + ".log");
  const std::string errors((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  INFO(errors);
  CHECK(rc == 0);
}

TEST_CASE("pain.001 control sums and counts are exact and reading the file back gives the same transfers") {
  const PaymentRun run = AwkwardRun();
  Result<std::string> xml = WritePain001(run);
  REQUIRE(xml.ok());
  pugi::xml_document doc;
  REQUIRE(doc.load_buffer(xml->data(), xml->size()));
  pugi::xml_node root = doc.child("Document");
  CHECK(std::string(root.attribute("xmlns").value()) == "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03");
  pugi::xml_node header = root.child("CstmrCdtTrfInitn").child("GrpHdr");
  pugi::xml_node info = root.child("CstmrCdtTrfInitn").child("PmtInf");
  CHECK(std::string(header.child_value("MsgId")) == run.message_id);
  CHECK(std::string(header.child_value("CreDtTm")) == "2026-04-01T09:30:15Z");
  CHECK(std::string(header.child_value("NbOfTxs")) == "4");
  CHECK(std::string(info.child_value("NbOfTxs")) == "4");
  // 1234.56 + 0.01 + 99999.99 + 7.00
  CHECK(std::string(header.child_value("CtrlSum")) == "101241.56");
  CHECK(std::string(info.child_value("CtrlSum")) == "101241.56");
  CHECK(std::string(info.child_value("PmtInfId")) == run.payment_information_id);
  CHECK(std::string(info.child_value("BtchBookg")) == "true");
  CHECK(std::string(info.child_value("ReqdExctnDt")) == "2026-04-02");
  CHECK(std::string(info.child("DbtrAcct").child("Id").child_value("IBAN")) == run.debtor_iban);

  Pence sum;
  size_t i = 0;
  for (pugi::xml_node tx : info.children("CdtTrfTxInf")) {
    REQUIRE(i < run.transfers.size());
    const CreditTransfer& want = run.transfers[i++];
    CHECK(std::string(tx.child("PmtId").child_value("EndToEndId")) == want.end_to_end_id);
    pugi::xml_node amount = tx.child("Amt").child("InstdAmt");
    CHECK(std::string(amount.attribute("Ccy").value()) == "GBP");
    Result<Pence> got = Pence::Parse(amount.child_value(), "InstdAmt");
    REQUIRE(got.ok());
    CHECK(*got == want.amount);
    sum += *got;
    CHECK(std::string(tx.child("CdtrAcct").child("Id").child_value("IBAN")) == want.creditor_iban);
    CHECK(std::string(tx.child("Cdtr").child_value("Nm")) == ToBankLatin(want.creditor_name, kPainNameCharsMax));
    CHECK(std::string(tx.child("RmtInf").child_value("Ustrd")) ==
          ToBankLatin(want.remittance, kPainRemittanceCharsMax));
  }
  CHECK(i == run.transfers.size());
  CHECK(sum.ToDecimal() == header.child_value("CtrlSum"));
  // Empty remittance text is left out rather than written empty.
  CHECK_FALSE(info.find_child([](pugi::xml_node n) {
                    return std::string(n.child("PmtId").child_value("EndToEndId")) == "INV-3003";
                  })
                  .child("RmtInf"));
}

TEST_CASE("names and remittance text are made to fit the Latin set UK banks accept") {
  CHECK(ToBankLatin("Smith & Sons <Care> 'Ltd' \"Quoted\"", 70) == "Smith + Sons Care 'Ltd' 'Quoted'");
  CHECK(ToBankLatin("Zo\u00eb \u0141ukasz Dvo\u0159\u00e1k", 70) == "Zoe Lukasz Dvorak");
  CHECK(ToBankLatin("Stra\u00dfe \u00c6sir", 70) == "Strasse AEsir");
  CHECK(ToBankLatin("\u674e\u5c0f\u9f99 Support CIC", 70) == "Support CIC");
  CHECK(ToBankLatin("  a \t\n b  ", 70) == "a b");
  CHECK(ToBankLatin(std::string(300, 'x'), 140) == std::string(140, 'x'));
  CHECK(ToBankLatin("abc def", 4) == "abc");  // no trailing space after the cut
}

TEST_CASE("pain.001 refuses identifiers it would have to change") {
  PaymentRun run = AwkwardRun();
  SECTION("a character outside the set") {
    run.transfers[1].end_to_end_id = "DP_B0042";
    Result<std::string> xml = WritePain001(run);
    REQUIRE_FALSE(xml.ok());
    CHECK(xml.status().message().find("transfer 2 (DP_B0042), end-to-end id") != std::string::npos);
  }
  SECTION("longer than 35 characters") {
    run.payment_information_id = std::string(36, 'R');
    CHECK(WritePain001(run).status().message().find("longer than 35") != std::string::npos);
  }
  SECTION("a leading slash") {
    run.message_id = "/RUN1";
    CHECK(WritePain001(run).status().message().find("'/'") != std::string::npos);
  }
  SECTION("a repeated end-to-end id") {
    run.transfers[3].end_to_end_id = run.transfers[0].end_to_end_id;
    CHECK(WritePain001(run).status().message().find("repeats") != std::string::npos);
  }
}

TEST_CASE("pain.001 refuses bad amounts, IBANs and names, and an empty run") {
  PaymentRun run = AwkwardRun();
  SECTION("zero amount") {
    run.transfers[0].amount = Pence();
    CHECK(WritePain001(run).status().message().find("not more than zero") != std::string::npos);
  }
  SECTION("negative amount") {
    run.transfers[0].amount = P("-1.00");
    CHECK_FALSE(WritePain001(run).ok());
  }
  SECTION("IBAN check digits") {
    run.transfers[2].creditor_iban = "GB94BARC10201530093458";
    const std::string message = WritePain001(run).status().message();
    CHECK(message.find("transfer 3 (INV/2002), creditor IBAN ****3458") != std::string::npos);
    CHECK(message.find("BARC1020") == std::string::npos);  // masked, as everywhere
  }
  SECTION("IBAN with spaces") {
    run.debtor_iban = "GB29 NWBK 6016 1331 9268 19";
    const std::string message = WritePain001(run).status().message();
    CHECK(message.find("without spaces") != std::string::npos);
    CHECK(message.find("NWBK") == std::string::npos);
  }
  SECTION("a name with nothing a bank accepts") {
    run.transfers[0].creditor_name = "\u674e\u5c0f\u9f99";
    CHECK(WritePain001(run).status().message().find("creditor name") != std::string::npos);
  }
  SECTION("not UTF-8") {
    run.transfers[0].remittance = "caf\xe9";
    CHECK(WritePain001(run).status().message().find("not UTF-8") != std::string::npos);
  }
  SECTION("no transfers") {
    run.transfers.clear();
    CHECK(WritePain001(run).status().message().find("no transfers") != std::string::npos);
  }
}

TEST_CASE("IBAN check accepts published examples") {
  for (const char* iban : {"GB29NWBK60161331926819", "GB82WEST12345698765432", "GB33BUKB20201555555555",
                           "GB94BARC10201530093459", "DE89370400440532013000", "GB36GSLD04296250000970"}) {
    INFO(iban);
    CHECK(CheckIban(iban, "iban").ok());
  }
  CHECK_FALSE(CheckIban("gb29nwbk60161331926819", "iban").ok());
  CHECK_FALSE(CheckIban("GB29NWBK6016133192681", "iban").ok());
}

}  // namespace
}  // namespace rf
