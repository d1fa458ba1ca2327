#include "ledger/apply_kit.h"

namespace rf::apply_internal {

Result<Body> Body::FromCanonical(std::string_view canonical) {
  Body body;
  body.members_.reserve(12);
  Status scanned = ScanCanonicalObject(canonical, &body.members_);
  if (!scanned.ok()) return scanned.WithContext("body: ");
  return body;
}

std::string_view Body::Raw(const char* name) const {
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

bool Body::Has(const char* name) const { return j_ == nullptr ? !Raw(name).empty() : j_->contains(name); }

Result<std::string> Body::Text(const char* name, bool required) const {
  std::string text;
  bool is_text = false;
  if (j_ == nullptr) {
    const std::string_view raw = Raw(name);
    if (raw.empty()) {
      if (!required) return std::string();
      return Status::InvalidInput(std::string("body.") + name + ": required");
    }
    is_text = raw.front() == '"';
    if (is_text) {
      const std::string_view inner = raw.substr(1, raw.size() - 2);
      text = inner.find('\\') == std::string_view::npos ? std::string(inner) : UnescapeCanonicalString(raw);
    }
  } else {
    const auto it = j_->find(name);
    if (it == j_->end()) {
      if (!required) return std::string();
      return Status::InvalidInput(std::string("body.") + name + ": required");
    }
    is_text = it->is_string();
    if (is_text) text = it->get<std::string>();
  }
  if (!is_text || text.size() > kBodyTextBytesMax || (required && text.empty())) {
    return Status::InvalidInput(std::string("body.") + name + ": expected text of 1 to " +
                                std::to_string(kBodyTextBytesMax) + " bytes");
  }
  return text;
}

Result<bool> Body::Flag(const char* name) const {
  if (j_ == nullptr) {
    const std::string_view raw = Raw(name);
    if (raw.empty()) return false;
    if (raw == "true" || raw == "false") return raw == "true";
    return Status::InvalidInput(std::string("body.") + name + ": expected true or false");
  }
  const auto it = j_->find(name);
  if (it == j_->end()) return false;
  if (!it->is_boolean()) return Status::InvalidInput(std::string("body.") + name + ": expected true or false");
  return it->get<bool>();
}

Status Body::AppendCanonicalText(const char* name, std::string* out) const {
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
    return Status::Refused(std::string(what) + " " + id + " already exists (entry " +
                           std::to_string(existing->at("seq").get<uint64_t>()) + ")");
  }
  return Status::Ok();
}

Result<const nlohmann::json*> RequireRecord(Views& views, RecordKind kind, const std::string& id, const char* what) {
  RF_ASSIGN(record, views.Record(kind, id));
  if (record == nullptr) return Status::Refused(std::string(what) + " " + id + " is not known");
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

Status AddProviderTotal(Views& views, const std::string& provider, const char* field, const Pence& amount, bool count) {
  RF_ASSIGN(existing, views.Record(RecordKind::kProviderTotals, provider));
  nlohmann::json totals = existing != nullptr ? *existing : nlohmann::json{{"invoices", 0}};
  Pence sum;
  if (totals.contains(field)) {
    RF_ASSIGN(before, Pence::Parse(totals[field].get<std::string>(), field));
    sum = before;
  }
  totals[field] = (sum + amount).ToDecimal();
  if (count) totals["invoices"] = totals["invoices"].get<uint64_t>() + 1;
  views.PutRecord(RecordKind::kProviderTotals, provider, std::move(totals));
  return Status::Ok();
}

}  // namespace rf::apply_internal
