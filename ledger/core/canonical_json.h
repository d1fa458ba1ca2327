#ifndef RINGFENCE_LEDGER_CORE_CANONICAL_JSON_H_
#define RINGFENCE_LEDGER_CORE_CANONICAL_JSON_H_

// Canonical JSON per RFC 8785 (JCS), restricted to the subset the journal
// uses: objects, arrays, strings, booleans, null and integers within
// +/-(2^53 - 1). Amounts are decimal strings, never numbers, so no float ever
// needs JCS's ES6 number formatting; a float is refused.
//
// Two directions:
//   Canonicalize: nlohmann::json -> the one canonical byte string.
//   ScanCanonical: bytes -> validated top-level members, without building a
//   DOM. It accepts exactly the strings Canonicalize produces (sorted keys in
//   UTF-16 code-unit order, no white space, minimal ES6 escapes, valid UTF-8),
//   so a line that passes it re-canonicalizes to itself. It is the fast path
//   of `verify` (no allocation per value).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/status.h"

namespace rf {

// Bounds (STYLE.md: everything has a bound). A journal line is at most 64 KiB
// and nests at most 16 deep; deeper or larger input is refused, not parsed.
inline constexpr size_t kCanonicalLineBytesMax = 64 * 1024;
inline constexpr int kCanonicalDepthMax = 16;
inline constexpr int64_t kCanonicalIntegerMax = (int64_t{1} << 53) - 1;

// REQUIRES: nothing; every non-canonicalizable input is an InvalidInput
// status naming the JSON path ("body.amount: ...").
Result<std::string> Canonicalize(const nlohmann::json& value);

// Appends the canonical form of `value` to *out. Same errors as above; on
// error *out holds a partial result the caller must discard.
Status AppendCanonical(const nlohmann::json& value, std::string* out);

// Appends `s` as a canonical JSON string (quotes, minimal escapes).
// Errors: InvalidInput if `s` is not valid UTF-8.
Status AppendCanonicalString(std::string_view s, std::string* out);

// True when a canonical JSON string holds `s` between its quotes as it is:
// no quote, backslash or control byte to escape.
bool IsUnescapedJsonText(std::string_view s);

// True when the UTF-8 string `s` is well formed (no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Orders object keys as JCS requires: by UTF-16 code units.
bool Utf16Less(std::string_view a, std::string_view b);

// A top-level member of a scanned object: the raw key (without quotes, still
// escaped) and the raw canonical value bytes.
struct ScannedMember {
  std::string_view key;
  std::string_view value;
};

// Validates that `text` is a canonical JSON object and returns its top-level
// members in order. The views point into `text`.
// Errors: InvalidInput with the byte offset and what was expected.
Status ScanCanonicalObject(std::string_view text, std::vector<ScannedMember>* members);

// One member to set in a canonical object's text: its name (plain ASCII
// that needs no escape) and its value as canonical JSON text.
struct CanonicalMemberSet {
  std::string_view name;
  std::string_view value;
};

// `text`, a canonical JSON object, with each member of `set` replacing the
// member of that name or added where it sorts: exactly what Canonicalize
// gives for the parsed object with those members assigned, without a DOM
// (a record changed by a few members, such as a payment settling). The
// members not set keep their bytes. REQUIRES: the names in `set` distinct.
// Errors: InvalidInput when `text` is not a canonical object.
Result<std::string> WithCanonicalMembers(std::string_view text, std::vector<CanonicalMemberSet> set);

// `s` as a canonical JSON string value (quotes, minimal escapes).
// Errors: InvalidInput if `s` is not valid UTF-8.
Result<std::string> CanonicalStringValue(std::string_view s);

// Decodes a raw canonical string value (with its quotes) into UTF-8.
// REQUIRES: `raw` passed ScanCanonicalObject.
std::string UnescapeCanonicalString(std::string_view raw);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_CANONICAL_JSON_H_
