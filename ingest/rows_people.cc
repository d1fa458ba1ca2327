// people: person_id, ethnic_category, age_band, sex, locality,
// s117_eligible. person_id must be a pseudonym (never a name or an NHS
// number); the file has no date, so the entry is effective on the day it is
// loaded (RowContext::load_date).
#include "ingest/identifiers.h"
#include "ingest/ingest_kinds.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

enum Column : size_t { kPersonId, kEthnicCategory, kAgeBand, kSex, kLocality, kS117Eligible };
constexpr CsvColumnSpec kColumns[] = {{"person_id"}, {"ethnic_category"}, {"age_band"},
                                      {"sex"},       {"locality"},        {"s117_eligible"}};

void ParsePerson(RowFields& row, const RowContext& context, ParsedRow* out) {
  PersonFields f;
  f.person_id = row.Pseudonym(kPersonId);
  f.ethnic_category = std::string(row.Raw(kEthnicCategory));
  if (auto group = ParseEthnicCategory(f.ethnic_category); !group.ok()) {
    row.Fail(kEthnicCategory, group.status().message());
  }
  f.age_band = row.Choice(kAgeBand, kAgeBandNames);
  f.sex = row.Choice(kSex, kSexNames);
  f.locality = row.Text(kLocality, false);
  f.s117_eligible = row.YesNo(kS117Eligible);
  if (!row.ok()) return;
  out->draft = PersonDraft(f, context.load_date, {context.actor, ""});
  out->key = RecordKey(RecordKind::kPerson, f.person_id);
  out->label = "person " + f.person_id;
}

}  // namespace

const CsvKind& PeopleKind() {
  static const CsvKind kind{"people", kColumns, &ParsePerson};
  return kind;
}

}  // namespace rf
