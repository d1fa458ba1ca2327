#ifndef RINGFENCE_LEDGER_CORE_EQUALITY_FACTS_H_
#define RINGFENCE_LEDGER_CORE_EQUALITY_FACTS_H_

// What the equality tables (reconcile/equality.h) read of a person, decoded
// from the stored text without the rest of the record (as
// BudgetEqualityFacts in records.h is): the same values DecodePerson gives
// for these members, and the same Tampered errors for them; members it does
// not read are not checked. Defined in records.cc, beside the record
// decoders; declared apart so that records.h, which most of the program
// includes, is not touched.

#include <string>
#include <string_view>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/records.h"

namespace rf {

struct PersonEqualityFacts {
  std::string person_id;        // the key's
  std::string ethnic_category;  // "" when absent
  std::string level;            // the `level_member` read ("" when absent, or none named)
};
// `level_member`: the one of "age_band", "sex", "locality" a breakdown
// reads, or "" for none.
Result<PersonEqualityFacts> DecodePersonEqualityFacts(std::string_view key, std::string_view text,
                                                      std::string_view level_member);

// What the equality tables read of a flag's lifecycle record (flagstate/):
// whether it counts for the month (state, first_month) and what it flags
// (entity), with the code its id begins with. The same values DecodeFlagLife
// gives for these members and the same Tampered errors for them (the id
// check <code>/<entity> included); the other members are not read, so not
// checked. 500,000 flag records nationally: the full record (sentence-free,
// but with note, reason, actor and amount) is not needed.
struct FlagLifeEqualityFacts {
  std::string code, entity;
  Month first_month;
  FlagState state = FlagState::kOpen;
};
Result<FlagLifeEqualityFacts> DecodeFlagLifeEqualityFacts(std::string_view key, std::string_view text);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_EQUALITY_FACTS_H_
