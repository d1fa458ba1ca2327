#include "ledger/core/entry.h"

#include <array>
#include <cassert>
#include <charconv>

namespace rf {
namespace {

// The members of a line in canonical (sorted) order.
constexpr std::array<std::string_view, 8> kMembers = {"actor", "body",     "effective", "kind",
                                                      "prev",  "recorded", "seq",       "source"};
enum Member { kActor, kBody, kEffective, kKind, kPrev, kRecorded, kSeq, kSource };

bool IsKindSlug(std::string_view kind) {
  if (kind.empty() || kind.size() > kEntryKindBytesMax) return false;
  for (const char c : kind) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool HasControlCharacter(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

// "YYYY-MM-DDTHH:MM:SS.ffffffZ": shape only; the journal writes it itself.
bool LooksLikeUtcTimestamp(std::string_view s) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.ddddddZ";
  if (s.size() != kShape.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (kShape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != kShape[i]) return false;
  }
  return true;
}

bool IsString(std::string_view raw) { return raw.size() >= 2 && raw.front() == '"'; }

Result<uint64_t> ParseSeq(std::string_view raw) {
  uint64_t seq = 0;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), seq);
  if (ec != std::errc() || end != raw.data() + raw.size() || seq == 0) {
    return Status::InvalidInput("seq: expected a positive integer, found " + std::string(raw.substr(0, 24)));
  }
  return seq;
}

Status CheckMemberSet(const std::vector<ScannedMember>& members) {
  if (members.size() != kMembers.size()) {
    return Status::InvalidInput(
        "expected exactly the members actor, body, effective, kind, prev, recorded, seq, source; found " +
        std::to_string(members.size()) + " members");
  }
  for (size_t i = 0; i < kMembers.size(); ++i) {
    if (members[i].key != kMembers[i]) {
      return Status::InvalidInput("expected member \"" + std::string(kMembers[i]) + "\", found \"" +
                                  std::string(members[i].key.substr(0, 32)) + "\"");
    }
  }
  return Status::Ok();
}

Result<crypto::Hash> ParsePrev(std::string_view raw) {
  if (raw.size() != 66 || raw.front() != '"') return Status::InvalidInput("prev: expected 64 lower-case hex digits");
  const auto hash = crypto::HashFromHex(raw.substr(1, 64));
  if (!hash) return Status::InvalidInput("prev: expected 64 lower-case hex digits");
  return *hash;
}

}  // namespace

Status ValidateDraft(const EntryDraft& draft) {
  if (!IsKindSlug(draft.kind)) {
    return Status::InvalidInput("kind: \"" + draft.kind.substr(0, 80) +
                                "\" is not a lower-case name of letters, digits, '.', '-' or '_' (at most " +
                                std::to_string(kEntryKindBytesMax) + " bytes)");
  }
  if (draft.actor.empty() || draft.actor.size() > kEntryActorBytesMax || HasControlCharacter(draft.actor) ||
      !IsValidUtf8(draft.actor)) {
    return Status::InvalidInput("actor: must name who made the change (1 to " + std::to_string(kEntryActorBytesMax) +
                                " bytes of UTF-8 text, no control characters)");
  }
  if (draft.source.size() > kEntrySourceBytesMax || HasControlCharacter(draft.source) || !IsValidUtf8(draft.source)) {
    return Status::InvalidInput("source: at most " + std::to_string(kEntrySourceBytesMax) +
                                " bytes of UTF-8 text without control characters");
  }
  const std::string_view text = draft.body_json;
  if (text.size() < 2 || text.front() != '{' || text.back() != '}' || text.size() > kCanonicalLineBytesMax) {
    return Status::InvalidInput("body: must be one JSON object");
  }
  return Status::Ok();
}

Status SetBodyFromJson(const nlohmann::json& body, EntryDraft* draft) {
  assert(draft != nullptr);
  if (!body.is_object()) return Status::InvalidInput("body: must be a JSON object");
  std::string text;
  Status canonical = AppendCanonical(body, &text);
  if (!canonical.ok()) return canonical.WithContext("body.");
  draft->body_json = std::move(text);
  return Status::Ok();
}

Status ScanBodyJson(std::string_view body_json, std::vector<ScannedMember>* members) {
  Status canonical = ScanCanonicalObject(body_json, members);
  if (canonical.ok()) return canonical;
  // Only on failure: JSON that JCS cannot carry is named by its member.
  const nlohmann::json dom = nlohmann::json::parse(body_json, nullptr, /*allow_exceptions=*/false);
  if (dom.is_object()) {
    std::string ignored;
    Status named = AppendCanonical(dom, &ignored);
    if (!named.ok()) return named.WithContext("body.");
  }
  return canonical.WithContext("body: ");
}

Result<nlohmann::json> ParseBodyJson(std::string_view body_json) {
  std::vector<ScannedMember> members;
  RF_RETURN_IF_ERROR(ScanBodyJson(body_json, &members));
  nlohmann::json dom = nlohmann::json::parse(body_json, nullptr, /*allow_exceptions=*/false);
  assert(dom.is_object());  // the scanner accepted it as a canonical object
  return dom;
}

Result<BodyReader> BodyReader::Scan(std::string_view body_json) {
  BodyReader reader;
  RF_RETURN_IF_ERROR(ScanBodyJson(body_json, &reader.members_));
  return reader;
}

std::string_view BodyReader::Raw(std::string_view name) const {
  for (const ScannedMember& m : members_) {
    if (m.key == name) return m.value;
  }
  return {};
}

std::optional<std::string> BodyReader::Text(std::string_view name) const {
  const std::string_view raw = Raw(name);
  if (raw.empty() || raw.front() != '"') return std::nullopt;
  return UnescapeCanonicalString(raw);
}

std::optional<nlohmann::json> BodyReader::Value(std::string_view name) const {
  const std::string_view raw = Raw(name);
  if (raw.empty()) return std::nullopt;
  return nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);  // canonical: parses
}

Status AppendEntryLine(const Entry& entry, std::string* out) {
  return AppendEntryLine(entry.seq, entry.recorded, entry.prev, entry.draft, out);
}

Status AppendEntryLine(uint64_t seq, std::string_view recorded, const crypto::Hash& prev, const EntryDraft& draft,
                       std::string* out) {
  size_t prev_at = 0;
  RF_RETURN_IF_ERROR(AppendEntryLineWithoutPrev(seq, recorded, draft, out, &prev_at));
  assert(prev_at + 2 * prev.size() <= out->size());
  FillPrev(prev, out->data() + prev_at);
  return Status::Ok();
}

Status AppendEntryLineWithoutPrev(uint64_t seq, std::string_view recorded, const EntryDraft& draft, std::string* out,
                                  size_t* prev_at, CanonicalBody body_check) {
  assert(seq >= 1);
  assert(out != nullptr && prev_at != nullptr);
  const size_t start = out->size();
  out->append("{\"actor\":");
  RF_RETURN_IF_ERROR(AppendCanonicalString(draft.actor, out));
  out->append(",\"body\":");
  // Carried verbatim, so checked (here, or by ApplyEntry before): a line is
  // canonical whoever built its draft.
  if (body_check == CanonicalBody::kScan) {
    static thread_local std::vector<ScannedMember> members;
    RF_RETURN_IF_ERROR(ScanBodyJson(draft.body_json, &members));
  }
  out->append(draft.body_json);
  out->append(",\"effective\":\"");
  out->append(draft.effective.ToIso());
  out->append("\",\"kind\":");
  RF_RETURN_IF_ERROR(AppendCanonicalString(draft.kind, out));
  out->append(",\"prev\":\"");
  *prev_at = out->size();
  out->append(2 * std::tuple_size_v<crypto::Hash>, '0');
  out->append("\",\"recorded\":");
  RF_RETURN_IF_ERROR(AppendCanonicalString(recorded, out));
  out->append(",\"seq\":");
  out->append(std::to_string(seq));
  out->append(",\"source\":");
  RF_RETURN_IF_ERROR(AppendCanonicalString(draft.source, out));
  out->push_back('}');
  if (out->size() - start > kCanonicalLineBytesMax) {
    return Status::InvalidInput("the entry is longer than " + std::to_string(kCanonicalLineBytesMax) + " bytes");
  }
  return Status::Ok();
}

void FillPrev(const crypto::Hash& prev, char* at) { crypto::ToHexAt(prev, at); }

Result<EntryHeader> ScanEntryHeader(std::string_view line, std::vector<ScannedMember>* scratch) {
  RF_RETURN_IF_ERROR(ScanCanonicalObject(line, scratch));
  RF_RETURN_IF_ERROR(CheckMemberSet(*scratch));
  EntryHeader header;
  auto seq = ParseSeq((*scratch)[kSeq].value);
  if (!seq.ok()) return seq.status();
  header.seq = *seq;
  auto prev = ParsePrev((*scratch)[kPrev].value);
  if (!prev.ok()) return prev.status();
  header.prev = *prev;
  return header;
}

Result<Entry> ParseEntryLine(std::string_view line) {
  std::vector<ScannedMember> members;
  auto header = ScanEntryHeader(line, &members);
  if (!header.ok()) return header.status();
  Entry entry;
  entry.seq = header->seq;
  entry.prev = header->prev;
  for (const Member m : {kActor, kEffective, kKind, kRecorded, kSource}) {
    if (!IsString(members[m].value)) {
      return Status::InvalidInput(std::string(kMembers[m]) + ": expected a string");
    }
  }
  entry.draft.actor = UnescapeCanonicalString(members[kActor].value);
  entry.draft.kind = UnescapeCanonicalString(members[kKind].value);
  entry.draft.source = UnescapeCanonicalString(members[kSource].value);
  entry.recorded = UnescapeCanonicalString(members[kRecorded].value);
  if (!LooksLikeUtcTimestamp(entry.recorded)) {
    return Status::InvalidInput("recorded: expected a UTC time like 2026-04-01T09:30:00.000000Z");
  }
  auto effective = Date::Parse(UnescapeCanonicalString(members[kEffective].value), "effective");
  if (!effective.ok()) return effective.status();
  entry.draft.effective = *effective;
  if (members[kBody].value.empty() || members[kBody].value.front() != '{') {
    return Status::InvalidInput("body: expected a JSON object");
  }
  entry.draft.body_json = members[kBody].value;  // scanned canonical with the line
  RF_RETURN_IF_ERROR(ValidateDraft(entry.draft));
  return entry;
}

}  // namespace rf
