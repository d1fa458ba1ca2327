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

// Starts member `name`: `,"name":` (the value follows).
CanonicalObject& CanonicalObject::Add(std::string_view name) {
  assert(count_ < kMembersMax);
  if (text_.empty()) text_.reserve(256);
  if (count_ > 0 && !Utf16Less(members_[count_ - 1].name, name)) sorted_ = false;
  members_[count_++] = {name, text_.size(), 0};
  text_.append(",\"");
  text_.append(name);
  text_.append("\":");
  return *this;
}

CanonicalObject& CanonicalObject::Text(std::string_view name, std::string_view value) {
  Add(name);
  AppendText(value, &text_);
  members_[count_ - 1].size = text_.size() - members_[count_ - 1].at;
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
  Add(name);
  text_.append(canonical);
  members_[count_ - 1].size = text_.size() - members_[count_ - 1].at;
  return *this;
}

std::string CanonicalObject::Finish() {
  std::string out;
  if (count_ == 0) {
    out = "{}";
  } else if (sorted_) {
    // Added in order (the builders mostly do): the text is the object.
    out = std::move(text_);
    out[0] = '{';
    out.push_back('}');
  } else {
    // A handful of members: insertion sort, no allocation.
    for (size_t i = 1; i < count_; ++i) {
      for (size_t j = i; j > 0 && Utf16Less(members_[j].name, members_[j - 1].name); --j) {
        std::swap(members_[j], members_[j - 1]);
      }
    }
    out.reserve(text_.size() + 1);
    for (size_t i = 0; i < count_; ++i) {
      assert(i == 0 || members_[i - 1].name != members_[i].name);
      out.append(text_, members_[i].at, members_[i].size);
    }
    out[0] = '{';
    out.push_back('}');
  }
  count_ = 0;
  sorted_ = true;
  text_.clear();
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
