// dp-returns: return_id, budget_id, spent_on, amount, category,
// description. What a direct-payment or third-party holder reports as
// spent: dp:<budget> -> spent:<budget>:<category> on spent_on, a posting
// with external_id "dp-returns/<return_id>" and the description as memo.
// The amount is more than zero (a refund is a transfer back, not a negative
// return). Prohibited categories are accepted here and flagged by
// reconciliation (PROHIBITED_SPEND), because the money was spent.
#include "ingest/identifiers.h"
#include "ingest/ingest_kinds.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/views.h"
#include "ledger/core/records.h"

namespace rf {
namespace {

enum Column : size_t { kReturnId, kBudgetId, kSpentOn, kAmount, kCategory, kDescription };
constexpr CsvColumnSpec kColumns[] = {{"return_id"}, {"budget_id"}, {"spent_on"},
                                      {"amount"},    {"category"},  {"description"}};

void ParseDpReturn(RowFields& row, const RowContext& context, ParsedRow* out) {
  const std::string return_id = row.Id(kReturnId);
  const std::string budget_id = row.Id(kBudgetId);
  PostingFields f;
  f.effective = EventDay(row, kSpentOn, context);
  const Pence amount = row.PositiveAmount(kAmount);
  const std::string category(row.Raw(kCategory));
  if (const Status slug = CheckCategorySlug(category); !slug.ok()) row.Fail(kCategory, slug.message());
  f.memo = row.Text(kDescription, false);
  if (!row.ok()) return;
  f.postings = {{Account{AccountType::kDp, budget_id, ""}, -amount},
                {Account{AccountType::kSpent, budget_id, category}, amount}};
  f.external_id = "dp-returns/" + return_id;
  out->key = ExternalIdKey(f.external_id);
  out->key_is_xid = true;
  out->label = "return " + return_id;
  out->references = {{RecordKey(RecordKind::kBudget, budget_id), kBudgetId, "budget"}};
  out->draft = PostingDraft(f, {context.actor, ""});
}

}  // namespace

const CsvKind& DpReturnsKind() {
  static const CsvKind kind{"dp-returns", kColumns, &ParseDpReturn};
  return kind;
}

}  // namespace rf
