// pots: pot_id, name, programme, financial_year, amount, funded_on.
// A pot is funded on funded_on with amount (zero allowed: a pot opened
// before its money arrives): funding:<org> -> pot:<pot>.
#include "ingest/identifiers.h"
#include "ingest/ingest_kinds.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

enum Column : size_t { kPotId, kName, kProgramme, kFinancialYear, kAmount, kFundedOn };
constexpr CsvColumnSpec kColumns[] = {{"pot_id"},         {"name"},   {"programme"},
                                      {"financial_year"}, {"amount"}, {"funded_on"}};

void ParsePot(RowFields& row, const RowContext& context, ParsedRow* out) {
  PotFields f;
  f.pot_id = row.Id(kPotId);
  f.name = row.Text(kName, true);
  f.programme = row.Text(kProgramme, false);
  f.financial_year = row.Text(kFinancialYear, true);
  if (!f.financial_year.empty()) {
    auto year = ParseFinancialYear(f.financial_year);
    if (!year.ok()) row.Fail(kFinancialYear, year.status().message());
  }
  const size_t before_amount = row.problems();
  f.amount = row.Amount(kAmount);
  if (row.problems() == before_amount && f.amount.is_negative()) {
    row.Fail(kAmount, "is " + f.amount.ToDecimal() + "; a pot is funded with zero or more");
  }
  f.funded_on = EventDay(row, kFundedOn, context);
  if (!row.ok()) return;
  out->draft = PotDraft(f, context.org_account_id, {context.actor, ""});
  out->key = RecordKey(RecordKind::kPot, f.pot_id);
  out->label = "pot " + f.pot_id;
}

}  // namespace

const CsvKind& PotsKind() {
  static const CsvKind kind{"pots", kColumns, &ParsePot};
  return kind;
}

}  // namespace rf
