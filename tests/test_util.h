#ifndef RINGFENCE_TESTS_TEST_UTIL_H_
#define RINGFENCE_TESTS_TEST_UTIL_H_

// Shared helpers for tests: scratch directories, drafts, running programs.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ledger/core/date.h"
#include "ledger/core/entry.h"

namespace rf::test {

// The input files under tests/data/ingest/, with the trailing slash.
inline const std::string kIngestData = std::string(RF_TEST_DATA_DIR) + "/ingest/";

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "rf-test-XXXXXX").string();
    char* made = ::mkdtemp(templ.data());
    if (made == nullptr) std::abort();
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline EntryDraft NoteDraft(uint64_t n) {
  EntryDraft d;
  d.kind = "note";
  d.effective = *Date::Parse("2026-04-01", "effective");
  d.actor = "tester";
  d.source = "test#" + std::to_string(n);
  d.body_json = "{\"amount\":\"12.50\",\"n\":" + std::to_string(n) + ",\"text\":\"entry number " + std::to_string(n) + "\"}";
  return d;
}

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command, capturing its output.
inline RunResult Run(const std::string& command) {
  RunResult r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), p)) > 0) r.output.append(buffer, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string Quote(const std::string& s) { return "'" + s + "'"; }

// The `ringfence` program acting on one ledger as the finance manager,
// followed by a space, ready for a command ("... --ledger 'DIR' ingest ...").
// RF_RINGFENCE_BIN is defined for the test binary (tests/CMakeLists.txt).
inline std::string RingfenceOn(const std::string& ledger) {
  return std::string(RF_RINGFENCE_BIN) + " --actor finance.manager --ledger " + Quote(ledger) + " ";
}

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A post file setting up pot POT-1 (1,000.00), person P-1 and a 300.00
// direct-payment budget B-1 approved on 2026-04-02: the starting point of
// the command-line tests.
inline constexpr char kSetupPostJson[] = R"([
  {"kind": "pot.create", "effective": "2026-04-01",
   "body": {"pot_id": "POT-1", "name": "PHB pot", "programme": "PHB", "financial_year": "2026-27",
            "amount": "1000.00", "funded_on": "2026-04-01"}},
  {"kind": "person.create", "effective": "2026-04-01",
   "body": {"person_id": "P-1", "ethnic_category": "A", "age_band": "25-34", "sex": "female",
            "locality": "Leeds", "s117_eligible": true}},
  {"kind": "budget.create", "effective": "2026-04-02",
   "body": {"budget_id": "B-1", "person_id": "P-1", "pot_id": "POT-1", "management": "direct-payment",
            "amount": "300.00", "start_date": "2026-04-02", "end_date": "2027-03-31",
            "approved_on": "2026-04-02", "frequency": "monthly", "payee_ref": "GB82WEST12345698765432"}}])";

}  // namespace rf::test

#endif  // RINGFENCE_TESTS_TEST_UTIL_H_
