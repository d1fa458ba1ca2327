// flags (list the flag records), flags explain, flags resolve: the flag
// lifecycle (reconcile/flag_lifecycle.h, ledger/core/flag_life.h).
//
// Exit codes: 0 listed, or the flag.explained / flag.resolved entry
// journalled; 2 for a usage error, or when the entry is refused (FLAG_UNKNOWN:
// no reconciliation raised that id; FLAG_ALREADY_RESOLVED; FLAG_NEEDS_WORDS),
// nothing journalled.
//
// Explain and resolve are dated --date (default today). Today is after every
// closed month (a month closes after its last day), so explaining a flag of
// a closed month is not refused; the entry is about the flag, not the month.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "ledger/core/entry_kinds.h"
#include "ledger/core/flag_life.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"
#include "reconcile/table.h"
#include "tools/cli_output.h"
#include "tools/commands.h"

namespace rf::cli {
namespace {

struct FlagsOptions {
  std::string month, state, id, note, reason, date;
  std::optional<std::string> future_dated;  // --future-dated REASON
};

// Open first, then critical first, then by id.
bool FlagListOrder(const FlagLifeRecord& a, const FlagLifeRecord& b) {
  const auto rank = [](std::string_view severity) {
    return static_cast<size_t>(std::find(kFlagSeverityNames.begin(), kFlagSeverityNames.end(), severity) -
                               kFlagSeverityNames.begin());
  };
  if (a.state != b.state) return a.state < b.state;
  if (a.severity != b.severity) return rank(a.severity) < rank(b.severity);
  return a.id < b.id;
}

int RunFlagsList(const Global& g, const FlagsOptions& o) {
  std::optional<Month> month;
  if (!o.month.empty()) {
    auto parsed = ParseMonth(o.month, "--month");
    if (!parsed.ok()) return Fail(kProgram, parsed.status());
    month = *parsed;
  }
  std::optional<FlagState> state;
  if (!o.state.empty()) {
    state = ParseFlagState(o.state);
    if (!state) return Fail(kProgram, Status::InvalidInput("--state: open, explained or resolved"));
  }
  auto ledger = Ledger::Open(g.ledger, /*writable=*/false);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  // Memory: one record per flag ever raised (a few per budget at most).
  std::vector<FlagLifeRecord> records;
  Status read = (*ledger)->ReadViews([&](const ViewSource& views) {
    return ForEachRecord<FlagLifeRecord>(views, [&](const FlagLifeRecord& r) {
      if (state && r.state != *state) return Status::Ok();
      if (month && (*month < r.first_month || r.last_month < *month)) return Status::Ok();
      records.push_back(r);
      return Status::Ok();
    });
  });
  if (!read.ok()) return Fail(kProgram, read);
  std::sort(records.begin(), records.end(), FlagListOrder);
  Table t;
  t.title = "Flags" + (month ? " raised for " + month->ToString() : std::string()) +
            (state ? ", " + std::string(ToString(*state)) : std::string());
  t.columns = {{"id", "Id", false},
               {"code", "Code", false},
               {"severity", "Severity", false},
               {"entity", "Entity", false},
               {"amount_at_stake", "At stake", true},
               {"first_month", "First", false},
               {"last_month", "Last", false},
               {"age_months", "Age (months)", true},
               {"state", "State", false},
               {"by", "By", false},
               {"note", "Note or reason", false}};
  for (const FlagLifeRecord& r : records) {
    // Age: from the month it was first raised (or reopened) to the month
    // asked about, else to the last month it was raised.
    const int32_t age = std::max<int32_t>(0, MonthsBetween(r.first_month, month.value_or(r.last_month)));
    t.rows.push_back({r.id, r.code, r.severity, r.entity, r.amount.ToDecimal(), r.first_month.ToString(),
                      r.last_month.ToString(), std::to_string(age), std::string(ToString(r.state)), r.actor,
                      r.state == FlagState::kResolved ? r.reason : r.note});
  }
  if (records.empty()) t.notes.push_back("No flag records: `ringfence reconcile --month M` records a month's flags.");
  PrintTable(g, t);
  return 0;
}

// flags explain / flags resolve: one entry, refused by the rules
// (flag_life.h) when the id is unknown, the flag resolved or the words missing.
int RunFlagAction(const Global& g, const FlagsOptions& o, bool resolve) {
  auto date = Date::Parse(o.date.empty() ? TodayIso() : o.date, "--date");
  if (!date.ok()) return Fail(kProgram, date.status());
  auto ledger = Ledger::Open(g.ledger, /*writable=*/true);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  if (Status s = CheckDatesWithinHorizon(**ledger, {{*date, "--date"}}, o.future_dated); !s.ok()) {
    return Fail(kProgram, s);
  }
  const DraftOrigin origin{g.actor, resolve ? "flags resolve" : "flags explain"};
  EntryDraft draft =
      resolve ? FlagResolvedDraft(o.id, o.reason, *date, origin) : FlagExplainedDraft(o.id, o.note, *date, origin);
  auto committed = (*ledger)->Commit({std::move(draft)});
  if (!committed.ok()) return Fail(kProgram, committed.status());
  const uint64_t seq = committed->appended.last_seq;
  const std::string& words = resolve ? o.reason : o.note;
  if (g.format == "json") {
    PrintJson({{"seq", seq},
               {"flag_id", o.id},
               {"state", resolve ? "resolved" : "explained"},
               {resolve ? "reason" : "note", words},
               {"actor", g.actor}});
  } else {
    std::printf("Flag %s %s by %s (entry %llu): %s\n", o.id.c_str(), resolve ? "resolved" : "explained",
                g.actor.c_str(), static_cast<unsigned long long>(seq), words.c_str());
  }
  return 0;
}

}  // namespace

void AddFlagsCommands(CLI::App& app, const Global& g, Commands& out) {
  auto o = std::make_shared<FlagsOptions>();
  auto* flags = app.add_subcommand("flags", "The reconciliation flags recorded, and a person's explain / resolve");
  flags->require_subcommand(0, 1);
  flags->add_option("--month", o->month, "Only flags raised for this month, YYYY-MM (first to last month raised)");
  flags->add_option("--state", o->state, "Only flags in this state: open, explained or resolved");
  auto* explain = flags->add_subcommand("explain", "Explain a flag: it stays listed but is no longer open");
  explain->add_option("id", o->id, "The flag's id, CODE/entity (as `ringfence flags` lists it)")->required();
  explain->add_option("--note", o->note, "The explanation, in words (journalled with the actor)")->required();
  explain->add_option("--date", o->date, "Effective date (default today)");
  explain->add_option("--future-dated", o->future_dated,
                  "Allow a date more than dates.future_days_max days ahead, giving the reason");
  auto* resolve = flags->add_subcommand("resolve", "Resolve a flag; raised again in a later month it reopens");
  resolve->add_option("id", o->id, "The flag's id, CODE/entity (as `ringfence flags` lists it)")->required();
  resolve->add_option("--reason", o->reason, "What was done, in words (journalled with the actor)")->required();
  resolve->add_option("--date", o->date, "Effective date (default today)");
  resolve->add_option("--future-dated", o->future_dated,
                  "Allow a date more than dates.future_days_max days ahead, giving the reason");
  out.push_back({explain, [&g, o] { return RunFlagAction(g, *o, /*resolve=*/false); }});
  out.push_back({resolve, [&g, o] { return RunFlagAction(g, *o, /*resolve=*/true); }});
  out.push_back({flags, [&g, o] { return RunFlagsList(g, *o); }});
}

}  // namespace rf::cli
