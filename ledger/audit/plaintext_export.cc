#include "ledger/audit/plaintext_export.h"

#include <cassert>
#include <set>

#include "ledger/core/entry_kinds.h"

namespace rf {
namespace {

std::string BeancountComponent(const std::string& id) {
  std::string out;
  for (const char c : id) out += (c == '.' || c == '_') ? '-' : c;
  if (out.empty() || !((out[0] >= 'A' && out[0] <= 'Z') || (out[0] >= '0' && out[0] <= '9'))) {
    if (out[0] >= 'a' && out[0] <= 'z') {
      out[0] = static_cast<char>(out[0] - 'a' + 'A');
    } else {
      out = "X" + out;
    }
  }
  return out;
}

std::string BeancountAccount(const Account& a) {
  std::string root;
  switch (a.type) {
    case AccountType::kFunding:
      root = "Equity:Funding";
      break;
    case AccountType::kPot:
      root = "Assets:Pot";
      break;
    case AccountType::kBudget:
      root = "Assets:Budget";
      break;
    case AccountType::kPayable:
      root = "Assets:Payable";
      break;
    case AccountType::kDp:
      root = "Assets:Dp";
      break;
    case AccountType::kPaid:
      root = "Expenses:Paid";
      break;
    case AccountType::kSpent:
      root = "Expenses:Spent";
      break;
    case AccountType::kExternal:
      root = "Expenses:External";
      break;
  }
  std::string out = root + ":" + BeancountComponent(a.id);
  if (!a.detail.empty()) out += ":" + BeancountComponent(a.detail);
  return out;
}

// Comments carry only printable text on one line.
std::string OneLine(const std::string& s) {
  std::string out;
  for (const char c : s) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

}  // namespace

Result<PlainTextFormat> ParsePlainTextFormat(std::string_view name) {
  if (name == "hledger") return PlainTextFormat::kHledger;
  if (name == "ledger") return PlainTextFormat::kLedger;
  if (name == "beancount") return PlainTextFormat::kBeancount;
  return Status::InvalidInput("--format: expected hledger, ledger or beancount");
}

Result<PlainTextReport> ExportPlainText(const Journal& journal, PlainTextFormat format, std::ostream& out) {
  PlainTextReport report;
  const bool bean = format == PlainTextFormat::kBeancount;
  const char* comment = ";";
  out << comment << " ringfence journal of " << OneLine(journal.org()) << " (" << journal.origin() << ")\n"
      << comment << " amounts in GBP; positive = the account holds money; one transaction per entry\n";
  if (bean) out << "option \"operating_currency\" \"GBP\"\n";
  out << "\n";
  std::set<std::string> opened;
  Status s = journal.ForEachLine(1, [&](uint64_t seq, std::string_view line) -> Status {
    ++report.entries;
    auto entry = ParseEntryLine(line);
    if (!entry.ok()) return Status::Tampered("entry " + std::to_string(seq) + ": " + entry.status().message());
    const EntryDraft& d = entry->draft;
    auto body = BodyReader::Scan(d.body_json);
    if (!body.ok()) return Status::Tampered("entry " + std::to_string(seq) + ": " + body.status().message());
    if (!body->Has("postings")) return Status::Ok();
    auto postings = ParsePostingsText(body->Raw("postings"));
    if (!postings.ok()) return Status::Tampered("entry " + std::to_string(seq) + ": " + postings.status().message());
    if (postings->empty()) return Status::Ok();
    ++report.transactions;
    if (bean) {
      for (const auto& p : *postings) {
        const std::string name = BeancountAccount(p.account);
        if (opened.insert(name).second) out << "1970-01-01 open " << name << " GBP\n";
      }
      out << d.effective.ToIso() << " * \"" << d.kind << " #" << seq << "\"\n";
    } else {
      out << d.effective.ToIso() << " * " << d.kind << " #" << seq << "\n";
    }
    out << "    ; seq " << seq << ", actor " << OneLine(d.actor) << ", source " << OneLine(d.source) << "\n";
    if (const auto reason = body->Text("reason")) out << "    ; reason: " << OneLine(*reason) << "\n";
    for (const auto& p : *postings) {
      const std::string name = bean ? BeancountAccount(p.account) : p.account.ToString();
      out << "    " << name << "  " << p.amount.ToDecimal() << " GBP\n";
    }
    out << "\n";
    if (!out) return Status::Io("writing the export failed");
    return Status::Ok();
  });
  if (!s.ok()) return s;
  out.flush();
  if (!out) return Status::Io("writing the export failed");
  return report;
}

}  // namespace rf
