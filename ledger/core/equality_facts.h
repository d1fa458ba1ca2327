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

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_EQUALITY_FACTS_H_
