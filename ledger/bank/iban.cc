#include "ledger/bank/iban.h"

#include <algorithm>
#include <cassert>

namespace rf {
namespace {

bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

uint32_t IbanMod97Remainder(std::string_view iban) {
  assert(iban.size() >= 4);
  // Folded a character at a time, so the remainder stays below 97 * 100.
  uint32_t remainder = 0;
  for (size_t i = 0; i < iban.size(); ++i) {
    const char c = iban[(i + 4) % iban.size()];
    const bool digit = c >= '0' && c <= '9';
    assert(digit || (c >= 'A' && c <= 'Z'));
    remainder = digit ? (remainder * 10 + static_cast<uint32_t>(c - '0')) % 97
                      : (remainder * 100 + static_cast<uint32_t>(c - 'A' + 10)) % 97;
  }
  assert(remainder < 97);
  return remainder;
}

Status CheckIban(std::string_view iban, std::string_view field) {
  const std::string head = std::string(field) + " " + MaskIban(iban) + " ";
  if (iban.size() < kIbanCharsMin || iban.size() > kIbanCharsMax || !upper(iban[0]) || !upper(iban[1]) ||
      !digit(iban[2]) || !digit(iban[3]) ||
      !std::all_of(iban.begin() + 4, iban.end(), [](char c) { return upper(c) || digit(c); })) {
    return Status::InvalidInput(head +
                                "is not an IBAN (2 capital letters, 2 digits, then capital letters or digits, "
                                "15 to 34 characters without spaces)");
  }
  if (IbanMod97Remainder(iban) != 1) return Status::InvalidInput(head + "fails the IBAN check digits (ISO 7064 MOD 97-10)");
  return Status::Ok();
}

Status CheckGbIban(std::string_view iban) {
  const char* const expected =
      "expected a UK IBAN: GB, 2 check digits, a 4-letter bank code and 14 digits, 22 characters without spaces";
  if (iban.find(' ') != std::string_view::npos) {
    return Status::InvalidInput(std::string(expected) + "; remove the spaces");
  }
  if (iban.size() != kGbIbanChars) {
    return Status::InvalidInput(std::string(expected) + "; this has " + std::to_string(iban.size()) + " characters");
  }
  for (char c : iban) {
    if (c >= 'a' && c <= 'z') return Status::InvalidInput(std::string(expected) + "; write the letters in upper case");
  }
  bool shape_ok = iban.substr(0, 2) == "GB" && digit(iban[2]) && digit(iban[3]);
  for (size_t i = 4; i < 8; ++i) shape_ok = shape_ok && upper(iban[i]);
  for (size_t i = 8; i < kGbIbanChars; ++i) shape_ok = shape_ok && digit(iban[i]);
  if (!shape_ok) return Status::InvalidInput(expected);
  if (IbanMod97Remainder(iban) != 1) {
    return Status::InvalidInput("the IBAN's check digits do not match (ISO 7064 mod 97-10); a character is mistyped");
  }
  return Status::Ok();
}

std::string MaskIban(std::string_view iban) {
  if (iban.size() <= 8) return "****";
  std::string masked = "****" + std::string(iban.substr(iban.size() - 4));
  assert(masked.size() == 8);
  return masked;
}

std::string MaskIbansIn(std::string_view text) {
  const auto word_char = [](char c) { return upper(c) || digit(c) || (c >= 'a' && c <= 'z'); };
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (!word_char(text[i])) {
      out += text[i++];
      continue;
    }
    size_t end = i;  // one word: [i, end)
    while (end < text.size() && word_char(text[end])) ++end;
    const std::string_view word = text.substr(i, end - i);
    const bool iban_shaped = word.size() >= kIbanCharsMin && word.size() <= kIbanCharsMax && upper(word[0]) &&
                             upper(word[1]) && digit(word[2]) && digit(word[3]) &&
                             std::all_of(word.begin(), word.end(), [](char c) { return upper(c) || digit(c); });
    out += iban_shaped ? MaskIban(word) : std::string(word);
    i = end;
  }
  assert(out.size() <= text.size());
  return out;
}

}  // namespace rf
