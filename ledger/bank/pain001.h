#ifndef RINGFENCE_LEDGER_BANK_PAIN001_H_
#define RINGFENCE_LEDGER_BANK_PAIN001_H_

// The payment file of `ringfence pay`: an ISO 20022 pain.001.001.03
// CustomerCreditTransferInitiation in GBP, one payment information block
// (one run, one debtor account, one execution date) with one credit transfer
// per payment. Valid against the generic ISO schema pain.001.001.03.xsd.
// Pure text building: no I/O, no LMDB.
//
// Text rules (what UK bank bulk-payment channels accept):
//   - Identifiers (MsgId, PmtInfId, EndToEndId) are refused unless they are
//     1..35 characters of the Latin set A-Z a-z 0-9 / - ? : ( ) . , ' + and
//     space, without leading or trailing space, not starting or ending with
//     '/' and without "//". An id is a matching key; changing it silently
//     would break reconciliation.
//   - Names and remittance text are made to fit: accented Latin letters are
//     transliterated (é -> e, ß -> ss, Ł -> L), '&' becomes '+', '"' becomes
//     '\'', every other character outside the set becomes a space, runs of
//     spaces collapse, then the text is cut to Max70Text (names) or
//     Max140Text (remittance). A name that is empty after that is refused;
//     empty remittance text is left out.
//   - IBANs are refused unless they are the schema's shape (2 letters,
//     2 digits, up to 30 letters or digits, upper case, no spaces) and pass
//     the ISO 7064 MOD 97-10 check.
//   - Every amount is more than zero. NbOfTxs and CtrlSum (decimal pounds
//     with two decimals, exact) are written in the group header and the
//     payment information block, and equal the transfers' count and sum.
//   - BtchBookg is true: the bank books the run as one debit, so one bank
//     line settles the whole run (PRODUCT.md, reconciliation).
//   - CreDtTm is written in UTC to the second: "YYYY-MM-DDTHH:MM:SSZ".

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "crypto/status.h"

namespace rf {

// A month's run for one ICB is thousands of payments; a transfer is about
// 600 bytes of XML, so the bound keeps a file under 64 MiB.
inline constexpr size_t kPainTransfersMax = 100'000;
inline constexpr size_t kPainIdCharsMax = 35;           // Max35Text
inline constexpr size_t kPainNameCharsMax = 70;         // Max70Text
inline constexpr size_t kPainRemittanceCharsMax = 140;  // Max140Text

struct CreditTransfer {
  std::string end_to_end_id;  // unique within the run
  Pence amount;               // more than zero
  std::string creditor_name;
  std::string creditor_iban;
  std::string remittance;  // may be empty
};

struct PaymentRun {
  std::string message_id;
  std::chrono::system_clock::time_point created_at;  // UTC
  std::string initiating_party_name;
  std::string debtor_name;
  std::string debtor_iban;
  Date requested_execution_date;
  std::string payment_information_id;  // the batch id a bank statement echoes
  std::vector<CreditTransfer> transfers;
};

// The pain.001.001.03 document, UTF-8, ending in a newline.
// REQUIRES (else InvalidInput naming the field, and the transfer by 1-based
// number and end-to-end id): 1..kPainTransfersMax transfers, the rules above,
// end-to-end ids unique within the run.
Result<std::string> WritePain001(const PaymentRun& run);

// The text rules above, exposed for callers that want to warn before a run:
// the name or remittance text as it will be written (cut to `chars_max`).
// REQUIRES: `utf8` is valid UTF-8 (asserted).
std::string ToBankLatin(std::string_view utf8, size_t chars_max);
// Ok, or InvalidInput naming `field`.
Status CheckBankId(std::string_view id, std::string_view field);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_BANK_PAIN001_H_
