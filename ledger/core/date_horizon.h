#ifndef RINGFENCE_LEDGER_CORE_DATE_HORIZON_H_
#define RINGFENCE_LEDGER_CORE_DATE_HORIZON_H_

// How far ahead of today a date may be (setting dates.future_days_max,
// default 31 days). An invoice received in 2099, a pot funded next year or a
// payment run months early is almost always a typing error, so such dates
// are refused (refusal::kFutureDated) unless the command was given
// `--future-dated "reason"`. Checked where dates come in (ingest rows, `pay
// --date`); library callers that give no today are not checked. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"
#include "ledger/core/date.h"

namespace rf {

inline constexpr std::string_view kFutureDaysSetting = "dates.future_days_max";
inline constexpr int32_t kFutureDaysDefault = 31;

struct DateHorizon {
  Date today;
  int32_t future_days_max = kFutureDaysDefault;
  std::string reason;  // --future-dated: when set, later dates are let through

  Date latest() const { return today.AddDays(future_days_max); }
  bool Allows(Date day) const { return !reason.empty() || day <= latest(); }
  // Why `day` is refused, as a sentence ending in what to do.
  // REQUIRES: !Allows(day)
  std::string Refusal(Date day) const;
};

// The horizon from today and the setting's stored text (nullopt: the
// default). Errors: InvalidInput when `reason` is given but is not words
// (IsReason); Tampered when the stored setting is not a count.
Result<DateHorizon> MakeDateHorizon(Date today, const std::optional<std::string>& setting,
                                    std::optional<std::string> reason);

// Ok, or RefusedWithCode(kFutureDated) naming `what` ("--date").
Status CheckNotFutureDated(const DateHorizon& horizon, Date day, std::string_view what);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_DATE_HORIZON_H_
