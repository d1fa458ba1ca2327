#ifndef RINGFENCE_INGEST_SEEN_IDS_H_
#define RINGFENCE_INGEST_SEEN_IDS_H_

// The ids a file has given so far, each with the line that first gave it,
// so a repeated id names both lines. The one structure of a load that grows
// with the file: a 1,000,000-row file holds a million ids.
//
// Files usually give ids in ascending order (INV-00000001, ...). Those go
// to the back of a sorted run, with no hashing and in memory order; only
// an id that sorts at or before the last one is searched for (a binary
// search of the run) and, when new, kept in a hash table. In a hash table,
// every new id of a million was two cache misses, a tenth of the thread
// that commits a load.
//
// Invariant: every id is in exactly one of the two; every id in the table
// sorts before the run's last id (the run's last only grows), so an id
// after it is new.
//
// Memory: ~40 bytes an id of up to 15 bytes (longer ids also hold their
// heap copy), ~70 in the table.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace rf {

class SeenIds {
 public:
  // Records `id` as given at `line`. Returns the line that gave it first
  // when it was given before (and then records nothing).
  std::optional<uint64_t> Insert(std::string_view id, uint64_t line);
  size_t size() const { return run_.size() + others_.size(); }

 private:
  std::deque<std::pair<std::string, uint64_t>> run_;  // ascending by id
  std::unordered_map<std::string, uint64_t> others_;  // ids given out of order
};

}  // namespace rf

#endif  // RINGFENCE_INGEST_SEEN_IDS_H_
