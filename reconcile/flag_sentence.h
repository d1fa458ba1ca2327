#ifndef RINGFENCE_RECONCILE_FLAG_SENTENCE_H_
#define RINGFENCE_RECONCILE_FLAG_SENTENCE_H_

// A threshold flag's sentence, made when it is read (issue 17 item 3). A
// national month raises ~500,000 flags and a text report prints a few of
// each code, so the evaluator (flags.h) keeps, per flag, the facts its
// sentence names (ids, amounts, dates, counts: FlagFacts) and FlagSentence
// writes the words only for the flags printed, listed or shown. The words
// are flags.h's (what is wrong, what to do next); every form of every code
// is pinned by tests/flag_sentence_test.cc.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/core/date.h"
#include "ledger/core/money.h"

namespace rf {

// Which sentence: a code's forms (paid or not yet paid, reviewed or never
// reviewed, an invoice or a payment). What each form keeps is listed with
// FlagFacts: texts in the order named, then amounts, dates, numbers.
enum class FlagForm : uint8_t {
  kInvoiceUnpaid,       // DELAY_INVOICE: invoice id, from; amount; received_on, month_end; days, limit
  kInvoicePaid,         // DELAY_INVOICE: invoice id, from, run id; amount; received_on, run_date; days, limit
  kFirstPaymentUnpaid,  // DELAY_FIRST_PAYMENT: budget id; amount; approved_on, month_end; days, limit
  kFirstPaymentPaid,    // DELAY_FIRST_PAYMENT: budget id; amount; approved_on, first paid; days, limit
  kInstalmentPaidLate,  // DELAY_DP_MISSED: budget id, run id, payment id; amount; due_on, run_date; days, limit
  kInstalmentUnpaid,    // DELAY_DP_MISSED: budget id; amount; due_on, month_end; days, limit
  kUnsettledPayment,    // payment id, run id, budget id; amount; run_date, month_end; business days
  kUnderspend,          // budget id; spent, pro rata, amount; active end; active days, share %, period days
  kDpSurplus,           // budget id; balance, allowance, weekly, contingency; month_end; weeks
  kReviewNeverDone,     // REVIEW_OVERDUE: budget id; first paid, due, month_end; first months
  kReviewDoneBefore,    // REVIEW_OVERDUE: budget id; last review, due, month_end; interval months
  kUnapprovedInvoice,   // invoice id, budget id, provider id; amount
  kUnapprovedPayment,   // payment id, run id, invoice id, provider id; amount; run_date
  kPotUnallocated,      // pot id, name, financial year; unallocated, amount; month_end;
                        //   days gone, year days, share %, year %
  kProhibitedSpend,     // budget id, category, account; amount; month_end
  kDuplicateInvoice,    // invoice id, provider id, budget id, first's id; amount;
                        //   service from, to, received_on, first's received_on
};

// One amount a sentence names, held as int64 pence (8 bytes, not Pence's
// 32: a national month keeps ~500,000 flags' facts). Bound: |pence| <=
// kFlagPenceMax (INT64_MAX, ~92 quadrillion pounds; a parsed amount is at
// most kParsedPenceMagnitudeMax). Made from any Pence (implicitly, so that
// facts are written as `.pence = {spent, pro_rata}`): a value beyond the
// bound is held as unfit (fits() false, no value), and the evaluator
// refuses a flag whose facts hold one (flags.h: InvalidInput), so
// FlagSentence never reads one.
inline constexpr int64_t kFlagPenceMax = INT64_MAX;
class FlagPence {
 public:
  FlagPence() = default;
  FlagPence(const Pence& amount);  // NOLINT(google-explicit-constructor): see above
  // False when made from a Pence beyond kFlagPenceMax.
  bool fits() const { return pence_ != kUnfit; }
  // REQUIRES: fits().
  Pence ToPence() const;
  // "£1,234.50", as Pence::ToPounds. REQUIRES: fits().
  std::string ToPounds() const { return ToPence().ToPounds(); }

 private:
  // -2^63 is beyond the bound (|pence| <= 2^63 - 1), so free to mean unfit.
  static constexpr int64_t kUnfit = INT64_MIN;
  int64_t pence_ = 0;
};

// One count a sentence names (days, a limit, business days, weeks, months,
// a percent), held as int32 (4 bytes, not 8). Bound: |count| <=
// kFlagCountMax (INT32_MAX). Every count the evaluator names is within it:
// a day count between two Dates (date.h: always an int32, at most ~3.7
// million in the years 0000..9999) plus one, or a threshold within its
// bound (flags.h: kFlagDaysMax, kFlagReviewMonthsMax, 100 percent,
// kBusinessDaysWindowMax), so the evaluator asserts it (CountsFit). Made
// from any int64 (implicitly, so that facts are written as `.numbers =
// {days, limit}`): a value beyond the bound is held as unfit (fits() false).
inline constexpr int64_t kFlagCountMax = INT32_MAX;
class FlagCount {
 public:
  FlagCount() = default;
  FlagCount(int64_t count)  // NOLINT(google-explicit-constructor): see above
      : count_(count > kFlagCountMax || count < -kFlagCountMax ? kUnfit : static_cast<int32_t>(count)) {}
  // False when made from a count beyond kFlagCountMax.
  bool fits() const { return count_ != kUnfit; }
  // REQUIRES: fits().
  int64_t value() const;

 private:
  // -2^31 is beyond the bound (|count| <= 2^31 - 1), so free to mean unfit.
  static constexpr int32_t kUnfit = INT32_MIN;
  int32_t count_ = 0;
};
static_assert(sizeof(FlagCount) == 4);

// What one flag's sentence names. Texts are packed into one string (an id
// or two fit its inline buffer: no allocation for most flags).
struct FlagFacts {
  FlagForm form = FlagForm::kInvoiceUnpaid;
  // kInvoice*: a micro or small VCSE provider's limit; kUnapproved*: the
  // provider is on the list but not approved (else not on it at all).
  bool detail = false;
  std::array<FlagPence, 4> pence{};
  std::array<Date, 4> dates{};
  std::array<FlagCount, 4> numbers{};

  // True for facts holding no text: no sentence (every form names an id
  // first), a flag whose words are written (MonthFlag).
  bool none() const { return packed_texts.empty(); }
  // True when every amount fits (FlagPence::fits).
  bool PenceFit() const;
  // True when every count fits (FlagCount::fits).
  bool CountsFit() const;

  // Appends the next text. REQUIRES: text.size() < 2^32.
  FlagFacts& Text(std::string_view text);
  // The i-th text appended. REQUIRES: i < the number appended.
  std::string_view TextAt(size_t i) const;

  // Written and read only by Text and TextAt (public so that the facts are
  // an aggregate, made with designated initializers): each text as 4 bytes
  // of length (little-endian), then its bytes.
  std::string packed_texts = std::string();
};
// ~500,000 a national month. On a 64-bit build, 104 bytes (120 with int64
// counts): 8 of form and detail (padded), 32 of amounts, 16 of dates, 16 of
// counts, 32 of texts (the string with its inline buffer).
static_assert(sizeof(FlagPence) == 8 && sizeof(Date) == 4);
static_assert(sizeof(void*) != 8 || sizeof(FlagFacts) == 104);

// The sentence `facts` describe, exactly as flags.h's evaluator words it.
std::string FlagSentence(const FlagFacts& facts);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_FLAG_SENTENCE_H_
