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

// ---- Coded values, each one of a fixed list of lower-case words ----

enum class AgeBand : uint8_t { k0To17, k18To24, k25To34, k35To44, k45To54, k55To64, k65To74, k75Plus };
enum class Sex : uint8_t { kFemale, kMale, kOther, kUnknown };
enum class Management : uint8_t { kNotional, kThirdParty, kDirectPayment };
enum class Frequency : uint8_t { kMonthly, kFourWeekly, kOneOff, kNone };
enum class ProviderKind : uint8_t { kVcse, kNhs, kPrivate, kPersonalAssistant };
enum class ProviderSize : uint8_t { kMicro, kSmall, kMedium, kLarge, kMajor };
enum class ReviewOutcome : uint8_t { kContinue, kChange, kEnd };

// The words, in enum order: kAgeBandNames[static_cast<size_t>(AgeBand::k75Plus)] == "75+".
inline constexpr std::array<std::string_view, 8> kAgeBandNames = {"0-17",  "18-24", "25-34", "35-44",
                                                                  "45-54", "55-64", "65-74", "75+"};
inline constexpr std::array<std::string_view, 4> kSexNames = {"female", "male", "other", "unknown"};
inline constexpr std::array<std::string_view, 3> kManagementNames = {"notional", "third-party", "direct-payment"};
inline constexpr std::array<std::string_view, 4> kFrequencyNames = {"monthly", "four-weekly", "one-off", "none"};
inline constexpr std::array<std::string_view, 4> kProviderKindNames = {"vcse", "nhs", "private", "personal-assistant"};
inline constexpr std::array<std::string_view, 5> kProviderSizeNames = {"micro", "small", "medium", "large", "major"};
inline constexpr std::array<std::string_view, 3> kReviewOutcomeNames = {"continue", "change", "end"};

// The index of `text` in `names`, compared exactly (case matters). Error:
// "expected one of monthly, four-weekly, one-off, none".
Result<size_t> ParseChoice(std::string_view text, std::span<const std::string_view> names);

Result<AgeBand> ParseAgeBand(std::string_view text);
Result<Sex> ParseSex(std::string_view text);
Result<Management> ParseManagement(std::string_view text);
Result<Frequency> ParseFrequency(std::string_view text);
Result<ProviderKind> ParseProviderKind(std::string_view text);
Result<ProviderSize> ParseProviderSize(std::string_view text);
Result<ReviewOutcome> ParseReviewOutcome(std::string_view text);
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
