#ifndef RINGFENCE_INGEST_INGEST_ROW_H_
#define RINGFENCE_INGEST_INGEST_ROW_H_

// One input row on its way to the journal, and the typed field reads every
// CSV kind shares. A kind (ingest_kinds.h) turns the current CSV record into
// a ParsedRow through RowFields; RowFields records every bad field of the row
// (not just the first), each located at file, line and column, so a finance
// manager fixes a file in one pass.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/csv_reader.h"
#include "ledger/core/date.h"
#include "ledger/core/date_horizon.h"
#include "ledger/core/entry.h"
#include "ledger/core/money.h"

namespace rf {

// A record the row needs that an earlier file must have loaded ("budget
// B-1" for an invoice). Checked against the views before anything is
// written, so every missing one is reported with its column.
struct RowReference {
  std::string key;        // views key, e.g. "budget/B-1"
  size_t column_index;    // index into the kind's expected columns
  std::string_view what;  // "budget"
};

struct ParsedRow {
  EntryDraft draft;
  // What makes loading idempotent: the views key of the row's external id.
  // Either a record ("pot/POT-A", "bankline/S1/L7"), whose members are
  // compared with the draft body's, or "xid/<external id>", holding the seq
  // of the entry that loaded it, whose body is compared whole.
  std::string key;
  bool key_is_xid = false;
  std::string label;      // "pot POT-A", for messages
  size_t key_column = 0;  // the id's column (index into the kind's columns)
  std::vector<RowReference> references;
};

// The fixed context of one file.
struct RowContext {
  std::string source_name;     // the file's base name, used in entry sources
  std::string actor;           // who runs the command
  std::string org_account_id;  // funding:<org>
  Date load_date;              // the effective date of undated reference rows
  std::string debtor_iban;     // bank.debtor_iban when set: bank lines are of this account only
  std::optional<DateHorizon> horizon;  // when set, event dates beyond it are refused
};

// A bank line's checks beyond its shape: `account` is the PHB account (when
// `debtor_iban` is set) and `counterparty_ref`, when it has an IBAN's shape
// (two letters, two digits, letters or digits, 15 to 34 in all), passes its
// check digits. Returns the failing field's name and a sentence (never
// quoting bank details unmasked); empty name when the line passes.
struct BankLineProblem {
  std::string field, message;
};
std::vector<BankLineProblem> CheckBankLineAccounts(std::string_view account, std::string_view counterparty_ref,
                                                   std::string_view debtor_iban);

// Field reads on the current record of `reader`; `columns` maps each
// expected column (by its index in the kind's column list) to its field.
// Each read returns a value even on error (empty, zero) and records the
// error, so a parser reads every field and reports all that are wrong.
class RowFields {
 public:
  // REQUIRES: the last reader.Next() returned kRecord; `columns` came from
  // MapCsvColumns for this reader's header; `errors` outlives this object.
  RowFields(const CsvReader& reader, std::span<const size_t> columns, std::vector<CsvError>* errors)
      : reader_(reader), columns_(columns), errors_(errors), errors_at_start_(errors->size()) {}

  bool ok() const { return errors_->size() == errors_at_start_; }
  // Problems recorded so far for this row: a read succeeded when the count
  // did not change (cross-field rules check only values that parsed).
  size_t problems() const { return errors_->size() - errors_at_start_; }
  uint64_t line() const { return reader_.record_line(); }

  // The raw value; "" for an absent optional column.
  std::string_view Raw(size_t column) const;
  // Free text of at most kRowTextBytesMax bytes; `required` refuses "".
  std::string Text(size_t column, bool required);
  // A row id (CheckExternalId).
  std::string Id(size_t column);
  std::string Pseudonym(size_t column);
  // REQUIRES for the amount reads: a decimal with at most two places.
  Pence Amount(size_t column);
  Pence PositiveAmount(size_t column);
  Date Day(size_t column);
  std::optional<Date> OptionalDay(size_t column);
  // One of `names` (error: "expected one of ..."); returns the text.
  std::string Choice(size_t column, std::span<const std::string_view> names);
  bool YesNo(size_t column);
  // A UK IBAN; "" allowed when !required. Never quoted in an error.
  std::string Iban(size_t column, bool required);

  // Records a problem with a column whose value was read (cross-field rules).
  void Fail(size_t column, std::string message);

 private:
  size_t Field(size_t column) const { return columns_[column]; }
  void Check(size_t column, const Status& status);

  const CsvReader& reader_;
  std::span<const size_t> columns_;
  std::vector<CsvError>* errors_;
  size_t errors_at_start_;
};

// Records a FUTURE_DATED problem with `column` when `day` (read from it
// without error) lies beyond context.horizon.
void CheckNotFutureDated(RowFields& row, size_t column, Date day, const RowContext& context);
// The date of an event (row.Day), checked against context.horizon.
Date EventDay(RowFields& row, size_t column, const RowContext& context);
std::optional<Date> OptionalEventDay(RowFields& row, size_t column, const RowContext& context);

// Body text bound (the journal refuses longer text in an entry body).
inline constexpr size_t kRowTextBytesMax = 1024;

}  // namespace rf

#endif  // RINGFENCE_INGEST_INGEST_ROW_H_
