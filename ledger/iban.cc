#include "ledger/iban.h"

#include <cassert>

namespace rf {

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

}  // namespace rf
