#ifndef RINGFENCE_LEDGER_CORE_ENTRY_H_
#define RINGFENCE_LEDGER_CORE_ENTRY_H_

// A journal entry and its canonical line.
//
// The line is one JCS-canonical JSON object (see canonical_json.h) with
// exactly these members, which JCS sorts into this order:
//   actor      who made the change (never empty)
//   body       the kind's payload, a JSON object
//   effective  the accounting date, YYYY-MM-DD
//   kind       what the entry is ("ledger.init", "note", "posting", ...)
//   prev       lowercase hex of the previous entry's RFC 9162 leaf hash,
//              SHA-256(0x00 || previous line); 64 zeros for entry 1
//   recorded   UTC time of the commit, YYYY-MM-DDTHH:MM:SS.ffffffZ
//   seq        sequence number, 1-based; the Merkle leaf index is seq - 1
//   source     where it came from: "file.csv:12", "post:adjust.json#1", "init"
// Chaining the leaf hash (not a second hash of the line) means one SHA-256
// per entry serves both the chain and the tree; an auditor recomputes it with
// `(printf '\0'; printf %s "$line") | sha256sum`.

#include <cstdint>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sha256.h"
#include "ledger/core/canonical_json.h"
#include "ledger/core/date.h"
#include "crypto/status.h"

namespace rf {

// Bounds on envelope fields, so a line stays well under kCanonicalLineBytesMax.
inline constexpr size_t kEntryKindBytesMax = 64;
inline constexpr size_t kEntryActorBytesMax = 128;
inline constexpr size_t kEntrySourceBytesMax = 512;

// What a caller asks the journal to append; the journal assigns the rest.
struct EntryDraft {
  std::string kind;
  Date effective;
  std::string actor;
  std::string source;
  // The body: one JSON object as its canonical text (canonical_json.h), the
  // bytes the line carries. Builders (entry_kinds.h) write it from typed
  // fields without a DOM (canonical_writer.h); JSON a person wrote (a post
  // file) is parsed and canonicalised once, at the edge (SetBodyFromJson).
  // It is checked canonical where it is read: by ApplyEntry, and by the line
  // builder, which carries it verbatim into the line. Readers take members
  // from it with BodyReader, a DOM only for lists (ParseBodyJson).
  std::string body_json = "{}";
};

struct Entry {
  uint64_t seq = 0;
  std::string recorded;
  crypto::Hash prev{};
  EntryDraft draft;
};

// The prev of entry 1.
inline constexpr crypto::Hash kGenesisPrev{};

// Checks a draft's envelope: kind a lower-case slug ([a-z0-9.-], bounded),
// actor non-empty without control characters, source bounded, body an
// object's braces and bounded (its content is checked by ApplyEntry and the
// line builder).
Status ValidateDraft(const EntryDraft& draft);

// Sets a draft's body from JSON a person wrote (a post file, a test): the
// one place a DOM becomes a body. Errors: InvalidInput naming body.<path>
// when it is not an object or holds what JCS cannot carry (a fraction, ...).
Status SetBodyFromJson(const nlohmann::json& body, EntryDraft* draft);

// Checks a body is a canonical JSON object and returns its top-level members
// (views into body_json). Errors: InvalidInput "body.<member>: ..." naming
// the member when the text is JSON that is not canonical (a fraction, an
// unsorted key), else "body: not canonical JSON at byte N ...".
Status ScanBodyJson(std::string_view body_json, std::vector<ScannedMember>* members);

// A body as a DOM, for readers of lists and nesting.
// Errors: InvalidInput "body: ..." when the text is not a canonical object.
Result<nlohmann::json> ParseBodyJson(std::string_view body_json);

// A body's top-level members, read without a DOM. The text must outlive the
// reader.
class BodyReader {
 public:
  // Errors: InvalidInput "body: ..." when the text is not a canonical object.
  static Result<BodyReader> Scan(std::string_view body_json);
  bool Has(std::string_view name) const { return !Raw(name).empty(); }
  // The member's canonical value bytes; empty when absent.
  std::string_view Raw(std::string_view name) const;
  // A string member decoded; nullopt when absent or not a string.
  std::optional<std::string> Text(std::string_view name) const;
  // A member's value as a DOM (a list, an object); nullopt when absent.
  std::optional<nlohmann::json> Value(std::string_view name) const;

 private:
  std::vector<ScannedMember> members_;
};

// Appends the canonical line (no newline) to *out.
// REQUIRES: ValidateDraft(entry.draft).ok(), entry.seq >= 1.
// Errors: InvalidInput if the body holds something JCS cannot carry.
Status AppendEntryLine(const Entry& entry, std::string* out);
// The same, without copying a draft into an Entry (the journal's hot path).
Status AppendEntryLine(uint64_t seq, std::string_view recorded, const crypto::Hash& prev, const EntryDraft& draft,
                       std::string* out);
// The same with 64 placeholder bytes where prev's hex goes, at *prev_at (an
// offset into *out); FillPrev writes it in. Lets the line be built before the
// line ahead of it is hashed. The body is carried verbatim, so it is scanned
// canonical here unless `body` says ApplyEntry already did.
enum class CanonicalBody { kScan, kScannedByApply };
Status AppendEntryLineWithoutPrev(uint64_t seq, std::string_view recorded, const EntryDraft& draft, std::string* out,
                                  size_t* prev_at, CanonicalBody body = CanonicalBody::kScan);
// Writes prev's 64 hex digits at `at` (a line's placeholder).
void FillPrev(const crypto::Hash& prev, char* at);

// Parses and fully validates a line: canonical JSON, the exact member set,
// field formats. Errors: InvalidInput naming the member.
Result<Entry> ParseEntryLine(std::string_view line);

// The fast path of verification: checks the line is canonical JSON with the
// exact member set and returns just seq and prev. `scratch` is reused between
// calls to avoid allocation.
struct EntryHeader {
  uint64_t seq = 0;
  crypto::Hash prev{};
};
Result<EntryHeader> ScanEntryHeader(std::string_view line, std::vector<ScannedMember>* scratch);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_ENTRY_H_
