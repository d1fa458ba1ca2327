// The flag lifecycle's transitions (ledger/core/flag_life.h): raised,
// carried over, explained, resolved, reopened; and a random sequence of
// them through the ledger agrees with a small model and with verify.
#include "ledger/core/flag_life.h"

#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <random>

#include "ledger/core/records.h"
#include "tests/ledger_fixture.h"
#include "tests/body_util.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;

namespace {

rf::RaisedFlagFields LifeFlag(const std::string& entity, const char* amount = "10.00",
                              const char* severity = "warning") {
  return {.id = "UNSETTLED_PAYMENT/" + entity,
          .code = "UNSETTLED_PAYMENT",
          .severity = severity,
          .entity = entity,
          .amount = P(amount)};
}

std::optional<rf::FlagLifeRecord> LifeRecord(Books& books, const std::string& id) {
  return rf::test::StoredRecord<rf::FlagLifeRecord>(books, id);
}

}  // namespace

TEST_CASE("months between two months count whole months, either way") {
  CHECK(rf::MonthsBetween({2026, 5}, {2026, 5}) == 0);
  CHECK(rf::MonthsBetween({2026, 5}, {2026, 7}) == 2);
  CHECK(rf::MonthsBetween({2026, 11}, {2027, 1}) == 2);
  CHECK(rf::MonthsBetween({2027, 1}, {2026, 12}) == -1);
}

TEST_CASE("raising a flag: new, carried over, unchanged on a rerun, reopened only after its resolution month") {
  const auto f = LifeFlag("payment:PAY-1");
  const rf::Month may{2026, 5}, june{2026, 6}, july{2026, 7};
  const rf::FlagLifeRecord raised = rf::RaiseFlag(std::nullopt, f, may, 40);
  CHECK(raised.state == rf::FlagState::kOpen);
  CHECK(raised.first_month == may);
  CHECK(raised.last_month == may);
  CHECK(raised.raised_seq == 40);
  CHECK(rf::RaiseChanges(std::nullopt, f, may));
  CHECK_FALSE(rf::RaiseChanges(raised, f, may));                             // a rerun
  CHECK(rf::RaiseChanges(raised, LifeFlag("payment:PAY-1", "10.01"), may));  // a penny more at stake
  const rf::FlagLifeRecord carried = rf::RaiseFlag(raised, f, june, 50);
  CHECK(carried.first_month == may);
  CHECK(carried.last_month == june);
  CHECK(carried.raised_seq == 40);                 // still the entry that raised it
  CHECK_FALSE(rf::RaiseChanges(carried, f, may));  // an earlier month rerun after a later one

  auto resolved = rf::ResolveFlag(carried, f.id, "paid by cheque", "finance.manager", 60);
  REQUIRE(resolved.ok());
  CHECK(resolved->resolved_month == june);
  CHECK_FALSE(rf::WouldReopen(*resolved, june));
  CHECK_FALSE(rf::RaiseChanges(*resolved, f, june));
  CHECK(rf::WouldReopen(*resolved, july));  // one month after its resolution
  const rf::FlagLifeRecord reopened = rf::RaiseFlag(*resolved, f, july, 70);
  CHECK(reopened.state == rf::FlagState::kOpen);
  CHECK(reopened.first_month == july);
  CHECK(reopened.reopened == 1);
  CHECK(reopened.reason.empty());
  CHECK_FALSE(reopened.resolved_month.has_value());
  CHECK(reopened.raised_seq == 70);

  auto explained = rf::ExplainFlag(carried, f.id, "query with the bank", "finance.manager", 61);
  REQUIRE(explained.ok());
  const rf::FlagLifeRecord still = rf::RaiseFlag(*explained, f, july, 71);
  CHECK(still.state == rf::FlagState::kExplained);  // an explanation is carried over too
  CHECK(still.note == "query with the bank");
  CHECK(still.last_month == july);

  CHECK(rf::ExplainFlag(std::nullopt, f.id, "words here", "x", 1).status().refusal_code() == rf::refusal::kFlagUnknown);
  CHECK(rf::ExplainFlag(carried, f.id, "ok", "x", 1).status().refusal_code() == rf::refusal::kFlagNeedsWords);
  CHECK(rf::ResolveFlag(*resolved, f.id, "again and again", "x", 1).status().refusal_code() ==
        rf::refusal::kFlagAlreadyResolved);
}

TEST_CASE("a flags.raised entry is checked: dated its month's last day, ids of code and entity, amounts canonical") {
  Books books;
  books.Standard();
  const uint64_t size = books.Size();
  rf::EntryDraft off_day = rf::FlagsRaisedDraft({2026, 5}, {LifeFlag("payment:PAY-1")}, rf::test::kTester);
  off_day.effective = D("2026-05-30");
  CHECK(books.Commit({off_day}).status().code() == rf::Status::Code::kInvalidInput);
  rf::RaisedFlagFields bad_id = LifeFlag("payment:PAY-1");
  bad_id.id = "UNSETTLED_PAYMENT/payment:PAY-2";
  CHECK_THAT(books.Commit({rf::FlagsRaisedDraft({2026, 5}, {bad_id}, rf::test::kTester)}).status().message(),
             Catch::Contains("body.flags[0].id"));
  CHECK_THAT(
      books.Commit({rf::FlagsRaisedDraft({2026, 5}, {LifeFlag("payment:PAY-1", "10.00", "severe")}, rf::test::kTester)})
          .status()
          .message(),
      Catch::Contains("body.flags[0].severity"));
  rf::EntryDraft twice =
      rf::FlagsRaisedDraft({2026, 5}, {LifeFlag("payment:PAY-1"), LifeFlag("payment:PAY-1")}, rf::test::kTester);
  CHECK_THAT(books.Commit({twice}).status().message(), Catch::Contains("listed twice"));
  rf::EntryDraft loose = rf::FlagsRaisedDraft({2026, 5}, {LifeFlag("payment:PAY-1")}, rf::test::kTester);
  rf::test::EditBody(&loose, [&](nlohmann::json& b) { b["flags"][0]["amount"] = "10.0"; });
  CHECK_THAT(books.Commit({loose}).status().message(), Catch::Contains("canonical"));
  // The list's shape, read from the body's text element by element.
  const auto refused = [&](const std::function<void(nlohmann::json&)>& edit) {
    rf::EntryDraft d = rf::FlagsRaisedDraft({2026, 5}, {LifeFlag("payment:PAY-1")}, rf::test::kTester);
    rf::test::EditBody(&d, edit);
    return books.Commit({d}).status().message();
  };
  CHECK_THAT(refused([](nlohmann::json& b) { b["flags"] = "none"; }), Catch::Contains("body.flags: 1 to 48 flags"));
  CHECK_THAT(refused([](nlohmann::json& b) { b["flags"] = nlohmann::json::array(); }),
             Catch::Contains("body.flags: 1 to 48 flags"));
  CHECK_THAT(refused([](nlohmann::json& b) { b.erase("flags"); }), Catch::Contains("body.flags: 1 to 48 flags"));
  CHECK_THAT(refused([](nlohmann::json& b) {
               for (int i = 2; i <= 49; ++i) {
                 nlohmann::json f = b["flags"][0];
                 f["entity"] = "payment:PAY-" + std::to_string(i);
                 f["id"] = "UNSETTLED_PAYMENT/payment:PAY-" + std::to_string(i);
                 b["flags"].push_back(f);
               }
             }),
             Catch::Contains("body.flags: 1 to 48 flags"));
  CHECK_THAT(refused([](nlohmann::json& b) { b["flags"][0] = 7; }), Catch::Contains("body.flags[0]: expected"));
  CHECK_THAT(refused([](nlohmann::json& b) {
               b["flags"].push_back(nlohmann::json::array({1, 2}));
             }),
             Catch::Contains("body.flags[1]: expected"));
  CHECK_THAT(refused([](nlohmann::json& b) { b["flags"][0].erase("code"); }),
             Catch::Contains("body.flags[0]: expected"));
  CHECK_THAT(refused([](nlohmann::json& b) { b["flags"][0]["note"] = "x"; }),
             Catch::Contains("body.flags[0]: expected"));
  CHECK_THAT(refused([](nlohmann::json& b) { b["flags"][0]["code"] = 5; }),
             Catch::Contains("body.flags[0].code: required"));
  CHECK_THAT(refused([](nlohmann::json& b) { b["flags"][0]["entity"] = nlohmann::json::object(); }),
             Catch::Contains("body.flags[0].entity: required"));
  CHECK(books.Size() == size);
  // 48 flags, one whose entity holds characters the body escapes ('"',
  // '\\', ',', ']'): each recorded under the id as written.
  std::vector<rf::RaisedFlagFields> many;
  for (int i = 1; i <= 47; ++i) many.push_back(LifeFlag("payment:PAY-" + std::to_string(i)));
  many.push_back(LifeFlag("payment:say \"hi\", \\ ],{"));
  REQUIRE(books.Commit({rf::FlagsRaisedDraft({2026, 5}, many, rf::test::kTester)}).ok());
  for (const rf::RaisedFlagFields& f : many) {
    INFO(f.id);
    auto life = rf::test::StoredRecord<rf::FlagLifeRecord>(books, f.id);
    REQUIRE(life.has_value());
    CHECK(life->entity == f.entity);
  }
}

TEST_CASE("a random sequence of raises, explanations and resolutions agrees with the model and with verify") {
  struct ModelFlag {
    rf::FlagState state = rf::FlagState::kOpen;
    rf::Month first, last;
    std::optional<rf::Month> resolved_through;
    uint64_t reopened = 0;
  };
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    Books books;
    books.Standard();
    std::map<std::string, ModelFlag> model;
    const std::vector<std::string> entities = {"payment:PAY-1", "payment:PAY-2", "payment:PAY-3"};
    for (int step = 0; step < 40; ++step) {
      const std::string entity = entities[rng() % entities.size()];
      const std::string id = "UNSETTLED_PAYMENT/" + entity;
      const uint32_t op = rng() % 4;
      const uint64_t size = books.Size();
      if (op <= 1) {  // raise for a month, in any order
        const rf::Month month{2026, 4 + static_cast<unsigned>(rng() % 6)};
        books.MustCommit({rf::FlagsRaisedDraft(month, {LifeFlag(entity)}, rf::test::kTester)});
        auto it = model.find(id);
        if (it == model.end()) {
          model[id] = ModelFlag{.state = rf::FlagState::kOpen,
                                .first = month,
                                .last = month,
                                .resolved_through = std::nullopt,
                                .reopened = 0};
        } else if (it->second.state == rf::FlagState::kResolved && *it->second.resolved_through < month) {
          it->second = ModelFlag{.state = rf::FlagState::kOpen,
                                 .first = month,
                                 .last = month,
                                 .resolved_through = std::nullopt,
                                 .reopened = it->second.reopened + 1};
        } else {
          it->second.first = std::min(it->second.first, month);
          it->second.last = std::max(it->second.last, month);
        }
      } else {
        const bool resolve = op == 3;
        const rf::EntryDraft draft =
            resolve ? rf::FlagResolvedDraft(id, "settled on a later statement", D("2026-12-01"), rf::test::kTester)
                    : rf::FlagExplainedDraft(id, "queried with the bank", D("2026-12-01"), rf::test::kTester);
        const auto result = books.Commit({draft});
        auto it = model.find(id);
        if (it == model.end()) {
          CHECK(result.status().refusal_code() == rf::refusal::kFlagUnknown);
        } else if (it->second.state == rf::FlagState::kResolved) {
          CHECK(result.status().refusal_code() == rf::refusal::kFlagAlreadyResolved);
        } else {
          REQUIRE(result.ok());
          it->second.state = resolve ? rf::FlagState::kResolved : rf::FlagState::kExplained;
          if (resolve) it->second.resolved_through = it->second.last;
        }
        if (!result.ok()) CHECK(books.Size() == size);
      }
      for (const auto& [flag_id, want] : model) {
        const auto got = LifeRecord(books, flag_id);
        REQUIRE(got.has_value());
        CHECK(got->state == want.state);
        CHECK(got->first_month == want.first);
        CHECK(got->last_month == want.last);
        CHECK(got->resolved_month == want.resolved_through);
        CHECK(got->reopened == want.reopened);
      }
    }
    rf::test::RequireViewsMatchJournal(books);
  }
}
