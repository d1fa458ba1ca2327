// The ring-fence rules on one entry's postings, and a property test over
// random operation sequences.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "ledger/core/account.h"
#include "ledger/core/rules.h"

namespace {

rf::Account Acct(const std::string& text) {
  auto a = rf::ParseAccount(text, "account");
  REQUIRE(a.ok());
  return *a;
}

rf::Pence P(int64_t pence) { return rf::Pence::FromPence(pence); }

// Reference data and balances in memory: two pots of one funder, budgets in each.
class MapContext : public rf::RuleContext {
 public:
  rf::Pence Balance(const rf::Account& a) const override {
    auto it = balances.find(a.ToString());
    return it == balances.end() ? rf::Pence() : it->second;
  }
  std::optional<std::string> PotOfBudget(const std::string& b) const override {
    auto it = budget_pot.find(b);
    if (it == budget_pot.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> FunderOfPot(const std::string& pot) const override {
    if (pot == "POT-A" || pot == "POT-B") return std::string("ICB");
    return std::nullopt;
  }
  void Apply(const std::vector<rf::Posting>& postings) {
    for (const auto& p : postings) balances[p.account.ToString()] += p.amount;
  }
  std::map<std::string, rf::Pence> balances;
  std::map<std::string, std::string> budget_pot = {{"B1", "POT-A"}, {"B2", "POT-A"}, {"B3", "POT-B"}};
};

std::vector<rf::Posting> Move(const std::string& from, const std::string& to, int64_t pence) {
  return {{Acct(from), P(-pence)}, {Acct(to), P(pence)}};
}

}  // namespace

TEST_CASE("account names parse by type prefix and refuse anything else naming the field") {
  CHECK(Acct("payable:B1:PROV-7").detail == "PROV-7");
  CHECK(Acct("spent:B1:personal-assistant").budget() == "B1");
  CHECK(rf::IsRingFenced(Acct("dp:B1").type));
  CHECK_FALSE(rf::IsRingFenced(Acct("paid:PROV-7").type));
  for (const char* bad : {"budget", "bank:X", "budget:", "payable:B1", "spent:B1:Alcohol", "pot:a b", ":x"}) {
    auto a = rf::ParseAccount(bad, "to_account");
    CHECK_FALSE(a.ok());
    CHECK(a.status().message().rfind("to_account: ", 0) == 0);
  }
}

TEST_CASE("postings must sum to zero exactly") {
  MapContext ctx;
  std::vector<rf::Posting> p = {{Acct("funding:ICB"), P(-100)}, {Acct("pot:POT-A"), P(99)}};
  auto r = rf::CheckRingFence(p, ctx, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("sum to -£0.01") != std::string::npos);
}

TEST_CASE("a ring-fenced account cannot go below zero, and the refusal names the account and the shortfall") {
  MapContext ctx;
  ctx.Apply(Move("funding:ICB", "pot:POT-A", 100000));
  auto r = rf::CheckRingFence(Move("pot:POT-A", "budget:B1", 100050), ctx, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("pot:POT-A would go below zero: short by £0.50") != std::string::npos);
  rf::Authority override_without_actor{"urgent care package", "", true};
  CHECK_FALSE(rf::CheckRingFence(Move("pot:POT-A", "budget:B1", 100050), ctx, override_without_actor).ok());
  rf::Authority override_ok{"urgent care package", "j.smith", true};
  auto allowed = rf::CheckRingFence(Move("pot:POT-A", "budget:B1", 100050), ctx, override_ok);
  REQUIRE(allowed.ok());
  REQUIRE(allowed->overdrafts.size() == 1);
  CHECK(allowed->overdrafts[0].balance_after == P(-50));
}

TEST_CASE("a transfer to external is accepted only with reason and actor, and is always a diversion") {
  MapContext ctx;
  ctx.Apply(Move("funding:ICB", "pot:POT-A", 5000));
  CHECK_FALSE(rf::CheckRingFence(Move("pot:POT-A", "external:general-fund", 1000), ctx, {}).ok());
  CHECK_FALSE(rf::CheckRingFence(Move("pot:POT-A", "external:general-fund", 1000), ctx, {"winter pressures", ""}).ok());
  auto r = rf::CheckRingFence(Move("pot:POT-A", "external:general-fund", 1000), ctx, {"winter pressures", "cfo"});
  REQUIRE(r.ok());
  CHECK(r->diversion);
  // A reason is words: spaces or punctuation are not one; three letters are the least.
  for (const char* not_words : {"   ", "...", "-", "a1", "n/a"}) {
    INFO(not_words);
    CHECK_FALSE(rf::CheckRingFence(Move("pot:POT-A", "external:general-fund", 1000), ctx, {not_words, "cfo"}).ok());
  }
  CHECK(rf::CheckRingFence(Move("pot:POT-A", "external:general-fund", 1000), ctx, {"tax", "cfo"}).ok());
}

TEST_CASE("a reason is words: at least three letters, non-ASCII letters counted once each") {
  CHECK_FALSE(rf::IsReason(""));
  CHECK_FALSE(rf::IsReason("   "));
  CHECK_FALSE(rf::IsReason("ab !"));
  CHECK(rf::IsReason("abc"));
  CHECK(rf::IsReason("a b c"));
  CHECK_FALSE(rf::IsReason("\xC3\xA9\xC3\xA9"));  // two letters (é é), four bytes
  CHECK(rf::IsReason("\xC3\xA9t\xC3\xA9"));        // été
}

TEST_CASE("a pot's money returns only to its own funder, with a reason") {
  MapContext ctx;
  ctx.Apply(Move("funding:ICB", "pot:POT-A", 5000));
  CHECK_FALSE(rf::CheckRingFence(Move("pot:POT-A", "funding:OTHER", 1000), ctx, {"year end", "cfo"}).ok());
  CHECK_FALSE(rf::CheckRingFence(Move("pot:POT-A", "funding:ICB", 1000), ctx, {}).ok());
  CHECK_FALSE(rf::CheckRingFence(Move("pot:POT-A", "funding:ICB", 1000), ctx, {"   ", "cfo"}).ok());
  CHECK(rf::CheckRingFence(Move("pot:POT-A", "funding:ICB", 1000), ctx, {"year end", "cfo"}).ok());
}

TEST_CASE("a budget's money stays in its pot") {
  MapContext ctx;
  ctx.Apply(Move("funding:ICB", "pot:POT-A", 5000));
  ctx.Apply(Move("pot:POT-A", "budget:B1", 5000));
  auto r = rf::CheckRingFence(Move("budget:B1", "budget:B3", 100), ctx, {"moving", "cfo"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("cannot reach pot") != std::string::npos);
  CHECK(rf::CheckRingFence(Move("budget:B1", "budget:B2", 100), ctx, {}).ok());
  CHECK_FALSE(rf::CheckRingFence(Move("budget:B1", "budget:NOPE", 100), ctx, {}).ok());
}

TEST_CASE("random operation sequences keep every invariant (property)") {
  std::mt19937_64 rng(4117);
  const std::vector<std::string> budgets = {"B1", "B2", "B3"};
  for (int run = 0; run < 200; ++run) {
    MapContext ctx;
    std::set<std::string> overridden;  // accounts an override let go negative
    int accepted = 0;
    for (int step = 0; step < 60; ++step) {
      const std::string b = budgets[rng() % budgets.size()];
      const std::string pot = b == "B3" ? "POT-B" : "POT-A";
      const int64_t amount = 1 + static_cast<int64_t>(rng() % 200000);
      std::vector<rf::Posting> postings;
      switch (rng() % 8) {
        case 0: postings = Move("funding:ICB", "pot:" + pot, amount); break;
        case 1: postings = Move("pot:" + pot, "budget:" + b, amount); break;
        case 2: postings = Move("budget:" + b, "payable:" + b + ":PROV-1", amount); break;
        case 3: postings = Move("payable:" + b + ":PROV-1", "paid:PROV-1", amount); break;
        case 4: postings = Move("budget:" + b, "dp:" + b, amount); break;
        case 5: postings = Move("dp:" + b, "spent:" + b + ":activities", amount); break;
        case 6: postings = Move("budget:" + b, "pot:" + pot, amount); break;
        default: postings = Move("pot:" + pot, "budget:" + budgets[rng() % budgets.size()], amount); break;
      }
      rf::Authority authority;
      if (rng() % 10 == 0) authority = {"urgent", "j.smith", true};
      auto r = rf::CheckRingFence(postings, ctx, authority);
      if (!r.ok()) continue;  // refused: nothing applied
      ++accepted;
      for (const auto& o : r->overdrafts) overridden.insert(o.account.ToString());
      ctx.Apply(postings);
      rf::Pence total;
      for (const auto& [name, balance] : ctx.balances) {
        total += balance;
        if (balance.is_negative()) {
          INFO(name << " is " << balance.ToPounds());
          CHECK(rf::IsRingFenced(Acct(name).type) == (overridden.count(name) == 1));
          if (!rf::IsRingFenced(Acct(name).type)) {
            CHECK((name.rfind("funding:", 0) == 0 || name.rfind("external:", 0) == 0));
          }
        }
      }
      CHECK(total.is_zero());
    }
    CHECK(accepted > 0);
  }
}
