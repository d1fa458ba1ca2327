#ifndef RINGFENCE_INGEST_CSV_READER_H_
#define RINGFENCE_INGEST_CSV_READER_H_

// A streaming RFC 4180 CSV reader for the input files (PRODUCT.md "Input
// files"). It never holds more than one chunk of the file and one record:
//
//   std::ifstream in(path, std::ios::binary);
//   CsvReader reader(in, "invoices.csv");
//   RF_RETURN_IF_ERROR(reader.ReadHeader());
//   auto columns = MapCsvColumns(kInvoiceColumns, reader.header(), reader.file_name());
//   for (;;) {
//     Result<CsvRead> read = reader.Next();
//     if (!read.ok()) return read.status();
//     if (*read == CsvRead::kEnd) break;
//     std::string_view amount = reader.field((*columns)[kAmount]);
//   }
//
// What is accepted:
// - Fields separated by ',', records ended by CRLF or LF (mixed is fine).
//   A carriage return anywhere else outside quotes is an error.
// - Quoted fields ("...") may hold commas, doubled quotes ("") and line
//   breaks, kept exactly as written (a CRLF inside quotes stays CRLF).
// - A UTF-8 byte order mark at the very start is skipped. Every field must be
//   valid UTF-8; a UTF-16 file is refused with a hint to save it as UTF-8.
// - A header row is required: names non-empty, unique, compared exactly.
// - Every record has exactly as many fields as the header.
// - Blank lines (nothing between two line breaks) are never records. At the
//   end of the file they are ignored; before another record they are an
//   error, because a finance file with a hole in it is more likely damaged
//   than decorated. A line holding only "" is a record with one empty field.
// - The last record may end without a line break. A quote still open at the
//   end of the file is an error: the file is probably truncated.
//
// Line numbers are physical lines (1-based, counted by LF), so they match
// what an editor shows even when a quoted field spans lines. Columns are
// 1-based field positions, named from the header where there is one.
//
// Memory is bounded by kCsvChunkBytes + kCsvRecordBytesMax + the header,
// whatever the size of the file. The hot path does not allocate: fields are
// views into one reused record buffer.

#include <cstddef>
#include <cstdint>
#include <istream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"

namespace rf {

// Bounds (STYLE.md: everything has a bound). A typical invoices row is about
// 120 bytes; these leave room for long free-text descriptions while keeping
// a hostile file from growing memory.
inline constexpr size_t kCsvRecordBytesMax = 64 * 1024;  // raw bytes of one record, quotes and line breaks included
inline constexpr size_t kCsvFieldBytesMax = 4 * 1024;    // one field's value, after unquoting
inline constexpr size_t kCsvColumnsMax = 64;             // fields per record, header included
// 4 GiB is ~35 million invoice rows: more than a national roll-up loads in a
// month by two orders of magnitude, still a file a finance PC can copy.
inline constexpr uint64_t kCsvFileBytesMax = uint64_t{4} << 30;
// Read size: large enough that the stream's per-call cost vanishes.
inline constexpr size_t kCsvChunkBytes = 64 * 1024;

// Where and what went wrong, for callers that want more than the sentence.
struct CsvError {
  Status::Code code = Status::Code::kInvalidInput;  // kIo when the stream failed
  std::string file;                                 // as given to the reader, e.g. "invoices.csv"
  uint64_t line = 0;                                // 1-based physical line of the problem; 0: none
  size_t column = 0;                                // 1-based field position; 0: the whole row
  std::string column_name;                          // from the header, when known
  std::string message;                              // a sentence without the location

  // "invoices.csv:12: column 4 (amount): message", dropping the parts that
  // are unknown ("invoices.csv:12: message", "invoices.csv: message").
  std::string ToString() const;
  Status ToStatus() const;
};

enum class CsvRead { kRecord, kEnd };

class CsvReader {
 public:
  // REQUIRES: `in` outlives the reader and was opened in binary mode.
  // `file_name` appears in every error.
  CsvReader(std::istream& in, std::string file_name);
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the header row. Errors: the file is empty, the header has an empty
  // or duplicate name, or any reading error below.
  // REQUIRES: called once, before Next().
  Status ReadHeader();

  // Reads the next record; kEnd at the end of the file. Errors (InvalidInput,
  // or Io when the stream fails): malformed quoting, a bare carriage return,
  // invalid UTF-8, a wrong number of fields, a blank line before a record, a
  // bound exceeded. After an error every later call returns the same error.
  // REQUIRES: ReadHeader() returned Ok.
  Result<CsvRead> Next();

  // The fields of the record Next() last returned. The views stay valid
  // until the next call to Next().
  // REQUIRES: the last Next() returned kRecord; column_index < field_count().
  size_t field_count() const { return field_ends_.size(); }
  std::string_view field(size_t column_index) const;

  // Physical line where the current record starts (the header is line 1).
  uint64_t record_line() const { return record_line_; }
  // Data records returned so far, the header not counted.
  uint64_t records_read() const { return records_read_; }

  const std::string& file_name() const { return file_name_; }
  // REQUIRES: ReadHeader() returned Ok.
  const std::vector<std::string>& header() const { return header_; }

  // For callers checking field values: an error located at the line where
  // field `column_index` of the current record starts, with its header name.
  // REQUIRES: the last Next() returned kRecord; column_index < field_count().
  CsvError FieldError(size_t column_index, std::string message) const;
  // The line where that field starts; whether any field starts after the
  // record's first line (a quoted line break).
  uint64_t FieldLine(size_t column_index) const;
  bool RecordSpansLines() const;
  // An error at `line` in field `column_index` (0-based), named from the
  // header. Reads only what ReadHeader fixed, so another thread may call it
  // while this reader reads on.
  CsvError ErrorAt(uint64_t line, size_t column_index, std::string message) const;

  // The last error; its message is empty while there has been none.
  const CsvError& error() const { return error_; }

 private:
  enum class Scan { kRecord, kEnd, kError };
  enum class State : uint8_t { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterCr };

  Scan ScanRecord();
  Scan FinishAtEnd(State state);
  // Reads the next chunk; false at the end of the file or on an error.
  bool Refill();
  // Appends chunk_[from, to) to the current field; false when a bound is hit.
  bool Append(size_t from, size_t to);
  bool EndField();
  // False, with the error recorded, when the record would run to `end_offset`
  // past kCsvRecordBytesMax.
  bool WithinRecordBound(uint64_t end_offset);
  Status CheckShape();
  Status CheckRecordUtf8();
  // Record the first error; it sticks.
  Scan Fail(uint64_t line, size_t column, std::string message);
  Status Record(CsvError error);
  CsvError At(uint64_t line, size_t column, std::string message) const;
  uint64_t consumed_bytes() const { return chunk_offset_ + pos_; }

  std::istream& in_;
  const std::string file_name_;

  std::vector<char> chunk_;  // kCsvChunkBytes; bytes [pos_, end_) not yet parsed
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t chunk_offset_ = 0;  // file offset of chunk_[0]
  bool at_eof_ = false;

  std::string record_;                // field values back to back; capacity fixed at kCsvRecordBytesMax
  std::vector<uint32_t> field_ends_;  // end offset of each field in record_; capacity kCsvColumnsMax
  uint64_t record_start_bytes_ = 0;   // file offset where the current record starts
  bool record_has_quotes_ = false;

  uint64_t line_ = 1;  // physical line of chunk_[pos_]
  uint64_t record_line_ = 0;
  uint64_t field_line_ = 0;  // where the current field starts
  uint64_t blank_line_ = 0;  // first blank line not yet followed by a record; 0: none
  uint64_t records_read_ = 0;

  bool header_read_ = false;
  std::vector<std::string> header_;
  CsvError error_;
};

// Mapping a header to the columns a file kind expects.
struct CsvColumnSpec {
  std::string_view name;
  bool required = true;
};

// Index given to an optional column the file does not have.
inline constexpr size_t kCsvColumnAbsent = static_cast<size_t>(-1);

// Extra columns the finance team may keep in a file; ignored by ringfence.
inline constexpr std::string_view kCsvExtraColumnPrefix = "x_";

// Returns, for each expected column in order, its 0-based index in `header`
// (kCsvColumnAbsent for a missing optional one). Columns may come in any
// order. Errors (InvalidInput, at line 1 of `file_name`): a header name that
// is neither expected nor prefixed "x_" (the first such is named), a
// duplicate name, required columns missing (all of them are named).
// REQUIRES: expected names are unique, non-empty and not prefixed "x_".
Result<std::vector<size_t>> MapCsvColumns(std::span<const CsvColumnSpec> expected, std::span<const std::string> header,
                                          std::string_view file_name);

}  // namespace rf

#endif  // RINGFENCE_INGEST_CSV_READER_H_
