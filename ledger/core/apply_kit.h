#ifndef RINGFENCE_LEDGER_CORE_APPLY_KIT_H_
#define RINGFENCE_LEDGER_CORE_APPLY_KIT_H_

// Internal to ApplyEntry (apply.h): typed reads of an entry body, the
// per-entry context, and the helpers the per-kind appliers share. Not a
// public API: include only from ledger/apply*.cc.

#include <algorithm>
#include <cassert>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/apply.h"
#include "ledger/core/apply_postings.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/records.h"

namespace rf::apply_internal {

constexpr size_t kBodyTextBytesMax = 1024;

// Typed reads of body members; errors name body.<member>. The body is the
// draft's canonical text, scanned once by ApplyEntry (Ctx::members); members
// are read from it without a DOM, a list through a DOM of that list alone.
class Body {
 public:
  // `text` is the scanned body and `members` its members; both outlive this.
  Body(const std::string* text, const std::vector<ScannedMember>* members) : text_(text), members_(members) {}

  Status OnlyMembers(std::initializer_list<std::string_view> allowed) const;
  bool Has(std::string_view name) const { return !Raw(name).empty(); }
  // The member's raw canonical value; empty when absent.
  std::string_view Raw(std::string_view name) const;
  Result<std::string> Text(std::string_view name, bool required = true) const;
  // Text's checks without the copy.
  Status CheckText(std::string_view name, bool required = true) const;
  Result<std::string> Id(std::string_view name) const;
  Result<Pence> Amount(std::string_view name) const;
  Result<Date> Day(std::string_view name) const;
  // false when absent.
  Result<bool> Flag(std::string_view name) const;
  // A required count (a JSON whole number, 0 or more).
  Result<uint64_t> Count(std::string_view name) const;
  // A member's value as a DOM (for lists); nullopt when absent.
  std::optional<nlohmann::json> Value(std::string_view name) const;
  // The "postings" member (ParsePostingsText).
  Result<std::vector<Posting>> Postings() const;
  // The whole body as a DOM (a record made from it).
  nlohmann::json Dom() const;
  // Appends member `name`'s value in canonical form.
  // REQUIRES: Text(name) succeeded.
  Status AppendCanonicalText(std::string_view name, std::string* out) const;

 private:
  // The member's text: a view into the body, or into *scratch when the
  // canonical text has escapes to decode.
  Result<std::string_view> TextView(std::string_view name, bool required, std::string* scratch) const;
  // A required text member read with T::Parse (Pence, Date); the message of
  // a value that does not parse names the member.
  template <typename T>
  Result<T> ParseText(std::string_view name) const {
    std::string scratch;
    auto text = TextView(name, true, &scratch);
    if (!text.ok()) return text.status();
    auto value = T::Parse(*text, {});
    if (!value.ok()) return T::Parse(*text, "body." + std::string(name));  // built only on failure
    return value;
  }

  const std::string* text_;
  const std::vector<ScannedMember>* members_;
};

struct Ctx {
  uint64_t seq;
  EntryDraft* draft;
  Views& views;
  const PriorEntries& prior;
  ApplyMode mode;
  // The members of draft->body_json, scanned canonical by ApplyEntry (and
  // again when ExpectedPostings adds the postings).
  std::vector<ScannedMember>& members;
  Body body() const { return Body(&draft->body_json, &members); }
  Date effective() const { return draft->effective; }
};

// The body as a record: without its postings, with the entry's seq.
nlohmann::json WithoutPostings(const Body& body, uint64_t seq);
Status RequireNew(Views& views, RecordKind kind, const std::string& id, const char* what);
Result<const nlohmann::json*> RequireRecord(Views& views, RecordKind kind, const std::string& id, const char* what);
// Fills in the postings a kind requires when the body leaves them out, then
// checks the body's postings are exactly those and applies them.
Status ExpectedPostings(Ctx& c, const std::vector<Posting>& expected, const Authority& authority = {});
// A returned or cancelled payment's money back where it came from, and its
// invoice approved again (apply_returns.cc). Returns the entry's postings.
Result<std::vector<Posting>> PutPaymentMoneyBack(Ctx& c, const PaymentRecord& payment);
Status AddProviderTotal(Views& views, const std::string& provider, ProviderTotal which, const Pence& amount,
                        bool count);

// A stored record decoded, with a copy of its JSON for the change to make.
template <typename R>
struct Found {
  R record;
  nlohmann::json json;
};
// The record `id` of R's family. Errors: Refused "<what> <id> is not known"
// when there is none; Tampered naming key and member when it is damaged.
template <typename R>
Result<Found<R>> RequireTyped(Views& views, const std::string& id, const char* what) {
  RF_ASSIGN(json, RequireRecord(views, RecordFamily<R>::value, id, what));
  RF_ASSIGN(record, DecodeRecord<R>(RecordKey(RecordFamily<R>::value, id), *json));
  return Found<R>{std::move(record), *json};
}

// A stored record decoded, with its canonical text for the change to make
// by text (WithCanonicalMembers): no DOM is built or serialised.
template <typename R>
struct FoundText {
  R record;
  std::string text;
};
// The stored text of record `id` of `kind`. Errors as RequireRecord's.
Result<std::string_view> RequireRecordText(Views& views, RecordKind kind, const std::string& id, const char* what);
// RequireTyped without a DOM.
template <typename R>
Result<FoundText<R>> RequireTypedText(Views& views, const std::string& id, const char* what) {
  RF_ASSIGN(text, RequireRecordText(views, RecordFamily<R>::value, id, what));
  std::string copy(text);  // the view is valid only until the next read
  RF_ASSIGN(record, DecodeRecordText<R>(RecordKey(RecordFamily<R>::value, id), copy));
  return FoundText<R>{std::move(record), std::move(copy)};
}

// One per kind (apply_records.cc, apply_payments.cc, apply.cc).
Status ApplyInit(Ctx& c);
Status ApplyPot(Ctx& c);
Status ApplyReference(Ctx& c, RecordKind kind, const char* id_member, std::initializer_list<std::string_view> members,
                      const char* what);
Status ApplyBudget(Ctx& c);
Status ApplyReview(Ctx& c);
Status ApplyBankLine(Ctx& c);
Status ApplyInvoiceReceived(Ctx& c);
Status ApplyInvoiceApproved(Ctx& c);
Status ApplyPaymentPending(Ctx& c);
Status ApplyPaymentSettled(Ctx& c);
Status ApplyPaymentUnsettled(Ctx& c);
Status ApplyPaymentReturned(Ctx& c);  // apply_returns.cc
Status ApplyFlagsRaised(Ctx& c);  // apply_flags.cc
Status ApplyFlagExplained(Ctx& c);
Status ApplyFlagResolved(Ctx& c);
// apply_amendments.cc (issue 20 items 7, 8).
Status ApplyAmendmentRequested(Ctx& c);
Status ApplyAmendmentConfirmed(Ctx& c);
Status ApplyProviderApproval(Ctx& c);
Status ApplyInvoiceRejected(Ctx& c);
Status ApplyPaymentCancelled(Ctx& c);
// A payment.pending to `target_id` (a provider, or an instalment's budget):
// refused when `payee_ref` is details requested for the target and not
// confirmed (PAYEE_NOT_CURRENT); the first payment to a confirmed amendment's new
// details is recorded on the amendment (PAYEE_DETAILS_CHANGED).
Status NotePaymentToAmendedPayee(Ctx& c, RecordKind target_kind, const std::string& target_id,
                                 const std::string& payee_ref, const std::string& payment_id);
// apply_returns.cc: a cancelled or returned payment that was its budget's
// first gives way to the budget's earliest live other payment, or none.
Status ForgetFirstPayment(Ctx& c, const PaymentRecord& gone);
// apply_indexes.cc: the month indexes (records.h), kept where bank lines
// and payments change state. Each is written beside the record change it
// follows, in the same entry.
void IndexBankLine(Views& views, Date booked_on, const std::string& line_id);  // bank.line
void IndexPaymentPending(Views& views, const std::string& payment_id, Date run_date);  // payment.pending
// pending -> settled (payment.settled, alone or with its run).
void IndexPaymentSettled(Views& views, const std::string& payment_id, Date settled_on, const std::string& line_id);
// settled -> pending (payment.unsettled: `reconcile unmatch`).
void IndexPaymentUnsettled(Views& views, const PaymentRecord& settled);
// settled -> returned (payment.returned).
void IndexPaymentReturned(Views& views, const PaymentRecord& settled);
// pending -> cancelled (payment.cancelled).
void IndexPaymentCancelled(Views& views, const std::string& payment_id);
// apply_indexes.cc: the provider payments index (records.h), kept where an
// invoice payment is made (payment.pending) and where it stops counting as
// paid (payment.returned, payment.cancelled).
void IndexProviderPayment(Views& views, const std::string& payment_id, const std::string& provider_id,
                          const Pence& amount, Date run_date, Date invoice_received_on);
// REQUIRES: `payment` as stored before the return or cancellation (pending or
// settled). Nothing for an instalment.
void IndexProviderPaymentGone(Views& views, const PaymentRecord& payment);
// The flag indexes (records.h, "Flag indexes"), kept beside the record
// changes they follow, in the same entry.
// invoice.received.
Status IndexInvoiceReceived(Views& views, const InvoiceRecord& invoice);
// invoice.rejected.
void IndexInvoiceRejected(Views& views, const InvoiceRecord& invoice);
// payment.pending: of `invoice_id` (then it is the invoice's Payer, and
// `amount` moves to the run's month), or an instalment of `budget_id` due
// on `due_on` (nullopt: none named).
Status IndexPaymentRun(Views& views, const std::string& payment_id, Date run_date, const std::string& invoice_id,
                       const std::string& budget_id, const Pence& amount, std::optional<Date> due_on);
// An invoice payment cancelled or returned (PutPaymentMoneyBack): its
// invoice is open again and its Payer the earliest failed payment.
Status IndexInvoicePaymentFailed(Views& views, const PaymentRecord& payment, const InvoiceRecord& invoice);
// payment.returned, dated `returned_on`.
void IndexPaymentReturnedOn(Views& views, const PaymentRecord& payment, Date returned_on, const std::string& line_id);
// payment.cancelled: an instalment no longer pays its due date.
Status IndexInstalmentCancelled(Views& views, const PaymentRecord& payment);

}  // namespace rf::apply_internal

#endif  // RINGFENCE_LEDGER_CORE_APPLY_KIT_H_
