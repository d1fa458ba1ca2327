#include "reconcile/flags.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <tuple>
#include <type_traits>
#include <unordered_set>

#include "ledger/core/config.h"
#include "reconcile/business_days.h"
#include "reconcile/flags_internal.h"

namespace rf {
namespace {

using flags_internal::BudgetFacts;

constexpr std::array<std::string_view, 18> kFlagCodeNames = {
    "DELAY_DP_MISSED",
    "DELAY_FIRST_PAYMENT",
    "DELAY_INVOICE",
    "DIVERSION_PAYEE_MISMATCH",
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

Status RepeatedAmount(std::string_view what, std::string_view id) {
  return Status::InvalidInput(std::string(what) + " " + std::string(id) + ": repeated");
}

// Each amount into its budget's slot (`field` of BudgetFacts); amounts of
// ids that are no budget raise nothing, but a repeated id is still refused
// (those few are checked in a set).
Status BudgetAmountsInto(const std::vector<BudgetAmount>& amounts, std::string_view what, Pence BudgetFacts::*field,
                         const FlagInputs& in, flags_internal::Index& index) {
  std::vector<bool> seen(in.budgets.size(), false);
  std::unordered_set<std::string_view> others;
  for (const BudgetAmount& a : amounts) {
    const auto it = index.budgets.find(a.budget_id);
    if (it == index.budgets.end()) {
      if (!others.insert(a.budget_id).second) return RepeatedAmount(what, a.budget_id);
      continue;
    }
    const auto b = static_cast<size_t>(it->second - in.budgets.data());
    assert(b < in.budgets.size());
    if (seen[b]) return RepeatedAmount(what, a.budget_id);
    seen[b] = true;
    index.budget[b].*field = a.amount_pence;
  }
  return Status::Ok();
}

Result<flags_internal::Index> BuildIndex(const FlagInputs& in) {
  flags_internal::Index index;
  index.month_end = in.month_end;
  index.month_first = Month{in.month_end.year(), in.month_end.month()}.first_day();
  std::unordered_map<std::string_view, const PaymentFlagFacts*> payments;
  RF_RETURN_IF_ERROR(Unique(
      in.providers, [](const ProviderRecord& p) -> std::string_view { return p.provider_id; }, "provider",
      &index.providers));
  RF_RETURN_IF_ERROR(Unique(
      in.payments, [](const PaymentFlagFacts& p) -> std::string_view { return p.payment_id; }, "payment", &payments));
  RF_RETURN_IF_ERROR(Unique(
      in.budgets, [](const BudgetFlagFacts& b) -> std::string_view { return b.budget_id; }, "budget", &index.budgets));
  RF_RETURN_IF_ERROR(Unique<InvoiceFlagFacts>(
      in.invoices, [](const InvoiceFlagFacts& i) -> std::string_view { return i.invoice_id; }, "invoice", nullptr));
  RF_RETURN_IF_ERROR(Unique<PotRecord>(
      in.pots, [](const PotRecord& p) -> std::string_view { return p.pot_id; }, "pot", nullptr));
  // The payment that pays each invoice: the one the invoice names, else the
  // earliest (run_date, payment_id) naming it.
  std::unordered_map<std::string_view, const PaymentFlagFacts*> invoice_payment;
  for (const PaymentFlagFacts& p : in.payments) {
    if (p.purpose != PaymentPurpose::kInvoice || p.invoice_id.empty()) continue;
    auto [it, added] = invoice_payment.emplace(p.invoice_id, &p);
    if (!added && std::tie(p.run_date, p.payment_id) < std::tie(it->second->run_date, it->second->payment_id)) {
      it->second = &p;
    }
  }
  index.budget.resize(in.budgets.size());
  RF_RETURN_IF_ERROR(BudgetAmountsInto(in.dp_balances, "dp balance of budget", &BudgetFacts::dp_balance, in, index));
  RF_RETURN_IF_ERROR(BudgetAmountsInto(in.dp_spent, "dp spend of budget", &BudgetFacts::dp_spent, in, index));
  index.pot_unallocated.reserve(in.pot_unallocated.size());
  for (const PotAmount& a : in.pot_unallocated) {
    if (!index.pot_unallocated.emplace(a.pot_id, a.amount_pence).second) {
      return RepeatedAmount("unallocated of pot", a.pot_id);
    }
  }
  RF_RETURN_IF_ERROR(BudgetAmountsInto(in.paid_invoice_spend, "paid invoice spend of budget",
                                       &BudgetFacts::paid_invoice_spend, in, index));
  for (const ReviewRecord& r : in.reviews) {
    if (r.reviewed_on <= in.month_end) index.reviews[r.budget_id].push_back(&r);
  }
  // Per invoice: its payment and provider, looked up once.
  index.paid_by.reserve(in.invoices.size());
  index.invoice_provider.reserve(in.invoices.size());
  for (const InvoiceFlagFacts& invoice : in.invoices) {
    const PaymentFlagFacts* payment = nullptr;
    if (!invoice.payment_id.empty()) {
      if (auto it = payments.find(invoice.payment_id); it != payments.end()) payment = it->second;
    }
    if (payment == nullptr) {
      if (auto it = invoice_payment.find(invoice.invoice_id); it != invoice_payment.end()) payment = it->second;
    }
    if (payment != nullptr && payment->run_date > in.month_end) payment = nullptr;
    index.paid_by.push_back(payment);
    const auto provider = index.providers.find(invoice.provider_id);
    index.invoice_provider.push_back(provider == index.providers.end() ? nullptr : provider->second);
    if (payment == nullptr) continue;
    if (auto it = index.budgets.find(invoice.budget_id); it != index.budgets.end()) {
      index.budget[static_cast<size_t>(it->second - in.budgets.data())].paid_invoices += invoice.amount;
    }
  }
  for (size_t b = 0; b < in.budgets.size(); ++b) {
    index.budget[b].ended_on = flags_internal::EndedOn(index, in.budgets[b]);
    index.budget[b].first_payment_on = in.budgets[b].first_payment_on;
    index.budget[b].first_payment_seq = in.budgets[b].first_payment_seq;
  }
  // A payment returned after month end was live at month end: the earliest
  // (run date, then seq) of the budget's, as the apply rules choose a first.
  for (const PaymentFlagFacts& p : in.payments) {
    if (p.state != PaymentState::kReturned || !p.returned_on || *p.returned_on <= in.month_end) continue;
    const auto it = index.budgets.find(p.budget_id);
    if (it == index.budgets.end()) continue;
    BudgetFacts& facts = index.budget[static_cast<size_t>(it->second - in.budgets.data())];
    if (!facts.first_payment_on || !facts.first_payment_seq ||
        std::tie(p.run_date, p.seq) < std::tie(*facts.first_payment_on, *facts.first_payment_seq)) {
      facts.first_payment_on = p.run_date;
      facts.first_payment_seq = p.seq;
    }
  }
  assert(index.paid_by.size() == in.invoices.size() && index.budget.size() == in.budgets.size());
  return index;
}

bool FlagBefore(const MonthFlag& a, const MonthFlag& b) {
  return std::tie(a.severity, a.code, a.entity) < std::tie(b.severity, b.code, b.entity);
}

// Sorts by FlagBefore (severity, code, entity; the id is the code and the
// entity, so it breaks no tie). The families write each code's flags in
// their inputs' order, which is entity order when the inputs come sorted by
// id (as the views give them): so the flags are ordered by (severity, code)
// as integers, each code's run sorted by entity only when it is not
// already, and each flag then moved once into place (cycles of the
// permutation, in place: no second vector of flags).
void SortFlags(std::vector<MonthFlag>& flags) {
  assert(flags.size() <= UINT32_MAX);  // the bounds on inputs keep it to a few per record
  // (severity, code) in the high half, the flag's place in the low: sorted
  // as integers, each (severity, code) keeps its families' order.
  std::vector<uint64_t> order;
  order.reserve(flags.size());
  for (size_t i = 0; i < flags.size(); ++i) {
    const uint64_t severity_code = static_cast<uint64_t>(flags[i].severity) << 8 |
                                   static_cast<uint64_t>(flags[i].code);
    order.push_back(severity_code << 32 | i);
  }
  std::sort(order.begin(), order.end());
  const auto entity_of = [&](uint64_t key) -> const std::string& { return flags[key & UINT32_MAX].entity; };
  for (auto run = order.begin(); run != order.end();) {
    const auto run_end = std::find_if(run, order.end(), [&](uint64_t k) { return k >> 32 != *run >> 32; });
    const auto by_entity = [&](uint64_t a, uint64_t b) { return entity_of(a) < entity_of(b); };
    if (!std::is_sorted(run, run_end, by_entity)) std::sort(run, run_end, by_entity);
    run = run_end;
  }
  // Apply: place p takes flags[order[p]]. Each cycle is walked once.
  std::vector<bool> placed(flags.size(), false);
  for (size_t start = 0; start < flags.size(); ++start) {
    if (placed[start]) continue;
    MonthFlag held = std::move(flags[start]);
    size_t p = start;
    while (true) {
      placed[p] = true;
      const size_t from = order[p] & UINT32_MAX;
      if (from == start) {
        flags[p] = std::move(held);
        break;
      }
      flags[p] = std::move(flags[from]);
      p = from;
    }
  }
  assert(std::is_sorted(flags.begin(), flags.end(), FlagBefore));
}

Flag FlagOf(MonthFlag&& reported) {
  assert(!reported.facts.none());
  std::string id = FlagId(reported);
  std::vector<std::string> bank_lines;
  if (reported.words) {
    assert(reported.words->sentence.empty());
    bank_lines = std::move(reported.words->evidence_bank_lines);
  }
  return Flag{.code = reported.code,
              .severity = reported.severity,
              .entity = std::move(reported.entity),
              .amount_at_stake_pence = std::move(reported.amount_at_stake_pence),
              .evidence_seqs = std::move(reported.evidence_seqs),
              .evidence_bank_lines = std::move(bank_lines),
              .sentence = std::string(),
              .id = std::move(id),
              .facts = std::move(reported.facts)};
}

}  // namespace

std::string_view ToString(FlagCode code) { return kFlagCodeNames.at(static_cast<size_t>(code)); }

const std::vector<std::string>& BankLinesOf(const MonthFlag& flag) {
  static const std::vector<std::string> kNone;
  return flag.words ? flag.words->evidence_bank_lines : kNone;
}

std::string FlagId(FlagCode code, std::string_view entity) {
  const std::string_view name = ToString(code);
  std::string id;
  id.reserve(name.size() + 1 + entity.size());
  id.append(name).append("/").append(entity);
  return id;
}

std::optional<FlagCode> FlagCodeNamed(std::string_view name) {
  const auto it = std::lower_bound(kFlagCodeNames.begin(), kFlagCodeNames.end(), name);
  if (it == kFlagCodeNames.end() || *it != name) return std::nullopt;
  return static_cast<FlagCode>(it - kFlagCodeNames.begin());
}

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
  RF_ASSIGN(reported, EvaluateReportedFlags(in, thresholds));
  std::vector<Flag> flags;
  flags.reserve(reported.size());
  for (MonthFlag& f : reported) flags.push_back(FlagOf(std::move(f)));
  return flags;
}

Result<std::vector<MonthFlag>> EvaluateReportedFlags(const FlagInputs& in, const FlagThresholds& thresholds) {
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
  for (const BudgetFlagFacts& b : in.budgets) {
    if (b.end_date < b.start_date) {
      return Status::InvalidInput("budget " + b.budget_id + ": end_date " + b.end_date.ToIso() +
                                  " is before start_date " + b.start_date.ToIso());
    }
  }
  RF_ASSIGN(index, BuildIndex(in));
  std::vector<MonthFlag> flags;
  RF_RETURN_IF_ERROR(flags_internal::DelayFlags(in, thresholds, index, flags));
  RF_RETURN_IF_ERROR(flags_internal::BudgetFlags(in, thresholds, index, flags));
  RF_RETURN_IF_ERROR(flags_internal::ProviderPotFlags(in, thresholds, index, flags));
  RF_RETURN_IF_ERROR(flags_internal::SpendFlags(in, thresholds, index, flags));
  index = flags_internal::Index{};  // freed before the flags are sorted
  SortFlags(flags);
  for (size_t i = 0; i < flags.size(); ++i) {
    // One flag per code and entity.
    assert(i == 0 || flags[i - 1].code != flags[i].code || flags[i - 1].entity != flags[i].entity);
    assert(!flags[i].facts.none() && !flags[i].words);
    assert(flags[i].facts.CountsFit());  // day counts and bounded thresholds (flag_sentence.h)
    if (!flags[i].facts.PenceFit()) {
      return Status::InvalidInput("flag " + FlagId(flags[i]) + ": an amount beyond " +
                                  std::to_string(kFlagPenceMax) + " pence");
    }
  }
  return flags;
}

namespace flags_internal {

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

std::optional<Date> EndedOn(const Index& index, const BudgetFlagFacts& budget) {
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

MonthFlag MakeFlag(FlagCode code, FlagSeverity severity, std::string entity, Pence at_stake,
                   std::vector<uint64_t> evidence_seqs, FlagFacts facts) {
  assert(!entity.empty());
  assert(!facts.none());
  // Seq 0 is no entry (a record's optional seq left unset).
  std::erase(evidence_seqs, uint64_t{0});
  std::sort(evidence_seqs.begin(), evidence_seqs.end());
  evidence_seqs.erase(std::unique(evidence_seqs.begin(), evidence_seqs.end()), evidence_seqs.end());
  return MonthFlag{.code = code,
                   .severity = severity,
                   .entity = std::move(entity),
                   .amount_at_stake_pence = std::move(at_stake),
                   .evidence_seqs = std::move(evidence_seqs),
                   .words = HeldFlagWords(),
                   .facts = std::move(facts)};
}

}  // namespace flags_internal
}  // namespace rf
