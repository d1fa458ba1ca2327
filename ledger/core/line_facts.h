#ifndef RINGFENCE_LEDGER_CORE_LINE_FACTS_H_
#define RINGFENCE_LEDGER_CORE_LINE_FACTS_H_

// What a month's tally (reconcile/month_tally.h) and its signed result
// (reconcile/sign_off.h) read of a bank line: how it stands settled. Decoded
// from the stored text without the rest of the record (as the matching facts
// of match_facts.h are), so the plan that reads the month's lines for
// matching (reconcile/month_match.h) hands these to its caller from the same
// one read of each line: the same values DecodeBankLine gives for these
// members, and the same Tampered errors for them; members it does not read
// are not checked. Defined in records.cc, beside the record decoders.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/match_facts.h"
#include "ledger/core/money.h"
#include "ledger/core/records.h"

namespace rf {

struct BankLineSettlementFacts {
  std::string line_id;  // BankLineId: its key's (a record's own id is its key)
  Date booked_on;
  Pence amount;  // signed: out negative
  BankLineState state = BankLineState::kUnmatched;
  // What settles it: one payment, a whole run (a batch line), or the
  // payment an inflow returns; each "" when not.
  std::string payment_id, run_id, returned_payment_id;
  std::optional<uint64_t> settled_seq;
  // Its end-to-end id is the payment it settles (both set and equal): the
  // engine matched it by that id (month_tally.h).
  bool end_to_end_id_is_payment = false;
};

// The facts of the line stored as `text` under `key` (bankline/<id>).
Result<BankLineSettlementFacts> DecodeBankLineSettlementFacts(std::string_view key, std::string_view text);

// The matching facts and, when `settlement` is given, the settlement facts
// too, from one read of the text: each as its decoder alone gives it, and
// the first error either would meet. `settlement` is left as it was on an
// error.
Result<BankLineMatchFacts> DecodeBankLineFacts(std::string_view key, std::string_view text,
                                               BankLineSettlementFacts* settlement);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_LINE_FACTS_H_
