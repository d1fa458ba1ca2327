#ifndef RINGFENCE_LEDGER_CORE_RULES_H_
#define RINGFENCE_LEDGER_CORE_RULES_H_

// The ring-fence rules, checked for one entry's postings before it is
// written (PRODUCT.md "Ring-fence rules"). Pure: balances and reference data
// come through RuleContext, so the same check runs on live views and in
// property tests.
//
//   0. Postings sum to zero exactly; no zero amounts; at least two.
//   1. pot, budget, payable and dp accounts never go below zero, on any
//      date, unless the entry carries an override with reason and actor;
//      such an overdraft is returned as a finding (reconciliation flags
//      OVERSPEND). "On any date": an entry effective on day d that takes
//      money from such an account is checked against the lowest end-of-day
//      balance the account has on d or any later day it moved
//      (RuleContext::LowestBalanceFrom), so a back-dated debit cannot
//      overdraw a day between d and today. How that stays cheap: each
//      ring-fenced account's balance view also holds its net movement per
//      day (StoredBalance, views.h), so the key the entry updates anyway
//      has them; the lowest balance is the balance now less the movements
//      dated after each day, walked back from the latest day to d (nothing
//      to walk for an entry dated on or after the account's last movement).
//   2. Money leaves ring-fenced accounts only to paid:*, spent:*, or its own
//      pot's funding:* with a reason. Anything to external:* needs a reason
//      and an actor and is returned as a diversion finding.
//   3. Every pot-scoped account an entry touches belongs to one pot.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "ledger/core/account.h"
#include "ledger/core/date.h"
#include "ledger/core/money.h"

namespace rf {

// At most this many postings in one entry (an entry is a human-sized event).
inline constexpr size_t kPostingsPerEntryMax = 64;

struct Posting {
  Account account;
  Pence amount;  // positive: the account receives money
};

// A reason is words a person can read: at least kReasonLettersMin letters
// (ASCII letters, or any non-ASCII character), not spaces or punctuation.
inline constexpr size_t kReasonLettersMin = 3;
bool IsReason(std::string_view text);

// Why an entry may break a rule, and who said so.
struct Authority {
  std::string reason;
  std::string actor;
  bool override_negative = false;  // explicitly allow rule 1 to be broken
  bool complete() const { return IsReason(reason) && !actor.empty(); }
};

class RuleContext {
 public:
  virtual ~RuleContext() = default;
  virtual Pence Balance(const Account& account) const = 0;
  // The lowest end-of-day balance `account` has on the entry's effective
  // date or any later day it moved, before this entry, and the first day it
  // has it (nullopt: a context without dates, where that is the balance).
  struct Lowest {
    Pence balance;
    std::optional<Date> on;
  };
  virtual Lowest LowestBalanceFrom(const Account& account) const { return {Balance(account), std::nullopt}; }
  // The pot a budget belongs to; nullopt if the budget is unknown.
  virtual std::optional<std::string> PotOfBudget(const std::string& budget) const = 0;
  // The funding org of a pot; nullopt if the pot is unknown.
  virtual std::optional<std::string> FunderOfPot(const std::string& pot) const = 0;
};

struct Overdraft {
  Account account;
  Pence balance_after;  // negative
};

struct RuleFindings {
  std::vector<Overdraft> overdrafts;  // allowed by an override: flag OVERSPEND
  bool diversion = false;             // ring-fenced money to external:*: flag DIVERSION_TRANSFER
};

// Stable refusal codes: every refusal an entry can get in ApplyEntry carries
// one (Status::refusal_code()), beside its sentence. One code per distinct
// reason; each is decided in one place, named after the code. A program
// (or a test) tests the code, never the sentence.
namespace refusal {
// The envelope (apply.cc).
inline constexpr char kClosedMonth[] = "CLOSED_MONTH";  // dated in a closed month
inline constexpr char kFutureDated[] = "FUTURE_DATED";  // beyond dates.future_days_max
// References (NotKnown below; RequireNew in apply_kit.cc).
inline constexpr char kUnknownPot[] = "UNKNOWN_POT";
inline constexpr char kUnknownBudget[] = "UNKNOWN_BUDGET";
inline constexpr char kUnknownPerson[] = "UNKNOWN_PERSON";
inline constexpr char kUnknownProvider[] = "UNKNOWN_PROVIDER";
inline constexpr char kUnknownInvoice[] = "UNKNOWN_INVOICE";
inline constexpr char kUnknownPayment[] = "UNKNOWN_PAYMENT";
inline constexpr char kAlreadyExists[] = "ALREADY_EXISTS";                 // a record with that id exists
inline constexpr char kExternalIdSeen[] = "EXTERNAL_ID_SEEN";              // a posting's external_id was loaded
inline constexpr char kBeforeBudgetApproved[] = "BEFORE_BUDGET_APPROVED";  // money moves before approval
inline constexpr char kBeforePotFunded[] = "BEFORE_POT_FUNDED";            // money moves before the pot exists
inline constexpr char kReviewBeforeApproval[] = "REVIEW_BEFORE_APPROVAL";  // a review dated before approval
// The ring-fence rules (CheckRingFence, rules.cc) and the one-budget rule.
inline constexpr char kUnbalanced[] = "UNBALANCED";                       // postings do not sum to zero
inline constexpr char kWouldGoNegative[] = "WOULD_GO_NEGATIVE";           // rule 1 without an override
inline constexpr char kCrossPot[] = "CROSS_POT";                          // rule 3
inline constexpr char kExternalNeedsReason[] = "EXTERNAL_NEEDS_REASON";   // rule 2: to external:* without why/who
inline constexpr char kReturnToOtherFunder[] = "RETURN_TO_OTHER_FUNDER";  // rule 2: funding:* not the pot's own
inline constexpr char kReturnNeedsReason[] = "RETURN_NEEDS_REASON";       // rule 2: a return without words
inline constexpr char kOneBudget[] = "ONE_BUDGET";                        // a payment out draws on two budgets
inline constexpr char kPaidOnlyByPayment[] = "PAID_ONLY_BY_PAYMENT";      // money into paid:* by a posting
inline constexpr char kUnapprovedProvider[] = "UNAPPROVED_PROVIDER";      // paid while not approved (as approval says)
inline constexpr char kNoteHasPostings[] = "NOTE_HAS_POSTINGS";           // a note carries money
// States of records (apply.cc, apply_payments.cc).
inline constexpr char kMonthNotEnded[] = "MONTH_NOT_ENDED";  // closing a month before its end
inline constexpr char kMonthAlreadyClosed[] = "MONTH_ALREADY_CLOSED";
inline constexpr char kNotReversible[] = "NOT_REVERSIBLE";  // only postings and reversals are
inline constexpr char kReversalBeforeOriginal[] = "REVERSAL_BEFORE_ORIGINAL";
inline constexpr char kAlreadyReversed[] = "ALREADY_REVERSED";
inline constexpr char kInvoiceNotAwaiting[] = "INVOICE_NOT_AWAITING";  // approving one approved or paid
inline constexpr char kApprovedBeforeReceived[] = "APPROVED_BEFORE_RECEIVED";
inline constexpr char kInvoiceNotApproved[] = "INVOICE_NOT_APPROVED";  // paying one not approved
inline constexpr char kNotionalInstalment[] = "NOTIONAL_INSTALMENT";   // instalments of a notional budget
inline constexpr char kSettledBeforeRun[] = "SETTLED_BEFORE_RUN";      // settled before the run's date
// Settlement (apply_payments.cc).
inline constexpr char kBankLineUnknown[] = "BANK_LINE_UNKNOWN";        // the line is on no loaded statement
inline constexpr char kBankLineUsed[] = "BANK_LINE_USED";              // the line already settles something
inline constexpr char kBankLineDate[] = "BANK_LINE_DATE";              // booked on another day
inline constexpr char kAlreadySettled[] = "ALREADY_SETTLED";           // the payment (or run) settled before
inline constexpr char kSettlementAmount[] = "SETTLEMENT_AMOUNT";       // amounts differ by a penny or more
inline constexpr char kRunUnknown[] = "RUN_UNKNOWN";                   // no payment names that run
inline constexpr char kRunPartlySettled[] = "RUN_PARTLY_SETTLED";      // some of its payments settled alone
// Undoing a settlement (apply_payments.cc).
inline constexpr char kBankLineNotMatched[] = "BANK_LINE_NOT_MATCHED";  // the line settles nothing
inline constexpr char kPaymentWasReturned[] = "PAYMENT_WAS_RETURNED";  // unmatching a returned payment or its return
// Returns (apply_returns.cc).
inline constexpr char kReturnNotSettled[] = "RETURN_NOT_SETTLED";  // returning a payment not settled
inline constexpr char kAlreadyReturned[] = "ALREADY_RETURNED";      // returning a payment twice
inline constexpr char kReturnAmount[] = "RETURN_AMOUNT";  // the line is not an inflow of the payment's amount
inline constexpr char kReturnBeforeSettlement[] = "RETURN_BEFORE_SETTLEMENT";  // booked before it settled
// The flag lifecycle (flag.explained, flag.resolved; ledger/core/flag_life.h)
inline constexpr char kFlagUnknown[] = "FLAG_UNKNOWN";                   // no flag of that id was raised
inline constexpr char kFlagAlreadyResolved[] = "FLAG_ALREADY_RESOLVED";  // resolving or explaining a resolved flag
inline constexpr char kFlagNeedsWords[] = "FLAG_NEEDS_WORDS";            // a note or reason without words
// Amendments and cancellations (ledger/core/apply_amendments.cc, issue 20 items 7, 8).
inline constexpr char kAmendUnknown[] = "AMEND_UNKNOWN";                     // no amendment of that id
inline constexpr char kAmendSamePerson[] = "AMEND_SAME_PERSON";              // confirmed by who requested it
inline constexpr char kAmendAlreadyConfirmed[] = "AMEND_ALREADY_CONFIRMED";  // confirmed twice
inline constexpr char kAmendStale[] = "AMEND_STALE";  // the details changed since the request
inline constexpr char kPayeeNotCurrent[] = "PAYEE_NOT_CURRENT";  // a payment to details requested, not confirmed
inline constexpr char kInvoiceNotRejectable[] = "INVOICE_NOT_REJECTABLE";  // paid, or already rejected
inline constexpr char kPaymentNotCancellable[] = "PAYMENT_NOT_CANCELLABLE";  // settled, returned or cancelled
}  // namespace refusal

// REQUIRES: code is one of refusal::k*.
inline Status RefusedWithCode(std::string_view code, std::string sentence) {
  return Status::RefusedWithCode(code, std::move(sentence));
}

// The one refusal of a reference to a record that does not exist: "budget
// B-9 is not known" (UNKNOWN_BUDGET), for every check that looks one up.
// REQUIRES: what is "pot", "budget", "person", "provider", "invoice" or
// "payment".
Status NotKnown(std::string_view what, std::string_view id);

// Money reaches paid:<provider> only through a payment (payment.pending of
// an approved invoice of a known, approved provider, drawn on one budget):
// refuses postings of a hand-written entry (posting) that pay into paid:*.
// Errors: Refused (PAID_ONLY_BY_PAYMENT) naming the account.
Status CheckNoPaidPosting(const std::vector<Posting>& postings);

// Money reaches a provider only when the provider is approved to be paid.
// Errors: Refused (UNAPPROVED_PROVIDER) naming the provider.
Status CheckProviderApproved(std::string_view provider, bool approved);

// A review of a budget is dated on or after the day
// the budget was approved. Errors: Refused (REVIEW_BEFORE_APPROVAL).
Status CheckReviewAfterApproval(std::string_view budget, Date approved_on, Date reviewed_on);

// An entry that names a budget without moving its money (invoice.received)
// is dated on or after the day the budget was approved: replayed as of its
// own date (`report --as-of`, month-end views), an earlier one would name a
// budget that did not exist yet, and the replay fails. (Postings are held
// to the same date in apply_postings.cc; a review by
// CheckReviewAfterApproval.) Errors: Refused (BEFORE_BUDGET_APPROVED)
// naming `what`, the budget and both dates.
Status CheckNotBeforeBudgetApproval(std::string_view what, std::string_view budget, Date approved_on, Date effective);

// Errors: Refused with a sentence naming the account and, for rule 1, the
// shortfall in pounds and pence, coded UNBALANCED, WOULD_GO_NEGATIVE,
// CROSS_POT, EXTERNAL_NEEDS_REASON, RETURN_TO_OTHER_FUNDER,
// RETURN_NEEDS_REASON, UNKNOWN_POT or UNKNOWN_BUDGET; InvalidInput for
// malformed postings.
Result<RuleFindings> CheckRingFence(const std::vector<Posting>& postings, const RuleContext& context,
                                    const Authority& authority);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_RULES_H_
