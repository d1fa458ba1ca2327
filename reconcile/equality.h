#ifndef RINGFENCE_RECONCILE_EQUALITY_H_
#define RINGFENCE_RECONCILE_EQUALITY_H_

// Equality and provider diversity (PRODUCT.md "Equality and provider
// diversity"): who is reached and which providers are paid, as tables with
// statistical disclosure control (reconcile/disclosure.h) over every count
// and derived figure. Reading only.
//
// The period: the financial year (1 April) containing `as_of`, up to `as_of`.
//  - a person counts when they hold a budget approved on or before as_of
//    that had not ended (end_date, or a review that ended it) before the
//    year began; their budgets are those budgets.
//  - on direct payments: any of those budgets is held as a direct payment.
//  - allocation: the sum of those budgets' amounts.
//  - days to first payment: from approval to first payment of the
//    earliest-approved of those budgets (ties: lowest budget id), when paid
//    on or before as_of; people not yet paid are not in the median.
//  - flagged: an unresolved (open or explained) UNDERSPEND_BUDGET,
//    DELAY_FIRST_PAYMENT, DELAY_INVOICE or DELAY_DP_MISSED flag first raised
//    for a month on or before as_of's, on any budget of theirs.
//  - providers: invoice payments with a run date in the period, not
//    returned by the bank; a provider counts in its size and community-led
//    group when it was paid; days to pay: invoice received_on to run date.
//
// Figures: percents to one decimal, rounded half up from the integers;
// medians exact (an even count: the mean of the middle two, pence rounded
// half up to the penny, days shown to .5).
// Disclosure: counts of people (and of providers) 1..threshold-1 show
// "<threshold"; further figures are hidden ("[c]") so none can be derived;
// shares, medians and spend of a hidden group are hidden too, and a median
// over fewer than `threshold` values is hidden.

#include <array>
#include <cstdint>
#include <string>
#include <optional>
#include <string_view>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/storage/ledger.h"
#include "reconcile/table.h"

namespace rf {

// The config setting that holds the threshold (default 5).
inline constexpr char kEqualitySuppressSetting[] = "equality.suppress_below";

enum class EqualityBy { kNone, kAgeBand, kSex, kLocality };

// "age-band", "sex", "locality" ("" and "none": kNone); InvalidInput otherwise.
Result<EqualityBy> ParseEqualityBy(std::string_view text);

struct EqualityOptions {
  EqualityBy by = EqualityBy::kNone;
  std::optional<uint64_t> threshold;  // nullopt: the setting as of as_of, else 5
};

// The six groups, in display order.
inline constexpr std::array<std::string_view, 6> kEthnicGroups = {
    "White", "Mixed", "Asian or Asian British", "Black or Black British", "Other", "Not stated/known"};

// NHS Data Dictionary ethnic category code -> its group: A,B,C White;
// D,E,F,G Mixed; H,J,K,L Asian or Asian British; M,N,P Black or Black
// British; R,S Other; Z, 99 and anything else Not stated/known. One letter,
// either case.
std::string_view EthnicGroupOf(std::string_view code);

// The report's tables: by ethnic group; with `by`, by that alone and by
// group x that; by provider size; by community-led status.
// Errors: Tampered if a view cannot be read back; InvalidInput when the
// breakdown is too large for disclosure control (disclosure.h bounds).
Result<std::vector<Table>> BuildEqualityTables(const ViewSource& views, Date as_of, const EqualityOptions& options);

// Exact helpers, public for tests. Percent of num/den to one decimal,
// half up ("12.5"); "" when den is 0. REQUIRES: num <= den.
std::string PercentOneDecimal(uint64_t num, uint64_t den);
// Median of pence as a decimal ("12.35"); "" when empty.
std::string MedianPenceText(std::vector<int64_t> pence);
// Median of days ("12" or "12.5"); "" when empty.
std::string MedianDaysText(std::vector<int64_t> days);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_EQUALITY_H_
