#include "ledger/core/apply.h"

#include <cassert>
#include <utility>

#include "crypto/sha256.h"
#include "ledger/core/apply_kit.h"
#include "ledger/core/config.h"
#include "ledger/core/rules.h"
#include "ledger/core/records.h"

namespace rf {
namespace apply_internal {
namespace {

Status ApplyPosting(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"postings", "memo", "reason", "allow_negative", "external_id"}));
  RF_ASSIGN(postings, b.Postings());
  RF_RETURN_IF_ERROR(b.Text("memo", false).status());
  RF_ASSIGN(reason, b.Text("reason", false));
  RF_ASSIGN(allow_negative, b.Flag("allow_negative"));
  RF_ASSIGN(external_id, b.Text("external_id", false));
  if (!external_id.empty()) {
    RF_ASSIGN(seen, c.views.Text(ExternalIdKey(external_id)));
    if (seen) {
      return RefusedWithCode(refusal::kExternalIdSeen,
                             "external id " + external_id + " was already loaded (entry " + *seen + ")");
    }
    c.views.PutText(ExternalIdKey(external_id), std::to_string(c.seq));
  }
  if (postings.size() < 2) return Status::InvalidInput("body.postings: at least two postings");
  RF_RETURN_IF_ERROR(CheckNoPaidPosting(postings));
  return ApplyPostings(c.seq, c.effective(), postings, Authority{reason, c.draft->actor, allow_negative}, c.views,
                       c.mode == ApplyMode::kEnforce);
}

Status ApplyReversal(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"reverses", "reason", "allow_negative", "postings"}));
  const auto reverses = b.Count("reverses");
  if (!reverses.ok() || *reverses >= c.seq) {
    return Status::InvalidInput("body.reverses: the sequence number of an earlier posting entry");
  }
  const uint64_t original_seq = *reverses;
  RF_ASSIGN(reason, b.Text("reason"));
  if (!IsReason(reason)) return Status::InvalidInput("body.reason: say why in words");
  RF_ASSIGN(allow_negative, b.Flag("allow_negative"));
  RF_ASSIGN(original, c.prior.At(original_seq));
  if (original.kind != kind::kPosting && original.kind != kind::kReversal) {
    return RefusedWithCode(refusal::kNotReversible,
                           "entry " + std::to_string(original_seq) + " is a " + original.kind +
                               ": only posting and reversal entries are reversed (correct the others with a posting)");
  }
  if (original.effective > c.effective()) {
    return RefusedWithCode(refusal::kReversalBeforeOriginal, "a reversal is dated on or after the entry it reverses (" +
                                                                 original.effective.ToIso() + ")");
  }
  const std::string reversed_key = ReversedKey(original_seq);
  RF_ASSIGN(already, c.views.Text(reversed_key));
  if (already) {
    return RefusedWithCode(refusal::kAlreadyReversed,
                           "entry " + std::to_string(original_seq) + " was already reversed by entry " + *already);
  }
  c.views.PutText(reversed_key, std::to_string(c.seq));
  RF_ASSIGN(postings, ParseBodyPostings(original.body_json));
  std::vector<Posting> expected;
  for (const auto& p : postings) expected.push_back({p.account, -p.amount});
  return ExpectedPostings(c, expected, Authority{reason, c.draft->actor, allow_negative});
}

Status ApplyConfig(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"key", "value"}));
  RF_ASSIGN(key, b.Text("key"));
  RF_ASSIGN(value, b.Text("value"));
  RF_RETURN_IF_ERROR(ValidateConfig(key, value).WithContext("body.value: "));
  c.views.PutText(ConfigKey(key), value);
  c.views.PutText(ConfigHistoryKey(key, c.effective(), c.seq), value);
  return Status::Ok();
}

// A reconciliation sign-off (reconcile/sign_off.h): the result's hashes,
// each one spelling of SHA-256, computed from the journal's first
// tree_size entries, which are all before this one. The month's record is
// replaced: --check reads the latest.
Status ApplySignOff(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers(
      {"month", "by", "tree_size", "result_sha256", "matches_sha256", "flags_sha256", "lines", "flags"}));
  SignOffRecord s;
  RF_ASSIGN(month_text, b.Text("month"));
  RF_ASSIGN(month, ParseMonth(month_text, "body.month"));
  s.month = month.ToString();
  RF_ASSIGN(by, b.Text("by"));
  if (by.find_first_not_of(' ') == std::string::npos) {
    return Status::InvalidInput("body.by: the name of the person who signs off");
  }
  s.by = by;
  RF_ASSIGN(tree_size, b.Count("tree_size"));
  if (tree_size == 0 || tree_size >= c.seq) {
    return Status::InvalidInput("body.tree_size: the journal's size when the result was computed, 1 to " +
                                std::to_string(c.seq - 1) + ", not " + std::to_string(tree_size));
  }
  s.tree_size = tree_size;
  for (auto [name, out] : {std::pair{"result_sha256", &s.result_sha256}, std::pair{"matches_sha256", &s.matches_sha256},
                           std::pair{"flags_sha256", &s.flags_sha256}}) {
    RF_ASSIGN(hex, b.Text(name));
    if (!crypto::HashFromHex(hex)) {
      return Status::InvalidInput(std::string("body.") + name + ": 64 lowercase hex characters (SHA-256)");
    }
    *out = hex;
  }
  RF_ASSIGN(lines, b.Count("lines"));
  RF_ASSIGN(flags, b.Count("flags"));
  s.lines = lines;
  s.flags = flags;
  c.views.PutRecord(RecordKind::kSignOff, s.month, SignOffJson(c.seq, s));
  return Status::Ok();
}

Status ApplyMonthClose(Ctx& c) {
  Body b(c.body());
  RF_RETURN_IF_ERROR(b.OnlyMembers({"month", "by", "force_reason", "critical_flags"}));
  RF_ASSIGN(month_text, b.Text("month"));
  RF_ASSIGN(month, ParseMonth(month_text, "body.month"));
  RF_RETURN_IF_ERROR(b.Text("by").status());
  // A close over open critical flags (issue 17 item 11): the reason and the
  // flags' ids, both or neither.
  if (b.Has("force_reason") || b.Has("critical_flags")) {
    RF_ASSIGN(reason, b.Text("force_reason"));
    if (!IsReason(reason)) {
      return Status::InvalidInput("body.force_reason: a forced close needs a reason in words");
    }
    const auto ids = b.Value("critical_flags");
    bool valid = ids && ids->is_array();
    if (valid) {
      for (const auto& id : *ids) valid = valid && id.is_string();
    }
    if (!valid) return Status::InvalidInput("body.critical_flags: the ids of the critical flags overridden (text)");
  }
  if (!(month.last_day() < c.effective())) {
    return RefusedWithCode(refusal::kMonthNotEnded, "month " + month.ToString() + " has not ended on " +
                                                        c.effective().ToIso() +
                                                        ": a month is closed after its last day");
  }
  RF_ASSIGN(closed, c.views.Text("closed"));
  if (closed && month.ToString() <= *closed) {
    return RefusedWithCode(
        refusal::kMonthAlreadyClosed,
        "month " + month.ToString() + " is already closed (months up to " + *closed + " are locked)");
  }
  c.views.PutText("closed", month.ToString());
  return Status::Ok();
}

// A note records words, never money: postings in a note would reach every
// export without a rule checking them.
Status ApplyNote(Ctx& c) {
  if (c.body().Has("postings")) {
    return RefusedWithCode(refusal::kNoteHasPostings,
                           "body.postings: a note carries no money; post a posting entry instead");
  }
  return Status::Ok();
}

// Rule of the envelope: nothing is dated in a closed month.
Status CheckOpenMonth(Ctx& c) {
  RF_ASSIGN(closed, c.views.Text("closed"));
  if (!closed) return Status::Ok();
  RF_ASSIGN(month, ParseMonth(*closed, "closed"));
  if (c.effective() <= month.last_day()) {
    return RefusedWithCode(
        refusal::kClosedMonth,
        "effective date " + c.effective().ToIso() + " is in a closed month (months up to " + *closed + " are closed)");
  }
  return Status::Ok();
}

}  // namespace
}  // namespace apply_internal

namespace {

Status ApplyKind(uint64_t seq, EntryDraft* draft, Views& views, const PriorEntries& prior, ApplyMode mode) {
  using namespace apply_internal;  // NOLINT: the per-kind appliers
  assert(draft != nullptr && seq >= 1);
  const std::string& k = draft->kind;
  // The body is read as text: checked canonical once, here (so the line
  // builder need not scan it again).
  static thread_local std::vector<ScannedMember> members;
  RF_RETURN_IF_ERROR(ScanBodyJson(draft->body_json, &members));
  Ctx c{seq, draft, views, prior, mode, members};
  if (k == kind::kInit) {
    if (seq != 1) return Status::InvalidInput("kind: ledger.init is only the first entry");
    return ApplyInit(c);
  }
  if (seq == 1) return Status::Tampered("entry 1 is not ledger.init");
  RF_RETURN_IF_ERROR(CheckOpenMonth(c));
  if (k == kind::kPosting) return ApplyPosting(c);
  if (k == kind::kPot) return ApplyPot(c);
  if (k == kind::kPerson) {
    return ApplyReference(c, RecordKind::kPerson, "person_id",
                          {"person_id", "ethnic_category", "age_band", "sex", "locality", "s117_eligible"}, "person");
  }
  if (k == kind::kProvider) {
    return ApplyReference(c, RecordKind::kProvider, "provider_id",
                          {"provider_id", "name", "kind", "size", "community_led", "approved", "payee_ref"},
                          "provider");
  }
  if (k == kind::kBudget) return ApplyBudget(c);
  if (k == kind::kInvoiceReceived) return ApplyInvoiceReceived(c);
  if (k == kind::kInvoiceApproved) return ApplyInvoiceApproved(c);
  if (k == kind::kPaymentPending) return ApplyPaymentPending(c);
  if (k == kind::kPaymentSettled) return ApplyPaymentSettled(c);
  if (k == kind::kPaymentUnsettled) return ApplyPaymentUnsettled(c);
  if (k == kind::kPaymentReturned) return ApplyPaymentReturned(c);
  if (k == kind::kReversal) return ApplyReversal(c);
  if (k == kind::kReview) return ApplyReview(c);
  if (k == kind::kBankLine) return ApplyBankLine(c);
  if (k == kind::kConfigSet) return ApplyConfig(c);
  if (k == kind::kSignOff) return ApplySignOff(c);
  if (k == kind::kMonthClose) return ApplyMonthClose(c);
  if (k == kind::kNote) return ApplyNote(c);
  if (k == kind::kFlagsRaised) return ApplyFlagsRaised(c);
  if (k == kind::kFlagExplained) return ApplyFlagExplained(c);
  if (k == kind::kFlagResolved) return ApplyFlagResolved(c);
  if (k == kind::kAmendmentRequested) return ApplyAmendmentRequested(c);
  if (k == kind::kAmendmentConfirmed) return ApplyAmendmentConfirmed(c);
  if (k == kind::kProviderApproval) return ApplyProviderApproval(c);
  if (k == kind::kInvoiceRejected) return ApplyInvoiceRejected(c);
  if (k == kind::kPaymentCancelled) return ApplyPaymentCancelled(c);
  return Status::InvalidInput("kind: \"" + k + "\" is not a kind of entry (see ledger/entry_kinds.h)");
}

}  // namespace

// The appliers read bodies through Body and records through records.h, which
// return errors as values; the catch is the last guard of the contract that
// nothing thrown by the JSON library leaves ApplyEntry (a value of an
// unexpected type that some check missed), so a post is refused, not ended.
Status ApplyEntry(uint64_t seq, EntryDraft* draft, Views& views, const PriorEntries& prior, ApplyMode mode) {
  try {
    return ApplyKind(seq, draft, views, prior, mode);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidInput("body: a " + draft->kind + " entry holds a value of the wrong type (" + e.what() + ")");
  }
}

}  // namespace rf