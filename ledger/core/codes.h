#ifndef RINGFENCE_LEDGER_CORE_CODES_H_
#define RINGFENCE_LEDGER_CORE_CODES_H_

// The coded values of the contract (PRODUCT.md "Input files"), each one of
// a fixed list of lower-case words: in the code an enum, in files and in
// the canonical JSON the word. Pure.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/status.h"

namespace rf {

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
// The word for a value: NameOf(Management::kNotional, kManagementNames).
template <typename E, size_t N>
std::string_view NameOf(E value, const std::array<std::string_view, N>& names) {
  return names.at(static_cast<size_t>(value));
}

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_CODES_H_
