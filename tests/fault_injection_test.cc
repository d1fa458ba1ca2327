// Fault injection at the storage boundary: for a whole run of commands (init,
// post, ingest of every reference file and invoices, close, config set,
// approve, pay), the Nth counted LMDB call fails, for every
// N (lmdb_env.h documents the RF_FAULT_LMDB_AT hook). Each failure must be
// reported clearly with exit 2, leave the ledger verifying and unchanged since
// its last commit, and rerunning the command must complete the work with
// nothing duplicated.
//
// Cost: the run makes K counted calls (K is printed; 87 today). Each N costs
// a copy of the ledger before the failing command and six short child
// processes. CI runs every 3rd N plus the first and last call of every
// command; RF_FAULT_ALL=1 runs every N.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "tests/test_util.h"

using rf::test::Quote;
using rf::test::RingfenceOn;
using rf::test::Run;
using rf::test::RunResult;
using rf::test::TempDir;
using rf::test::WriteFile;
using rf::test::kSetupPostJson;

namespace {

const std::string kRingfence = RF_RINGFENCE_BIN;
// CI: every 3rd N (RF_FAULT_ALL=1: every N; RF_FAULT_STRIDE=K: every Kth,
// which the sanitizer run uses to stay quick).
uint64_t SampleStride() {
  const char* env = std::getenv("RF_FAULT_STRIDE");
  const long stride = env != nullptr ? std::atol(env) : 3;
  return stride >= 1 ? static_cast<uint64_t>(stride) : 3;
}

// Input files for the run: a 3-entry setup, then payments in two batches.
void WriteInputs(const TempDir& tmp) {
  WriteFile(tmp / "setup.json", kSetupPostJson);
  WriteFile(tmp / "april.json", R"([
    {"kind": "posting", "effective": "2026-04-20",
     "body": {"postings": [{"account": "budget:B-1", "amount": "-100.00"}, {"account": "dp:B-1", "amount": "100.00"}]}},
    {"kind": "posting", "effective": "2026-04-25",
     "body": {"postings": [{"account": "dp:B-1", "amount": "-40.00"}, {"account": "spent:B-1:therapy", "amount": "40.00"}]}}])");
  WriteFile(tmp / "may.json", R"([
    {"kind": "posting", "effective": "2026-05-05",
     "body": {"postings": [{"account": "budget:B-1", "amount": "-50.00"}, {"account": "dp:B-1", "amount": "50.00"}]}},
    {"kind": "posting", "effective": "2026-05-10",
     "body": {"postings": [{"account": "dp:B-1", "amount": "-25.50"}, {"account": "spent:B-1:therapy", "amount": "25.50"}]}},
    {"kind": "posting", "effective": "2026-05-12",
     "body": {"postings": [{"account": "dp:B-1", "amount": "-10.00"}, {"account": "spent:B-1:equipment", "amount": "10.00"}]}}])");
}

// The run, one command at a time; `{rf}` is the ringfence prefix.
const std::vector<std::string>& Steps() {
  static const std::vector<std::string> steps = {
      "init --org 'NHS Test ICB'",
      "post {tmp}/setup.json",
      "post {tmp}/april.json",
      "ingest pots {data}/pots.csv",
      "ingest people {data}/people.csv",
      "ingest providers {data}/providers.csv",
      "ingest budgets {data}/budgets.csv",
      "close --month 2026-04 --by 'Finance Manager' --date 2026-05-02",
      "config set delay.invoice_days 21 --date 2026-05-03",
      "post {tmp}/may.json",
      "ingest invoices {data}/invoices.csv",
      "config set bank.debtor_iban GB33BUKB20201555555555 --date 2026-05-20",
      "approve invoices --all-valid --date 2026-05-20",
      // $$: a new file name each run (pay never overwrites its --out).
      "pay --date 2026-05-31 --out {tmp}/run-$$.xml",
  };
  return steps;
}

std::string Command(const std::string& ledger, const TempDir& inputs, size_t step, const std::string& env) {
  std::string args = Steps()[step];
  const size_t at = args.find("{tmp}");
  if (at != std::string::npos) args.replace(at, 5, inputs.path());
  const size_t data = args.find("{data}");
  if (data != std::string::npos) args.replace(data, 6, std::string(RF_TEST_DATA_DIR) + "/ingest");
  return env + " " + RingfenceOn(ledger) + args;
}

// What a ledger holds, as the CLI shows it: verify's counts and root, and
// every account's balance. Empty when there is no ledger.
struct State {
  int verify_exit = -1;
  uint64_t entries = 0, checkpoints = 0, views = 0;
  std::string root, balances;
  bool operator==(const State&) const = default;
};

State ReadState(const std::string& ledger) {
  State s;
  auto v = Run(kRingfence + " --format json --ledger " + Quote(ledger) + " verify 2>/dev/null");
  s.verify_exit = v.exit_code;
  if (v.exit_code != 0) return s;
  auto j = nlohmann::json::parse(v.output);
  s.entries = j["entries"], s.checkpoints = j["checkpoints"], s.views = j["views"], s.root = j["root"];
  auto b = Run(kRingfence + " --format csv --ledger " + Quote(ledger) + " report balances");
  REQUIRE(b.exit_code == 0);
  // Less the last line, what the report reflects (its tree size and root:
  // ledgers made apart have different keys, so different roots).
  s.balances = b.output.substr(0, b.output.find("# provenance "));
  return s;
}

uint64_t CountCalls(const std::string& output) {
  std::smatch m;
  static const std::regex kCalls("RF_FAULT_LMDB calls: ([0-9]+)");
  REQUIRE(std::regex_search(output, m, kCalls));
  return std::stoull(m[1]);
}

void CopyLedger(const std::string& from, const std::string& to) {
  REQUIRE(Run("rm -rf " + Quote(to)).exit_code == 0);
  if (from.empty()) return;  // before init: no ledger
  REQUIRE(Run("cp -a " + Quote(from) + " " + Quote(to) + " && rm -f " + Quote(to + "/lock.mdb")).exit_code == 0);
}

}  // namespace

TEST_CASE(
    "an LMDB call failing at any point of a run is reported, leaves the ledger verifying and unchanged, and "
    "a rerun completes the work once") {
  TempDir tmp;
  WriteInputs(tmp);
  const bool all = std::getenv("RF_FAULT_ALL") != nullptr && std::string(std::getenv("RF_FAULT_ALL")) == "1";
  const auto started = std::chrono::steady_clock::now();

  // The reference run: count each command's calls and keep the ledger and
  // its state after each command (snapshot[i] is the ledger before step i).
  const size_t step_count = Steps().size();
  std::vector<uint64_t> calls(step_count);
  std::vector<std::string> before(step_count);
  std::vector<State> after(step_count);
  const std::string live = tmp / "reference.rf";
  for (size_t i = 0; i < step_count; ++i) {
    if (i > 0) {
      before[i] = tmp / ("before-" + std::to_string(i) + ".rf");
      CopyLedger(live, before[i]);
    }
    auto r = Run(Command(live, tmp, i, "RF_FAULT_LMDB_COUNT=1"));
    INFO(Steps()[i] << "\n" << r.output);
    REQUIRE(r.exit_code == 0);
    calls[i] = CountCalls(r.output);
    REQUIRE(calls[i] > 0);
    after[i] = ReadState(live);
    REQUIRE(after[i].verify_exit == 0);
  }
  uint64_t total = 0;
  for (uint64_t c : calls) total += c;

  uint64_t injected = 0;
  const std::string ledger = tmp / "ledger.rf";
  for (size_t i = 0; i < step_count; ++i) {
    const State unchanged = i == 0 ? State{} : after[i - 1];
    for (uint64_t n = 1; n <= calls[i]; ++n) {
      const bool edge = n == 1 || n == calls[i];
      if (!all && !edge && n % SampleStride() != 0) continue;
      ++injected;
      CopyLedger(before[i], ledger);
      INFO("step " << i << " (" << Steps()[i] << "), call " << n << " of " << calls[i]);
      auto failed = Run(Command(ledger, tmp, i, "RF_FAULT_LMDB_AT=" + std::to_string(n)));
      INFO(failed.output);
      CHECK(failed.exit_code == 2);
      CHECK_THAT(failed.output, Catch::Contains("injected fault (test)"));
      CHECK_THAT(failed.output, Catch::Contains("nothing was written"));

      const State now = ReadState(ledger);
      if (i == 0) {
        // A failed init leaves no ledger, only an empty directory, so it
        // can simply be run again.
        CHECK(now.verify_exit == 2);
        CHECK((!std::filesystem::exists(ledger) || std::filesystem::is_empty(ledger)));
      } else {
        CHECK(now == unchanged);  // same root: not one byte of the journal changed
      }
      auto rerun = Run(Command(ledger, tmp, i, ""));
      INFO(rerun.output);
      CHECK(rerun.exit_code == 0);
      const State done = ReadState(ledger);
      CHECK(done.verify_exit == 0);
      CHECK(done.entries == after[i].entries);  // nothing lost, nothing duplicated
      CHECK(done.checkpoints == after[i].checkpoints);
      CHECK(done.views == after[i].views);
      CHECK(done.balances == after[i].balances);
    }
  }
  const auto seconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count() /
      1000.0;
  WARN("fault injection: " << total << " counted LMDB calls over " << step_count << " commands; injected at "
                           << injected << (all ? " (every N)" : " (sampled; RF_FAULT_ALL=1 for every N)") << " in "
                           << seconds << " s");
  CHECK(injected >= (all ? total : total / SampleStride()));
}
