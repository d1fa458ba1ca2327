#ifndef RINGFENCE_RECONCILE_FLAG_LIFECYCLE_H_
#define RINGFENCE_RECONCILE_FLAG_LIFECYCLE_H_

// A month's flags in their lifecycle (issue 17 item 9): which are new this
// month, carried over from an earlier one (with their age), explained or
// resolved, and the flags.raised entries that record them
// (ledger/core/flag_life.h says how each entry changes a flag's record).
//
//   new          open, first raised (or reopened) in this month
//   carried over open, first raised in an earlier month: age = whole months
//                from that month to this one ("carried over from 2026-05, 2
//                months")
//   explained    a person explained it (flags explain): listed, not open
//   resolved     a person resolved it through this month or a later one
//                (flags resolve); raised again for a LATER month it is
//                reopened, shown as new
//
// Open means new or carried over: only open flags block `close` (critical
// ones) and count for `reconcile --fail-on`. Statuses are computed after
// the flag list (MonthFlags) and beside it, never inside MonthFlag: the list
// itself (what a sign-off hashes) does not depend on the lifecycle.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"
#include "reconcile/month_flags.h"

namespace rf {

enum class FlagSection { kNew, kCarried, kExplained, kResolved };
// "new", "carried_over", "explained", "resolved".
std::string_view ToString(FlagSection section);

// One flag of the month as its lifecycle record stands once the month's
// flags.raised entries are applied (so a dry run shows what a run would).
struct FlagStatus {
  FlagSection section = FlagSection::kNew;
  FlagState state = FlagState::kOpen;
  Month first_month;       // first raised, or reopened
  int32_t age_months = 0;  // from first_month to the month reported (0: new)
  bool reopened = false;   // raised again after a resolution
  std::string note, reason, actor;
  std::optional<uint64_t> action_seq;  // the explanation's or resolution's entry

  bool open() const { return state == FlagState::kOpen; }
};

struct FlagLifecycle {
  std::vector<FlagStatus> statuses;  // one per flag, in the flags' order
  // The flags.raised entries (at most kFlagsPerRaisedEntryMax flags each)
  // listing the flags whose record they create or change; empty when
  // nothing is new (a rerun) or the month is closed.
  std::vector<EntryDraft> drafts;
  uint64_t flags_recorded = 0;           // flags the drafts list
  bool month_closed = false;             // nothing can be journalled in the month
  std::optional<AppendResult> appended;  // set by RecordFlagLifecycle
};

// The entry form of a reported flag.
RaisedFlagFields RaisedFlagOf(const MonthFlag& flag);

// Plans the lifecycle of `flags` (month's list, as MonthFlags gives it) from
// the flag records `views` hold, each read once. Without `make_drafts` (a
// dry run) the drafts are left empty, flags_recorded still counting the
// flags they would list. Errors: Tampered from a damaged record;
// InvalidInput from a flag CheckRaisedFlag refuses (a flag id too long).
Result<FlagLifecycle> PlanFlagLifecycle(const ViewSource& views, const Month& month,
                                        const std::vector<MonthFlag>& flags, const DraftOrigin& origin,
                                        bool make_drafts = true);

// Plans from the ledger's live views and, unless `dry_run`, commits the
// drafts in one transaction (`appended` then set; the drafts are handed to
// the commit, so `drafts` is empty after it); a dry run makes none.
// Errors: PlanFlagLifecycle's, and the commit's (prefixed "flags: ").
Result<FlagLifecycle> RecordFlagLifecycle(Ledger& ledger, const Month& month, const std::vector<MonthFlag>& flags,
                                          const DraftOrigin& origin, bool dry_run);

// What the report says of a flag's lifecycle: "new", "reopened", "carried
// over from 2026-05, 2 months", "explained by NAME: note", ...
std::string FlagStatusText(const FlagStatus& status);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_FLAG_LIFECYCLE_H_
