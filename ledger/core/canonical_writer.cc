#include "ledger/core/canonical_writer.h"

#include <algorithm>
#include <cassert>

#include "ledger/core/canonical_json.h"

namespace rf {
namespace {

// Escapes as AppendCanonicalString does; bytes that are not UTF-8 are kept,
// so the scanner refuses the text.
void AppendText(std::string_view value, std::string* out) {
  if (AppendCanonicalString(value, out).ok()) return;
  out->push_back('"');
  for (const char c : value) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

CanonicalObject& CanonicalObject::Text(std::string_view name, std::string_view value) {
  const size_t at = values_.size();
  AppendText(value, &values_);
  members_.push_back({name, at, values_.size() - at});
  return *this;
}

CanonicalObject& CanonicalObject::Bool(std::string_view name, bool value) {
  return Raw(name, value ? "true" : "false");
}

CanonicalObject& CanonicalObject::Count(std::string_view name, uint64_t value) {
  assert(value <= static_cast<uint64_t>(kCanonicalIntegerMax));
  return Raw(name, std::to_string(value));
}

CanonicalObject& CanonicalObject::Raw(std::string_view name, std::string_view canonical) {
  const size_t at = values_.size();
  values_.append(canonical);
  members_.push_back({name, at, canonical.size()});
  return *this;
}

std::string CanonicalObject::Finish() {
  // A handful of members: insertion sort, no allocation.
  for (size_t i = 1; i < members_.size(); ++i) {
    for (size_t j = i; j > 0 && Utf16Less(members_[j].name, members_[j - 1].name); --j) {
      std::swap(members_[j], members_[j - 1]);
    }
  }
  size_t size = 2;
  for (const Member& m : members_) size += m.name.size() + m.size + 4;
  std::string out;
  out.reserve(size);
  out.push_back('{');
  for (size_t i = 0; i < members_.size(); ++i) {
    const Member& m = members_[i];
    assert(i == 0 || members_[i - 1].name != m.name);
    if (i > 0) out.push_back(',');
    out.push_back('"');
    out.append(m.name);
    out.append("\":");
    out.append(values_, m.at, m.size);
  }
  out.push_back('}');
  members_.clear();
  values_.clear();
  return out;
}

std::string CanonicalTextList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendText(items[i], &out);
  }
  out.push_back(']');
  return out;
}

}  // namespace rf
