#include "ingest/seen_ids.h"

#include <algorithm>
#include <cassert>

namespace rf {

std::optional<uint64_t> SeenIds::Insert(std::string_view id, uint64_t line) {
  if (run_.empty() || id > run_.back().first) {
    run_.emplace_back(id, line);
    return std::nullopt;
  }
  const auto at =
      std::lower_bound(run_.begin(), run_.end(), id,
                       [](const std::pair<std::string, uint64_t>& e, std::string_view v) { return e.first < v; });
  if (at != run_.end() && at->first == id) return at->second;
  const auto [other, inserted] = others_.emplace(id, line);
  if (!inserted) return other->second;
  assert(id < run_.back().first);
  return std::nullopt;
}

}  // namespace rf
