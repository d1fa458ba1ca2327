#include "tools/sim/sim_statement.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <fstream>

#include "tools/sim/sim_spool.h"
#include "tools/sim/sim_world.h"

namespace rf::sim {
namespace {

namespace fs = std::filesystem;

std::string XmlText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

}  // namespace

PendingLine MakePendingLine(Date booked, int64_t amount_pence, std::string counterparty, std::string end_to_end_id,
                            std::string batch_id, std::string description, std::string settles, std::string kind) {
  PendingLine l;
  l.booked = booked;
  l.amount_pence = amount_pence;
  l.counterparty = std::move(counterparty);
  l.end_to_end_id = std::move(end_to_end_id);
  l.batch_id = std::move(batch_id);
  l.description = std::move(description);
  l.settles = std::move(settles);
  l.kind = std::move(kind);
  return l;
}

int64_t Pence64(const Pence& p) { return *p.ToInt64(); }

// The month's statement, CSV or camt.053.001.02 with one entry a line,
// written line by line: header, lines (each with its line id), footer.
std::string StatementHeader(const Month& month, bool camt) {
  if (!camt) {
    return "statement_id,line_id,account,booked_on,value_date,amount,counterparty_ref,end_to_end_id,batch_id,"
           "description\n";
  }
  const std::string statement_id = "STMT-" + month.ToString();
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n<BkToCstmrStmt>\n"
         "<GrpHdr><MsgId>BUKB-" +
         month.ToString() + "</MsgId><CreDtTm>" + month.last_day().ToIso() +
         "T23:00:00</CreDtTm></GrpHdr>\n<Stmt><Id>" + statement_id + "</Id><CreDtTm>" + month.last_day().ToIso() +
         "T23:00:00</CreDtTm>\n<Acct><Id><IBAN>" + kSimDebtorIban +
         "</IBAN></Id><Ccy>GBP</Ccy></Acct>\n"
         "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"GBP\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
         "<Dt><Dt>" +
         month.first_day().ToIso() + "</Dt></Dt></Bal>\n";
}

std::string StatementFooter(bool camt) { return camt ? "</Stmt>\n</BkToCstmrStmt>\n</Document>\n" : ""; }

// Line `n` (1-based) of the month's statement; its id (statement/line) in *id.
std::string StatementLine(const Month& month, bool camt, size_t n, const PendingLine& l, std::string* id_out) {
  const std::string statement_id = "STMT-" + month.ToString();
  char id[32];
  std::snprintf(id, sizeof id, camt ? "BUKB%s%05zu" : "L%s-%05zu", month.ToString().c_str(), n);
  std::string line_id = id;
  if (camt) line_id.erase(std::remove(line_id.begin(), line_id.end(), '-'), line_id.end());
  *id_out = statement_id + "/" + line_id;
  const std::string amount = FormatPence(l.amount_pence);
  if (!camt) {
    return statement_id + "," + line_id + "," + kSimDebtorIban + "," + l.booked.ToIso() + "," + l.booked.ToIso() + "," +
           amount + "," + l.counterparty + "," + l.end_to_end_id + "," + l.batch_id + "," + l.description + "\n";
  }
  const bool debit = l.amount_pence < 0;
  const std::string abs = FormatPence(debit ? -l.amount_pence : l.amount_pence);
  std::string out = "<Ntry><Amt Ccy=\"GBP\">" + abs + "</Amt><CdtDbtInd>" + (debit ? "DBIT" : "CRDT") +
                    "</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>" + l.booked.ToIso() + "</Dt></BookgDt><ValDt><Dt>" +
                    l.booked.ToIso() + "</Dt></ValDt><AcctSvcrRef>" + line_id +
                    "</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>" + (debit ? "ICDT" : "RCDT") +
                    "</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls>";
  if (!l.batch_id.empty()) {
    out += "<Btch><PmtInfId>" + l.batch_id + "</PmtInfId></Btch>";
  } else {
    out += "<TxDtls>";
    if (!l.end_to_end_id.empty()) out += "<Refs><EndToEndId>" + l.end_to_end_id + "</EndToEndId></Refs>";
    if (!l.counterparty.empty()) {
      out += std::string("<RltdPties><") + (debit ? "CdtrAcct" : "DbtrAcct") + "><Id><IBAN>" + l.counterparty +
             "</IBAN></Id></" + (debit ? "CdtrAcct" : "DbtrAcct") + "></RltdPties>";
    }
    out += "<RmtInf><Ustrd>" + XmlText(l.description) + "</Ustrd></RmtInf></TxDtls>";
  }
  return out + "</NtryDtls></Ntry>\n";
}

// A pending line as a spool record (tab-separated; no field holds a tab).
std::string LineRecord(const PendingLine& l) {
  return std::to_string(l.amount_pence) + "\t" + l.counterparty + "\t" + l.end_to_end_id + "\t" + l.batch_id + "\t" +
         l.description + "\t" + l.settles + "\t" + l.kind + "\t" + l.planted_payment;
}
PendingLine LineFromRecord(Date booked, const std::string& record) {
  const std::vector<std::string> f = SplitTabs(record);
  assert(f.size() == 8);
  PendingLine l = MakePendingLine(booked, std::stoll(f[0]), f[1], f[2], f[3], f[4], f[5], f[6]);
  l.planted_payment = f[7];
  return l;
}

// A payment a streamed run makes, as a spool record, and back.
std::string PaymentSpoolRecord(const RunPayment& p) {
  return std::string(p.purpose == PaymentPurpose::kInvoice ? "invoice" : "instalment") + "\t" + p.payment_id + "\t" +
         p.budget_id + "\t" + p.invoice_id + "\t" + p.payee_ref + "\t" + std::to_string(Pence64(p.amount));
}
RunPayment PaymentFromSpoolRecord(const std::string& record) {
  const std::vector<std::string> f = SplitTabs(record);
  assert(f.size() == 6);
  return {.payment_id = f[1],
          .purpose = f[0] == "invoice" ? PaymentPurpose::kInvoice : PaymentPurpose::kInstalment,
          .invoice_id = f[3],
          .budget_id = f[2],
          .provider_id = "",
          .payee_ref = f[4],
          .creditor_name = "",
          .amount = Pence::FromPence(std::stoll(f[5])),
          .due_on = std::nullopt};
}

// truth.json: the planted flags, then the matches one a line from their
// spool (the matches grow with the people; nothing else does).
Status WriteTruth(const fs::path& path, const SimTruth& truth, const fs::path& matches_spool) {
  SimFileWriter out;
  RF_RETURN_IF_ERROR(out.Open(path.string()));
  SimTruth flags = truth;
  flags.matches.clear();
  nlohmann::json head = TruthJson(flags);
  head.erase("matches");
  std::string text = head.dump(1);
  text.pop_back();  // the closing brace: the matches follow
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  out.Write(text + ",\n \"matches\": [");
  std::ifstream in(matches_spool, std::ios::binary);
  bool first = true;
  for (std::string line; std::getline(in, line);) {
    const std::vector<std::string> f = SplitTabs(line);
    assert(f.size() == 3);
    out.Write(std::string(first ? "\n  " : ",\n  ") +
              nlohmann::json{{"bank_line", f[0]}, {"payment", f[1]}, {"kind", f[2]}}.dump());
    first = false;
  }
  out.Write(first ? "]\n}\n" : "\n ]\n}\n");
  return out.Close();
}

}  // namespace rf::sim
