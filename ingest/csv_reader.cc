#include "ingest/csv_reader.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>

#include "ledger/core/canonical_json.h"

namespace rf {
namespace {

// Bytes that end a run of plain bytes in an unquoted field. Inside quotes only
// '"' does, which memchr finds faster than a table.
constexpr std::array<bool, 256> MakeStops(std::string_view stops) {
  std::array<bool, 256> table{};
  for (char c : stops) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kUnquotedStops = MakeStops(",\"\r\n");

// Every byte of a record is consumed by one pass of ScanRecord's loop, and a
// record is at most kCsvRecordBytesMax bytes plus a few unchecked quotes and
// line-break bytes, so this bound is never reached (asserted).
constexpr size_t kScanPassesMax = 2 * kCsvRecordBytesMax;

bool IsAscii(std::string_view s) {
  uint64_t high_bits = 0;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    high_bits |= word;
  }
  for (; i < s.size(); ++i) high_bits |= static_cast<unsigned char>(s[i]);
  return (high_bits & 0x8080808080808080ULL) == 0;
}

// Offset of the first byte that does not start a valid UTF-8 sequence, or npos.
// rf::IsValidUtf8 stays the one judge of a sequence; this only locates it.
size_t FirstInvalidUtf8Byte(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const size_t length = lead < 0x80           ? 1
                          : (lead >> 5) == 0x6  ? 2
                          : (lead >> 4) == 0xE  ? 3
                          : (lead >> 3) == 0x1E ? 4
                                                : 0;
    if (length == 0 || length > s.size() - i || !IsValidUtf8(s.substr(i, length))) return i;
    i += length;
  }
  return std::string_view::npos;
}

uint64_t CountLineFeeds(std::string_view s) { return static_cast<uint64_t>(std::count(s.begin(), s.end(), '\n')); }

// Why `name` cannot be the next header name, or "" when it can.
std::string HeaderNameProblem(std::string_view name, const std::vector<std::string>& names_before) {
  if (name.empty()) return "the header names no column here; every column needs a name";
  if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return "a header name holds a line break or control character";
  }
  const auto same = std::find(names_before.begin(), names_before.end(), name);
  if (same == names_before.end()) return "";
  return "the header names '" + std::string(name) + "' twice (also column " +
         std::to_string(same - names_before.begin() + 1) + ")";
}

CsvError MakeError(std::string_view file, uint64_t line, size_t column, std::string column_name, std::string message) {
  CsvError error;
  error.file = std::string(file);
  error.line = line;
  error.column = column;
  error.column_name = std::move(column_name);
  error.message = std::move(message);
  return error;
}

}  // namespace

std::string CsvError::ToString() const {
  std::string out = file;
  if (line != 0) out += ":" + std::to_string(line);
  out += ": ";
  if (column != 0) {
    out += "column " + std::to_string(column);
    if (!column_name.empty()) out += " (" + column_name + ")";
    out += ": ";
  }
  return out + message;
}

Status CsvError::ToStatus() const {
  assert(!message.empty());
  return code == Status::Code::kIo ? Status::Io(ToString()) : Status::InvalidInput(ToString());
}

CsvReader::CsvReader(std::istream& in, std::string file_name)
    : in_(in), file_name_(std::move(file_name)), chunk_(kCsvChunkBytes) {
  record_.reserve(kCsvRecordBytesMax);
  field_ends_.reserve(kCsvColumnsMax);
}

std::string_view CsvReader::field(size_t column_index) const {
  assert(column_index < field_ends_.size());
  const size_t begin = column_index == 0 ? 0 : field_ends_[column_index - 1];
  const size_t end = field_ends_[column_index];
  assert(begin <= end && end <= record_.size());
  return std::string_view(record_).substr(begin, end - begin);
}

CsvError CsvReader::FieldError(size_t column_index, std::string message) const {
  return ErrorAt(FieldLine(column_index), column_index, std::move(message));
}

uint64_t CsvReader::FieldLine(size_t column_index) const {
  assert(column_index < field_ends_.size());
  const size_t begin = column_index == 0 ? 0 : field_ends_[column_index - 1];
  return record_line_ + CountLineFeeds(std::string_view(record_).substr(0, begin));
}

bool CsvReader::RecordSpansLines() const { return record_.find('\n') != std::string::npos; }

CsvError CsvReader::ErrorAt(uint64_t line, size_t column_index, std::string message) const {
  return At(line, column_index + 1, std::move(message));
}

Status CsvReader::ReadHeader() {
  assert(!header_read_);
  const Scan scan = ScanRecord();
  if (scan == Scan::kError) return error_.ToStatus();
  if (scan == Scan::kEnd) return Record(At(0, 0, "the file is empty; expected a header row"));
  if (field_count() == 1 && record_.empty() && !record_has_quotes_) {
    return Record(At(record_line_, 0, "is blank; expected a header row"));
  }
  RF_RETURN_IF_ERROR(CheckRecordUtf8());
  header_.reserve(field_count());
  for (size_t i = 0; i < field_count(); ++i) {
    const std::string problem = HeaderNameProblem(field(i), header_);
    if (!problem.empty()) return Record(FieldError(i, problem));
    header_.emplace_back(field(i));
  }
  assert(header_.size() == field_count() && header_.size() <= kCsvColumnsMax);
  header_read_ = true;
  return Status::Ok();
}

Result<CsvRead> CsvReader::Next() {
  assert(header_read_);
  if (!error_.message.empty()) return error_.ToStatus();
  for (uint64_t pass = 0; pass <= kCsvFileBytesMax; ++pass) {  // each pass consumes at least one line break
    const Scan scan = ScanRecord();
    if (scan == Scan::kError) return error_.ToStatus();
    if (scan == Scan::kEnd) return CsvRead::kEnd;  // trailing blank lines are fine
    if (field_count() == 1 && record_.empty() && !record_has_quotes_) {
      if (blank_line_ == 0) blank_line_ = record_line_;
      continue;
    }
    if (blank_line_ != 0) {
      return Record(At(blank_line_, 0, "is blank; blank lines are allowed only at the end of the file"));
    }
    RF_RETURN_IF_ERROR(CheckShape());
    RF_RETURN_IF_ERROR(CheckRecordUtf8());
    ++records_read_;
    return CsvRead::kRecord;
  }
  // Unreachable: blank lines are bounded by the file bound, which Refill enforces.
  assert(false);
  return Record(At(line_, 0, "too many blank lines"));
}

Status CsvReader::CheckShape() {
  const size_t expected = header_.size();
  const size_t got = field_count();
  if (got == expected) return Status::Ok();
  std::string message =
      "the row has " + std::to_string(got) + " fields, expected " + std::to_string(expected) + " as in the header; ";
  if (got < expected) {
    message += "column " + std::to_string(got + 1) + " (" + header_[got] + ") and any after it are missing";
  } else {
    message += "is a value with a comma (such as 1,234.00) missing its quotes?";
  }
  return Record(At(record_line_, 0, std::move(message)));
}

Status CsvReader::CheckRecordUtf8() {
  if (IsAscii(record_)) return Status::Ok();
  for (size_t i = 0; i < field_count(); ++i) {
    const std::string_view value = field(i);
    const size_t bad = FirstInvalidUtf8Byte(value);
    if (bad == std::string_view::npos) continue;
    CsvError error = FieldError(
        i, "is not valid UTF-8 (byte " + std::to_string(bad + 1) + " of the value); save the file as CSV UTF-8");
    error.line += CountLineFeeds(value.substr(0, bad));
    return Record(std::move(error));
  }
  return Status::Ok();
}

CsvReader::Scan CsvReader::ScanRecord() {
  record_.clear();
  field_ends_.clear();
  record_has_quotes_ = false;
  record_start_bytes_ = consumed_bytes();
  record_line_ = line_;
  field_line_ = line_;
  const char* const record_data = record_.data();
  State state = State::kFieldStart;
  for (size_t pass = 0; pass < kScanPassesMax; ++pass) {  // each pass consumes at least one byte
    if (pos_ == end_ && !Refill()) return error_.message.empty() ? FinishAtEnd(state) : Scan::kError;
    assert(pos_ < end_);
    switch (state) {
      case State::kFieldStart:
        field_line_ = line_;
        if (chunk_[pos_] == '"') {
          ++pos_;
          record_has_quotes_ = true;
          state = State::kQuoted;
          break;
        }
        state = State::kUnquoted;
        [[fallthrough]];
      case State::kUnquoted: {
        size_t stop = pos_;
        while (stop < end_ && !kUnquotedStops[static_cast<unsigned char>(chunk_[stop])]) ++stop;
        if (!Append(pos_, stop)) return Scan::kError;
        pos_ = stop;
        if (pos_ == end_) break;
        const char c = chunk_[pos_++];
        if (c == '"') {
          return Fail(line_, field_count() + 1,
                      "a quote inside a value that does not start with one; quote the whole value and "
                      "double the quote (\"\")");
        }
        if (!EndField()) return Scan::kError;
        if (c == '\n') {
          ++line_;
          return Scan::kRecord;
        }
        state = c == ',' ? State::kFieldStart : State::kAfterCr;
        break;
      }
      case State::kQuoted: {
        const void* quote = std::memchr(chunk_.data() + pos_, '"', end_ - pos_);
        const size_t stop = quote == nullptr ? end_ : static_cast<const char*>(quote) - chunk_.data();
        if (!Append(pos_, stop)) return Scan::kError;
        line_ += CountLineFeeds(std::string_view(chunk_.data() + pos_, stop - pos_));
        pos_ = stop;
        if (pos_ < end_) {
          ++pos_;
          state = State::kQuoteInQuoted;
        }
        break;
      }
      case State::kQuoteInQuoted: {
        const char c = chunk_[pos_++];
        if (c == '"') {  // a doubled quote stands for one
          if (!Append(pos_ - 1, pos_)) return Scan::kError;
          state = State::kQuoted;
          break;
        }
        if (c != ',' && c != '\n' && c != '\r') {
          return Fail(line_, field_count() + 1,
                      "characters after the closing quote; a quoted value must end at a comma or the end of the line");
        }
        if (!EndField()) return Scan::kError;
        if (c == '\n') {
          ++line_;
          return Scan::kRecord;
        }
        state = c == ',' ? State::kFieldStart : State::kAfterCr;
        break;
      }
      case State::kAfterCr:
        if (chunk_[pos_] != '\n') return Fail(line_, 0, "a carriage return not followed by a line feed");
        ++pos_;
        ++line_;
        return Scan::kRecord;
    }
    assert(record_.data() == record_data);  // the reserved buffer never moved, so views stay valid
  }
  assert(false);
  return Fail(line_, 0, "the row could not be read");
}

CsvReader::Scan CsvReader::FinishAtEnd(State state) {
  switch (state) {
    case State::kFieldStart:
      // No byte of this record read yet: the file ended after a line break.
      if (field_ends_.empty()) return Scan::kEnd;
      break;  // the line ended in a comma: one more empty field
    case State::kUnquoted:
    case State::kQuoteInQuoted:
      break;
    case State::kQuoted:
      return Fail(field_line_, field_count() + 1,
                  "a quoted value is not closed before the end of the file; the file may be truncated");
    case State::kAfterCr:
      return Fail(line_, 0, "the file ends in a carriage return not followed by a line feed");
  }
  return EndField() ? Scan::kRecord : Scan::kError;
}

bool CsvReader::Refill() {
  assert(pos_ == end_);
  if (at_eof_) return false;
  chunk_offset_ += end_;
  pos_ = 0;
  end_ = 0;
  in_.read(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
  const auto got = static_cast<size_t>(in_.gcount());
  if (in_.bad() || (got == 0 && in_.fail() && !in_.eof())) {
    CsvError error = At(0, 0, "could not be read");
    error.code = Status::Code::kIo;
    Record(std::move(error));
    return false;
  }
  if (got == 0) {
    at_eof_ = true;
    return false;
  }
  assert(got <= chunk_.size());
  end_ = got;
  if (chunk_offset_ + end_ > kCsvFileBytesMax) {
    Fail(line_, 0, "the file is larger than " + std::to_string(kCsvFileBytesMax >> 30) + " GiB; split it");
    return false;
  }
  if (chunk_offset_ == 0) {
    const auto starts_with = [this](std::string_view prefix) {
      return end_ >= prefix.size() && std::memcmp(chunk_.data(), prefix.data(), prefix.size()) == 0;
    };
    if (starts_with("\xEF\xBB\xBF")) pos_ = 3;  // the UTF-8 byte order mark
    if (starts_with("\xFF\xFE") || starts_with("\xFE\xFF")) {
      Fail(1, 0, "is UTF-16 text; save the file as CSV UTF-8");
      return false;
    }
    if (pos_ == end_) return Refill();  // the file held only the byte order mark
  }
  return true;
}

bool CsvReader::Append(size_t from, size_t to) {
  assert(from <= to && to <= end_);
  if (!WithinRecordBound(chunk_offset_ + to)) return false;
  const size_t field_begin = field_ends_.empty() ? 0 : field_ends_.back();
  if (record_.size() + (to - from) - field_begin > kCsvFieldBytesMax) {
    Fail(field_line_, field_count() + 1, "the value is longer than " + std::to_string(kCsvFieldBytesMax) + " bytes");
    return false;
  }
  // Each record byte comes from a distinct raw byte, so the record stays
  // within the capacity reserved in the constructor.
  record_.append(chunk_.data() + from, to - from);
  assert(record_.size() <= kCsvRecordBytesMax);
  return true;
}

bool CsvReader::EndField() {
  if (field_ends_.size() == kCsvColumnsMax) {
    Fail(record_line_, 0, "the row has more than " + std::to_string(kCsvColumnsMax) + " fields");
    return false;
  }
  if (!WithinRecordBound(consumed_bytes())) return false;
  assert(field_ends_.empty() || field_ends_.back() <= record_.size());
  field_ends_.push_back(static_cast<uint32_t>(record_.size()));
  return true;
}

bool CsvReader::WithinRecordBound(uint64_t end_offset) {
  assert(end_offset >= record_start_bytes_);
  if (end_offset - record_start_bytes_ <= kCsvRecordBytesMax) return true;
  Fail(record_line_, 0, "the row is longer than " + std::to_string(kCsvRecordBytesMax) + " bytes");
  return false;
}

CsvReader::Scan CsvReader::Fail(uint64_t line, size_t column, std::string message) {
  Record(At(line, column, std::move(message)));
  return Scan::kError;
}

CsvError CsvReader::At(uint64_t line, size_t column, std::string message) const {
  const bool named = column != 0 && column <= header_.size();
  return MakeError(file_name_, line, column, named ? header_[column - 1] : "", std::move(message));
}

Status CsvReader::Record(CsvError error) {
  assert(!error.message.empty());
  assert(error_.message.empty());  // the first error sticks
  error_ = std::move(error);
  return error_.ToStatus();
}

Result<std::vector<size_t>> MapCsvColumns(std::span<const CsvColumnSpec> expected, std::span<const std::string> header,
                                          std::string_view file_name) {
  std::vector<size_t> index(expected.size(), kCsvColumnAbsent);
  const auto error = [&](size_t column, std::string name, std::string message) {
    return MakeError(file_name, 1, column, std::move(name), std::move(message)).ToStatus();
  };

  for (size_t h = 0; h < header.size(); ++h) {
    const std::string& name = header[h];
    if (name.starts_with(kCsvExtraColumnPrefix)) continue;
    const auto it =
        std::find_if(expected.begin(), expected.end(), [&](const CsvColumnSpec& s) { return s.name == name; });
    if (it == expected.end()) {
      std::string known;
      for (const CsvColumnSpec& spec : expected) known += (known.empty() ? "" : ", ") + std::string(spec.name);
      return error(h + 1, name,
                   "is not a column of this file; expected " + known + " (prefix a column with x_ to keep extra data)");
    }
    const size_t e = static_cast<size_t>(it - expected.begin());
    assert(!it->name.empty() && !it->name.starts_with(kCsvExtraColumnPrefix));
    if (index[e] != kCsvColumnAbsent) {
      return error(h + 1, name, "the header names it twice (also column " + std::to_string(index[e] + 1) + ")");
    }
    index[e] = h;
  }
  std::string missing;
  for (size_t e = 0; e < expected.size(); ++e) {
    if (expected[e].required && index[e] == kCsvColumnAbsent) {
      missing += (missing.empty() ? "" : ", ") + std::string(expected[e].name);
    }
  }
  if (!missing.empty()) {
    const bool several = missing.find(',') != std::string::npos;
    return error(0, "", std::string("the header lacks the required column") + (several ? "s " : " ") + missing);
  }
  return index;
}

}  // namespace rf
