#ifndef RINGFENCE_TOOLS_SIM_SIM_STATEMENT_H_
#define RINGFENCE_TOOLS_SIM_SIM_STATEMENT_H_

// The bank's side of a simulated month (simulate.h): a line the bank will
// book, the statement's text (CSV, or camt.053.001.02 with one entry a
// line) written a line at a time, the spool records that let lines and
// streamed runs' payments wait on disk (sim_spool.h), and truth.json
// written from the matches' spool.

#include <filesystem>
#include <string>

#include "ledger/core/date.h"
#include "ledger/payments/payment_run.h"
#include "tools/sim/sim_truth.h"

namespace rf::sim {

// A line the bank will book, and what it settles (for the truth).
struct PendingLine {
  Date booked;
  int64_t amount_pence = 0;  // signed: out negative
  std::string counterparty, end_to_end_id, batch_id, description;
  std::string settles;  // payment id, run id, or "" (planted noise)
  std::string kind;     // "payment", "run", "return", or a planted flag code
  std::string planted_payment;
};

PendingLine MakePendingLine(Date booked, int64_t amount_pence, std::string counterparty, std::string end_to_end_id,
                            std::string batch_id, std::string description, std::string settles, std::string kind);
int64_t Pence64(const Pence& p);

std::string StatementHeader(const Month& month, bool camt);
std::string StatementFooter(bool camt);
// Line `n` (1-based) of the month's statement; its id (statement/line) in *id_out.
std::string StatementLine(const Month& month, bool camt, size_t n, const PendingLine& l, std::string* id_out);

// Spool records (tab-separated, one line; no field holds a tab or newline),
// and back. A line's booking day is its spool's key, not in the record.
std::string LineRecord(const PendingLine& l);
PendingLine LineFromRecord(Date booked, const std::string& record);
std::string PaymentSpoolRecord(const RunPayment& p);
RunPayment PaymentFromSpoolRecord(const std::string& record);

// truth.json: the planted flags, then the matches (spool lines "line\tpayment\tkind").
Status WriteTruth(const std::filesystem::path& path, const SimTruth& truth, const std::filesystem::path& matches_spool);

}  // namespace rf::sim

#endif  // RINGFENCE_TOOLS_SIM_SIM_STATEMENT_H_
