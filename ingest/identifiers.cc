#include "ingest/identifiers.h"

#include <cassert>

#include "ledger/core/date.h"
#include "ledger/bank/iban.h"

namespace rf {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
// Letters for the name heuristic: ASCII letters and every byte of a
// non-ASCII character (accents, other scripts).
bool IsNameLetter(char c) { return IsUpper(c) || IsLower(c) || static_cast<unsigned char>(c) >= 0x80; }

// Modulus 11 (NHS Data Dictionary): weights 10..2 over the first nine digits;
// 11 - (sum mod 11) is the check digit, 11 meaning 0 and 10 meaning the
// number is never issued.
// REQUIRES: digits.size() == 10, all digits.
bool NhsCheckDigitMatches(std::string_view digits) {
  assert(digits.size() == 10);
  uint32_t sum = 0;
  for (size_t i = 0; i < 9; ++i) sum += static_cast<uint32_t>(digits[i] - '0') * static_cast<uint32_t>(10 - i);
  uint32_t check = 11 - sum % 11;
  if (check == 11) check = 0;
  assert(check <= 10);
  return check != 10 && check == static_cast<uint32_t>(digits[9] - '0');
}

// Length of an NHS number written at the start of `text` ("9434765919",
// "943 476 5919", "943-476-5919"), or 0. Does not look past the number.
size_t NhsNumberPrefixChars(std::string_view text) {
  const auto digits_at = [&](size_t from, size_t count) {
    if (text.size() < from + count) return false;
    for (size_t i = from; i < from + count; ++i) {
      if (!IsDigit(text[i])) return false;
    }
    return true;
  };
  if (digits_at(0, 10) && NhsCheckDigitMatches(text.substr(0, 10))) return 10;
  if (text.size() >= 12 && digits_at(0, 3) && (text[3] == ' ' || text[3] == '-') && digits_at(4, 3) &&
      text[7] == text[3] && digits_at(8, 4)) {
    const std::string digits =
        std::string(text.substr(0, 3)) + std::string(text.substr(4, 3)) + std::string(text.substr(8, 4));
    if (NhsCheckDigitMatches(digits)) return 12;
  }
  return 0;
}

}  // namespace

bool LooksLikeNhsNumber(std::string_view text) {
  const size_t chars = NhsNumberPrefixChars(text);
  return chars != 0 && chars == text.size();
}

bool ContainsNhsNumber(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsDigit(text[i]) || (i > 0 && IsDigit(text[i - 1]))) continue;
    const size_t chars = NhsNumberPrefixChars(text.substr(i));
    if (chars != 0 && (i + chars == text.size() || !IsDigit(text[i + chars]))) return true;
  }
  return false;
}

bool LooksLikePersonalName(std::string_view text) {
  size_t words = 0;
  size_t i = 0;
  while (i < text.size()) {  // each pass consumes at least one character
    const char c = text[i];
    if (c == ' ' || c == ',' || c == '.' || c == '_') {
      ++i;
      continue;
    }
    // A word: letters, with hyphens or apostrophes only between letters.
    if (!IsNameLetter(c)) return false;
    size_t end = i;
    while (end < text.size() && (IsNameLetter(text[end]) || text[end] == '-' || text[end] == '\'')) ++end;
    if (!IsNameLetter(text[end - 1])) return false;
    ++words;
    assert(end > i);
    i = end;
  }
  return words >= 2;
}

Status CheckExternalId(std::string_view id) {
  if (id.empty() || id.size() > kExternalIdCharsMax) {
    return Status::InvalidInput("expected an id of 1 to " + std::to_string(kExternalIdCharsMax) + " characters");
  }
  const auto allowed = [](char c) {
    return IsDigit(c) || IsUpper(c) || IsLower(c) || c == '.' || c == '_' || c == '-';
  };
  for (char c : id) {
    if (!allowed(c)) {
      return Status::InvalidInput(
          "expected an id made of letters, digits, '.', '_' and '-' (no spaces, no ':'), such as P-000123");
    }
  }
  if (!IsDigit(id[0]) && !IsUpper(id[0]) && !IsLower(id[0])) {
    return Status::InvalidInput("expected an id starting with a letter or a digit");
  }
  return Status::Ok();
}

Status CheckPseudonym(std::string_view person_id) {
  // These two checks come first so their sentence, not a character rule,
  // tells the user what is wrong.
  if (ContainsNhsNumber(person_id)) {
    return Status::InvalidInput("holds an NHS number; person_id must be a pseudonym such as P-000123");
  }
  if (LooksLikePersonalName(person_id)) {
    return Status::InvalidInput("looks like a person's name; person_id must be a pseudonym such as P-000123");
  }
  return CheckExternalId(person_id);
}

Result<EthnicGroup> ParseEthnicCategory(std::string_view code) {
  if (code == "99") return EthnicGroup::kNotStatedOrKnown;
  if (code.size() == 1) {
    switch (code[0]) {
      case 'A':
      case 'B':
      case 'C':
        return EthnicGroup::kWhite;
      case 'D':
      case 'E':
      case 'F':
      case 'G':
        return EthnicGroup::kMixed;
      case 'H':
      case 'J':
      case 'K':
      case 'L':
        return EthnicGroup::kAsian;
      case 'M':
      case 'N':
      case 'P':
        return EthnicGroup::kBlack;
      case 'R':
      case 'S':
        return EthnicGroup::kOther;
      case 'Z':
        return EthnicGroup::kNotStatedOrKnown;
      default:
        break;
    }
  }
  return Status::InvalidInput(
      "expected an NHS ethnic category code: one of A B C D E F G H J K L M N P R S, Z (not stated) or 99 (not "
      "known)");
}

std::string_view EthnicGroupName(EthnicGroup group) {
  switch (group) {
    case EthnicGroup::kWhite:
      return "White";
    case EthnicGroup::kMixed:
      return "Mixed";
    case EthnicGroup::kAsian:
      return "Asian";
    case EthnicGroup::kBlack:
      return "Black";
    case EthnicGroup::kOther:
      return "Other";
    case EthnicGroup::kNotStatedOrKnown:
      return "Not stated/known";
  }
  assert(false);
  return "";
}

Result<bool> ParseYesNo(std::string_view text) {
  static constexpr std::array<std::string_view, 2> kYesNo = {"no", "yes"};
  Result<size_t> index = ParseChoice(text, kYesNo);
  if (!index.ok()) return Status::InvalidInput("expected yes or no");
  return *index == 1;
}

Status CheckCategorySlug(std::string_view slug) {
  const std::string expected = "expected a category of 1 to " + std::to_string(kCategorySlugCharsMax) +
                               " characters: lower-case letters, digits and single hyphens between them, such as "
                               "personal-assistant";
  if (slug.empty() || slug.size() > kCategorySlugCharsMax) return Status::InvalidInput(expected);
  for (size_t i = 0; i < slug.size(); ++i) {
    const char c = slug[i];
    const bool edge = i == 0 || i + 1 == slug.size();
    if (IsLower(c) || IsDigit(c)) continue;
    if (c == '-' && !edge && slug[i - 1] != '-') continue;
    return Status::InvalidInput(expected);
  }
  return Status::Ok();
}

Result<int> ParseFinancialYear(std::string_view text) {
  const auto invalid = [] {
    return Status::InvalidInput("expected a financial year such as 2026-27 (the second part is the year after)");
  };
  if (text.size() != 7 || text[4] != '-') return invalid();
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (!IsDigit(text[i])) return invalid();
  }
  const int first = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  const int second = (text[5] - '0') * 10 + (text[6] - '0');
  if (second != (first + 1) % 100) return invalid();
  if (first < kDateYearMin || first >= kDateYearMax) {
    return Status::InvalidInput("expected a financial year starting between " + std::to_string(kDateYearMin) + " and " +
                                std::to_string(kDateYearMax - 1));
  }
  assert(first >= kDateYearMin && second < 100);
  return first;
}

}  // namespace rf
