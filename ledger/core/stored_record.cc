#include "ledger/core/stored_record.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>

#include "ledger/core/canonical_json.h"

namespace rf {
namespace {

// The members of an invoice record, now and once approved and paid
// (ledger/apply_payments.cc). THESE NEVER CHANGE for byte 0x03: a stored
// record names its members by index. At most 32 (five bits of the tag).
constexpr std::array<std::string_view, 11> kFlatRecordNames = {
    "amount",      "approved_on", "approved_seq", "budget_id",  "payment_id", "provider_id",
    "received_on", "seq",         "service_from", "service_to", "state"};
// Values common enough to store as one byte. Never change either.
constexpr std::array<std::string_view, 3> kFlatRecordWords = {"received", "approved", "paid"};

enum Type : uint8_t { kText = 0, kDate = 1, kAmount = 2, kCount = 3, kWord = 4 };
constexpr int kTypeShift = 5;
constexpr uint8_t kNameMask = (1 << kTypeShift) - 1;
static_assert(kFlatRecordNames.size() <= kNameMask + 1);

// A count or amount has at most this many digits before the point, so the
// value fits in 63 bits (amounts in pence: 10^16 pounds, far past Pence's
// trillion).
constexpr size_t kDigitsMax = 16;
constexpr uint64_t kNaturalLimit = [] {
  uint64_t v = 1;
  for (size_t i = 0; i < kDigitsMax; ++i) v *= 10;
  return v;
}();

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int Digit(char c) { return c - '0'; }

template <size_t N>
int IndexOf(const std::array<std::string_view, N>& table, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (table[i] == s) return static_cast<int>(i);
  }
  return -1;
}

char* PutVarint(uint64_t v, char* out) {
  while (v >= 0x80) {
    *out++ = static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  *out++ = static_cast<char>(v);
  return out;
}

// Digits [0-9]+ of at most kDigitsMax, no leading zero: their value.
bool ParseNatural(std::string_view digits, uint64_t* value) {
  if (digits.empty() || digits.size() > kDigitsMax || (digits[0] == '0' && digits.size() > 1)) return false;
  uint64_t v = 0;
  for (const char c : digits) {
    if (!IsDigit(c)) return false;
    v = v * 10 + static_cast<uint64_t>(Digit(c));
  }
  *value = v;
  return true;
}

// "dddd-dd-dd", month <= 15, day <= 31: year << 9 | month << 5 | day.
bool ParseDate(std::string_view s, uint32_t* packed) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (const size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(s[i])) return false;
  }
  const uint32_t year = static_cast<uint32_t>(Digit(s[0]) * 1000 + Digit(s[1]) * 100 + Digit(s[2]) * 10 + Digit(s[3]));
  const uint32_t month = static_cast<uint32_t>(Digit(s[5]) * 10 + Digit(s[6]));
  const uint32_t day = static_cast<uint32_t>(Digit(s[8]) * 10 + Digit(s[9]));
  if (month > 15 || day > 31) return false;
  *packed = year << 9 | month << 5 | day;
  return true;
}

// "-?(0|[1-9]d*).dd", not "-0.00": the zigzagged pence.
bool ParseAmount(std::string_view s, uint64_t* zigzag) {
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  if (s.size() < 4 || s[s.size() - 3] != '.' || !IsDigit(s[s.size() - 2]) || !IsDigit(s[s.size() - 1])) return false;
  uint64_t pounds = 0;
  if (!ParseNatural(s.substr(0, s.size() - 3), &pounds)) return false;
  const uint64_t pence = pounds * 100 + static_cast<uint64_t>(Digit(s[s.size() - 2]) * 10 + Digit(s[s.size() - 1]));
  if (negative && pence == 0) return false;
  *zigzag = negative ? pence * 2 - 1 : pence * 2;
  return true;
}

// Reads a flat form front to back; every read is bounds-checked.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool done() const { return at_ == in_.size(); }
  bool Byte(uint8_t* b) {
    if (at_ >= in_.size()) return false;
    *b = static_cast<uint8_t>(in_[at_++]);
    return true;
  }
  bool Varint(uint64_t* v) {
    uint64_t out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = 0;
      if (!Byte(&b)) return false;
      out |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        *v = out;
        return true;
      }
    }
    return false;
  }
  bool Bytes(size_t n, std::string_view* s) {
    if (n > in_.size() - at_) return false;
    *s = in_.substr(at_, n);
    at_ += n;
    return true;
  }

 private:
  std::string_view in_;
  size_t at_ = 0;
};

void AppendDigits(uint64_t v, size_t width_min, std::string* out) {
  char digits[20];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (; n < width_min; ++n) digits[n] = '0';
  while (n > 0) out->push_back(digits[--n]);
}

Status Damaged(const char* what) {
  return Status::Tampered(std::string("a stored invoice record is damaged: ") + what);
}

}  // namespace

size_t EncodeFlatRecord(std::string_view text, char* const out) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return 0;
  char* w = out;
  *w++ = kFlatRecordByte;
  size_t at = 1;
  const size_t end = text.size() - 1;  // the closing brace
  while (at < end) {
    if (w != out + 1) {
      if (text[at] != ',') return 0;
      ++at;
    }
    // "name":
    if (at >= end || text[at] != '"') return 0;
    const size_t name_end = text.find('"', at + 1);
    if (name_end == std::string_view::npos || name_end + 1 >= end || text[name_end + 1] != ':') return 0;
    const int name = IndexOf(kFlatRecordNames, text.substr(at + 1, name_end - at - 1));
    if (name < 0) return 0;
    at = name_end + 2;
    if (at >= end) return 0;
    char* const tag = w++;
    if (text[at] == '"') {
      const size_t value_end = text.find('"', at + 1);
      if (value_end == std::string_view::npos || value_end >= end) return 0;
      const std::string_view value = text.substr(at + 1, value_end - at - 1);
      if (!IsUnescapedJsonText(value)) return 0;
      at = value_end + 1;
      uint32_t date = 0;
      uint64_t zigzag = 0;
      int word = -1;
      Type type = kText;
      if (ParseDate(value, &date)) {
        type = kDate;
        *w++ = static_cast<char>(date >> 16);
        *w++ = static_cast<char>(date >> 8);
        *w++ = static_cast<char>(date);
      } else if (ParseAmount(value, &zigzag)) {
        type = kAmount;
        w = PutVarint(zigzag, w);
      } else if ((word = IndexOf(kFlatRecordWords, value)) >= 0) {
        type = kWord;
        *w++ = static_cast<char>(word);
      } else {
        w = PutVarint(value.size(), w);
        w = std::copy(value.begin(), value.end(), w);
      }
      *tag = static_cast<char>(name | type << kTypeShift);
    } else {
      size_t digits_end = at;
      while (digits_end < end && IsDigit(text[digits_end])) ++digits_end;
      uint64_t count = 0;
      if (!ParseNatural(text.substr(at, digits_end - at), &count)) return 0;
      at = digits_end;
      *tag = static_cast<char>(name | kCount << kTypeShift);
      w = PutVarint(count, w);
    }
  }
  if (w == out + 1) return 0;  // "{}": no member
  const size_t written = static_cast<size_t>(w - out);
  assert(written <= FlatRecordBytesMax(text.size()));
  return written;
}

Status DecodeFlatRecord(std::string_view stored, std::string* out) {
  assert(!stored.empty() && stored.front() == kFlatRecordByte);
  Reader in(stored.substr(1));
  out->clear();
  out->push_back('{');
  if (in.done()) return Damaged("it has no members");
  while (!in.done()) {
    if (out->size() > kCanonicalLineBytesMax) return Damaged("it is too long");
    uint8_t tag = 0;
    in.Byte(&tag);
    const size_t name = tag & kNameMask;
    if (name >= kFlatRecordNames.size()) return Damaged("a member's name is unknown");
    if (out->size() > 1) out->push_back(',');
    out->push_back('"');
    out->append(kFlatRecordNames[name]);
    out->append("\":");
    uint64_t v = 0;
    switch (static_cast<Type>(tag >> kTypeShift)) {
      case kText: {
        std::string_view bytes;
        if (!in.Varint(&v) || v > kCanonicalLineBytesMax || !in.Bytes(v, &bytes)) return Damaged("a text is cut short");
        if (!IsUnescapedJsonText(bytes)) return Damaged("a text holds a byte JSON escapes");
        out->push_back('"');
        out->append(bytes);
        out->push_back('"');
        break;
      }
      case kDate: {
        uint8_t b[3];
        if (!in.Byte(&b[0]) || !in.Byte(&b[1]) || !in.Byte(&b[2])) return Damaged("a date is cut short");
        const uint32_t packed = uint32_t{b[0]} << 16 | uint32_t{b[1]} << 8 | b[2];
        if ((packed >> 9) > 9999) return Damaged("a date is out of range");
        out->push_back('"');
        AppendDigits(packed >> 9, 4, out);
        out->push_back('-');
        AppendDigits((packed >> 5) & 0xF, 2, out);
        out->push_back('-');
        AppendDigits(packed & 0x1F, 2, out);
        out->push_back('"');
        break;
      }
      case kAmount: {
        if (!in.Varint(&v)) return Damaged("an amount is cut short");
        const bool negative = (v & 1) != 0;
        const uint64_t pence = negative ? v / 2 + 1 : v / 2;
        if (pence / 100 >= kNaturalLimit) return Damaged("an amount is too large");
        out->push_back('"');
        if (negative) out->push_back('-');
        AppendDigits(pence / 100, 1, out);
        out->push_back('.');
        AppendDigits(pence % 100, 2, out);
        out->push_back('"');
        break;
      }
      case kCount:
        if (!in.Varint(&v) || v >= kNaturalLimit) return Damaged("a number is cut short or too large");
        AppendDigits(v, 1, out);
        break;
      case kWord: {
        uint8_t word = 0;
        if (!in.Byte(&word) || word >= kFlatRecordWords.size()) return Damaged("a state is unknown");
        out->push_back('"');
        out->append(kFlatRecordWords[word]);
        out->push_back('"');
        break;
      }
      default:
        return Damaged("a member's type is unknown");
    }
  }
  out->push_back('}');
  if (out->size() > kCanonicalLineBytesMax) return Damaged("it is too long");
  return Status::Ok();
}

}  // namespace rf
