#ifndef RINGFENCE_RECONCILE_RECOVERY_H_
#define RINGFENCE_RECONCILE_RECOVERY_H_

// Proposed direct-payment surplus recoveries (`reconcile --month M
// --recovery-out FILE`, issue 17 item 6): one transfer per DP_SURPLUS flag
// of the month, written in exactly the `transfers` input format (PRODUCT.md
// "Input files") so a person can review the file and load it with
// `ringfence ingest transfers`. Pure: the caller writes the file.
//
// Each proposal (what an accountant expects, README "reconcile"):
//   transfer_id    "RECOVER-<budget>-<YYYY-MM>": deterministic, so the same
//                  month proposes the same ids and loading the file twice
//                  records each recovery once (ingest's external ids)
//   date           the first day of the month after M: the recovery is
//                  agreed after the month is reconciled (and M may be closed
//                  by then); dated after M, it leaves M's own result (and a
//                  signed-off hash of it) unchanged when M is rerun
//   from_account   dp:<budget>
//   to_account     budget:<budget>: the money returns to the person's
//                  allocation (the reverse of the instalments that over-
//                  funded the account; ring-fence rules 2 and 3 accept it).
//                  Reducing the budget itself is a review's decision, a
//                  separate budget:<budget> -> pot:<pot> transfer.
//   amount         the flag's amount at stake: the balance held above N
//                  weeks of funding and the configured contingency
//   reason         says so in words, naming the flag, the weeks, the
//                  contingency and the NHS (Direct Payments) Regulations 2013
//   authorised_by  left empty: ingest refuses an empty authorised_by (exit 2,
//                  nothing loaded), so the file loads only after a person
//                  has reviewed it and written their name there.

#include <string>
#include <vector>

#include "ledger/core/date.h"
#include "ledger/core/money.h"
#include "reconcile/flags.h"
#include "reconcile/month_flags.h"
#include "reconcile/table.h"

namespace rf {

inline constexpr char kRecoveryIdPrefix[] = "RECOVER-";

struct ProposedRecovery {
  std::string transfer_id;
  Date date;
  std::string from_account;
  std::string to_account;
  Pence amount_pence;  // > 0
  std::string reason;
};

// One proposal per DP_SURPLUS flag in `flags` (entity "budget:<id>"), in the
// flags' order; every other flag is ignored. `thresholds`: those the flags
// were evaluated with (as at the month's last day).
std::vector<ProposedRecovery> ProposeRecoveries(const std::vector<MonthFlag>& flags, const Month& month,
                                                const FlagThresholds& thresholds);

// The proposals as a transfers file: header transfer_id, date, from_account,
// to_account, amount, reason, authorised_by (empty); RenderCsv writes it.
Table RecoveriesTable(const std::vector<ProposedRecovery>& recoveries);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_RECOVERY_H_
