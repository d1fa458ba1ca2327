#ifndef RINGFENCE_LEDGER_BANK_IBAN_H_
#define RINGFENCE_LEDGER_BANK_IBAN_H_

// IBANs (ISO 13616, check digits by ISO 7064 MOD 97-10): the one
// implementation used by the config setting for the PHB bank account, the
// input-file validators, the camt.053 reader and the pain.001 writer. Pure.
//
// No function here quotes an IBAN back in an error: bank details are
// personal data and never reach a message or log unmasked (PRODUCT.md).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace rf {

// Any country's IBAN in its electronic form: 2 capital letters, 2 digits,
// then capital letters or digits, 15 to 34 characters in all (15 is the
// shortest any country issues).
inline constexpr size_t kIbanCharsMin = 15;
inline constexpr size_t kIbanCharsMax = 34;

// A UK IBAN: "GB", 2 check digits, a 4-letter bank code, a 6-digit sort code
// and an 8-digit account number, 22 characters in all.
inline constexpr size_t kGbIbanChars = 22;

// The MOD 97-10 remainder of an IBAN: its first four characters moved to the
// end, letters read as 10..35; 1 when the check digits are right.
// REQUIRES: iban.size() >= 4; every character a digit or an upper-case letter.
uint32_t IbanMod97Remainder(std::string_view iban);

// Ok when `iban` is any country's IBAN in electronic form (shape above) whose
// check digits pass; otherwise InvalidInput beginning with `field` and the
// masked value, saying which part is wrong.
Status CheckIban(std::string_view iban, std::string_view field);
inline bool IsIban(std::string_view iban) { return CheckIban(iban, "IBAN").ok(); }

// A UK IBAN exactly in electronic form (22 characters, upper case, no
// spaces, so the value written into pain.001 is the value checked), its
// check digits passing. The printed form with spaces every four characters
// and lower-case letters are refused with a sentence saying so. The error
// has no location and does not quote the value: the caller adds where.
Status CheckGbIban(std::string_view iban);

// "****" followed by the last 4 characters, whatever the length, so a masked
// value reveals neither the bank nor the length; text of 8 characters or
// fewer masks to "****" alone. Used in every report, message and log.
std::string MaskIban(std::string_view iban);

// `text` with every IBAN-shaped word masked by MaskIban: a run of 15 to 34
// capital letters and digits, beginning with 2 letters and 2 digits, with no
// letter or digit either side. Check digits are not asked for: a damaged or
// mistyped IBAN is personal data too. Applied to every message a program
// prints and to stored values quoted in messages (a tampered view).
std::string MaskIbansIn(std::string_view text);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_BANK_IBAN_H_
