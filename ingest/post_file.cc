#include "ingest/post_file.h"

#include <cassert>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>

#include "ledger/core/canonical_json.h"
#include "ledger/core/date.h"

namespace rf {
namespace {

// Byte offset -> 1-based line number, for nlohmann's parse errors.
size_t LineAt(const std::string& text, size_t offset) {
  size_t line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

// nlohmann's DOM builder, stopped at the first object that names a key
// twice (the DOM would keep the last one silently). sax_parse dispatches on
// this type, so the methods below hide the base's.
class NoDuplicateKeys : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
 public:
  using Base = nlohmann::detail::json_sax_dom_parser<nlohmann::json>;
  explicit NoDuplicateKeys(nlohmann::json& root) : Base(root, /*allow_exceptions_=*/true) {}

  bool start_object(std::size_t size) {
    if (keys_.empty()) ++top_level_objects_;
    keys_.emplace_back();
    return Base::start_object(size);
  }
  bool end_object() {
    keys_.pop_back();
    return Base::end_object();
  }
  bool key(std::string& name) {
    assert(!keys_.empty());
    if (keys_.size() == 1 && name == "actor") {
      // Stopped here, not left to the entry's check, so the refusal can
      // name the line the forged actor is on.
      names_actor_ = true;
      return false;
    }
    if (!keys_.back().insert(name).second) {
      duplicate_ = name;
      return false;
    }
    return Base::key(name);
  }

  // The key named twice, if parsing stopped for one.
  const std::optional<std::string>& duplicate() const { return duplicate_; }
  // True if parsing stopped at an entry that names its own actor.
  bool names_actor() const { return names_actor_; }
  // 1-based: the entry (top-level object) the parser was in.
  size_t entry() const { return top_level_objects_; }

 private:
  std::vector<std::set<std::string>> keys_;  // one set per open object
  std::optional<std::string> duplicate_;
  bool names_actor_ = false;
  size_t top_level_objects_ = 0;
};

// The text's characters as the parser reads them, noting how far it has
// read, so a duplicate key (found by the SAX handler, which has no position)
// is named with its line.
class TrackedChars {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackedChars() = default;
  TrackedChars(const char* at, const char** read) : at_(at), read_(read) {}
  reference operator*() const {
    *read_ = at_;
    return *at_;
  }
  TrackedChars& operator++() {
    ++at_;
    return *this;
  }
  TrackedChars operator++(int) {
    TrackedChars before = *this;
    ++at_;
    return before;
  }
  friend bool operator==(const TrackedChars& a, const TrackedChars& b) { return a.at_ == b.at_; }

 private:
  const char* at_ = nullptr;
  const char** read_ = nullptr;  // the last character the parser read
};

// The audit trail's actor is who ran the command, never the file's word.
std::string ActorRefusal(const std::string& where, std::optional<size_t> line) {
  return where + ", field actor" + (line ? " (line " + std::to_string(*line) + ")" : std::string()) +
         ": an entry's actor is whoever runs the command (--actor, $RINGFENCE_ACTOR or $USER); a post file may "
         "not name one";
}

Result<EntryDraft> ReadOne(const nlohmann::json& item, const std::string& where, const std::string& actor,
                           const std::string& source) {
  if (!item.is_object()) return Status::InvalidInput(where + ": expected an entry object");
  for (auto it = item.begin(); it != item.end(); ++it) {
    const std::string& k = it.key();
    if (k == "actor") return Status::InvalidInput(ActorRefusal(where, std::nullopt));
    if (k != "kind" && k != "effective" && k != "body") {
      return Status::InvalidInput(where + ": unknown field \"" + k + "\" (expected kind, effective, body)");
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
  draft.actor = actor;
  if (!item.contains("body") || !item["body"].is_object()) {
    return Status::InvalidInput(where + ", field body: required, a JSON object");
  }
  // Canonicalised here, once: from now on the body is its canonical text.
  Status body = SetBodyFromJson(item["body"], &draft);
  if (!body.ok()) return body.WithContext(where + ", field ");
  draft.source = source;
  Status valid = ValidateDraft(draft);
  if (!valid.ok()) return valid.WithContext(where + ", field ");
  return draft;
}

}  // namespace

Result<std::vector<EntryDraft>> ParsePostText(const std::string& text, const std::string& name,
                                              const std::string& actor) {
  if (text.size() > kPostFileBytesMax) {
    return Status::InvalidInput(name + ": larger than " + std::to_string(kPostFileBytesMax) + " bytes");
  }
  if (!IsValidUtf8(text)) return Status::InvalidInput(name + ": is not valid UTF-8");
  nlohmann::json doc;
  try {
    NoDuplicateKeys builder(doc);
    const char* read = text.data();
    const TrackedChars first(text.data(), &read);
    const TrackedChars last(text.data() + text.size(), &read);
    if (!nlohmann::json::sax_parse(first, last, &builder)) {
      const size_t line = LineAt(text, static_cast<size_t>(read - text.data()));
      if (builder.names_actor()) {
        return Status::InvalidInput(ActorRefusal(name + " entry " + std::to_string(builder.entry()), line));
      }
      assert(builder.duplicate().has_value());
      return Status::InvalidInput(name + " entry " + std::to_string(builder.entry()) + ": the key \"" +
                                  *builder.duplicate() + "\" appears twice in one object (line " +
                                  std::to_string(line) + "); name each key once");
    }
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
    auto draft = ReadOne(items[i], where, actor, "post:" + base + "#" + std::to_string(i + 1));
    if (!draft.ok()) return draft.status();
    drafts.push_back(std::move(*draft));
  }
  assert(drafts.size() == items.size());
  return drafts;
}

Result<std::vector<EntryDraft>> ReadPostFile(const std::string& path, const std::string& actor) {
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
  return ParsePostText(text, path, actor);
}

}  // namespace rf
