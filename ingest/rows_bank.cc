// bank (CSV form): statement_id, line_id, account, booked_on, value_date,
// amount, counterparty_ref, end_to_end_id, batch_id, description. One
// bank.line entry per row, keyed by statement and line id. Amounts are
// signed (payments out negative) and never zero. Bank references are the
// bank's text, not ledger ids: any printable text without control
// characters. value_date may be empty; the account and counterparty_ref are
// bank data and never quoted in an error.
#include <algorithm>

#include "ingest/ingest_kinds.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/bank/iban.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

enum Column : size_t {
  kStatementId,
  kLineId,
  kAccount,
  kBookedOn,
  kValueDate,
  kAmount,
  kCounterpartyRef,
  kEndToEndId,
  kBatchId,
  kDescription
};
constexpr CsvColumnSpec kColumns[] = {{"statement_id"}, {"line_id"},    {"account"},          {"booked_on"},
                                      {"value_date"},   {"amount"},     {"counterparty_ref"}, {"end_to_end_id"},
                                      {"batch_id"},     {"description"}};

// Bank ids end up in view keys ("bankline/<statement>/<line>").
std::string BankId(RowFields& row, size_t column) {
  const std::string text = row.Text(column, true);
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      row.Fail(column, "holds a control character; expected the bank's reference as printable text");
      return {};
    }
  }
  return text;
}

void ParseBankLine(RowFields& row, const RowContext& context, ParsedRow* out) {
  BankLineFields f;
  f.statement_id = BankId(row, kStatementId);
  f.line_id = BankId(row, kLineId);
  f.account = row.Text(kAccount, true);
  f.booked_on = EventDay(row, kBookedOn, context);
  f.value_date = OptionalEventDay(row, kValueDate, context);
  const size_t before_amount = row.problems();
  f.amount = row.Amount(kAmount);
  if (row.problems() == before_amount && f.amount.is_zero()) row.Fail(kAmount, "is zero; a bank line moves money");
  f.counterparty_ref = row.Text(kCounterpartyRef, false);
  f.end_to_end_id = row.Text(kEndToEndId, false);
  f.batch_id = row.Text(kBatchId, false);
  f.description = row.Text(kDescription, false);
  for (const BankLineProblem& problem : CheckBankLineAccounts(f.account, f.counterparty_ref, context.debtor_iban)) {
    row.Fail(problem.field == "account" ? kAccount : kCounterpartyRef, problem.message);
  }
  if (!row.ok()) return;
  out->key = RecordKey(RecordKind::kBankLine, f.statement_id + "/" + f.line_id);
  out->key_column = kLineId;
  out->label = "bank line " + f.statement_id + "/" + f.line_id;
  out->draft = BankLineDraft(f, {context.actor, ""});
}

}  // namespace

std::vector<BankLineProblem> CheckBankLineAccounts(std::string_view account, std::string_view counterparty_ref,
                                                   std::string_view debtor_iban) {
  std::vector<BankLineProblem> problems;
  if (!debtor_iban.empty() && account != debtor_iban) {
    problems.push_back({"account", "is not the PHB bank account (bank.debtor_iban, " + MaskIban(debtor_iban) +
                                       "); expected lines of that account only"});
  }
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const bool iban_shaped = counterparty_ref.size() >= kIbanCharsMin && counterparty_ref.size() <= kIbanCharsMax &&
                           upper(counterparty_ref[0]) && upper(counterparty_ref[1]) && digit(counterparty_ref[2]) &&
                           digit(counterparty_ref[3]) &&
                           std::all_of(counterparty_ref.begin(), counterparty_ref.end(),
                                       [&](char c) { return upper(c) || digit(c); });
  if (iban_shaped && IbanMod97Remainder(counterparty_ref) != 1) {
    problems.push_back({"counterparty_ref", "is an IBAN (" + MaskIban(counterparty_ref) +
                                                ") whose check digits fail; expected the payee's IBAN as the bank gave it"});
  }
  return problems;
}

const CsvKind& BankCsvKind() {
  static const CsvKind kind{"bank", kColumns, &ParseBankLine};
  return kind;
}

}  // namespace rf
