#ifndef RINGFENCE_LEDGER_STORAGE_ENTRIES_WRITTEN_H_
#define RINGFENCE_LEDGER_STORAGE_ENTRIES_WRITTEN_H_

// How many journal entries this process has committed, over every ledger
// and journal it opened: counted where a write transaction commits
// (journal.cc), so a dry run, a refused commit or a failed commit counts
// nothing. The operations log (tools/ops_log.h) records it per command.

#include <cstdint>

namespace rf {

uint64_t EntriesWrittenByThisProcess();

}  // namespace rf

#endif  // RINGFENCE_LEDGER_STORAGE_ENTRIES_WRITTEN_H_
