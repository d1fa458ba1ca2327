// Entry bodies are written straight to canonical text (canonical_writer.h):
// every kind's bytes must be exactly those the DOM path wrote before
// (Canonicalize of the body the builders used to build), or journals,
// hashes and test vectors would change. The DOM builders below are the ones
// the builders replaced, kept as the reference.
#include <catch2/catch.hpp>

#include <array>
#include <random>

#include "ledger/core/amendment_kinds.h"
#include "ledger/core/canonical_json.h"
#include "ledger/core/canonical_writer.h"
#include "ledger/core/entry_kinds.h"
#include "tests/body_util.h"
#include "tests/ledger_fixture.h"

namespace {

using nlohmann::json;

// The reference: the body each builder built as a DOM.
json BodyWriterOldPostings(const std::vector<rf::Posting>& postings) {
  json out = json::array();
  for (const auto& p : postings) out.push_back({{"account", p.account.ToString()}, {"amount", p.amount.ToDecimal()}});
  return out;
}

std::vector<rf::Posting> BodyWriterMove(const rf::Account& from, const rf::Account& to, const rf::Pence& amount) {
  if (amount.is_zero()) return {};
  return {{from, -amount}, {to, amount}};
}

rf::Account BodyWriterAcct(rf::AccountType type, std::string id, std::string detail = "") {
  return rf::Account{type, std::move(id), std::move(detail)};
}

class BodyWriterRandom {
 public:
  explicit BodyWriterRandom(uint32_t seed) : rng_(seed) {}

  // Text with what needs escaping (quotes, backslashes, control bytes, DEL)
  // and non-ASCII (two, three and four byte UTF-8), or empty.
  std::string Text() {
    static const std::vector<std::string> kPieces = {
        "a", "Z", "0", "-", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", std::string(1, '\x01'),
        "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf", "<", "&", "'", "B-1"};
    std::string out;
    const int n = Int(0, 12);
    for (int i = 0; i < n; ++i) out += kPieces[Int(0, static_cast<int>(kPieces.size()) - 1)];
    return out;
  }
  // Non-empty: ids that become parts of account names.
  std::string Id() { return Text() + "x"; }
  rf::Pence Amount() { return rf::Pence::FromPence(Int(-2000000, 2000000) * (Int(0, 3) == 0 ? 1000 : 1)); }
  rf::Date Day() { return rf::Date::FromDays(Int(0, 40000)); }
  bool Bool() { return Int(0, 1) == 1; }
  uint64_t Count() { return static_cast<uint64_t>(Int(0, 1 << 30)) * static_cast<uint64_t>(Int(1, 1 << 20)); }
  rf::Month AMonth() { return rf::Month{Int(1990, 2100), static_cast<unsigned>(Int(1, 12))}; }
  rf::Account Acct() {
    const auto type = static_cast<rf::AccountType>(Int(0, 7));
    const bool detail = type == rf::AccountType::kPayable || type == rf::AccountType::kSpent;
    return BodyWriterAcct(type, Id(), detail ? Id() : "");
  }
  std::vector<rf::Posting> Postings() {
    std::vector<rf::Posting> out;
    const int n = Int(0, 4);
    for (int i = 0; i < n; ++i) out.push_back({Acct(), Amount()});
    return out;
  }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  std::mt19937 rng_;
};

// The flag lifecycle record as the rules built it (records.h FlagLifeText).
json BodyWriterOldFlagLife(const rf::FlagLifeRecord& f) {
  json j = {{"code", f.code},
             {"severity", f.severity},
             {"entity", f.entity},
             {"amount", f.amount.ToDecimal()},
             {"first_month", f.first_month.ToString()},
             {"last_month", f.last_month.ToString()},
             {"state", rf::ToString(f.state)},
             {"raised_seq", f.raised_seq},
             {"reopened", f.reopened}};
  if (!f.note.empty()) j["note"] = f.note;
  if (!f.reason.empty()) j["reason"] = f.reason;
  if (!f.actor.empty()) j["actor"] = f.actor;
  if (f.action_seq) j["action_seq"] = *f.action_seq;
  if (f.resolved_month) j["resolved_month"] = f.resolved_month->ToString();
  return j;
}

// Checks the new builder's body against Canonicalize(the old DOM).
void BodyWriterSame(const rf::EntryDraft& built, const json& old_body, const char* kind) {
  CAPTURE(kind, old_body.dump());
  CHECK(built.kind == kind);
  auto old_text = rf::Canonicalize(old_body);
  if (!old_text.ok()) {
    // Text that is not UTF-8 (none is generated): both refuse.
    std::vector<rf::ScannedMember> members;
    CHECK_FALSE(rf::ScanBodyJson(built.body_json, &members).ok());
    return;
  }
  CHECK(built.body_json == *old_text);
}

}  // namespace

TEST_CASE("every entry kind's body written as text is byte for byte the DOM path's canonical body") {
  const rf::DraftOrigin o{"tester", "test"};
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    BodyWriterRandom r(seed);
    using rf::AccountType;
    {
      rf::PotFields f{.pot_id = r.Id(), .name = r.Text(), .programme = r.Text(), .financial_year = r.Text(),
                      .amount = r.Amount(), .funded_on = r.Day()};
      const std::string org = r.Id();
      BodyWriterSame(rf::PotDraft(f, org, o),
                     {{"pot_id", f.pot_id},
                      {"name", f.name},
                      {"programme", f.programme},
                      {"financial_year", f.financial_year},
                      {"amount", f.amount.ToDecimal()},
                      {"funded_on", f.funded_on.ToIso()},
                      {"postings", BodyWriterOldPostings(BodyWriterMove(BodyWriterAcct(AccountType::kFunding, org),
                                                                        BodyWriterAcct(AccountType::kPot, f.pot_id),
                                                                        f.amount))}},
                     rf::kind::kPot);
    }
    {
      rf::PersonFields f{.person_id = r.Text(), .ethnic_category = r.Text(), .age_band = r.Text(), .sex = r.Text(),
                         .locality = r.Text(), .s117_eligible = r.Bool()};
      BodyWriterSame(rf::PersonDraft(f, r.Day(), o),
                     {{"person_id", f.person_id},
                      {"ethnic_category", f.ethnic_category},
                      {"age_band", f.age_band},
                      {"sex", f.sex},
                      {"locality", f.locality},
                      {"s117_eligible", f.s117_eligible}},
                     rf::kind::kPerson);
    }
    {
      rf::ProviderFields f{.provider_id = r.Id(), .name = r.Text(), .kind = r.Text(), .size = r.Text(),
                           .payee_ref = r.Text(), .community_led = r.Bool(), .approved = r.Bool()};
      BodyWriterSame(rf::ProviderDraft(f, r.Day(), o),
                     {{"provider_id", f.provider_id},
                      {"name", f.name},
                      {"kind", f.kind},
                      {"size", f.size},
                      {"community_led", f.community_led},
                      {"approved", f.approved},
                      {"payee_ref", f.payee_ref}},
                     rf::kind::kProvider);
    }
    {
      rf::BudgetFields f{.budget_id = r.Id(), .person_id = r.Text(), .pot_id = r.Id(), .management = r.Text(),
                         .frequency = r.Text(), .payee_ref = r.Text(), .amount = r.Amount(), .start_date = r.Day(),
                         .end_date = r.Day(), .approved_on = r.Day()};
      BodyWriterSame(rf::BudgetDraft(f, o),
                     {{"budget_id", f.budget_id},
                      {"person_id", f.person_id},
                      {"pot_id", f.pot_id},
                      {"management", f.management},
                      {"amount", f.amount.ToDecimal()},
                      {"start_date", f.start_date.ToIso()},
                      {"end_date", f.end_date.ToIso()},
                      {"approved_on", f.approved_on.ToIso()},
                      {"frequency", f.frequency},
                      {"payee_ref", f.payee_ref},
                      {"postings", BodyWriterOldPostings(BodyWriterMove(BodyWriterAcct(AccountType::kPot, f.pot_id),
                                                                        BodyWriterAcct(AccountType::kBudget, f.budget_id),
                                                                        f.amount))}},
                     rf::kind::kBudget);
    }
    {
      rf::InvoiceFields f{.invoice_id = r.Text(), .provider_id = r.Id(), .budget_id = r.Id(),
                          .category = r.Text(), .description = r.Text(), .amount = r.Amount(),
                          .service_from = r.Day(), .service_to = r.Day(), .received_on = r.Day()};
      BodyWriterSame(rf::InvoiceReceivedDraft(f, o),
                     {{"invoice_id", f.invoice_id},
                      {"provider_id", f.provider_id},
                      {"budget_id", f.budget_id},
                      {"amount", f.amount.ToDecimal()},
                      {"service_from", f.service_from.ToIso()},
                      {"service_to", f.service_to.ToIso()},
                      {"received_on", f.received_on.ToIso()},
                      {"category", f.category},
                      {"description", f.description}},
                     rf::kind::kInvoiceReceived);
    }
    {
      const std::string invoice = r.Text(), budget = r.Id(), provider = r.Id();
      const rf::Pence amount = r.Amount();
      BodyWriterSame(rf::InvoiceApprovedDraft(invoice, budget, provider, amount, r.Day(), o),
                     {{"invoice_id", invoice},
                      {"postings", BodyWriterOldPostings(BodyWriterMove(
                                       BodyWriterAcct(AccountType::kBudget, budget),
                                       BodyWriterAcct(AccountType::kPayable, budget, provider), amount))}},
                     rf::kind::kInvoiceApproved);
    }
    for (const char* purpose : {"invoice", "instalment"}) {
      rf::PaymentFields f{.payment_id = r.Text(), .run_id = r.Text(), .purpose = purpose, .invoice_id = r.Text(),
                          .budget_id = r.Id(), .provider_id = r.Id(), .payee_ref = r.Text(),
                          .amount = r.Amount(), .run_date = r.Day(),
                          .due_on = r.Bool() ? std::optional<rf::Date>(r.Day()) : std::nullopt};
      json body = {{"payment_id", f.payment_id},
                   {"run_id", f.run_id},
                   {"purpose", f.purpose},
                   {"amount", f.amount.ToDecimal()},
                   {"payee_ref", f.payee_ref}};
      if (f.purpose == "invoice") {
        body["invoice_id"] = f.invoice_id;
        body["postings"] = BodyWriterOldPostings(BodyWriterMove(
            BodyWriterAcct(AccountType::kPayable, f.budget_id, f.provider_id),
            BodyWriterAcct(AccountType::kPaid, f.provider_id), f.amount));
      } else {
        body["budget_id"] = f.budget_id;
        body["postings"] = BodyWriterOldPostings(BodyWriterMove(BodyWriterAcct(AccountType::kBudget, f.budget_id),
                                                                BodyWriterAcct(AccountType::kDp, f.budget_id),
                                                                f.amount));
      }
      if (f.due_on) body["due_on"] = f.due_on->ToIso();
      BodyWriterSame(rf::PaymentPendingDraft(f, o), body, rf::kind::kPaymentPending);
    }
    {
      const std::string id = r.Text(), line = r.Text();
      const rf::Date on = r.Day();
      BodyWriterSame(rf::PaymentSettledDraft(id, line, on, o),
                     {{"payment_id", id}, {"bank_line_id", line}, {"booked_on", on.ToIso()}},
                     rf::kind::kPaymentSettled);
      BodyWriterSame(rf::RunSettledDraft(id, line, on, o),
                     {{"run_id", id}, {"bank_line_id", line}, {"booked_on", on.ToIso()}}, rf::kind::kPaymentSettled);
      const std::string reason = r.Text();
      BodyWriterSame(rf::PaymentUnsettledDraft(line, reason, on, o), {{"bank_line_id", line}, {"reason", reason}},
                     rf::kind::kPaymentUnsettled);
    }
    for (const char* purpose : {"invoice", "instalment"}) {
      rf::ReturnedFields f{.payment_id = r.Text(), .bank_line_id = r.Text(), .purpose = purpose,
                           .budget_id = r.Id(), .provider_id = r.Id(), .amount = r.Amount(),
                           .booked_on = r.Day()};
      json body = {{"payment_id", f.payment_id}, {"bank_line_id", f.bank_line_id}, {"amount", f.amount.ToDecimal()}};
      if (f.purpose == "invoice") {
        body["postings"] = BodyWriterOldPostings(BodyWriterMove(
            BodyWriterAcct(AccountType::kPaid, f.provider_id),
            BodyWriterAcct(AccountType::kPayable, f.budget_id, f.provider_id), f.amount));
      } else {
        body["postings"] = BodyWriterOldPostings(BodyWriterMove(BodyWriterAcct(AccountType::kDp, f.budget_id),
                                                                BodyWriterAcct(AccountType::kBudget, f.budget_id),
                                                                f.amount));
      }
      BodyWriterSame(rf::PaymentReturnedDraft(f, o), body, rf::kind::kPaymentReturned);
    }
    {
      rf::ReviewFields f{.review_id = r.Text(), .budget_id = r.Id(), .outcome = r.Text(),
                         .reviewed_by = r.Text(), .reviewed_on = r.Day()};
      BodyWriterSame(rf::ReviewDraft(f, o),
                     {{"review_id", f.review_id},
                      {"budget_id", f.budget_id},
                      {"reviewed_on", f.reviewed_on.ToIso()},
                      {"outcome", f.outcome},
                      {"reviewed_by", f.reviewed_by}},
                     rf::kind::kReview);
    }
    {
      rf::BankLineFields f{.statement_id = r.Text(), .line_id = r.Text(), .account = r.Text(),
                           .counterparty_ref = r.Text(), .end_to_end_id = r.Text(), .batch_id = r.Text(),
                           .description = r.Text(), .booked_on = r.Day(),
                           .value_date = r.Bool() ? std::optional<rf::Date>(r.Day()) : std::nullopt,
                           .amount = r.Amount()};
      json body = {{"statement_id", f.statement_id},     {"line_id", f.line_id},
                   {"account", f.account},               {"booked_on", f.booked_on.ToIso()},
                   {"amount", f.amount.ToDecimal()},     {"counterparty_ref", f.counterparty_ref},
                   {"end_to_end_id", f.end_to_end_id},   {"batch_id", f.batch_id},
                   {"description", f.description}};
      if (f.value_date) body["value_date"] = f.value_date->ToIso();
      BodyWriterSame(rf::BankLineDraft(f, o), body, rf::kind::kBankLine);
    }
    {
      rf::PostingFields f{.postings = r.Postings(), .effective = r.Day(), .memo = r.Bool() ? r.Text() : "",
                          .reason = r.Bool() ? r.Text() : "", .external_id = r.Bool() ? r.Text() : "",
                          .allow_negative = r.Bool()};
      json body = {{"postings", BodyWriterOldPostings(f.postings)}};
      if (!f.memo.empty()) body["memo"] = f.memo;
      if (!f.reason.empty()) body["reason"] = f.reason;
      if (!f.external_id.empty()) body["external_id"] = f.external_id;
      if (f.allow_negative) body["allow_negative"] = true;
      BodyWriterSame(rf::PostingDraft(f, o), body, rf::kind::kPosting);
    }
    {
      const uint64_t seq = r.Count();
      const std::vector<rf::Posting> original = r.Postings();
      const std::string reason = r.Text();
      const bool allow_negative = r.Bool();
      std::vector<rf::Posting> negated;
      for (const auto& p : original) negated.push_back({p.account, -p.amount});
      json body = {{"reverses", seq}, {"reason", reason}, {"postings", BodyWriterOldPostings(negated)}};
      if (allow_negative) body["allow_negative"] = true;
      BodyWriterSame(rf::ReversalDraft(seq, original, reason, r.Day(), o, allow_negative), body,
                     rf::kind::kReversal);
    }
    {
      const std::string key = r.Text(), value = r.Text();
      BodyWriterSame(rf::ConfigSetDraft(key, value, r.Day(), o), {{"key", key}, {"value", value}},
                     rf::kind::kConfigSet);
    }
    {
      const rf::Month month = r.AMonth();
      const std::string by = r.Text(), reason = r.Text();
      BodyWriterSame(rf::MonthCloseDraft(month, by, r.Day(), o), {{"month", month.ToString()}, {"by", by}},
                     rf::kind::kMonthClose);
      std::vector<std::string> ids;
      for (int i = r.Int(0, 3); i > 0; --i) ids.push_back(r.Text());
      BodyWriterSame(rf::ForcedMonthCloseDraft(month, by, reason, ids, r.Day(), o),
                     {{"month", month.ToString()}, {"by", by}, {"force_reason", reason}, {"critical_flags", ids}},
                     rf::kind::kMonthClose);
    }
    {
      const rf::Month month = r.AMonth();
      std::vector<rf::RaisedFlagFields> flags;
      json list = json::array();
      for (int i = r.Int(1, 4); i > 0; --i) {
        flags.push_back({.id = r.Text(), .code = r.Text(), .severity = r.Text(), .entity = r.Text(),
                         .amount = r.Amount()});
        const auto& f = flags.back();
        list.push_back({{"id", f.id},
                        {"code", f.code},
                        {"severity", f.severity},
                        {"entity", f.entity},
                        {"amount", f.amount.ToDecimal()}});
      }
      BodyWriterSame(rf::FlagsRaisedDraft(month, flags, o), {{"month", month.ToString()}, {"flags", list}},
                     rf::kind::kFlagsRaised);
    }
    {
      const std::string id = r.Text(), words = r.Text();
      const rf::Date on = r.Day();
      BodyWriterSame(rf::FlagExplainedDraft(id, words, on, o), {{"flag_id", id}, {"note", words}},
                     rf::kind::kFlagExplained);
      BodyWriterSame(rf::FlagResolvedDraft(id, words, on, o), {{"flag_id", id}, {"reason", words}},
                     rf::kind::kFlagResolved);
      BodyWriterSame(rf::AmendmentConfirmedDraft(id, on, o), {{"amendment_id", id}}, rf::kind::kAmendmentConfirmed);
      const bool approved = r.Bool();
      BodyWriterSame(rf::ProviderApprovalDraft(id, approved, words, on, o),
                     {{"provider_id", id}, {"approved", approved}, {"reason", words}}, rf::kind::kProviderApproval);
      BodyWriterSame(rf::InvoiceRejectedDraft(id, words, on, o), {{"invoice_id", id}, {"reason", words}},
                     rf::kind::kInvoiceRejected);
      BodyWriterSame(rf::PaymentCancelledDraft(id, words, on, o), {{"payment_id", id}, {"reason", words}},
                     rf::kind::kPaymentCancelled);
    }
    {
      rf::AmendmentFields f{.amendment_id = r.Text(), .target = r.Text(), .target_id = r.Text(),
                            .payee_ref = r.Text(), .reason = r.Text(), .effective = r.Day()};
      BodyWriterSame(rf::AmendmentRequestedDraft(f, o),
                     {{"amendment_id", f.amendment_id},
                      {"target", f.target},
                      {"target_id", f.target_id},
                      {"payee_ref", f.payee_ref},
                      {"reason", f.reason}},
                     rf::kind::kAmendmentRequested);
    }
  }
}

TEST_CASE("the canonical writer sorts members, escapes minimally and keeps text that is not UTF-8 refusable") {
  CHECK(rf::CanonicalObject().Finish() == "{}");
  CHECK(rf::CanonicalObject().Text("b", "1").Bool("a", false).Count("c", 7).Raw("aa", "[]").Finish() ==
        "{\"a\":false,\"aa\":[],\"b\":\"1\",\"c\":7}");
  CHECK(rf::CanonicalObject().Text("t", "q\"\\\n\x01\x7f\xc3\xa9").Finish() ==
        "{\"t\":\"q\\\"\\\\\\n\\u0001\x7f\xc3\xa9\"}");
  CHECK(rf::CanonicalTextList({}) == "[]");
  CHECK(rf::CanonicalTextList({"a", "\""}) == "[\"a\",\"\\\"\"]");
  const std::string latin1 = rf::CanonicalObject().Text("t", "Zo\xEB").Finish();
  std::vector<rf::ScannedMember> members;
  CHECK_FALSE(rf::ScanBodyJson(latin1, &members).ok());
  rf::EntryDraft d = rf::ConfigSetDraft("k", "Zo\xEB", rf::Date::FromDays(1), {"tester", "test"});
  std::string line;
  CHECK_FALSE(rf::AppendEntryLine(1, "2026-11-23T14:00:00.000000Z", rf::crypto::Hash{}, d, &line).ok());
}

TEST_CASE("postings a hand-written body leaves out are filled into its text where they sort") {
  rf::test::Books books;
  books.Standard();
  // "postings" sorts between members of a budget (before pot_id) and after
  // every member of an invoice approval.
  const rf::EntryDraft budget = rf::test::Books::Budget("B-3", "POT-A", "100.00");
  rf::EntryDraft budget_bare = budget;
  rf::test::EditBody(&budget_bare, [](nlohmann::json& b) { b.erase("postings"); });
  REQUIRE(budget_bare.body_json.find("postings") == std::string::npos);
  books.MustCommit({budget_bare});
  auto line = books.ledger().journal().Line(books.Size());
  REQUIRE(line.ok());
  auto entry = rf::ParseEntryLine(*line);
  REQUIRE(entry.ok());
  CHECK(entry->draft.body_json == budget.body_json);

  rf::InvoiceFields f{.invoice_id = "INV-1", .provider_id = "V-1", .budget_id = "B-1", .category = "therapy",
                      .description = "", .amount = rf::test::P("10.00"), .service_from = rf::test::D("2026-05-01"),
                      .service_to = rf::test::D("2026-05-31"), .received_on = rf::test::D("2026-06-03")};
  books.MustCommit({rf::InvoiceReceivedDraft(f, rf::test::kTester)});
  const rf::EntryDraft approved = rf::InvoiceApprovedDraft("INV-1", "B-1", "V-1", f.amount, f.received_on,
                                                            rf::test::kTester);
  rf::EntryDraft approved_bare = approved;
  rf::test::EditBody(&approved_bare, [](nlohmann::json& b) { b.erase("postings"); });
  CHECK(approved_bare.body_json == "{\"invoice_id\":\"INV-1\"}");
  books.MustCommit({approved_bare});
  line = books.ledger().journal().Line(books.Size());
  REQUIRE(line.ok());
  entry = rf::ParseEntryLine(*line);
  REQUIRE(entry.ok());
  CHECK(entry->draft.body_json == approved.body_json);
  rf::test::RequireViewsMatchJournal(books);
}

TEST_CASE("a flag's lifecycle record written as text is byte for byte the DOM form's canonical text, and decodes back") {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    CAPTURE(seed);
    BodyWriterRandom r(seed);
    rf::FlagLifeRecord f;
    f.code = r.Id();
    f.entity = r.Id();
    f.id = f.code + "/" + f.entity;
    f.severity = std::array<const char*, 3>{"critical", "warning", "info"}[static_cast<size_t>(r.Int(0, 2))];
    f.amount = r.Amount();
    f.first_month = r.AMonth();
    f.last_month = f.first_month;
    f.state = static_cast<rf::FlagState>(r.Int(0, 2));
    f.raised_seq = r.Count();
    f.reopened = r.Bool() ? r.Count() : 0;
    f.note = r.Text();
    f.reason = r.Text();
    f.actor = r.Text();
    if (r.Bool()) f.action_seq = r.Count();
    if (f.state == rf::FlagState::kResolved) f.resolved_month = f.last_month;
    const std::string text = rf::FlagLifeText(f);
    auto old_text = rf::Canonicalize(BodyWriterOldFlagLife(f));
    REQUIRE(old_text.ok());
    CHECK(text == *old_text);
    // The stored form reads back as the record it was written from.
    const std::string key = rf::RecordKey(rf::RecordKind::kFlagLife, f.id);
    auto back = rf::DecodeRecordText<rf::FlagLifeRecord>(key, text);
    REQUIRE(back.ok());
    CHECK(rf::FlagLifeText(*back) == text);
  }
}
