// The flag lifecycle: flags.raised, flag.explained, flag.resolved
// (ledger/core/flag_life.h says what each does to a flag's record).
#include <cassert>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

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

// The elements of a canonical JSON array's text (`raw` passed
// ScanCanonicalObject as a member's value: canonical, so only strings can
// hold a bracket or a comma), each as its canonical text; nullopt when
// `raw` is no array or holds more than `elements_max` elements.
std::optional<std::vector<std::string_view>> CanonicalArrayElements(std::string_view raw, size_t elements_max) {
  if (raw.size() < 2 || raw.front() != '[' || raw.back() != ']') return std::nullopt;
  std::vector<std::string_view> out;
  const std::string_view inside = raw.substr(1, raw.size() - 2);
  size_t depth = 0, start = 0;
  bool in_string = false;
  for (size_t i = 0; i < inside.size(); ++i) {
    const char ch = inside[i];
    if (in_string) {
      if (ch == '\\') {
        ++i;  // the escaped character
      } else if (ch == '"') {
        in_string = false;
      }
      continue;
    }
    if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      ++depth;
    } else if (ch == ']' || ch == '}') {
      assert(depth > 0);
      --depth;
    } else if (ch == ',' && depth == 0) {
      if (out.size() >= elements_max) return std::nullopt;
      out.push_back(inside.substr(start, i - start));
      start = i + 1;
    }
  }
  assert(!in_string && depth == 0);
  if (!inside.empty()) {
    if (out.size() >= elements_max) return std::nullopt;
    out.push_back(inside.substr(start));
  }
  return out;
}

// One member of body.flags[i]: text, required.
Result<std::string> RaisedFlagText(const std::vector<ScannedMember>& members, std::string_view member,
                                   const std::string& where) {
  for (const ScannedMember& m : members) {
    if (m.key != member) continue;
    if (m.value.empty() || m.value.front() != '"') break;
    std::string text = m.value.find('\\') == std::string_view::npos ? std::string(m.value.substr(1, m.value.size() - 2))
                                                                    : UnescapeCanonicalString(m.value);
    if (text.size() > kFlagIdBytesMax) break;
    return text;
  }
  return Status::InvalidInput(where + "." + std::string(member) + ": required, text of at most " +
                              std::to_string(kFlagIdBytesMax) + " bytes");
}

// One element of body.flags, read from its canonical text without a DOM.
Result<RaisedFlagFields> ParseRaisedFlag(std::string_view item, const std::string& where,
                                         std::vector<ScannedMember>& members) {
  members.clear();
  if (item.empty() || item.front() != '{' || !ScanCanonicalObject(item, &members).ok() || members.size() != 5) {
    return Status::InvalidInput(where + ": expected {\"id\", \"code\", \"severity\", \"entity\", \"amount\"}");
  }
  RaisedFlagFields f;
  RF_ASSIGN(id, RaisedFlagText(members, "id", where));
  RF_ASSIGN(code, RaisedFlagText(members, "code", where));
  RF_ASSIGN(severity, RaisedFlagText(members, "severity", where));
  RF_ASSIGN(entity, RaisedFlagText(members, "entity", where));
  RF_ASSIGN(amount_text, RaisedFlagText(members, "amount", where));
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
  // The list read from its canonical text, element by element (no DOM:
  // 48 flags an entry, some 10,000 entries at national scale).
  const auto list = CanonicalArrayElements(b.Raw("flags"), kFlagsPerRaisedEntryMax);
  if (!list || list->empty()) {
    return Status::InvalidInput("body.flags: 1 to " + std::to_string(kFlagsPerRaisedEntryMax) +
                                " flags, each {\"id\", \"code\", \"severity\", \"entity\", \"amount\"}");
  }
  std::set<std::string> seen;
  std::vector<ScannedMember> members;  // one element's at a time
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string where = "body.flags[" + std::to_string(i) + "]";
    RF_ASSIGN(flag, ParseRaisedFlag((*list)[i], where, members));
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
