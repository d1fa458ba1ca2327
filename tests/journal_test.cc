// The LMDB journal: appends, checkpoints, proofs, and tamper detection by
// `verify` on the ledger itself.
#include "ledger/storage/journal.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "crypto/checkpoint.h"
#include "crypto/merkle.h"
#include "ledger/audit/ledger_verify.h"
#include "ledger/storage/lmdb_env.h"
#include "ledger/storage/stored_form.h"
#include "test_util.h"
#include "tests/body_util.h"

using rf::test::NoteDraft;
using rf::test::TempDir;

namespace {

std::unique_ptr<rf::Journal> MakeJournal(const std::string& dir) {
  auto j = rf::Journal::Create(dir, "NHS Test ICB", "ringfence.invalid/test", "tester", {.sync = false});
  REQUIRE(j.ok());
  return std::move(*j);
}

void AppendNotes(rf::Journal& j, uint64_t count, uint64_t batch) {
  uint64_t n = 0;
  while (n < count) {
    std::vector<rf::EntryDraft> drafts;
    for (uint64_t i = 0; i < batch && n < count; ++i) drafts.push_back(NoteDraft(++n));
    auto r = j.Append(drafts);
    REQUIRE(r.ok());
  }
}

// Runs `change` on one of the journal's LMDB databases in a raw write
// transaction, bypassing the journal (as an attacker with file access would).
template <typename F>
void RawChange(const std::string& dir, const char* db, F&& change) {
  auto env = rf::LmdbEnv::Open(dir, false, false);
  REQUIRE(env.ok());
  auto txn = rf::LmdbTxn::Begin(**env, false);
  REQUIRE(txn.ok());
  auto dbi = txn->OpenDb(db, false);
  REQUIRE(dbi.ok());
  change(*txn, *dbi);
  REQUIRE(txn->Commit().ok());
}

void RawPut(const std::string& dir, const char* db, uint64_t key, const std::string& value) {
  RawChange(dir, db, [&](rf::LmdbTxn& txn, MDB_dbi dbi) {
    rf::U64Key k(key);
    REQUIRE(txn.Put(dbi, k.val(), MDB_val{value.size(), const_cast<char*>(value.data())}, 0).ok());
  });
}

void RawDelete(const std::string& dir, const char* db, uint64_t key) {
  RawChange(dir, db, [&](rf::LmdbTxn& txn, MDB_dbi dbi) {
    rf::U64Key k(key);
    MDB_val kv = k.val();
    REQUIRE(mdb_del(txn.txn(), dbi, &kv, nullptr) == 0);
  });
}

std::string VerifyMessage(const std::string& dir) {
  auto j = rf::Journal::Open(dir, false);
  REQUIRE(j.ok());
  auto report = rf::VerifyLedger(**j);
  if (report.ok()) return "OK";
  CHECK(report.status().code() == rf::Status::Code::kTampered);
  return report.status().message();
}

}  // namespace

TEST_CASE("init creates a 0700 ledger, a 0600 key and a verifying ledger.init entry") {
  TempDir tmp;
  const std::string dir = tmp / "ledger.rf";
  auto j = MakeJournal(dir);
  struct stat st {};
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(::stat((dir + "/" + rf::kKeyFileName).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(*j->Size() == 1);
  auto line = j->Line(1);
  REQUIRE(line.ok());
  auto entry = rf::ParseEntryLine(*line);
  REQUIRE(entry.ok());
  CHECK(entry->draft.kind == "ledger.init");
  CHECK(entry->prev == rf::kGenesisPrev);
  CHECK(VerifyMessage(dir) == "OK");
  // A ledger is never overwritten.
  auto again = rf::Journal::Create(dir, "Other", "ringfence.invalid/other", "tester");
  CHECK_FALSE(again.ok());
}

TEST_CASE("a key file readable by others is refused") {
  TempDir tmp;
  const std::string dir = tmp / "ledger.rf";
  { MakeJournal(dir); }
  REQUIRE(::chmod((dir + "/" + rf::kKeyFileName).c_str(), 0644) == 0);
  auto j = rf::Journal::Open(dir, true);
  REQUIRE_FALSE(j.ok());
  CHECK(j.status().message().find("mode 0644") != std::string::npos);
}

TEST_CASE("the chain and tree verify after every commit, and each commit signs a checkpoint") {
  TempDir tmp;
  const std::string dir = tmp / "ledger.rf";
  auto j = MakeJournal(dir);
  uint64_t n = 0;
  for (uint64_t batch : {1, 2, 3, 1, 7, 16, 1, 5}) {
    std::vector<rf::EntryDraft> drafts;
    for (uint64_t i = 0; i < batch; ++i) drafts.push_back(NoteDraft(++n));
    auto r = j->Append(drafts);
    REQUIRE(r.ok());
    CHECK(r->last_seq == n + 1);
    auto report = rf::VerifyLedger(*j);
    REQUIRE(report.ok());
    CHECK(report->entries == n + 1);
    CHECK(report->root == r->root);
    auto note = j->CheckpointNote(n + 1);
    REQUIRE(note.ok());
    auto text = rf::crypto::OpenNote(*note, j->verifier_key());
    REQUIRE(text.ok());
    auto cp = rf::crypto::ParseCheckpointText(*text);
    REQUIRE(cp.ok());
    CHECK(cp->size == n + 1);
    CHECK(cp->root == r->root);
    CHECK(cp->origin == "ringfence.invalid/test");
  }
}

TEST_CASE("a bad draft appends nothing") {
  TempDir tmp;
  const std::string dir = tmp / "ledger.rf";
  auto j = MakeJournal(dir);
  std::vector<rf::EntryDraft> drafts = {NoteDraft(1), NoteDraft(2)};
  rf::test::EditBody(&drafts[1], [&](nlohmann::json& b) { b["amount"] = 1.5; });  // floats never enter the journal
  auto r = j->Append(drafts);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("entry 2 of 2") != std::string::npos);
  CHECK(r.status().message().find("body.amount") != std::string::npos);
  CHECK(*j->Size() == 1);
  CHECK(VerifyMessage(dir) == "OK");
}

TEST_CASE("inclusion proofs verify for every (index, size) at every checkpoint up to 64") {
  TempDir tmp;
  const std::string dir = tmp / "ledger.rf";
  auto j = MakeJournal(dir);
  AppendNotes(*j, 63, 1);  // 64 entries, a checkpoint at every size
  for (uint64_t size = 1; size <= 64; ++size) {
    auto note = j->CheckpointNote(size);
    REQUIRE(note.ok());
    auto cp = rf::crypto::ParseCheckpointText(*rf::crypto::OpenNote(*note, j->verifier_key()));
    REQUIRE(cp.ok());
    for (uint64_t seq = 1; seq <= size; ++seq) {
      auto proof = j->ProveInclusion(seq, size);
      REQUIRE(proof.ok());
      CHECK(proof->leaf_hash == rf::crypto::LeafHash(*j->Line(seq)));
      CHECK(rf::crypto::VerifyInclusion(proof->leaf_hash, seq - 1, size, proof->path, cp->root).ok());
    }
    for (uint64_t first = 1; first <= size; ++first) {
      auto proof = j->ProveConsistency(first, size);
      REQUIRE(proof.ok());
      auto first_cp =
          rf::crypto::ParseCheckpointText(*rf::crypto::OpenNote(proof->first_checkpoint, j->verifier_key()));
      REQUIRE(first_cp.ok());
      CHECK(rf::crypto::VerifyConsistency(first, size, first_cp->root, cp->root, proof->path).ok());
    }
  }
  CHECK_FALSE(j->ProveInclusion(0, 5).ok());
  CHECK_FALSE(j->ProveInclusion(6, 5).ok());
  CHECK_FALSE(j->ProveInclusion(1, 65).ok());
  CHECK_FALSE(j->ProveConsistency(5, 4).ok());
}

TEST_CASE("verify names the entry when one byte of a compressed stored entry changes") {
  TempDir tmp;
  const std::string dir = tmp / "ledger.rf";
  {
    auto j = MakeJournal(dir);
    AppendNotes(*j, 20, 4);
  }
  std::string stored;
  RawChange(dir, "entries", [&](rf::LmdbTxn& txn, MDB_dbi dbi) {
    rf::U64Key k(9);
    auto value = txn.Get(dbi, k.val());
    REQUIRE(value.ok());
    REQUIRE(value->has_value());
    stored = std::string(**value);
  });
  REQUIRE(stored.front() == static_cast<char>(rf::StoredDictionary::kLineV1));
  std::string line;
  {
    auto j = rf::Journal::Open(dir, false);
    line = *(*j)->Line(9);
  }
  size_t immaterial = 0;
  for (size_t pos = 0; pos < stored.size(); ++pos) {
    for (const uint8_t flip : {uint8_t{0x01}, uint8_t{0x80}}) {
      std::string altered = stored;
      altered[pos] = static_cast<char>(altered[pos] ^ flip);
      RawPut(dir, "entries", 9, altered);
      const std::string message = VerifyMessage(dir);
      INFO("byte " << pos << " ^ " << int{flip} << ": " << message);
      if (message == "OK") {
        // A few bits of a zstd frame do not change what it decodes to: the
        // line, which is what the chain and tree prove, is the same.
        auto j = rf::Journal::Open(dir, false);
        REQUIRE(j.ok());
        CHECK(*(*j)->Line(9) == line);
        ++immaterial;
      } else {
        CHECK(message.rfind("entry 9:", 0) == 0);
      }
    }
  }
  CHECK(immaterial < stored.size() / 8);
  RawPut(dir, "entries", 9, stored);
  CHECK(VerifyMessage(dir) == "OK");
}

TEST_CASE("verify names the entry when one byte of a stored entry changes") {
  TempDir tmp;
  const std::string dir = tmp / "ledger.rf";
  {
    auto j = MakeJournal(dir);
    AppendNotes(*j, 20, 4);
  }
  std::string original;
  {
    auto j = rf::Journal::Open(dir, false);
    original = *(*j)->Line(9);
  }
  for (size_t pos = 0; pos < original.size(); ++pos) {
    std::string altered = original;
    altered[pos] = static_cast<char>(altered[pos] ^ 0x01);
    RawPut(dir, "entries", 9, altered);
    const std::string message = VerifyMessage(dir);
    INFO("byte " << pos << ": " << message);
    CHECK(message.rfind("entry 9:", 0) == 0);
  }
  RawPut(dir, "entries", 9, original);
  CHECK(VerifyMessage(dir) == "OK");
}

TEST_CASE("verify detects a dropped entry, two reordered entries, an altered checkpoint and another key") {
  TempDir tmp;
  const std::string dir = tmp / "ledger.rf";
  {
    auto j = MakeJournal(dir);
    AppendNotes(*j, 12, 3);
  }
  std::string line5, line6, note7;
  {
    auto j = rf::Journal::Open(dir, false);
    line5 = *(*j)->Line(5);
    line6 = *(*j)->Line(6);
    note7 = *(*j)->CheckpointNote(7);
  }
  SECTION("dropped") {
    RawDelete(dir, "entries", 6);
    CHECK(VerifyMessage(dir).rfind("entry 6:", 0) == 0);
  }
  SECTION("dropped from the end") {
    RawDelete(dir, "entries", 13);
    CHECK(VerifyMessage(dir).find("entries were dropped") != std::string::npos);
  }
  SECTION("reordered") {
    RawPut(dir, "entries", 5, line6);
    RawPut(dir, "entries", 6, line5);
    CHECK(VerifyMessage(dir).rfind("entry 5:", 0) == 0);
  }
  SECTION("checkpoint altered") {
    std::string altered = note7;
    altered[altered.size() / 2] ^= 0x04;
    RawPut(dir, "checkpoints", 7, altered);
    CHECK(VerifyMessage(dir).rfind("checkpoint at size 7", 0) == 0);
  }
  SECTION("checkpoint signed by another key") {
    auto other = rf::crypto::SigningKey::Generate();
    REQUIRE(other.ok());
    auto j = rf::Journal::Open(dir, false);
    auto text = rf::crypto::OpenNote(note7, (*j)->verifier_key());
    REQUIRE(text.ok());
    j->reset();
    RawPut(dir, "checkpoints", 7, rf::crypto::SignNote(*text, "ringfence.invalid/test", *other));
    CHECK(VerifyMessage(dir).rfind("checkpoint at size 7", 0) == 0);
  }
}
