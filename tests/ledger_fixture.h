#ifndef RINGFENCE_TESTS_LEDGER_FIXTURE_H_
#define RINGFENCE_TESTS_LEDGER_FIXTURE_H_

// A ledger with a small set of reference data, for accounting tests.

#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ledger/core/entry_kinds.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"
#include "ledger/storage/lmdb_env.h"
#include "tests/test_util.h"

namespace rf::test {

inline Date D(const char* iso) { return *Date::Parse(iso, "date"); }
inline Pence P(const char* pounds) { return *Pence::Parse(pounds, "amount"); }
inline Account A(const std::string& text) { return *ParseAccount(text, "account"); }
inline const DraftOrigin kTester{"tester", "test"};

// The account the tests' bank statements are of.
inline constexpr char kTestBankAccount[] = "GB33BUKB20201555555555";

// Line `line_id` of statement `statement_id` on kTestBankAccount, described
// "line <line_id>" (payments out negative); the rest is what the tests' lines
// differ by.
inline EntryDraft StatementLine(const std::string& statement_id, const std::string& line_id, Pence amount,
                                Date booked_on, const std::string& payee = "", const std::string& end_to_end_id = "",
                                const std::string& batch_id = "") {
  BankLineFields f;
  f.statement_id = statement_id;
  f.line_id = line_id;
  f.account = kTestBankAccount;
  f.booked_on = booked_on;
  f.amount = amount;
  f.counterparty_ref = payee;
  f.end_to_end_id = end_to_end_id;
  f.batch_id = batch_id;
  f.description = "line " + line_id;
  return BankLineDraft(f, kTester);
}
inline EntryDraft StatementLine(const std::string& statement_id, const std::string& line_id, const char* amount,
                                const char* booked_on, const std::string& payee = "",
                                const std::string& end_to_end_id = "", const std::string& batch_id = "") {
  return StatementLine(statement_id, line_id, P(amount), D(booked_on), payee, end_to_end_id, batch_id);
}

// Pending instalment `payment_id` of budget `budget_id` in run `run_id`.
inline EntryDraft PendingInstalment(const std::string& payment_id, const std::string& run_id, Pence amount,
                                    Date run_date, const std::string& payee = "",
                                    const std::string& budget_id = "B-1") {
  PaymentFields f;
  f.payment_id = payment_id;
  f.run_id = run_id;
  f.purpose = "instalment";
  f.budget_id = budget_id;
  f.payee_ref = payee;
  f.amount = amount;
  f.run_date = run_date;
  return PaymentPendingDraft(f, kTester);
}
inline EntryDraft PendingInstalment(const std::string& payment_id, const std::string& run_id, const char* amount,
                                    const char* run_date, const std::string& payee = "",
                                    const std::string& budget_id = "B-1") {
  return PendingInstalment(payment_id, run_id, P(amount), D(run_date), payee, budget_id);
}

class Books {
 public:
  explicit Books(const std::string& org = "Test ICB") {
    auto ledger = Ledger::Create(dir_ / "ledger.rf", org, DefaultOrigin(org), "tester", JournalOptions{false});
    REQUIRE(ledger.ok());
    ledger_ = std::move(*ledger);
    org_id_ = OrgAccountId(org);
  }

  Ledger& ledger() { return *ledger_; }
  const std::string& org_id() const { return org_id_; }
  // Pot POT-A (£10,000), person P-1, provider V-1 and budget B-1 (£5,000):
  // the one budget the hand-made reconcile months pay from.
  void MustOpenOneBudget() {
    MustCommit({Pot("POT-A", "10000.00"), Person("P-1"), Provider("V-1"), Budget("B-1", "POT-A", "5000.00")});
  }
  std::string dir() const { return dir_ / "ledger.rf"; }

  Result<CommitResult> Commit(std::vector<EntryDraft> drafts, bool dry_run = false) {
    return ledger_->Commit(std::move(drafts), dry_run);
  }
  void MustCommit(std::vector<EntryDraft> drafts) {
    auto r = Commit(std::move(drafts));
    INFO(r.status().message());
    REQUIRE(r.ok());
  }

  EntryDraft Pot(const std::string& id, const char* amount, const char* on = "2026-04-01") {
    return PotDraft({id, "Pot " + id, "PHB", "2026-27", P(amount), D(on)}, org_id_, kTester);
  }
  static EntryDraft Person(const std::string& id) {
    return PersonDraft({id, "A", "25-34", "female", "North", true}, D("2026-04-01"), kTester);
  }
  static EntryDraft Provider(const std::string& id, bool approved = true) {
    return ProviderDraft({id, "Provider " + id, "vcse", "small", "GB82WEST12345698765432", true, approved},
                         D("2026-04-01"), kTester);
  }
  static EntryDraft Budget(const std::string& id, const std::string& pot, const char* amount,
                           const char* on = "2026-04-02", const std::string& person = "P-1",
                           const std::string& management = "direct-payment") {
    return BudgetDraft(
        {id, person, pot, management, "monthly", "GB82WEST12345698765432", P(amount), D(on), D("2027-03-31"), D(on)},
        kTester);
  }
  static EntryDraft Move(const std::string& from, const std::string& to, const char* amount,
                         const char* on = "2026-05-01", const std::string& reason = "", bool allow_negative = false) {
    PostingFields f;
    f.postings = {{A(from), -P(amount)}, {A(to), P(amount)}};
    f.effective = D(on);
    f.reason = reason;
    f.allow_negative = allow_negative;
    return PostingDraft(f, kTester);
  }

  // Standard set-up: pot POT-A (10,000), POT-B (5,000), person P-1, provider
  // V-1, budget B-1 of 1,200 from POT-A and B-2 of 600 from POT-B.
  void Standard() {
    MustCommit({Pot("POT-A", "10000.00"), Pot("POT-B", "5000.00"), Person("P-1"), Provider("V-1"),
                Budget("B-1", "POT-A", "1200.00"), Budget("B-2", "POT-B", "600.00")});
  }

  Pence Balance(const std::string& account) {
    Pence out;
    REQUIRE(ledger_
                ->ReadViews([&](const ViewSource& views) {
                  auto v = views.Get("bal/" + account);
                  if (!v.ok()) return v.status();
                  if (v->has_value()) out = *ParseBalanceAmount(**v, "balance");
                  return Status::Ok();
                })
                .ok());
    return out;
  }
  uint64_t Size() { return *ledger_->journal().Size(); }
  // The stored view under `key` ("bankline/STMT-1/5"), parsed; nullopt if absent.
  std::optional<nlohmann::json> Record(const std::string& key) {
    std::optional<nlohmann::json> out;
    REQUIRE(ledger_
                ->ReadViews([&](const ViewSource& views) {
                  auto v = views.Get(key);
                  if (!v.ok()) return v.status();
                  if (v->has_value()) out = nlohmann::json::parse(**v);
                  return Status::Ok();
                })
                .ok());
    return out;
  }

 private:
  TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
  std::string org_id_;
};

// The views the commits wrote equal the views rebuilt from the journal.
// The stored record R of id `id` as the ledger's views hold it now; nullopt
// when there is none (a view that does not decode fails the test).
template <typename R>
std::optional<R> StoredRecord(Books& books, const std::string& id) {
  std::optional<R> out;
  REQUIRE(books.ledger()
              .ReadViews([&](const ViewSource& views) -> Status {
                auto found = FindRecord<R>(views, id);
                if (!found.ok()) return found.status();
                out = *found;
                return Status::Ok();
              })
              .ok());
  return out;
}

// The same, required to exist.
template <typename R>
R MustStoredRecord(Books& books, const std::string& id) {
  std::optional<R> out = StoredRecord<R>(books, id);
  REQUIRE(out.has_value());
  return *out;
}

inline void RequireViewsMatchJournal(Books& books) {
  const Journal& journal = books.ledger().journal();
  auto check = CompareViews(journal);
  INFO(check.status().message());
  REQUIRE(check.ok());
  // The same replay spilled to its scratch database after (nearly) every
  // entry and every few views, as a national ledger's replay spills every
  // kViewsCacheSlotsMax: the same views, every one read back from LMDB.
  for (const size_t slots : {size_t{1}, size_t{7}}) {
    INFO("spilled above " << slots << " views");
    auto txn = LmdbTxn::Begin(journal.env(), /*read_only=*/true);
    REQUIRE(txn.ok());
    ViewsCheck spilled;
    const Status walked = DiffViewsInTxn(
        *txn, journal.dbs(), {}, &spilled,
        [](const ViewDifference& d) { return Status::Tampered("view " + std::string(d.key) + " differs"); }, slots);
    INFO(walked.message());
    REQUIRE(walked.ok());
    CHECK(spilled.entries == check->entries);
    CHECK(spilled.keys == check->keys);
  }
}

}  // namespace rf::test

#endif  // RINGFENCE_TESTS_LEDGER_FIXTURE_H_
