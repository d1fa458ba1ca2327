#include "ledger/bank/camt053.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <initializer_list>
#include <pugixml.hpp>
#include <unordered_map>
#include <utility>

#include "ledger/core/canonical_json.h"
#include "crypto/small_file.h"

namespace rf {
namespace {

constexpr std::string_view kNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.";

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Everything a reader needs about the document: its name for messages, its
// bytes (for line numbers), the element prefix ("" or "ns:") of the ISO
// namespace and the version.
class Doc {
 public:
  Doc(std::string_view xml, const std::string& name) : xml_(xml), name_(name) {}

  void set_prefix(std::string prefix) { prefix_ = std::move(prefix); }

  // The element name for `local` with the document's prefix; stable storage,
  // so it may be handed to pugixml's named iterators.
  const char* Name(const char* local) {
    if (prefix_.empty()) return local;
    return names_.try_emplace(local, prefix_ + local).first->second.c_str();
  }
  // The element at the end of `path` below `node` (first match at each step),
  // or an empty node.
  pugi::xml_node Find(pugi::xml_node node, std::initializer_list<const char*> path) {
    for (const char* local : path) node = node.child(Name(local));
    return node;
  }
  std::string Text(pugi::xml_node node, std::initializer_list<const char*> path) {
    return std::string(Trim(Find(node, path).child_value()));
  }
  bool Is(pugi::xml_node node, const char* local) { return std::string_view(node.name()) == Name(local); }

  // 1-based line of `node` in the file. Lines are mostly asked for in document
  // order, so a cursor makes a whole read O(file) rather than O(file * lines).
  size_t LineOf(pugi::xml_node node) { return LineAtOffset(node.offset_debug()); }
  size_t LineAtOffset(ptrdiff_t offset) {
    if (offset < 0) return 0;
    const size_t target = std::min(static_cast<size_t>(offset), xml_.size());
    if (target < cursor_offset_) cursor_offset_ = 0, cursor_line_ = 1;
    cursor_line_ += std::count(xml_.begin() + cursor_offset_, xml_.begin() + target, '\n');
    cursor_offset_ = target;
    assert(cursor_line_ >= 1);
    return cursor_line_;
  }

  // "/Document/BkToCstmrStmt/Stmt[2]/Ntry[3]/Amt": an index wherever a name repeats.
  static std::string PathOf(pugi::xml_node node) {
    std::string path;
    for (; node && node.type() == pugi::node_element; node = node.parent()) {
      size_t index = 1;
      for (auto s = node.previous_sibling(node.name()); s; s = s.previous_sibling(node.name())) ++index;
      const bool repeats = index > 1 || node.next_sibling(node.name());
      path.insert(0, "/" + std::string(node.name()) + (repeats ? "[" + std::to_string(index) + "]" : ""));
    }
    return path;
  }

  Status Error(pugi::xml_node node, const std::string& why) {
    return Status::InvalidInput(name_ + " line " + std::to_string(LineOf(node)) + ", " + PathOf(node) + ": " + why);
  }

 private:
  std::string_view xml_;
  const std::string& name_;
  std::string prefix_;
  std::unordered_map<std::string, std::string> names_;  // local name -> prefixed, a few dozen
  size_t cursor_offset_ = 0;
  size_t cursor_line_ = 1;
};

// An unsigned ISO amount element (<Amt Ccy="GBP">12.34</Amt>) as exact pence.
Result<Pence> ReadAmount(Doc& doc, pugi::xml_node amt) {
  assert(amt);  // callers check presence and name the missing element
  const std::string_view currency = Trim(amt.attribute("Ccy").value());
  if (currency != "GBP") {
    return doc.Error(amt, "currency \"" + std::string(currency) + "\"; ringfence keeps GBP accounts only");
  }
  const std::string_view text = Trim(amt.child_value());
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    return doc.Error(amt, "amount \"" + std::string(text) +
                              "\" is signed; camt.053 amounts are unsigned and CdtDbtInd gives the direction");
  }
  Result<Pence> pence = Pence::Parse(text, "amount");
  if (!pence.ok()) return doc.Error(amt, pence.status().message());
  assert(!pence->is_negative());
  return pence;
}

// +1 for CRDT, -1 for DBIT.
Result<int> ReadDirection(Doc& doc, pugi::xml_node parent, pugi::xml_node indicator) {
  const std::string_view code = Trim(indicator.child_value());
  if (code == "CRDT") return 1;
  if (code == "DBIT") return -1;
  if (!indicator) return doc.Error(parent, "CdtDbtInd is missing (CRDT or DBIT)");
  return doc.Error(indicator, "\"" + std::string(code) + "\" is neither CRDT nor DBIT");
}

// BookgDt / ValDt: <Dt>YYYY-MM-DD</Dt> or <DtTm>YYYY-MM-DDThh:mm:ss[zone]</DtTm>;
// a date-time keeps the calendar day the bank wrote, whatever its zone.
Result<Date> ReadDate(Doc& doc, pugi::xml_node choice) {
  pugi::xml_node dt = doc.Find(choice, {"Dt"});
  if (!dt) dt = doc.Find(choice, {"DtTm"});
  const std::string_view text = Trim(dt.child_value());
  if (!dt || (doc.Is(dt, "DtTm") && (text.size() < 11 || text[10] != 'T'))) {
    return doc.Error(dt ? dt : choice, "expected a date (Dt) or a date and time (DtTm)");
  }
  Result<Date> date = Date::Parse(text.substr(0, 10), "date");
  if (!date.ok()) return doc.Error(dt, date.status().message());
  return date;
}

// The other party's account and name: the creditor's for money out, the
// debtor's for money in, else whichever side is there.
void ReadCounterparty(Doc& doc, pugi::xml_node tx, int direction, CamtBankLine& line) {
  pugi::xml_node parties = doc.Find(tx, {"RltdPties"});
  const char* first[2] = {"Cdtr", "CdtrAcct"};
  const char* second[2] = {"Dbtr", "DbtrAcct"};
  if (direction > 0) std::swap(first, second);
  for (const auto& side : {first, second}) {
    pugi::xml_node account = doc.Find(parties, {side[1], "Id"});
    std::string ref = doc.Text(account, {"IBAN"});
    if (ref.empty()) ref = doc.Text(account, {"Othr", "Id"});
    std::string name = doc.Text(parties, {side[0], "Nm"});               // 001.02
    if (name.empty()) name = doc.Text(parties, {side[0], "Pty", "Nm"});  // 001.08
    if (ref.empty() && name.empty()) continue;
    line.counterparty_ref = std::move(ref);
    line.counterparty_name = std::move(name);
    return;
  }
}

void AppendPart(std::string& out, std::string_view part, std::string_view separator) {
  part = Trim(part);
  if (part.empty()) return;
  if (!out.empty()) out += separator;
  out += part;
}

// Cuts `s` to at most `bytes_max` bytes without splitting a UTF-8 character.
void CutUtf8(std::string& s, size_t bytes_max) {
  if (s.size() <= bytes_max) return;
  size_t end = bytes_max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
  assert(s.size() <= bytes_max);
}

// The fields a transaction detail gives a line (all optional in the schema).
void ReadDetail(Doc& doc, pugi::xml_node tx, int direction, CamtBankLine& line) {
  std::string end_to_end = doc.Text(tx, {"Refs", "EndToEndId"});
  line.end_to_end_id = end_to_end == "NOTPROVIDED" ? "" : end_to_end;
  std::string bank_ref = doc.Text(tx, {"Refs", "AcctSvcrRef"});
  if (!bank_ref.empty()) line.bank_ref = std::move(bank_ref);
  ReadCounterparty(doc, tx, direction, line);
  std::string remittance;
  pugi::xml_node rmt = doc.Find(tx, {"RmtInf"});
  for (pugi::xml_node part : rmt.children(doc.Name("Ustrd"))) AppendPart(remittance, part.child_value(), " ");
  AppendPart(line.description, remittance, "; ");
  AppendPart(line.description, doc.Text(rmt, {"Strd", "CdtrRefInf", "Ref"}), "; ");
  AppendPart(line.description, doc.Text(tx, {"AddtlTxInf"}), "; ");
}

struct Detail {
  pugi::xml_node tx;
  pugi::xml_node batch;  // the Btch of its NtryDtls, possibly empty
};

// Batch id in order of preference: Btch/PmtInfId (the pain.001 payment
// information id), Refs/PmtInfId, Btch/MsgId.
std::string BatchId(Doc& doc, pugi::xml_node batch, pugi::xml_node tx) {
  std::string id = doc.Text(batch, {"PmtInfId"});
  if (id.empty()) id = doc.Text(tx, {"Refs", "PmtInfId"});
  if (id.empty()) id = doc.Text(batch, {"MsgId"});
  return id;
}

class StatementReader {
 public:
  StatementReader(Doc& doc, CamtVersion version) : doc_(doc), version_(version) {}

  Status Read(pugi::xml_node stmt, CamtStatement& out) {
    out.statement_id = doc_.Text(stmt, {"Id"});
    if (out.statement_id.empty()) return doc_.Error(stmt, "the statement has no Id");
    pugi::xml_node acct = doc_.Find(stmt, {"Acct"});
    out.account = doc_.Text(acct, {"Id", "IBAN"});
    out.account_is_iban = !out.account.empty();
    if (out.account.empty()) out.account = doc_.Text(acct, {"Id", "Othr", "Id"});
    if (out.account.empty()) return doc_.Error(acct ? acct : stmt, "no account identification (Id/IBAN or Id/Othr/Id)");
    pugi::xml_node ccy = doc_.Find(acct, {"Ccy"});
    if (ccy && Trim(ccy.child_value()) != "GBP") {
      return doc_.Error(
          ccy, "account currency \"" + std::string(Trim(ccy.child_value())) + "\"; ringfence keeps GBP accounts only");
    }
    out.currency = "GBP";
    size_t ordinal = 0;
    for (pugi::xml_node ntry : stmt.children(doc_.Name("Ntry"))) {
      ++ordinal;
      if (++entries_seen_ > kCamtEntriesMax) {
        return doc_.Error(ntry, "more than " + std::to_string(kCamtEntriesMax) + " entries in one file");
      }
      RF_RETURN_IF_ERROR(ReadEntry(ntry, out, ordinal));
    }
    return Status::Ok();
  }

 private:
  Status ReadEntry(pugi::xml_node ntry, CamtStatement& out, size_t ordinal) {
    pugi::xml_node sts = doc_.Find(ntry, {"Sts"});
    std::string status = version_ == CamtVersion::k001_02 ? doc_.Text(ntry, {"Sts"}) : doc_.Text(sts, {"Cd"});
    if (status.empty() && version_ == CamtVersion::k001_08) status = doc_.Text(sts, {"Prtry"});
    if (status.empty()) return doc_.Error(ntry, "the entry has no status (Sts)");
    if (status != "BOOK") {
      ++out.entries_not_booked;
      return Status::Ok();
    }
    pugi::xml_node amt = doc_.Find(ntry, {"Amt"});
    if (!amt) return doc_.Error(ntry, "the entry has no amount (Amt)");
    Result<Pence> magnitude = ReadAmount(doc_, amt);
    if (!magnitude.ok()) return magnitude.status();
    Result<int> direction = ReadDirection(doc_, ntry, doc_.Find(ntry, {"CdtDbtInd"}));
    if (!direction.ok()) return direction.status();
    const Pence amount = *direction > 0 ? *magnitude : -*magnitude;

    CamtBankLine base;
    pugi::xml_node booked = doc_.Find(ntry, {"BookgDt"});
    if (!booked) return doc_.Error(ntry, "the entry has no booking date (BookgDt)");
    Result<Date> booked_on = ReadDate(doc_, booked);
    if (!booked_on.ok()) return booked_on.status();
    base.booked_on = *booked_on;
    if (pugi::xml_node value = doc_.Find(ntry, {"ValDt"})) {
      Result<Date> value_date = ReadDate(doc_, value);
      if (!value_date.ok()) return value_date.status();
      base.value_date = *value_date;
    }
    const std::string reversal = doc_.Text(ntry, {"RvslInd"});
    base.reversal = reversal == "true" || reversal == "1";
    base.bank_ref = doc_.Text(ntry, {"AcctSvcrRef"});
    base.source_line = doc_.LineOf(ntry);
    std::string key = base.bank_ref;
    if (key.empty() && !doc_.Text(ntry, {"NtryRef"}).empty())
      key = out.statement_id + "/" + doc_.Text(ntry, {"NtryRef"});
    if (key.empty()) key = out.statement_id + "/#" + std::to_string(ordinal);

    // Every detail with the batch of its NtryDtls; every batch, with or without details.
    std::vector<Detail> real;
    std::vector<pugi::xml_node> batches;
    for (pugi::xml_node group : ntry.children(doc_.Name("NtryDtls"))) {
      pugi::xml_node batch = doc_.Find(group, {"Btch"});
      if (batch) batches.push_back(batch);
      for (pugi::xml_node tx : group.children(doc_.Name("TxDtls"))) {
        if (real.size() == kCamtEntryDetailsMax) {
          return doc_.Error(tx, "more than " + std::to_string(kCamtEntryDetailsMax) + " details in one entry");
        }
        real.push_back({tx, batch});
      }
      if (batches.size() > kCamtEntryDetailsMax) return doc_.Error(group, "too many batches in one entry");
    }

    std::vector<Pence> split;
    if (real.size() >= 2) {
      Result<std::vector<Pence>> amounts = DetailAmounts(real, *direction);
      if (!amounts.ok()) return amounts.status();
      split = std::move(*amounts);
    }
    if (!split.empty()) {
      Pence sum;
      for (const Pence& p : split) sum += p;  // bounded: each is a parsed amount (money.h envelope)
      if (sum != amount) {
        return doc_.Error(ntry, "the entry's " + std::to_string(real.size()) + " details add up to " + sum.ToDecimal() +
                                    " but the entry amount is " + amount.ToDecimal());
      }
      for (size_t i = 0; i < real.size(); ++i) {
        CamtBankLine line = base;
        line.line_id = key + "/" + std::to_string(i + 1);
        line.amount = split[i];
        line.source_line = doc_.LineOf(real[i].tx);
        ReadDetail(doc_, real[i].tx, split[i].is_negative() ? -1 : 1, line);
        line.batch_id = BatchId(doc_, real[i].batch, real[i].tx);
        RF_RETURN_IF_ERROR(Finish(ntry, std::move(line), out));
      }
      return Status::Ok();
    }
    // One line for the whole entry.
    if (batches.size() > 1) {
      return doc_.Error(ntry,
                        "the entry holds " + std::to_string(batches.size()) +
                            " batches without an amount for each transaction; ringfence cannot tell how it splits");
    }
    CamtBankLine line = std::move(base);
    line.line_id = key;
    line.amount = amount;
    pugi::xml_node batch = batches.empty() ? pugi::xml_node() : batches.front();
    pugi::xml_node sole = real.size() == 1 ? real.front().tx : pugi::xml_node();
    if (sole) ReadDetail(doc_, sole, *direction, line);
    line.batch_id = BatchId(doc_, batch, sole);
    const std::string count = doc_.Text(batch, {"NbOfTxs"});
    line.batch_transactions = count.empty() && real.size() >= 2 ? real.size() : 0;
    const auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), line.batch_transactions);
    if (!count.empty() && (error != std::errc() || end != count.data() + count.size())) {
      return doc_.Error(doc_.Find(batch, {"NbOfTxs"}), "\"" + count + "\" is not a count of transactions");
    }
    return Finish(ntry, std::move(line), out);
  }

  // Adds the line; its id is the idempotency key of a bank line, so a repeat is refused.
  Status Finish(pugi::xml_node ntry, CamtBankLine line, CamtStatement& out) {
    if (++lines_seen_ > kCamtLinesMax) return doc_.Error(ntry, "more than " + std::to_string(kCamtLinesMax) + " lines");
    auto [first, inserted] = first_line_.emplace(line.line_id, line.source_line);
    if (!inserted) {
      return doc_.Error(
          ntry, "bank line id \"" + line.line_id + "\" repeats the entry at line " + std::to_string(first->second));
    }
    AppendPart(line.description, doc_.Text(ntry, {"AddtlNtryInf"}), "; ");
    CutUtf8(line.description, kCamtDescriptionBytesMax);
    assert(!line.line_id.empty() && line.description.size() <= kCamtDescriptionBytesMax);
    out.lines.push_back(std::move(line));
    return Status::Ok();
  }

  // Signed amounts of every detail, or an empty vector when any detail does
  // not state one (then the entry stays one line). A stated amount must be GBP.
  Result<std::vector<Pence>> DetailAmounts(const std::vector<Detail>& real, int entry_direction) {
    std::vector<Pence> amounts;
    for (const Detail& d : real) {
      pugi::xml_node amt = version_ == CamtVersion::k001_08 ? doc_.Find(d.tx, {"Amt"}) : pugi::xml_node();
      if (!amt) amt = doc_.Find(d.tx, {"AmtDtls", "TxAmt", "Amt"});
      if (!amt) return std::vector<Pence>();
      Result<Pence> magnitude = ReadAmount(doc_, amt);
      if (!magnitude.ok()) return magnitude.status();
      int direction = entry_direction;
      if (pugi::xml_node indicator = doc_.Find(d.tx, {"CdtDbtInd"})) {
        Result<int> own = ReadDirection(doc_, d.tx, indicator);
        if (!own.ok()) return own.status();
        direction = *own;
      }
      amounts.push_back(direction > 0 ? *magnitude : -*magnitude);
    }
    assert(amounts.size() == real.size());
    return amounts;
  }

  Doc& doc_;
  CamtVersion version_;
  size_t entries_seen_ = 0;  // across the file, as the bounds are
  size_t lines_seen_ = 0;
  std::unordered_map<std::string, size_t> first_line_;  // line id -> source line, at most kCamtLinesMax
};

}  // namespace

Result<CamtFile> ParseCamt053(std::string_view xml, const std::string& name) {
  if (xml.size() > kCamtFileBytesMax) {
    return Status::InvalidInput(name + ": larger than " + std::to_string(kCamtFileBytesMax >> 20) +
                                " MiB, the most ringfence reads as one bank statement file");
  }
  if (!IsValidUtf8(xml)) return Status::InvalidInput(name + ": is not UTF-8 text (camt.053 files are UTF-8)");
  Doc doc(xml, name);
  pugi::xml_document dom;
  const pugi::xml_parse_result parsed =
      dom.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return Status::InvalidInput(name + " line " + std::to_string(doc.LineAtOffset(parsed.offset)) +
                                ": not well-formed XML (" + parsed.description() + ")");
  }
  pugi::xml_node root = dom.document_element();
  const std::string_view root_name = root.name();
  const size_t colon = root_name.find(':');
  const std::string prefix = colon == std::string_view::npos ? "" : std::string(root_name.substr(0, colon + 1));
  if (root_name.substr(prefix.size()) != "Document") {
    return doc.Error(root, "the root element is not an ISO 20022 Document");
  }
  const std::string xmlns_attr = prefix.empty() ? "xmlns" : "xmlns:" + prefix.substr(0, prefix.size() - 1);
  const std::string_view ns = Trim(root.attribute(xmlns_attr.c_str()).value());
  CamtFile file;
  if (ns == std::string(kNamespacePrefix) + "02") {
    file.version = CamtVersion::k001_02;
  } else if (ns == std::string(kNamespacePrefix) + "08") {
    file.version = CamtVersion::k001_08;
  } else {
    return doc.Error(root, "namespace \"" + std::string(ns) +
                               "\" is not a camt.053 statement ringfence reads (camt.053.001.02 or camt.053.001.08)");
  }
  doc.set_prefix(prefix);
  pugi::xml_node body = doc.Find(root, {"BkToCstmrStmt"});
  if (!body) return doc.Error(root, "no BkToCstmrStmt (bank-to-customer statement) element");
  file.message_id = doc.Text(body, {"GrpHdr", "MsgId"});

  StatementReader reader(doc, file.version);
  for (pugi::xml_node stmt : body.children(doc.Name("Stmt"))) {
    if (file.statements.size() == kCamtStatementsMax) {
      return doc.Error(stmt, "more than " + std::to_string(kCamtStatementsMax) + " statements in one file");
    }
    CamtStatement statement;
    RF_RETURN_IF_ERROR(reader.Read(stmt, statement));
    file.statements.push_back(std::move(statement));
  }
  if (file.statements.empty()) return doc.Error(body, "the file holds no statement (Stmt)");

  return file;
}

Result<CamtFile> ReadCamt053File(const std::string& path) {
  Result<std::string> bytes = ReadSmallFile(path, kCamtFileBytesMax);
  if (!bytes.ok()) return bytes.status();
  return ParseCamt053(*bytes, path);
}

}  // namespace rf
