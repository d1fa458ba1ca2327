// budgets: budget_id, person_id, pot_id, management, amount, start_date,
// end_date, approved_on, frequency, payee_ref. The whole amount moves
// pot:<pot> -> budget:<budget> on approved_on. Direct-payment and
// third-party budgets are paid by instalments to payee_ref, so they need
// one and a frequency other than "none"; a notional budget may leave
// payee_ref empty.
#include "ingest/identifiers.h"
#include "ingest/ingest_kinds.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

enum Column : size_t {
  kBudgetId,
  kPersonId,
  kPotId,
  kManagement,
  kAmount,
  kStartDate,
  kEndDate,
  kApprovedOn,
  kFrequency,
  kPayeeRef
};
constexpr CsvColumnSpec kColumns[] = {{"budget_id"},  {"person_id"}, {"pot_id"},      {"management"}, {"amount"},
                                      {"start_date"}, {"end_date"},  {"approved_on"}, {"frequency"},  {"payee_ref"}};

void ParseBudget(RowFields& row, const RowContext& context, ParsedRow* out) {
  BudgetFields f;
  f.budget_id = row.Id(kBudgetId);
  f.person_id = row.Pseudonym(kPersonId);
  f.pot_id = row.Id(kPotId);
  f.management = row.Choice(kManagement, kManagementNames);
  f.amount = row.PositiveAmount(kAmount);
  const size_t before_dates = row.problems();
  f.start_date = row.Day(kStartDate);
  f.end_date = row.Day(kEndDate);
  if (row.problems() == before_dates && f.end_date < f.start_date) {
    row.Fail(kEndDate, "is " + f.end_date.ToIso() + ", before start_date " + f.start_date.ToIso());
  }
  f.approved_on = EventDay(row, kApprovedOn, context);
  f.frequency = row.Choice(kFrequency, kFrequencyNames);
  const bool paid_to_holder = f.management == "direct-payment" || f.management == "third-party";
  f.payee_ref = row.Iban(kPayeeRef, paid_to_holder);
  if (paid_to_holder && f.frequency == "none") {
    row.Fail(kFrequency, "is none; a " + f.management +
                             " budget is paid by instalments (monthly, four-weekly or "
                             "one-off)");
  }
  if (!row.ok()) return;
  out->draft = BudgetDraft(f, {context.actor, ""});
  out->key = RecordKey(RecordKind::kBudget, f.budget_id);
  out->label = "budget " + f.budget_id;
  out->references = {{RecordKey(RecordKind::kPerson, f.person_id), kPersonId, "person"},
                     {RecordKey(RecordKind::kPot, f.pot_id), kPotId, "pot"}};
}

}  // namespace

const CsvKind& BudgetsKind() {
  static const CsvKind kind{"budgets", kColumns, &ParseBudget};
  return kind;
}

}  // namespace rf
