#ifndef RINGFENCE_LEDGER_AUDIT_PLAINTEXT_EXPORT_H_
#define RINGFENCE_LEDGER_AUDIT_PLAINTEXT_EXPORT_H_

// `ringfence export --format hledger|ledger|beancount`: every entry with
// postings as a transaction of a plain-text accounting journal, so that
// those tools compute the same balances as ringfence (tested with hledger
// and ledger in the suite). Streams: one entry in memory at a time.
//
// hledger and ledger: account names as ringfence writes them
// ("payable:B-1:V-1"; ':' is their hierarchy separator too), amounts
// "12.34 GBP", a transaction per entry dated by its effective date, its
// description "<kind> #<seq>", and the seq, actor and source as comments.
//
// beancount needs typed roots and capitalised components, so accounts map
// as funding -> Equity:Funding, pot/budget/payable/dp -> Assets:..., paid,
// spent and external -> Expenses:...; an id component is capitalised and
// '.' and '_' become '-' ("budget:b_1" -> "Assets:Budget:B-1"). Two ids that
// differ only there would merge; ringfence ids rarely do, and the README
// says so. Each account is opened on 1970-01-01 when first seen.

#include <ostream>
#include <string>

#include "ledger/storage/journal.h"
#include "crypto/status.h"

namespace rf {

enum class PlainTextFormat { kHledger, kLedger, kBeancount };

Result<PlainTextFormat> ParsePlainTextFormat(std::string_view name);

struct PlainTextReport {
  uint64_t entries = 0;
  uint64_t transactions = 0;
};

// Writes the journal (one read snapshot). Errors: Tampered if an entry does
// not parse; Io if the stream fails.
Result<PlainTextReport> ExportPlainText(const Journal& journal, PlainTextFormat format, std::ostream& out);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_AUDIT_PLAINTEXT_EXPORT_H_
