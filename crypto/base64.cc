#include "crypto/base64.h"

#include <cassert>
#include <cstdint>
#include <cstring>

namespace rf::crypto {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Value of a base64 character, or -1 (padding and whitespace included).
int SextetValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t group = uint32_t{static_cast<uint8_t>(bytes[i])} << 16 |
                           uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8 | static_cast<uint8_t>(bytes[i + 2]);
    text.push_back(kAlphabet[group >> 18 & 63]);
    text.push_back(kAlphabet[group >> 12 & 63]);
    text.push_back(kAlphabet[group >> 6 & 63]);
    text.push_back(kAlphabet[group & 63]);
  }
  const size_t tail_bytes = bytes.size() - i;
  if (tail_bytes > 0) {
    uint32_t group = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    if (tail_bytes == 2) group |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    text.push_back(kAlphabet[group >> 18 & 63]);
    text.push_back(kAlphabet[group >> 12 & 63]);
    text.push_back(tail_bytes == 2 ? kAlphabet[group >> 6 & 63] : '=');
    text.push_back('=');
  }
  assert(text.size() == (bytes.size() + 2) / 3 * 4);
  return text;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  const size_t data_chars = text.size() - padding;

  std::string bytes;
  bytes.reserve(text.size() / 4 * 3);
  uint32_t bits = 0;
  int bit_count = 0;
  for (size_t i = 0; i < data_chars; ++i) {
    const int value = SextetValue(text[i]);  // '=' before the tail lands here as -1.
    if (value < 0) return std::nullopt;
    bits = bits << 6 | static_cast<uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      bytes.push_back(static_cast<char>(bits >> bit_count & 0xff));
    }
  }
  // Left-over bits (2 after one padding char, 4 after two) must be zero, or a
  // second spelling of the same bytes would be accepted.
  assert(bit_count == static_cast<int>(2 * padding));
  if ((bits & ((1u << bit_count) - 1)) != 0) return std::nullopt;
  assert(bytes.size() == text.size() / 4 * 3 - padding);
  return bytes;
}

std::optional<Hash> HashFromBase64(std::string_view text) {
  std::optional<std::string> bytes = Base64Decode(text);
  Hash hash;
  if (!bytes.has_value() || bytes->size() != hash.size()) return std::nullopt;
  std::memcpy(hash.data(), bytes->data(), hash.size());
  return hash;
}

}  // namespace rf::crypto
