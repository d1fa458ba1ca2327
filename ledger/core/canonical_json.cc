#include "ledger/core/canonical_json.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>

namespace rf {
namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if malformed.
// Writes the code point to *cp.
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, *cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, *cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, *cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return len;
}

// The first UTF-16 code unit of a code point, for key ordering.
uint32_t FirstUtf16Unit(uint32_t cp) { return cp < 0x10000 ? cp : 0xD800 + ((cp - 0x10000) >> 10); }
uint32_t SecondUtf16Unit(uint32_t cp) { return 0xDC00 + ((cp - 0x10000) & 0x3FF); }

// Bytes a canonical string holds as they are (no escape needed).
constexpr auto kUnescaped = [] {
  std::array<bool, 256> table{};
  for (int c = 0x20; c < 0x100; ++c) table[c] = c != '"' && c != '\\';
  return table;
}();

void AppendEscapedString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (kUnescaped[u]) continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (s[i]) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        assert(u < 0x20);
        out->append("\\u00");
        out->push_back(kHex[u >> 4]);
        out->push_back(kHex[u & 0xF]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

// Where a value sits, for error messages only: a chain of parent links on
// the stack, spelled out ("body.postings[1].amount") only when an error is
// reported, so serialising allocates nothing per member.
struct JsonPath {
  const JsonPath* parent = nullptr;
  std::string_view key;  // member name, or empty for an array element
  size_t index = 0;

  std::string ToString() const {
    std::string text = parent == nullptr ? std::string() : parent->ToString();
    if (parent == nullptr) return text;  // the root has no name
    if (key.empty()) return text + "[" + std::to_string(index) + "]";
    return text.empty() ? std::string(key) : text + "." + std::string(key);
  }
};

bool HasCharBeyondBmp(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xF0; });
}

Status AppendAt(const nlohmann::json& v, const JsonPath& path, int depth, std::string* out) {
  const auto fail = [&](std::string_view what) { return Status::InvalidInput(path.ToString() + std::string(what)); };
  if (depth > kCanonicalDepthMax) {
    return fail(": nested deeper than " + std::to_string(kCanonicalDepthMax) + " levels");
  }
  switch (v.type()) {
    case nlohmann::json::value_t::null: out->append("null"); return Status::Ok();
    case nlohmann::json::value_t::boolean: out->append(v.get<bool>() ? "true" : "false"); return Status::Ok();
    case nlohmann::json::value_t::number_integer: {
      const auto n = v.get<int64_t>();
      if (n > kCanonicalIntegerMax || n < -kCanonicalIntegerMax) {
        return fail(": integer outside +/-(2^53-1); write large values as strings");
      }
      out->append(std::to_string(n));
      return Status::Ok();
    }
    case nlohmann::json::value_t::number_unsigned: {
      const auto n = v.get<uint64_t>();
      if (n > static_cast<uint64_t>(kCanonicalIntegerMax)) {
        return fail(": integer above 2^53-1; write large values as strings");
      }
      out->append(std::to_string(n));
      return Status::Ok();
    }
    case nlohmann::json::value_t::number_float:
      return fail(": is a fractional number; amounts are decimal strings like \"12.50\"");
    case nlohmann::json::value_t::string: {
      const auto& s = v.get_ref<const std::string&>();
      if (!IsValidUtf8(s)) return fail(": is not valid UTF-8");
      AppendEscapedString(s, out);
      return Status::Ok();
    }
    case nlohmann::json::value_t::array: {
      out->push_back('[');
      size_t i = 0;
      for (const auto& item : v) {
        if (i > 0) out->push_back(',');
        RF_RETURN_IF_ERROR(AppendAt(item, JsonPath{&path, {}, i}, depth + 1, out));
        ++i;
      }
      out->push_back(']');
      return Status::Ok();
    }
    case nlohmann::json::value_t::object: {
      // nlohmann keeps keys in UTF-8 byte order, which equals UTF-16 order
      // unless a key holds characters beyond U+FFFF; re-sort only then.
      bool needs_sort = false;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!IsValidUtf8(it.key())) return fail(": a key is not valid UTF-8");
        needs_sort = needs_sort || HasCharBeyondBmp(it.key());
      }
      const auto member = [&](const std::string& key, const nlohmann::json& value, bool first) {
        if (!first) out->push_back(',');
        AppendEscapedString(key, out);
        out->push_back(':');
        return AppendAt(value, JsonPath{&path, key, 0}, depth + 1, out);
      };
      out->push_back('{');
      if (!needs_sort) {
        for (auto it = v.begin(); it != v.end(); ++it) {
          RF_RETURN_IF_ERROR(member(it.key(), it.value(), it == v.begin()));
        }
      } else {
        std::vector<const std::string*> keys;
        keys.reserve(v.size());
        for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(&it.key());
        std::sort(keys.begin(), keys.end(), [](const std::string* a, const std::string* b) { return Utf16Less(*a, *b); });
        for (size_t i = 0; i < keys.size(); ++i) RF_RETURN_IF_ERROR(member(*keys[i], v.at(*keys[i]), i == 0));
      }
      out->push_back('}');
      return Status::Ok();
    }
    case nlohmann::json::value_t::binary:
    case nlohmann::json::value_t::discarded:
      break;
  }
  return fail(": is not a JSON value the journal can hold");
}

// Orders two raw (still escaped, quoted) canonical keys as JCS does. Byte
// order of the raw text equals UTF-16 order unless a key holds an escape or
// a character beyond U+FFFF (a 4-byte UTF-8 sequence); only then decode.
bool RawKeyLess(std::string_view a, std::string_view b) {
  const auto plain = [](std::string_view k) {
    for (const char c : k) {
      if (c == '\\' || static_cast<unsigned char>(c) >= 0xF0) return false;
    }
    return true;
  };
  if (plain(a) && plain(b)) return a.substr(1, a.size() - 2) < b.substr(1, b.size() - 2);
  return Utf16Less(UnescapeCanonicalString(a), UnescapeCanonicalString(b));
}

// Bytes a canonical string holds literally without further checks: the
// unescaped ASCII ones (multi-byte UTF-8 is decoded and checked).
constexpr auto kPlainAscii = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x80; ++c) table[c] = kUnescaped[c];
  return table;
}();

// A strict single-pass validator of canonical JSON. Positions are byte
// offsets into the text for error messages.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  Status ScanTop(std::vector<ScannedMember>* members) {
    if (s_.size() > kCanonicalLineBytesMax) {
      return Status::InvalidInput("line is longer than " + std::to_string(kCanonicalLineBytesMax) + " bytes");
    }
    if (s_.empty() || s_[0] != '{') return Fail("a JSON object starting with '{'");
    RF_RETURN_IF_ERROR(Object(0, members));
    if (pos_ != s_.size()) return Fail("end of line after the object");
    return Status::Ok();
  }

 private:
  Status Fail(const std::string& expected) const {
    return Status::InvalidInput("not canonical JSON at byte " + std::to_string(pos_) + ": expected " + expected);
  }

  Status Value(int depth) {
    if (depth > kCanonicalDepthMax) return Fail("nesting at most " + std::to_string(kCanonicalDepthMax) + " deep");
    if (pos_ >= s_.size()) return Fail("a value");
    switch (s_[pos_]) {
      case '{': return Object(depth, nullptr);
      case '[': return Array(depth);
      case '"': return String();
      case 't': return Literal("true");
      case 'f': return Literal("false");
      case 'n': return Literal("null");
      default: return Integer();
    }
  }

  Status Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return Fail(std::string(word));
    pos_ += word.size();
    return Status::Ok();
  }

  Status Integer() {
    const size_t start = pos_;
    if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
    const size_t digits_start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    const size_t digits = pos_ - digits_start;
    if (digits == 0) return Fail("a value");
    if (digits > 1 && s_[digits_start] == '0') return Fail("an integer without leading zeros");
    if (digits > 16) return Fail("an integer within +/-(2^53-1)");
    int64_t n = 0;
    for (size_t i = digits_start; i < pos_; ++i) n = n * 10 + (s_[i] - '0');
    if (n > kCanonicalIntegerMax) return Fail("an integer within +/-(2^53-1)");
    if (n == 0 && digits_start != start) return Fail("0 rather than -0");
    if (pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E')) {
      return Fail("an integer (amounts are decimal strings)");
    }
    return Status::Ok();
  }

  Status String() {
    assert(s_[pos_] == '"');
    ++pos_;
    while (pos_ < s_.size()) {
      // Skip the run of plain ASCII (0x20..0x7F except '"' and '\\') at once.
      while (pos_ < s_.size() && kPlainAscii[static_cast<unsigned char>(s_[pos_])]) ++pos_;
      if (pos_ >= s_.size()) break;
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return Status::Ok();
      }
      if (c < 0x20) return Fail("control characters escaped");
      if (c == '\\') {
        if (pos_ + 1 >= s_.size()) return Fail("an escape");
        const char e = s_[pos_ + 1];
        if (e == '"' || e == '\\' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
          pos_ += 2;
          continue;
        }
        if (e != 'u' || pos_ + 6 > s_.size() || s_.substr(pos_ + 2, 2) != "00") return Fail("a minimal JCS escape");
        const auto hex = [](char h) -> int {
          if (h >= '0' && h <= '9') return h - '0';
          if (h >= 'a' && h <= 'f') return h - 'a' + 10;
          return -1;
        };
        const int hi = hex(s_[pos_ + 4]);
        const int lo = hex(s_[pos_ + 5]);
        if (hi < 0 || lo < 0) return Fail("lower-case hex in a \\u escape");
        const int cp = hi * 16 + lo;
        // Only control characters without a short form are \u-escaped.
        if (cp >= 0x20 || cp == '\b' || cp == '\f' || cp == '\n' || cp == '\r' || cp == '\t') {
          return Fail("a minimal JCS escape");
        }
        pos_ += 6;
        continue;
      }
      if (c < 0x80) {  // the common case: plain ASCII
        ++pos_;
        continue;
      }
      uint32_t cp;
      const size_t len = DecodeUtf8(s_, pos_, &cp);
      if (len == 0) return Fail("valid UTF-8");
      pos_ += len;
    }
    return Fail("a closing quote");
  }

  Status Array(int depth) {
    assert(s_[pos_] == '[');
    ++pos_;
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return Status::Ok();
    }
    while (true) {
      RF_RETURN_IF_ERROR(Value(depth + 1));
      if (pos_ >= s_.size()) return Fail("',' or ']'");
      if (s_[pos_] == ']') {
        ++pos_;
        return Status::Ok();
      }
      if (s_[pos_] != ',') return Fail("',' or ']'");
      ++pos_;
    }
  }

  Status Object(int depth, std::vector<ScannedMember>* members) {
    assert(s_[pos_] == '{');
    ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return Status::Ok();
    }
    std::string_view previous_raw_key;
    bool first = true;
    while (true) {
      if (pos_ >= s_.size() || s_[pos_] != '"') return Fail("a key in quotes");
      const size_t key_start = pos_;
      RF_RETURN_IF_ERROR(String());
      const std::string_view raw_key = s_.substr(key_start, pos_ - key_start);
      if (!first && !RawKeyLess(previous_raw_key, raw_key)) return Fail("keys in sorted order without duplicates");
      previous_raw_key = raw_key;
      first = false;
      if (pos_ >= s_.size() || s_[pos_] != ':') return Fail("':'");
      ++pos_;
      const size_t value_start = pos_;
      RF_RETURN_IF_ERROR(Value(depth + 1));
      if (members != nullptr) {
        members->push_back({raw_key.substr(1, raw_key.size() - 2), s_.substr(value_start, pos_ - value_start)});
      }
      if (pos_ >= s_.size()) return Fail("',' or '}'");
      if (s_[pos_] == '}') {
        ++pos_;
        return Status::Ok();
      }
      if (s_[pos_] != ',') return Fail("',' or '}'");
      ++pos_;
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

bool IsUnescapedJsonText(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return kUnescaped[static_cast<unsigned char>(c)]; });
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // ASCII, the common case
      ++i;
      continue;
    }
    uint32_t cp;
    const size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

bool Utf16Less(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    uint32_t ca = 0, cb = 0;
    const size_t la = DecodeUtf8(a, i, &ca);
    const size_t lb = DecodeUtf8(b, j, &cb);
    assert(la > 0 && lb > 0);  // callers validate UTF-8 first
    if (ca != cb) {
      const uint32_t ua = FirstUtf16Unit(ca), ub = FirstUtf16Unit(cb);
      if (ua != ub) return ua < ub;
      return SecondUtf16Unit(ca) < SecondUtf16Unit(cb);
    }
    i += la;
    j += lb;
  }
  return i == a.size() && j < b.size();
}

Status AppendCanonicalString(std::string_view s, std::string* out) {
  assert(out != nullptr);
  if (!IsValidUtf8(s)) return Status::InvalidInput("text is not valid UTF-8");
  AppendEscapedString(s, out);
  return Status::Ok();
}

Status AppendCanonical(const nlohmann::json& value, std::string* out) {
  assert(out != nullptr);
  return AppendAt(value, JsonPath{}, 0, out);
}

Result<std::string> Canonicalize(const nlohmann::json& value) {
  std::string out;
  Status s = AppendCanonical(value, &out);
  if (!s.ok()) return s;
  return out;
}

Result<std::string> CanonicalStringValue(std::string_view s) {
  std::string out;
  RF_RETURN_IF_ERROR(AppendCanonicalString(s, &out));
  return out;
}

Result<std::string> WithCanonicalMembers(std::string_view text, std::vector<CanonicalMemberSet> set) {
  std::vector<ScannedMember> members;
  RF_RETURN_IF_ERROR(ScanCanonicalObject(text, &members));
  std::sort(set.begin(), set.end(),
            [](const CanonicalMemberSet& a, const CanonicalMemberSet& b) { return Utf16Less(a.name, b.name); });
  // Against an ASCII name, UTF-16 order is byte order: at the first byte
  // that differs the name's is below 0x80, and any other code point's first
  // UTF-8 byte and first UTF-16 unit are both above the name's.
  const auto ascii = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  };
  const auto name_less = [&ascii](std::string_view key, std::string_view name) {
    return ascii(name) ? key < name : Utf16Less(key, name);
  };
  std::string out;
  out.reserve(text.size() + 64 * set.size());
  out.push_back('{');
  const auto emit = [&out](std::string_view raw_key, std::string_view value) {
    if (out.size() > 1) out.push_back(',');
    out.push_back('"');
    out.append(raw_key);
    out.append("\":");
    out.append(value);
  };
  size_t i = 0, j = 0;
  while (i < members.size() || j < set.size()) {
    assert(j == 0 || j >= set.size() || set[j - 1].name != set[j].name);
    if (j == set.size()) {
      emit(members[i].key, members[i].value);
      ++i;
      continue;
    }
    assert(IsUnescapedJsonText(set[j].name) && IsValidUtf8(set[j].name));
    if (i == members.size()) {
      emit(set[j].name, set[j].value);
      ++j;
      continue;
    }
    // A key with escapes compares by what it says (JCS sorts decoded keys);
    // one without is its own text (no copy: every settlement rewrites two
    // records through here).
    const std::string_view raw = members[i].key;
    std::string unescaped;
    std::string_view decoded = raw;
    if (raw.find('\\') != std::string_view::npos) {
      unescaped = UnescapeCanonicalString("\"" + std::string(raw) + "\"");
      decoded = unescaped;
    }
    if (decoded == set[j].name) {
      emit(set[j].name, set[j].value);
      ++i;
      ++j;
    } else if (name_less(decoded, set[j].name)) {
      emit(members[i].key, members[i].value);
      ++i;
    } else {
      emit(set[j].name, set[j].value);
      ++j;
    }
  }
  out.push_back('}');
  return out;
}

Status ScanCanonicalObject(std::string_view text, std::vector<ScannedMember>* members) {
  assert(members != nullptr);
  members->clear();
  return Scanner(text).ScanTop(members);
}

std::string UnescapeCanonicalString(std::string_view raw) {
  assert(raw.size() >= 2 && raw.front() == '"' && raw.back() == '"');
  std::string out;
  out.reserve(raw.size() - 2);
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out.push_back(raw[i]);
      continue;
    }
    const char e = raw[++i];
    switch (e) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        const auto hex = [](char h) { return h <= '9' ? h - '0' : h - 'a' + 10; };
        out.push_back(static_cast<char>(hex(raw[i + 3]) * 16 + hex(raw[i + 4])));
        i += 4;
        break;
      }
      default: out.push_back(e);
    }
  }
  return out;
}

}  // namespace rf
