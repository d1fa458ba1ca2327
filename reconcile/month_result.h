#ifndef RINGFENCE_RECONCILE_MONTH_RESULT_H_
#define RINGFENCE_RECONCILE_MONTH_RESULT_H_

// A month's reconciliation result as one canonical value, the thing a
// sign-off signs (issue 17 item 10): every bank line booked in the month and
// what settles it, plus the month's flags. Pure: no journal, no views
// (sign_off.h computes a result from the journal).
//
// The canonical JSON (RFC 8785, canonical_json.h; members in JCS order):
//   {"flags":[{"amount_at_stake":"12.50","code":"DELAY_INVOICE",
//              "entity":"invoice:INV-1","evidence_bank_lines":[...],
//              "evidence_seqs":[7,9],"id":"DELAY_INVOICE/invoice:INV-1",
//              "severity":"warning"}, ...],
//    "lines":[{"amount":"-120.00","bank_line_id":"STMT-5/3",
//              "booked_on":"2026-05-04","payment_id":"PAY-1",
//              "run_id":null,"settled_seq":41}, ...],
//    "month":"2026-05"}
// lines sorted by bank_line_id, flags by id, evidence lists sorted; an
// unmatched line has payment_id, run_id and settled_seq null.
// Left out, on purpose: a flag's sentence (prose: a wording fix must not
// break an old sign-off; the code, entity, amount and evidence say what the
// flag is) and any lifecycle state (explained, resolved: journalled later
// than the result, about it); the matcher's tier (end-to-end, batch,
// window, manual) for a line settled earlier, which the journal does not
// record: settled_seq names the entry that settled it, and that entry
// names its source and actor.
//
// Hashes (SHA-256, 64 lowercase hex): result = the canonical JSON above;
// matches = the "lines" array alone; flags = the "flags" array alone (so a
// check that fails can say which part moved). Streamed: memory is one
// element's canonical text, whatever the month's size.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "reconcile/month_flags.h"

namespace rf {

struct MonthResultLine {
  std::string bank_line_id;  // STATEMENT/LINE
  Date booked_on;
  Pence amount;                         // signed: out negative
  std::string payment_id, run_id;       // both "" when unmatched; one when settled (payment_id:
                                        // the payment an inflow returns, for a return)
  std::optional<uint64_t> settled_seq;  // the entry that settled it
};

struct MonthResult {
  Month month;
  std::vector<MonthResultLine> lines;
  std::vector<MonthFlag> flags;
};

struct MonthResultHashes {
  std::string result_sha256, matches_sha256, flags_sha256;
};

// The canonical members of one line and one flag (the shape above): the
// reference the canonical text below is tested against.
nlohmann::json MonthResultLineJson(const MonthResultLine& line);
nlohmann::json MonthResultFlagJson(const MonthFlag& flag);
// The same as canonical text appended to *out, written directly (no DOM
// per line and flag: HashMonthResult writes a whole month's): the bytes
// AppendCanonical writes for the two above. Errors: InvalidInput for a text that is not
// UTF-8 or a seq above 2^53-1 (as AppendCanonical's).
Status AppendMonthResultLineCanonical(const MonthResultLine& line, std::string* out);
Status AppendMonthResultFlagCanonical(const MonthFlag& flag, std::string* out);
// The whole result as JSON (for --format json and tests; its canonical
// bytes are what HashMonthResult hashes).
nlohmann::json MonthResultJson(const MonthResult& result);

// Sorts lines, flags and every evidence list, so the hash does not depend on
// the order the result was read in.
void CanonicalOrder(MonthResult& result);

// The hashes of `result`. REQUIRES: CanonicalOrder(result) was applied
// (asserted: the order is checked, not assumed). Errors: InvalidInput when
// a text is not UTF-8 (Canonicalize's).
Result<MonthResultHashes> HashMonthResult(const MonthResult& result);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MONTH_RESULT_H_
