// ringfence-verify: the auditor's offline checker. Given an audit pack (a
// folder written by `ringfence audit export`) it recomputes the hash chain
// and the RFC 9162 tree and checks every signed checkpoint and the manifest,
// with no LMDB and no ledger. With --proof it checks a proof document: an
// inclusion proof from `ringfence audit prove` or a consistency proof from
// `ringfence audit consistency` (between two signed checkpoints).
// Exit 0 verified, 1 tampering found, 2 usage or unreadable input.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "crypto/note.h"
#include "crypto/small_file.h"
#include "ledger/bank/iban.h"
#include "ledger/verify/audit_pack.h"
#include "ledger/verify/proof_json.h"
#include "tools/cli_output.h"

namespace {
constexpr char kProgram[] = "ringfence-verify";

// Keys and proofs are small; a larger file is refused, never truncated.
constexpr size_t kArgumentFileBytesMax = size_t{16} << 20;
}  // namespace

int main(int argc, char** argv) {
  std::string pack;
  std::string key_file;
  std::string proof_file;
  std::string format = "text";
  CLI::App app{"ringfence-verify: check a ringfence audit pack offline"};
  app.add_option("pack", pack, "Audit pack directory")->required();
  app.add_option("--key", key_file,
                 "A public key (PEM) or verifier key you obtained independently; the pack must be signed by it");
  app.add_option("--proof", proof_file, "Also check this proof JSON (inclusion or consistency) against the pack's key");
  app.add_option("--format", format, "Output: text or json")->check(CLI::IsMember({"text", "json"}));
  if (auto exit_code = rf::cli::ParseArguments(app, argc, argv)) return *exit_code;
  std::optional<std::string> pinned;
  if (!key_file.empty()) {
    auto text = rf::ReadSmallFile(key_file, kArgumentFileBytesMax);
    if (!text.ok()) return rf::cli::Fail(kProgram, text.status());
    pinned = *text;
  }
  auto report = rf::VerifyAuditPack(pack, pinned);
  if (!report.ok()) {
    if (format == "json")
      std::cout << nlohmann::json{{"ok", false}, {"error", rf::MaskIbansIn(report.status().message())}}.dump(2) << "\n";
    return rf::cli::Fail(kProgram, report.status());
  }
  if (!proof_file.empty()) {
    auto text = rf::ReadSmallFile(proof_file, kArgumentFileBytesMax);
    if (!text.ok()) return rf::cli::Fail(kProgram, text.status());
    const auto proof = nlohmann::json::parse(*text, nullptr, false);
    auto key = rf::crypto::ParseVerifierKey(report->verifier_key);
    rf::Status checked = rf::VerifyProofJson(proof, *key);
    if (!checked.ok()) return rf::cli::Fail(kProgram, checked.WithContext(proof_file + ": "));
  }
  if (format == "json") {
    std::cout << nlohmann::json{{"ok", true},
                                {"org", report->org},
                                {"origin", report->origin},
                                {"verifier_key", report->verifier_key},
                                {"entries", report->entries},
                                {"checkpoints", report->checkpoints},
                                {"root", rf::HashToBase64(report->root)}}
                     .dump(2)
              << "\n";
  } else {
    std::printf("OK: %s (%s)\n  %llu entries, chain intact; %llu signed checkpoints verify\n  key  %s\n  root %s\n",
                report->origin.c_str(), report->org.c_str(), static_cast<unsigned long long>(report->entries),
                static_cast<unsigned long long>(report->checkpoints), report->verifier_key.c_str(),
                rf::HashToBase64(report->root).c_str());
    if (!pinned) {
      std::printf("  note: checked against the pack's own key; pass --key with the key you hold to pin it\n");
    }
    if (!proof_file.empty()) std::printf("  proof %s verifies\n", proof_file.c_str());
  }
  return 0;
}
