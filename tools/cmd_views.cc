// views rebuild [--dry-run]: rewrite the stored views from the journal
// (ledger/audit/views_rebuild.h), the upgrade path for a ledger whose views
// an earlier version wrote in another form.
//
// Exit codes: 0 rebuilt (or a dry run, or nothing to change); 1 when the
// journal itself does not verify or an entry cannot be replayed (named;
// nothing written); 2 for a usage error or an unwritable ledger. Nothing is
// journalled: views are caches of the journal, and the journal, its tree
// and its signed root are the same afterwards. The operations log line
// (ops.log, written for every command) records who ran it and when.
#include <cstdio>
#include <memory>

#include "ledger/audit/views_rebuild.h"
#include "ledger/bank/iban.h"
#include "ledger/storage/ledger.h"
#include "ledger/verify/proof_json.h"
#include "tools/cli_output.h"
#include "tools/commands.h"

namespace rf::cli {
namespace {

void PrintViewsRebuild(const Global& g, const ViewsRebuildReport& r, bool dry_run) {
  const ViewsRebuildCounts total = r.Totals();
  const bool differs = total.added + total.removed + total.changed > 0;
  if (g.format == "json") {
    nlohmann::json families = nlohmann::json::object();
    for (const auto& [family, c] : r.families) {
      families[family] = {{"added", c.added}, {"removed", c.removed}, {"changed", c.changed}};
    }
    PrintJson({{"dry_run", dry_run},
               {"written", r.written},
               {"entries", r.journal.entries},
               {"checkpoints", r.journal.checkpoints},
               {"root", HashToBase64(r.journal.root)},
               {"views_unchanged", r.views_unchanged},
               {"added", total.added},
               {"removed", total.removed},
               {"changed", total.changed},
               {"families", families}});
    return;
  }
  const auto u = [](uint64_t n) { return static_cast<unsigned long long>(n); };
  std::printf("Journal verified: %llu entries, chain intact, tree matches, %llu checkpoint signatures verify\n",
              u(r.journal.entries), u(r.journal.checkpoints));
  if (!differs) {
    std::printf("All %llu stored views already match the journal; nothing to %s\n", u(r.views_unchanged),
                dry_run ? "change" : "write");
  } else {
    std::printf("%s: %llu added, %llu removed, %llu changed; %llu unchanged\n",
                dry_run ? "Views a rebuild would change" : "Views rebuilt from the journal", u(total.added),
                u(total.removed), u(total.changed), u(r.views_unchanged));
    std::printf("  %-24s %9s %9s %9s\n", "family", "added", "removed", "changed");
    for (const auto& [family, c] : r.families) {
      std::printf("  %-24s %9llu %9llu %9llu\n", MaskIbansIn(family).c_str(), u(c.added), u(c.removed), u(c.changed));
    }
    std::printf(dry_run ? "Dry run: nothing was written\n"
                        : "Written in one transaction; nothing was journalled\n");
  }
  std::printf("The journal is unchanged: tree size %llu, root %s\n", u(r.journal.entries),
              HashToBase64(r.journal.root).c_str());
}

int RunViewsRebuild(const Global& g, bool dry_run) {
  // A dry run only reads (it works on a read-only ledger too).
  auto ledger = Ledger::Open(g.ledger, /*writable=*/!dry_run);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  auto report = RebuildStoredViews((*ledger)->journal(), dry_run, [](uint64_t done, uint64_t total) {
    Progress("verifying and replaying entries", done, total);
  });
  ProgressDone();
  if (!report.ok()) {
    if (g.format == "json") PrintJson({{"ok", false}, {"error", MaskIbansIn(report.status().message())}});
    return Fail(kProgram, report.status());
  }
  PrintViewsRebuild(g, *report, dry_run);
  return 0;
}

}  // namespace

void AddViewsCommands(CLI::App& app, const Global& g, Commands& out) {
  auto dry_run = std::make_shared<bool>(false);
  auto* views = app.add_subcommand("views", "The stored views (balances, records) derived from the journal");
  views->require_subcommand(1);
  auto* rebuild = views->add_subcommand(
      "rebuild", "Verify the journal, then rewrite every stored view from it in one transaction (journals nothing)");
  rebuild->add_flag("--dry-run", *dry_run, "Print what would change, write nothing");
  out.push_back({rebuild, [&g, dry_run] { return RunViewsRebuild(g, *dry_run); }});
}

}  // namespace rf::cli
