// CSV reader throughput on a typical invoices file: 9 columns, ~120 bytes a
// row, one quoted description in four holding a comma. Target: at least
// 1,000,000 rows/s on one core (reported as rows_per_s).
#include <benchmark/benchmark.h>

#include <sstream>
#include <string>

#include "ingest/csv_reader.h"

namespace {

std::string InvoicesCsv(size_t rows) {
  std::string text =
      "invoice_id,provider_id,budget_id,amount,service_from,service_to,received_on,category,description\r\n";
  text.reserve(rows * 130);
  for (size_t i = 0; i < rows; ++i) {
    text += "INV-" + std::to_string(100000 + i) + ",PROV-" + std::to_string(i % 900) + ",B-00" +
            std::to_string(4000 + i % 5000) + "," + std::to_string(i % 2000) + ".50,2026-05-01,2026-05-31,2026-06-03,";
    text += i % 4 == 0 ? "personal-assistant,\"Support worker, 12 hours\"\r\n"
                       : "activities,Weekly art group sessions at the community centre\r\n";
  }
  return text;
}

void BM_CsvReadInvoices(benchmark::State& state) {
  const auto rows = static_cast<size_t>(state.range(0));
  const std::string text = InvoicesCsv(rows);
  size_t fields_bytes = 0;
  for (auto _ : state) {
    std::istringstream in(text, std::ios::binary);
    rf::CsvReader reader(in, "invoices.csv");
    if (!reader.ReadHeader().ok()) state.SkipWithError("header");
    for (size_t guard = 0; guard <= rows; ++guard) {
      const rf::Result<rf::CsvRead> read = reader.Next();
      if (!read.ok()) {
        state.SkipWithError(read.status().message().c_str());
        break;
      }
      if (*read == rf::CsvRead::kEnd) break;
      fields_bytes += reader.field(3).size() + reader.field(8).size();
    }
    if (reader.records_read() != rows) state.SkipWithError("rows lost");
  }
  benchmark::DoNotOptimize(fields_bytes);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * rows), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CsvReadInvoices)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
