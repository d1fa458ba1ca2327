#ifndef RINGFENCE_LEDGER_CORE_CANONICAL_WRITER_H_
#define RINGFENCE_LEDGER_CORE_CANONICAL_WRITER_H_

// Writes one JSON object straight to its canonical text (canonical_json.h)
// from typed values, without a DOM: members may be added in any order and
// come out sorted as JCS requires; strings get the minimal escapes. The
// entry builders (entry_kinds.h) write every body this way, so a body is
// built once, as the bytes the journal stores.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rf {

class CanonicalObject {
 public:
  CanonicalObject() = default;

  // Each adds member `name`. REQUIRES: at most kMembersMax members; `name`
  // is plain ASCII without a
  // quote, backslash or control byte, outlives the writer (a literal), and
  // is not added twice.
  // Text that is not valid UTF-8 is written as it is: the text is then not
  // canonical and is refused where a body is checked (ApplyEntry, the line
  // builder), as a DOM holding it was refused by Canonicalize.
  CanonicalObject& Text(std::string_view name, std::string_view value);
  CanonicalObject& Bool(std::string_view name, bool value);
  // REQUIRES: value <= kCanonicalIntegerMax.
  CanonicalObject& Count(std::string_view name, uint64_t value);
  // `canonical` is the member's value as canonical JSON already (a list or
  // object another writer made).
  CanonicalObject& Raw(std::string_view name, std::string_view canonical);

  // The object's canonical text. The writer is empty afterwards.
  std::string Finish();

 private:
  struct Member {
    std::string_view name;
    size_t at, size;  // `,"name":value` in text_
  };
  CanonicalObject& Add(std::string_view name);

  // Bodies have a dozen members at most; the bound keeps them off the heap.
  static constexpr size_t kMembersMax = 24;
  std::array<Member, kMembersMax> members_{};
  size_t count_ = 0;
  bool sorted_ = true;  // added in JCS order: text_ is the object already
  std::string text_;
};

// A canonical JSON list of strings.
std::string CanonicalTextList(const std::vector<std::string>& items);

}  // namespace rf

#endif  // RINGFENCE_LEDGER_CORE_CANONICAL_WRITER_H_
