#ifndef RINGFENCE_RECONCILE_MONTH_FLAGS_H_
#define RINGFENCE_RECONCILE_MONTH_FLAGS_H_

// A month's threshold flags (`ringfence reconcile --month`, issue 17 items
// 6, 7, 12): reads a view source into the pure evaluator's inputs
// (flags.h), and lists its flags beside the flags matching found (a payee
// mismatch is DIVERSION_PAYEE_MISMATCH, critical) in one sorted list.
//
// "As of month end": the evaluator reads every record as of its dates
// (later-dated records have not happened), but balances and settings are
// read as the view source holds them. So the source the caller passes
// decides what "at month end" means:
//   - views rebuilt up to the month's last day (RebuildViews(journal,
//     month.last_day()), what `report --as-of` uses; the CLI does this):
//     dp:, spent: and pot: balances as at month end, and the thresholds as
//     the config.set entries dated on or before that day left them, which
//     is the contract's "thresholds in force on the month's last day".
//     Cost: one replay of the journal, memory the size of the views.
//   - the live views: current balances and current settings. Right for the
//     latest month when nothing is dated after it, wrong for a month long
//     past (a DP surplus since spent would still show).
//
// What is read:
//   budgets, reviews, providers, pots  every record
//   invoices, payments  bounded (flags.h "Bounded inputs"): in full only
//                     those that can raise or evidence a flag of the month
//                     (open at month end, run, paid or received in the
//                     month, returned in the month, a duplicate), plus
//                     paid_invoice_spend for the rest, read through the
//                     flag indexes (month_flag_records.h): no scan of
//                     payment/ or invoice/; memory: the month's records
//   dp_balances       dp:<budget> balances (nonzero)
//   dp_spent          sum of spent:<budget>:* balances per budget
//   spent_by_category each spent:<budget>:<category> balance
//   pot_unallocated   pot:<pot> balances
//   due_instalments   InstalmentSchedule (payments/schedule.h) of every
//                     direct-payment and third-party budget, due on or
//                     before month end, less those an instalment payment
//                     (not cancelled) run on or before month end has paid
//   thresholds        FlagThresholdsFromSettings over FindSetting

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "ledger/storage/ledger.h"
#include "reconcile/flags.h"
#include "reconcile/match.h"

namespace rf {

inline constexpr char kPayeeMismatchCode[] = "DIVERSION_PAYEE_MISMATCH";

// Errors: Tampered from a record or balance that cannot be read;
// InvalidInput from a budget whose schedule cannot be made.
// Reads payments and invoices through the flag indexes
// (month_flag_records.h); refuses views without them (RequireMonthIndexes).
Result<FlagInputs> ReadMonthFlagInputs(const ViewSource& views, const Month& month);
// The same inputs by a scan of every payment and invoice
// (flag_reducer.h): the oracle tests compare ReadMonthFlagInputs with.
Result<FlagInputs> ReadMonthFlagInputsByScan(const ViewSource& views, const Month& month);

// The thresholds from the settings the source holds (see above).
// Errors: InvalidInput naming a setting whose stored value is out of range.
Result<FlagThresholds> ReadFlagThresholds(const ViewSource& views);

// One flag as reported: MonthFlag (flags.h), an evaluator's flag or a
// matching one.

// What the flag says: `sentence`, or the sentence its facts make.
std::string SentenceOf(const MonthFlag& flag);

struct MonthFlagCounts {
  uint64_t critical = 0, warning = 0, info = 0;
};

// Its sentence, when not yet written, stays in its facts.
MonthFlag ReportedFlag(Flag flag);
// A payee mismatch: entity "payment:<id>", the line as evidence.
// REQUIRES: sentence says what is wrong and what to do (the CLI's words).
MonthFlag PayeeMismatchFlag(const PayeeMismatch& mismatch, std::string sentence);

// The flags of the bank lines matching left (entity "bankline:<line id>",
// the line as evidence, id "<CODE>/bankline:<line id>"):
//   DIVERSION_UNEXPLAINED_OUTFLOW  critical: an outflow no payment could
//       match at all (kNoCandidate, or an end-to-end id that is no unsettled
//       payment's: matching goes no further). At stake: the money paid out.
//   UNMATCHED_BANK_LINE  warning: every other line left (an inflow, or an
//       outflow left for a person: ambiguous, or a near miss on amount,
//       date, payee or id), the matcher's reason in the sentence. At stake:
//       the line's amount, unsigned.
// A line already reported as a payee mismatch is left out: its
// DIVERSION_PAYEE_MISMATCH flag says more. `lines`: the lines matched
// (MonthMatchPlan::lines); a line not among them is skipped (asserted).
std::vector<MonthFlag> UnmatchedLineFlags(const MatchResult& result, const std::vector<BankLineIn>& lines);

// The flags of the rules' own flag records (records.h), one per record,
// entity "entry:<seq>", the entry's seq as evidence:
//   OVERSPEND           warning: an override (allow_negative, with its
//       reason and actor journalled) took accounts below zero. Warning, not
//       critical: the breach was authorised and is on the record, and the
//       money is still inside the PHB; what is left is to recover or top it
//       up. At stake: how far below zero the accounts went, summed.
//   DIVERSION_TRANSFER  critical: ring-fenced money moved to external:*.
//       At stake: the amount moved.
// The records hold no effective date, and views rebuilt as of a date
// (ApplyMode::kReport) hold no flag records at all (the rules are not
// re-run), so `views` are ones with every rule enforced (the live views,
// or RebuildViewsAt without a date: sign_off.h) and `effective_of(seq)` gives the
// effective date of the record's entry (the CLI reads it from the journal):
// a record is raised when its entry is dated on or before the month's last
// day. It is then raised again every later month, the same id each time:
// the flag lifecycle (flag_lifecycle.h) shows it carried over until a
// person explains or resolves it.
// Errors: Tampered from a record that cannot be read; effective_of's.
Result<std::vector<MonthFlag>> ReadRuleFlags(const ViewSource& views, const Month& month,
                                             const std::function<Result<Date>(uint64_t seq)>& effective_of);

// Sorts critical first, then code, then entity (stable ids make it total).
// Cost: a list already sorted up to its last few flags (the evaluator's
// flags, then the few of matching and the rules) sorts only those few and
// merges them in.
void SortMonthFlags(std::vector<MonthFlag>& flags);
MonthFlagCounts CountMonthFlags(const std::vector<MonthFlag>& flags);

// A dry run evaluates views without its proposed settlements: drops the
// UNSETTLED_PAYMENT flags of the payments `plan` would settle, so the dry
// run lists what the real run would. `plan_payment_ids`: those payments.
void DropSettledByPlan(const std::vector<std::string>& plan_payment_ids, std::vector<MonthFlag>& flags);

// Reads the inputs and thresholds from `views` and evaluates the month
// (the threshold flags only; see ReadRuleFlags, UnmatchedLineFlags).
Result<std::vector<MonthFlag>> EvaluateMonthFlags(const ViewSource& views, const Month& month);

// The same over inputs and thresholds already read (EvaluateMonthFlags is
// this over ReadFlagThresholds and ReadMonthFlagInputs).
Result<std::vector<MonthFlag>> EvaluateMonthFlagInputs(const FlagInputs& inputs, const FlagThresholds& thresholds);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_MONTH_FLAGS_H_
