#ifndef RINGFENCE_RECONCILE_MONTH_TALLY_H_
#define RINGFENCE_RECONCILE_MONTH_TALLY_H_

// The month's matching as it stands (issue 17 item 5): what `reconcile
// --month` reports, so that running it again for the same month prints the
// same result. Where MonthMatchSummary counts what one run proposes, the
// tally counts every bank line booked in the month, whether settled by this
// run, an earlier one or a person, and lists every match.
//
// How each settled line was matched is read, not stored: a person's match
// (`reconcile match`) is the settlement followed, in the same commit, by its
// reconcile.match note (month_match.h ManualMatchDrafts), so the entry after
// the line's settled_seq says so. Any other settlement is the engine's, and
// its tier follows from the line: a whole run is the batch tier; a line
// whose end-to-end id is the payment's id was matched by it (the engine
// tries that tier first, and a line naming a payment matches nothing else
// when it fails: amounts and payees must agree in every tier); else amount,
// payee and date.
//
// Cost: the month's bank lines, through linemonth/ (records.h, "Month
// indexes"; Refused naming `ringfence views rebuild` without them), a point
// read each, unless the plan's read of them is handed over at the same
// journal size (MonthTallyLines); a run's payments along its chain for a
// batch line settled before, plus one journal read per line settled before
// this run (to tell a person's match from the engine's). Memory: the
// month's matched lines and their payment ids, bounded by kMatchLinesMax
// and the payments.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/line_facts.h"
#include "ledger/core/money.h"
#include "ledger/storage/ledger.h"
#include "reconcile/month_match.h"

namespace rf {

enum class MatchedBy { kEndToEndId, kBatch, kAmountPayeeDate, kPerson };
// "end_to_end_id", "batch", "amount_payee_date", "person".
std::string_view ToString(MatchedBy by);

// One settled line of the month.
struct MonthMatch {
  std::string line_id;                   // BankLineId
  std::string payment_id;                // one payment; "" for a run
  std::string run_id;                    // a whole run; "" for one payment
  std::vector<std::string> payment_ids;  // what it settled, sorted
  Date booked_on;
  Pence amount_pence;  // paid out: -line amount
  MatchedBy by = MatchedBy::kEndToEndId;
};

struct MonthTally {
  uint64_t lines_in_month = 0;
  uint64_t lines_out = 0;  // money out (amount < 0): the lines payments explain
  uint64_t lines_in = 0;   // money in or nothing moved
  uint64_t matched_end_to_end_id = 0, matched_batch = 0, matched_amount_payee_date = 0;
  uint64_t matched_by_person = 0;
  // Money-out lines still unmatched: those a person must decide (ambiguous,
  // or a near miss on amount, payee, date or id) and those no payment
  // explains at all (no candidate, or an id no unsettled payment has: the
  // DIVERSION_UNEXPLAINED_OUTFLOW lines).
  uint64_t left_for_review = 0, unmatched = 0;
  uint64_t lines_in_unmatched = 0;  // money-in lines nothing explains
  uint64_t lines_returned = 0;      // money in returning a payment (match_returns.h)
  uint64_t payments_settled = 0;    // by the month's lines
  uint64_t payments_unsettled = 0;  // pending, run by the month's end
  Pence money_in, money_out;        // the month's lines; out as a positive sum
  std::vector<MonthMatch> matches;  // by line id
  // The month's returned payments (inflows), this run's or earlier: line
  // id, the payment it returns, booking date, amount. By line id.
  struct Return {
    std::string line_id, payment_id;
    Date booked_on;
    Pence amount_pence;
  };
  std::vector<Return> returns;

  uint64_t matched_automatically() const {
    return matched_end_to_end_id + matched_batch + matched_amount_payee_date;
  }
  // The automatic match rate: lines matched by the engine per money-out
  // line, in tenths of a percent, rounded half up; nullopt when the month
  // has no money-out line.
  std::optional<uint32_t> auto_match_permille() const;
};

// "92.3": a permille as a percentage with one decimal (no sign).
std::string PercentText(uint32_t permille);

// The month's lines as PlanMonthMatch reads them (its each_line_in_month),
// kept so that TallyMonth need not read them again: the counts and sums of
// every line, and of each line settled before the plan (matched, or
// returning a payment) what the tally lists. A line the plan reads as
// unmatched is kept as the plan keeps it (MonthMatchPlan::lines), so for a
// month not yet reconciled this holds almost nothing.
struct MonthTallyLines {
  // The journal's size in the snapshot the lines were read from; nullopt
  // when not known (another process appended during the read): the tally
  // then reads the lines itself.
  std::optional<uint64_t> journal_size;
  uint64_t lines_in_month = 0, lines_out = 0, lines_in = 0;
  Pence money_in, money_out;
  // The lines settled before the plan (matched, or returning a payment), as
  // read (line id order).
  std::vector<BankLineSettlementFacts> settled;

  // For PlanMonthMatch's each_line_in_month.
  Status Add(const BankLineSettlementFacts& line);
};

// PlanMonthMatch over `ledger`'s live views, keeping the month's lines in
// `lines` with the journal size they reflect (the size before and after the
// read, when the two agree). `drafts` as PlanMonthMatch's.
// Errors: PlanMonthMatch's, and the journal's.
Result<MonthMatchPlan> PlanMonthMatchKeepingLines(const Ledger& ledger, const Month& month,
                                                  std::optional<uint32_t> window_business_days,
                                                  const DraftOrigin& origin, MonthTallyLines& lines,
                                                  MatchDrafts drafts = MatchDrafts::kBuild);

// The tally of `plan.month` after `plan` (PlanMonthMatch over `ledger`'s
// views), whether its settlements are committed or not (a dry run): its
// matches are counted from the plan either way, so a dry run reports what
// the real run will.
// `lines`, when given and read at the journal size the tally is read at
// (compared before and after), stands for the month's lines, so only the
// run chains and journal entries of lines settled before are read; at any
// other size (an append since, this run's own commit included) the lines
// are read again through linemonth/. `*lines_read_again` (when given) says
// which.
// Errors: Tampered from a record or an entry that cannot be read.
Result<MonthTally> TallyMonth(const Ledger& ledger, const MonthMatchPlan& plan, const MonthTallyLines* lines = nullptr,
                              bool* lines_read_again = nullptr);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MONTH_TALLY_H_
