#include "ledger/bank/pain001.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <set>
#include <string_view>

#include "ledger/bank/iban.h"
#include "ledger/core/canonical_json.h"

namespace rf {
namespace {

bool IsBankLatin(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("/-?:().,'+ ").find(c) != std::string_view::npos;
}

// ASCII for U+00C0..U+00FF; "" means "not a letter" (x and / signs).
constexpr const char* kLatin1Supplement[64] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",  //
    "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U", "U", "U", "Y", "TH", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",  //
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
};
// One ASCII letter for each of U+0100..U+017F (Latin Extended-A).
constexpr std::string_view kLatinExtendedA =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUu"
    "Uu"
    "WwYyYZzZzZzs";
static_assert(kLatinExtendedA.size() == 128);

// Decodes one UTF-8 character at `pos` (the text is valid UTF-8) and advances.
uint32_t NextCodePoint(std::string_view s, size_t& pos) {
  const auto b = static_cast<unsigned char>(s[pos]);
  const size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  assert(pos + len <= s.size());
  uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (size_t i = 1; i < len; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
  pos += len;
  return cp;
}

std::string_view Transliterate(uint32_t cp, char& one) {
  if (cp < 0x80) {
    one = static_cast<char>(cp);
    if (IsBankLatin(one)) return std::string_view(&one, 1);
    if (one == '&') return "+";
    if (one == '"') return "'";
    return " ";
  }
  if (cp >= 0xC0 && cp <= 0xFF) {
    std::string_view ascii = kLatin1Supplement[cp - 0xC0];
    return ascii.empty() ? " " : ascii;
  }
  if (cp >= 0x100 && cp <= 0x17F) return kLatinExtendedA.substr(cp - 0x100, 1);
  if (cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D) return "'";  // curly quotes
  if (cp == 0x2013 || cp == 0x2014) return "-";                                  // dashes
  return " ";
}

// Element text only: quotes need no escaping outside attributes.
void XmlEscapeInto(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
}

// <Tag>escaped text</Tag> at `indent` levels of two spaces.
void Element(std::string& out, int indent, std::string_view tag, std::string_view text) {
  out.append(static_cast<size_t>(indent) * 2, ' ');
  out += '<';
  out += tag;
  out += '>';
  XmlEscapeInto(out, text);
  out += "</";
  out += tag;
  out += ">\n";
}
void Open(std::string& out, int indent, std::string_view tag) {
  out.append(static_cast<size_t>(indent) * 2, ' ');
  out += "<" + std::string(tag) + ">\n";
}
void Close(std::string& out, int indent, std::string_view tag) {
  out.append(static_cast<size_t>(indent) * 2, ' ');
  out += "</" + std::string(tag) + ">\n";
}

Result<std::string> CheckedName(std::string_view name, std::string_view field) {
  if (!IsValidUtf8(name)) return Status::InvalidInput(std::string(field) + ": is not UTF-8 text");
  std::string latin = ToBankLatin(name, kPainNameCharsMax);
  if (latin.empty()) {
    return Status::InvalidInput(std::string(field) + ": \"" + std::string(name.substr(0, 70)) +
                                "\" has no letters or digits a UK bank accepts");
  }
  return latin;
}

}  // namespace

std::string ToBankLatin(std::string_view utf8, size_t chars_max) {
  assert(IsValidUtf8(utf8));
  std::string out;
  size_t pos = 0;
  while (pos < utf8.size() && out.size() <= chars_max) {
    char one = 0;
    for (char c : Transliterate(NextCodePoint(utf8, pos), one)) {
      if (c == ' ' && (out.empty() || out.back() == ' ')) continue;  // collapse and trim leading
      out += c;
    }
  }
  if (out.size() > chars_max) out.resize(chars_max);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  assert(out.size() <= chars_max);
  assert(std::all_of(out.begin(), out.end(), IsBankLatin));
  return out;
}

Status CheckBankId(std::string_view id, std::string_view field) {
  const std::string quoted = "\"" + std::string(id.substr(0, 40)) + (id.size() > 40 ? "...\"" : "\"");
  const std::string head = std::string(field) + ": " + quoted + " ";
  if (id.empty()) return Status::InvalidInput(std::string(field) + ": is empty");
  if (id.size() > kPainIdCharsMax) return Status::InvalidInput(head + "is longer than 35 characters");
  for (char c : id) {
    if (!IsBankLatin(c)) {
      return Status::InvalidInput(head +
                                  "holds a character UK banks refuse (allowed: A-Z a-z 0-9 / - ? : ( ) . , ' + space)");
    }
  }
  if (id.front() == ' ' || id.back() == ' ') return Status::InvalidInput(head + "starts or ends with a space");
  if (id.front() == '/' || id.back() == '/' || id.find("//") != std::string_view::npos) {
    return Status::InvalidInput(head + "starts or ends with '/' or holds \"//\"");
  }
  return Status::Ok();
}

Result<std::string> WritePain001(const PaymentRun& run) {
  if (run.transfers.empty()) return Status::InvalidInput("payment run: has no transfers");
  if (run.transfers.size() > kPainTransfersMax) {
    return Status::InvalidInput("payment run: more than " + std::to_string(kPainTransfersMax) + " transfers");
  }
  RF_RETURN_IF_ERROR(CheckBankId(run.message_id, "message id"));
  RF_RETURN_IF_ERROR(CheckBankId(run.payment_information_id, "payment information id"));
  RF_RETURN_IF_ERROR(CheckIban(run.debtor_iban, "debtor IBAN"));
  Result<std::string> initiator = CheckedName(run.initiating_party_name, "initiating party name");
  if (!initiator.ok()) return initiator.status();
  Result<std::string> debtor = CheckedName(run.debtor_name, "debtor name");
  if (!debtor.ok()) return debtor.status();

  // Check every transfer and total them before writing anything.
  std::set<std::string_view> end_to_end_ids;
  std::vector<std::string> names;
  std::vector<std::string> remittances;
  Pence total;
  for (size_t i = 0; i < run.transfers.size(); ++i) {
    const CreditTransfer& t = run.transfers[i];
    const std::string where = "transfer " + std::to_string(i + 1) + " (" + t.end_to_end_id.substr(0, 35) + "), ";
    RF_RETURN_IF_ERROR(CheckBankId(t.end_to_end_id, "end-to-end id").WithContext(where));
    if (!end_to_end_ids.insert(t.end_to_end_id).second) {
      return Status::InvalidInput(where + "end-to-end id: repeats an earlier transfer's");
    }
    if (t.amount <= Pence()) {
      return Status::InvalidInput(where + "amount: " + t.amount.ToDecimal() + " is not more than zero");
    }
    if (t.amount > Pence::FromPence(kParsedPenceMagnitudeMax)) {
      return Status::InvalidInput(where + "amount: " + t.amount.ToDecimal() + " is too large");
    }
    RF_RETURN_IF_ERROR(CheckIban(t.creditor_iban, "creditor IBAN").WithContext(where));
    Result<std::string> name = CheckedName(t.creditor_name, "creditor name");
    if (!name.ok()) return name.status().WithContext(where);
    if (!IsValidUtf8(t.remittance)) return Status::InvalidInput(where + "remittance: is not UTF-8 text");
    names.push_back(std::move(*name));
    remittances.push_back(ToBankLatin(t.remittance, kPainRemittanceCharsMax));
    total += t.amount;  // cannot overflow: at most 1e5 amounts under 1e14 pence (money.h envelope)
  }
  assert(names.size() == run.transfers.size() && remittances.size() == run.transfers.size());
  assert(total > Pence());
  const std::string count = std::to_string(run.transfers.size());
  const std::string control_sum = total.ToDecimal();
  const std::string created = UtcTimestamp(run.created_at).substr(0, 19) + "Z";

  std::string out;
  out.reserve(1024 + run.transfers.size() * 640);
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\">\n";
  Open(out, 1, "CstmrCdtTrfInitn");
  Open(out, 2, "GrpHdr");
  Element(out, 3, "MsgId", run.message_id);
  Element(out, 3, "CreDtTm", created);
  Element(out, 3, "NbOfTxs", count);
  Element(out, 3, "CtrlSum", control_sum);
  Open(out, 3, "InitgPty");
  Element(out, 4, "Nm", *initiator);
  Close(out, 3, "InitgPty");
  Close(out, 2, "GrpHdr");
  Open(out, 2, "PmtInf");
  Element(out, 3, "PmtInfId", run.payment_information_id);
  Element(out, 3, "PmtMtd", "TRF");
  Element(out, 3, "BtchBookg", "true");
  Element(out, 3, "NbOfTxs", count);
  Element(out, 3, "CtrlSum", control_sum);
  Element(out, 3, "ReqdExctnDt", run.requested_execution_date.ToIso());
  Open(out, 3, "Dbtr");
  Element(out, 4, "Nm", *debtor);
  Close(out, 3, "Dbtr");
  out += "      <DbtrAcct>\n        <Id>\n";
  Element(out, 5, "IBAN", run.debtor_iban);
  out += "        </Id>\n        <Ccy>GBP</Ccy>\n      </DbtrAcct>\n";
  // The debtor's bank is known from its IBAN; the schema still wants the element.
  out +=
      "      <DbtrAgt>\n        <FinInstnId>\n          <Othr>\n            <Id>NOTPROVIDED</Id>\n"
      "          </Othr>\n        </FinInstnId>\n      </DbtrAgt>\n";
  for (size_t i = 0; i < run.transfers.size(); ++i) {
    const CreditTransfer& t = run.transfers[i];
    Open(out, 3, "CdtTrfTxInf");
    Open(out, 4, "PmtId");
    Element(out, 5, "EndToEndId", t.end_to_end_id);
    Close(out, 4, "PmtId");
    out += "        <Amt>\n          <InstdAmt Ccy=\"GBP\">" + t.amount.ToDecimal() + "</InstdAmt>\n        </Amt>\n";
    Open(out, 4, "Cdtr");
    Element(out, 5, "Nm", names[i]);
    Close(out, 4, "Cdtr");
    out += "        <CdtrAcct>\n          <Id>\n";
    Element(out, 6, "IBAN", t.creditor_iban);
    out += "          </Id>\n        </CdtrAcct>\n";
    if (!remittances[i].empty()) {
      Open(out, 4, "RmtInf");
      Element(out, 5, "Ustrd", remittances[i]);
      Close(out, 4, "RmtInf");
    }
    Close(out, 3, "CdtTrfTxInf");
  }
  Close(out, 2, "PmtInf");
  Close(out, 1, "CstmrCdtTrfInitn");
  out += "</Document>\n";
  assert(IsValidUtf8(out));
  return out;
}

}  // namespace rf
