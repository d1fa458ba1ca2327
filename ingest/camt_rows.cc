#include "ingest/camt_rows.h"

#include <cassert>
#include <fstream>

#include "ledger/core/entry_kinds.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

// Enough to get past a BOM and leading blank lines to the first element.
constexpr size_t kSniffBytes = 512;

bool EndsWithXml(const std::string& path) {
  if (path.size() < 4) return false;
  std::string tail = path.substr(path.size() - 4);
  for (char& c : tail) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return tail == ".xml";
}

}  // namespace

Result<bool> LooksLikeXml(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the file");
  if (EndsWithXml(path)) return true;
  char buffer[kSniffBytes];
  in.read(buffer, sizeof(buffer));
  if (in.bad()) return Status::Io(path + ": cannot read the file");
  std::string_view head(buffer, static_cast<size_t>(in.gcount()));
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  const size_t first = head.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && head[first] == '<';
}

std::string CamtVersionName(CamtVersion version) {
  return version == CamtVersion::k001_08 ? "camt.053.001.08" : "camt.053.001.02";
}

std::vector<CamtRow> CamtRows(const CamtFile& file, const RowContext& context, std::vector<CsvError>* errors) {
  std::vector<CamtRow> rows;
  for (const CamtStatement& statement : file.statements) {
    assert(statement.currency == "GBP");
    for (const CamtBankLine& line : statement.lines) {
      if (line.amount.is_zero()) {
        errors->push_back({Status::Code::kInvalidInput, context.source_name, line.source_line, 0, "",
                           "bank line " + line.line_id + " moves no money (amount 0.00); expected a booked amount"});
        continue;
      }
      BankLineFields f;
      f.statement_id = statement.statement_id;
      f.line_id = line.line_id;
      f.account = statement.account;
      f.booked_on = line.booked_on;
      f.value_date = line.value_date;
      f.amount = line.amount;
      f.counterparty_ref = line.counterparty_ref;
      f.end_to_end_id = line.end_to_end_id;
      f.batch_id = line.batch_id;
      f.description = line.description;
      auto problems = CheckBankLineAccounts(f.account, f.counterparty_ref, context.debtor_iban);
      if (context.horizon.has_value()) {
        if (!context.horizon->Allows(f.booked_on)) {
          problems.push_back({"booked_on", "FUTURE_DATED: " + context.horizon->Refusal(f.booked_on)});
        }
        if (f.value_date.has_value() && !context.horizon->Allows(*f.value_date)) {
          problems.push_back({"value_date", "FUTURE_DATED: " + context.horizon->Refusal(*f.value_date)});
        }
      }
      for (const BankLineProblem& problem : problems) {
        errors->push_back({Status::Code::kInvalidInput, context.source_name, line.source_line, 0, problem.field,
                           "bank line " + line.line_id + ": " + problem.field + " " + problem.message});
      }
      if (!problems.empty()) continue;
      CamtRow out;
      out.line = line.source_line;
      out.row.key = RecordKey(RecordKind::kBankLine, f.statement_id + "/" + f.line_id);
      out.row.label = "bank line " + f.statement_id + "/" + f.line_id;
      out.row.draft = BankLineDraft(f, {context.actor, ""});
      rows.push_back(std::move(out));
    }
  }
  return rows;
}

}  // namespace rf
