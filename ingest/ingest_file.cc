#include "ingest/ingest_file.h"

#include <cassert>
#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ingest/already_loaded.h"
#include "ledger/bank/camt053.h"
#include "ingest/camt_rows.h"
#include "ingest/csv_reader.h"
#include "ingest/ingest_kinds.h"
#include "ingest/seen_ids.h"
#include "ledger/core/date_horizon.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/records.h"

namespace rf {
namespace {

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Every problem of one file: the first `kept_max` as sentences, the rest
// counted, so one run tells the finance manager everything to fix.
class Problems {
 public:
  explicit Problems(size_t kept_max) : kept_max_(kept_max) {}
  void Add(const CsvError& error) {
    if (kept_.size() < kept_max_) kept_.push_back(error.ToString());
    ++count_;
  }
  uint64_t count() const { return count_; }
  Status ToStatus(const std::string& file) const {
    assert(count_ > 0 && kept_.size() <= count_);
    std::string message =
        "nothing was loaded from " + file + ": " + std::to_string(count_) + (count_ == 1 ? " problem" : " problems");
    for (const std::string& line : kept_) message += "\n  " + line;
    if (count_ > kept_.size()) message += "\n  ... and " + std::to_string(count_ - kept_.size()) + " more";
    return Status::InvalidInput(std::move(message));
  }

 private:
  size_t kept_max_;
  std::vector<std::string> kept_;
  uint64_t count_ = 0;
};

// A row whose id the ledger already holds, settled after its chunk (reading
// the earlier entry's journal line needs its own transaction), so a file
// loaded again holds one chunk of them, not the file.
struct Earlier {
  ParsedRow row;     // whole when compared with the entry later; else just the label
  CsvError where;    // the row's id column; the message is filled in later
  uint64_t seq = 0;  // the entry that loaded the id
  std::string differences;
  bool compare_entry = false;
};

using Locate = std::function<CsvError(size_t column_index, std::string message)>;

// Checks rows against the file so far and against the views as the file's
// write transaction holds them.
class Loader {
 public:
  Loader(const RowContext& context, Problems* problems) : context_(context), problems_(problems) {}

  // REQUIRES: row.key non-empty (the parser succeeded).
  Status Admit(const ViewSource& views, ParsedRow row, uint64_t line, const Locate& locate) {
    assert(!row.key.empty() && !row.label.empty());
    if (row.draft.source.empty()) row.draft.source = context_.source_name + ":" + std::to_string(line);
    // Every row of a file is of one key family ("invoice/"): the id alone
    // is kept, which short ids hold without a heap allocation.
    const std::optional<uint64_t> first =
        first_line_.Insert(std::string_view(row.key).substr(row.key.find('/') + 1), line);
    if (first.has_value()) {
      problems_->Add(locate(row.key_column, row.label + " is also on line " + std::to_string(*first) +
                                                "; an id may appear only once in a file"));
      return Status::Ok();
    }
    bool references_ok = true;
    for (const RowReference& ref : row.references) {
      if (known_.contains(ref.key)) continue;
      auto found = views.Get(ref.key);
      if (!found.ok()) return found.status();
      if (!found->has_value()) {
        const std::string id = ref.key.substr(ref.key.find('/') + 1);
        problems_->Add(
            locate(ref.column_index, std::string(ref.what) + " " + id + " is not in the ledger; load its file first"));
        references_ok = false;
        continue;
      }
      known_.insert(ref.key);
    }
    auto stored = views.Get(row.key);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) {
      if (!references_ok) return Status::Ok();
      if (drafts.size() >= kAppendEntriesMax) {
        problems_->Add(locate(row.key_column, "the file has more than " + std::to_string(kAppendEntriesMax) +
                                                  " new rows, the most one load may commit; split it"));
        return Status::Ok();
      }
      drafts.push_back(std::move(row.draft));
      return Status::Ok();
    }
    // Loaded before: compared as DOMs (a rare path but for a file loaded again).
    RF_ASSIGN(row_body, ParseBodyJson(row.draft.body_json));
    Earlier e;
    e.where = locate(row.key_column, "");
    if (row.key_is_xid) {
      const auto seq = ParseSeq(**stored, row.key);
      if (!seq.ok()) return seq.status();
      e.seq = *seq;
      e.compare_entry = true;
      e.row = std::move(row);
      earlier.push_back(std::move(e));
      return Status::Ok();
    }
    const nlohmann::json record = nlohmann::json::parse(**stored, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object() || !record.contains("seq") || !record["seq"].is_number_unsigned()) {
      return Status::Tampered("view " + row.key + " is not a record with a seq; run ringfence verify");
    }
    e.differences = RecordDifferences(row_body, record);
    const bool settled = e.differences.empty() && RecordHoldsRow(row_body, record);
    if (settled) {
      ++skipped;
      return Status::Ok();
    }
    e.seq = record["seq"].get<uint64_t>();
    if (e.differences.empty()) {
      // The record does not hold every member: the entry settles it.
      e.compare_entry = true;
      e.row = std::move(row);
    } else {
      e.row.label = std::move(row.label);
    }
    earlier.push_back(std::move(e));
    return Status::Ok();
  }

  // Compares rows loaded before with their entries and names both sources
  // where the content differs.
  Status Settle(const Journal& journal) {
    for (Earlier& e : earlier) {
      auto line = journal.Line(e.seq);
      if (!line.ok()) return line.status();
      auto entry = ParseEntryLine(*line);
      if (!entry.ok()) return Status::Tampered("entry " + std::to_string(e.seq) + ": " + entry.status().message());
      if (e.compare_entry) e.differences = EntryDifferences(e.row.draft, entry->draft);
      if (e.differences.empty()) {
        ++skipped;
        continue;
      }
      e.where.message = e.row.label + " was already loaded from " + entry->draft.source + " (entry " +
                        std::to_string(e.seq) + ") with different content: " + e.differences +
                        "; a loaded row is never changed in place (correct it with a new id or a reversal)";
      problems_->Add(e.where);
    }
    earlier.clear();
    return Status::Ok();
  }

  std::vector<EntryDraft> drafts;
  std::vector<Earlier> earlier;
  uint64_t skipped = 0;

 private:
  static Result<uint64_t> ParseSeq(const std::string& text, const std::string& key) {
    uint64_t seq = 0;
    for (const char c : text) {
      if (c < '0' || c > '9' || seq > (UINT64_MAX - 9) / 10) {
        return Status::Tampered("view " + key + " does not hold a sequence number; run ringfence verify");
      }
      seq = seq * 10 + static_cast<uint64_t>(c - '0');
    }
    if (seq == 0) return Status::Tampered("view " + key + " does not hold a sequence number; run ringfence verify");
    return seq;
  }

  const RowContext& context_;
  Problems* problems_;
  // id (the key without its family) -> line where the file first has it.
  SeenIds first_line_;
  std::unordered_set<std::string> known_;  // references found in the ledger
};

// Rows are read, checked and applied in chunks of this many inside the one
// write transaction of the file, so memory holds one chunk of drafts, not
// the file (a 1,000,000-row invoices file is ~100 chunks).
constexpr size_t kIngestChunkRows = 10'000;

// One CSV record as the parsing thread leaves it: the parsed row, or the
// problems of its fields, with what it takes to locate later problems.
struct ReadRow {
  ParsedRow row;
  std::vector<CsvError> errors;       // empty when the row parsed
  uint64_t line = 0;                  // where the record starts
  std::vector<uint64_t> field_lines;  // per field, only when the record spans lines
};

// A run of records read and parsed together, off the thread that writes.
struct RowBatch {
  std::vector<ReadRow> rows;
  bool more = false;               // records remain after this batch
  Status io;                       // the stream failed (kIo): nothing else counts
  std::optional<CsvError> format;  // the file's shape broke (an unclosed quote): reading stopped
  uint64_t bytes_read = 0;         // for progress
};

// Reads a CSV file row by row. Records are read and parsed a batch at a time
// on a second thread while the caller checks and writes the batch before
// (the LMDB write transaction stays on the caller's thread); each call to
// Next admits one batch.
class CsvRows {
 public:
  CsvRows(const CsvKind& kind, const std::string& path, const RowContext& context, const IngestOptions& options)
      : kind_(kind),
        path_(path),
        in_(path, std::ios::binary),
        reader_(in_, context.source_name),
        context_(context),
        options_(options) {}

  Status Open() {
    if (!in_) return Status::NotFound(path_ + ": cannot open the file");
    std::error_code size_error;
    bytes_total_ = std::filesystem::file_size(path_, size_error);
    RF_RETURN_IF_ERROR(reader_.ReadHeader());
    auto columns = MapCsvColumns(kind_.columns, reader_.header(), context_.source_name);
    if (!columns.ok()) return columns.status();
    columns_ = std::move(*columns);
    return Status::Ok();
  }

  // Admits the next batch of rows. Returns whether rows remain.
  Result<bool> Next(const ViewSource& views, Loader& loader, Problems& problems, IngestSummary& summary) {
    if (!started_) ReadAhead();  // the first batch
    started_ = true;
    if (reading_.joinable()) reading_.join();
    RowBatch batch = std::move(ahead_);
    ahead_ = RowBatch();
    if (!batch.io.ok()) return batch.io;
    // The next batch is read while this one is checked, applied and written.
    if (batch.more) ReadAhead();
    for (ReadRow& read : batch.rows) {
      ++summary.rows;
      for (const CsvError& error : read.errors) problems.Add(error);
      if (!read.errors.empty()) continue;
      const Locate locate = [&](size_t column_index, std::string message) {
        assert(column_index < columns_.size());
        const size_t field = columns_[column_index];
        const uint64_t line = read.field_lines.empty() ? read.line : read.field_lines[field];
        return reader_.ErrorAt(line, field, std::move(message));
      };
      RF_RETURN_IF_ERROR(loader.Admit(views, std::move(read.row), read.line, locate));
    }
    if (batch.format) problems.Add(*batch.format);
    if (options_.progress && batch.more) options_.progress(batch.bytes_read, bytes_total_);
    return batch.more;
  }

 private:
  void ReadAhead() {
    assert(!reading_.joinable());
    try {
      reading_ = std::jthread([this] { ahead_ = ReadBatch(); });
    } catch (const std::system_error&) {
      ahead_ = ReadBatch();  // no thread to be had: read it now
    }
  }

  // Runs on the reading thread: touches only the reader, the input stream
  // and what Open fixed.
  RowBatch ReadBatch() {
    RowBatch batch;
    batch.rows.reserve(kIngestChunkRows);
    for (size_t records = 0; records < kIngestChunkRows; ++records) {
      auto read = reader_.Next();
      if (!read.ok()) {
        if (reader_.error().code == Status::Code::kIo) {
          batch.io = read.status();
        } else {
          batch.format = reader_.error();
        }
        return batch;
      }
      if (*read == CsvRead::kEnd) return batch;
      ReadRow& out = batch.rows.emplace_back();
      out.line = reader_.record_line();
      RowFields fields(reader_, columns_, &out.errors);
      kind_.parse(fields, context_, &out.row);
      // What Admit would write, written here, off the thread that commits.
      if (out.errors.empty()) out.row.draft.source = context_.source_name + ":" + std::to_string(out.line);
      if (out.errors.empty() && reader_.RecordSpansLines()) {
        out.field_lines.resize(reader_.field_count());
        for (size_t f = 0; f < out.field_lines.size(); ++f) out.field_lines[f] = reader_.FieldLine(f);
      }
    }
    const auto at = in_.tellg();
    batch.bytes_read = at < 0 ? bytes_total_ : static_cast<uint64_t>(at);
    batch.more = true;
    return batch;
  }

  const CsvKind& kind_;
  std::string path_;
  std::ifstream in_;
  CsvReader reader_;
  const RowContext& context_;
  const IngestOptions& options_;
  std::vector<size_t> columns_;
  uint64_t bytes_total_ = 0;
  bool started_ = false;
  RowBatch ahead_;        // written by the reading thread until it is joined
  std::jthread reading_;  // last: joined before what it reads goes
};

// A camt.053 statement's lines (the file is bounded, so parsed whole), then
// admitted a chunk at a time like CSV rows.
class CamtLines {
 public:
  Status Open(const std::string& path, const RowContext& context, Problems& problems, IngestSummary& summary) {
    auto camt = ReadCamt053File(path);
    if (!camt.ok()) return camt.status();
    summary.format = CamtVersionName(camt->version);
    for (const CamtStatement& statement : camt->statements)
      summary.bank_entries_not_booked += statement.entries_not_booked;
    std::vector<CsvError> errors;
    rows_ = CamtRows(*camt, context, &errors);
    for (const CsvError& error : errors) problems.Add(error);
    summary.rows = rows_.size() + errors.size();
    source_name_ = context.source_name;
    return Status::Ok();
  }

  // Admits lines until the loader holds a chunk of drafts or none remain.
  // Returns whether lines remain.
  Result<bool> Next(const ViewSource& views, Loader& loader) {
    for (; next_ < rows_.size() && loader.drafts.size() < kIngestChunkRows; ++next_) {
      const uint64_t line = rows_[next_].line;
      const Locate locate = [&](size_t, std::string message) {
        return CsvError{Status::Code::kInvalidInput, source_name_, line, 0, "", std::move(message)};
      };
      RF_RETURN_IF_ERROR(loader.Admit(views, std::move(rows_[next_].row), line, locate));
    }
    return next_ < rows_.size();
  }

 private:
  std::vector<CamtRow> rows_;
  size_t next_ = 0;
  std::string source_name_;
};

// Admits the next chunk of a file's rows into the loader; false when none
// remain.
using RowSource = std::function<Result<bool>(const ViewSource& views)>;

// A file streamed through one write transaction: rows are checked and
// applied a chunk at a time; any problem anywhere aborts the whole file.
// `summary` is the one the row source counts rows into.
Result<IngestSummary> IngestRows(Ledger& ledger, const RowContext& context, const IngestOptions& options,
                                 Problems& problems, Loader& loader, const RowSource& next_rows,
                                 IngestSummary& summary) {
  uint64_t loaded = 0;
  bool reported = false;
  auto committed = ledger.CommitStream(
      [&](const ViewSource& views, std::vector<EntryDraft>* chunk) -> Result<bool> {
        auto more = next_rows(views);
        if (!more.ok()) return more.status();
        RF_RETURN_IF_ERROR(loader.Settle(ledger.journal()));
        if (!*more) {
          if (problems.count() > 0) {
            reported = true;
            return problems.ToStatus(context.source_name);
          }
        }
        // After a problem, keep reading to report every one, applying nothing.
        if (problems.count() == 0) {
          loaded += loader.drafts.size();
          chunk->swap(loader.drafts);  // each keeps its capacity: no regrowing per chunk
        }
        loader.drafts.clear();
        return *more;
      },
      options.dry_run);
  if (!committed.ok()) {
    if (reported) return committed.status();
    return committed.status().WithContext("nothing was loaded from " + context.source_name + ": ");
  }
  summary.skipped = loader.skipped;
  summary.loaded = loaded;
  assert(summary.loaded + summary.skipped <= summary.rows);
  summary.committed = committed->committed;
  if (summary.committed) {
    summary.first_seq = committed->appended.first_seq;
    summary.last_seq = committed->appended.last_seq;
    assert(summary.last_seq - summary.first_seq + 1 == summary.loaded);
  }
  return summary;
}

}  // namespace

Result<IngestSummary> IngestFile(Ledger& ledger, std::string_view kind_name, const std::string& path,
                                 const IngestOptions& options) {
  assert(!options.actor.empty());
  const CsvKind* kind = FindCsvKind(kind_name);
  if (kind == nullptr) {
    return Status::InvalidInput("\"" + std::string(kind_name) + "\" is not a kind of input file; expected one of " +
                                std::string(IngestKindNames()));
  }
  RowContext context;
  context.source_name = BaseName(path);
  context.actor = options.actor;
  context.org_account_id = OrgAccountId(ledger.journal().org());
  context.load_date = options.load_date;
  if (options.today.has_value()) {
    RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) -> Status {
      auto setting = FindSetting(views, kFutureDaysSetting);
      if (!setting.ok()) return setting.status();
      auto horizon = MakeDateHorizon(*options.today, *setting, options.future_dated_reason);
      if (!horizon.ok()) return horizon.status();
      context.horizon = std::move(*horizon);
      return Status::Ok();
    }));
  }
  if (kind_name == "bank") {
    RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) -> Status {
      auto iban = views.Get(ConfigKey("bank.debtor_iban"));
      if (!iban.ok()) return iban.status();
      if (iban->has_value()) context.debtor_iban = **iban;
      return Status::Ok();
    }));
  }

  IngestSummary summary;
  summary.kind = std::string(kind_name);
  summary.file = context.source_name;
  summary.format = "csv";
  Problems problems(options.errors_max);
  Loader loader(context, &problems);

  bool xml = false;
  if (kind_name == "bank") {
    auto sniffed = LooksLikeXml(path);
    if (!sniffed.ok()) return sniffed.status();
    xml = *sniffed;
  }
  if (xml) {
    CamtLines lines;
    RF_RETURN_IF_ERROR(lines.Open(path, context, problems, summary));
    return IngestRows(
        ledger, context, options, problems, loader, [&](const ViewSource& views) { return lines.Next(views, loader); },
        summary);
  }
  CsvRows rows(*kind, path, context, options);
  RF_RETURN_IF_ERROR(rows.Open());
  return IngestRows(
      ledger, context, options, problems, loader,
      [&](const ViewSource& views) { return rows.Next(views, loader, problems, summary); }, summary);
}

}  // namespace rf
