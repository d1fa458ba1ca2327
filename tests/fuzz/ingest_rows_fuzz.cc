// libFuzzer entry point for every input kind's row parser: the first byte
// picks the kind, the rest is the file's rows under that kind's own header.
// Any bytes must give drafts or located errors, never a crash; an accepted
// row's draft must be a valid journal entry (canonical line, ValidateDraft).
// Seeds: tests/fuzz/corpus/ingest_rows/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/csv_reader.h"
#include "ingest/ingest_kinds.h"
#include "ingest/ingest_row.h"
#include "ledger/core/entry.h"

namespace {

const rf::CsvKind* const kKinds[] = {&rf::PotsKind(),      &rf::PeopleKind(),   &rf::ProvidersKind(),
                                     &rf::BudgetsKind(),   &rf::InvoicesKind(), &rf::DpReturnsKind(),
                                     &rf::TransfersKind(), &rf::ReviewsKind(),  &rf::BankCsvKind()};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const rf::CsvKind& kind = *kKinds[data[0] % (sizeof(kKinds) / sizeof(kKinds[0]))];
  std::string text;
  for (size_t i = 0; i < kind.columns.size(); ++i) text += (i ? "," : "") + std::string(kind.columns[i].name);
  text += "\n";
  text.append(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::istringstream in(text, std::ios::binary);
  rf::CsvReader reader(in, "fuzz.csv");
  if (!reader.ReadHeader().ok()) std::abort();  // the header is the kind's own
  auto columns = rf::MapCsvColumns(kind.columns, reader.header(), "fuzz.csv");
  if (!columns.ok()) std::abort();
  rf::RowContext context{.source_name = "fuzz.csv",
                        .actor = "fuzzer",
                        .org_account_id = "test-icb",
                        .load_date = *rf::Date::Parse("2026-05-01", "d"),
                        .debtor_iban = "",
                        .horizon = std::nullopt};
  std::vector<rf::CsvError> errors;
  for (int rows = 0; rows < 1000; ++rows) {
    auto read = reader.Next();
    if (!read.ok() || *read == rf::CsvRead::kEnd) break;
    errors.clear();
    rf::RowFields fields(reader, *columns, &errors);
    rf::ParsedRow row;
    kind.parse(fields, context, &row);
    for (const auto& e : errors) (void)e.ToString();
    if (!fields.ok()) continue;
    if (!rf::ValidateDraft(row.draft).ok()) std::abort();
    std::string line;
    rf::crypto::Hash prev{};
    if (!rf::AppendEntryLine(2, "2026-05-01T00:00:00.000000Z", prev, row.draft, &line).ok()) std::abort();
    if (!rf::ParseEntryLine(line).ok()) std::abort();
  }
  return 0;
}
