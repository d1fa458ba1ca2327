#include "ingest/ingest_kinds.h"

#include <array>

namespace rf {

const CsvKind* FindCsvKind(std::string_view name) {
  const std::array<const CsvKind*, 9> kinds = {&PotsKind(),      &PeopleKind(),   &ProvidersKind(),
                                               &BudgetsKind(),   &InvoicesKind(), &DpReturnsKind(),
                                               &TransfersKind(), &ReviewsKind(),  &BankCsvKind()};
  for (const CsvKind* kind : kinds) {
    if (kind->name == name) return kind;
  }
  return nullptr;
}

std::string_view IngestKindNames() {
  return "pots, people, providers, budgets, invoices, dp-returns, transfers, reviews, bank";
}

}  // namespace rf
