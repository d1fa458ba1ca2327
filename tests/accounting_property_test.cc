// Property tests: thousands of random sequences of allocations, payments,
// returns, reversals and overrides. After every commit: each entry's
// postings sum to zero, no ring-fenced account is negative without a
// recorded override, balances equal an independent sum of the postings, and
// views rebuilt from the journal equal the live views.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <random>

#include "ledger/core/apply.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/views.h"
#include "tests/ledger_fixture.h"
#include "tests/body_util.h"

namespace {

using rf::test::D;

// The views as LMDB would hold them, in memory.
class MapBacking : public rf::ViewBacking {
 public:
  rf::Result<std::optional<std::string>> Get(std::string_view key) const override {
    auto it = values.find(std::string(key));
    if (it == values.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  std::map<std::string, std::string> values;
};

class VectorPrior : public rf::PriorEntries {
 public:
  explicit VectorPrior(const std::vector<rf::EntryDraft>& entries) : entries_(entries) {}
  rf::Result<rf::EntryDraft> At(uint64_t seq) const override {
    if (seq == 0 || seq > entries_.size()) return rf::Status::NotFound("no entry");
    return entries_[seq - 1];
  }

 private:
  const std::vector<rf::EntryDraft>& entries_;
};

// A ledger in memory with the same commit discipline as Ledger::Commit: a
// batch applies wholly (views flushed) or not at all.
class MemoryLedger {
 public:
  MemoryLedger() {
    rf::EntryDraft init;
    init.kind = rf::kind::kInit;
    init.effective = D("2026-04-01");
    init.actor = "tester";
    rf::test::SetBody(&init, {{"org", "Test ICB"}});
    REQUIRE(Commit({init}).ok());
  }
  rf::Status Commit(std::vector<rf::EntryDraft> batch) {
    rf::Views views(&backing_);
    const size_t first = journal_.size();
    for (auto& d : batch) journal_.push_back(d);  // visible to reversals in the batch
    VectorPrior prior(journal_);
    for (size_t i = 0; i < batch.size(); ++i) {
      rf::Status s = rf::ApplyEntry(first + i + 1, &journal_[first + i], views, prior, rf::ApplyMode::kEnforce);
      if (!s.ok()) {
        journal_.resize(first);
        return s;
      }
    }
    RF_RETURN_IF_ERROR(views.ForEachDirty([&](std::string_view k, std::string_view v) {
      backing_.values[std::string(k)] = v;
      return rf::Status::Ok();
    }));
    return views.ForEachDeleted([&](std::string_view k) {
      backing_.values.erase(std::string(k));
      return rf::Status::Ok();
    });
  }
  std::map<std::string, std::string> Rebuild() const {
    rf::Views views(nullptr);
    std::vector<rf::EntryDraft> copy = journal_;
    VectorPrior prior(copy);
    for (size_t i = 0; i < copy.size(); ++i) {
      rf::Status s = rf::ApplyEntry(i + 1, &copy[i], views, prior, rf::ApplyMode::kEnforce);
      INFO(s.message());
      REQUIRE(s.ok());
    }
    std::map<std::string, std::string> out;
    REQUIRE(views
                .ForEachDirty([&](std::string_view k, std::string_view v) {
                  out[std::string(k)] = v;
                  return rf::Status::Ok();
                })
                .ok());
    return out;
  }
  const std::map<std::string, std::string>& live() const { return backing_.values; }
  const std::vector<rf::EntryDraft>& journal() const { return journal_; }

 private:
  MapBacking backing_;
  std::vector<rf::EntryDraft> journal_;
};

// Random operations over a small world: 2 pots, 4 budgets, 2 providers.
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::vector<rf::EntryDraft> Setup() {
    using B = rf::test::Books;
    std::vector<rf::EntryDraft> out;
    for (const char* pot : {"POT-A", "POT-B"}) {
      out.push_back(rf::PotDraft({pot, pot, "PHB", "2026-27", rf::test::P("5000.00"), D("2026-04-01")}, "test-icb",
                                 rf::test::kTester));
    }
    out.push_back(B::Person("P-1"));
    out.push_back(B::Provider("V-1"));
    out.push_back(B::Provider("V-2"));
    for (int b = 0; b < 4; ++b) {
      out.push_back(B::Budget(Budget(b), b < 2 ? "POT-A" : "POT-B", "100.00", "2026-04-02"));
    }
    return out;
  }

  std::string Budget(int b) const { return "B-" + std::to_string(b); }
  std::string PotOf(int b) const { return b < 2 ? "POT-A" : "POT-B"; }
  rf::Pence Amount(int64_t max_pence) {
    return rf::Pence::FromPence(std::uniform_int_distribution<int64_t>(1, max_pence)(rng_));
  }
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::mt19937& rng() { return rng_; }

 private:
  std::mt19937 rng_;
};

rf::EntryDraft Transfer(const std::string& from, const std::string& to, const rf::Pence& amount, int day,
                        const std::string& reason, bool allow_negative) {
  rf::PostingFields f;
  f.postings = {{rf::test::A(from), -amount}, {rf::test::A(to), amount}};
  f.effective = rf::Date::Parse("2026-05-01", "d")->AddDays(day);
  f.reason = reason;
  f.allow_negative = allow_negative;
  return rf::PostingDraft(f, rf::test::kTester);
}

// Draws the next operation; `postings_seqs` are earlier posting entries.
rf::EntryDraft RandomOperation(Generator& g, const std::vector<uint64_t>& posting_seqs,
                               const std::vector<rf::EntryDraft>& journal, int day) {
  const int b = g.Pick(4);
  const std::string budget = g.Budget(b), pot = g.PotOf(b);
  const std::string provider = g.Pick(2) == 0 ? "V-1" : "V-2";
  const bool override_negative = g.Pick(10) == 0;
  const std::string reason = override_negative || g.Pick(2) == 0 ? "reason " + std::to_string(day) : "";
  const rf::Pence amount = g.Amount(g.Pick(4) == 0 ? 20000 : 3000);
  switch (g.Pick(11)) {
    case 0:
      return Transfer("pot:" + pot, "budget:" + budget, amount, day, reason, override_negative);  // allocate
    case 1:
      return Transfer("budget:" + budget, "dp:" + budget, amount, day, reason, override_negative);  // instalment
    case 2:
      return Transfer("dp:" + budget, "spent:" + budget + ":therapy", amount, day, reason, override_negative);
    case 3:
      return Transfer("budget:" + budget, "payable:" + budget + ":" + provider, amount, day, reason,
                      override_negative);  // approve
    case 4:
      return Transfer("payable:" + budget + ":" + provider, "paid:" + provider, amount, day, reason,
                      override_negative);  // pay
    case 5:
      return Transfer("dp:" + budget, "pot:" + pot, amount, day, reason, override_negative);  // recover
    case 6:
      return Transfer("budget:" + budget, "pot:" + pot, amount, day, reason, override_negative);  // reduce
    case 7:
      return Transfer("pot:" + pot, "funding:test-icb", amount, day, reason, override_negative);  // return
    case 8:
      return Transfer("pot:" + pot, "external:general-fund", amount, day, reason, override_negative);
    case 9:  // a cross-pot move: always refused
      return Transfer("budget:" + budget, "budget:" + g.Budget((b + 2) % 4), amount, day, reason, override_negative);
    default: {
      if (posting_seqs.empty()) return Transfer("pot:" + pot, "budget:" + budget, amount, day, reason, false);
      const uint64_t seq = posting_seqs[static_cast<size_t>(g.Pick(static_cast<int>(posting_seqs.size())))];
      auto postings = rf::ParseBodyPostings(journal[seq - 1].body_json);
      REQUIRE(postings.ok());
      rf::EntryDraft d = rf::ReversalDraft(seq, *postings, "correction",
                                           rf::Date::Parse("2026-05-01", "d")->AddDays(day), rf::test::kTester);
      if (override_negative) rf::test::EditBody(&d, [&](nlohmann::json& b) { b["allow_negative"] = true; });
      return d;
    }
  }
}

void CheckInvariants(const MemoryLedger& ledger) {
  // Independent model: sum every committed posting.
  std::map<std::string, rf::Pence> model;
  for (const auto& d : ledger.journal()) {
    if (!rf::test::BodyOf(d).contains("postings")) continue;
    auto postings = rf::ParseBodyPostings(d.body_json);
    REQUIRE(postings.ok());
    rf::Pence sum;
    for (const auto& p : *postings) {
      sum += p.amount;
      model[p.account.ToString()] += p.amount;
    }
    REQUIRE(sum.is_zero());  // every entry's postings sum to zero
  }
  rf::Pence total;
  std::string flags;
  for (const auto& [k, v] : ledger.live()) {
    if (k.starts_with("flag/overspend/")) flags += v;
  }
  for (const auto& [k, v] : ledger.live()) {
    if (!k.starts_with("bal/")) continue;
    const std::string account = k.substr(4);
    const rf::Pence balance = *rf::ParseBalanceAmount(v, k);
    REQUIRE(balance == model[account]);
    total += balance;
    if (balance.is_negative() && rf::IsRingFenced(rf::test::A(account).type)) {
      INFO(account << " is negative without a recorded override");
      REQUIRE(flags.find("\"" + account + "\"") != std::string::npos);
    }
  }
  REQUIRE(total.is_zero());
}

}  // namespace

TEST_CASE("property: random operation sequences keep every accounting invariant and rebuilt views equal live views",
          "[property]") {
  // RF_PROPERTY_SEQUENCES=N: N sequences (default 2,000; the sanitizer
  // stage of `tools/dev test` runs 500, the same seeds' first quarter).
  const char* env = std::getenv("RF_PROPERTY_SEQUENCES");
  const int kSequences = env != nullptr ? std::max(40, std::atoi(env)) : 2000;
  constexpr int kOperations = 30;
  int committed = 0, refused = 0;
  for (int s = 0; s < kSequences; ++s) {
    Generator g(static_cast<uint32_t>(s) * 7919u + 1);
    MemoryLedger ledger;
    REQUIRE(ledger.Commit(g.Setup()).ok());
    std::vector<uint64_t> posting_seqs;
    for (int op = 0; op < kOperations; ++op) {
      std::vector<rf::EntryDraft> batch;
      const int size = 1 + g.Pick(3);
      // Build the batch against the journal as it stands (reversals refer to
      // committed entries only).
      for (int i = 0; i < size; ++i) batch.push_back(RandomOperation(g, posting_seqs, ledger.journal(), op));
      const size_t before = ledger.journal().size();
      rf::Status s_commit = ledger.Commit(batch);
      if (s_commit.ok()) {
        ++committed;
        for (size_t i = 0; i < batch.size(); ++i) {
          if (batch[i].kind == rf::kind::kPosting) posting_seqs.push_back(before + i + 1);
        }
      } else {
        ++refused;
        REQUIRE(ledger.journal().size() == before);  // all or nothing
        REQUIRE((s_commit.code() == rf::Status::Code::kRefused || s_commit.code() == rf::Status::Code::kInvalidInput));
      }
      CheckInvariants(ledger);
    }
    REQUIRE(ledger.Rebuild() == ledger.live());
  }
  INFO("committed " << committed << ", refused " << refused);
  REQUIRE(committed > kSequences * kOperations / 4);
  REQUIRE(refused > kSequences * kOperations / 10);
}

TEST_CASE("property: through LMDB, views written in each commit equal views rebuilt from the journal", "[property]") {
  for (uint32_t s = 0; s < 15; ++s) {
    Generator g(s + 100000);
    rf::test::Books books;
    books.MustCommit(g.Setup());
    std::vector<uint64_t> posting_seqs;
    std::vector<rf::EntryDraft> journal;
    for (uint64_t seq = 1; seq <= books.Size(); ++seq) {
      journal.push_back(rf::ParseEntryLine(*books.ledger().journal().Line(seq))->draft);
    }
    for (int op = 0; op < 25; ++op) {
      rf::EntryDraft d = RandomOperation(g, posting_seqs, journal, op);
      auto r = books.Commit({d});
      if (r.ok()) {
        journal.push_back(rf::ParseEntryLine(*books.ledger().journal().Line(books.Size()))->draft);
        if (d.kind == rf::kind::kPosting) posting_seqs.push_back(books.Size());
      }
      auto check = rf::CompareViews(books.ledger().journal());
      INFO(check.status().message());
      REQUIRE(check.ok());
    }
  }
}
