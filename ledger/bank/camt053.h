#ifndef RINGFENCE_LEDGER_BANK_CAMT053_H_
#define RINGFENCE_LEDGER_BANK_CAMT053_H_

// The `bank` input kind in its ISO 20022 form: a camt.053 bank-to-customer
// statement (versions camt.053.001.02 and camt.053.001.08), read into plain
// bank lines with the same meaning as the bank CSV's columns. Pure parsing:
// no LMDB, no journal.
//
// What becomes a bank line (one per money movement the ledger can match):
//   - An entry (Ntry) with at most one transaction detail (TxDtls) is one
//     line carrying the entry's booked amount. The entry amount is the truth
//     about what moved; a sole detail's own amounts (instructed, FX) are not.
//   - A batch entry (NtryDtls/Btch, or several TxDtls) whose details do not
//     all state their own amount is one line for the whole entry: the batch
//     id and the batch total (PRODUCT.md: one bank line may settle a whole
//     payment run). `batch_transactions` carries Btch/NbOfTxs.
//   - An entry with two or more details that all state a GBP amount is one
//     line per detail, and the signed details must sum to the entry amount.
//   - Entries whose status is not BOOK (pending, information only) are not
//     lines: no money has moved. They are counted in `entries_not_booked`.
//
// Line ids, unique within a file (a repeat is refused):
//   entry key = Ntry/AcctSvcrRef (the bank's unambiguous reference for the
//               entry, so stable when the bank sends the statement again),
//            else "<statement id>/" + Ntry/NtryRef,
//            else "<statement id>/#<1-based entry ordinal in the statement>".
//   line id   = entry key, plus "/<1-based detail ordinal>" when the entry is
//               split into one line per detail.
//
// Refused (Status::InvalidInput naming the file, the line, the element path
// and the reason): a file over kCamtFileBytesMax, text that is not UTF-8, not
// well-formed XML, an unknown namespace or version, a currency other than GBP
// (Acct/Ccy, an entry amount, or a detail amount used for a split), an amount
// with more than two decimal places or otherwise not exact pence, a missing
// or malformed date, a count over a bound below, contradictory details, a
// repeated line id. Balances (Bal) and the summary (TxsSummry) are not read.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "crypto/status.h"

namespace rf {

// Bounds. pugixml builds a DOM (about 64 bytes a node, a node for every
// element and text, roughly one per 20 bytes of a pretty-printed statement),
// so peak memory is about 4x the file: 64 MiB of XML costs about 256 MiB.
// A month of one ICB's PHB account (tens of thousands of entries at about
// 2.5 KiB each) fits with room to spare.
inline constexpr size_t kCamtFileBytesMax = size_t{64} << 20;
inline constexpr size_t kCamtStatementsMax = 10'000;
// Entries across the file; details per entry; lines across the file.
inline constexpr size_t kCamtEntriesMax = 250'000;
inline constexpr size_t kCamtEntryDetailsMax = 100'000;
inline constexpr size_t kCamtLinesMax = 1'000'000;
// Descriptions are cut (at a UTF-8 character boundary) to this many bytes.
inline constexpr size_t kCamtDescriptionBytesMax = 512;

enum class CamtVersion { k001_02, k001_08 };

struct CamtBankLine {
  std::string line_id;
  Date booked_on;                  // BookgDt: Dt, or the date part of DtTm as the bank wrote it
  std::optional<Date> value_date;  // ValDt, when given
  Pence amount;                    // signed: credits (money in) positive, debits negative
  std::string counterparty_ref;    // the other party's account: IBAN, else its other id
  std::string counterparty_name;
  std::string end_to_end_id;  // Refs/EndToEndId; "NOTPROVIDED" becomes ""
  std::string batch_id;       // Btch/PmtInfId, else Refs/PmtInfId, else Btch/MsgId
  // On a line that stands for a whole batch entry: Btch/NbOfTxs, else the
  // number of details when there are two or more; 0 on every other line.
  uint64_t batch_transactions = 0;
  std::string bank_ref;     // AcctSvcrRef of the detail, else of the entry
  std::string description;  // RmtInf/Ustrd, creditor reference, AddtlTxInf, AddtlNtryInf
  bool reversal = false;    // RvslInd: this line undoes an earlier one
  size_t source_line = 0;   // 1-based line of the Ntry (or TxDtls) in the file
};

struct CamtStatement {
  std::string statement_id;  // Stmt/Id
  std::string account;       // Acct/Id/IBAN, else Acct/Id/Othr/Id
  bool account_is_iban = false;
  std::string currency;  // always "GBP" in a statement that was read
  size_t entries_not_booked = 0;
  std::vector<CamtBankLine> lines;
};

struct CamtFile {
  CamtVersion version = CamtVersion::k001_02;
  std::string message_id;  // GrpHdr/MsgId
  std::vector<CamtStatement> statements;
};

// Reads the file at `path` (at most kCamtFileBytesMax bytes).
// Errors: NotFound, Io, InvalidInput as described above.
Result<CamtFile> ReadCamt053File(const std::string& path);

// The same from bytes already in memory; `name` is used in messages. Safe on
// any input (the fuzz target calls it with arbitrary bytes).
Result<CamtFile> ParseCamt053(std::string_view xml, const std::string& name);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_BANK_CAMT053_H_
