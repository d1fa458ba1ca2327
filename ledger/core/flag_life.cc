#include "ledger/core/flag_life.h"

#include <algorithm>
#include <cassert>

#include "ledger/core/rules.h"

namespace rf {

int32_t MonthsBetween(const Month& from, const Month& to) {
  return (to.year - from.year) * 12 + (static_cast<int32_t>(to.month) - static_cast<int32_t>(from.month));
}

Status CheckRaisedFlag(const RaisedFlagFields& f, const std::string& where) {
  if (f.code.empty() || f.code.size() > kFlagCodeBytesMax ||
      !std::all_of(f.code.begin(), f.code.end(), [](char ch) { return (ch >= 'A' && ch <= 'Z') || ch == '_'; })) {
    return Status::InvalidInput(where + ".code: a flag code (upper-case letters and '_', at most " +
                                std::to_string(kFlagCodeBytesMax) + ")");
  }
  if (f.entity.empty() || f.id.size() > kFlagIdBytesMax) {
    return Status::InvalidInput(where + ".entity: 1 to " + std::to_string(kFlagIdBytesMax) +
                                " bytes with the code (the flag's id)");
  }
  for (const char ch : f.entity) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) {
      return Status::InvalidInput(where + ".entity: control characters are not allowed");
    }
  }
  if (f.id != f.code + "/" + f.entity) return Status::InvalidInput(where + ".id: must be <code>/<entity>");
  if (std::find(kFlagSeverityNames.begin(), kFlagSeverityNames.end(), f.severity) == kFlagSeverityNames.end()) {
    return Status::InvalidInput(where + ".severity: critical, warning or info");
  }
  if (f.amount.is_negative()) return Status::InvalidInput(where + ".amount: zero or more (the amount at stake)");
  return Status::Ok();
}

bool WouldReopen(const FlagLifeRecord& before, const Month& month) {
  return before.state == FlagState::kResolved && before.resolved_month && *before.resolved_month < month;
}

FlagLifeRecord RaiseFlag(const std::optional<FlagLifeRecord>& before, const RaisedFlagFields& f, const Month& month,
                         uint64_t seq) {
  assert(!before || before->id == f.id);
  if (!before || WouldReopen(*before, month)) {
    FlagLifeRecord r{.id = f.id,
                     .code = f.code,
                     .severity = f.severity,
                     .entity = f.entity,
                     .amount = f.amount,
                     .first_month = month,
                     .last_month = month,
                     .state = FlagState::kOpen,
                     .raised_seq = seq,
                     .reopened = before ? before->reopened + 1 : 0,
                     .note = "",
                     .reason = "",
                     .actor = "",
                     .action_seq = std::nullopt,
                     .resolved_month = std::nullopt};
    assert(r.first_month == r.last_month);
    return r;
  }
  FlagLifeRecord r = *before;
  r.first_month = std::min(r.first_month, month);
  if (!(month < r.last_month)) {
    r.last_month = month;
    r.amount = f.amount;
    r.severity = f.severity;
  }
  assert(!(r.last_month < r.first_month));
  return r;
}

bool RaiseChanges(const std::optional<FlagLifeRecord>& before, const RaisedFlagFields& f, const Month& month) {
  if (!before) return true;
  return FlagLifeText(RaiseFlag(before, f, month, before->raised_seq)) != FlagLifeText(*before);
}

namespace {

Result<FlagLifeRecord> FlagLifeToChange(const std::optional<FlagLifeRecord>& before, std::string_view id,
                                        const std::string& words, const char* what) {
  if (!IsReason(words)) {
    return RefusedWithCode(refusal::kFlagNeedsWords,
                           std::string("body.") + what + ": say in words (at least three letters) what was done");
  }
  if (!before) {
    return RefusedWithCode(refusal::kFlagUnknown, "flag " + std::string(id.substr(0, 120)) +
                                                      " is not known: no reconciliation has raised it (see `ringfence "
                                                      "flags` for the ids)");
  }
  if (before->state == FlagState::kResolved) {
    return RefusedWithCode(refusal::kFlagAlreadyResolved,
                           "flag " + before->id + " was already resolved (entry " +
                               std::to_string(before->action_seq.value_or(0)) + ": " + before->reason +
                               "); if its condition holds in a later month, reconciliation reopens it");
  }
  return *before;
}

}  // namespace

Result<FlagLifeRecord> ExplainFlag(const std::optional<FlagLifeRecord>& before, std::string_view id,
                                   const std::string& note, const std::string& actor, uint64_t seq) {
  RF_ASSIGN(r, FlagLifeToChange(before, id, note, "note"));
  r.state = FlagState::kExplained;
  r.note = note;
  r.actor = actor;
  r.action_seq = seq;
  return r;
}

Result<FlagLifeRecord> ResolveFlag(const std::optional<FlagLifeRecord>& before, std::string_view id,
                                   const std::string& reason, const std::string& actor, uint64_t seq) {
  RF_ASSIGN(r, FlagLifeToChange(before, id, reason, "reason"));
  r.state = FlagState::kResolved;
  r.reason = reason;
  r.actor = actor;
  r.action_seq = seq;
  r.resolved_month = r.last_month;
  return r;
}

}  // namespace rf
