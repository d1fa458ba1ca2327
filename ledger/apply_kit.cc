#include "ledger/apply_kit.h"

namespace rf::apply_internal {

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
