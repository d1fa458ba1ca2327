#ifndef RINGFENCE_LEDGER_AUDIT_AUDIT_EXPORT_H_
#define RINGFENCE_LEDGER_AUDIT_AUDIT_EXPORT_H_

// `ringfence audit export --out DIR`: writes an audit pack (see
// audit_pack.h) from one consistent read snapshot of the journal. The pack
// is written beside DIR and renamed into place, so DIR either holds a
// complete pack or does not exist.

#include <cstdint>
#include <string>

#include "ledger/storage/journal.h"
#include "crypto/status.h"

namespace rf {

struct ExportReport {
  uint64_t entries = 0;
  uint64_t checkpoints = 0;
};

// REQUIRES: `out_dir` does not exist (a pack is never merged into another).
Result<ExportReport> ExportAuditPack(const Journal& journal, const std::string& out_dir);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_AUDIT_AUDIT_EXPORT_H_
