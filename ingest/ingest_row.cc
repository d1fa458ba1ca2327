#include "ingest/ingest_row.h"

#include <cassert>

#include "ingest/identifiers.h"

namespace rf {
namespace {

// Pence::Parse and Date::Parse put the field name first; called with an
// empty name they start ": ", which the column location replaces.
std::string WithoutEmptyField(const std::string& message) {
  return message.starts_with(": ") ? message.substr(2) : message;
}

}  // namespace

std::string_view RowFields::Raw(size_t column) const {
  assert(column < columns_.size());
  const size_t field = Field(column);
  if (field == kCsvColumnAbsent) return {};
  return reader_.field(field);
}

void RowFields::Fail(size_t column, std::string message) {
  assert(column < columns_.size());
  const size_t field = Field(column);
  assert(field != kCsvColumnAbsent && "REQUIRES: a column the file has");
  errors_->push_back(reader_.FieldError(field, std::move(message)));
}

void RowFields::Check(size_t column, const Status& status) {
  if (!status.ok()) Fail(column, WithoutEmptyField(status.message()));
}

std::string RowFields::Text(size_t column, bool required) {
  const std::string_view raw = Raw(column);
  if (required && raw.empty()) {
    Fail(column, "is empty; a value is required");
    return {};
  }
  if (raw.size() > kRowTextBytesMax) {
    Fail(column, "is " + std::to_string(raw.size()) + " bytes long; at most " + std::to_string(kRowTextBytesMax) +
                     " are allowed");
    return {};
  }
  return std::string(raw);
}

std::string RowFields::Id(size_t column) {
  const std::string_view raw = Raw(column);
  const Status status = CheckExternalId(raw);
  Check(column, status);
  return status.ok() ? std::string(raw) : std::string();
}

std::string RowFields::Pseudonym(size_t column) {
  const std::string_view raw = Raw(column);
  const Status status = CheckPseudonym(raw);
  Check(column, status);
  return status.ok() ? std::string(raw) : std::string();
}

Pence RowFields::Amount(size_t column) {
  auto amount = Pence::Parse(Raw(column), "");
  if (!amount.ok()) {
    Check(column, amount.status());
    return Pence();
  }
  return *amount;
}

Pence RowFields::PositiveAmount(size_t column) {
  const size_t before = problems();
  const Pence amount = Amount(column);
  if (problems() == before && !(amount > Pence())) {
    Fail(column, "is " + amount.ToDecimal() + "; expected an amount of more than zero");
  }
  return amount;
}

Date RowFields::Day(size_t column) {
  auto day = Date::Parse(Raw(column), "");
  if (!day.ok()) {
    Check(column, day.status());
    return Date();
  }
  return *day;
}

void CheckNotFutureDated(RowFields& row, size_t column, Date day, const RowContext& context) {
  if (!context.horizon.has_value() || context.horizon->Allows(day)) return;
  row.Fail(column, "FUTURE_DATED: " + context.horizon->Refusal(day));
}

Date EventDay(RowFields& row, size_t column, const RowContext& context) {
  const size_t before = row.problems();
  const Date day = row.Day(column);
  if (row.problems() == before) CheckNotFutureDated(row, column, day, context);
  return day;
}

std::optional<Date> OptionalEventDay(RowFields& row, size_t column, const RowContext& context) {
  if (row.Raw(column).empty()) return std::nullopt;
  return EventDay(row, column, context);
}

std::optional<Date> RowFields::OptionalDay(size_t column) {
  if (Raw(column).empty()) return std::nullopt;
  return Day(column);
}

std::string RowFields::Choice(size_t column, std::span<const std::string_view> names) {
  const std::string_view raw = Raw(column);
  auto index = ParseChoice(raw, names);
  if (!index.ok()) {
    Check(column, index.status());
    return {};
  }
  assert(*index < names.size());
  return std::string(names[*index]);
}

bool RowFields::YesNo(size_t column) {
  auto yes = ParseYesNo(Raw(column));
  if (!yes.ok()) {
    Check(column, yes.status());
    return false;
  }
  return *yes;
}

std::string RowFields::Iban(size_t column, bool required) {
  const std::string_view raw = Raw(column);
  if (raw.empty() && !required) return {};
  if (raw.empty()) {
    Fail(column, "is empty; a UK IBAN is required");
    return {};
  }
  const Status status = CheckGbIban(raw);
  Check(column, status);
  return status.ok() ? std::string(raw) : std::string();
}

}  // namespace rf
