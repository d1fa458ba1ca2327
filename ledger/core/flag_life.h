#ifndef RINGFENCE_LEDGER_CORE_FLAG_LIFE_H_
#define RINGFENCE_LEDGER_CORE_FLAG_LIFE_H_

// A reconciliation flag's lifecycle (issue 17 item 9), as the three entry
// kinds change its record (FlagLifeRecord, flagstate/<id>):
//
//   flags.raised for month M, per flag listed (RaiseFlag):
//     no record             -> open, first_month = last_month = M
//     resolved, M > resolved_month
//                           -> reopened: open again, first_month =
//                              last_month = M, reopened + 1, the
//                              explanation and resolution cleared
//     otherwise (carried)   -> first_month = min(first_month, M); when M is
//                              on or after last_month: last_month = M and the
//                              amount and severity as raised for M. State,
//                              note and reason are kept: an explained flag
//                              carried over stays explained.
//   flag.explained          -> explained, note, actor, action_seq. Refused
//                              for an unknown id or a resolved flag.
//   flag.resolved           -> resolved, reason, actor, action_seq,
//                              resolved_month = last_month. Refused for an
//                              unknown id or a flag already resolved.
//
// Reconciliation lists in a flags.raised entry only the flags RaiseFlag would
// change (RaiseChanges), so rerunning a month journals nothing. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/records.h"

namespace rf {

// Bounds, so a flags.raised line stays under kCanonicalLineBytesMax (64 KiB):
// 48 flags of at most ~1,100 bytes each (id 480, entity 480, code 40,
// severity, amount, member names). Flag ids also stay under LMDB's 511-byte
// key with the flagstate/ prefix.
inline constexpr size_t kFlagsPerRaisedEntryMax = 48;
inline constexpr size_t kFlagIdBytesMax = 480;
inline constexpr size_t kFlagCodeBytesMax = 40;

// Whole months from `from` to `to` (negative when `to` is earlier).
int32_t MonthsBetween(const Month& from, const Month& to);

// Checks one listed flag: id is code + "/" + entity within the bounds, code
// upper-case letters and '_', severity one of kFlagSeverityNames, amount zero
// or more. Errors: InvalidInput naming `where` ("body.flags[3]") and member.
Status CheckRaisedFlag(const RaisedFlagFields& f, const std::string& where);

// The record after flag `f` is raised for `month` by entry `seq` (see above).
// REQUIRES: CheckRaisedFlag(f).ok(); before (if any) has id f.id.
FlagLifeRecord RaiseFlag(const std::optional<FlagLifeRecord>& before, const RaisedFlagFields& f, const Month& month,
                         uint64_t seq);
// True when RaiseFlag would change `before` (always when there is none).
bool RaiseChanges(const std::optional<FlagLifeRecord>& before, const RaisedFlagFields& f, const Month& month);
// True when raising `before` for `month` reopens it (resolved, and `month`
// is after the month it was resolved through).
bool WouldReopen(const FlagLifeRecord& before, const Month& month);

// The record after a person explains or resolves flag `id` by entry `seq`.
// Errors: Refused FLAG_NEEDS_WORDS (not IsReason), FLAG_UNKNOWN (no record),
// FLAG_ALREADY_RESOLVED (resolved: explaining it too is refused; a flag that
// is raised again is reopened by reconciliation, not by a person).
Result<FlagLifeRecord> ExplainFlag(const std::optional<FlagLifeRecord>& before, std::string_view id,
                                   const std::string& note, const std::string& actor, uint64_t seq);
Result<FlagLifeRecord> ResolveFlag(const std::optional<FlagLifeRecord>& before, std::string_view id,
                                   const std::string& reason, const std::string& actor, uint64_t seq);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_FLAG_LIFE_H_
