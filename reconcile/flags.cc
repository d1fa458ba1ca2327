#include "reconcile/flags.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <tuple>
#include <type_traits>

#include "ledger/core/config.h"
#include "reconcile/business_days.h"
#include "reconcile/flags_internal.h"

namespace rf {
namespace {

constexpr std::array<std::string_view, 17> kFlagCodeNames = {
    "DELAY_DP_MISSED",
    "DELAY_FIRST_PAYMENT",
    "DELAY_INVOICE",
    "DIVERSION_TRANSFER",
    "DIVERSION_UNEXPLAINED_OUTFLOW",
    "DP_SURPLUS",
    "DUPLICATE_INVOICE",
    "OVERSPEND",
    "PAYEE_DETAILS_CHANGED",
    "PAYMENT_RETURNED",
    "POT_UNALLOCATED",
    "PROHIBITED_SPEND",
    "REVIEW_OVERDUE",
    "UNAPPROVED_PROVIDER",
    "UNDERSPEND_BUDGET",
    "UNMATCHED_BANK_LINE",
    "UNSETTLED_PAYMENT",
};
static_assert(std::is_sorted(kFlagCodeNames.begin(), kFlagCodeNames.end()));
static_assert(static_cast<size_t>(FlagCode::kUnsettledPayment) + 1 == kFlagCodeNames.size());
constexpr std::array<std::string_view, 3> kSeverityNames = {"critical", "warning", "info"};

Status CheckThresholds(const FlagThresholds& t) {
  const std::array<std::pair<std::string_view, uint32_t>, 6> days = {{
      {"underspend.active_days", t.underspend_active_days},
      {"dp_surplus.weeks", t.dp_surplus_weeks},
      {"delay.first_payment_days", t.delay_first_payment_days},
      {"delay.invoice_days", t.delay_invoice_days},
      {"delay.invoice_small_vcse_days", t.delay_invoice_small_vcse_days},
      {"delay.dp_missed_days", t.delay_dp_missed_days},
  }};
  for (const auto& [key, value] : days) {
    if (value > kFlagDaysMax) return Status::InvalidInput(std::string(key) + ": at most 100000");
  }
  const std::array<std::pair<std::string_view, uint32_t>, 3> percents = {{
      {"underspend.share_pct", t.underspend_share_pct},
      {"pot_unallocated.share_pct", t.pot_unallocated_share_pct},
      {"pot_unallocated.year_pct", t.pot_unallocated_year_pct},
  }};
  for (const auto& [key, value] : percents) {
    if (value > 100) return Status::InvalidInput(std::string(key) + ": a percentage from 0 to 100");
  }
  if (t.review_first_months > kFlagReviewMonthsMax || t.review_interval_months > kFlagReviewMonthsMax) {
    return Status::InvalidInput("review months: at most " + std::to_string(kFlagReviewMonthsMax));
  }
  if (t.unsettled_business_days > kBusinessDaysWindowMax) {
    return Status::InvalidInput("unsettled.business_days: at most " + std::to_string(kBusinessDaysWindowMax));
  }
  for (const std::string& category : t.prohibited_categories) {
    if (category.empty()) return Status::InvalidInput("prohibited.categories: an empty category");
  }
  if (t.dp_surplus_contingency_pence.is_negative()) {
    return Status::InvalidInput("DP surplus contingency: must not be negative");
  }
  return Status::Ok();
}

// Unique ids, or InvalidInput naming the repeated one.
template <typename R, typename IdOf>
Status Unique(const std::vector<R>& records, IdOf id_of, std::string_view what,
              std::unordered_map<std::string_view, const R*>* into) {
  std::unordered_map<std::string_view, const R*> local;
  auto& map = into != nullptr ? *into : local;
  map.reserve(records.size());
  for (const R& r : records) {
    const std::string_view id = id_of(r);
    if (id.empty()) return Status::InvalidInput(std::string(what) + ": an empty id");
    if (!map.emplace(id, &r).second)
      return Status::InvalidInput(std::string(what) + " " + std::string(id) + ": repeated");
  }
  return Status::Ok();
}

template <typename A>
Status AmountsInto(const std::vector<A>& amounts, std::string_view what,
                   std::unordered_map<std::string_view, Pence>& into) {
  into.reserve(amounts.size());
  for (const A& a : amounts) {
    const std::string_view id = [&]() -> std::string_view {
      if constexpr (std::is_same_v<A, PotAmount>)
        return a.pot_id;
      else
        return a.budget_id;
    }();
    if (!into.emplace(id, a.amount_pence).second) {
      return Status::InvalidInput(std::string(what) + " " + std::string(id) + ": repeated");
    }
  }
  return Status::Ok();
}

Result<flags_internal::Index> BuildIndex(const FlagInputs& in) {
  flags_internal::Index index;
  index.month_end = in.month_end;
  index.month_first = Month{in.month_end.year(), in.month_end.month()}.first_day();
  RF_RETURN_IF_ERROR(Unique(
      in.providers, [](const ProviderRecord& p) -> std::string_view { return p.provider_id; }, "provider",
      &index.providers));
  RF_RETURN_IF_ERROR(Unique(
      in.payments, [](const PaymentRecord& p) -> std::string_view { return p.payment_id; }, "payment",
      &index.payments));
  RF_RETURN_IF_ERROR(Unique(
      in.budgets, [](const BudgetRecord& b) -> std::string_view { return b.budget_id; }, "budget", &index.budgets));
  RF_RETURN_IF_ERROR(Unique<InvoiceRecord>(
      in.invoices, [](const InvoiceRecord& i) -> std::string_view { return i.invoice_id; }, "invoice", nullptr));
  RF_RETURN_IF_ERROR(Unique<PotRecord>(
      in.pots, [](const PotRecord& p) -> std::string_view { return p.pot_id; }, "pot", nullptr));
  for (const PaymentRecord& p : in.payments) {
    if (p.purpose != PaymentPurpose::kInvoice || p.invoice_id.empty()) continue;
    auto [it, added] = index.invoice_payment.emplace(p.invoice_id, &p);
    if (!added && std::tie(p.run_date, p.payment_id) < std::tie(it->second->run_date, it->second->payment_id)) {
      it->second = &p;
    }
  }
  RF_RETURN_IF_ERROR(AmountsInto(in.dp_balances, "dp balance of budget", index.dp_balance));
  RF_RETURN_IF_ERROR(AmountsInto(in.dp_spent, "dp spend of budget", index.dp_spent));
  RF_RETURN_IF_ERROR(AmountsInto(in.pot_unallocated, "unallocated of pot", index.pot_unallocated));
  RF_RETURN_IF_ERROR(AmountsInto(in.paid_invoice_spend, "paid invoice spend of budget", index.paid_invoice_spend));
  for (const ReviewRecord& r : in.reviews) {
    if (r.reviewed_on <= in.month_end) index.reviews[r.budget_id].push_back(&r);
  }
  return index;
}

bool FlagBefore(const Flag& a, const Flag& b) {
  return std::tie(a.severity, a.code, a.entity, a.id) < std::tie(b.severity, b.code, b.entity, b.id);
}

// Sorted by FlagBefore: keys (severity and code in one number, the entity)
// are sorted, then each flag moved once to its place, not swapped about.
// The id is the code and entity, so it breaks no tie.
std::vector<Flag> SortedFlags(std::vector<Flag> flags) {
  struct Key {
    uint32_t severity_code;
    uint32_t index;
    std::string_view entity;
  };
  assert(flags.size() <= UINT32_MAX);  // the bounds on inputs keep it to a few per record
  std::vector<Key> keys;
  keys.reserve(flags.size());
  for (size_t i = 0; i < flags.size(); ++i) {
    keys.push_back(
        {.severity_code = static_cast<uint32_t>(flags[i].severity) << 8 | static_cast<uint32_t>(flags[i].code),
         .index = static_cast<uint32_t>(i),
         .entity = flags[i].entity});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return std::tie(a.severity_code, a.entity) < std::tie(b.severity_code, b.entity);
  });
  std::vector<Flag> out;
  out.reserve(flags.size());
  for (const Key& k : keys) out.push_back(std::move(flags[k.index]));
  assert(std::is_sorted(out.begin(), out.end(), FlagBefore));
  return out;
}

}  // namespace

std::string_view ToString(FlagCode code) { return kFlagCodeNames.at(static_cast<size_t>(code)); }
std::string_view ToString(FlagSeverity severity) { return kSeverityNames.at(static_cast<size_t>(severity)); }

Result<FlagThresholds> FlagThresholdsFromSettings(
    const std::function<std::optional<std::string>(std::string_view)>& setting) {
  FlagThresholds t;
  const std::array<std::pair<std::string_view, uint32_t*>, 12> fields = {{
      {"underspend.active_days", &t.underspend_active_days},
      {"underspend.share_pct", &t.underspend_share_pct},
      {"dp_surplus.weeks", &t.dp_surplus_weeks},
      {"pot_unallocated.share_pct", &t.pot_unallocated_share_pct},
      {"pot_unallocated.year_pct", &t.pot_unallocated_year_pct},
      {"delay.first_payment_days", &t.delay_first_payment_days},
      {"delay.invoice_days", &t.delay_invoice_days},
      {"delay.invoice_small_vcse_days", &t.delay_invoice_small_vcse_days},
      {"delay.dp_missed_days", &t.delay_dp_missed_days},
      {"review.first_months", &t.review_first_months},
      {"review.interval_months", &t.review_interval_months},
      {"unsettled.business_days", &t.unsettled_business_days},
  }};
  for (const auto& [key, field] : fields) {
    // The struct's defaults are the settings' defaults (config.cc).
    assert(FindConfigSetting(key) != nullptr);
    assert(std::to_string(*field) == FindConfigSetting(key)->default_value);
    const std::optional<std::string> text = setting(key);
    if (!text) continue;
    RF_RETURN_IF_ERROR(ValidateConfig(key, *text));
    *field = static_cast<uint32_t>(std::stoul(*text));  // ValidateConfig: 0..100000 digits
  }
  {
    constexpr std::string_view kKey = "prohibited.categories";
    assert(FindConfigSetting(kKey) != nullptr);
    const std::optional<std::string> text = setting(kKey);
    const std::string list = text ? *text : std::string(FindConfigSetting(kKey)->default_value);
    if (text) RF_RETURN_IF_ERROR(ValidateConfig(kKey, *text));
    std::vector<std::string> categories;
    for (size_t start = 0; start <= list.size();) {
      const size_t comma = list.find(',', start);
      categories.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    assert(text || categories == t.prohibited_categories);  // the struct's default is the setting's
    t.prohibited_categories = std::move(categories);
  }
  {
    constexpr std::string_view kKey = "dp_surplus.contingency";
    assert(FindConfigSetting(kKey) != nullptr);
    const std::optional<std::string> text = setting(kKey);
    if (text) {
      RF_RETURN_IF_ERROR(ValidateConfig(kKey, *text));
      RF_ASSIGN(contingency, Pence::Parse(*text, kKey));
      t.dp_surplus_contingency_pence = contingency;
    }
    assert(!t.dp_surplus_contingency_pence.is_negative());  // ValidateConfig refuses one
  }
  RF_RETURN_IF_ERROR(CheckThresholds(t));
  return t;
}

Result<std::vector<Flag>> EvaluateFlags(const FlagInputs& in, const FlagThresholds& thresholds) {
  RF_ASSIGN(flags, EvaluateFlagFacts(in, thresholds));
  for (Flag& f : flags) f.sentence = FlagSentence(f.facts);
  return flags;
}

Result<std::vector<Flag>> EvaluateFlagFacts(const FlagInputs& in, const FlagThresholds& thresholds) {
  RF_RETURN_IF_ERROR(CheckThresholds(thresholds));
  if (Month{in.month_end.year(), in.month_end.month()}.last_day() != in.month_end) {
    return Status::InvalidInput("month end " + in.month_end.ToIso() + " is not the last day of its month");
  }
  if (in.budgets.size() > kFlagBudgetsMax || in.invoices.size() > kFlagInvoicesMax ||
      in.payments.size() > kFlagPaymentsMax || in.reviews.size() > kFlagInvoicesMax ||
      in.providers.size() > kFlagBudgetsMax || in.pots.size() > kFlagBudgetsMax ||
      in.due_instalments.size() > kFlagPaymentsMax || in.spent_by_category.size() > kFlagPaymentsMax ||
      in.paid_invoice_spend.size() > kFlagBudgetsMax) {
    return Status::InvalidInput("flag evaluation: more records than one call takes");
  }
  for (const BudgetRecord& b : in.budgets) {
    if (b.end_date < b.start_date) {
      return Status::InvalidInput("budget " + b.budget_id + ": end_date " + b.end_date.ToIso() +
                                  " is before start_date " + b.start_date.ToIso());
    }
  }
  RF_ASSIGN(index, BuildIndex(in));
  std::vector<Flag> flags;
  RF_RETURN_IF_ERROR(flags_internal::DelayFlags(in, thresholds, index, flags));
  RF_RETURN_IF_ERROR(flags_internal::BudgetFlags(in, thresholds, index, flags));
  RF_RETURN_IF_ERROR(flags_internal::ProviderPotFlags(in, thresholds, index, flags));
  RF_RETURN_IF_ERROR(flags_internal::SpendFlags(in, thresholds, index, flags));
  flags = SortedFlags(std::move(flags));
  for (size_t i = 0; i < flags.size(); ++i) {
    assert(flags[i].id == std::string(ToString(flags[i].code)) + "/" + flags[i].entity);
    assert(i == 0 || flags[i - 1].id != flags[i].id);  // one flag per code and entity
  }
  return flags;
}

namespace flags_internal {

const PaymentRecord* PaidBy(const Index& index, const InvoiceRecord& invoice) {
  const PaymentRecord* payment = nullptr;
  if (!invoice.payment_id.empty()) {
    if (auto it = index.payments.find(invoice.payment_id); it != index.payments.end()) payment = it->second;
  }
  if (payment == nullptr) {
    if (auto it = index.invoice_payment.find(invoice.invoice_id); it != index.invoice_payment.end()) {
      payment = it->second;
    }
  }
  if (payment == nullptr || payment->run_date > index.month_end) return nullptr;
  return payment;
}

Pence AmountOf(const std::unordered_map<std::string_view, Pence>& amounts, std::string_view id) {
  auto it = amounts.find(id);
  return it == amounts.end() ? Pence() : it->second;
}

bool InMonth(const Index& index, Date day) { return index.month_first <= day && day <= index.month_end; }

Date AddMonths(Date day, uint32_t months) {
  assert(months <= kFlagReviewMonthsMax);
  const int64_t total = static_cast<int64_t>(day.year()) * 12 + (day.month() - 1) + months;
  const Month month{static_cast<int>(total / 12), static_cast<unsigned>(total % 12) + 1};
  const unsigned last = month.last_day().day();
  const Date result = month.first_day().AddDays(static_cast<int32_t>(std::min(day.day(), last)) - 1);
  assert(result >= day);
  return result;
}

std::optional<Date> EndedOn(const Index& index, const BudgetRecord& budget) {
  std::optional<Date> ended;
  if (auto by_record = budget.ended_on(); by_record && *by_record <= index.month_end) ended = by_record;
  if (auto it = index.reviews.find(budget.budget_id); it != index.reviews.end()) {
    for (const ReviewRecord* r : it->second) {
      if (r->outcome == ReviewOutcome::kEnd && (!ended || r->reviewed_on < *ended)) ended = r->reviewed_on;
    }
  }
  return ended;
}

int64_t DaysInclusive(Date from, Date to) {
  assert(from <= to);
  return static_cast<int64_t>(DaysBetween(from, to)) + 1;
}

Flag MakeFlag(FlagCode code, FlagSeverity severity, std::string entity, Pence at_stake,
              std::vector<uint64_t> evidence_seqs, FlagFacts facts) {
  assert(!entity.empty());
  // Seq 0 is no entry (a record's optional seq left unset).
  std::erase(evidence_seqs, uint64_t{0});
  std::sort(evidence_seqs.begin(), evidence_seqs.end());
  evidence_seqs.erase(std::unique(evidence_seqs.begin(), evidence_seqs.end()), evidence_seqs.end());
  Flag flag;
  flag.code = code;
  flag.severity = severity;
  flag.id = std::string(ToString(code)) + "/" + entity;
  flag.entity = std::move(entity);
  flag.amount_at_stake_pence = std::move(at_stake);
  flag.evidence_seqs = std::move(evidence_seqs);
  flag.facts = std::move(facts);
  return flag;
}

}  // namespace flags_internal
}  // namespace rf
