// The operations log (tools/ops_log.h, issue 20 item 9): one line per
// command run against a ledger, reads included, with no IBAN or person id
// in it, mode 0600, bounded by rotation; a ledger whose directory is
// read-only still serves reads (the log is a warning then).
#include "tools/ops_log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_util.h"

using rf::test::Quote;
using rf::test::ReadFile;
using rf::test::RingfenceOn;
using rf::test::Run;
using rf::test::TempDir;
using rf::test::WriteFile;

namespace {

constexpr char kOpsIban[] = "GB82WEST12345698765432";

std::vector<std::string> OpsLogLines(const std::string& ledger) {
  std::vector<std::string> lines;
  std::istringstream in(ReadFile(ledger + "/ops.log"));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

unsigned OpsFileMode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// A ledger with a pot, a person and a budget; returns the command prefix.
std::string OpsLedger(const TempDir& tmp, const std::string& ledger) {
  WriteFile(tmp / "setup.json", rf::test::kSetupPostJson);
  const std::string rf = RingfenceOn(ledger);
  REQUIRE(Run(rf + "init --org 'NHS Test ICB'").exit_code == 0);
  auto setup = Run(rf + "post " + Quote(tmp / "setup.json"));
  INFO(setup.output);
  REQUIRE(setup.exit_code == 0);
  return rf;
}

}  // namespace

TEST_CASE("ops log: the command line is written with IBANs, person ids and free text masked") {
  using rf::cli::MaskCommandLine;
  CHECK(MaskCommandLine({"report", "balances", "--as-of", "2026-05-01"}) == "report balances --as-of 2026-05-01");
  CHECK(MaskCommandLine({"config", "set", "x.y", kOpsIban}) == "config set x.y ****5432");
  CHECK(MaskCommandLine({"x", "gb82 west 1234 5698 7654 32"}) == "x ****5432");
  CHECK(MaskCommandLine({"x", "GB82 WEST 1234 5698 7654 32"}).find("WEST") == std::string::npos);
  CHECK(MaskCommandLine({"flags", "explain", "P-000101"}) == "flags explain P-***");
  CHECK(MaskCommandLine({"--person=P-000101"}) == "--person=P-***");
  CHECK(MaskCommandLine({"x", "FLAG-P-000101-2026-05"}) == "x FLAG-P-***");
  CHECK(MaskCommandLine({"x", "4010232137"}) == "x **********");    // an NHS number
  CHECK(MaskCommandLine({"x", "40102321370"}) == "x 40102321370");  // 11 digits: not one
  CHECK(MaskCommandLine({"x", "--reason", "paid to GB82WEST12345698765432 for Jo Bloggs"}) == "x --reason <text>");
  CHECK(MaskCommandLine({"x", "--note=Jo Bloggs"}) == "x --note=<text>");
  CHECK(MaskCommandLine({"post", "my file.json"}) == "post \"my file.json\"");
  // A person id not in the P- form still cannot ride in an option's value
  // unmasked when it is an IBAN or NHS number; other ids are not personal.
  CHECK(MaskCommandLine({"--month", "2026-05"}) == "--month 2026-05");
  CHECK(MaskCommandLine({"--actor", "P-1", "--ledger", "/l", "--ledger=/m", "--actor=x", "verify"}) == "verify");
}

TEST_CASE("ops log: rotation keeps the live file and at most the configured older files, each bounded") {
  TempDir tmp;
  const rf::cli::OpsLogLimits limits{.file_bytes_max = 1024, .rotated_files = 2};
  const rf::cli::OpsLogLine line{.actor = "finance.manager",
                                 .command = "report balances --as-of 2026-05-01",
                                 .exit_code = 0,
                                 .entries_written = 0,
                                 .duration_ms = 12};
  for (int i = 0; i < 200; ++i) REQUIRE(rf::cli::AppendOpsLog(tmp.path(), line, limits).ok());
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(tmp.path())) {
    ++files;
    INFO(entry.path());
    CHECK(entry.file_size() <= 1024);
    CHECK(OpsFileMode(entry.path().string()) == 0600);
  }
  CHECK(files == 3);  // ops.log, ops.1.log, ops.2.log
  CHECK(std::filesystem::exists(tmp / "ops.2.log"));
  CHECK_FALSE(std::filesystem::exists(tmp / "ops.3.log"));
}

TEST_CASE("ops log: a file left wider than 0600 is narrowed when next written") {
  TempDir tmp;
  WriteFile(tmp / "ops.log", "");
  ::chmod((tmp / "ops.log").c_str(), 0644);
  REQUIRE(rf::cli::AppendOpsLog(tmp.path(), {.actor = "a", .command = "verify"}, {}).ok());
  CHECK(OpsFileMode(tmp / "ops.log") == 0600);
}

TEST_CASE("ops log: each command run against a ledger, reads included, appends one line with its fields") {
  TempDir tmp;
  const std::string ledger = tmp / "ledger.rf";
  const std::string rf = OpsLedger(tmp, ledger);
  auto lines = OpsLogLines(ledger);
  REQUIRE(lines.size() == 2);  // init, post
  CHECK_THAT(lines[0], Catch::Matches(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z actor=finance\.manager exit=0 )"
                                      R"(entries_written=1 duration_ms=\d+ command="init --org \\"NHS Test ICB\\"")"));
  CHECK_THAT(lines[1], Catch::Contains("actor=finance.manager exit=0 entries_written=3 duration_ms="));
  CHECK_THAT(lines[1], Catch::EndsWith(" command=\"post " + tmp.path() + "/setup.json\""));
  CHECK(OpsFileMode(ledger + "/ops.log") == 0600);

  for (const std::string read : {"verify", "report balances", "audit prove --seq 2"}) {
    auto r = Run(rf + read);
    INFO(read << "\n" << r.output);
    REQUIRE(r.exit_code == 0);
  }
  REQUIRE(Run(rf + "audit export --out " + Quote(tmp / "pack")).exit_code == 0);
  CHECK(Run(rf + "post " + Quote(tmp / "missing.json")).exit_code == 2);
  lines = OpsLogLines(ledger);
  REQUIRE(lines.size() == 7);
  CHECK_THAT(lines[2], Catch::Contains("exit=0 entries_written=0 ") && Catch::EndsWith("command=\"verify\""));
  CHECK_THAT(lines[3], Catch::EndsWith("command=\"report balances\""));
  CHECK_THAT(lines[4], Catch::EndsWith("command=\"audit prove --seq 2\""));
  CHECK_THAT(lines[5], Catch::Contains("command=\"audit export --out "));
  CHECK_THAT(lines[6], Catch::Contains("exit=2 entries_written=0 "));
  // A dry run writes nothing, and says so.
  WriteFile(tmp / "one.json", R"({"kind": "posting", "effective": "2026-05-01",
     "body": {"postings": [{"account": "budget:B-1", "amount": "-1.00"}, {"account": "dp:B-1", "amount": "1.00"}]}})");
  REQUIRE(Run(rf + "post --dry-run " + Quote(tmp / "one.json")).exit_code == 0);
  CHECK_THAT(OpsLogLines(ledger).back(), Catch::Contains("exit=0 entries_written=0 "));
  // Not a ledger: nothing is created there.
  CHECK(Run(std::string(RF_RINGFENCE_BIN) + " --ledger " + Quote(tmp / "nowhere") + " verify").exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(tmp / "nowhere"));
}

TEST_CASE("ops log: an IBAN or person id on the command line never reaches the log") {
  TempDir tmp;
  const std::string ledger = tmp / "ledger.rf";
  const std::string rf = OpsLedger(tmp, ledger);
  Run(rf + "config set delay.invoice_days " + kOpsIban);
  Run(rf + "flags explain P-000101 --note " + Quote(std::string("holder account ") + kOpsIban));
  Run(std::string(RF_RINGFENCE_BIN) + " --actor P-000777 --ledger " + Quote(ledger) + " report balances");
  Run(rf + "report balances --as-of " + Quote("gb82 west 1234 5698 7654 32"));
  const std::string log = ReadFile(ledger + "/ops.log");
  REQUIRE(OpsLogLines(ledger).size() == 6);
  CHECK(log.find(kOpsIban) == std::string::npos);
  CHECK(log.find("WEST") == std::string::npos);
  CHECK(log.find("west") == std::string::npos);
  CHECK(log.find("P-000101") == std::string::npos);
  CHECK(log.find("P-000777") == std::string::npos);
  CHECK(log.find("holder") == std::string::npos);
  CHECK_THAT(log, Catch::Contains("flags explain P-*** --note <text>"));
}

TEST_CASE("ops log: a ledger whose directory is read-only still serves reads with the same output, not logged") {
  TempDir tmp;
  const std::string ledger = tmp / "ledger.rf";
  std::string rf = OpsLedger(tmp, ledger);
  std::filesystem::remove(ledger + "/ops.log");
  const auto writable = Run(rf + "report balances");
  REQUIRE(writable.exit_code == 0);
  std::filesystem::remove(ledger + "/ops.log");
  // Root ignores permission bits: the ledger goes to nobody, who reads it.
  if (::geteuid() == 0) {
    if (Run("command -v setpriv").exit_code != 0) {
      WARN("skipped: running as root without setpriv, permissions cannot be tested");
      return;
    }
    REQUIRE(Run("chmod 0711 " + Quote(tmp.path()) + " && chown -R 65534:65534 " + Quote(ledger)).exit_code == 0);
    rf = "setpriv --reuid=65534 --regid=65534 --clear-groups " + rf;
  }
  REQUIRE(Run("chmod 0500 " + Quote(ledger)).exit_code == 0);
  auto r = Run(rf + "report balances");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output == writable.output);  // stdout and stderr together: no warning
  CHECK(Run(rf + "verify").exit_code == 0);
  auto verbose = Run(rf + "--verbose report balances");
  CHECK(verbose.exit_code == 0);
  CHECK_THAT(verbose.output,
             Catch::Contains("debug: " + ledger + "/ops.log: not written, the ledger is read-only here"));
  CHECK_FALSE(std::filesystem::exists(ledger + "/ops.log"));
  REQUIRE(Run("chmod 0700 " + Quote(ledger)).exit_code == 0);
}

TEST_CASE("ops log: a log that cannot be written for another reason is one warning, and --quiet hides it") {
  TempDir tmp;
  const std::string ledger = tmp / "ledger.rf";
  const std::string rf = OpsLedger(tmp, ledger);
  // A directory where the log file should be: opening it fails (EISDIR).
  std::filesystem::remove(ledger + "/ops.log");
  std::filesystem::create_directories(ledger + "/ops.log");
  auto r = Run(rf + "report balances");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("warning: " + ledger + "/ops.log: cannot append"));
  size_t warnings = 0;
  for (size_t at = r.output.find("warning:"); at != std::string::npos; at = r.output.find("warning:", at + 1)) {
    ++warnings;
  }
  CHECK(warnings == 1);
  auto quiet = Run(rf + "--quiet report balances");
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.output.find("warning") == std::string::npos);
}

TEST_CASE("ops log: --verbose shows the line written, and --quiet with --verbose is a usage error") {
  TempDir tmp;
  const std::string ledger = tmp / "ledger.rf";
  const std::string rf = OpsLedger(tmp, ledger);
  auto verbose = Run(rf + "--verbose report balances");
  INFO(verbose.output);
  CHECK(verbose.exit_code == 0);
  CHECK_THAT(verbose.output, Catch::Contains("debug: " + ledger + "/ops.log: actor=finance.manager exit=0"));
  auto plain = Run(rf + "report balances");
  CHECK(plain.output.find("debug:") == std::string::npos);
  CHECK(Run(rf + "--quiet --verbose report balances").exit_code == 2);
}
