#include "ledger/core/apply_kit.h"

#include <charconv>

namespace rf::apply_internal {

std::string_view Body::Raw(std::string_view name) const {
  for (const ScannedMember& m : *members_) {
    if (m.key == name) return m.value;
  }
  return {};
}

Status Body::OnlyMembers(std::initializer_list<std::string_view> allowed) const {
  for (const ScannedMember& m : *members_) {
    if (std::find(allowed.begin(), allowed.end(), m.key) == allowed.end()) {
      return Status::InvalidInput("body." + std::string(m.key.substr(0, 80)) + ": not a member of this kind of entry");
    }
  }
  return Status::Ok();
}

Result<std::string_view> Body::TextView(std::string_view name, bool required, std::string* scratch) const {
  const std::string_view raw = Raw(name);
  if (raw.empty()) {
    if (!required) return std::string_view();
    return Status::InvalidInput("body." + std::string(name) + ": required");
  }
  std::string_view text;
  const bool is_text = raw.front() == '"';
  if (is_text) {
    text = raw.substr(1, raw.size() - 2);
    if (text.find('\\') != std::string_view::npos) text = *scratch = UnescapeCanonicalString(raw);
  }
  if (!is_text || text.size() > kBodyTextBytesMax || (required && text.empty())) {
    return Status::InvalidInput("body." + std::string(name) + ": expected text of 1 to " +
                                std::to_string(kBodyTextBytesMax) + " bytes");
  }
  return text;
}

Result<std::string> Body::Text(std::string_view name, bool required) const {
  std::string scratch;
  auto text = TextView(name, required, &scratch);
  if (!text.ok()) return text.status();
  return std::string(*text);
}

Status Body::CheckText(std::string_view name, bool required) const {
  std::string scratch;
  return TextView(name, required, &scratch).status();
}

Result<std::string> Body::Id(std::string_view name) const {
  std::string scratch;
  auto text = TextView(name, true, &scratch);
  if (!text.ok()) return text.status();
  if (!IsAccountName(*text)) {
    return Status::InvalidInput("body." + std::string(name) + ": \"" + std::string(text->substr(0, 80)) +
                                "\" is not an id (1 to 64 letters, digits, '.', '_' or '-')");
  }
  return std::string(*text);
}

Result<Pence> Body::Amount(std::string_view name) const { return ParseText<Pence>(name); }

Result<Date> Body::Day(std::string_view name) const { return ParseText<Date>(name); }

Result<bool> Body::Flag(std::string_view name) const {
  const std::string_view raw = Raw(name);
  if (raw.empty()) return false;
  if (raw == "true" || raw == "false") return raw == "true";
  return Status::InvalidInput("body." + std::string(name) + ": expected true or false");
}

Result<uint64_t> Body::Count(std::string_view name) const {
  const std::string_view raw = Raw(name);
  uint64_t n = 0;
  // Canonical integers have no sign, fraction or leading zero to allow for.
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), n);
  if (raw.empty() || ec != std::errc() || end != raw.data() + raw.size()) {
    return Status::InvalidInput("body." + std::string(name) + ": a count (a whole number, 0 or more)");
  }
  return n;
}

std::optional<nlohmann::json> Body::Value(std::string_view name) const {
  const std::string_view raw = Raw(name);
  if (raw.empty()) return std::nullopt;
  return nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);  // scanned canonical: parses
}

Result<std::vector<Posting>> Body::Postings() const { return ParsePostingsText(Raw("postings")); }

nlohmann::json Body::Dom() const {
  return nlohmann::json::parse(*text_, nullptr, /*allow_exceptions=*/false);  // scanned canonical: parses
}

Status Body::AppendCanonicalText(std::string_view name, std::string* out) const {
  const std::string_view raw = Raw(name);
  assert(!raw.empty() && raw.front() == '"');
  out->append(raw);  // scanned: canonical already
  return Status::Ok();
}

nlohmann::json WithoutPostings(const Body& body, uint64_t seq) {
  nlohmann::json record = body.Dom();
  record.erase("postings");
  record["seq"] = seq;
  return record;
}

Status RequireNew(Views& views, RecordKind kind, const std::string& id, const char* what) {
  RF_ASSIGN(existing, views.Record(kind, id));
  if (existing != nullptr) {
    RF_ASSIGN(seq, RecordSeq(RecordKey(kind, id), *existing));
    return RefusedWithCode(refusal::kAlreadyExists,
                           std::string(what) + " " + id + " already exists (entry " + std::to_string(seq) + ")");
  }
  return Status::Ok();
}

Result<const nlohmann::json*> RequireRecord(Views& views, RecordKind kind, const std::string& id, const char* what) {
  RF_ASSIGN(record, views.Record(kind, id));
  if (record == nullptr) return NotKnown(what, id);
  return record;
}

Result<std::string_view> RequireRecordText(Views& views, RecordKind kind, const std::string& id, const char* what) {
  RF_ASSIGN(text, views.RecordText(kind, id));
  if (!text) return NotKnown(what, id);
  return *text;
}

Status ExpectedPostings(Ctx& c, const std::vector<Posting>& expected, const Authority& authority) {
  if (!c.body().Has("postings")) {
    // Filled in where the members sort ("postings" after every member
    // before it in JCS order), so the text stays canonical.
    std::string& text = c.draft->body_json;
    const std::string member = "\"postings\":" + PostingsText(expected);
    size_t at = std::string::npos;  // the opening quote of the first member after "postings"
    for (const ScannedMember& m : c.members) {
      if (Utf16Less("postings", m.key)) {
        at = static_cast<size_t>(m.key.data() - text.data()) - 1;
        break;
      }
    }
    if (at != std::string::npos) {
      text.insert(at, member + ",");
    } else {
      text.insert(text.size() - 1, c.members.empty() ? member : "," + member);
    }
    RF_RETURN_IF_ERROR(ScanCanonicalObject(text, &c.members).WithContext("body: "));
  }
  RF_ASSIGN(postings, c.body().Postings());
  bool same = postings.size() == expected.size();
  for (size_t i = 0; same && i < postings.size(); ++i) {
    same = postings[i].account == expected[i].account && postings[i].amount == expected[i].amount;
  }
  if (!same) {
    return Status::InvalidInput("body.postings: a " + c.draft->kind + " entry must post exactly " +
                                PostingsText(expected) + " (or leave postings out)");
  }
  return ApplyPostings(c.seq, c.effective(), postings, authority, c.views, c.mode == ApplyMode::kEnforce);
}

Status AddProviderTotal(Views& views, const std::string& provider, ProviderTotal which, const Pence& amount,
                        bool count) {
  RF_ASSIGN(existing, views.RecordToChange(RecordKind::kProviderTotals, provider));
  if (existing == nullptr) {
    views.PutRecord(RecordKind::kProviderTotals, provider, NewProviderTotalsJson());
    RF_ASSIGN(created, views.RecordToChange(RecordKind::kProviderTotals, provider));
    existing = created;
  }
  // Changed in place: one per invoice entry.
  return AddToProviderTotals(*existing, RecordKey(RecordKind::kProviderTotals, provider), which, amount, count);
}

}  // namespace rf::apply_internal
