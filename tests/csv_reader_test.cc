#include "ingest/csv_reader.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/core/canonical_json.h"

namespace rf {
namespace {

using Row = std::vector<std::string>;

// Everything a reader produced from one text: the header, the records with
// the line each starts on, and the error (message empty when none).
struct ReadOut {
  Row header;
  std::vector<Row> rows;
  std::vector<uint64_t> lines;
  CsvError error;
  Status status;
};

ReadOut ReadAll(const std::string& text) {
  std::istringstream in(text, std::ios::binary);
  CsvReader reader(in, "t.csv");
  ReadOut out;
  out.status = reader.ReadHeader();
  if (!out.status.ok()) {
    out.error = reader.error();
    return out;
  }
  out.header = reader.header();
  for (int guard = 0; guard < 1'000'000; ++guard) {
    Result<CsvRead> read = reader.Next();
    if (!read.ok()) {
      out.status = read.status();
      out.error = reader.error();
      return out;
    }
    if (*read == CsvRead::kEnd) return out;
    Row row;
    for (size_t i = 0; i < reader.field_count(); ++i) row.emplace_back(reader.field(i));
    out.rows.push_back(std::move(row));
    out.lines.push_back(reader.record_line());
  }
  FAIL("reader did not end");
  return out;
}

ReadOut ReadOk(const std::string& text) {
  ReadOut out = ReadAll(text);
  INFO(out.status.message());
  REQUIRE(out.status.ok());
  return out;
}

CsvError ReadError(const std::string& text) {
  ReadOut out = ReadAll(text);
  REQUIRE_FALSE(out.status.ok());
  CHECK(out.status.message() == out.error.ToString());
  return out.error;
}

TEST_CASE("a plain LF file reads as header and rows, each with the line it starts on") {
  const ReadOut out = ReadOk("invoice_id,amount\nINV-1,12.50\nINV-2,3\n");
  CHECK(out.header == Row{"invoice_id", "amount"});
  CHECK(out.rows == std::vector<Row>{{"INV-1", "12.50"}, {"INV-2", "3"}});
  CHECK(out.lines == std::vector<uint64_t>{2, 3});
}

TEST_CASE("CRLF, LF and a missing final line break read the same") {
  const std::vector<Row> expected = {{"1", "2"}, {"3", "4"}};
  CHECK(ReadOk("a,b\r\n1,2\r\n3,4\r\n").rows == expected);
  CHECK(ReadOk("a,b\n1,2\r\n3,4").rows == expected);
  CHECK(ReadOk("a,b\r\n1,2\n3,4\r\n").rows == expected);
}

TEST_CASE("quoted fields hold commas, doubled quotes and line breaks exactly as written") {
  const ReadOut out = ReadOk("a,b,c\n\"1,234.00\",\"say \"\"hi\"\"\",\"two\nlines\"\n\"\",\"x\r\ny\",\"\"\"\"\n");
  REQUIRE(out.rows.size() == 2);
  CHECK(out.rows[0] == Row{"1,234.00", "say \"hi\"", "two\nlines"});
  CHECK(out.rows[1] == Row{"", "x\r\ny", "\""});
  CHECK(out.lines == std::vector<uint64_t>{2, 4});
}

TEST_CASE("empty fields, a trailing comma and a quoted empty value are all empty strings") {
  const ReadOut out = ReadOk("a,b,c\n,,\n1,,3\n\"\",2,\n");
  CHECK(out.rows == std::vector<Row>{{"", "", ""}, {"1", "", "3"}, {"", "2", ""}});
}

TEST_CASE("a line holding only a quoted empty value is a record, not a blank line") {
  const ReadOut out = ReadOk("a\n\"\"\nx\n");
  CHECK(out.rows == std::vector<Row>{{""}, {"x"}});
}

TEST_CASE("a UTF-8 byte order mark at the start is skipped") {
  const ReadOut out = ReadOk(
      "\xEF\xBB\xBF"
      "a,b\n1,2\n");
  CHECK(out.header == Row{"a", "b"});
  CHECK(out.rows == std::vector<Row>{{"1", "2"}});
}

TEST_CASE("a UTF-16 file is refused with a hint to save it as UTF-8") {
  const CsvError error =
      ReadError(std::string("\xFF\xFE"
                            "a\0,\0b\0",
                            8));
  CHECK(error.line == 1);
  CHECK(error.message.find("UTF-16") != std::string::npos);
}

TEST_CASE("multi-byte UTF-8 characters pass through unchanged") {
  const ReadOut out = ReadOk(
      "name,note\nSi\xC3\xA2n,\"\xC2\xA3"
      "12, \xF0\x9F\x98\x80\"\n");
  CHECK(out.rows == std::vector<Row>{{"Si\xC3\xA2n",
                                      "\xC2\xA3"
                                      "12, \xF0\x9F\x98\x80"}});
}

TEST_CASE("invalid UTF-8 is refused naming the line and the column where it is") {
  for (const std::string bad : {"\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\xFF", "\xF4\x90\x80\x80"}) {
    INFO(bad.size());
    const CsvError plain = ReadError("a,b,c\n1,2,3\n4,x" + bad + ",6\n");
    CHECK(plain.line == 3);
    CHECK(plain.column == 2);
    CHECK(plain.column_name == "b");
    CHECK(plain.message.find("UTF-8") != std::string::npos);

    // Inside a quoted value spanning lines: the line of the bad byte itself.
    const CsvError spanning = ReadError("a,b,c\n\"one\ntwo\",\"3\n4\n5" + bad + "\",x\n");
    CHECK(spanning.line == 5);
    CHECK(spanning.column == 2);
  }
  CHECK(ReadError("a\xC3,b\n").column == 1);  // in the header too
}

TEST_CASE("a quote left open at the end of the file is refused as a probably truncated file") {
  const CsvError error = ReadError("a,b\n1,2\n3,\"unfinished\nvalue");
  CHECK(error.line == 3);
  CHECK(error.column == 2);
  CHECK(error.column_name == "b");
  CHECK(error.message.find("truncated") != std::string::npos);
  CHECK(error.ToString() ==
        "t.csv:3: column 2 (b): a quoted value is not closed before the end of the file; the file may be truncated");
}

TEST_CASE("a quote inside an unquoted value is refused") {
  const CsvError error = ReadError("a,b\n1,ab\"c\n");
  CHECK(error.line == 2);
  CHECK(error.column == 2);
  CHECK(error.message.find("double the quote") != std::string::npos);
}

TEST_CASE("characters after a closing quote are refused") {
  CHECK(ReadError("a,b\n\"12\"x,2\n").column == 1);
  CHECK(ReadError("a,b\n1,\"12\" \n").column == 2);
}

TEST_CASE("a carriage return not followed by a line feed is refused") {
  CHECK(ReadError("a,b\n1,2\r3,4\n").line == 2);
  CHECK(ReadError("a,b\n1,\"2\"\rx\n").line == 2);
  CHECK(ReadError("a,b\n1,2\r").message.find("carriage return") != std::string::npos);
}

TEST_CASE("a row with too few or too many fields is refused naming what is missing") {
  const CsvError few = ReadError("invoice_id,amount,category\nINV-1,12.00,therapy\nINV-2,3.00\n");
  CHECK(few.line == 3);
  CHECK(few.ToString() ==
        "t.csv:3: the row has 2 fields, expected 3 as in the header; column 3 (category) and any after it are missing");
  const CsvError many = ReadError("invoice_id,amount\nINV-1,1,234.00\n");
  CHECK(many.line == 2);
  CHECK(many.message.find("missing its quotes") != std::string::npos);
}

TEST_CASE("an empty file, or one with only a byte order mark, has no header and is refused") {
  CHECK(ReadError("").ToString() == "t.csv: the file is empty; expected a header row");
  CHECK(ReadError("\xEF\xBB\xBF").line == 0);
  CHECK(ReadError("\n").line == 1);
}

TEST_CASE("a file with only a header has no records") {
  CHECK(ReadOk("a,b\n").rows.empty());
  CHECK(ReadOk("a,b").rows.empty());
}

TEST_CASE("header names must be present and unique") {
  const CsvError duplicate = ReadError("a,b,a\n1,2,3\n");
  CHECK(duplicate.column == 3);
  CHECK(duplicate.message == "the header names 'a' twice (also column 1)");
  CHECK(ReadError("a,,c\n").column == 2);
  CHECK(ReadError("a,\"b\nc\"\n").column == 2);
}

TEST_CASE("blank lines are ignored at the end of the file and refused before a record") {
  CHECK(ReadOk("a,b\n1,2\n\n\r\n\n").rows.size() == 1);
  const CsvError error = ReadError("a,b\n1,2\n\n3,4\n");
  CHECK(error.line == 3);
  CHECK(error.message.find("blank") != std::string::npos);
}

TEST_CASE("a value over the field bound is refused, and one at the bound is read") {
  const std::string at_bound(kCsvFieldBytesMax, 'x');
  CHECK(ReadOk("a,b\n1," + at_bound + "\n").rows[0][1] == at_bound);
  CHECK(ReadOk("a,b\n1,\"" + at_bound + "\"\n").rows[0][1] == at_bound);
  const CsvError error = ReadError("a,b\n1,2\n3," + at_bound + "y\n");
  CHECK(error.line == 3);
  CHECK(error.column == 2);
  CHECK(error.message.find("longer than 4096 bytes") != std::string::npos);
}

TEST_CASE("a row over the record bound or with too many fields is refused") {
  std::string header;
  std::string row;
  for (int i = 0; i < 20; ++i) {
    header += (i == 0 ? "c" : ",c") + std::to_string(i);
    row += (i == 0 ? "" : ",") + std::string(4000, 'v');
  }
  const CsvError long_row = ReadError(header + "\n" + row + "\n");
  CHECK(long_row.line == 2);
  CHECK(long_row.message.find("longer than 65536 bytes") != std::string::npos);

  std::string wide;
  for (size_t i = 0; i <= kCsvColumnsMax; ++i) wide += "c" + std::to_string(i) + ",";
  CHECK(ReadError(wide + "\n").message.find("more than 64 fields") != std::string::npos);
}

TEST_CASE("after an error every later read returns the same error") {
  std::istringstream in("a,b\n1\n2,3\n");
  CsvReader reader(in, "t.csv");
  REQUIRE(reader.ReadHeader().ok());
  const Result<CsvRead> first = reader.Next();
  REQUIRE_FALSE(first.ok());
  const Result<CsvRead> second = reader.Next();
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().message() == first.status().message());
}

TEST_CASE("a stream that cannot be read is an I/O error, not an empty file") {
  std::ifstream in("/nonexistent/rf-csv-test.csv", std::ios::binary);
  CsvReader reader(in, "missing.csv");
  const Status status = reader.ReadHeader();
  CHECK(status.code() == Status::Code::kIo);
}

TEST_CASE("a field error names the line where the field starts after fields spanning lines") {
  std::istringstream in("a,b,c\n\"x\ny\",\"p\r\nq\",12.3.4\n");
  CsvReader reader(in, "invoices.csv");
  REQUIRE(reader.ReadHeader().ok());
  REQUIRE(*reader.Next() == CsvRead::kRecord);
  CHECK(reader.record_line() == 2);
  CHECK(reader.FieldError(0, "bad").ToString() == "invoices.csv:2: column 1 (a): bad");
  CHECK(reader.FieldError(2, "is not an amount").ToString() == "invoices.csv:4: column 3 (c): is not an amount");
}

TEST_CASE("quotes and line breaks straddling a chunk boundary read the same") {
  for (size_t shift = 0; shift < 16; ++shift) {
    INFO(shift);
    std::string text = "a,b\n";
    const std::string tail = "\"x\"\"y\r\nz\",\"w\"\r\n";
    // Filler rows of at most 1 KiB until the tail starts just before the boundary.
    const size_t target = kCsvChunkBytes - shift - 3;
    while (text.size() + 1030 < target) text += std::string(1020, 'f') + ",g\n";
    text += std::string(target - text.size() - 3, 'f') + ",g\n";
    REQUIRE(text.size() == target);
    text += tail + "end,end\n";
    const ReadOut out = ReadOk(text);
    REQUIRE(out.rows.size() >= 3);
    CHECK(out.rows[out.rows.size() - 2] == Row{"x\"y\r\nz", "w"});
    CHECK(out.rows.back() == Row{"end", "end"});
  }
}

TEST_CASE("columns map by name in any order, skipping x_ columns, with optional ones absent") {
  const CsvColumnSpec spec[] = {{"invoice_id"}, {"amount"}, {"description", false}, {"note", false}};
  const std::vector<std::string> header = {"amount", "x_cost_centre", "description", "invoice_id"};
  const Result<std::vector<size_t>> mapped = MapCsvColumns(spec, header, "invoices.csv");
  REQUIRE(mapped.ok());
  CHECK(*mapped == std::vector<size_t>{3, 0, 2, kCsvColumnAbsent});
}

TEST_CASE("an unknown column is refused unless prefixed x_") {
  const CsvColumnSpec spec[] = {{"invoice_id"}, {"amount"}};
  const std::vector<std::string> header = {"invoice_id", "colour", "amount"};
  const Status status = MapCsvColumns(spec, header, "invoices.csv").status();
  CHECK(status.message() ==
        "invoices.csv:1: column 2 (colour): is not a column of this file; expected invoice_id, amount (prefix a "
        "column with x_ to keep extra data)");
}

TEST_CASE("missing required columns are refused, all of them named") {
  const CsvColumnSpec spec[] = {{"invoice_id"}, {"amount"}, {"category"}, {"description", false}};
  const std::vector<std::string> header = {"invoice_id"};
  CHECK(MapCsvColumns(spec, header, "invoices.csv").status().message() ==
        "invoices.csv:1: the header lacks the required columns amount, category");
}

TEST_CASE("a column named twice is refused by the mapping") {
  const CsvColumnSpec spec[] = {{"invoice_id"}, {"amount"}};
  const std::vector<std::string> header = {"amount", "invoice_id", "amount"};
  CHECK(MapCsvColumns(spec, header, "i.csv").status().message() ==
        "i.csv:1: column 3 (amount): the header names it twice (also column 1)");
}

// ---- Property tests ----

std::string RandomField(std::mt19937_64& rng) {
  static const std::vector<std::string> kPieces = {
      "a", "Z", "9", " ", ",", "\"", "\r", "\n", "\r\n", "\xC2\xA3", "\xC3\xAB", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
      "x_"};
  std::uniform_int_distribution<size_t> length(0, 12);
  std::uniform_int_distribution<size_t> piece(0, kPieces.size() - 1);
  std::string field;
  for (size_t n = length(rng); n > 0; --n) field += kPieces[piece(rng)];
  return field;
}

// RFC 4180 writer: quotes a value holding a special character, an empty
// value alone on its line, and some others at random.
std::string WriteField(const std::string& value, bool alone, std::mt19937_64& rng) {
  const bool special = value.find_first_of(",\"\r\n") != std::string::npos;
  if (!special && !(alone && value.empty()) && rng() % 5 != 0) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

TEST_CASE("random tables written by an RFC 4180 writer read back equal, with their line numbers (property)") {
  std::mt19937_64 rng(20260401);
  for (int table = 0; table < 60; ++table) {
    const size_t columns = 1 + rng() % 9;
    const size_t rows = rng() % 400;
    std::string text = rng() % 2 ? "\xEF\xBB\xBF" : "";
    Row header;
    for (size_t c = 0; c < columns; ++c) header.push_back("col" + std::to_string(c));
    std::vector<Row> expected;
    std::vector<uint64_t> expected_lines;
    for (size_t r = 0; r <= rows; ++r) {
      const Row row = r == 0 ? header : [&] {
        Row random;
        for (size_t c = 0; c < columns; ++c) random.push_back(RandomField(rng));
        return random;
      }();
      if (r > 0) {
        expected.push_back(row);
        expected_lines.push_back(1 + static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')));
      }
      for (size_t c = 0; c < columns; ++c) text += (c == 0 ? "" : ",") + WriteField(row[c], columns == 1, rng);
      if (r < rows || rng() % 2) text += rng() % 2 ? "\r\n" : "\n";
    }
    INFO("table " << table);
    const ReadOut out = ReadOk(text);
    CHECK(out.header == header);
    CHECK(out.rows == expected);
    CHECK(out.lines == expected_lines);
  }
}

TEST_CASE("random bytes in a value are refused exactly when rf::IsValidUtf8 refuses them (property)") {
  std::mt19937_64 rng(7);
  int refused = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string value;
    for (size_t n = 1 + rng() % 6; n > 0; --n) value += static_cast<char>(0x80 + rng() % 0x80);
    if (rng() % 2) value = "ab" + value;
    std::string quoted = "\"";
    for (char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    const ReadOut out = ReadAll("a,b\n1," + quoted + "\"\n");
    CHECK(out.status.ok() == IsValidUtf8(value));
    if (!out.status.ok()) {
      CHECK(out.error.column == 2);
      ++refused;
    }
  }
  CHECK(refused > 100);
}

}  // namespace
}  // namespace rf
