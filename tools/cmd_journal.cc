// init, post, verify, audit export|prove|consistency.
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>

#include "ingest/post_file.h"
#include "ledger/audit/audit_export.h"
#include "ledger/audit/ledger_verify.h"
#include "ledger/bank/iban.h"
#include "ledger/core/date_horizon.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"
#include "ledger/verify/proof_json.h"
#include "tools/cli_output.h"
#include "tools/commands.h"

namespace rf::cli {

void PrintJson(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

std::string TodayIso() {
  // Tests fix "today" (the future-date horizon, default dates) this way.
  if (const char* fixed = std::getenv("RINGFENCE_TODAY"); fixed != nullptr && *fixed != '\0') return fixed;
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date::FromDays(static_cast<int32_t>(today.time_since_epoch().count())).ToIso();
}

int RunInit(const Global& g, const std::string& org, const std::string& origin_flag) {
  const std::string origin = origin_flag.empty() ? DefaultOrigin(org) : origin_flag;
  auto ledger = Ledger::Create(g.ledger, org, origin, g.actor);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  const auto& key = (*ledger)->journal().verifier_key();
  const std::string vkey = crypto::VerifierKey(key.name, key.key);
  if (g.format == "json") {
    PrintJson({{"ledger", g.ledger}, {"org", org}, {"origin", origin}, {"verifier_key", vkey}});
  } else {
    std::printf("Created ledger %s for %s\n  origin        %s\n  verifier key  %s\n  signing key   %s/%s (mode 0600)\n",
                g.ledger.c_str(), org.c_str(), origin.c_str(), vkey.c_str(), g.ledger.c_str(), kKeyFileName);
  }
  return 0;
}

Status CheckDatesWithinHorizon(const Ledger& ledger, const std::vector<std::pair<Date, std::string>>& dates,
                               const std::optional<std::string>& future_dated) {
  auto today = Date::Parse(TodayIso(), "today");
  if (!today.ok()) return today.status();
  RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) -> Status {
    auto setting = FindSetting(views, kFutureDaysSetting);
    if (!setting.ok()) return setting.status();
    auto horizon = MakeDateHorizon(*today, *setting, future_dated);
    if (!horizon.ok()) return horizon.status();
    for (const auto& [date, what] : dates) RF_RETURN_IF_ERROR(CheckNotFutureDated(*horizon, date, what));
    return Status::Ok();
  }));
  if (future_dated) NoteF("Dates more than the horizon ahead allowed: %s\n", future_dated->c_str());
  return Status::Ok();
}

namespace {

int RunPost(const Global& g, const std::string& file, bool dry_run, const std::optional<std::string>& future_dated) {
  auto drafts = ReadPostFile(file, g.actor);
  if (!drafts.ok()) return Fail(kProgram, drafts.status());
  auto ledger = Ledger::Open(g.ledger, /*writable=*/true);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  std::vector<std::pair<Date, std::string>> dates;
  for (const EntryDraft& d : *drafts) dates.emplace_back(d.effective, d.source + ": effective");
  if (Status s = CheckDatesWithinHorizon(**ledger, dates, future_dated); !s.ok()) return Fail(kProgram, s);
  const size_t count = drafts->size();
  auto committed = (*ledger)->Commit(std::move(*drafts), dry_run);
  if (!committed.ok()) return Fail(kProgram, committed.status().WithContext(file + ": "));
  const auto& a = committed->appended;
  if (g.format == "json") {
    PrintJson({{"first_seq", a.first_seq},
               {"last_seq", a.last_seq},
               {"committed", committed->committed},
               {"tree_size", a.last_seq},
               {"root", HashToBase64(a.root)}});
  } else if (dry_run) {
    std::printf("Dry run: %zu entr%s pass every check; nothing was written\n", count, count == 1 ? "y" : "ies");
  } else {
    std::printf("Posted %zu entr%s: seq %llu..%llu; checkpoint signed at tree size %llu\n", count,
                count == 1 ? "y" : "ies", static_cast<unsigned long long>(a.first_seq),
                static_cast<unsigned long long>(a.last_seq), static_cast<unsigned long long>(a.last_seq));
  }
  return 0;
}

// Where the checking process tells its parent what it has checked so far
// (one line a stage), so a crash can be reported with what passed before
// it; -1 when verify runs in this process.
int verify_stages_fd = -1;

// A sign of life from the checking process, at most once a second: one
// '.' on the stages pipe (the parent ends a process silent for too long;
// see RunVerify).
void Heartbeat() {
  static auto last = std::chrono::steady_clock::now();
  if (verify_stages_fd < 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last < std::chrono::seconds(1)) return;
  last = now;
  if (::write(verify_stages_fd, ".", 1) < 0) return;
}

// How long the checking process may stay silent before the parent ends it
// and reports the file as damaged: LMDB can loop for ever on a damaged
// page (a page that points back to itself), and it reports progress at
// least once a second otherwise. $RF_VERIFY_SILENCE_SECONDS (1..86400)
// for tests; default 600 s.
int SilenceLimitMs() {
  const char* text = std::getenv("RF_VERIFY_SILENCE_SECONDS");
  const long seconds = text == nullptr ? 600 : std::strtol(text, nullptr, 10);
  return static_cast<int>((seconds >= 1 && seconds <= 86400 ? seconds : 600) * 1000);
}

void StageChecked(const std::string& what) {
  if (verify_stages_fd < 0) return;
  const std::string line = what + "\n";
  // One write below PIPE_BUF: whole or not at all; the parent reads after.
  if (::write(verify_stages_fd, line.data(), line.size()) < 0) return;
}

// A test hook: RF_VERIFY_FAULT_AT=open|chain makes the checking process die
// of SIGABRT after that stage, as LMDB's own assertions do on a damaged
// page (SIGABRT, not SIGSEGV: under ASan a SIGSEGV becomes the sanitizer's
// report and exit 1, and the test would not see the signal).
void FaultHookAt(const char* stage) {
  const char* at = std::getenv("RF_VERIFY_FAULT_AT");
  if (verify_stages_fd >= 0 && at != nullptr && std::strcmp(at, stage) == 0) std::raise(SIGABRT);
}

int VerifyInThisProcess(const Global& g) {
  auto ledger = Ledger::Open(g.ledger, /*writable=*/false);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  StageChecked("the file opened and the ledger's format, organisation and verifier key were read");
  FaultHookAt("open");
  const auto& journal = (*ledger)->journal();
  auto report =
      VerifyLedger(journal, [](uint64_t done, uint64_t total) {
        Progress("verifying entries", done, total);
        Heartbeat();
      });
  ProgressDone();
  Result<ViewsCheck> views = Status::Tampered("not checked");
  if (report.ok()) {
    StageChecked("the hash chain and Merkle tree of " + std::to_string(report->entries) + " entries and " +
                 std::to_string(report->checkpoints) + " checkpoint signatures verified");
    FaultHookAt("chain");
    views = CompareViews(journal, [](uint64_t done, uint64_t total) {
      Progress("rebuilding views", done, total);
      Heartbeat();
    });
    ProgressDone();
  }
  const Status failed = !report.ok() ? report.status() : views.status();
  if (!failed.ok()) {
    if (g.format == "json") PrintJson({{"ok", false}, {"error", MaskIbansIn(failed.message())}});
    const int code = Fail(kProgram, failed);
    // The journal held: only views derived from it disagree. Still a
    // finding (a view may have been altered), but it has a remedy, and a
    // ledger whose views an earlier version wrote lands here.
    if (report.ok() && views.status().code() == Status::Code::kTampered) {
      Note("The journal itself verified (chain, tree and " + std::to_string(report->checkpoints) +
           " checkpoint signatures); only the views derived from it differ. If an earlier version of ringfence "
           "wrote them, `ringfence views rebuild` rewrites them from the journal (`--dry-run` first shows what "
           "would change).");
    }
    return code;
  }
  if (g.format == "json") {
    PrintJson({{"ok", true},
               {"entries", report->entries},
               {"tree_nodes", report->tree_nodes},
               {"checkpoints", report->checkpoints},
               {"views", views->keys},
               {"root", HashToBase64(report->root)}});
  } else {
    std::printf(
        "OK: %llu entries, chain intact, %llu tree nodes match, %llu checkpoint signatures verify,\n"
        "    %llu views rebuilt from the journal match the ledger's\nroot %s\n",
        static_cast<unsigned long long>(report->entries), static_cast<unsigned long long>(report->tree_nodes),
        static_cast<unsigned long long>(report->checkpoints), static_cast<unsigned long long>(views->keys),
        HashToBase64(report->root).c_str());
  }
  return 0;
}

}  // namespace

// LMDB keeps no page checksums: a damaged data.mdb can make it read outside
// its map and crash the process. So verify reads the ledger in a child
// process, and a child that dies of a signal is reported as damage (exit 1,
// "FAILED"), never passed on as a crash.
int RunVerify(const Global& g) {
  std::fflush(stdout);
  std::fflush(stderr);
  int stages[2] = {-1, -1};
  if (::pipe2(stages, O_CLOEXEC) != 0) stages[0] = stages[1] = -1;  // no pipe: the stages go unreported
  const pid_t child = ::fork();
  if (child < 0) {
    for (int fd : stages) {
      if (fd >= 0) ::close(fd);
    }
    return VerifyInThisProcess(g);  // no process to spare: check here
  }
  if (child == 0) {
    if (stages[0] >= 0) ::close(stages[0]);
    verify_stages_fd = stages[1];
    const int code = VerifyInThisProcess(g);
    std::fflush(stdout);
    std::fflush(stderr);
    ::_exit(code);
  }
  if (stages[1] >= 0) ::close(stages[1]);
  Debug("verify: checking in process " + std::to_string(child));
  // What passed before the child ended (a few short lines; bounded), read as
  // it comes: a child silent for longer than the limit is ended (SIGKILL).
  std::string checked;
  bool silent = false;
  if (stages[0] >= 0) {
    const int limit_ms = SilenceLimitMs();
    char buffer[1024];
    for (;;) {
      pollfd p{.fd = stages[0], .events = POLLIN, .revents = 0};
      const int ready = ::poll(&p, 1, limit_ms);
      if (ready < 0 && errno == EINTR) continue;
      if (ready == 0) {
        silent = true;
        ::kill(child, SIGKILL);
        break;
      }
      const ssize_t n = ready < 0 ? -1 : ::read(stages[0], buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // the child ended (or the pipe failed: wait below)
      for (ssize_t i = 0; i < n; ++i) {
        if (buffer[i] != '.' && checked.size() < 4096) checked += buffer[i];
      }
    }
    ::close(stages[0]);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return Fail(kProgram, Status::Io("verify: lost its checking process"));
  }
  if (silent) {
    const Status hung = Status::Tampered(
        g.ledger + "/data.mdb is damaged: reading it stopped making progress for " +
        std::to_string(SilenceLimitMs() / 1000) + " s (LMDB can loop for ever on a damaged page), so the check was "
        "ended. LMDB keeps no checksums of its own; restore the ledger from a backup and check it against the last "
        "audit pack with ringfence-verify");
    if (g.format == "json") PrintJson({{"ok", false}, {"error", MaskIbansIn(hung.message())}});
    return Fail(kProgram, hung);
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  const int signal_number = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  if (signal_number == SIGKILL || signal_number == SIGTERM || signal_number == SIGINT || signal_number == SIGHUP) {
    return Fail(kProgram, Status::Io("verify was stopped (signal " + std::to_string(signal_number) +
                                     ") before it finished; nothing was concluded"));
  }
  // Name what was checked before the crash: "checked before it: A; B".
  std::string before;
  size_t stages_passed = 0;
  for (size_t at = 0, end; at < checked.size(); at = end + 1) {
    end = checked.find('\n', at);
    if (end == std::string::npos) end = checked.size();
    if (end > at) before += (before.empty() ? "" : "; ") + checked.substr(at, end - at);
    stages_passed += end > at;
  }
  const char* not_checked = stages_passed >= 2 ? "the views rebuilt from the journal"
                                               : "the hash chain, Merkle tree, checkpoint signatures and views";
  const Status damaged = Status::Tampered(
      g.ledger + "/data.mdb is damaged: reading it crashed the storage library (signal " +
      std::to_string(signal_number) + ", " + ::strsignal(signal_number) + "). " +
      (before.empty() ? std::string("Nothing could be checked: it crashed opening the file")
                      : "Checked before the crash: " + before + "; not checked: " + not_checked) +
      ". LMDB keeps no checksums of its own; restore the ledger from a backup and check it against the last audit "
      "pack with ringfence-verify");
  if (g.format == "json") PrintJson({{"ok", false}, {"error", MaskIbansIn(damaged.message())}});
  return Fail(kProgram, damaged);
}

int RunAuditExport(const Global& g, const std::string& out_dir) {
  auto journal = Journal::Open(g.ledger, /*writable=*/false);
  if (!journal.ok()) return Fail(kProgram, journal.status());
  auto report = ExportAuditPack(**journal, out_dir);
  if (!report.ok()) return Fail(kProgram, report.status());
  if (g.format == "json") {
    PrintJson({{"out", out_dir}, {"entries", report->entries}, {"checkpoints", report->checkpoints}});
  } else {
    std::printf("Wrote audit pack %s: %llu entries, %llu checkpoints. Check it with: ringfence-verify %s\n",
                out_dir.c_str(), static_cast<unsigned long long>(report->entries),
                static_cast<unsigned long long>(report->checkpoints), out_dir.c_str());
  }
  return 0;
}

int RunProve(const Global& g, uint64_t seq, std::optional<uint64_t> size) {
  auto journal = Journal::Open(g.ledger, /*writable=*/false);
  if (!journal.ok()) return Fail(kProgram, journal.status());
  auto proof = (*journal)->ProveInclusion(seq, size);
  if (!proof.ok()) return Fail(kProgram, proof.status());
  auto line = (*journal)->Line(seq);
  if (!line.ok()) return Fail(kProgram, line.status());
  PrintJson({{"leaf_index", proof->leaf_index},
             {"tree_size", proof->tree_size},
             {"leaf_hash", HashToBase64(proof->leaf_hash)},
             {"inclusion_path", HashesToJson(proof->path)},
             {"checkpoint", proof->checkpoint},
             {"entry", *line}});
  return 0;
}

namespace {

int RunConsistency(const Global& g, uint64_t from, uint64_t to) {
  auto journal = Journal::Open(g.ledger, /*writable=*/false);
  if (!journal.ok()) return Fail(kProgram, journal.status());
  auto proof = (*journal)->ProveConsistency(from, to);
  if (!proof.ok()) return Fail(kProgram, proof.status());
  nlohmann::json out = {
      {"first", proof->first}, {"second", proof->second}, {"consistency_path", HashesToJson(proof->path)}};
  if (!proof->first_checkpoint.empty()) out["first_checkpoint"] = proof->first_checkpoint;
  if (!proof->second_checkpoint.empty()) out["second_checkpoint"] = proof->second_checkpoint;
  PrintJson(out);
  return 0;
}

struct JournalOptions {
  std::string org, origin, post_file, out_dir;
  std::optional<std::string> future_dated;  // post --future-dated REASON
  bool dry_run = false;
  uint64_t seq = 0, from = 0, to = 0;
  std::optional<uint64_t> size;
};

}  // namespace

void AddJournalCommands(CLI::App& app, const Global& g, Commands& out) {
  auto o = std::make_shared<JournalOptions>();
  auto* init = app.add_subcommand("init", "Create the ledger and the organisation's signing key");
  init->add_option("--org", o->org, "The organisation (ICB) name")->required();
  init->add_option("--origin", o->origin, "Checkpoint origin (default ringfence.invalid/<org slug>)");
  out.push_back({init, [&g, o] { return RunInit(g, o->org, o->origin); }});

  auto* post = app.add_subcommand("post", "Post hand-written entries from a JSON file (one transaction)");
  post->add_option("file", o->post_file, "FILE.json")->required();
  post->add_flag("--dry-run", o->dry_run, "Check every rule, write nothing");
  post->add_option("--future-dated", o->future_dated,
                   "Allow effective dates more than dates.future_days_max days ahead, giving the reason");
  out.push_back({post, [&g, o] { return RunPost(g, o->post_file, o->dry_run, o->future_dated); }});

  auto* verify = app.add_subcommand(
      "verify", "Recompute chain, tree and every checkpoint signature; rebuild every view from the journal");
  out.push_back({verify, [&g] { return RunVerify(g); }});

  auto* audit = app.add_subcommand("audit", "Audit packs and proofs");
  audit->require_subcommand(1);
  auto* audit_export = audit->add_subcommand("export", "Write an audit pack");
  audit_export->add_option("--out", o->out_dir, "New directory for the pack")->required();
  out.push_back({audit_export, [&g, o] { return RunAuditExport(g, o->out_dir); }});
  auto* prove = audit->add_subcommand("prove", "RFC 9162 inclusion proof for an entry");
  prove->add_option("--seq", o->seq, "Entry sequence number (from 1)")->required();
  prove->add_option("--size", o->size, "Tree size of a signed checkpoint (default: latest)");
  out.push_back({prove, [&g, o] { return RunProve(g, o->seq, o->size); }});
  auto* consistency = audit->add_subcommand("consistency", "RFC 9162 consistency proof between two sizes");
  consistency->add_option("--from", o->from, "Earlier tree size")->required();
  consistency->add_option("--to", o->to, "Later tree size")->required();
  out.push_back({consistency, [&g, o] { return RunConsistency(g, o->from, o->to); }});
}

}  // namespace rf::cli
