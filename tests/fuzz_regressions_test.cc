// Every input under tests/data/fuzz-regressions/<target>/ once crashed the
// libFuzzer target of that name (tests/fuzz/<target>_fuzz.cc) or broke one of
// its checks. Each is replayed here through the same check, in every build
// (the ASan+UBSan suite included), so a fixed bug stays fixed. The seed
// corpus is replayed too, so the seeds keep passing as formats change.
//
// The checks are compiled into this file (rather than a library) so rf_tests
// needs nothing from the clang-only fuzz build.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "ingest/post_file.h"
#include "ledger/verify/proof_json.h"
#include "tests/fuzz/fuzz_checks.cc"  // NOLINT(bugprone-suspicious-include)

namespace {

namespace fs = std::filesystem;

using Check = std::function<std::string(std::string_view)>;

// A target whose inputs are saved here must have its check listed.
const std::map<std::string, Check>& Checks() {
  static const std::map<std::string, Check> kChecks = {
      {"amount", rf::fuzz::CheckAmount},
      {"audit_pack", rf::fuzz::CheckAuditPack},
      {"canonical_json", rf::fuzz::CheckCanonicalJson},
      {"date", rf::fuzz::CheckDate},
      {"entry_line", rf::fuzz::CheckEntryLine},
      {"journal_verifier", rf::fuzz::CheckJournalVerifier},
      {"post_text", rf::fuzz::CheckPostText},
      {"proof_json", rf::fuzz::CheckProofJson},
      {"signed_note", rf::fuzz::CheckSignedNote},
      {"stored_record", rf::fuzz::CheckStoredRecord},
  };
  return kChecks;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Replays every file under root/<target>/ through its check; returns the count.
size_t ReplayAll(const fs::path& root, bool every_target_known) {
  size_t replayed = 0;
  for (const auto& target_dir : fs::directory_iterator(root)) {
    const std::string target = target_dir.path().filename().string();
    const auto check = Checks().find(target);
    if (check == Checks().end()) {
      INFO("no check listed for " << target_dir.path() << " in tests/fuzz_regressions_test.cc");
      CHECK(!every_target_known);
      continue;
    }
    for (const auto& input : fs::directory_iterator(target_dir.path())) {
      INFO(input.path().string());
      CHECK(check->second(ReadAll(input.path())) == "");
      ++replayed;
    }
  }
  return replayed;
}

}  // namespace

TEST_CASE("every saved fuzz crash input now passes its target's checks") {
  const size_t replayed = ReplayAll(fs::path(RF_TEST_DATA_DIR) / "fuzz-regressions", /*every_target_known=*/true);
  CHECK(replayed > 0);
}

TEST_CASE("every fuzz seed passes its target's checks") {
  // Seeds for targets added on other branches (csv_reader, camt053) are
  // checked by their own fuzzers; only the known ones replay here.
  const size_t replayed = ReplayAll(fs::path(RF_TEST_DATA_DIR) / ".." / "fuzz" / "corpus", false);
  CHECK(replayed >= 30);
}

TEST_CASE("a post file holding a number too large for a double is refused as invalid input, not a crash") {
  // Found by post_text_fuzz: nlohmann throws out_of_range, not parse_error,
  // for 6e666, and ParsePostText let it escape (std::terminate).
  for (const std::string text :
       {"6e666", "[{\"kind\": \"note\", \"effective\": \"2026-04-01\", \"body\": {\"n\": 1e400}}]"}) {
    const auto drafts = rf::ParsePostText(text, "big.json", "tester");
    REQUIRE_FALSE(drafts.ok());
    CHECK(drafts.status().code() == rf::Status::Code::kInvalidInput);
    CHECK(drafts.status().message().find("big.json") != std::string::npos);
  }
}

TEST_CASE("an empty view is refused as a key PEM, not an abort") {
  // Found by signed_note_fuzz: an empty std::string_view has a null data(),
  // which BIO_new_mem_buf refuses; the null BIO was treated as out of memory.
  CHECK_FALSE(rf::crypto::PublicKeyFromPem(std::string_view()).has_value());
  CHECK_FALSE(rf::crypto::SigningKey::FromPem(std::string_view()).ok());
}

TEST_CASE("an inclusion proof missing a member is refused as invalid input, not an assertion") {
  // Found by proof_json_fuzz: operator[] on a const nlohmann::json asserts
  // the member exists, so `ringfence-verify PACK --proof` aborted on
  // {"leaf_index": 1}.
  const auto key = rf::crypto::ParseVerifierKey(
      "ringfence.invalid/nhs-fuzz-icb+49944eff+AcEIdW18S7B4yH9Dh+HDOjMWCySMYNpatymQw3LD2SlB");
  REQUIRE(key.ok());
  for (const char* text : {"{}", "{\"leaf_index\": 1}", "{\"leaf_index\": 1, \"tree_size\": 2, \"leaf_hash\": \"\"}"}) {
    const rf::Status checked = rf::VerifyInclusionJson(nlohmann::json::parse(text), *key);
    CHECK(checked.code() == rf::Status::Code::kInvalidInput);
  }
}
