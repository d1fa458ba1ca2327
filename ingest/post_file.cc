#include "ingest/post_file.h"

#include <cassert>
#include <fstream>
#include <sstream>

#include "ledger/canonical_json.h"
#include "ledger/date.h"

namespace rf {
namespace {

// Byte offset -> 1-based line number, for nlohmann's parse errors.
size_t LineAt(const std::string& text, size_t offset) {
  size_t line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

Result<EntryDraft> ReadOne(const nlohmann::json& item, const std::string& where, const std::string& default_actor,
                           const std::string& source) {
  if (!item.is_object()) return Status::InvalidInput(where + ": expected an entry object");
  for (auto it = item.begin(); it != item.end(); ++it) {
    const std::string& k = it.key();
    if (k != "kind" && k != "effective" && k != "actor" && k != "body") {
      return Status::InvalidInput(where + ": unknown field \"" + k + "\" (expected kind, effective, actor, body)");
    }
  }
  EntryDraft draft;
  if (!item.contains("kind") || !item["kind"].is_string()) {
    return Status::InvalidInput(where + ", field kind: required, a text such as \"note\"");
  }
  draft.kind = item["kind"];
  if (draft.kind.rfind("ledger.", 0) == 0) {
    return Status::InvalidInput(where + ", field kind: \"" + draft.kind + "\" is reserved for the ledger itself");
  }
  if (!item.contains("effective") || !item["effective"].is_string()) {
    return Status::InvalidInput(where + ", field effective: required, a date YYYY-MM-DD");
  }
  auto effective = Date::Parse(item["effective"].get<std::string>(), "effective");
  if (!effective.ok()) return effective.status().WithContext(where + ", field ");
  draft.effective = *effective;
  if (item.contains("actor")) {
    if (!item["actor"].is_string()) return Status::InvalidInput(where + ", field actor: must be text");
    draft.actor = item["actor"];
  } else {
    draft.actor = default_actor;
  }
  if (!item.contains("body") || !item["body"].is_object()) {
    return Status::InvalidInput(where + ", field body: required, a JSON object");
  }
  draft.body = item["body"];
  draft.source = source;
  Status valid = ValidateDraft(draft);
  if (!valid.ok()) return valid.WithContext(where + ", field ");
  Result<std::string> canonical = Canonicalize(draft.body);
  if (!canonical.ok()) return canonical.status().WithContext(where + ", field ");
  return draft;
}

}  // namespace

Result<std::vector<EntryDraft>> ParsePostText(const std::string& text, const std::string& name,
                                              const std::string& default_actor) {
  if (text.size() > kPostFileBytesMax) {
    return Status::InvalidInput(name + ": larger than " + std::to_string(kPostFileBytesMax) + " bytes");
  }
  if (!IsValidUtf8(text)) return Status::InvalidInput(name + ": is not valid UTF-8");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Status::InvalidInput(name + " line " + std::to_string(LineAt(text, e.byte)) + ": not valid JSON (" +
                                e.what() + ")");
  } catch (const nlohmann::json::out_of_range& e) {
    // A number too large for a double (1e400) is out_of_range, not a
    // parse_error, and carries no byte offset.
    return Status::InvalidInput(name + ": a number is too large (" + std::string(e.what()) + ")");
  }
  std::vector<nlohmann::json> items;
  if (doc.is_array()) {
    items.assign(doc.begin(), doc.end());
  } else {
    items.push_back(doc);
  }
  if (items.empty()) return Status::InvalidInput(name + ": holds no entries");
  if (items.size() > kPostFileEntriesMax) {
    return Status::InvalidInput(name + ": more than " + std::to_string(kPostFileEntriesMax) + " entries");
  }
  std::vector<EntryDraft> drafts;
  drafts.reserve(items.size());
  const std::string base = name.substr(name.find_last_of('/') + 1);
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string where = name + " entry " + std::to_string(i + 1);
    auto draft = ReadOne(items[i], where, default_actor, "post:" + base + "#" + std::to_string(i + 1));
    if (!draft.ok()) return draft.status();
    drafts.push_back(std::move(*draft));
  }
  assert(drafts.size() == items.size());
  return drafts;
}

Result<std::vector<EntryDraft>> ReadPostFile(const std::string& path, const std::string& default_actor) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the file");
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kPostFileBytesMax) {
      return Status::InvalidInput(path + ": larger than " + std::to_string(kPostFileBytesMax) + " bytes");
    }
  }
  return ParsePostText(text, path, default_actor);
}

}  // namespace rf
