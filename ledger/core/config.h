#ifndef RINGFENCE_LEDGER_CORE_CONFIG_H_
#define RINGFENCE_LEDGER_CORE_CONFIG_H_

// Reconciliation thresholds (PRODUCT.md "Reconciliation flags") and the PHB
// bank account payment runs are made from (`bank.*`). Each change is a
// config.set entry, so a month's reconciliation can be rerun exactly as it
// stood when it was signed off. Pure: no I/O.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace rf {

// kAmount: an amount in pounds as input files write one (Pence::Parse),
// zero or more.
// kIban: an IBAN, upper case without spaces, passing ISO 7064 MOD 97-10.
// kName: text for a bank file, 1..kConfigNameBytesMax bytes, no control
// characters.
enum class ConfigType { kCount, kPercent, kSlugList, kAmount, kIban, kName };

inline constexpr size_t kConfigNameBytesMax = 140;

struct ConfigSetting {
  std::string_view key;
  ConfigType type;
  std::string_view default_value;
  std::string_view meaning;
};

// Every setting, in display order.
std::span<const ConfigSetting> ConfigSettings();

// nullptr if `key` is not a setting.
const ConfigSetting* FindConfigSetting(std::string_view key);

// Checks `value` for `key`: counts are 0..100000, percents 0..100, slug lists
// comma-separated lower-case slugs, amounts pounds not below zero, IBANs and names as above. Errors: InvalidInput naming the key and
// what is expected (and the known keys when the key is unknown).
Status ValidateConfig(std::string_view key, std::string_view value);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_CONFIG_H_
