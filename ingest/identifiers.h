#ifndef RINGFENCE_INGEST_IDENTIFIERS_H_
#define RINGFENCE_INGEST_IDENTIFIERS_H_

// Checks on single field values of the input files (PRODUCT.md "Input
// files"): bank accounts, pseudonyms, coded values. Pure functions, no I/O.
//
// Every error is Status::InvalidInput with a sentence saying what was
// expected, and no location: the caller prefixes file, line and column (see
// CsvReader::FieldError). Errors about an IBAN, a person_id or a name never
// quote the value, because it may be personal or bank data that must not
// reach a log; other errors may.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "crypto/status.h"
#include "ledger/bank/iban.h"
#include "ledger/core/codes.h"

namespace rf {

// Bank accounts (payee_ref): CheckGbIban and MaskIban in ledger/bank/iban.h.

// ---- People ----

// True when `text` is an NHS number: 10 digits, written plain ("9434765919")
// or in 3-3-4 groups split by single spaces or single hyphens ("943 476 5919",
// "943-476-5919"), whose 10th digit is the Modulus 11 check of the others.
bool LooksLikeNhsNumber(std::string_view text);

// True when an NHS number (as above) appears anywhere in `text`, bounded by
// non-digits: "P9434765919" and "id 943 476 5919" do, "19434765919" does not.
bool ContainsNhsNumber(std::string_view text);

// A heuristic, not a proof. True when `text` has no digit and splits on
// spaces, commas, dots and underscores into two or more words made only of
// letters (ASCII or any non-ASCII character, so "Siân", "Zoë"), with
// hyphens or apostrophes inside a word allowed ("Anne-Marie O'Neil",
// "john.smith", "SMITH, John"). A pseudonym holds a digit ("P-000123",
// "person-42") and is never taken for a name. Limits: a single word
// ("Smith") cannot be told from a code word and is not detected.
bool LooksLikePersonalName(std::string_view text);

// The ids of rows (pot_id, person_id, provider_id, budget_id, invoice_id,
// ...): 1..64 characters from [A-Za-z0-9._-], starting with a letter or a
// digit. They appear inside account names ("payable:<budget>:<provider>"),
// so they can never hold ':' or spaces.
inline constexpr size_t kExternalIdCharsMax = 64;
Status CheckExternalId(std::string_view id);

// person_id must be a pseudonym (PRODUCT.md): an external id that is neither
// an NHS number, nor holds one, nor looks like a personal name.
Status CheckPseudonym(std::string_view person_id);

// ---- Ethnicity (NHS Data Dictionary "Ethnic Category") ----

// The groups the equality report rolls codes up to.
enum class EthnicGroup : uint8_t { kWhite, kMixed, kAsian, kBlack, kOther, kNotStatedOrKnown };

// Codes A B C (White), D E F G (Mixed), H J K L (Asian), M N P (Black),
// R S (Other), Z (not stated) and 99 (not known). Upper-case only.
Result<EthnicGroup> ParseEthnicCategory(std::string_view code);

// "White", "Mixed", "Asian", "Black", "Other", "Not stated/known".
std::string_view EthnicGroupName(EthnicGroup group);

// Coded values (age band, sex, management, ...): ledger/core/codes.h.

// "yes" -> true, "no" -> false.
Result<bool> ParseYesNo(std::string_view text);

// ---- Other formats ----

// A spending category: 1..64 characters from [a-z0-9-], starting and ending
// with a letter or digit, no "--" ("personal-assistant", "gp-services").
inline constexpr size_t kCategorySlugCharsMax = 64;
Status CheckCategorySlug(std::string_view slug);

// A UK financial year, "2026-27": April 2026 to March 2027. The second part
// must be the year after the first, modulo 100 ("2099-00"). Returns the first
// year, within the date bounds kDateYearMin..kDateYearMax - 1.
Result<int> ParseFinancialYear(std::string_view text);

}  // namespace rf

#endif  // RINGFENCE_INGEST_IDENTIFIERS_H_
