// A payment run's chain damaged behind the ledger's back (a bad disk, or
// someone editing data.mdb): every Status::Tampered path of
// ledger/payments/payment_run.cc is reached by damaging a real ledger's
// views or journal lines through LMDB directly, and each names the key or
// entry. Through the program, `pay` and `pay --reissue` then exit 1 and
// change nothing, and `verify` exits 1.
#include <lmdb.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "ledger/payments/payment_run.h"
#include "ledger/storage/lmdb_env.h"
#include "ledger/storage/views_store.h"
#include "tests/ledger_fixture.h"

using rf::test::Books;
using rf::test::D;
using rf::test::P;

namespace {

constexpr char kPayTamperDebtorIban[] = "GB29NWBK60161331926819";
constexpr char kPayTamperRunId[] = "RUN-2026-05-15-1";
constexpr char kPayTamperInvoicePayment[] = "PAY-INV-1";

// Standard() plus the debtor account, a notional budget B-N and an approved
// invoice INV-1 (V-1, 250.00), then a run on 2026-05-15: its header note and
// the payments of B-1's and B-2's instalments and of INV-1. Returns the
// seq of the header note.
uint64_t PayTamperBooks(Books& books) {
  books.Standard();
  books.MustCommit({rf::ConfigSetDraft("bank.debtor_iban", kPayTamperDebtorIban, D("2026-04-01"), rf::test::kTester),
                    Books::Budget("B-N", "POT-A", "3000.00", "2026-04-02", "P-1", "notional")});
  books.MustCommit({rf::InvoiceReceivedDraft({"INV-1", "V-1", "B-N", "therapy", "April", P("250.00"), D("2026-04-02"),
                                              D("2026-04-30"), D("2026-05-02")},
                                             rf::test::kTester),
                    rf::InvoiceApprovedDraft("INV-1", "B-N", "V-1", P("250.00"), D("2026-05-04"), rf::test::kTester)});
  auto before = books.ledger().journal().Size();
  REQUIRE(before.ok());
  auto run = rf::MakePaymentRun(books.ledger(), D("2026-05-15"), {"tester", "pay"}, /*dry_run=*/false);
  INFO(run.status().message());
  REQUIRE(run.ok());
  REQUIRE(run->committed);
  REQUIRE(run->plan.run_id == kPayTamperRunId);
  REQUIRE(run->plan.payments.size() >= 3);
  return *before + 1;
}

// A write transaction on the ledger's file, committed by Done.
class PayTamperEdit {
 public:
  explicit PayTamperEdit(Books& books)
      : journal_(books.ledger().journal()), txn_(Begin(journal_)), store_(&txn_, journal_.dbs()) {}

  std::string View(const std::string& key) {
    auto value = store_.Get(key);
    REQUIRE(value.ok());
    REQUIRE(value->has_value());
    return **value;
  }
  void PutView(const std::string& key, const std::string& value) { REQUIRE(store_.Put(key, value).ok()); }
  std::vector<std::string> ViewKeys(const std::string& prefix) {
    std::vector<std::string> keys;
    REQUIRE(store_
                .ForEach(prefix,
                         [&](std::string_view key, std::string_view) {
                           keys.emplace_back(key);
                           return rf::Status::Ok();
                         })
                .ok());
    return keys;
  }
  void DeleteView(const std::string& key) {
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    REQUIRE(mdb_del(txn_.txn(), journal_.dbs().views, &k, nullptr) == 0);
  }
  // The view's record with `member` changed (or removed when value is null).
  void EditRecord(const std::string& key, const std::string& member, const nlohmann::json& value) {
    nlohmann::json record = nlohmann::json::parse(View(key));
    if (value.is_null()) {
      REQUIRE(record.erase(member) == 1);
    } else {
      record[member] = value;
    }
    PutView(key, record.dump());
  }
  std::string Line(uint64_t seq) {
    auto line = journal_.Line(seq);  // its own read transaction: the file as committed
    REQUIRE(line.ok());
    return *line;
  }
  // Stores `line` as entry seq, plain (the journal reads a line that
  // begins with '{' as stored plain).
  void PutLine(uint64_t seq, const std::string& line) {
    REQUIRE(line.front() == '{');
    rf::U64Key key(seq);
    REQUIRE(txn_.Put(journal_.dbs().entries, key.val(), MDB_val{line.size(), const_cast<char*>(line.data())}, 0).ok());
  }
  void Done() { REQUIRE(txn_.Commit().ok()); }

 private:
  static rf::LmdbTxn Begin(const rf::Journal& journal) {
    auto txn = rf::LmdbTxn::Begin(journal.env(), /*read_only=*/false);
    REQUIRE(txn.ok());
    return std::move(*txn);
  }
  const rf::Journal& journal_;
  rf::LmdbTxn txn_;
  rf::ViewsStore store_;
};

// `text` with its first `from` replaced by `to`.
std::string PayTamperReplace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

void PayTamperRequireTampered(const rf::Status& status, const std::string& naming) {
  INFO(status.message());
  CHECK(status.code() == rf::Status::Code::kTampered);
  CHECK_THAT(status.message(), Catch::Contains(naming));
}

rf::Status PayTamperReissue(Books& books) { return rf::CommittedRun(books.ledger(), kPayTamperRunId).status(); }

rf::Status PayTamperPlan(Books& books, const char* date = "2026-06-15") {
  return rf::PlanPaymentRun(books.ledger(), D(date), {"tester", "pay"}).status();
}

// INV-2 (V-1, budget B-N, £20.00) received and approved after the run: the
// next run's planner reads it.
void PayTamperApprovedInvoice(Books& books) {
  books.MustCommit({rf::InvoiceReceivedDraft({"INV-2", "V-1", "B-N", "therapy", "May", P("20.00"), D("2026-05-02"),
                                              D("2026-05-31"), D("2026-06-02")},
                                             rf::test::kTester),
                    rf::InvoiceApprovedDraft("INV-2", "B-N", "V-1", P("20.00"), D("2026-06-04"), rf::test::kTester)});
}

std::string PayTamperPaymentKey(const std::string& id) { return rf::RecordKey(rf::RecordKind::kPayment, id); }

}  // namespace

TEST_CASE("payment run tamper: an undamaged run reissues, so each case below fails by its damage alone") {
  Books books;
  PayTamperBooks(books);
  auto run = rf::CommittedRun(books.ledger(), kPayTamperRunId);
  INFO(run.status().message());
  REQUIRE(run.ok());
  CHECK(run->transfers.size() >= 3);
  CHECK(PayTamperPlan(books).ok());
}

TEST_CASE("payment run tamper: a provider record a run's payment names is missing") {
  Books books;
  PayTamperBooks(books);
  {
    PayTamperEdit edit(books);
    edit.DeleteView(rf::RecordKey(rf::RecordKind::kProvider, "V-1"));
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), "view " + rf::RecordKey(rf::RecordKind::kProvider, "V-1") +
                                                        " is missing");
}

TEST_CASE("payment run tamper: a provider record an approved invoice names is missing when planning a run") {
  Books books;
  PayTamperBooks(books);
  PayTamperApprovedInvoice(books);
  {
    PayTamperEdit edit(books);
    edit.DeleteView(rf::RecordKey(rf::RecordKind::kProvider, "V-1"));
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperPlan(books), "view " + rf::RecordKey(rf::RecordKind::kProvider, "V-1") +
                                                     " is missing");
}

TEST_CASE("payment run tamper: an approved invoice without approved_on") {
  Books books;
  PayTamperBooks(books);
  PayTamperApprovedInvoice(books);
  const std::string key = rf::RecordKey(rf::RecordKind::kInvoice, "INV-2");
  {
    PayTamperEdit edit(books);
    edit.EditRecord(key, "approved_on", nullptr);
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperPlan(books), "view " + key + " member approved_on: is missing");
}

TEST_CASE("payment run tamper: an instalment payment of a run without due_on") {
  Books books;
  PayTamperBooks(books);
  const std::string key = PayTamperPaymentKey("DP-B-1-0001");
  {
    PayTamperEdit edit(books);
    edit.EditRecord(key, "due_on", nullptr);
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), "view " + key + " member due_on");
}

TEST_CASE("payment run tamper: the entry before a run's first payment is not its header") {
  Books books;
  const uint64_t note_seq = PayTamperBooks(books);
  // The first payment's record now says it was written later: the entry
  // before the (new) first payment is a payment, not the run's header note.
  const std::string key = PayTamperPaymentKey("DP-B-1-0001");
  {
    PayTamperEdit edit(books);
    edit.EditRecord(key, "seq", note_seq + 50);
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), "entry " + std::to_string(note_seq + 1) +
                                                        " is not the header of payment run " + kPayTamperRunId);
  {
    PayTamperEdit edit(books);
    edit.EditRecord(key, "seq", note_seq - 1);  // before the header: the entry before that is no header
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), "entry " + std::to_string(note_seq - 2) +
                                                        " is not the header of payment run " + kPayTamperRunId);
}

TEST_CASE("payment run tamper: the header note names another run, or other file ids") {
  Books books;
  const uint64_t note_seq = PayTamperBooks(books);
  const std::string run_id_member = std::string("\"run_id\":\"") + kPayTamperRunId + "\"";
  std::string line;
  {
    PayTamperEdit edit(books);
    line = edit.Line(note_seq);
    edit.PutLine(note_seq, PayTamperReplace(line, run_id_member, "\"run_id\":\"RUN-2026-05-15-7\""));
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), "entry " + std::to_string(note_seq) +
                                                        " is not the header of payment run " + kPayTamperRunId);
  // The file's MsgId is the run id: a header naming another is damage.
  const std::string message_id_member = std::string("\"message_id\":\"") + kPayTamperRunId + "\"";
  {
    PayTamperEdit edit(books);
    edit.PutLine(note_seq, PayTamperReplace(line, message_id_member, "\"message_id\":\"RUN-2026-05-15-7\""));
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), std::string("payment run ") + kPayTamperRunId +
                                                        ": its header (entry " + std::to_string(note_seq) +
                                                        ") disagrees with its payments");
}

TEST_CASE("payment run tamper: the header note's run date or recorded time does not parse") {
  Books books;
  const uint64_t note_seq = PayTamperBooks(books);
  std::string line;
  {
    PayTamperEdit edit(books);
    line = edit.Line(note_seq);
    edit.PutLine(note_seq, PayTamperReplace(line, "\"run_date\":\"2026-05-15\"", "\"run_date\":\"2026-02-30\""));
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), "entry " + std::to_string(note_seq) + " is damaged");
  // The time's shape is checked when the line is read; an impossible month
  // in the right shape is found here.
  const size_t at = line.find("\"recorded\":\"");
  REQUIRE(at != std::string::npos);
  std::string bad_time = line;
  bad_time.replace(at + 12 + 5, 2, "13");
  {
    PayTamperEdit edit(books);
    edit.PutLine(note_seq, bad_time);
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), "entry " + std::to_string(note_seq) + " is damaged");
}

TEST_CASE("payment run tamper: a run whose payments are not one contiguous run of entries") {
  Books books;
  const uint64_t note_seq = PayTamperBooks(books);
  {
    PayTamperEdit edit(books);
    edit.EditRecord(PayTamperPaymentKey(kPayTamperInvoicePayment), "seq", note_seq + 40);
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books),
                           std::string("payment run ") + kPayTamperRunId + " is not one contiguous run of entries");
}

TEST_CASE("payment run tamper: a run whose header disagrees with its payments (amount, or a payment taken out)") {
  Books books;
  const uint64_t note_seq = PayTamperBooks(books);
  const std::string header_disagrees = std::string("payment run ") + kPayTamperRunId + ": its header (entry " +
                                       std::to_string(note_seq) + ") disagrees with its payments";
  const std::string key = PayTamperPaymentKey(kPayTamperInvoicePayment);
  std::string original;
  {
    PayTamperEdit edit(books);
    original = edit.View(key);
    edit.EditRecord(key, "amount", "2500.00");
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), header_disagrees);
  // The invoice's payment moved to another run: the header counts one more.
  {
    PayTamperEdit edit(books);
    edit.PutView(key, original);
    edit.EditRecord(key, "run_id", "RUN-2026-05-15-9");
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), header_disagrees);
}

TEST_CASE("payment run tamper: entry 1 names no organisation") {
  Books books;
  PayTamperBooks(books);
  {
    PayTamperEdit edit(books);
    edit.PutLine(1, PayTamperReplace(edit.Line(1), "\"org\":", "\"orf\":"));
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperPlan(books), "entry 1 names no organisation");
}

TEST_CASE("payment run tamper: a run with more payments than a run can hold") {
  Books books;
  PayTamperBooks(books);
  const std::string key = PayTamperPaymentKey("DP-B-1-0001");
  {
    PayTamperEdit edit(books);
    const std::string record = edit.View(key);
    for (size_t i = 0; i < rf::kRunPaymentsMax; ++i) {
      edit.PutView(PayTamperPaymentKey("DP-X-" + std::to_string(1'000'000 + i)), record);
    }
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), std::string("run ") + kPayTamperRunId + " has too many payments");
}

TEST_CASE("payment run tamper: through the program, pay and pay --reissue exit 1 changing nothing, verify exits 1") {
  Books books;
  const uint64_t note_seq = PayTamperBooks(books);
  PayTamperApprovedInvoice(books);
  const std::string rf = rf::test::RingfenceOn(books.dir());
  rf::test::TempDir out_dir;
  const std::string out = out_dir / "run.xml";
  REQUIRE(rf::test::Run(rf + "verify").exit_code == 0);
  // Two kinds of damage: a view the planner reads, and the run's header line.
  {
    PayTamperEdit edit(books);
    edit.DeleteView(rf::RecordKey(rf::RecordKind::kProvider, "V-1"));
    edit.PutLine(note_seq, PayTamperReplace(edit.Line(note_seq), "\"run_date\":\"2026-05-15\"",
                                            "\"run_date\":\"2026-02-30\""));
    edit.Done();
  }
  const std::string data_before = rf::test::ReadFile(books.dir() + "/data.mdb");
  auto pay = rf::test::Run(rf + "pay --date 2026-06-15 --out " + rf::test::Quote(out));
  INFO(pay.output);
  CHECK(pay.exit_code == 1);
  CHECK_THAT(pay.output, Catch::Contains("FAILED") &&
                             Catch::Contains(rf::RecordKey(rf::RecordKind::kProvider, "V-1") + " is missing"));
  auto reissue = rf::test::Run(rf + "pay --reissue " + kPayTamperRunId + " --out " + rf::test::Quote(out));
  INFO(reissue.output);
  CHECK(reissue.exit_code == 1);
  CHECK_THAT(reissue.output, Catch::Contains("FAILED") && Catch::Contains(" is missing"));
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK(rf::test::ReadFile(books.dir() + "/data.mdb") == data_before);
  auto verify = rf::test::Run(rf + "verify");
  INFO(verify.output);
  CHECK(verify.exit_code == 1);
}

TEST_CASE("payment run tamper: a run's payments name entries the journal does not have, or a header that does not parse") {
  Books books;
  const uint64_t note_seq = PayTamperBooks(books);
  std::vector<std::string> keys;
  {
    // Every payment of the run moved a million entries on, still contiguous.
    PayTamperEdit edit(books);
    keys = edit.ViewKeys(std::string(rf::RecordPrefix(rf::RecordKind::kPayment)));
    REQUIRE(keys.size() >= 3);
    for (const std::string& key : keys) {
      const uint64_t seq = nlohmann::json::parse(edit.View(key))["seq"].get<uint64_t>();
      edit.EditRecord(key, "seq", seq + 1'000'000);
    }
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books),
                           "view " + PayTamperPaymentKey("DP-B-1-0001") + " names entry " +
                               std::to_string(note_seq + 1 + 1'000'000) + ", but entry " +
                               std::to_string(note_seq + 1'000'000) + " does not exist");
  {
    PayTamperEdit edit(books);
    for (const std::string& key : keys) {
      const uint64_t seq = nlohmann::json::parse(edit.View(key))["seq"].get<uint64_t>();
      edit.EditRecord(key, "seq", seq - 1'000'000);
    }
    edit.PutLine(note_seq, "{\"kind\":\"note\"}");
    edit.Done();
  }
  PayTamperRequireTampered(PayTamperReissue(books), "entry " + std::to_string(note_seq) + " is damaged: ");
}
