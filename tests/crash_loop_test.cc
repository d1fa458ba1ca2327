// Crash loop over ingest and pay: the real program is SIGKILLed at a random
// moment; afterwards the ledger verifies, the file or the payment run is
// wholly there or not at all, and running the command again completes the
// work with nothing duplicated.
//   RF_CRASH_TRIALS=N  trials (default 200: 100 ingest, 100 pay; use 1000+
//                      locally)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "tests/test_util.h"

using rf::test::Quote;
using rf::test::RingfenceOn;
using rf::test::Run;
using rf::test::TempDir;

namespace {

using rf::test::kIngestData;
constexpr int kInvoiceRows = 2000;

uint64_t Entries(const std::string& dir) {
  auto r = Run(RingfenceOn(dir) + "--format json verify");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);  // the ledger verifies after every trial
  return nlohmann::json::parse(r.output)["entries"].get<uint64_t>();
}

void WriteInvoices(const std::string& path, const std::string& prefix) {
  std::ofstream out(path, std::ios::binary);
  out << "invoice_id,provider_id,budget_id,amount,service_from,service_to,received_on,category,description\n";
  for (int i = 0; i < kInvoiceRows; ++i) {
    const int day = i % 300;
    char from[16];
    auto d = std::chrono::sys_days{std::chrono::year{2026} / 4 / 1} + std::chrono::days{day};
    const std::chrono::year_month_day ymd{d};
    std::snprintf(from, sizeof(from), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    out << prefix << i << ",V-001,B-102,0.0" << (1 + i / 300) << "," << from << "," << from
        << ",2027-03-01,activities,row " << i << "\n";
  }
}

// The run happens in March 2027 (invoices received 2027-03-01, paid on
// 2027-03-31): "today" for the future-date horizon is fixed on the day of
// approval for the ringfence processes this test starts, then restored.
struct TodayFixed {
  explicit TodayFixed(const char* iso) { ::setenv("RINGFENCE_TODAY", iso, 1); }
  ~TodayFixed() { ::unsetenv("RINGFENCE_TODAY"); }
};

// Runs `args` through /bin/sh in a child; SIGKILLs it after `delay`.
// Returns true if the kill landed before it finished.
bool RunAndKill(const std::string& command, std::chrono::microseconds delay) {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::execl("/bin/sh", "sh", "-c", ("exec " + command + " >/dev/null 2>&1").c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::this_thread::sleep_for(delay);
  ::kill(child, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  return WIFSIGNALED(status);
}

// A ledger with reference data and 2,000 approved invoices, ready to pay.
void MakeTemplate(const std::string& dir, const std::string& work) {
  REQUIRE(Run(RingfenceOn(dir) + "init --org 'NHS Test ICB'").exit_code == 0);
  for (const char* kind : {"pots", "people", "providers", "budgets"}) {
    REQUIRE(Run(RingfenceOn(dir) + "ingest " + kind + " " + Quote(kIngestData + kind + ".csv")).exit_code == 0);
  }
  REQUIRE(Run(RingfenceOn(dir) + "config set bank.debtor_iban GB33BUKB20201555555555 --date 2026-04-01").exit_code == 0);
  WriteInvoices(work + "/approved.csv", "APP-");
  REQUIRE(Run(RingfenceOn(dir) + "ingest invoices " + Quote(work + "/approved.csv")).exit_code == 0);
  auto approve = Run(RingfenceOn(dir) + "approve invoices --all-valid --date 2027-03-02");
  INFO(approve.output.substr(0, 500));
  REQUIRE(approve.exit_code == 0);
}

std::chrono::microseconds Duration(const std::string& command) {
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(Run(command).exit_code == 0);
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace

TEST_CASE("ingest and pay killed at random moments: the ledger verifies, all or nothing, and a rerun completes once") {
  const char* env = std::getenv("RF_CRASH_TRIALS");
  const int trials = env != nullptr ? std::max(2, std::atoi(env)) : 200;
  const TodayFixed today("2027-03-02");
  TempDir tmp;
  const std::string base = tmp / "template.rf";
  MakeTemplate(base, tmp.path());
  WriteInvoices(tmp / "new.csv", "NEW-");
  const std::string ingest = "ingest invoices " + Quote(tmp / "new.csv");
  const std::string pay_args = "pay --date 2027-03-31 --out ";

  // The complete outcome of each command, and how long it takes.
  const std::string probe = tmp / "probe.rf";
  std::filesystem::copy(base, probe, std::filesystem::copy_options::recursive);
  const uint64_t before = Entries(probe);
  const auto ingest_time = Duration(RingfenceOn(probe) + ingest);
  const uint64_t after_ingest = Entries(probe);
  REQUIRE(after_ingest == before + kInvoiceRows);
  std::filesystem::remove_all(probe);
  std::filesystem::copy(base, probe, std::filesystem::copy_options::recursive);
  const auto pay_time = Duration(RingfenceOn(probe) + pay_args + Quote(tmp / "probe.xml"));
  const uint64_t after_pay = Entries(probe);
  REQUIRE(after_pay > before + kInvoiceRows);  // every invoice, instalments and the run's header

  std::mt19937_64 rng(20261123);
  int killed = 0, landed = 0;
  for (int trial = 0; trial < trials; ++trial) {
    const bool is_pay = trial % 2 == 1;
    const std::string dir = tmp / ("trial-" + std::to_string(trial) + ".rf");
    std::filesystem::copy(base, dir, std::filesystem::copy_options::recursive);
    const auto full = is_pay ? pay_time : ingest_time;
    const auto delay = std::chrono::microseconds(rng() % static_cast<uint64_t>(full.count() * 12 / 10 + 1));
    const std::string xml = tmp / ("trial-" + std::to_string(trial) + ".xml");
    const std::string command = RingfenceOn(dir) + (is_pay ? pay_args + Quote(xml) : ingest);
    killed += RunAndKill(command, delay);
    INFO("trial " << trial << (is_pay ? " (pay)" : " (ingest)") << " killed after " << delay.count() << " us");
    const uint64_t entries = Entries(dir);
    const uint64_t complete = is_pay ? after_pay : after_ingest;
    REQUIRE((entries == before || entries == complete));  // wholly or not at all
    landed += entries == complete;
    // Running it again completes the work, once.
    auto again = Run(is_pay ? RingfenceOn(dir) + pay_args + Quote(xml + ".again") : RingfenceOn(dir) + ingest);
    INFO(again.output.substr(0, 300));
    REQUIRE(again.exit_code == 0);
    REQUIRE(Entries(dir) == complete);
    std::filesystem::remove_all(dir);
  }
  WARN("crash loop: " << trials << " trials, " << killed << " killed before finishing; the commit had landed in " << landed);
  CHECK(killed > trials / 4);
  CHECK(landed < trials);
}
