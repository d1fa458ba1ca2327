#ifndef RINGFENCE_RECONCILE_MATCH_H_
#define RINGFENCE_RECONCILE_MATCH_H_

// Statement matching (issue 17, items 1 and 2): which bank line settles
// which unsettled payment, or which whole payment run. The matcher proposes;
// the apply rules (payment.settled) enforce. Pure: no I/O, no journal; the
// caller reads lines, payments and runs and turns the proposal into entries.
//
// Matching order (PRODUCT.md "Matching order"). A line is an outflow
// (amount_pence < 0) paying out -amount_pence; every match has
// line.amount_pence == -payment (or run) amount to the penny, and
// booked_on >= the payment's (run's) date, as payment.settled requires.
//   (a) end_to_end_id: a line whose end-to-end id is a payment's, confirmed
//       by amount and payee. An id that names a payment but differs in
//       amount, payee or is booked before its run date is not a match: the
//       line is left with the reason, and when only the payee differs the
//       pair is also reported in payee_mismatches (DIVERSION_PAYEE_MISMATCH
//       evidence). A line whose id names no unsettled payment goes no
//       further (our payments always carry their id; a foreign or already
//       settled id must not be matched by amount to another payment); when
//       it names one of `closed`, its reason says what became of it. Two
//       lines confirming the same payment are both left for a person, and
//       so is the payment. A payment named by a line that does not confirm
//       it stays open for (b) and (c).
//   (b) batch: a line against a whole run's total, by batch id (the run id),
//       or, for a line with no end-to-end id, no batch id of ours and no
//       payee of ours, by amount and date window (a Bacs submission
//       reported as one debit). Only runs all of whose payments are
//       unsettled, passed in, and none matched or held back in (a). A line
//       with our batch id but not the run's total (one transfer of the
//       batch) goes on to (c), its batch note kept as its reason.
//   (c) amount_payee_date: the rest that name a payee, bucketed by
//       (payee, amount), each bucket solved as one assignment over the
//       month in date order (window_assignment.h): equal payments to one
//       payee never swap, and where lines and payments do not pair off
//       exactly the group is left for a person with the candidates listed.
// Window: from the payment's (run's) date to `window_business_days`
// business days after it (business_days.h: Mon-Fri, no bank holidays).
// Payees compare as payee references (IBANs) with spaces removed and
// letters upper-cased; a line with no payee cannot be confirmed by payee.
//
// Stable: a match can open a candidate a tier declined in the same pass (a
// payment the line's payee had, settled by (a), kept the line out of (b); a
// run left ambiguous next to a run whose payment (c) then took). So the
// tiers run again over what is left (the lines and payments no match took,
// the runs still holding such a payment) until a pass matches nothing, and
// the unmatched items, their reasons and the payee mismatches are that last
// pass's: what matching the month again after committing the matches says.
// Running reconcile twice therefore settles nothing the second time. Passes
// are bounded (options.passes_max); a result that reached it without an
// empty pass says so (stable false). Real months take two passes at most
// so far (bench/README.md).
//
// Deterministic: the result depends only on the set of inputs, not their
// order; every list in it is sorted by id.
// Cost: O(n log n) in lines + payments + runs; memory linear. Figures in
// bench/README.md.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/money.h"

namespace rf {

// Bounds on one call (a national month is ~250,000 of each).
inline constexpr size_t kMatchLinesMax = 2'000'000;
inline constexpr size_t kMatchPaymentsMax = 2'000'000;
inline constexpr size_t kMatchRunsMax = 100'000;
// Ids listed in one reason (candidates, competing lines); the rest counted.
inline constexpr size_t kMatchIdsListedMax = 8;
// Passes of the tiers over what earlier passes leave (see "Stable" above).
inline constexpr uint32_t kMatchPassesMax = 8;

struct BankLineIn {
  std::string line_id;  // unique; BankLineId(statement, line)
  Date booked_on;
  Pence amount_pence;         // signed: out negative
  std::string end_to_end_id;  // "" when the bank reports none
  std::string batch_id;       // "" when none; a run id when it echoes ours
  std::string payee_ref;      // counterparty_ref; "" when none
};

struct PaymentIn {
  std::string payment_id;  // unique
  std::string run_id;
  Date run_date;
  Pence amount_pence;  // positive: paid out
  std::string payee_ref;
  std::string end_to_end_id;  // the id sent to the bank (= payment_id today)
};

struct RunIn {
  std::string run_id;  // unique
  Date run_date;
  Pence total_pence;
  uint64_t payment_count = 0;
};

// Our payments and runs that lines name by id but that are not open (not
// passed in as unsettled, or no payment of the run is): a line naming one
// is told what became of it, never matched by amount to another payment, and
// a batch id naming such a run is no stranger's batch reference.
// Settled covers one settled and since returned: its reason names the line
// that settled it either way, so it reads the same whether the return is
// planned in this run (after matching) or was journalled before.
enum class ClosedAs { kSettled, kCancelled, kRunLater };
struct ClosedPaymentIn {
  std::string payment_id;  // = the end-to-end id it was sent with
  ClosedAs state = ClosedAs::kSettled;
  std::string bank_line_id;  // the line that settled it; "" when none
  Date run_date;
  Pence amount_pence;     // paid out
  std::string payee_ref;  // as the payment names it
};
struct ClosedIds {
  std::vector<ClosedPaymentIn> payments;  // unique ids, none passed in as unsettled
  std::vector<std::string> run_ids;       // unique, none passed in as runs
};

struct MatchOptions {
  uint32_t window_business_days = 3;  // REQUIRES: <= kBusinessDaysWindowMax
  uint32_t passes_max = kMatchPassesMax;  // 1..kMatchPassesMax; fewer only in tests
};

enum class MatchRule { kEndToEndId, kBatch, kAmountPayeeDate };
// "end_to_end_id", "batch", "amount_payee_date".
std::string_view ToString(MatchRule rule);

struct ProposedMatch {
  std::string line_id;
  MatchRule rule = MatchRule::kEndToEndId;
  std::string payment_id;                    // one payment; "" for a run
  std::string run_id;                        // a whole run (rule kBatch); "" for one payment
  std::vector<std::string> run_payment_ids;  // a run's payments, sorted
  Date booked_on;
  Pence amount_pence;  // paid out: -line amount
};

// Why a line or a payment is left; the sentence says it in full.
enum class UnmatchedCode {
  kInflow,             // line: money in or nothing moved, not a payment out
  kNoCandidate,        // nothing of that amount and payee within the window
  kAmbiguous,          // two or more candidates equally good: ids listed
  kAmountDiffers,      // named by end-to-end or batch id, another amount
  kPayeeDiffers,       // named by end-to-end id, same amount, another payee
  kNoPayee,            // line: names no payee, so its id cannot be confirmed
  kUnknownEndToEndId,  // line: its end-to-end id is no unsettled payment's
  kBeforeRunDate,      // line booked before the run date of what it names
  kRepeated,           // one payment (run) confirmed by two or more lines
};
std::string_view ToString(UnmatchedCode code);

struct UnmatchedItem {
  std::string id;  // line id or payment id
  UnmatchedCode code = UnmatchedCode::kNoCandidate;
  std::string reason;                // plain English, names ids and amounts
  std::vector<std::string> related;  // candidates or competing lines, sorted, at most kMatchIdsListedMax
};

// A line carrying a payment's end-to-end id and amount but another payee.
struct PayeeMismatch {
  std::string line_id, payment_id;
  std::string line_payee_ref, payment_payee_ref;
  Pence amount_pence;
};

struct MatchResult {
  std::vector<ProposedMatch> matches;             // by line id
  std::vector<UnmatchedItem> unmatched_lines;     // by line id
  std::vector<UnmatchedItem> unmatched_payments;  // by payment id
  // Evidence for DIVERSION_PAYEE_MISMATCH, the last pass's (kept there even
  // when a later tier matches the payment to another line; a payment an
  // earlier pass settled is closed, and a line naming it says so).
  std::vector<PayeeMismatch> payee_mismatches;  // by line id
  // Passes made, and whether the last matched nothing (so matching what is
  // left again would match nothing more).
  uint32_t passes = 0;
  bool stable = true;
};

// Errors (InvalidInput, naming the item): an empty or repeated id, more
// items than the bounds, an amount outside int64 pence, a window over
// kBusinessDaysWindowMax, a closed id also passed in open. Every line and
// every unsettled payment appears exactly once in the result: in a match (a
// run's payments through it) or unmatched. Payments of runs not passed in
// are matched one by one.
Result<MatchResult> MatchStatement(const std::vector<BankLineIn>& lines, const std::vector<PaymentIn>& unsettled,
                                   const std::vector<RunIn>& runs, const MatchOptions& options,
                                   const ClosedIds& closed = {});

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MATCH_H_
