// PlanFlagLifecycle over flags not in id order: each status lands at its
// flag's place, the drafts list the changed flags in the flags' order, and
// without drafts (a dry run) the same flags are counted and none made.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/core/records.h"
#include "reconcile/flag_lifecycle.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::P;

namespace {

rf::MonthFlag LifecyclePlanFlag(const std::string& code, const std::string& entity, rf::FlagSeverity severity,
                                const char* amount) {
  rf::MonthFlag f;
  f.code = *rf::FlagCodeNamed(code);
  f.severity = severity;
  f.entity = entity;
  f.amount_at_stake_pence = P(amount);
  return f;
}

rf::Result<rf::FlagLifecycle> LifecyclePlanOf(Books& books, const rf::Month& month,
                                              const std::vector<rf::MonthFlag>& flags, bool make_drafts) {
  rf::Result<rf::FlagLifecycle> life = rf::Status::InvalidInput("none");
  REQUIRE(books.ledger()
              .ReadViews([&](const rf::ViewSource& views) {
                life = rf::PlanFlagLifecycle(views, month, flags, rf::test::kTester, make_drafts);
                return life.status();
              })
              .ok());
  return life;
}

// The flag ids a flags.raised draft lists, in order.
std::vector<std::string> LifecyclePlanIds(const rf::FlagLifecycle& life) {
  std::vector<std::string> ids;
  for (const rf::EntryDraft& d : life.drafts) {
    const nlohmann::json body = nlohmann::json::parse(d.body_json);
    for (const auto& f : body.at("flags")) ids.push_back(f.at("id"));
  }
  return ids;
}

}  // namespace

TEST_CASE("a month's flag lifecycle keeps the flags' order whatever order their records are read in") {
  Books books;
  const rf::Month may = *rf::ParseMonth("2026-05", "month"), june = *rf::ParseMonth("2026-06", "month");
  // By severity first, so not in id order: Z before A.
  const std::vector<rf::MonthFlag> flags = {
      LifecyclePlanFlag("ZETA_CODE", "budget:B-9", rf::FlagSeverity::kCritical, "9.00"),
      LifecyclePlanFlag("ALPHA_CODE", "budget:B-1", rf::FlagSeverity::kWarning, "1.00"),
      LifecyclePlanFlag("MID_CODE", "budget:B-5", rf::FlagSeverity::kInfo, "5.00")};
  // May records ALPHA only.
  auto may_life = LifecyclePlanOf(books, may, {flags[1]}, true);
  REQUIRE(may_life.ok());
  REQUIRE(may_life->drafts.size() == 1);
  books.MustCommit(may_life->drafts);

  auto dry = LifecyclePlanOf(books, june, flags, false);
  REQUIRE(dry.ok());
  auto real = LifecyclePlanOf(books, june, flags, true);
  REQUIRE(real.ok());
  CHECK(dry->drafts.empty());
  CHECK(dry->flags_recorded == 3);  // ALPHA's amount and month change too
  CHECK(real->flags_recorded == 3);
  CHECK(LifecyclePlanIds(*real) == std::vector<std::string>{rf::FlagId(flags[0]), rf::FlagId(flags[1]), rf::FlagId(flags[2])});
  for (const auto* life : {&*dry, &*real}) {
    REQUIRE(life->statuses.size() == 3);
    CHECK(life->statuses[0].section == rf::FlagSection::kNew);
    CHECK(life->statuses[1].section == rf::FlagSection::kCarried);
    CHECK(life->statuses[1].first_month == may);
    CHECK(life->statuses[1].age_months == 1);
    CHECK(life->statuses[2].section == rf::FlagSection::kNew);
  }

  // Recorded, a rerun changes nothing: no drafts either way.
  books.MustCommit(real->drafts);
  auto again = LifecyclePlanOf(books, june, flags, true);
  REQUIRE(again.ok());
  CHECK(again->drafts.empty());
  CHECK(again->flags_recorded == 0);
  CHECK(again->statuses[1].section == rf::FlagSection::kCarried);
  CHECK(again->statuses[0].first_month == june);
}
