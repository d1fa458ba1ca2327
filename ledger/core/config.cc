#include "ledger/core/config.h"

#include <array>
#include <cassert>

#include "ledger/bank/iban.h"
#include "ledger/core/money.h"

namespace rf {
namespace {

constexpr std::array<ConfigSetting, 19> kSettings = {{
    {"underspend.active_days", ConfigType::kCount, "90", "UNDERSPEND_BUDGET: days a budget must be active"},
    {"underspend.share_pct", ConfigType::kPercent, "50", "UNDERSPEND_BUDGET: spent below this share of pro-rata"},
    {"dp_surplus.weeks", ConfigType::kCount, "8", "DP_SURPLUS: weeks of funding a DP account may hold"},
    {"dp_surplus.contingency", ConfigType::kAmount, "0.00",
     "DP_SURPLUS: pounds a DP account may hold above those weeks (not reclaimed)"},
    {"pot_unallocated.share_pct", ConfigType::kPercent, "20", "POT_UNALLOCATED: unallocated share of a pot"},
    {"pot_unallocated.year_pct", ConfigType::kPercent, "50", "POT_UNALLOCATED: ...after this share of the year"},
    {"delay.first_payment_days", ConfigType::kCount, "14", "DELAY_FIRST_PAYMENT: days from approval"},
    {"delay.invoice_days", ConfigType::kCount, "30", "DELAY_INVOICE: days from receipt to payment run"},
    {"delay.invoice_small_vcse_days", ConfigType::kCount, "10", "DELAY_INVOICE: for micro/small VCSE providers"},
    {"delay.dp_missed_days", ConfigType::kCount, "3", "DELAY_DP_MISSED: days late"},
    {"review.first_months", ConfigType::kCount, "3", "REVIEW_OVERDUE: months from first payment to first review"},
    {"review.interval_months", ConfigType::kCount, "12", "REVIEW_OVERDUE: months between later reviews"},
    {"unsettled.business_days", ConfigType::kCount, "5", "UNSETTLED_PAYMENT: business days to appear on a statement"},
    {"match.window_business_days", ConfigType::kCount, "3",
     "reconcile: business days after a payment's run date its bank line may be booked (at most 66)"},
    {"prohibited.categories", ConfigType::kSlugList,
     "alcohol,tobacco,gambling,debt-repayment,emergency-care,gp-services",
     "PROHIBITED_SPEND: categories PHB money cannot buy"},
    {"bank.debtor_iban", ConfigType::kIban, "", "pay: IBAN of the PHB bank account payments are made from"},
    {"bank.debtor_name", ConfigType::kName, "", "pay: name of that account (default: the organisation)"},
    {"dates.future_days_max", ConfigType::kCount, "31",
     "FUTURE_DATED: days after today a date may be without --future-dated"},
    {"equality.suppress_below", ConfigType::kCount, "5",
     "equality report: counts from 1 to this less one are shown as <N (1 to 100000; 1 shows every count)"},
}};

bool IsDigits(std::string_view s) {
  if (s.empty() || s.size() > 6) return false;
  if (s.size() > 1 && s[0] == '0') return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsSlugList(std::string_view s) {
  if (s.empty() || s.size() > 1024) return false;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t comma = s.find(',', start);
    const std::string_view item = s.substr(start, comma == std::string_view::npos ? s.npos : comma - start);
    if (item.empty() || item.front() == '-' || item.back() == '-') return false;
    for (const char c : item) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return true;
}

bool IsName(std::string_view s) {
  if (s.empty() || s.size() > kConfigNameBytesMax || s.front() == ' ' || s.back() == ' ') return false;
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  return true;
}

}  // namespace

std::span<const ConfigSetting> ConfigSettings() { return kSettings; }

const ConfigSetting* FindConfigSetting(std::string_view key) {
  for (const auto& s : kSettings) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

Status ValidateConfig(std::string_view key, std::string_view value) {
  const ConfigSetting* setting = FindConfigSetting(key);
  if (setting == nullptr) {
    std::string known;
    for (const auto& s : kSettings) known += (known.empty() ? "" : ", ") + std::string(s.key);
    return Status::InvalidInput("config key \"" + std::string(key.substr(0, 64)) +
                                "\" is not a setting (known: " + known + ")");
  }
  const std::string k(key);
  switch (setting->type) {
    case ConfigType::kCount:
      if (!IsDigits(value) || std::stoul(std::string(value)) > 100000) {
        return Status::InvalidInput(k + ": expected a whole number from 0 to 100000");
      }
      if (k == "equality.suppress_below" && value == "0") {
        return Status::InvalidInput(k + ": expected a whole number from 1 to 100000 (1 shows every count)");
      }
      return Status::Ok();
    case ConfigType::kPercent:
      if (!IsDigits(value) || std::stoul(std::string(value)) > 100) {
        return Status::InvalidInput(k + ": expected a whole percentage from 0 to 100");
      }
      return Status::Ok();
    case ConfigType::kSlugList:
      if (!IsSlugList(value)) {
        return Status::InvalidInput(k + ": expected comma-separated lower-case categories, e.g. alcohol,tobacco");
      }
      return Status::Ok();
    case ConfigType::kAmount: {
      const Result<Pence> amount = Pence::Parse(value, k);
      if (!amount.ok() || amount->is_negative()) {
        return Status::InvalidInput(k + ": expected an amount in pounds of zero or more, e.g. 250.00");
      }
      return Status::Ok();
    }
    case ConfigType::kIban:
      if (!IsIban(value)) {
        return Status::InvalidInput(k +
                                    ": expected an IBAN in capitals without spaces that passes its check digits, "
                                    "e.g. GB29NWBK60161331926819");
      }
      return Status::Ok();
    case ConfigType::kName:
      if (!IsName(value)) {
        return Status::InvalidInput(k + ": expected a name of 1 to " + std::to_string(kConfigNameBytesMax) +
                                    " bytes without control characters or surrounding spaces");
      }
      return Status::Ok();
  }
  assert(false);
  return Status::Ok();
}

}  // namespace rf
