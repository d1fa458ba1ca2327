// invoices: invoice_id, provider_id, budget_id, amount, service_from,
// service_to, received_on, category, description. Received, not yet
// approved: no money moves until `approve`.
#include "ingest/identifiers.h"
#include "ingest/ingest_kinds.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

enum Column : size_t {
  kInvoiceId,
  kProviderId,
  kBudgetId,
  kAmount,
  kServiceFrom,
  kServiceTo,
  kReceivedOn,
  kCategory,
  kDescription
};
constexpr CsvColumnSpec kColumns[] = {{"invoice_id"}, {"provider_id"}, {"budget_id"}, {"amount"},     {"service_from"},
                                      {"service_to"}, {"received_on"}, {"category"},  {"description"}};

void ParseInvoice(RowFields& row, const RowContext& context, ParsedRow* out) {
  InvoiceFields f;
  f.invoice_id = row.Id(kInvoiceId);
  f.provider_id = row.Id(kProviderId);
  f.budget_id = row.Id(kBudgetId);
  f.amount = row.PositiveAmount(kAmount);
  const size_t before_dates = row.problems();
  f.service_from = row.Day(kServiceFrom);
  f.service_to = row.Day(kServiceTo);
  if (row.problems() == before_dates && f.service_to < f.service_from) {
    row.Fail(kServiceTo, "is " + f.service_to.ToIso() + ", before service_from " + f.service_from.ToIso());
  }
  if (row.problems() == before_dates) {
    CheckNotFutureDated(row, kServiceFrom, f.service_from, context);
    CheckNotFutureDated(row, kServiceTo, f.service_to, context);
  }
  f.received_on = EventDay(row, kReceivedOn, context);
  f.category = std::string(row.Raw(kCategory));
  if (const Status slug = CheckCategorySlug(f.category); !slug.ok()) row.Fail(kCategory, slug.message());
  f.description = row.Text(kDescription, false);
  if (!row.ok()) return;
  out->key = RecordKey(RecordKind::kInvoice, f.invoice_id);
  out->label = "invoice " + f.invoice_id;
  out->references = {{RecordKey(RecordKind::kProvider, f.provider_id), kProviderId, "provider"},
                     {RecordKey(RecordKind::kBudget, f.budget_id), kBudgetId, "budget"}};
  out->draft = InvoiceReceivedDraft(f, {context.actor, ""});
}

}  // namespace

const CsvKind& InvoicesKind() {
  static const CsvKind kind{"invoices", kColumns, &ParseInvoice};
  return kind;
}

}  // namespace rf
