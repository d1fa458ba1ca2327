#include "tests/fuzz/damaged_ledger_check.h"

#include <filesystem>
#include <fstream>

#include "ledger/audit/ledger_verify.h"
#include "ledger/storage/ledger.h"

namespace rf::fuzz {

std::string CheckDamagedLedger(const std::string& dir, std::string_view data_mdb, const OpenObserver& on_open) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot make " + dir + ": " + ec.message();
  {
    std::ofstream out(dir + "/data.mdb", std::ios::binary | std::ios::trunc);
    out.write(data_mdb.data(), static_cast<std::streamsize>(data_mdb.size()));
    if (!out) return "cannot write " + dir + "/data.mdb";
  }
  // What VerifyInThisProcess does (tools/cmd_journal.cc), without printing.
  Status outcome = Status::Ok();
  std::string mismatch;
  {
    auto ledger = Ledger::Open(dir, /*writable=*/false);
    if (!ledger.ok()) {
      outcome = ledger.status();
    } else {
      if (on_open) on_open(true);
      const Journal& journal = (*ledger)->journal();
      auto report = VerifyLedger(journal, {});
      if (!report.ok()) {
        outcome = report.status();
      } else {
        auto views = CompareViews(journal, {});
        if (!views.ok()) {
          outcome = views.status();
        } else if (views->entries != report->entries) {
          mismatch = "verified " + std::to_string(report->entries) + " entries but rebuilt the views from " +
                     std::to_string(views->entries);
        }
      }
      if (on_open) on_open(false);
    }
  }
  if (!mismatch.empty()) return mismatch;
  if (outcome.ok() || outcome.code() == Status::Code::kTampered) return "";
  // A format marker this program does not know ("ringfence-journal/2"): it
  // may be a later version's ledger as well as damage, so verify says it
  // cannot check it (exit 2) rather than calling it tampered.
  if (outcome.message().find("is not ringfence-journal/") != std::string::npos) return "";
  return "verify of a damaged data.mdb gave exit " + std::to_string(outcome.exit_code()) +
         " (not 0 or 1): " + outcome.message();
}

}  // namespace rf::fuzz
