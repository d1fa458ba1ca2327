// ringfence: the command-line program. Parses arguments, calls the
// libraries, prints. Exit 0 success, 1 findings (tampering), 2 usage or
// input errors (the CLI contract in PRODUCT.md).

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "ingest/post_file.h"
#include "ledger/audit_export.h"
#include "ledger/audit_pack.h"
#include "ledger/journal.h"
#include "ledger/ledger_verify.h"
#include "ledger/proof_json.h"
#include "tools/cli_output.h"

namespace {

constexpr char kProgram[] = "ringfence";

struct Options {
  std::string ledger;
  std::string format = "text";
  std::string actor;
  // init
  std::string org;
  std::string origin;
  // post
  std::string post_file;
  // audit
  std::string out_dir;
  uint64_t seq = 0;
  std::optional<uint64_t> size;
  uint64_t from = 0;
  uint64_t to = 0;
};

std::string DefaultLedger() {
  const char* env = std::getenv("RINGFENCE_LEDGER");
  return env != nullptr && *env != '\0' ? env : "./ledger.rf";
}

std::string DefaultActor() {
  for (const char* name : {"RINGFENCE_ACTOR", "USER", "LOGNAME"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') return v;
  }
  return "unknown";
}

void PrintJson(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

int RunInit(const Options& o) {
  const std::string origin = o.origin.empty() ? rf::DefaultOrigin(o.org) : o.origin;
  auto journal = rf::Journal::Create(o.ledger, o.org, origin, o.actor);
  if (!journal.ok()) return rf::cli::Fail(kProgram, journal.status());
  const auto& key = (*journal)->verifier_key();
  if (o.format == "json") {
    PrintJson({{"ledger", o.ledger}, {"org", o.org}, {"origin", origin},
               {"verifier_key", rf::crypto::VerifierKey(key.name, key.key)}});
  } else {
    std::printf("Created ledger %s for %s\n  origin        %s\n  verifier key  %s\n  signing key   %s/%s (mode 0600)\n",
                o.ledger.c_str(), o.org.c_str(), origin.c_str(), rf::crypto::VerifierKey(key.name, key.key).c_str(),
                o.ledger.c_str(), rf::kKeyFileName);
  }
  return 0;
}

int RunPost(const Options& o) {
  auto drafts = rf::ReadPostFile(o.post_file, o.actor);
  if (!drafts.ok()) return rf::cli::Fail(kProgram, drafts.status());
  auto journal = rf::Journal::Open(o.ledger, /*writable=*/true);
  if (!journal.ok()) return rf::cli::Fail(kProgram, journal.status());
  auto appended = (*journal)->Append(*drafts);
  if (!appended.ok()) return rf::cli::Fail(kProgram, appended.status().WithContext(o.post_file + ": "));
  if (o.format == "json") {
    PrintJson({{"first_seq", appended->first_seq}, {"last_seq", appended->last_seq},
               {"tree_size", appended->last_seq}, {"root", rf::HashToBase64(appended->root)}});
  } else {
    std::printf("Posted %zu entr%s: seq %llu..%llu; checkpoint signed at tree size %llu\n", drafts->size(),
                drafts->size() == 1 ? "y" : "ies", static_cast<unsigned long long>(appended->first_seq),
                static_cast<unsigned long long>(appended->last_seq),
                static_cast<unsigned long long>(appended->last_seq));
  }
  return 0;
}

int RunVerify(const Options& o) {
  auto journal = rf::Journal::Open(o.ledger, /*writable=*/false);
  if (!journal.ok()) return rf::cli::Fail(kProgram, journal.status());
  auto report = rf::VerifyLedger(**journal, [](uint64_t done, uint64_t total) {
    rf::cli::Progress("verifying entries", done, total);
  });
  rf::cli::ProgressDone();
  if (!report.ok()) {
    if (o.format == "json") PrintJson({{"ok", false}, {"error", report.status().message()}});
    return rf::cli::Fail(kProgram, report.status());
  }
  if (o.format == "json") {
    PrintJson({{"ok", true}, {"entries", report->entries}, {"tree_nodes", report->tree_nodes},
               {"checkpoints", report->checkpoints}, {"root", rf::HashToBase64(report->root)}});
  } else {
    std::printf("OK: %llu entries, chain intact, %llu tree nodes match, %llu checkpoint signatures verify\n"
                "root %s\n",
                static_cast<unsigned long long>(report->entries), static_cast<unsigned long long>(report->tree_nodes),
                static_cast<unsigned long long>(report->checkpoints), rf::HashToBase64(report->root).c_str());
  }
  return 0;
}

int RunExport(const Options& o) {
  auto journal = rf::Journal::Open(o.ledger, /*writable=*/false);
  if (!journal.ok()) return rf::cli::Fail(kProgram, journal.status());
  auto report = rf::ExportAuditPack(**journal, o.out_dir);
  if (!report.ok()) return rf::cli::Fail(kProgram, report.status());
  if (o.format == "json") {
    PrintJson({{"out", o.out_dir}, {"entries", report->entries}, {"checkpoints", report->checkpoints}});
  } else {
    std::printf("Wrote audit pack %s: %llu entries, %llu checkpoints. Check it with: ringfence-verify %s\n",
                o.out_dir.c_str(), static_cast<unsigned long long>(report->entries),
                static_cast<unsigned long long>(report->checkpoints), o.out_dir.c_str());
  }
  return 0;
}

int RunProve(const Options& o) {
  auto journal = rf::Journal::Open(o.ledger, /*writable=*/false);
  if (!journal.ok()) return rf::cli::Fail(kProgram, journal.status());
  auto proof = (*journal)->ProveInclusion(o.seq, o.size);
  if (!proof.ok()) return rf::cli::Fail(kProgram, proof.status());
  auto line = (*journal)->Line(o.seq);
  if (!line.ok()) return rf::cli::Fail(kProgram, line.status());
  PrintJson({{"leaf_index", proof->leaf_index},
             {"tree_size", proof->tree_size},
             {"leaf_hash", rf::HashToBase64(proof->leaf_hash)},
             {"inclusion_path", rf::HashesToJson(proof->path)},
             {"checkpoint", proof->checkpoint},
             {"entry", *line}});
  return 0;
}

int RunConsistency(const Options& o) {
  auto journal = rf::Journal::Open(o.ledger, /*writable=*/false);
  if (!journal.ok()) return rf::cli::Fail(kProgram, journal.status());
  auto proof = (*journal)->ProveConsistency(o.from, o.to);
  if (!proof.ok()) return rf::cli::Fail(kProgram, proof.status());
  nlohmann::json out = {{"first", proof->first},
                        {"second", proof->second},
                        {"consistency_path", rf::HashesToJson(proof->path)}};
  if (!proof->first_checkpoint.empty()) out["first_checkpoint"] = proof->first_checkpoint;
  if (!proof->second_checkpoint.empty()) out["second_checkpoint"] = proof->second_checkpoint;
  PrintJson(out);
  return 0;
}

// Until ingest, payments and reconciliation land, the demo shows the audit
// trail end to end: a ledger, hand-posted entries, verify, an audit pack
// checked offline, and a proof.
int RunDemo(const Options& o) {
  Options init = o;
  init.org = "NHS Example Integrated Care Board";
  init.actor = "demo";
  if (int rc = RunInit(init); rc != 0) return rc;
  auto journal = rf::Journal::Open(o.ledger, /*writable=*/true);
  if (!journal.ok()) return rf::cli::Fail(kProgram, journal.status());
  const std::string text = R"json([
    {"kind": "note", "effective": "2026-04-01", "actor": "finance.manager",
     "body": {"text": "Opening the 2026-27 PHB ring-fenced pot"}},
    {"kind": "note", "effective": "2026-04-02", "actor": "finance.manager",
     "body": {"text": "Mental health PHB pot funded", "amount": "250000.00"}},
    {"kind": "note", "effective": "2026-04-03", "actor": "commissioner",
     "body": {"text": "Budget approved for person P-0001 (Section 117)", "amount": "12000.00"}}
  ])json";
  auto drafts = rf::ParsePostText(text, "demo.json", "demo");
  if (!drafts.ok()) return rf::cli::Fail(kProgram, drafts.status());
  for (const auto& draft : *drafts) {  // one commit each: one checkpoint each
    auto appended = (*journal)->Append({draft});
    if (!appended.ok()) return rf::cli::Fail(kProgram, appended.status());
  }
  journal->reset();
  std::printf("\n$ ringfence verify\n");
  if (int rc = RunVerify(o); rc != 0) return rc;
  Options exp = o;
  exp.out_dir = o.ledger + ".audit-pack";
  std::printf("\n$ ringfence audit export --out %s\n", exp.out_dir.c_str());
  if (int rc = RunExport(exp); rc != 0) return rc;
  std::printf("\n$ ringfence-verify %s\n", exp.out_dir.c_str());
  auto pack = rf::VerifyAuditPack(exp.out_dir, std::nullopt);
  if (!pack.ok()) return rf::cli::Fail(kProgram, pack.status());
  std::printf("OK: %llu entries, chain intact; %llu signed checkpoints verify\n",
              static_cast<unsigned long long>(pack->entries), static_cast<unsigned long long>(pack->checkpoints));
  Options prove = o;
  prove.seq = 3;
  std::printf("\n$ ringfence audit prove --seq 3\n");
  return RunProve(prove);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.ledger = DefaultLedger();
  o.actor = DefaultActor();
  CLI::App app{"ringfence: a ring-fenced budget ledger and payments engine for NHS Personal Health Budgets"};
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--ledger", o.ledger, "Ledger directory (default $RINGFENCE_LEDGER, else ./ledger.rf)");
  app.add_option("--format", o.format, "Output: text or json")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--actor", o.actor, "Who is making the change (default $RINGFENCE_ACTOR, else $USER)");

  auto* init = app.add_subcommand("init", "Create the ledger and the organisation's signing key");
  init->add_option("--org", o.org, "The organisation (ICB) name")->required();
  init->add_option("--origin", o.origin, "Checkpoint origin (default ringfence.invalid/<org slug>)");

  auto* post = app.add_subcommand("post", "Post hand-written entries from a JSON file (one transaction)");
  post->add_option("file", o.post_file, "FILE.json")->required();

  auto* verify = app.add_subcommand("verify", "Recompute chain, tree and every checkpoint signature");

  auto* audit = app.add_subcommand("audit", "Audit packs and proofs");
  audit->require_subcommand(1);
  auto* audit_export = audit->add_subcommand("export", "Write an audit pack");
  audit_export->add_option("--out", o.out_dir, "New directory for the pack")->required();
  auto* audit_prove = audit->add_subcommand("prove", "RFC 9162 inclusion proof for an entry");
  audit_prove->add_option("--seq", o.seq, "Entry sequence number (from 1)")->required();
  audit_prove->add_option("--size", o.size, "Tree size of a signed checkpoint (default: latest)");
  auto* audit_consistency = audit->add_subcommand("consistency", "RFC 9162 consistency proof between two sizes");
  audit_consistency->add_option("--from", o.from, "Earlier tree size")->required();
  audit_consistency->add_option("--to", o.to, "Later tree size")->required();

  auto* demo = app.add_subcommand("demo", "Run an end-to-end demonstration into a fresh ledger");

  if (auto exit_code = rf::cli::ParseArguments(app, argc, argv)) return *exit_code;
  if (*init) return RunInit(o);
  if (*post) return RunPost(o);
  if (*verify) return RunVerify(o);
  if (*audit_export) return RunExport(o);
  if (*audit_prove) return RunProve(o);
  if (*audit_consistency) return RunConsistency(o);
  if (*demo) return RunDemo(o);
  return 2;
}
