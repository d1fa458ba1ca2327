#include "ledger/core/date_horizon.h"

#include <cassert>
#include <charconv>

#include "ledger/core/rules.h"

namespace rf {

std::string DateHorizon::Refusal(Date day) const {
  assert(!Allows(day));
  return day.ToIso() + " is more than " + std::to_string(future_days_max) + " days after today (" + today.ToIso() +
         "), so it is probably a typing error; correct it, or if it is right give the command --future-dated "
         "\"the reason\" (setting " + std::string(kFutureDaysSetting) + ")";
}

Result<DateHorizon> MakeDateHorizon(Date today, const std::optional<std::string>& setting,
                                    std::optional<std::string> reason) {
  DateHorizon horizon;
  horizon.today = today;
  if (setting.has_value()) {
    int32_t days = -1;
    const auto [end, error] = std::from_chars(setting->data(), setting->data() + setting->size(), days);
    if (error != std::errc() || end != setting->data() + setting->size() || days < 0) {
      return Status::Tampered("setting " + std::string(kFutureDaysSetting) + " is not a count of days");
    }
    horizon.future_days_max = days;
  }
  if (reason.has_value()) {
    if (!IsReason(*reason)) {
      return Status::InvalidInput("--future-dated: give the reason in words (at least " +
                                  std::to_string(kReasonLettersMin) + " letters)");
    }
    horizon.reason = std::move(*reason);
  }
  assert(horizon.future_days_max >= 0);
  return horizon;
}

Status CheckNotFutureDated(const DateHorizon& horizon, Date day, std::string_view what) {
  if (horizon.Allows(day)) return Status::Ok();
  return RefusedWithCode(refusal::kFutureDated, std::string(what) + ": " + horizon.Refusal(day));
}

}  // namespace rf
