// Audit packs: export, offline verification, and a tamper sweep in which
// every single-byte change is detected and names the entry.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "crypto/ed25519.h"
#include "crypto/note.h"
#include "ledger/audit/audit_export.h"
#include "ledger/verify/audit_pack.h"
#include "ledger/storage/journal.h"
#include "ledger/audit/ledger_verify.h"
#include "test_util.h"

using rf::test::NoteDraft;
using rf::test::TempDir;

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteAll(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

// A ledger of 31 entries committed in batches of 1 to 5, exported to `pack`.
void MakePack(const TempDir& tmp, const std::string& pack) {
  auto j = rf::Journal::Create(tmp / "ledger.rf", "NHS Test ICB", "ringfence.invalid/test", "tester", {.sync = false});
  REQUIRE(j.ok());
  uint64_t n = 0;
  for (uint64_t batch : {1, 2, 5, 3, 1, 4, 5, 2, 1, 3, 3}) {
    std::vector<rf::EntryDraft> drafts;
    for (uint64_t i = 0; i < batch; ++i) drafts.push_back(NoteDraft(++n));
    REQUIRE((*j)->Append(drafts).ok());
  }
  auto report = rf::ExportAuditPack(**j, pack);
  REQUIRE(report.ok());
  CHECK(report->entries == 31);
  CHECK(report->checkpoints == 12);
}

std::string PackError(const std::string& pack) {
  auto report = rf::VerifyAuditPack(pack, std::nullopt);
  if (report.ok()) return "OK";
  return report.status().message();
}

bool NamesEntry(const std::string& message, uint64_t seq) {
  return std::regex_search(message, std::regex("entry " + std::to_string(seq) + "([^0-9]|$)"));
}

}  // namespace

TEST_CASE("an exported pack verifies offline and matches the ledger's root") {
  TempDir tmp;
  const std::string pack = tmp / "pack";
  MakePack(tmp, pack);
  auto report = rf::VerifyAuditPack(pack, std::nullopt);
  REQUIRE(report.ok());
  CHECK(report->entries == 31);
  CHECK(report->checkpoints == 12);
  auto j = rf::Journal::Open(tmp / "ledger.rf", false);
  REQUIRE(j.ok());
  CHECK(report->root == rf::VerifyLedger(**j)->root);
  // Pinned to the right key it passes; to another key it fails.
  const std::string vkey = ReadAll(pack + "/" + rf::kPackVerifierKey);
  CHECK(rf::VerifyAuditPack(pack, vkey).ok());
  CHECK(rf::VerifyAuditPack(pack, ReadAll(pack + "/" + rf::kPackPublicKey)).ok());
  auto other = rf::crypto::SigningKey::Generate();
  auto pinned_other = rf::VerifyAuditPack(pack, rf::crypto::PublicKeyPem(other->public_key()));
  REQUIRE_FALSE(pinned_other.ok());
  CHECK(pinned_other.status().code() == rf::Status::Code::kTampered);
  // Export never overwrites.
  CHECK_FALSE(rf::ExportAuditPack(**j, pack).ok());
}

TEST_CASE("every single-byte change to the journal of a pack is detected and names the entry") {
  TempDir tmp;
  const std::string pack = tmp / "pack";
  MakePack(tmp, pack);
  const std::string journal_path = pack + "/" + rf::kPackJournal;
  const std::string original = ReadAll(journal_path);
  uint64_t flipped = 0;
  uint64_t seq = 1;
  size_t line_start = 0;
  for (size_t pos = 0; pos < original.size(); ++pos) {
    // Every byte of entries 1, 2, 16 and 31 (first, second, a middle one and
    // the last, whose only witness is the checkpoint); every 11th elsewhere.
    const bool sweep_all = seq == 1 || seq == 2 || seq == 16 || seq == 31;
    if (sweep_all || pos % 11 == 0) {
      std::string altered = original;
      altered[pos] = static_cast<char>(altered[pos] ^ (pos % 2 == 0 ? 0x01 : 0x20));
      WriteAll(journal_path, altered);
      const std::string message = PackError(pack);
      INFO("byte " << pos << " (entry " << seq << ", offset " << pos - line_start << "): " << message);
      CHECK(message != "OK");
      CHECK(NamesEntry(message, seq));
      ++flipped;
    }
    if (original[pos] == '\n') {
      ++seq;
      line_start = pos + 1;
    }
  }
  WriteAll(journal_path, original);
  CHECK(PackError(pack) == "OK");
  CHECK(flipped > 1500);
}

TEST_CASE("changes to checkpoints, keys and the manifest of a pack are each detected") {
  TempDir tmp;
  const std::string pack = tmp / "pack";
  MakePack(tmp, pack);
  for (const std::string& name : {std::string(rf::kPackCheckpoint), std::string("checkpoints/") +
                                                                        rf::PackCheckpointName(9),
                                 std::string(rf::kPackPublicKey), std::string(rf::kPackVerifierKey),
                                 std::string(rf::kPackManifest)}) {
    const std::string path = pack + "/" + name;
    const std::string original = ReadAll(path);
    REQUIRE_FALSE(original.empty());
    for (size_t pos = 0; pos < original.size(); ++pos) {
      std::string altered = original;
      altered[pos] = static_cast<char>(altered[pos] ^ 0x01);
      WriteAll(path, altered);
      INFO(name << " byte " << pos);
      CHECK(PackError(pack) != "OK");
    }
    WriteAll(path, original);
  }
  CHECK(PackError(pack) == "OK");
}

TEST_CASE("deleted, duplicated, reordered and truncated journal lines are detected") {
  TempDir tmp;
  const std::string pack = tmp / "pack";
  MakePack(tmp, pack);
  const std::string journal_path = pack + "/" + rf::kPackJournal;
  const std::string original = ReadAll(journal_path);
  std::vector<std::string> lines;
  {
    std::stringstream s(original);
    std::string line;
    while (std::getline(s, line)) lines.push_back(line + "\n");
  }
  REQUIRE(lines.size() == 31);
  const auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& l : v) out += l;
    return out;
  };
  for (size_t k = 0; k < lines.size(); ++k) {
    auto deleted = lines;
    deleted.erase(deleted.begin() + static_cast<long>(k));
    WriteAll(journal_path, join(deleted));
    CHECK(PackError(pack) != "OK");
    auto duplicated = lines;
    duplicated.insert(duplicated.begin() + static_cast<long>(k), lines[k]);
    WriteAll(journal_path, join(duplicated));
    const std::string dup_message = PackError(pack);
    INFO(dup_message);
    CHECK(NamesEntry(dup_message, k + 2));
    if (k + 1 < lines.size()) {
      auto reordered = lines;
      std::swap(reordered[k], reordered[k + 1]);
      WriteAll(journal_path, join(reordered));
      const std::string message = PackError(pack);
      INFO(message);
      CHECK(NamesEntry(message, k + 1));
    }
  }
  WriteAll(journal_path, original.substr(0, original.size() - 1));
  CHECK(PackError(pack).find("truncated") != std::string::npos);
  WriteAll(journal_path, original);
  CHECK(PackError(pack) == "OK");
}
