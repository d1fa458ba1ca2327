#ifndef RINGFENCE_LEDGER_CORE_MONEY_CANONICAL_H_
#define RINGFENCE_LEDGER_CORE_MONEY_CANONICAL_H_

// The canonical-amount test the record decoders make on every amount they
// read (records.cc), apart from money.h so that its readers need not see it.

#include <string_view>

#include "ledger/core/money.h"

namespace rf {

// Whether `text`, which Pence::Parse read as `parsed`, is written as
// parsed.ToDecimal() writes it ("12.50"; never "12.5", "12" or "-0.00"),
// decided without writing it. REQUIRES: Pence::Parse(text, ...) gave
// `parsed`. Defined in money.cc.
bool IsCanonicalDecimal(std::string_view text, const Pence& parsed);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_MONEY_CANONICAL_H_
