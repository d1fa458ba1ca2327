#ifndef RINGFENCE_INGEST_CAMT_ROWS_H_
#define RINGFENCE_INGEST_CAMT_ROWS_H_

// The `bank` kind in its camt.053 form: the statement's lines as rows, each
// a bank.line draft keyed like a bank CSV row ("bankline/<statement>/<line>"),
// so the same statement loaded as CSV or XML is the same data.

#include <string>
#include <vector>

#include "ledger/bank/camt053.h"
#include "ingest/ingest_row.h"

namespace rf {

struct CamtRow {
  ParsedRow row;
  uint64_t line = 0;  // of the Ntry or TxDtls element
};

// True when the file is XML: its name ends ".xml" (any case) or its first
// non-blank byte after an optional UTF-8 BOM is '<'.
// Errors: NotFound, Io.
Result<bool> LooksLikeXml(const std::string& path);

// The rows of a statement file already read by ReadCamt053File. A line with
// a zero amount (no money moved) becomes an error in `errors`, located at
// its line; every other line becomes a row.
std::vector<CamtRow> CamtRows(const CamtFile& file, const RowContext& context, std::vector<CsvError>* errors);

// "camt.053.001.02" or "camt.053.001.08".
std::string CamtVersionName(CamtVersion version);

}  // namespace rf

#endif  // RINGFENCE_INGEST_CAMT_ROWS_H_
