#include "ledger/bank/camt053.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "ledger/bank/pain001.h"
#include "tests/test_util.h"

namespace rf {
namespace {

const std::string kIsoDir = std::string(RF_TEST_DATA_DIR) + "/iso20022";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// The public samples in EUR with every currency turned to GBP: real
// structures, so the reader's handling of them is tested past the currency.
std::string AsGbp(const std::string& xml) { return Replace(Replace(xml, "\"EUR\"", "\"GBP\""), ">EUR<", ">GBP<"); }

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Expected outcome of every sample: "" means it loads (checked in detail
// below), anything else is a part of the refusal message.
const std::map<std::string, std::string> kSampleOutcomes = {
    {"genkgo_camt053.v2.all-balance-types.xml", "line 153, /Document/BkToCstmrStmt/Stmt/Ntry/Amt: currency \"EUR\""},
    {"genkgo_camt053.v2.five.decimals.xml", "line 35, /Document/BkToCstmrStmt/Stmt/Acct/Ccy: account currency \"EUR\""},
    {"genkgo_camt053.v2.minimal.xml", "line 40, /Document/BkToCstmrStmt/Stmt/Acct/Ccy: account currency \"EUR\""},
    {"genkgo_camt053.v2.multi.statement.xml",
     "line 40, /Document/BkToCstmrStmt/Stmt[1]/Acct/Ccy: account currency \"EUR\""},
    {"genkgo_camt053.v8.xml", "line 111, /Document/BkToCstmrStmt/Stmt/Ntry/Amt: currency \"EUR\""},
    {"moov_FI_camt_053_sample.camt.053.001.02.xml",
     "line 44, /Document/BkToCstmrStmt/Stmt/Acct/Ccy: account currency \"EUR\""},
    {"moov_statement_1.camt.053.001.02.xml",
     "line 21, /Document/BkToCstmrStmt/Stmt/Acct/Ccy: account currency \"EUR\""},
    {"svapnil_gs_camt_053_uk_v2_2.camt.053.001.02.xml", ""},
    {"svapnil_gs_camt_053_uk_v2_virtual_accounts.camt.053.001.02.xml", ""},
};

TEST_CASE("every public camt.053 sample either loads or is refused with a specific reason") {
  size_t seen = 0;
  for (const auto& item : std::filesystem::directory_iterator(kIsoDir + "/samples")) {
    const std::string file = item.path().filename().string();
    INFO(file);
    auto expected = kSampleOutcomes.find(file);
    REQUIRE(expected != kSampleOutcomes.end());  // a new sample needs its outcome written down here
    ++seen;
    Result<CamtFile> read = ReadCamt053File(item.path().string());
    if (expected->second.empty()) {
      CHECK(read.ok());
      INFO(read.status().message());
    } else {
      REQUIRE_FALSE(read.ok());
      CHECK(read.status().code() == Status::Code::kInvalidInput);
      CHECK(Contains(read.status().message(), item.path().string() + " " + expected->second));
      CHECK(Contains(read.status().message(), "ringfence keeps GBP accounts only"));
    }
  }
  CHECK(seen == kSampleOutcomes.size());
}

TEST_CASE("the Goldman Sachs UK sample reads into two statements and six bank lines") {
  Result<CamtFile> read = ReadCamt053File(kIsoDir + "/samples/svapnil_gs_camt_053_uk_v2_2.camt.053.001.02.xml");
  REQUIRE(read.ok());
  CHECK(read->version == CamtVersion::k001_02);
  CHECK(read->message_id == "9184021900");
  REQUIRE(read->statements.size() == 2);
  const CamtStatement& empty = read->statements[0];
  CHECK(empty.statement_id == "9740092600");
  CHECK(empty.account == "60000635");
  CHECK_FALSE(empty.account_is_iban);
  CHECK(empty.lines.empty());
  const CamtStatement& s = read->statements[1];
  CHECK(s.account == "GB36GSLD04296250000970");
  CHECK(s.account_is_iban);
  CHECK(s.currency == "GBP");
  REQUIRE(s.lines.size() == 6);
  // A BACS credit paid out: entry amount, not the detail's; batch from Refs/PmtInfId.
  CHECK(s.lines[0].line_id == "9740092650/181694450");
  CHECK(s.lines[0].amount.ToDecimal() == "-100.00");
  CHECK(s.lines[0].booked_on.ToIso() == "2023-10-09");  // from DtTm
  CHECK(s.lines[0].batch_id == "c67733f177ea422db587087e7f47567f");
  CHECK(s.lines[0].bank_ref == "SPB2327886082710");
  CHECK(s.lines[0].source_line == 189);
  // A returned payment: money in, marked as a reversal, debtor as counterparty.
  CHECK(s.lines[2].amount.ToDecimal() == "100.00");
  CHECK(s.lines[2].reversal);
  CHECK(s.lines[2].value_date->ToIso() == "2022-10-12");
  CHECK(s.lines[2].end_to_end_id == "00384068");
  CHECK(s.lines[2].counterparty_ref == "12345678");
  CHECK(s.lines[2].counterparty_name == "TEST NAME");
  CHECK(Contains(s.lines[2].description, "GSGA8BGHVA; Desc: Return From"));
  // Money in from an IBAN; both Ustrd parts joined.
  CHECK(s.lines[4].counterparty_ref == "CH6908235000012345678");
  CHECK(s.lines[4].end_to_end_id == "GSUPGKUAUQ6EJDK");
  CHECK(s.lines[4].description.rfind("Test Remit Info Test Remit Info; ", 0) == 0);
  // Money out to a UK account number: the creditor is the counterparty.
  CHECK(s.lines[5].counterparty_ref == "38290008");
  CHECK(s.lines[5].amount.ToDecimal() == "-100.00");
}

TEST_CASE("the EUR samples' structures read once their currency is GBP") {
  const auto read = [](const std::string& file) {
    return ParseCamt053(AsGbp(Slurp(kIsoDir + "/samples/" + file)), file);
  };
  SECTION("more than two decimals is refused, naming the line and the element") {
    Result<CamtFile> r = read("genkgo_camt053.v2.five.decimals.xml");
    REQUIRE_FALSE(r.ok());
    CHECK(Contains(r.status().message(),
                   "genkgo_camt053.v2.five.decimals.xml line 62, /Document/BkToCstmrStmt/Stmt/Ntry/Amt: "
                   "amount: \"8.850\""));
    CHECK(Contains(r.status().message(), "more than two decimal places"));
  }
  SECTION("multi statement") {
    Result<CamtFile> r = read("genkgo_camt053.v2.multi.statement.xml");
    REQUIRE(r.ok());
    REQUIRE(r->statements.size() == 2);
    CHECK(r->statements[0].lines.at(0).line_id == "253EURNL26VAYB8060476890/#1");
    CHECK(r->statements[1].lines.at(0).amount.ToDecimal() == "-7.00");
    CHECK(r->statements[1].lines.at(0).end_to_end_id == "000000002");
  }
  SECTION("version 001.08: Sts/Cd, DtTm, Pty/Nm, a sole detail's own amount ignored") {
    Result<CamtFile> r = read("genkgo_camt053.v8.xml");
    REQUIRE(r.ok());
    CHECK(r->version == CamtVersion::k001_08);
    const CamtBankLine& line = r->statements.at(0).lines.at(0);
    CHECK(line.line_id == "AAAASESS-FP-CN_98765/01");
    CHECK(line.amount.ToDecimal() == "8.85");
    CHECK(line.booked_on.ToIso() == "2014-12-31");
    CHECK(line.counterparty_name == "NAME NAME");
    CHECK(line.end_to_end_id == "MUELL/FINP/RA12345");
  }
  SECTION("batches: one line for a batch without amounts, one per detail when every detail has one") {
    Result<CamtFile> r = read("moov_FI_camt_053_sample.camt.053.001.02.xml");
    REQUIRE(r.ok());
    const std::vector<CamtBankLine>& lines = r->statements.at(0).lines;
    REQUIRE(lines.size() == 13);
    CHECK(lines[1].line_id == "091029ACCTSTMTARCH02");
    CHECK(lines[1].amount.ToDecimal() == "-4000.00");
    CHECK(lines[1].batch_id == "CustRefForPmtBatch");
    CHECK(lines[1].batch_transactions == 3);
    CHECK(lines[2].line_id == "091029ACCTSTMTARCH03/1");
    CHECK(lines[2].amount.ToDecimal() == "-2000.02");
    CHECK(lines[2].batch_id == "CustRefForPmtBatch9");
    CHECK(lines[2].counterparty_ref == "29501800020582");
    CHECK(lines[3].description == "Invoices 123 and 321");
    CHECK(lines[4].amount.ToDecimal() == "-1230.02");
    // Two details share a bank reference; line ids stay unique.
    CHECK(lines[11].line_id == "091029ACCTSTMTARCH09/1");
    CHECK(lines[12].line_id == "091029ACCTSTMTARCH09/2");
  }
  SECTION("NOTPROVIDED end-to-end ids are empty; entries without references get positional ids") {
    Result<CamtFile> r = read("moov_statement_1.camt.053.001.02.xml");
    REQUIRE(r.ok());
    const std::vector<CamtBankLine>& lines = r->statements.at(0).lines;
    REQUIRE(lines.size() == 4);
    CHECK(lines[3].line_id == "201509302599406883/#4");
    CHECK(lines[0].end_to_end_id.empty());
    CHECK(lines[0].counterparty_ref == "LT007180000000000001");
  }
}

// A schema-valid camt.053 text for one GBP statement holding `entries`.
std::string Statement(const std::string& entries, const std::string& version = "02") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001." +
         version +
         "\">\n"
         "<BkToCstmrStmt>\n<GrpHdr><MsgId>BANK-MSG-1</MsgId><CreDtTm>2026-04-03T06:00:00</CreDtTm></GrpHdr>\n"
         "<Stmt><Id>STMT-2026-04-02</Id><CreDtTm>2026-04-03T06:00:00</CreDtTm>\n"
         "<Acct><Id><IBAN>GB29NWBK60161331926819</IBAN></Id><Ccy>GBP</Ccy></Acct>\n"
         "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"GBP\">500000.00</Amt>"
         "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-01</Dt></Dt></Bal>\n" +
         entries + "</Stmt>\n</BkToCstmrStmt>\n</Document>\n";
}

const char* kBankCode =
    "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>";

// The debit a bank books for a pain.001 run: one entry, its batch, and (when
// `detailed`) one TxDtls per transfer echoing the end-to-end ids.
std::string SettlingEntry(const PaymentRun& run, bool detailed) {
  Pence total;
  for (const CreditTransfer& t : run.transfers) total += t.amount;
  std::string entry = "<Ntry><NtryRef>1</NtryRef><Amt Ccy=\"GBP\">" + total.ToDecimal() +
                      "</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-04-02</Dt></BookgDt>"
                      "<ValDt><Dt>2026-04-02</Dt></ValDt><AcctSvcrRef>NWB-20260402-0001</AcctSvcrRef>" +
                      std::string(kBankCode) + "<NtryDtls><Btch><MsgId>" + run.message_id + "</MsgId><PmtInfId>" +
                      run.payment_information_id + "</PmtInfId><NbOfTxs>" + std::to_string(run.transfers.size()) +
                      "</NbOfTxs></Btch>\n";
  for (const CreditTransfer& t : detailed ? run.transfers : std::vector<CreditTransfer>{}) {
    entry += "<TxDtls><Refs><EndToEndId>" + t.end_to_end_id + "</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy=\"GBP\">" +
             t.amount.ToDecimal() + "</Amt></TxAmt></AmtDtls><RltdPties><Cdtr><Nm>" +
             ToBankLatin(t.creditor_name, kPainNameCharsMax) + "</Nm></Cdtr><CdtrAcct><Id><IBAN>" + t.creditor_iban +
             "</IBAN></Id></CdtrAcct></RltdPties><RmtInf><Ustrd>" + ToBankLatin(t.remittance, 140) +
             "</Ustrd></RmtInf></TxDtls>\n";
  }
  return entry + "</NtryDtls></Ntry>\n";
}

PaymentRun SmallRun() {
  PaymentRun run;
  run.message_id = "RF-RUN-0007";
  run.initiating_party_name = "NHS Example ICB";
  run.debtor_name = "NHS Example ICB";
  run.debtor_iban = "GB29NWBK60161331926819";
  run.requested_execution_date = *Date::Parse("2026-04-02", "date");
  run.payment_information_id = "RUN-2026-04-02";
  run.transfers = {{"INV-1001", *Pence::Parse("1234.56", "a"), "Smith & Sons", "GB82WEST12345698765432", "Inv 1001"},
                   {"DP-B0042-2026-04", *Pence::Parse("250", "a"), "Zo\u00eb Hart", "GB33BUKB20201555555555", "April"}};
  return run;
}

TEST_CASE("a statement that settles a pain.001 run reads back as the run's batch or its transfers") {
  const PaymentRun run = SmallRun();
  REQUIRE(WritePain001(run).ok());
  test::TempDir dir;
  for (bool detailed : {false, true}) {
    INFO("detailed: " << detailed);
    const std::string xml = Statement(SettlingEntry(run, detailed));
    const std::string path = dir / (detailed ? "detailed.xml" : "batch.xml");
    std::ofstream(path) << xml;
    const std::string check =
        "xmllint --noout --schema '" + kIsoDir + "/camt.053.001.02.xsd' '" + path + "' 2>/dev/null";
    CHECK(std::system(check.c_str()) == 0);  // the fixture is a real camt.053
    Result<CamtFile> r = ReadCamt053File(path);
    REQUIRE(r.ok());
    const std::vector<CamtBankLine>& lines = r->statements.at(0).lines;
    if (!detailed) {
      REQUIRE(lines.size() == 1);
      CHECK(lines[0].line_id == "NWB-20260402-0001");
      CHECK(lines[0].amount.ToDecimal() == "-1484.56");
      CHECK(lines[0].batch_id == run.payment_information_id);
      CHECK(lines[0].batch_transactions == 2);
      CHECK(lines[0].end_to_end_id.empty());
      continue;
    }
    REQUIRE(lines.size() == run.transfers.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      CHECK(lines[i].line_id == "NWB-20260402-0001/" + std::to_string(i + 1));
      CHECK(lines[i].end_to_end_id == run.transfers[i].end_to_end_id);
      CHECK(lines[i].amount == -run.transfers[i].amount);
      CHECK(lines[i].counterparty_ref == run.transfers[i].creditor_iban);
      CHECK(lines[i].batch_id == run.payment_information_id);
      CHECK(lines[i].booked_on.ToIso() == "2026-04-02");
    }
    CHECK(lines[1].counterparty_name == "Zoe Hart");
  }
}

std::string Entry(const std::string& amount, const std::string& inner = "",
                  const std::string& status = "<Sts>BOOK</Sts>") {
  return "<Ntry><Amt Ccy=\"GBP\">" + amount + "</Amt><CdtDbtInd>CRDT</CdtDbtInd>" + status +
         "<BookgDt><DtTm>2026-04-02T23:30:00-05:00</DtTm></BookgDt>" + kBankCode + inner + "</Ntry>\n";
}

std::string Refusal(const std::string& xml) {
  Result<CamtFile> r = ParseCamt053(xml, "bank.xml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInvalidInput);
  return r.status().message();
}

TEST_CASE("camt.053 reader: what is refused and why") {
  CHECK(Contains(Refusal(Replace(Statement(""), "camt.053.001.02", "camt.053.001.04")),
                 "bank.xml line 2, /Document: namespace \"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04\" is not a "
                 "camt.053 statement ringfence reads"));
  CHECK(Contains(Refusal(Replace(Statement(""), "camt.053", "camt.054")), "is not a camt.053 statement"));
  CHECK(
      Contains(Refusal(Statement("<Ntry>\n<Amt>")), "bank.xml line 9: not well-formed XML (Start-end tags mismatch)"));
  CHECK(Contains(Refusal("caf\xe9"), "bank.xml: is not UTF-8"));
  CHECK(Contains(Refusal(std::string(kCamtFileBytesMax + 1, ' ')), "larger than 64 MiB"));
  CHECK(Contains(Refusal(Statement(Entry("-5.00"))),
                 "/Document/BkToCstmrStmt/Stmt/Ntry/Amt: amount \"-5.00\" is signed"));
  CHECK(Contains(Refusal(Statement(Entry("1e3"))), "Ntry/Amt: amount: \"1e3\" is not an amount"));
  CHECK(Contains(Refusal(Replace(Statement(Entry("5.00")), "CRDT</CdtDbtInd><Sts>", "CRED</CdtDbtInd><Sts>")),
                 "Ntry/CdtDbtInd: \"CRED\" is neither CRDT nor DBIT"));
  CHECK(Contains(Refusal(Replace(Statement(Entry("5.00")), "<BookgDt><DtTm>2026-04-02T", "<BookgDt><DtTm>2026-02-30T")),
                 "Ntry/BookgDt/DtTm: date"));
  SECTION("a repeated bank reference") {
    const std::string ref = "<NtryDtls><TxDtls><Refs><EndToEndId>A</EndToEndId></Refs></TxDtls></NtryDtls>";
    std::string twice = Replace(Statement(Entry("5.00", ref) + Entry("6.00", ref)), "</BookgDt>",
                                "</BookgDt><AcctSvcrRef>SAME</AcctSvcrRef>");
    CHECK(Contains(Refusal(twice), "bank line id \"SAME\" repeats the entry at line"));
  }
  SECTION("details that do not add up to their entry") {
    const std::string details =
        "<NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy=\"GBP\">1.00</Amt></TxAmt></AmtDtls></TxDtls>"
        "<TxDtls><AmtDtls><TxAmt><Amt Ccy=\"GBP\">2.00</Amt></TxAmt></AmtDtls></TxDtls></NtryDtls>";
    CHECK(
        Contains(Refusal(Statement(Entry("5.00", details))), "2 details add up to 3.00 but the entry amount is 5.00"));
    CHECK(ParseCamt053(Statement(Entry("3.00", details)), "ok.xml")->statements[0].lines.size() == 2);
  }
  SECTION("a detail amount in another currency") {
    const std::string details =
        "<NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy=\"GBP\">1.00</Amt></TxAmt></AmtDtls></TxDtls>"
        "<TxDtls><AmtDtls><TxAmt><Amt Ccy=\"USD\">2.00</Amt></TxAmt></AmtDtls></TxDtls></NtryDtls>";
    CHECK(Contains(Refusal(Statement(Entry("3.00", details))), "TxDtls[2]/AmtDtls/TxAmt/Amt: currency \"USD\""));
  }
  SECTION("two batches in one entry without per-transaction amounts") {
    const std::string batches =
        "<NtryDtls><Btch><PmtInfId>A</PmtInfId></Btch></NtryDtls>"
        "<NtryDtls><Btch><PmtInfId>B</PmtInfId></Btch></NtryDtls>";
    CHECK(Contains(Refusal(Statement(Entry("3.00", batches))), "holds 2 batches without an amount"));
  }
}

TEST_CASE("camt.053 reader: pending entries, prefixed namespaces, dates with a zone") {
  const std::string xml =
      Statement(Entry("5.00", "", "<Sts><Cd>BOOK</Cd></Sts>") + Entry("6.00", "", "<Sts><Cd>PDNG</Cd></Sts>"), "08");
  Result<CamtFile> r = ParseCamt053(xml, "v8.xml");
  REQUIRE(r.ok());
  CHECK(r->version == CamtVersion::k001_08);
  REQUIRE(r->statements[0].lines.size() == 1);
  CHECK(r->statements[0].entries_not_booked == 1);
  CHECK(r->statements[0].lines[0].booked_on.ToIso() == "2026-04-02");  // the day the bank wrote
  CHECK(r->statements[0].lines[0].amount.ToDecimal() == "5.00");
  // 001.08 puts the status code in Sts/Cd; the 001.02 form has none there.
  CHECK(Contains(Refusal(Statement(Entry("5.00"), "08")), "no status (Sts)"));

  std::string prefixed = Replace(Replace(Statement(Entry("5.00")), "<", "<c:"), "<c:/", "</c:");
  prefixed = Replace(Replace(prefixed, "<c:?xml", "<?xml"), "xmlns=", "xmlns:c=");
  r = ParseCamt053(prefixed, "prefixed.xml");
  REQUIRE(r.ok());
  CHECK(r->statements.at(0).lines.at(0).amount.ToDecimal() == "5.00");
}

TEST_CASE("camt.053 reader: a missing file is NotFound") {
  CHECK(ReadCamt053File("/nonexistent/bank.xml").status().code() == Status::Code::kNotFound);
}

}  // namespace
}  // namespace rf
