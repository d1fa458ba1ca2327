#include "reconcile/month_end_views.h"

#include <cassert>

#include "ledger/core/account.h"
#include "ledger/core/records.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

bool ServedAsOf(AccountType type) {
  return type == AccountType::kDp || type == AccountType::kSpent || type == AccountType::kPot;
}

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

Status NotServed(std::string_view key) {
  return Status::InvalidInput("month-end views: " + std::string(key) +
                              " is not served as of a date (only dp:, spent: and pot: balances and settings)");
}

}  // namespace

Result<std::unique_ptr<MonthEndViews>> MonthEndViews::Make(const ViewSource& live, Date as_of) {
  std::unique_ptr<MonthEndViews> views(new MonthEndViews(live, as_of));
  Status s = live.ForEach(kBalancePrefix, [&](std::string_view key, std::string_view value) -> Status {
    if (value.find(';') == std::string_view::npos) return Status::Ok();  // no day deltas
    const std::string_view account_text = AccountOfBalanceKey(key);
    auto account = ParseAccount(account_text, "balance account");
    if (!account.ok()) return Status::Tampered("view " + std::string(key) + ": " + account.status().message());
    if (!ServedAsOf(account->type)) return Status::Ok();
    auto stored = ParseStoredBalance(value, key);
    if (!stored.ok()) return stored.status();
    const Pence later = MovementAfter(stored->days, as_of);
    if (!later.is_zero()) views->later_.emplace(std::string(account_text), later);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return views;
}

Result<std::map<std::string, Pence>> MonthEndViews::Balances(std::string_view prefix) const {
  assert(StartsWith(prefix, kBalancePrefix));
  std::map<std::string, Pence> out;
  // Live balances less the later movement.
  Status s = live_.ForEach(prefix, [&](std::string_view key, std::string_view value) -> Status {
    const std::string_view account_text = AccountOfBalanceKey(key);
    auto account = ParseAccount(account_text, "balance account");
    if (!account.ok()) return Status::Tampered("view " + std::string(key) + ": " + account.status().message());
    if (!ServedAsOf(account->type)) return Status::Ok();
    auto balance = ParseBalanceAmount(value, key);
    if (!balance.ok()) return balance.status();
    out.emplace(std::string(key), *balance);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  for (const auto& [account, later] : later_) {
    const std::string key = std::string(kBalancePrefix) + account;
    if (!StartsWith(key, prefix)) continue;
    auto it = out.find(key);
    auto at = (it == out.end() ? Pence() : it->second).Add(-later);
    if (!at.ok()) return at.status().WithContext("view " + key + ": ");
    if (it == out.end()) {
      out.emplace(key, *at);
    } else {
      it->second = *at;
    }
  }
  std::erase_if(out, [](const auto& item) { return item.second.is_zero(); });
  return out;
}

Result<std::optional<std::string>> MonthEndViews::Get(std::string_view key) const {
  if (StartsWith(key, kBalancePrefix)) {
    auto account = ParseAccount(AccountOfBalanceKey(key), "balance account");
    if (!account.ok() || !ServedAsOf(account->type)) return NotServed(key);
    RF_ASSIGN(balances, Balances(key));
    auto it = balances.find(std::string(key));
    if (it == balances.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second.ToDecimal());
  }
  if (StartsWith(key, kConfigPrefix)) return SettingAsOf(live_, key.substr(kConfigPrefix.size()), as_of_);
  return live_.Get(key);
}

Status MonthEndViews::ForEach(std::string_view prefix,
                              const std::function<Status(std::string_view, std::string_view)>& fn) const {
  if (StartsWith(kBalancePrefix, prefix) && !StartsWith(prefix, kBalancePrefix)) return NotServed(prefix);
  if (StartsWith(kConfigPrefix, prefix) && !StartsWith(prefix, kConfigPrefix)) return NotServed(prefix);
  if (StartsWith(prefix, kBalancePrefix)) {
    RF_ASSIGN(balances, Balances(prefix));
    for (const auto& [key, balance] : balances) RF_RETURN_IF_ERROR(fn(key, balance.ToDecimal()));
    return Status::Ok();
  }
  if (StartsWith(prefix, kConfigPrefix)) {
    std::vector<std::string> settings;
    RF_RETURN_IF_ERROR(live_.ForEach(prefix, [&](std::string_view key, std::string_view) -> Status {
      settings.emplace_back(key);
      return Status::Ok();
    }));
    for (const std::string& key : settings) {
      RF_ASSIGN(value, SettingAsOf(live_, std::string_view(key).substr(kConfigPrefix.size()), as_of_));
      if (value.has_value()) RF_RETURN_IF_ERROR(fn(key, *value));
    }
    return Status::Ok();
  }
  return live_.ForEach(prefix, fn);
}

Status MonthEndViews::ForEachFrom(std::string_view prefix, std::string_view from,
                                  const std::function<Result<bool>(std::string_view, std::string_view)>& fn) const {
  if (StartsWith(kBalancePrefix, prefix) || StartsWith(prefix, kBalancePrefix) || StartsWith(kConfigPrefix, prefix) ||
      StartsWith(prefix, kConfigPrefix)) {
    return NotServed(prefix);
  }
  return live_.ForEachFrom(prefix, from, fn);
}

}  // namespace rf
