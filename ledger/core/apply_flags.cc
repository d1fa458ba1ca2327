// The flag lifecycle: flags.raised, flag.explained, flag.resolved
// (ledger/core/flag_life.h says what each does to a flag's record).
#include <set>

#include "ledger/core/apply_kit.h"
#include "ledger/core/flag_life.h"
#include "ledger/core/records.h"

namespace rf::apply_internal {
namespace {

Result<std::optional<FlagLifeRecord>> FindFlagLife(Views& views, const std::string& id) {
  RF_ASSIGN(text, views.RecordText(RecordKind::kFlagLife, id));
  if (!text) return std::optional<FlagLifeRecord>();
  RF_ASSIGN(record, DecodeRecordText<FlagLifeRecord>(RecordKey(RecordKind::kFlagLife, id), *text));
  return std::optional<FlagLifeRecord>(std::move(record));
}

// One member of body.flags[i]: text, required.
Result<std::string> RaisedFlagText(const nlohmann::json& item, const char* member, const std::string& where) {
  const auto it = item.find(member);
  if (it == item.end() || !it->is_string() || it->get_ref<const std::string&>().size() > kFlagIdBytesMax) {
    return Status::InvalidInput(where + "." + member + ": required, text of at most " +
                                std::to_string(kFlagIdBytesMax) + " bytes");
  }
  return it->get<std::string>();
}

Result<RaisedFlagFields> ParseRaisedFlag(const nlohmann::json& item, const std::string& where) {
  if (!item.is_object() || item.size() != 5) {
    return Status::InvalidInput(where + ": expected {\"id\", \"code\", \"severity\", \"entity\", \"amount\"}");
  }
  RaisedFlagFields f;
  RF_ASSIGN(id, RaisedFlagText(item, "id", where));
  RF_ASSIGN(code, RaisedFlagText(item, "code", where));
  RF_ASSIGN(severity, RaisedFlagText(item, "severity", where));
  RF_ASSIGN(entity, RaisedFlagText(item, "entity", where));
  RF_ASSIGN(amount_text, RaisedFlagText(item, "amount", where));
  auto amount = Pence::Parse(amount_text, where + ".amount");
  if (!amount.ok()) return amount.status();
  if (amount->ToDecimal() != amount_text)
    return Status::InvalidInput(where + ".amount: a canonical amount (\"12.50\")");
  f.id = std::move(id);
  f.code = std::move(code);
  f.severity = std::move(severity);
  f.entity = std::move(entity);
  f.amount = *amount;
  RF_RETURN_IF_ERROR(CheckRaisedFlag(f, where));
  return f;
}

}  // namespace

Status ApplyFlagsRaised(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"month", "flags"}));
  RF_ASSIGN(month_text, b.Text("month"));
  RF_ASSIGN(month, ParseMonth(month_text, "body.month"));
  if (c.effective() != month.last_day()) {
    return Status::InvalidInput("body.month: a flags.raised entry is dated its month's last day (" +
                                month.last_day().ToIso() + ")");
  }
  const auto list = b.Value("flags");
  if (!list || !list->is_array() || list->empty() || list->size() > kFlagsPerRaisedEntryMax) {
    return Status::InvalidInput("body.flags: 1 to " + std::to_string(kFlagsPerRaisedEntryMax) +
                                " flags, each {\"id\", \"code\", \"severity\", \"entity\", \"amount\"}");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string where = "body.flags[" + std::to_string(i) + "]";
    RF_ASSIGN(flag, ParseRaisedFlag((*list)[i], where));
    if (!seen.insert(flag.id).second) return Status::InvalidInput(where + ".id: " + flag.id + " is listed twice");
    RF_ASSIGN(before, FindFlagLife(c.views, flag.id));
    const FlagLifeRecord after = RaiseFlag(before, flag, month, c.seq);
    assert(after.id == flag.id && !(after.last_month < after.first_month));
    c.views.PutRecordText(RecordKind::kFlagLife, flag.id, FlagLifeText(after));
  }
  return Status::Ok();
}

Status ApplyFlagExplained(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"flag_id", "note"}));
  RF_ASSIGN(id, b.Text("flag_id"));
  RF_ASSIGN(note, b.Text("note", false));
  RF_ASSIGN(before, FindFlagLife(c.views, id));
  RF_ASSIGN(after, ExplainFlag(before, id, note, c.draft->actor, c.seq));
  c.views.PutRecordText(RecordKind::kFlagLife, id, FlagLifeText(after));
  return Status::Ok();
}

Status ApplyFlagResolved(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"flag_id", "reason"}));
  RF_ASSIGN(id, b.Text("flag_id"));
  RF_ASSIGN(reason, b.Text("reason", false));
  RF_ASSIGN(before, FindFlagLife(c.views, id));
  RF_ASSIGN(after, ResolveFlag(before, id, reason, c.draft->actor, c.seq));
  c.views.PutRecordText(RecordKind::kFlagLife, id, FlagLifeText(after));
  return Status::Ok();
}

}  // namespace rf::apply_internal
