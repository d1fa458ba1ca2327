#include "ingest/already_loaded.h"

#include <cassert>
#include <string_view>

#include "ingest/identifiers.h"

namespace rf {
namespace {

// Members holding bank account data: shown masked (PRODUCT.md).
bool IsBankData(std::string_view member) {
  return member == "payee_ref" || member == "counterparty_ref" || member == "account";
}

constexpr size_t kShownCharsMax = 60;

std::string Shown(std::string_view member, const nlohmann::json* value) {
  if (value == nullptr) return "(absent)";
  if (!value->is_string()) return value->dump();
  const std::string& text = value->get_ref<const std::string&>();
  if (IsBankData(member)) return MaskIban(text);
  if (text.empty()) return "(empty)";
  if (text.size() > kShownCharsMax) return "\"" + text.substr(0, kShownCharsMax) + "...\"";
  return "\"" + text + "\"";
}

void AddDifference(std::string_view member, const nlohmann::json* before, const nlohmann::json* now, std::string* out) {
  if (!out->empty()) *out += "; ";
  *out += std::string(member) + " " + Shown(member, before) + " before, " + Shown(member, now) + " now";
}

}  // namespace

std::string RecordDifferences(const nlohmann::json& row_body, const nlohmann::json& record) {
  assert(row_body.is_object());
  std::string out;
  if (!record.is_object()) return "the stored record is not an object";
  for (auto it = row_body.begin(); it != row_body.end(); ++it) {
    if (it.key() == "postings") continue;
    const auto found = record.find(it.key());
    if (found != record.end() && *found != it.value()) AddDifference(it.key(), &*found, &it.value(), &out);
  }
  return out;
}

bool RecordHoldsRow(const nlohmann::json& row_body, const nlohmann::json& record) {
  assert(row_body.is_object() && record.is_object());
  for (auto it = row_body.begin(); it != row_body.end(); ++it) {
    if (it.key() != "postings" && !record.contains(it.key())) return false;
  }
  return true;
}

std::string EntryDifferences(const EntryDraft& row, const EntryDraft& stored) {
  // Both bodies are canonical (built, or read from the journal); one that
  // is not reads as empty, so every member shows as a difference.
  const auto dom = [](const EntryDraft& d) {
    auto body = ParseBodyJson(d.body_json);
    return body.ok() ? std::move(*body) : nlohmann::json::object();
  };
  const nlohmann::json row_body = dom(row), stored_body = dom(stored);
  std::string out;
  if (row.kind != stored.kind) {
    const nlohmann::json before = stored.kind, now = row.kind;
    AddDifference("kind", &before, &now, &out);
  }
  if (row.effective != stored.effective) {
    const nlohmann::json before = stored.effective.ToIso(), now = row.effective.ToIso();
    AddDifference("date", &before, &now, &out);
  }
  for (auto it = row_body.begin(); it != row_body.end(); ++it) {
    const auto found = stored_body.find(it.key());
    const nlohmann::json* before = found == stored_body.end() ? nullptr : &*found;
    if (before == nullptr || *before != it.value()) AddDifference(it.key(), before, &it.value(), &out);
  }
  for (auto it = stored_body.begin(); it != stored_body.end(); ++it) {
    if (!row_body.contains(it.key())) AddDifference(it.key(), &it.value(), nullptr, &out);
  }
  return out;
}

}  // namespace rf
