#ifndef RINGFENCE_LEDGER_PAYMENTS_PAYMENT_RUN_H_
#define RINGFENCE_LEDGER_PAYMENTS_PAYMENT_RUN_H_

// A payment run (`ringfence pay`): what is due on the run date becomes
// payment.pending entries, committed in one transaction, and the run's
// pain.001.001.03 file is rebuilt from what was committed.
//
// What is due on run date D:
//   instalments  for every direct-payment or third-party budget approved on
//                or before D, each instalment of its schedule (schedule.h)
//                due on or before D that has no payment yet, oldest first.
//                Missed instalments are caught up. A budget ended by a
//                review (outcome `end`) pays nothing due after the review.
//                Zero-penny instalments are never paid.
//   invoices     every invoice in state `approved`, approved on or before D.
// Skipped, each with a warning (code, subject, sentence), never paid:
//   UNAPPROVED_PROVIDER  the invoice's provider is not approved
//   BAD_PAYEE_REF        the provider's or budget's payee_ref is not a valid
//                        IBAN (the bank would refuse the whole file)
//   INSUFFICIENT_FUNDS   the budget's balance does not cover the instalment
//                        (later instalments of that budget wait too)
//   BAD_SCHEDULE         the budget's terms give no schedule
//   MANUAL_INSTALMENT    the budget has an instalment payment that `pay`
//                        did not make (posted by hand, another id scheme):
//                        what it covered is unknown, so `pay` pays none of
//                        the budget's instalments rather than risk paying
//                        one twice
//   RUN_FULL             more than kRunPaymentsMax due: the rest wait for
//                        the next run
//
// Ids, all deterministic, so no instalment or invoice is ever paid twice
// (payment.pending refuses an existing payment id, and an invoice not in
// state approved):
//   instalment payment   DP-<budget>-<nnnn> (instalment number, 4 digits)
//   invoice payment      PAY-<invoice>
//   run                  RUN-<YYYY-MM-DD>-<n>, n = 1 + the highest n already
//                        used on that date
// A payment id is also the transfer's EndToEndId, so reconciliation matches
// bank lines to payments by it; where the readable form is not a bank id
// (over 35 characters, or holding '_'), it is DP-H<16 hex>-<nnnn> or
// PAY-H<16 hex>, the hex from SHA-256 of the budget or invoice id.
// The run id is the file's MsgId and PmtInfId (the batch id a statement
// echoes).
//
// The file: creditor = provider name and payee_ref for invoices; for
// instalments "PHB budget <id>" (never a personal name) and the budget's
// payee_ref. Remittance: "Invoice <id>", or "PHB budget <id> instalment <n>
// due <date>". Debtor = config bank.debtor_iban and bank.debtor_name
// (default: the organisation's name); execution date = the run date.
//
// Crash consistency: the run is journalled first, as a `note` entry holding
// the run's header (debtor, ids, count, total) followed directly by its
// payment.pending entries, all in one transaction. The XML is then rebuilt
// from the journal by CommittedRun, so writing the file again later
// (`pay --reissue RUN-ID`) gives the same bytes: same ids, transfers and
// creation time (the note's recorded time). If the process dies after the
// commit and before the file is written, nothing is lost and nothing can be
// paid twice: a rerun of `pay` finds nothing new due and names the runs
// already made that day, and --reissue writes their file.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ledger/bank/iban.h"
#include "ledger/bank/pain001.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"

namespace rf {

// One run is one pain.001 file.
inline constexpr size_t kRunPaymentsMax = kPainTransfersMax;
// Runs on one date (RUN-<date>-1..).
inline constexpr uint32_t kRunsPerDayMax = 999;

struct PayWarning {
  std::string code;     // e.g. UNAPPROVED_PROVIDER
  std::string subject;  // the invoice or budget id
  std::string message;  // a sentence naming it
};

// One payment of a run, as planned or as read back from the views.
struct RunPayment {
  std::string payment_id;
  PaymentPurpose purpose = PaymentPurpose::kInvoice;
  std::string invoice_id, budget_id, provider_id, payee_ref;
  std::string creditor_name;  // before bank-text rules; see the header
  Pence amount;
  std::optional<Date> due_on;  // instalments
};

struct PaymentRunPlan {
  std::string run_id;  // empty when nothing is due
  Date run_date;
  std::vector<RunPayment> payments;
  std::vector<PayWarning> warnings;
  std::vector<std::string> earlier_runs;  // run ids already made on run_date
  std::vector<EntryDraft> drafts;         // the header note, then one payment.pending each
  Pence total;
};

// Reads the live views and config. Pure planning: writes nothing.
// Errors: InvalidInput if bank.debtor_iban is not set; Tampered if a view
// cannot be read back; Io.
Result<PaymentRunPlan> PlanPaymentRun(const Ledger& ledger, Date run_date, const DraftOrigin& origin);

// The pain.001 content of a committed run, from the journal and views.
// Errors: NotFound if no payment has that run id; Tampered if the run's
// header note is missing, damaged or disagrees with its payments, or a
// record the run names is missing or damaged; InvalidInput when
// a payment of the run was cancelled since (the file would pay it).
Result<PaymentRun> CommittedRun(const Ledger& ledger, const std::string& run_id);

struct PaymentRunOutcome {
  PaymentRunPlan plan;
  bool committed = false;  // false when nothing was due, or a dry run
  std::string xml;         // the pain.001 document when committed
};

// Plans, checks the file can be written (a bad name or IBAN refuses the
// run before anything is journalled), commits in one transaction, and
// returns the XML of the committed run.
Result<PaymentRunOutcome> MakePaymentRun(Ledger& ledger, Date run_date, const DraftOrigin& origin, bool dry_run);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_PAYMENTS_PAYMENT_RUN_H_
