#include "ledger/core/account.h"

#include <array>
#include <cassert>

namespace rf {
namespace {

struct Prefix {
  std::string_view name;
  AccountType type;
  bool has_detail;
};

constexpr std::array<Prefix, 8> kPrefixes = {{
    {"funding", AccountType::kFunding, false},
    {"pot", AccountType::kPot, false},
    {"budget", AccountType::kBudget, false},
    {"payable", AccountType::kPayable, true},
    {"dp", AccountType::kDp, false},
    {"paid", AccountType::kPaid, false},
    {"spent", AccountType::kSpent, true},
    {"external", AccountType::kExternal, false},
}};

bool IsSlug(std::string_view s) {
  if (s.empty() || s.size() > kAccountIdBytesMax) return false;
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return s.front() != '-' && s.back() != '-';
}

const Prefix& PrefixOf(AccountType type) {
  for (const auto& p : kPrefixes) {
    if (p.type == type) return p;
  }
  assert(false && "every AccountType has a prefix");
  return kPrefixes[0];
}

}  // namespace

bool IsAccountName(std::string_view s) {
  if (s.empty() || s.size() > kAccountIdBytesMax) return false;
  for (const char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

const std::string& Account::budget() const {
  static const std::string kNone;
  const bool of_budget = type == AccountType::kBudget || type == AccountType::kPayable || type == AccountType::kDp ||
                         type == AccountType::kSpent;
  return of_budget ? id : kNone;
}

std::string Account::ToString() const {
  const Prefix& p = PrefixOf(type);
  assert(p.has_detail == !detail.empty());
  std::string out(p.name);
  out += ":" + id;
  if (p.has_detail) out += ":" + detail;
  return out;
}

bool IsRingFenced(AccountType type) {
  return type == AccountType::kPot || type == AccountType::kBudget || type == AccountType::kPayable ||
         type == AccountType::kDp;
}

std::string NameSlug(std::string_view name) {
  std::string slug;
  for (const char c : name) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    const bool upper = c >= 'A' && c <= 'Z';
    if (alnum || upper) {
      slug.push_back(upper ? static_cast<char>(c - 'A' + 'a') : c);
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

Result<Account> ParseAccount(std::string_view text, std::string_view field) {
  const auto fail = [&](const std::string& why) {
    return Status::InvalidInput(std::string(field) + ": \"" + std::string(text.substr(0, 140)) +
                                "\" is not an account (" + why + ")");
  };
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return fail("expected type:name, e.g. budget:B-0042");
  const std::string_view prefix = text.substr(0, colon);
  const std::string_view rest = text.substr(colon + 1);
  for (const auto& p : kPrefixes) {
    if (p.name != prefix) continue;
    Account account;
    account.type = p.type;
    if (p.has_detail) {
      const size_t second = rest.find(':');
      if (second == std::string_view::npos) {
        return fail(std::string(p.name) + " accounts are " + std::string(p.name) +
                    (p.type == AccountType::kPayable ? ":<budget>:<provider>" : ":<budget>:<category>"));
      }
      account.id = std::string(rest.substr(0, second));
      account.detail = std::string(rest.substr(second + 1));
      const bool detail_ok = p.type == AccountType::kSpent ? IsSlug(account.detail) : IsAccountName(account.detail);
      if (!detail_ok)
        return fail(p.type == AccountType::kSpent ? "the category must be a lower-case slug"
                                                  : "the provider id is not a valid identifier");
    } else {
      account.id = std::string(rest);
    }
    if (!IsAccountName(account.id)) {
      return fail("names are 1 to " + std::to_string(kAccountIdBytesMax) + " letters, digits, '.', '_' or '-'");
    }
    assert(account.ToString() == text);
    return account;
  }
  return fail("the type must be funding, pot, budget, payable, dp, paid, spent or external");
}

}  // namespace rf
