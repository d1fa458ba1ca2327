// libFuzzer entry point for the CSV reader: any bytes must give records or a
// located error, never a crash, an assertion failure or unbounded memory.
// Built by tests/fuzz/CMakeLists.txt (clang++ -fsanitize=fuzzer,address,undefined),
// linked with rf_ingest and rf_core. Seeds: tests/fuzz/corpus/csv_reader/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "ingest/csv_reader.h"
#include "ingest/identifiers.h"
#include "ledger/core/canonical_json.h"

namespace {

// Invariants the reader promises for every record it returns.
void CheckRecord(const rf::CsvReader& reader, size_t columns, uint64_t previous_line) {
  if (reader.field_count() != columns) std::abort();
  if (reader.record_line() <= previous_line) std::abort();
  for (size_t i = 0; i < reader.field_count(); ++i) {
    const std::string_view value = reader.field(i);
    if (value.size() > rf::kCsvFieldBytesMax || !rf::IsValidUtf8(value)) std::abort();
    // The field validators must be total on whatever a file holds.
    (void)rf::CheckGbIban(value);
    (void)rf::MaskIban(value);
    (void)rf::CheckPseudonym(value);
    (void)rf::ParseEthnicCategory(value);
    (void)rf::CheckCategorySlug(value);
    (void)rf::ParseFinancialYear(value);
  }
  (void)reader.FieldError(columns - 1, "probe").ToString();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size), std::ios::binary);
  rf::CsvReader reader(in, "fuzz.csv");
  if (!reader.ReadHeader().ok()) {
    if (reader.error().message.empty()) std::abort();
    return 0;
  }
  const size_t columns = reader.header().size();
  if (columns == 0 || columns > rf::kCsvColumnsMax) std::abort();
  static const rf::CsvColumnSpec kSpec[] = {{"a"}, {"b", false}, {"amount"}};
  (void)rf::MapCsvColumns(kSpec, reader.header(), reader.file_name());

  uint64_t previous_line = 0;
  // Every record holds at least one byte, so size + 1 calls always reach the end.
  for (size_t calls = 0; calls <= size + 1; ++calls) {
    const rf::Result<rf::CsvRead> read = reader.Next();
    if (!read.ok()) {
      if (reader.error().message.empty() || read.status().message() != reader.error().ToString()) std::abort();
      return 0;
    }
    if (*read == rf::CsvRead::kEnd) return 0;
    CheckRecord(reader, columns, previous_line);
    previous_line = reader.record_line();
  }
  std::abort();  // the reader never ended
}
