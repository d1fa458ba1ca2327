#ifndef RINGFENCE_INGEST_INGEST_KINDS_H_
#define RINGFENCE_INGEST_INGEST_KINDS_H_

// The CSV input kinds (PRODUCT.md "Input files"): for each, its columns and
// the one function that validates a row and builds its draft. Each kind
// lives in its own rows_<kind>.cc; this file only lists them.
//
// A row parser reads every field through RowFields (so all bad fields of a
// row are reported), applies the kind's cross-field rules, and fills
// `out` with the draft (built by the entry_kinds.h builders, never by hand),
// the idempotency key and the records the row refers to. It does not look
// at the ledger: that is the caller's, in one read snapshot.

#include <span>
#include <string_view>

#include "ingest/csv_reader.h"
#include "ingest/ingest_row.h"

namespace rf {

struct CsvKind {
  std::string_view name;  // the KIND of `ringfence ingest KIND FILE`
  std::span<const CsvColumnSpec> columns;
  // REQUIRES: `row` reads the current record; `out` is empty.
  // Leaves `out` complete when row.ok() afterwards.
  void (*parse)(RowFields& row, const RowContext& context, ParsedRow* out);
};

// nullptr when `name` is not a CSV kind.
const CsvKind* FindCsvKind(std::string_view name);

// "pots, people, providers, budgets, invoices, dp-returns, transfers,
// reviews, bank".
std::string_view IngestKindNames();

// One per rows_<kind>.cc.
const CsvKind& PotsKind();
const CsvKind& PeopleKind();
const CsvKind& ProvidersKind();
const CsvKind& BudgetsKind();
const CsvKind& InvoicesKind();
const CsvKind& DpReturnsKind();
const CsvKind& TransfersKind();
const CsvKind& ReviewsKind();
const CsvKind& BankCsvKind();

}  // namespace rf

#endif  // RINGFENCE_INGEST_INGEST_KINDS_H_
