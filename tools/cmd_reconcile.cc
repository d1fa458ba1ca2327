// reconcile (statement matching), reconcile match, reconcile unmatch.
//
// Exit codes (PRODUCT.md: 0 success, 2 usage or input error):
//   reconcile --month M     0 when the month's matches were settled (or
//                           there was nothing new); lines and payments left
//                           for a person are reported, not errors. 2 when the
//                           ledger refuses a proposed settlement: nothing is
//                           journalled (that is a matcher bug, reported as is).
//                           With --sign-off NAME: also 2 when combined with
//                           --dry-run or --window-days (a sign-off signs
//                           the configured window's result), or when the
//                           sign-off entry is refused; nothing signed.
//   reconcile --month M --check
//                           0 when the latest sign-off of M still
//                           reproduces (the result recomputed from the
//                           journal's first tree_size entries has the signed
//                           hash); 1 when it does not (the parts that moved
//                           are named); 2 when M was never signed off, or
//                           --check is combined with an option that would
//                           change something. Journals nothing.
//   reconcile match         0 when the settlement and its note are journalled;
//                           2 with the rule's sentence when it is refused
//                           (wrong amount, line already used, ...), nothing
//                           journalled.
//   reconcile unmatch       0 when the payment.unsettled entry is journalled
//                           (the line's payment, or run, pending again); 2
//                           when refused (line unknown or not matched, a
//                           reason without words), nothing journalled.
//                           With --fail-on critical|warning: 1 (after
//                           printing) when an OPEN flag (new or carried
//                           over; not explained or resolved) of that
//                           severity or worse is found, for scripts.
// Flags are evaluated after the settlements commit, over the views as at
// the month's last day (balances and thresholds then, served from the live
// views without a replay: reconcile/month_end_views.h); with --dry-run
// over the ledger as it is, less the UNSETTLED_PAYMENT flags of the
// payments the run would settle. (The progress line reports a replay only
// when --check, or a journal grown meanwhile, needs one.)
// Beside them: the flags of the lines matching left (UnmatchedLineFlags) and
// of the rules' flag records (ReadRuleFlags, from the live views, raised
// from their entry's month on).
// Without --dry-run the month's result (reconcile/sign_off.h) is computed
// from the journal's first N entries, N the size after the settlements
// commit, and its hash printed; the flags listed are that result's, so what
// --sign-off signs is what is shown and what --check recomputes.
// Output: stdout describes the month as it stands (month_tally.h: every
// line booked in it, however and whenever matched, and the flags), so a
// rerun prints the same; what this run journalled, and the --recovery-out
// note, go to stderr. --recovery-out FILE (tools/cmd_recovery.h): exit 2,
// before anything is journalled, when FILE exists.
// Then the flags' lifecycle (reconcile/flag_lifecycle.h): the flags whose
// record is new or changes are journalled in flags.raised entries (not with
// --dry-run, not in a closed month), and the report separates new,
// carried-over, explained and resolved flags.
// --format html --out F: one self-contained page for a commissioner
// (tools/reconcile_html.h); F is reserved before anything is journalled.
// Every format ends with what the output reflects (reconcile/provenance.h):
// the tree size and signed root it was computed from, the as-of date (the
// month's last day) and the month's sign-off, if any.
#include <array>
#include <cassert>
#include <cstdio>
#include <memory>
#include <optional>

#include "ledger/bank/iban.h"
#include "ledger/core/entry.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/records.h"
#include "ledger/core/rules.h"
#include "ledger/storage/ledger.h"
#include "reconcile/flag_lifecycle.h"
#include "reconcile/month_flags.h"
#include "reconcile/month_end_views.h"
#include "reconcile/month_dry_run.h"
#include "reconcile/month_real_run.h"
#include "reconcile/month_flags_all.h"
#include "reconcile/month_match.h"
#include "reconcile/month_result.h"
#include "reconcile/sign_off.h"
#include "reconcile/month_tally.h"
#include "reconcile/table.h"
#include "reconcile/provenance.h"
#include "tools/output_file.h"
#include "tools/reconcile_html.h"
#include "reconcile/equality.h"
#include "tools/cli_output.h"
#include "tools/cmd_recovery.h"
#include "tools/commands.h"

namespace rf::cli {
namespace {

struct ReconcileOptions {
  std::string month;
  std::optional<uint32_t> window_days;
  bool dry_run = false;
  bool check = false;
  std::string fail_on, sign_off_by;
  std::string recovery_out;  // --recovery-out FILE (tools/cmd_recovery.h)
  std::string out;           // --out FILE (--format html)
  std::string bank_line, payment, run, reason;
  uint64_t text_rows = kReconcileTextRowsDefault;  // --rows N (text output)
  unsigned threads = kDryRunThreadsMax;            // --threads N (a dry run's reads; a real run's flags)
};

std::string Join(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

std::string NextStep(const MonthMatchPlan& plan) {
  const uint64_t lines_to_decide = plan.summary.lines_left - plan.summary.lines_inflow;
  const uint64_t payments = plan.summary.payments_unsettled;
  if (lines_to_decide == 0 && payments == 0) {
    return "Nothing is left for a decision: every payment out in " + plan.month.ToString() + " is settled.";
  }
  std::string s;
  if (lines_to_decide > 0) {
    s = std::to_string(lines_to_decide) + " bank line" + (lines_to_decide == 1 ? " needs" : "s need") +
        " a decision: run `ringfence reconcile match --bank-line ID --payment ID --reason ...` (or --run ID for a "
        "batch line) once you know which payment each settles.";
  }
  if (payments > 0) {
    s += std::string(s.empty() ? "" : " ") + std::to_string(payments) + " payment" + (payments == 1 ? " is" : "s are") +
         " not yet on a statement: load the next statement, or ask the bank about those paid long ago.";
  }
  return s;
}

std::string SeverityTitle(FlagSeverity severity) {
  switch (severity) {
    case FlagSeverity::kCritical:
      return "Critical";
    case FlagSeverity::kWarning:
      return "Warning";
    case FlagSeverity::kInfo:
      return "Info";
  }
  return "";
}

// REQUIRES: life.statuses parallel to flags.
nlohmann::json FlagsJson(const std::vector<MonthFlag>& flags, const FlagLifecycle& life) {
  assert(life.statuses.size() == flags.size());
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < flags.size(); ++i) {
    const MonthFlag& f = flags[i];
    const FlagStatus& s = life.statuses[i];
    out.push_back({{"id", FlagId(f)},
                   {"code", ToString(f.code)},
                   {"severity", ToString(f.severity)},
                   {"entity", f.entity},
                   {"amount_at_stake", f.amount_at_stake_pence.ToDecimal()},
                   {"evidence_seqs", f.evidence_seqs},
                   {"evidence_bank_lines", BankLinesOf(f)},
                   {"sentence", SentenceOf(f)},
                   {"state", ToString(s.state)},
                   {"section", ToString(s.section)},
                   {"first_month", s.first_month.ToString()},
                   {"age_months", s.age_months},
                   {"reopened", s.reopened},
                   {"note", s.note.empty() ? nlohmann::json() : nlohmann::json(s.note)},
                   {"reason", s.reason.empty() ? nlohmann::json() : nlohmann::json(s.reason)},
                   {"by", s.actor.empty() ? nlohmann::json() : nlohmann::json(s.actor)}});
  }
  return out;
}

nlohmann::json LifecycleJson(const FlagLifecycle& life) {
  std::array<uint64_t, 4> n{};
  for (const FlagStatus& s : life.statuses) ++n[static_cast<size_t>(s.section)];
  return {{"new", n[0]},
          {"carried_over", n[1]},
          {"explained", n[2]},
          {"resolved", n[3]},
          {"month_closed", life.month_closed}};
}

std::string FlagCountsText(const MonthFlagCounts& c) {
  return GroupedCount(c.critical) + " critical, " + GroupedCount(c.warning) + " warning, " + GroupedCount(c.info) +
         " info";
}

// The month's returned payments (match_returns.h; month_tally.h).
nlohmann::json ReturnsJson(const MonthTally& tally) {
  nlohmann::json out = nlohmann::json::array();
  for (const MonthTally::Return& r : tally.returns) {
    out.push_back({{"bank_line_id", r.line_id},
                   {"payment_id", r.payment_id},
                   {"booked_on", r.booked_on.ToIso()},
                   {"amount", r.amount_pence.ToDecimal()}});
  }
  return out;
}

Table ReturnsTable(const MonthTally& tally) {
  Table t;
  t.title = "\nReturned payments (settlement reversed, money back where it came from)";
  t.columns = {{"line", "Bank line", false},
               {"returns", "Returns payment", false},
               {"booked_on", "Booked", false},
               {"amount", "Amount", true}};
  for (const MonthTally::Return& r : tally.returns) {
    t.rows.push_back({r.line_id, r.payment_id, r.booked_on.ToIso(), r.amount_pence.ToDecimal()});
  }
  return t;
}

// The month as it stands (month_tally.h), not what this run did: a rerun
// prints the same. What the run journalled goes to stderr (RunNote).
nlohmann::json PlanJson(const MonthMatchPlan& plan, bool dry_run, const MonthTally& tally,
                        const std::vector<MonthFlag>& flags, const FlagLifecycle& life) {
  const MonthFlagCounts counts = CountMonthFlags(flags);
  const std::optional<uint32_t> rate = tally.auto_match_permille();
  nlohmann::json j;
  j["month"] = plan.month.ToString();
  j["dry_run"] = dry_run;
  j["window_business_days"] = plan.window_business_days;
  j["summary"] = {{"lines_in_month", tally.lines_in_month},
                  {"lines_out", tally.lines_out},
                  {"lines_in", tally.lines_in},
                  {"matched",
                   {{"end_to_end_id", tally.matched_end_to_end_id},
                    {"batch", tally.matched_batch},
                    {"amount_payee_date", tally.matched_amount_payee_date},
                    {"person", tally.matched_by_person}}},
                  {"auto_match_rate_pct", rate ? nlohmann::json(PercentText(*rate)) : nlohmann::json()},
                  {"left_for_review", tally.left_for_review},
                  {"unmatched", tally.unmatched},
                  {"lines_left", tally.left_for_review + tally.unmatched + tally.lines_in_unmatched},
                  {"lines_inflow", tally.lines_in_unmatched},
                  {"returned", tally.lines_returned},
                  {"payments_settled", tally.payments_settled},
                  {"payments_unsettled", tally.payments_unsettled},
                  {"money_in", tally.money_in.ToDecimal()},
                  {"money_out", tally.money_out.ToDecimal()},
                  {"flags", {{"critical", counts.critical}, {"warning", counts.warning}, {"info", counts.info}}}};
  nlohmann::json matches = nlohmann::json::array();
  for (const MonthMatch& m : tally.matches) {
    matches.push_back({{"bank_line_id", m.line_id},
                       {"rule", ToString(m.by)},
                       {"payment_id", m.payment_id.empty() ? nlohmann::json() : nlohmann::json(m.payment_id)},
                       {"run_id", m.run_id.empty() ? nlohmann::json() : nlohmann::json(m.run_id)},
                       {"payment_ids", m.payment_ids},
                       {"booked_on", m.booked_on.ToIso()},
                       {"amount", m.amount_pence.ToDecimal()}});
  }
  j["matches"] = matches;
  j["returns"] = ReturnsJson(tally);
  nlohmann::json lines = nlohmann::json::array(), payments = nlohmann::json::array();
  for (const auto& u : plan.result.unmatched_lines) {
    const BankLineIn* line = plan.FindLine(u.id);
    lines.push_back({{"bank_line_id", u.id},
                     {"booked_on", line != nullptr ? line->booked_on.ToIso() : ""},
                     {"amount", line != nullptr ? line->amount_pence.ToDecimal() : ""},
                     {"code", ToString(u.code)},
                     {"reason", u.reason},
                     {"candidates", u.related}});
  }
  for (const auto& u : plan.result.unmatched_payments) {
    const PaymentIn* p = plan.FindPayment(u.id);
    payments.push_back({{"payment_id", u.id},
                        {"run_id", p != nullptr ? p->run_id : ""},
                        {"run_date", p != nullptr ? p->run_date.ToIso() : ""},
                        {"amount", p != nullptr ? p->amount_pence.ToDecimal() : ""},
                        {"code", ToString(u.code)},
                        {"reason", u.reason},
                        {"candidates", u.related}});
  }
  j["unmatched_lines"] = lines;
  j["unmatched_payments"] = payments;
  nlohmann::json mismatches = nlohmann::json::array();
  for (const auto& m : plan.result.payee_mismatches) {
    mismatches.push_back({{"code", kPayeeMismatchCode},
                          {"severity", "critical"},
                          {"bank_line_id", m.line_id},
                          {"payment_id", m.payment_id},
                          {"line_payee", MaskIban(m.line_payee_ref)},
                          {"payment_payee", MaskIban(m.payment_payee_ref)},
                          {"amount", m.amount_pence.ToDecimal()},
                          {"sentence", PayeeMismatchSentence(m)}});
  }
  j["payee_mismatches"] = mismatches;
  j["flags"] = FlagsJson(flags, life);
  j["flag_lifecycle"] = LifecycleJson(life);
  j["next"] = NextStep(plan);
  return j;
}

// After a list cut at --rows: how many more and where to find them.
void PrintMoreRows(size_t more, std::string_view what) {
  std::printf("  ... and %s more %.*s (`--rows 0` shows all; `--format json` lists every one for a script)\n",
              GroupedCount(more).c_str(), static_cast<int>(what.size()), what.data());
}

// Prints `t` with at most `rows` of its rows (0: all), then how many were
// left out and where to find them.
void PrintTableCapped(Table t, uint64_t rows, std::string_view what) {
  const size_t all = t.rows.size();
  if (rows > 0 && all > rows) t.rows.resize(rows);
  std::fputs(RenderText(t).c_str(), stdout);
  if (all > t.rows.size()) PrintMoreRows(all - t.rows.size(), what);
}

// One section of the flags (new, carried over, explained, resolved), by
// severity (the list is sorted critical first), then code. A code with more
// than `rows` flags in the section shows the `rows` largest at stake.
void PrintFlagSectionText(const std::vector<MonthFlag>& flags, const FlagLifecycle& life, FlagSection section,
                          const char* title, uint64_t rows) {
  std::vector<size_t> in_section;
  for (size_t i = 0; i < flags.size(); ++i) {
    if (life.statuses[i].section == section) in_section.push_back(i);
  }
  if (in_section.empty()) return;
  std::printf("%s (%s)\n", title, GroupedCount(in_section.size()).c_str());
  auto print_flag = [&](size_t i) {
    const MonthFlag& f = flags[i];
    const FlagStatus& s = life.statuses[i];
    std::printf("    %s  %s  %s at stake\n      %s\n", std::string(ToString(f.code)).c_str(), f.entity.c_str(),
                f.amount_at_stake_pence.ToPounds().c_str(), SentenceOf(f).c_str());
    if (section != FlagSection::kNew || s.reopened) std::printf("      [%s]\n", FlagStatusText(s).c_str());
  };
  // Flags come sorted by severity, code, entity: each (severity, code) is one run.
  size_t begin = 0;
  while (begin < in_section.size()) {
    const MonthFlag& first = flags[in_section[begin]];
    if (begin == 0 || flags[in_section[begin - 1]].severity != first.severity) {
      uint64_t n = 0;
      for (size_t i : in_section) n += flags[i].severity == first.severity ? 1 : 0;
      std::printf("  %s (%s)\n", SeverityTitle(first.severity).c_str(), GroupedCount(n).c_str());
    }
    size_t end = begin;
    while (end < in_section.size() && flags[in_section[end]].severity == first.severity &&
           flags[in_section[end]].code == first.code) {
      ++end;
    }
    std::vector<size_t> group(in_section.begin() + static_cast<std::ptrdiff_t>(begin),
                              in_section.begin() + static_cast<std::ptrdiff_t>(end));
    if (rows == 0 || group.size() <= rows) {
      for (size_t i : group) print_flag(i);
    } else {
      const auto shown = group.begin() + static_cast<std::ptrdiff_t>(rows);
      std::partial_sort(group.begin(), shown, group.end(), [&](size_t a, size_t b) {
        const MonthFlag& x = flags[a];
        const MonthFlag& y = flags[b];
        if (x.amount_at_stake_pence != y.amount_at_stake_pence) return y.amount_at_stake_pence < x.amount_at_stake_pence;
        return x.entity < y.entity;
      });
      for (auto it = group.begin(); it != shown; ++it) print_flag(*it);
      std::printf("    ... and %s more %s flags: the %s largest at stake are shown (`--rows 0` shows all; "
                  "`--format csv` lists every flag)\n",
                  GroupedCount(group.size() - rows).c_str(), std::string(ToString(first.code)).c_str(), GroupedCount(rows).c_str());
    }
    begin = end;
  }
}

// Per code: how many flags are open (new or carried over), explained and
// resolved, and the money at stake in the open ones: the month at a glance
// however many flags there are.
Table FlagsByCodeTable(const std::vector<MonthFlag>& flags, const FlagLifecycle& life) {
  struct Counts {
    FlagSeverity severity = FlagSeverity::kWarning;
    uint64_t open = 0, explained = 0, resolved = 0;
    Pence open_at_stake_pence;
  };
  std::vector<std::pair<std::string, Counts>> codes;  // in the flags' order: critical first
  for (size_t i = 0; i < flags.size(); ++i) {
    const MonthFlag& f = flags[i];
    if (codes.empty() || codes.back().first != ToString(f.code) || codes.back().second.severity != f.severity) {
      Counts fresh;
      fresh.severity = f.severity;
      codes.emplace_back(ToString(f.code), fresh);
    }
    Counts& c = codes.back().second;
    switch (life.statuses[i].state) {
      case FlagState::kOpen:
        ++c.open;
        c.open_at_stake_pence += f.amount_at_stake_pence;
        break;
      case FlagState::kExplained:
        ++c.explained;
        break;
      case FlagState::kResolved:
        ++c.resolved;
        break;
    }
  }
  Table t;
  t.title = "\nFlags by code";
  t.columns = {{"code", "Code", false},        {"severity", "Severity", false},  {"open", "Open", true},
               {"explained", "Explained", true}, {"resolved", "Resolved", true}, {"at_stake", "Open at stake", true}};
  for (const auto& [code, c] : codes) {
    t.rows.push_back({code, std::string(ToString(c.severity)), GroupedCount(c.open), GroupedCount(c.explained),
                      GroupedCount(c.resolved), c.open_at_stake_pence.ToDecimal()});
  }
  return t;
}

void PrintFlagsText(const std::vector<MonthFlag>& flags, const FlagLifecycle& life, uint64_t rows) {
  assert(life.statuses.size() == flags.size());
  if (flags.empty()) return;
  std::fputs(RenderText(FlagsByCodeTable(flags, life)).c_str(), stdout);
  std::printf("\nFlags\n");
  PrintFlagSectionText(flags, life, FlagSection::kNew, "New this month", rows);
  PrintFlagSectionText(flags, life, FlagSection::kCarried, "Carried over", rows);
  PrintFlagSectionText(flags, life, FlagSection::kExplained, "Explained, not open", rows);
  PrintFlagSectionText(flags, life, FlagSection::kResolved, "Resolved, not open", rows);
  if (life.month_closed) {
    std::printf("The month is closed: its flags are shown as their records stand; nothing was journalled.\n");
  } else if (life.appended) {
    const uint64_t first = life.appended->first_seq, last = life.appended->last_seq;
    const std::string entries = first == last ? "entry " + std::to_string(first)
                                              : "entries " + std::to_string(first) + "-" + std::to_string(last);
    // What this run journalled: for people, on stderr (a rerun prints the same stdout).
    NoteF("Flags recorded: %llu in %s (explain or resolve one with `ringfence flags explain|resolve ID`).\n",
          static_cast<unsigned long long>(life.flags_recorded), entries.c_str());
  }
}

// `rows`: at most that many rows of each list (0: all); see --rows.
void PrintPlanText(const MonthMatchPlan& plan, const MonthTally& tally, const std::vector<MonthFlag>& flags,
                   const FlagLifecycle& life, uint64_t rows) {
  const std::optional<uint32_t> rate = tally.auto_match_permille();
  std::printf("Reconciliation of %s (window %u business days)\n", plan.month.ToString().c_str(),
              plan.window_business_days);
  std::printf("  Bank lines in the month        %s (%s money out, %s money in)\n",
              GroupedCount(tally.lines_in_month).c_str(), GroupedCount(tally.lines_out).c_str(),
              GroupedCount(tally.lines_in).c_str());
  std::printf("  Matched by end-to-end id       %s\n", GroupedCount(tally.matched_end_to_end_id).c_str());
  std::printf("  Matched by batch               %s\n", GroupedCount(tally.matched_batch).c_str());
  std::printf("  Matched by amount, payee, date %s\n", GroupedCount(tally.matched_amount_payee_date).c_str());
  std::printf("  Matched by a person            %s\n", GroupedCount(tally.matched_by_person).c_str());
  std::printf("  Auto-match rate                %s\n",
              rate ? (PercentText(*rate) + "% of money-out lines").c_str() : "no money-out lines");
  std::printf("  Left for review                %s\n", GroupedCount(tally.left_for_review).c_str());
  std::printf("  Unmatched (no payment at all)  %s\n", GroupedCount(tally.unmatched).c_str());
  std::printf("  Money in not explained         %s\n", GroupedCount(tally.lines_in_unmatched).c_str());
  std::printf("  Returned payments              %s\n", GroupedCount(tally.lines_returned).c_str());
  std::printf("  Payments settled               %s\n", GroupedCount(tally.payments_settled).c_str());
  std::printf("  Payments still unsettled       %s\n", GroupedCount(tally.payments_unsettled).c_str());
  std::printf("  Money in                       %s\n", tally.money_in.ToPounds().c_str());
  std::printf("  Money out                      %s\n", tally.money_out.ToPounds().c_str());
  std::printf("  Flags                          %s\n", FlagCountsText(CountMonthFlags(flags)).c_str());
  if (!tally.matches.empty()) {
    Table t;
    t.title = "\nMatches";
    t.columns = {{"line", "Bank line", false},
                 {"settles", "Payment/run", false},
                 {"booked_on", "Booked", false},
                 {"amount", "Amount", true},
                 {"rule", "Matched by", false}};
    for (const MonthMatch& m : tally.matches) {
      if (rows > 0 && t.rows.size() == rows) break;  // the rest are only counted
      t.rows.push_back({m.line_id, m.run_id.empty() ? m.payment_id : "run " + m.run_id, m.booked_on.ToIso(),
                        m.amount_pence.ToDecimal(), std::string(ToString(m.by))});
    }
    std::fputs(RenderText(t).c_str(), stdout);
    if (tally.matches.size() > t.rows.size()) PrintMoreRows(tally.matches.size() - t.rows.size(), "matches");
  }
  if (!tally.returns.empty()) PrintTableCapped(ReturnsTable(tally), rows, "returned payments");
  PrintFlagsText(flags, life, rows);
  if (!plan.result.unmatched_lines.empty()) {
    std::printf("\nLeft for you: bank lines\n");
    for (size_t k = 0; k < plan.result.unmatched_lines.size(); ++k) {
      if (rows > 0 && k == rows) {
        PrintMoreRows(plan.result.unmatched_lines.size() - rows, "bank lines");
        break;
      }
      const auto& u = plan.result.unmatched_lines[k];
      const BankLineIn* line = plan.FindLine(u.id);
      std::printf("  %s  %s  %s  [%s] %s\n", u.id.c_str(), line != nullptr ? line->booked_on.ToIso().c_str() : "",
                  line != nullptr ? line->amount_pence.ToPounds().c_str() : "", std::string(ToString(u.code)).c_str(),
                  u.reason.c_str());
      if (!u.related.empty()) std::printf("      candidates: %s\n", Join(u.related).c_str());
    }
  }
  if (!plan.result.unmatched_payments.empty()) {
    std::printf("\nLeft for you: payments\n");
    for (size_t k = 0; k < plan.result.unmatched_payments.size(); ++k) {
      if (rows > 0 && k == rows) {
        PrintMoreRows(plan.result.unmatched_payments.size() - rows, "payments");
        break;
      }
      const auto& u = plan.result.unmatched_payments[k];
      const PaymentIn* p = plan.FindPayment(u.id);
      std::printf("  %s  run %s  %s  %s  [%s] %s\n", u.id.c_str(), p != nullptr ? p->run_id.c_str() : "",
                  p != nullptr ? p->run_date.ToIso().c_str() : "",
                  p != nullptr ? p->amount_pence.ToPounds().c_str() : "", std::string(ToString(u.code)).c_str(),
                  u.reason.c_str());
      if (!u.related.empty()) std::printf("      candidates: %s\n", Join(u.related).c_str());
    }
  }
  std::printf("\n%s\n", NextStep(plan).c_str());
}

// What this run journalled (or would), on stderr: stdout describes the
// month, the same however often it is reconciled.
void RunNote(const MonthMatchPlan& plan, bool dry_run, const std::optional<AppendResult>& appended) {
  Debug("matching: " + std::to_string(plan.result.passes) + " passes");
  if (!plan.result.stable) {
    Warn("matching stopped after " + std::to_string(plan.result.passes) +
         " passes with more it might match: run reconcile for the month again");
  }
  const size_t matched = plan.result.matches.size();
  const auto payments = static_cast<unsigned long long>(plan.summary.payments_settled);
  if (matched == 0) {
    NoteF("Nothing new to settle: no unmatched bank line in %s matches an unsettled payment.\n",
          plan.month.ToString().c_str());
  } else if (dry_run) {
    NoteF("Dry run: would settle %zu bank line%s (%llu payments); nothing journalled.\n", matched,
          matched == 1 ? "" : "s", payments);
  } else if (appended) {
    NoteF("Settled %zu bank line%s (%llu payments) in entries %llu-%llu.\n", matched, matched == 1 ? "" : "s", payments,
          static_cast<unsigned long long>(appended->first_seq), static_cast<unsigned long long>(appended->last_seq));
  }
}

}  // namespace

namespace {

// The severity --fail-on names; nullopt when empty (never fail on flags).
Result<std::optional<FlagSeverity>> ParseFailOn(const std::string& text) {
  if (text.empty()) return std::optional<FlagSeverity>();
  if (text == "critical") return std::optional<FlagSeverity>(FlagSeverity::kCritical);
  if (text == "warning") return std::optional<FlagSeverity>(FlagSeverity::kWarning);
  return Status::InvalidInput("--fail-on: critical or warning, not \"" + text.substr(0, 40) + "\"");
}

Table FlagsCsvTable(const std::vector<MonthFlag>& flags, const FlagLifecycle& life) {
  Table t;
  t.columns = {{"id", "Id", false},
               {"code", "Code", false},
               {"severity", "Severity", false},
               {"entity", "Entity", false},
               {"amount_at_stake", "At stake", true},
               {"sentence", "Sentence", false},
               {"state", "State", false},
               {"section", "Section", false},
               {"first_month", "First month", false},
               {"age_months", "Age (months)", true},
               {"note", "Note or reason", false}};
  for (size_t i = 0; i < flags.size(); ++i) {
    const MonthFlag& f = flags[i];
    const FlagStatus& s = life.statuses[i];
    t.rows.push_back({FlagId(f), std::string(ToString(f.code)), std::string(ToString(f.severity)), f.entity, f.amount_at_stake_pence.ToDecimal(),
                      SentenceOf(f), std::string(ToString(s.state)), std::string(ToString(s.section)),
                      s.first_month.ToString(), std::to_string(s.age_months),
                      s.state == FlagState::kResolved ? s.reason : s.note});
  }
  return t;
}

// --sign-off signs the result --check can recompute: of a real run, with the
// configured window.
Status SignOffUsable(const ReconcileOptions& o) {
  if (o.sign_off_by.empty()) return Status::Ok();
  if (o.sign_off_by.find_first_not_of(' ') == std::string::npos) {
    return Status::InvalidInput("--sign-off: the name of the person who signs off");
  }
  if (o.dry_run) return Status::InvalidInput("--sign-off records a sign-off: it cannot be a --dry-run");
  if (o.window_days) {
    return Status::InvalidInput("--sign-off signs the result of the configured matching window; drop --window-days "
                                "(or `ringfence config set match.window_business_days N` first)");
  }
  return Status::Ok();
}

// The month's result as a real run shows it, and the sign-off if one was
// journalled.
struct ResultShown {
  MonthResult result;
  MonthResultHashes hashes;
  uint64_t tree_size = 0;
  bool window_configured = true;  // false: --window-days, a hash no sign-off signs
  std::string signed_by;
  uint64_t sign_off_seq = 0;  // 0: not signed off
  // result.flags.size() before the flags were moved out to be listed
  // (result.flags is then empty: the flags are not held twice).
  size_t result_flags = 0;
};

// `committed`: this run's plan and what its commit appended; the result is
// built from it with the flags the worker read before the commit
// (MonthResultFromPreCommitFlags, `pre_commit` when read), else with the
// flags evaluated after it (MonthResultAfterCommit), when that shows it
// equals MonthResultAt's; else planned again.
Result<ResultShown> ComputeShownResult(Ledger& ledger, const ReconcileOptions& o, const std::string& actor,
                                       const CommittedPlan& committed, std::optional<MonthEndFlagsRead> pre_commit,
                                       const ReplayProgress& progress) {
  RF_ASSIGN(month, ParseMonth(o.month, "--month"));
  uint64_t tree_size = 0;
  std::optional<MonthResult> fast;
  if (pre_commit) {
    fast = MonthResultFromPreCommitFlags(committed, std::move(*pre_commit), &tree_size);
    pre_commit.reset();
    Debug(fast ? "result: built from this run's plan and the flags read before the commit"
               : "result: the flags read before the commit not used");
  }
  if (!fast) {
    RF_ASSIGN(after, MonthResultAfterCommit(ledger, committed, &tree_size));
    Debug(after ? "result: built from this run's plan" : "result: the month planned again (MonthResultAt)");
    fast = std::move(after);
  }
  if (!fast) {
    RF_ASSIGN(size, ledger.journal().Size());
    tree_size = size;
    RF_ASSIGN(planned, MonthResultAt(ledger, month, tree_size, o.window_days, progress));
    fast = std::move(planned);
  }
  MonthResult result = std::move(*fast);
  RF_ASSIGN(hashes, HashMonthResult(result));
  ResultShown shown{.result = std::move(result),
                    .hashes = std::move(hashes),
                    .tree_size = tree_size,
                    .window_configured = !o.window_days,
                    .signed_by = "",
                    .sign_off_seq = 0,
                    .result_flags = 0};
  shown.result_flags = shown.result.flags.size();
  if (o.sign_off_by.empty()) return shown;
  RF_ASSIGN(today, Date::Parse(TodayIso(), "today"));
  const DraftOrigin origin{actor, "reconcile --month " + month.ToString() + " --sign-off"};
  std::vector<EntryDraft> drafts{SignOffDraft(shown.result, shown.hashes, tree_size, o.sign_off_by, today, origin)};
  auto c = ledger.Commit(std::move(drafts));
  if (!c.ok()) return c.status().WithContext("sign-off refused (nothing signed): ");
  shown.signed_by = o.sign_off_by;
  shown.sign_off_seq = c->appended.first_seq;
  return shown;
}

void AddResultJson(const ResultShown& s, nlohmann::json& j) {
  j["result"] = s.window_configured ? nlohmann::json{{"sha256", s.hashes.result_sha256},
                                                     {"matches_sha256", s.hashes.matches_sha256},
                                                     {"flags_sha256", s.hashes.flags_sha256},
                                                     {"tree_size", s.tree_size},
                                                     {"lines", s.result.lines.size()},
                                                     {"flags", s.result_flags}}
                                    : nlohmann::json();
  j["sign_off"] = s.sign_off_seq == 0 ? nlohmann::json() : nlohmann::json{{"by", s.signed_by}, {"seq", s.sign_off_seq}};
}

void PrintResultText(const ResultShown& s) {
  if (!s.window_configured) {
    std::printf("\nResult not hashed: --window-days differs from the configured window, so no sign-off would sign "
                "it.\n");
    return;
  }
  std::printf("\nResult sha256 %s\n  (%zu bank lines, %zu flags; from the journal's first %llu entries)\n",
              s.hashes.result_sha256.c_str(), s.result.lines.size(), s.result_flags,
              static_cast<unsigned long long>(s.tree_size));
  if (s.sign_off_seq != 0) {
    std::printf("Signed off by %s (entry %llu). `ringfence reconcile --month %s --check` recomputes it.\n",
                s.signed_by.c_str(), static_cast<unsigned long long>(s.sign_off_seq),
                s.result.month.ToString().c_str());
  }
}

nlohmann::json CheckJson(const SignOffCheck& c) {
  return {{"month", c.signed_off.month},
          {"signed_by", c.signed_off.by},
          {"sign_off_seq", c.signed_off.seq},
          {"tree_size", c.signed_off.tree_size},
          {"reproduces", c.reproduces},
          {"signed", {{"sha256", c.signed_off.result_sha256},
                      {"matches_sha256", c.signed_off.matches_sha256},
                      {"flags_sha256", c.signed_off.flags_sha256},
                      {"lines", c.signed_off.lines},
                      {"flags", c.signed_off.flags}}},
          {"recomputed", {{"sha256", c.hashes.result_sha256},
                          {"matches_sha256", c.hashes.matches_sha256},
                          {"flags_sha256", c.hashes.flags_sha256},
                          {"lines", c.recomputed.lines.size()},
                          {"flags", c.recomputed.flags.size()}}},
          {"matches_differ", c.matches_differ},
          {"flags_differ", c.flags_differ}};
}

void PrintCheckText(const SignOffCheck& c) {
  const SignOffRecord& s = c.signed_off;
  if (c.reproduces) {
    std::printf("Sign-off of %s by %s (entry %llu) still reproduces: result sha256 %s\n"
                "  (%zu bank lines, %zu flags; recomputed from the journal's first %llu entries)\n",
                s.month.c_str(), s.by.c_str(), static_cast<unsigned long long>(s.seq), s.result_sha256.c_str(),
                c.recomputed.lines.size(), c.recomputed.flags.size(), static_cast<unsigned long long>(s.tree_size));
    return;
  }
  std::printf("Sign-off of %s by %s (entry %llu) does NOT reproduce from the journal's first %llu entries.\n"
              "  signed      %s\n  recomputed  %s\n",
              s.month.c_str(), s.by.c_str(), static_cast<unsigned long long>(s.seq),
              static_cast<unsigned long long>(s.tree_size), s.result_sha256.c_str(),
              c.hashes.result_sha256.c_str());
  std::printf("  matches     %s (signed %llu bank lines, now %zu)\n", c.matches_differ ? "DIFFER" : "same",
              static_cast<unsigned long long>(s.lines), c.recomputed.lines.size());
  std::printf("  flags       %s (signed %llu, now %zu)\n", c.flags_differ ? "DIFFER" : "same",
              static_cast<unsigned long long>(s.flags), c.recomputed.flags.size());
  if (c.flags_differ) {
    std::printf("Flags recomputed now:\n");
    size_t shown = 0;
    for (const MonthFlag& f : c.recomputed.flags) {
      if (++shown > 20) {
        std::printf("  ... and %zu more (--format json for the hashes)\n", c.recomputed.flags.size() - 20);
        break;
      }
      std::printf("  %s  %s  %s\n", FlagId(f).c_str(), std::string(ToString(f.severity)).c_str(),
                  f.amount_at_stake_pence.ToPounds().c_str());
    }
  }
  std::printf("The entries the sign-off was computed from no longer give the result that was signed: run "
              "`ringfence verify` (an altered journal fails it); if it passes, the reconciliation's rules changed "
              "since the sign-off.\n");
}

}  // namespace

int RunReconcile(const Global& g, const std::string& month_text, std::optional<uint32_t> window_days, bool dry_run,
                 const std::string& fail_on_text, const std::string& sign_off_by,
                 const std::optional<std::string>& recovery_out, const std::string& out_path, uint64_t text_rows,
                 unsigned threads) {
  ReconcileOptions o;
  o.month = month_text;
  o.window_days = window_days;
  o.dry_run = dry_run;
  o.fail_on = fail_on_text;
  o.sign_off_by = sign_off_by;
  if (o.month.empty()) {
    return Fail(kProgram, Status::InvalidInput("reconcile: --month YYYY-MM is required (or `reconcile match`)"));
  }
  if (Status usable = SignOffUsable(o); !usable.ok()) return Fail(kProgram, usable);
  if (g.format != "text" && g.format != "json" && g.format != "csv" && g.format != "html") {
    return Fail(kProgram, Status::InvalidInput("--format: reconcile prints text, json, csv or html, not " + g.format));
  }
  if ((g.format == "html") != !out_path.empty()) {
    return Fail(kProgram, Status::InvalidInput(out_path.empty() ? "--format html writes a file: name it with --out FILE"
                                                                : "--out FILE is for --format html (text, json and "
                                                                  "csv go to stdout)"));
  }
  // Reserved before anything is journalled: a taken name or a missing folder stops the run here.
  std::optional<NewOutputFile> html_file;
  if (!out_path.empty()) {
    auto reserved = NewOutputFile::Reserve(out_path);
    if (!reserved.ok()) return Fail(kProgram, reserved.status());
    html_file.emplace(std::move(*reserved));
  }
  auto fail_on = ParseFailOn(o.fail_on);
  if (!fail_on.ok()) return Fail(kProgram, fail_on.status());
  auto month = ParseMonth(o.month, "--month");
  if (!month.ok()) return Fail(kProgram, month.status());
  if (recovery_out) {
    if (Status fresh = RequireNewRecoveryFile(*recovery_out); !fresh.ok()) return Fail(kProgram, fresh);
  }
  auto ledger = Ledger::Open(g.ledger, /*writable=*/!o.dry_run);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  const DraftOrigin origin{g.actor, "reconcile --month " + month->ToString()};
  // What the output reflects: the tally, the month's sign-off and the
  // equality tables (in the text, json and html output; csv stays the flags
  // table) read at one journal size, whose signed root is stated.
  MonthMatchPlan plan;
  std::optional<AppendResult> appended;
  std::vector<MonthFlag> flags;
  std::optional<ResultShown> shown;
  FlagThresholds thresholds;
  MonthTallyAndTables rest;
  // A real run's: the month's lines as the plan reads them, so the tally
  // below does not read them again (at the same journal size only:
  // month_tally.h).
  MonthTallyLines tally_lines;
  if (o.dry_run) {
    // Nothing is journalled, so every read can come first, on two threads
    // (reconcile/month_dry_run.h; README "Two threads").
    const DryRunReadOptions read_options{
        .window_days = o.window_days, .origin = origin, .threads = threads, .before_worker_reads = {}};
    auto reads = ReadDryRunMonth(**ledger, *month, read_options);
    if (!reads.ok()) return Fail(kProgram, reads.status());
    plan = std::move(reads->plan);
    flags = std::move(reads->flags);
    thresholds = std::move(reads->thresholds);
    rest = std::move(reads->rest);
  } else {
    // The month-end flags are read on a second thread before and during
    // the commit (reconcile/month_real_run.h; README "Two threads").
    const RealRunOptions run_options{.window_days = o.window_days,
                                     .origin = origin,
                                     .threads = threads,
                                     .before_worker_reads = {},
                                     .before_commit = {},
                                     .chunk_drafts_max = kRealRunChunkDrafts,
                                     .each_chunk = {}};
    auto run = PlanAndCommitMonth(**ledger, *month, run_options);
    if (!run.ok()) return Fail(kProgram, run.status());
    plan = std::move(run->plan);
    tally_lines = std::move(run->lines);
    appended = run->appended;
    const uint64_t drafts_committed = run->drafts_committed;
    const auto progress = [](uint64_t done, uint64_t total) {
      Progress("replaying the journal to month end", done, total);
    };
    const CommittedPlan committed{
        .plan = plan, .lines = tally_lines, .drafts_committed = drafts_committed, .appended = appended};
    auto result = ComputeShownResult(**ledger, o, g.actor, committed, std::move(run->pre_commit), progress);
    ProgressDone();
    if (!result.ok()) return Fail(kProgram, result.status());
    flags = std::move(result->result.flags);  // only its count is read after this
    result->result.flags.clear();
    SortMonthFlags(flags);  // the reading order: critical first
    shown = std::move(*result);
    if (recovery_out) {
      Status read_thresholds = (*ledger)->ReadViews([&](const ViewSource& views) -> Status {
        RF_ASSIGN(month_end, MonthEndViews::Make(views, month->last_day()));
        RF_ASSIGN(t, ReadFlagThresholds(*month_end));
        thresholds = std::move(t);
        return Status::Ok();
      });
      if (!read_thresholds.ok()) return Fail(kProgram, read_thresholds);
    }
  }
  // A proposal only, so a dry run writes it too: the journal is untouched.
  if (recovery_out) {
    const bool say = g.format == "text";
    if (Status written = WriteRecoveryFile(*recovery_out, flags, *month, thresholds, say); !written.ok()) {
      return Fail(kProgram, written);
    }
  }
  // The flags' lifecycle: new ones (and reopened, carried forward) recorded
  // in flags.raised entries (flag_lifecycle.h); a rerun records nothing.
  // After the result (and any sign-off): lifecycle records are not inputs
  // of the month's flags.
  auto life = RecordFlagLifecycle(**ledger, *month, flags, origin, o.dry_run);
  if (!life.ok()) return Fail(kProgram, life.status());
  if (!o.dry_run) {
    // A real run journals the settlements, the sign-off and the lifecycle
    // records first, so the rest is read after them (at the size the output
    // states).
    auto read = ReadTallyAndTables(**ledger, plan, tally_lines);
    if (!read.ok()) return Fail(kProgram, read.status());
    rest = std::move(*read);
  }
  auto provenance = ProvenanceAt((*ledger)->journal(), rest.tree_size, month->last_day());
  if (!provenance.ok()) return Fail(kProgram, provenance.status());
  provenance->sign_off = rest.sign_off;
  // Only for people: stderr is often merged into a script's stdout.
  if (g.format == "text") RunNote(plan, o.dry_run, appended);
  if (g.format == "json") {
    nlohmann::json j = PlanJson(plan, o.dry_run, rest.tally, flags, *life);
    if (shown) {
      AddResultJson(*shown, j);
    } else {
      j["result"] = nlohmann::json();  // a dry run: no result to hash
      j["sign_off"] = nlohmann::json();
    }
    j["equality"] = nlohmann::json::array();
    for (const Table& t : rest.equality) j["equality"].push_back(RenderJson(t));
    j["provenance"] = ProvenanceJson(*provenance);
    PrintJson(j);
  } else if (g.format == "csv") {
    std::fputs((RenderCsv(FlagsCsvTable(flags, *life)) + ProvenanceCsvLine(*provenance)).c_str(), stdout);
  } else if (g.format == "html") {
    const ReconcileHtmlInputs in{.tally = rest.tally,
                                 .flags = flags,
                                 .life = *life,
                                 .result_sha256 = shown && shown->window_configured ? shown->hashes.result_sha256 : "",
                                 .provenance = *provenance,
                                 .equality = rest.equality};
    if (Status written = WriteReconcileHtml(**ledger, *month, in, *html_file); !written.ok()) {
      return Fail(kProgram, written.WithContext(out_path + ": "));
    }
    std::fprintf(stderr, "Wrote %s (the month as one page; open it in a browser, or print it).\n", out_path.c_str());
  } else {
    PrintPlanText(plan, rest.tally, flags, *life, text_rows);
    for (const Table& t : rest.equality) std::printf("\n%s", RenderText(t).c_str());
    if (shown) PrintResultText(*shown);  // after the tables: a dry run prints all but this
    std::printf("\n%s", ProvenanceText(*provenance).c_str());
  }
  if (*fail_on) {
    // Open flags only: an explained or resolved flag is dealt with.
    for (size_t i = 0; i < flags.size(); ++i) {
      if (life->statuses[i].open() && flags[i].severity <= **fail_on) return 1;  // "that or worse"
    }
  }
  return 0;
}

namespace {

int RunReconcileCheck(const Global& g, const ReconcileOptions& o) {
  if (o.dry_run || !o.sign_off_by.empty() || o.window_days || !o.fail_on.empty()) {
    return Fail(kProgram, Status::InvalidInput("--check recomputes a signed-off month and changes nothing: it takes "
                                               "no --dry-run, --sign-off, --window-days or --fail-on"));
  }
  if (o.month.empty()) return Fail(kProgram, Status::InvalidInput("--check: name the month, --month YYYY-MM"));
  if (g.format != "text" && g.format != "json") {
    return Fail(kProgram, Status::InvalidInput("--format: --check prints text or json, not " + g.format));
  }
  auto month = ParseMonth(o.month, "--month");
  if (!month.ok()) return Fail(kProgram, month.status());
  auto ledger = Ledger::Open(g.ledger, /*writable=*/false);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  auto check = CheckSignOff(**ledger, *month, [](uint64_t done, uint64_t total) {
    Progress("replaying the journal as it stood at the sign-off", done, total);
  });
  ProgressDone();
  if (!check.ok()) return Fail(kProgram, check.status());
  if (!check->has_value()) {
    return Fail(kProgram, Status::InvalidInput(month->ToString() + " was never signed off: nothing to check (sign it "
                                               "off with `ringfence reconcile --month " + month->ToString() +
                                               " --sign-off NAME`)"));
  }
  const SignOffCheck& c = **check;
  // What it reflects: the journal at the size the sign-off names.
  auto provenance = ProvenanceAt((*ledger)->journal(), c.signed_off.tree_size, month->last_day());
  if (!provenance.ok()) return Fail(kProgram, provenance.status());
  provenance->sign_off = c.signed_off;
  if (g.format == "json") {
    nlohmann::json j = CheckJson(c);
    j["provenance"] = ProvenanceJson(*provenance);
    PrintJson(j);
  } else {
    PrintCheckText(c);
    std::printf("\n%s", ProvenanceText(*provenance).c_str());
  }
  return c.reproduces ? 0 : 1;
}

int RunReconcileMatch(const Global& g, const ReconcileOptions& o) {
  auto ledger = Ledger::Open(g.ledger, /*writable=*/true);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  const ManualMatch match{o.bank_line, o.payment, o.run, o.reason};
  const DraftOrigin origin{g.actor, "reconcile match"};
  Result<std::vector<EntryDraft>> drafts = Status::InvalidInput("no drafts");
  Status read = (*ledger)->ReadViews([&](const ViewSource& views) {
    drafts = ManualMatchDrafts(views, match, origin);
    return drafts.status();
  });
  if (!read.ok()) return Fail(kProgram, read);
  auto c = (*ledger)->Commit(std::move(*drafts), o.dry_run);
  if (!c.ok()) return Fail(kProgram, c.status());
  const std::string what = o.run.empty() ? "payment " + o.payment : "payment run " + o.run;
  if (g.format == "json") {
    nlohmann::json j = {{"bank_line_id", o.bank_line},
                        {"payment_id", o.payment.empty() ? nlohmann::json() : nlohmann::json(o.payment)},
                        {"run_id", o.run.empty() ? nlohmann::json() : nlohmann::json(o.run)},
                        {"reason", o.reason},
                        {"actor", g.actor},
                        {"dry_run", o.dry_run}};
    if (c->committed) {
      j["first_seq"] = c->appended.first_seq;
      j["last_seq"] = c->appended.last_seq;
    }
    PrintJson(j);
    return 0;
  }
  if (o.dry_run) {
    std::printf("Dry run: bank line %s would settle %s; nothing journalled.\n", o.bank_line.c_str(), what.c_str());
  } else {
    std::printf("Bank line %s settles %s (entries %llu-%llu, by %s: %s).\n", o.bank_line.c_str(), what.c_str(),
                static_cast<unsigned long long>(c->appended.first_seq),
                static_cast<unsigned long long>(c->appended.last_seq), g.actor.c_str(), o.reason.c_str());
  }
  return 0;
}

// A person undoes a match: one payment.unsettled entry, dated the line's
// booking day (as its settlement was), with the reason; the actor is the
// envelope's. The next `reconcile --month` may match the line again.
int RunReconcileUnmatch(const Global& g, const ReconcileOptions& o) {
  auto ledger = Ledger::Open(g.ledger, /*writable=*/true);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  const DraftOrigin origin{g.actor, "reconcile unmatch"};
  std::optional<BankLineRecord> line;
  Status read = (*ledger)->ReadViews([&](const ViewSource& views) {
    RF_ASSIGN(found, FindRecord<BankLineRecord>(views, o.bank_line));
    line = std::move(found);
    return Status::Ok();
  });
  if (!read.ok()) return Fail(kProgram, read);
  if (!line) {
    return Fail(kProgram, RefusedWithCode(refusal::kBankLineUnknown,
                                          "bank line " + o.bank_line + " is not on any statement loaded"));
  }
  const std::string settled = !line->run_id.empty()       ? "payment run " + line->run_id
                              : !line->payment_id.empty() ? "payment " + line->payment_id
                                                          : "";
  std::vector<EntryDraft> drafts{PaymentUnsettledDraft(o.bank_line, o.reason, line->booked_on, origin)};
  auto c = (*ledger)->Commit(std::move(drafts), o.dry_run);
  if (!c.ok()) return Fail(kProgram, c.status());
  if (g.format == "json") {
    nlohmann::json j = {{"bank_line_id", o.bank_line},
                        {"payment_id", line->payment_id.empty() ? nlohmann::json() : nlohmann::json(line->payment_id)},
                        {"run_id", line->run_id.empty() ? nlohmann::json() : nlohmann::json(line->run_id)},
                        {"reason", o.reason},
                        {"actor", g.actor},
                        {"dry_run", o.dry_run}};
    if (c->committed) j["seq"] = c->appended.first_seq;
    PrintJson(j);
    return 0;
  }
  if (o.dry_run) {
    std::printf("Dry run: bank line %s would no longer settle %s; nothing journalled.\n", o.bank_line.c_str(),
                settled.c_str());
  } else {
    std::printf("Bank line %s no longer settles %s: pending again, the line unmatched (entry %llu, by %s: %s).\n",
                o.bank_line.c_str(), settled.c_str(), static_cast<unsigned long long>(c->appended.first_seq),
                g.actor.c_str(), o.reason.c_str());
  }
  return 0;
}

}  // namespace

static_assert(kRealRunThreadsMax == kDryRunThreadsMax, "--threads bounds both runs");

void AddReconcileCommands(CLI::App& app, const Global& g, Commands& out) {
  auto o = std::make_shared<ReconcileOptions>();
  auto* reconcile = app.add_subcommand("reconcile", "Match the month's bank lines to payments and settle them");
  reconcile->require_subcommand(0, 1);
  reconcile->add_option("--month", o->month, "The month to reconcile, YYYY-MM (lines booked in it)");
  reconcile->add_option("--window-days", o->window_days,
                        "Business days after a run date a line may be booked (default: config "
                        "match.window_business_days, else 3)");
  reconcile->add_flag("--dry-run", o->dry_run, "Show what would be settled; journal nothing");
  reconcile->add_option("--fail-on", o->fail_on,
                        "Exit 1 (after printing) when an open flag (not explained or resolved) of this severity or "
                        "worse is found: critical or warning");
  reconcile->add_option("--sign-off", o->sign_off_by,
                        "After matching, journal that NAME signs off the month's result (its hash)");
  reconcile->add_flag("--check", o->check,
                      "Recompute the month's latest signed-off result from the journal as it stood then; exit 1 if "
                      "its hash no longer matches");
  reconcile->add_option("--out", o->out, "With --format html: the new file to write the month's report to");
  reconcile->add_option("--rows", o->text_rows,
                        "Text output: at most N rows of each list (matches, returns, each flag code, items left for "
                        "you); the largest at stake first when flags are cut. 0 shows all; json and csv list all")
      ->capture_default_str();
  reconcile->add_option("--threads", o->threads,
                        "Read the month on this many threads: 2, or 1 for tests and debugging (the output is the "
                        "same). A dry run reads the flags beside the plan; a real run reads them beside the plan "
                        "and its commit")
      ->capture_default_str()
      ->check(CLI::Range(1u, kDryRunThreadsMax));
  auto* recovery_out = reconcile->add_option(
      "--recovery-out", o->recovery_out,
      "Write the proposed DP surplus recoveries as a transfers CSV to review, sign in authorised_by, then ingest");

  auto* match = reconcile->add_subcommand("match", "A person's decision: this bank line settles this payment (or run)");
  match->add_option("--bank-line", o->bank_line, "The bank line, STATEMENT/LINE")->required();
  match->add_option("--payment", o->payment, "The payment it settles");
  match->add_option("--run", o->run, "The whole payment run it settles (a batch line)");
  match->add_option("--reason", o->reason, "Why (in words; journalled with the actor)")->required();
  match->add_flag("--dry-run", o->dry_run, "Check; journal nothing");
  auto* unmatch =
      reconcile->add_subcommand("unmatch", "A person's decision: undo a match (the payment, or run, pending again)");
  unmatch->add_option("--bank-line", o->bank_line, "The matched bank line, STATEMENT/LINE")->required();
  unmatch->add_option("--reason", o->reason, "Why (in words; journalled with the actor)")->required();
  unmatch->add_flag("--dry-run", o->dry_run, "Check; journal nothing");
  // `reconcile match` parses both; the more specific runs first.
  out.push_back({unmatch, [&g, o] { return RunReconcileUnmatch(g, *o); }});
  out.push_back({match, [&g, o] { return RunReconcileMatch(g, *o); }});
  out.push_back({reconcile, [&g, o, recovery_out] {
                   if (o->check) return RunReconcileCheck(g, *o);
                   return RunReconcile(g, o->month, o->window_days, o->dry_run, o->fail_on, o->sign_off_by,
                                       recovery_out->count() > 0 ? std::optional(o->recovery_out) : std::nullopt,
                                       o->out, o->text_rows, o->threads);
                 }});
}

}  // namespace rf::cli
