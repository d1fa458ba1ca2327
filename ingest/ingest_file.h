#ifndef RINGFENCE_INGEST_INGEST_FILE_H_
#define RINGFENCE_INGEST_INGEST_FILE_H_

// `ringfence ingest KIND FILE [--dry-run]`: one input file into the ledger,
// all or nothing (PRODUCT.md "Input files"; issue 5 items 1-4).
//
//   1. Read the rows (CSV streamed, or camt.053 XML for `bank`, parsed
//      whole within its size bound), validating each field; all problems
//      of the file are collected (the first kIngestErrorsMax are reported,
//      then "... and N more").
//   2. Inside the file's one write transaction, for each valid row: the
//      records it refers to must exist (every missing one reported with its
//      column); its id must not repeat an earlier line of the file; if its
//      id is already in the ledger, the row is skipped when its content is
//      the same, and is an error naming both sources when it differs.
//   3. The rows not skipped are applied a chunk (10,000 rows) at a
//      time through Ledger::CommitStream, which applies every rule (e.g. a
//      budget larger than its pot's unallocated money is refused, naming
//      the row's file:line). After the first problem nothing more is
//      applied, reading goes on to report every problem, and the whole
//      transaction is abandoned (exit 2). When every row was already
//      loaded nothing is committed at all, so loading a file twice adds no
//      entry, not even a checkpoint.
//
// Each entry's source is "<file base name>:<line>", the physical line where
// the row starts (for camt.053, the line of the Ntry or TxDtls element).
// Entry dates: the row's own date (funded_on, approved_on, received_on,
// spent_on, date, reviewed_on, booked_on); people and providers have none,
// so they take IngestOptions::load_date, the day they were loaded.
//
// Memory: bounded by one chunk of drafts and its views at a time, plus the
// per-file table of ids and LMDB's dirty pages; it does not grow with the
// file's length otherwise. Speed and peak memory: bench/README.md.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <optional>

#include "ledger/core/date.h"
#include "ledger/storage/ledger.h"
#include "crypto/status.h"

namespace rf {

// Problems listed in one error; the rest are counted.
inline constexpr size_t kIngestErrorsMax = 50;
// Progress is reported every this many rows (so only on larger files).
inline constexpr uint64_t kIngestProgressRows = 10'000;

struct IngestOptions {
  bool dry_run = false;
  std::string actor;  // who runs the command; every entry's actor
  Date load_date;     // effective date of people and providers
  size_t errors_max = kIngestErrorsMax;
  // When set, dates of events (funded_on, approved_on, received_on, service
  // dates, spent_on, date, reviewed_on, booked_on, value_date) more than
  // dates.future_days_max days after `today` are refused (FUTURE_DATED)...
  std::optional<Date> today;
  // ...unless this reason (words: IsReason) is given (--future-dated).
  std::optional<std::string> future_dated_reason;
  // Called every kIngestProgressRows rows while reading; may be empty.
  std::function<void(uint64_t bytes_read, uint64_t bytes_total)> progress;
};

struct IngestSummary {
  std::string kind;
  std::string file;      // the base name
  std::string format;    // "csv", "camt.053.001.02" or "camt.053.001.08"
  uint64_t rows = 0;     // data rows (bank lines for camt.053)
  uint64_t loaded = 0;   // entries written (or that would be, on a dry run)
  uint64_t skipped = 0;  // already loaded with the same content
  bool committed = false;
  uint64_t first_seq = 0, last_seq = 0;  // 0 when nothing was committed
  uint64_t bank_entries_not_booked = 0;  // camt.053 entries that are not BOOK
};

// REQUIRES: `ledger` opened writable; options.actor non-empty.
// Errors: InvalidInput (an unknown kind, a malformed file or row, a
// reference, a duplicate or conflicting id; every problem listed), Refused
// (a ledger rule, naming the row's file:line), NotFound, Io.
Result<IngestSummary> IngestFile(Ledger& ledger, std::string_view kind, const std::string& path,
                                 const IngestOptions& options);

}  // namespace rf

#endif  // RINGFENCE_INGEST_INGEST_FILE_H_
