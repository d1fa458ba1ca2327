#include "ledger/core/apply_kit.h"

namespace rf::apply_internal {

Result<Body> Body::FromCanonical(std::string_view canonical) {
  Body body;
  body.members_.reserve(12);
  Status scanned = ScanCanonicalObject(canonical, &body.members_);
  if (!scanned.ok()) return scanned.WithContext("body: ");
  return body;
}

std::string_view Body::Raw(std::string_view name) const {
  assert(j_ == nullptr);
  for (const ScannedMember& m : members_) {
    if (m.key == name) return m.value;
  }
  return {};
}

Status Body::OnlyMembers(std::initializer_list<std::string_view> allowed) const {
  const auto check = [&](std::string_view key) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) return Status::Ok();
    return Status::InvalidInput("body." + std::string(key.substr(0, 80)) + ": not a member of this kind of entry");
  };
  if (j_ == nullptr) {
    for (const ScannedMember& m : members_) RF_RETURN_IF_ERROR(check(m.key));
    return Status::Ok();
  }
  for (auto it = j_->begin(); it != j_->end(); ++it) RF_RETURN_IF_ERROR(check(it.key()));
  return Status::Ok();
}

bool Body::Has(std::string_view name) const { return j_ == nullptr ? !Raw(name).empty() : j_->contains(name); }

Result<std::string_view> Body::TextView(std::string_view name, bool required, std::string* scratch) const {
  std::string_view text;
  bool is_text = false;
  bool present = false;
  if (j_ == nullptr) {
    const std::string_view raw = Raw(name);
    present = !raw.empty();
    is_text = present && raw.front() == '"';
    if (is_text) {
      text = raw.substr(1, raw.size() - 2);
      if (text.find('\\') != std::string_view::npos) text = *scratch = UnescapeCanonicalString(raw);
    }
  } else {
    const auto it = j_->find(name);
    present = it != j_->end();
    is_text = present && it->is_string();
    if (is_text) text = it->get_ref<const std::string&>();
  }
  if (!present) {
    if (!required) return std::string_view();
    return Status::InvalidInput("body." + std::string(name) + ": required");
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
  if (j_ == nullptr) {
    const std::string_view raw = Raw(name);
    if (raw.empty()) return false;
    if (raw == "true" || raw == "false") return raw == "true";
    return Status::InvalidInput("body." + std::string(name) + ": expected true or false");
  }
  const auto it = j_->find(name);
  if (it == j_->end()) return false;
  if (!it->is_boolean()) return Status::InvalidInput("body." + std::string(name) + ": expected true or false");
  return it->get<bool>();
}

Status Body::AppendCanonicalText(std::string_view name, std::string* out) const {
  if (j_ == nullptr) {
    const std::string_view raw = Raw(name);
    assert(!raw.empty() && raw.front() == '"');
    out->append(raw);  // scanned: canonical already
    return Status::Ok();
  }
  return AppendCanonicalString(j_->at(name).get_ref<const std::string&>(), out);
}

nlohmann::json WithoutPostings(const nlohmann::json& body, uint64_t seq) {
  nlohmann::json record = body;
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

Status ExpectedPostings(Ctx& c, const std::vector<Posting>& expected, const Authority& authority) {
  if (!c.body().contains("postings")) c.body()["postings"] = PostingsJson(expected);
  RF_ASSIGN(postings, ParsePostings(c.body()));
  bool same = postings.size() == expected.size();
  for (size_t i = 0; same && i < postings.size(); ++i) {
    same = postings[i].account == expected[i].account && postings[i].amount == expected[i].amount;
  }
  if (!same) {
    return Status::InvalidInput("body.postings: a " + c.draft->kind + " entry must post exactly " +
                                PostingsJson(expected).dump() + " (or leave postings out)");
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
