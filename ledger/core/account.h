#ifndef RINGFENCE_LEDGER_CORE_ACCOUNT_H_
#define RINGFENCE_LEDGER_CORE_ACCOUNT_H_

// Account names, typed by prefix (PRODUCT.md "Accounts"):
//   funding:<org>  pot:<pot>  budget:<budget>  payable:<budget>:<provider>
//   dp:<budget>  paid:<provider>  spent:<budget>:<category>  external:<name>
// Identifiers are 1..64 bytes of [A-Za-z0-9._-]; categories are lower-case
// slugs. Pure: no I/O.

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace rf {

inline constexpr size_t kAccountIdBytesMax = 64;

enum class AccountType { kFunding, kPot, kBudget, kPayable, kDp, kPaid, kSpent, kExternal };

struct Account {
  AccountType type = AccountType::kExternal;
  std::string id;      // org, pot, budget, provider or external name
  std::string detail;  // provider (payable) or category (spent); else empty

  // The budget this account belongs to (budget, payable, dp, spent), else "".
  const std::string& budget() const;
  std::string ToString() const;
  friend bool operator==(const Account&, const Account&) = default;
};

// Ring-fenced accounts hold PHB money and may never go below zero without a
// recorded override: pot, budget, payable, dp.
bool IsRingFenced(AccountType type);

// Lower-case slug of a name: ASCII letters and digits kept (lower-cased),
// every other run of characters one '-', none at either end
// ("NHS Example ICB" -> "nhs-example-icb"); may be empty.
std::string NameSlug(std::string_view name);

// A name within an account ("B-0042"): 1 to kAccountIdBytesMax letters,
// digits, '.', '_' or '-'.
bool IsAccountName(std::string_view s);

// Parses "budget:B-0042". Errors: InvalidInput naming `field` and the text.
Result<Account> ParseAccount(std::string_view text, std::string_view field);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_ACCOUNT_H_
