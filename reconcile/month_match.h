#ifndef RINGFENCE_RECONCILE_MONTH_MATCH_H_
#define RINGFENCE_RECONCILE_MONTH_MATCH_H_

// A month's statement matching as drafts (`ringfence reconcile --month`):
// reads the views, hands the pure matcher (match.h) its inputs, and turns
// each proposed match into one payment.settled draft. Writes nothing; the
// caller commits the drafts in one transaction, where the apply rules check
// every settlement again (one use per line and per payment, amount to the
// penny), so a refused proposal refuses the whole month.
//
// What it reads (memory bounded by the month's items and the unsettled
// payments, not the journal): through the month indexes (records.h,
// "Month indexes"), each record named read by a point read; a ledger whose
// views predate them is Refused naming `ringfence views rebuild`
// (RequireMonthIndexes), never read as an empty month:
//   lines     bank lines booked in the month; those still unmatched go to
//             the matcher, the rest are only counted (settled before)
//   payments  every pending payment whose run date is on or before the
//             month's last day (a payment made on 31 March may reach the
//             statement in April)
//   runs      pending runs with a payment among those, dated by it
//   returns   (match_returns.h) settled payments whose settlement could
//             still be returned in the month (settled on or before its last
//             day, within the window before its first), those the plan
//             settles, and any payment an inflow's end-to-end id names (a
//             point read per inflow)
// Mapping (match.h): a line's id is BankLineId(statement, line), its
// payee_ref its counterparty_ref; a payment's end-to-end id is its
// payment_id (the id pain.001 sends).
//
// Idempotent: after the drafts are committed, the same month has no
// unmatched line the matcher could settle, so a rerun proposes nothing new.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/line_facts.h"
#include "ledger/core/money.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"
#include "reconcile/match.h"
#include "reconcile/match_returns.h"

namespace rf {

// The journalled setting for the matching window, and its default.
inline constexpr char kMatchWindowSetting[] = "match.window_business_days";
inline constexpr uint32_t kMatchWindowDefault = 3;

struct MonthMatchSummary {
  uint64_t lines_in_month = 0;        // every line booked in the month
  uint64_t lines_settled_before = 0;  // of those, matched by an earlier run or a person
  uint64_t matched_end_to_end_id = 0, matched_batch = 0, matched_amount_payee_date = 0;
  uint64_t lines_left = 0;          // unmatched after this run (inflows included)
  uint64_t lines_inflow = 0;        // of those, money in (not a payment out, no return)
  uint64_t lines_returned = 0;      // inflows matched as returned payments by this run
  uint64_t payments_settled = 0;    // by this run (a run's payments each count)
  uint64_t payments_unsettled = 0;  // still pending after this run
  Pence money_in, money_out;        // the month's lines; out as a positive sum
};

struct MonthMatchPlan {
  Month month;
  uint32_t window_business_days = kMatchWindowDefault;
  MatchResult result;
  std::vector<BankLineIn> lines;    // the unmatched lines read, by line id
  std::vector<PaymentIn> payments;  // the unsettled payments read, by payment id
  std::vector<ProposedReturn> returns;  // inflows returning a settled payment, by line id
  // returns[i]'s payment.returned fields (what its payment posted, read by
  // the plan), so its draft can be made without the views (PlanDraft).
  std::vector<ReturnedFields> returned;
  MonthMatchSummary summary;
  // One payment.settled per match, by line id, then one payment.returned
  // per return, by line id (a payment settled and returned in one month
  // settles first, in the same transaction): PlanDraft(plan, i) for every i
  // below PlanDraftCount(plan). Empty under MatchDrafts::kNone.
  std::vector<EntryDraft> drafts;

  // The line (payment) read with that id; nullptr when none.
  const BankLineIn* FindLine(const std::string& line_id) const;
  const PaymentIn* FindPayment(const std::string& payment_id) const;
};

// Whether the plan builds its drafts. kNone is for a caller that never
// commits them (a dry run): `drafts` stays empty whatever is proposed (the
// proposals are in result.matches and returns), and no canonical entry
// text is made for them.
enum class MatchDrafts { kBuild, kNone };

// The plan's drafts one at a time, for a caller that commits them chunk by
// chunk (month_real_run.h) rather than holding them all (MatchDrafts::kNone
// and then these): PlanDraftCount is result.matches.size() +
// returns.size(), and PlanDraft(plan, i, origin) is the draft kBuild puts
// at drafts[i] (kBuild is made by it). Reads only the plan.
size_t PlanDraftCount(const MonthMatchPlan& plan);
EntryDraft PlanDraft(const MonthMatchPlan& plan, size_t i, const DraftOrigin& origin);

// `window_business_days`: nullopt reads kMatchWindowSetting from the views
// (kMatchWindowDefault when unset). Errors: InvalidInput for a window over
// kBusinessDaysWindowMax; Tampered from a record that cannot be read; the
// matcher's errors.
// `each_line_in_month`, when given, is called with the settlement facts
// (ledger/core/line_facts.h) of every bank line booked in the month, decoded
// in the same one read of its text as its matching facts (matched or not),
// so a caller that needs the month's lines too does not read them again;
// its error ends the plan.
Result<MonthMatchPlan> PlanMonthMatch(
    const ViewSource& views, const Month& month, std::optional<uint32_t> window_business_days,
    const DraftOrigin& origin, const std::function<Status(const BankLineSettlementFacts&)>& each_line_in_month = {},
    MatchDrafts drafts = MatchDrafts::kBuild);

// A person's decision (`ringfence reconcile match`): bank line `bank_line_id`
// settles payment `payment_id` or, for a batch line, the whole run `run_id`
// (exactly one of the two). Drafts: the payment.settled entry, dated the
// line's booking date, then a note naming the settlement with the reason
// and actor (payment.settled has no member for them). The apply rules
// decide whether the settlement may be made.
struct ManualMatch {
  std::string bank_line_id, payment_id, run_id, reason;
};
// Errors: InvalidInput when both or neither of payment and run are named,
// or the reason is not words (rules.h IsReason); Refused when the line is
// on no loaded statement.
Result<std::vector<EntryDraft>> ManualMatchDrafts(const ViewSource& views, const ManualMatch& match,
                                                  const DraftOrigin& origin);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MONTH_MATCH_H_
