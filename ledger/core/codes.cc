#include "ledger/core/codes.h"

#include <cassert>
#include <string>

namespace rf {

Result<size_t> ParseChoice(std::string_view text, std::span<const std::string_view> names) {
  assert(!names.empty());
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return i;
  }
  std::string message = "expected one of ";
  for (size_t i = 0; i < names.size(); ++i) message += (i == 0 ? "" : ", ") + std::string(names[i]);
  return Status::InvalidInput(std::move(message));
}

namespace {
template <typename E, size_t N>
Result<E> ParseEnum(std::string_view text, const std::array<std::string_view, N>& names) {
  Result<size_t> index = ParseChoice(text, names);
  if (!index.ok()) return index.status();
  assert(*index < N);
  return static_cast<E>(*index);
}
}  // namespace

Result<AgeBand> ParseAgeBand(std::string_view text) { return ParseEnum<AgeBand>(text, kAgeBandNames); }
Result<Sex> ParseSex(std::string_view text) { return ParseEnum<Sex>(text, kSexNames); }
Result<Management> ParseManagement(std::string_view text) { return ParseEnum<Management>(text, kManagementNames); }
Result<Frequency> ParseFrequency(std::string_view text) { return ParseEnum<Frequency>(text, kFrequencyNames); }
Result<ProviderKind> ParseProviderKind(std::string_view text) {
  return ParseEnum<ProviderKind>(text, kProviderKindNames);
}
Result<ProviderSize> ParseProviderSize(std::string_view text) {
  return ParseEnum<ProviderSize>(text, kProviderSizeNames);
}
Result<ReviewOutcome> ParseReviewOutcome(std::string_view text) {
  return ParseEnum<ReviewOutcome>(text, kReviewOutcomeNames);
}
}  // namespace rf
