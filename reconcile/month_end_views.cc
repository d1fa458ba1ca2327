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

template <typename Fn>
Status MonthEndViews::ForEachBalance(std::string_view prefix, Fn&& fn) const {
  assert(StartsWith(prefix, kBalancePrefix));
  // The live balances and the later movements, both in key order, merged.
  const std::string_view account_prefix = prefix.substr(kBalancePrefix.size());
  auto later = later_.lower_bound(account_prefix);
  const auto later_end = later_.end();
  std::string key;
  // Those absent from the live views (a balance zero now), up to
  // `account_text` (every one left when nullopt).
  auto emit_later_before = [&](std::optional<std::string_view> account_text) -> Status {
    for (; later != later_end && StartsWith(later->first, account_prefix) &&
           (!account_text || later->first.compare(*account_text) < 0);
         ++later) {
      key.assign(kBalancePrefix).append(later->first);
      auto at = Pence().Add(-later->second);
      if (!at.ok()) return at.status().WithContext("view " + key + ": ");
      if (!at->is_zero()) RF_RETURN_IF_ERROR(fn(std::string_view(key), *at));
    }
    return Status::Ok();
  };
  Status s = live_.ForEach(prefix, [&](std::string_view live_key, std::string_view value) -> Status {
    const std::string_view account_text = AccountOfBalanceKey(live_key);
    RF_RETURN_IF_ERROR(emit_later_before(account_text));
    auto account = ParseAccount(account_text, "balance account");
    if (!account.ok()) return Status::Tampered("view " + std::string(live_key) + ": " + account.status().message());
    if (!ServedAsOf(account->type)) return Status::Ok();
    auto balance = ParseBalanceAmount(value, live_key);
    if (!balance.ok()) return balance.status();
    Pence at = *balance;
    if (later != later_end && later->first == account_text) {
      auto less = balance->Add(-later->second);
      if (!less.ok()) return less.status().WithContext("view " + std::string(live_key) + ": ");
      at = *less;
      ++later;
    }
    if (at.is_zero()) return Status::Ok();
    return fn(live_key, at);
  });
  if (!s.ok()) return s;
  return emit_later_before(std::nullopt);
}

Result<std::optional<std::string>> MonthEndViews::Get(std::string_view key) const {
  if (StartsWith(key, kBalancePrefix)) {
    auto account = ParseAccount(AccountOfBalanceKey(key), "balance account");
    if (!account.ok() || !ServedAsOf(account->type)) return NotServed(key);
    std::optional<std::string> found;
    RF_RETURN_IF_ERROR(ForEachBalance(key, [&](std::string_view at_key, const Pence& balance) -> Status {
      if (at_key == key) found = balance.ToDecimal();
      return Status::Ok();
    }));
    return found;
  }
  if (StartsWith(key, kConfigPrefix)) return SettingAsOf(live_, key.substr(kConfigPrefix.size()), as_of_);
  return live_.Get(key);
}

Status MonthEndViews::ForEach(std::string_view prefix,
                              const std::function<Status(std::string_view, std::string_view)>& fn) const {
  if (StartsWith(kBalancePrefix, prefix) && !StartsWith(prefix, kBalancePrefix)) return NotServed(prefix);
  if (StartsWith(kConfigPrefix, prefix) && !StartsWith(prefix, kConfigPrefix)) return NotServed(prefix);
  if (StartsWith(prefix, kBalancePrefix)) {
    return ForEachBalance(
        prefix, [&](std::string_view key, const Pence& balance) -> Status { return fn(key, balance.ToDecimal()); });
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

Status MonthEndViews::Read(std::string_view key,
                           const std::function<Status(std::optional<std::string_view>)>& fn) const {
  if (StartsWith(key, kBalancePrefix) || StartsWith(key, kConfigPrefix)) return ViewSource::Read(key, fn);
  return live_.Read(key, fn);
}

Status MonthEndViews::ReadSorted(const std::vector<std::string>& keys,
                                 const std::function<Status(size_t, std::optional<std::string_view>)>& fn) const {
  for (const std::string& key : keys) {
    if (StartsWith(key, kBalancePrefix) || StartsWith(key, kConfigPrefix)) return ViewSource::ReadSorted(keys, fn);
  }
  return live_.ReadSorted(keys, fn);
}

}  // namespace rf
