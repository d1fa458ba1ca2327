#include "reconcile/month_result.h"

#include <algorithm>
#include <cassert>
#include <tuple>

#include "crypto/sha256.h"
#include "crypto/sha256_stream.h"
#include "ledger/core/canonical_json.h"

namespace rf {
namespace {

nlohmann::json IdOrNull(const std::string& id) { return id.empty() ? nlohmann::json() : nlohmann::json(id); }

// Total orders: ids are unique in practice, and the other members break a
// tie, so no input order survives into the bytes.
bool LineBefore(const MonthResultLine& a, const MonthResultLine& b) {
  const auto key = [](const MonthResultLine& l) {
    return std::tie(l.bank_line_id, l.booked_on, l.payment_id, l.run_id, l.settled_seq, l.amount);
  };
  return key(a) < key(b);
}

bool FlagBefore(const MonthFlag& a, const MonthFlag& b) {
  const auto key = [](const MonthFlag& f) {
    // The id's order: it is the code's name, '/', the entity, and no code's
    // name is a prefix of another's (tests/flag_id_test.cc), so ids compare
    // as (code, entity) do (enum order is name order).
    return std::tie(f.code, f.entity, f.severity, f.amount_at_stake_pence, f.evidence_seqs, BankLinesOf(f));
  };
  return key(a) < key(b);
}

}  // namespace

nlohmann::json MonthResultLineJson(const MonthResultLine& line) {
  return {{"bank_line_id", line.bank_line_id},
          {"booked_on", line.booked_on.ToIso()},
          {"amount", line.amount.ToDecimal()},
          {"payment_id", IdOrNull(line.payment_id)},
          {"run_id", IdOrNull(line.run_id)},
          {"settled_seq", line.settled_seq ? nlohmann::json(*line.settled_seq) : nlohmann::json()}};
}

nlohmann::json MonthResultFlagJson(const MonthFlag& f) {
  return {{"id", FlagId(f)},
          {"code", ToString(f.code)},
          {"severity", ToString(f.severity)},
          {"entity", f.entity},
          {"amount_at_stake", f.amount_at_stake_pence.ToDecimal()},
          {"evidence_seqs", f.evidence_seqs},
          {"evidence_bank_lines", BankLinesOf(f)}};
}

namespace {

// A canonical string member `"name":"value"` (name canonical already, with
// its leading comma when not the first).
Status AppendStringMember(std::string_view name, std::string_view value, std::string* out) {
  out->append(name);
  return AppendCanonicalString(value, out);
}

// An id, or null when empty (IdOrNull).
Status AppendIdOrNullMember(std::string_view name, const std::string& id, std::string* out) {
  out->append(name);
  if (id.empty()) {
    out->append("null");
    return Status::Ok();
  }
  return AppendCanonicalString(id, out);
}

// A count as AppendCanonical writes a JSON unsigned integer.
Status AppendCount(uint64_t n, std::string* out) {
  if (n > static_cast<uint64_t>(kCanonicalIntegerMax)) {
    return Status::InvalidInput("evidence_seqs: integer above 2^53-1; write large values as strings");
  }
  out->append(std::to_string(n));
  return Status::Ok();
}

}  // namespace

// Members in JCS order (ASCII names: byte order), as AppendCanonical writes
// MonthResultLineJson: the same bytes, tested against it.
Status AppendMonthResultLineCanonical(const MonthResultLine& line, std::string* out) {
  RF_RETURN_IF_ERROR(AppendStringMember("{\"amount\":", line.amount.ToDecimal(), out));
  RF_RETURN_IF_ERROR(AppendStringMember(",\"bank_line_id\":", line.bank_line_id, out));
  RF_RETURN_IF_ERROR(AppendStringMember(",\"booked_on\":", line.booked_on.ToIso(), out));
  RF_RETURN_IF_ERROR(AppendIdOrNullMember(",\"payment_id\":", line.payment_id, out));
  RF_RETURN_IF_ERROR(AppendIdOrNullMember(",\"run_id\":", line.run_id, out));
  out->append(",\"settled_seq\":");
  if (line.settled_seq) {
    RF_RETURN_IF_ERROR(AppendCount(*line.settled_seq, out));
  } else {
    out->append("null");
  }
  out->push_back('}');
  return Status::Ok();
}

// As AppendCanonical writes MonthResultFlagJson (tested against it).
Status AppendMonthResultFlagCanonical(const MonthFlag& f, std::string* out) {
  RF_RETURN_IF_ERROR(AppendStringMember("{\"amount_at_stake\":", f.amount_at_stake_pence.ToDecimal(), out));
  RF_RETURN_IF_ERROR(AppendStringMember(",\"code\":", ToString(f.code), out));
  RF_RETURN_IF_ERROR(AppendStringMember(",\"entity\":", f.entity, out));
  out->append(",\"evidence_bank_lines\":[");
  const std::vector<std::string>& bank_lines = BankLinesOf(f);
  for (size_t i = 0; i < bank_lines.size(); ++i) {
    if (i > 0) out->push_back(',');
    RF_RETURN_IF_ERROR(AppendCanonicalString(bank_lines[i], out));
  }
  out->append("],\"evidence_seqs\":[");
  for (size_t i = 0; i < f.evidence_seqs.size(); ++i) {
    if (i > 0) out->push_back(',');
    RF_RETURN_IF_ERROR(AppendCount(f.evidence_seqs[i], out));
  }
  out->push_back(']');
  RF_RETURN_IF_ERROR(AppendStringMember(",\"id\":", FlagId(f), out));
  RF_RETURN_IF_ERROR(AppendStringMember(",\"severity\":", ToString(f.severity), out));
  out->push_back('}');
  return Status::Ok();
}

nlohmann::json MonthResultJson(const MonthResult& result) {
  nlohmann::json lines = nlohmann::json::array(), flags = nlohmann::json::array();
  for (const MonthResultLine& l : result.lines) lines.push_back(MonthResultLineJson(l));
  for (const MonthFlag& f : result.flags) flags.push_back(MonthResultFlagJson(f));
  return {{"month", result.month.ToString()}, {"lines", std::move(lines)}, {"flags", std::move(flags)}};
}

void CanonicalOrder(MonthResult& result) {
  for (MonthFlag& f : result.flags) {
    std::sort(f.evidence_seqs.begin(), f.evidence_seqs.end());
    if (f.words) std::sort(f.words->evidence_bank_lines.begin(), f.words->evidence_bank_lines.end());
  }
  std::sort(result.lines.begin(), result.lines.end(), LineBefore);
  std::sort(result.flags.begin(), result.flags.end(), FlagBefore);
}

Result<MonthResultHashes> HashMonthResult(const MonthResult& result) {
  assert(std::is_sorted(result.lines.begin(), result.lines.end(), LineBefore));
  assert(std::is_sorted(result.flags.begin(), result.flags.end(), FlagBefore));
  // {"flags":[...],"lines":[...],"month":"..."}: JCS member order, written
  // as it goes. Each part's hash covers its array's bytes exactly.
  crypto::Sha256Stream whole, matches, flags;
  std::string text;
  const auto both = [&](crypto::Sha256Stream& part, std::string_view bytes) {
    whole.Update(bytes);
    part.Update(bytes);
  };
  whole.Update("{\"flags\":");
  both(flags, "[");
  for (size_t i = 0; i < result.flags.size(); ++i) {
    text.assign(i == 0 ? "" : ",");
    RF_RETURN_IF_ERROR(AppendMonthResultFlagCanonical(result.flags[i], &text));
    both(flags, text);
  }
  both(flags, "]");
  whole.Update(",\"lines\":");
  both(matches, "[");
  for (size_t i = 0; i < result.lines.size(); ++i) {
    text.assign(i == 0 ? "" : ",");
    RF_RETURN_IF_ERROR(AppendMonthResultLineCanonical(result.lines[i], &text));
    both(matches, text);
  }
  both(matches, "]");
  whole.Update(",\"month\":");
  text.clear();
  RF_RETURN_IF_ERROR(AppendCanonicalString(result.month.ToString(), &text));
  whole.Update(text);
  whole.Update("}");
  return MonthResultHashes{.result_sha256 = crypto::ToHex(whole.Finish()),
                           .matches_sha256 = crypto::ToHex(matches.Finish()),
                           .flags_sha256 = crypto::ToHex(flags.Finish())};
}

}  // namespace rf
