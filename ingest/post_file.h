#ifndef RINGFENCE_INGEST_POST_FILE_H_
#define RINGFENCE_INGEST_POST_FILE_H_

// `ringfence post FILE.json`: hand-written entries. The file holds one entry
// object or an array of them:
//   {"kind": "note", "effective": "2026-04-01", "body": {...}}
// The actor of every entry is whoever runs the command (`actor`: --actor,
// else $RINGFENCE_ACTOR, else $USER); a file that names an "actor" is
// refused, so the audit trail's actor cannot be written by the file. An
// object that names a key twice is refused (JSON parsers disagree on which
// one wins). Kinds beginning "ledger." are reserved for the ledger itself.
// All entries of a file are appended in one transaction.

#include <string>
#include <vector>

#include "ledger/core/entry.h"
#include "crypto/status.h"

namespace rf {

// A post file is typed by hand: 16 MiB and 100,000 entries are generous.
inline constexpr size_t kPostFileBytesMax = size_t{16} << 20;
inline constexpr size_t kPostFileEntriesMax = 100'000;

// Errors: InvalidInput naming the file, the entry (1-based) and the field.
Result<std::vector<EntryDraft>> ReadPostFile(const std::string& path, const std::string& actor);

// The same from text already in memory; `name` is used in messages.
Result<std::vector<EntryDraft>> ParsePostText(const std::string& text, const std::string& name,
                                              const std::string& actor);

}  // namespace rf

#endif  // RINGFENCE_INGEST_POST_FILE_H_
