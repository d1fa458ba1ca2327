// The stored form (ledger/stored_form.h): compressing a journal line on the
// line builder's thread, decoding it on every read, and an invoice record on
// the committing thread. Reports bytes stored per value.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "ledger/core/entry_kinds.h"
#include "ledger/storage/stored_form.h"

namespace {

const rf::DraftOrigin kOrigin{"finance.manager", "invoices.csv:2"};

// Canonical invoice.received lines as an invoices load writes them.
std::vector<std::string> InvoiceLines(size_t count) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < count; ++i) {
    rf::InvoiceFields f;
    f.invoice_id = "INV-" + std::to_string(10'000'000 + i);
    f.provider_id = "V-" + std::to_string(1000 + i % 50);
    f.budget_id = "B-" + std::to_string(100'000 + i % 200);
    f.category = "personal-assistant";
    f.description = "Support hours, May (" + std::to_string(i % 7) + ")";
    f.amount = *rf::Pence::Parse(std::to_string(20 + i % 400) + "." + std::to_string(10 + i % 90), "amount");
    f.service_from = *rf::Date::Parse("2026-05-01", "d");
    f.service_to = *rf::Date::Parse("2026-05-31", "d");
    f.received_on = *rf::Date::Parse("2026-06-03", "d");
    rf::crypto::Hash prev{};
    prev[0] = static_cast<uint8_t>(i);
    prev[31] = static_cast<uint8_t>(i * 7);
    std::string line;
    if (!rf::AppendEntryLine(1000 + i, "2026-11-24T10:00:00.000000Z", prev, rf::InvoiceReceivedDraft(f, kOrigin), &line)
             .ok()) {
      std::abort();
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

void BM_StoredLineCompress(benchmark::State& state) {
  const std::vector<std::string> lines = InvoiceLines(1000);
  rf::StoredCompressor compressor(rf::StoredDictionary::kLineV1);
  std::string out(rf::StoredCompressor::Bound(4096), '\0');
  size_t i = 0, stored = 0, text = 0;
  for (auto _ : state) {
    const std::string& line = lines[i++ % lines.size()];
    stored += compressor.Compress(line, out.data());
    text += line.size();
  }
  state.counters["line_bytes"] = static_cast<double>(text) / static_cast<double>(i);
  state.counters["stored_bytes"] = static_cast<double>(stored) / static_cast<double>(i);
}
BENCHMARK(BM_StoredLineCompress);

void BM_StoredLineDecode(benchmark::State& state) {
  const std::vector<std::string> lines = InvoiceLines(1000);
  rf::StoredCompressor compressor(rf::StoredDictionary::kLineV1);
  std::vector<std::string> stored(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) compressor.Compress(lines[i], &stored[i]);
  rf::StoredDecoder decoder;
  size_t i = 0;
  for (auto _ : state) {
    auto line = decoder.Decode(stored[i++ % stored.size()]);
    if (!line.ok()) std::abort();
    benchmark::DoNotOptimize(line->data());
  }
}
BENCHMARK(BM_StoredLineDecode);

void BM_StoredInvoiceRecordCompress(benchmark::State& state) {
  std::vector<std::string> records;
  for (size_t i = 0; i < 1000; ++i) {
    records.push_back(R"({"amount":")" + std::to_string(20 + i % 400) + R"(.15","budget_id":"B-)" +
                      std::to_string(100'000 + i % 200) + R"(","provider_id":"V-)" + std::to_string(1000 + i % 50) +
                      R"(","received_on":"2026-06-03","seq":)" + std::to_string(4000 + i) +
                      R"(,"service_from":"2026-05-01","service_to":"2026-05-31","state":"received"})");
  }
  rf::StoredCompressor compressor(rf::StoredDictionary::kInvoiceRecordV1);
  std::string out(rf::StoredCompressor::Bound(4096), '\0');
  size_t i = 0, stored = 0;
  for (auto _ : state) stored += compressor.Compress(records[i++ % records.size()], out.data());
  state.counters["stored_bytes"] = static_cast<double>(stored) / static_cast<double>(i);
}
BENCHMARK(BM_StoredInvoiceRecordCompress);

}  // namespace
