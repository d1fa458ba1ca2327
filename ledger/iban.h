#ifndef RINGFENCE_LEDGER_IBAN_H_
#define RINGFENCE_LEDGER_IBAN_H_

// The IBAN check digits (ISO 13616 with ISO 7064 MOD 97-10), shared by the
// config setting for the PHB bank account, the input-file validators and the
// pain.001 writer. Pure.

#include <cstdint>
#include <string_view>

namespace rf {

// The MOD 97-10 remainder of an IBAN: its first four characters moved to the
// end, letters read as 10..35; 1 when the check digits are right.
// REQUIRES: iban.size() >= 4; every character a digit or an upper-case letter.
uint32_t IbanMod97Remainder(std::string_view iban);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_IBAN_H_
