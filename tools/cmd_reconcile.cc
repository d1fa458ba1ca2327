// reconcile (statement matching), reconcile match, reconcile unmatch.
//
// Exit codes (PRODUCT.md: 0 success, 2 usage or input error):
//   reconcile --month M     0 when the month's matches were settled (or
//                           there was nothing new); lines and payments left
//                           for a person are reported, not errors. 2 when the
//                           ledger refuses a proposed settlement: nothing is
//                           journalled (that is a matcher bug, reported as is).
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
// Flags are evaluated after the settlements commit, over views rebuilt from
// the journal up to the month's last day (balances and thresholds as at
// month end, month_flags.h); with --dry-run over the journal as it is,
// less the UNSETTLED_PAYMENT flags of the payments the run would settle.
// Beside them: the flags of the lines matching left (UnmatchedLineFlags) and
// of the rules' flag records (ReadRuleFlags, from the live views, raised
// from their entry's month on).
// Then the flags' lifecycle (reconcile/flag_lifecycle.h): the flags whose
// record is new or changes are journalled in flags.raised entries (not with
// --dry-run, not in a closed month), and the report separates new,
// carried-over, explained and resolved flags.
// Sign-off, --check and html are not built yet (issue 17).
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
#include "reconcile/month_flags_all.h"
#include "reconcile/month_match.h"
#include "reconcile/table.h"
#include "tools/cli_output.h"
#include "tools/commands.h"

namespace rf::cli {
namespace {

struct ReconcileOptions {
  std::string month;
  std::optional<uint32_t> window_days;
  bool dry_run = false;
  std::string fail_on;
  std::string bank_line, payment, run, reason;
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
    out.push_back({{"id", f.id},
                   {"code", f.code},
                   {"severity", ToString(f.severity)},
                   {"entity", f.entity},
                   {"amount_at_stake", f.amount_at_stake_pence.ToDecimal()},
                   {"evidence_seqs", f.evidence_seqs},
                   {"evidence_bank_lines", f.evidence_bank_lines},
                   {"sentence", f.sentence},
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
          {"month_closed", life.month_closed},
          {"entries", life.appended ? nlohmann::json{{"first_seq", life.appended->first_seq},
                                                     {"last_seq", life.appended->last_seq}}
                                    : nlohmann::json()}};
}

std::string FlagCountsText(const MonthFlagCounts& c) {
  return std::to_string(c.critical) + " critical, " + std::to_string(c.warning) + " warning, " +
         std::to_string(c.info) + " info";
}

nlohmann::json PlanJson(const MonthMatchPlan& plan, bool dry_run, const std::optional<AppendResult>& appended,
                        const std::vector<MonthFlag>& flags, const FlagLifecycle& life) {
  const MonthMatchSummary& s = plan.summary;
  const MonthFlagCounts counts = CountMonthFlags(flags);
  nlohmann::json j;
  j["month"] = plan.month.ToString();
  j["dry_run"] = dry_run;
  j["window_business_days"] = plan.window_business_days;
  j["summary"] = {{"lines_in_month", s.lines_in_month},
                  {"lines_settled_before", s.lines_settled_before},
                  {"matched",
                   {{"end_to_end_id", s.matched_end_to_end_id},
                    {"batch", s.matched_batch},
                    {"amount_payee_date", s.matched_amount_payee_date}}},
                  {"lines_left", s.lines_left},
                  {"lines_inflow", s.lines_inflow},
                  {"payments_settled", s.payments_settled},
                  {"payments_unsettled", s.payments_unsettled},
                  {"money_in", s.money_in.ToDecimal()},
                  {"money_out", s.money_out.ToDecimal()},
                  {"flags", {{"critical", counts.critical}, {"warning", counts.warning}, {"info", counts.info}}}};
  j["entries"] = appended ? nlohmann::json{{"first_seq", appended->first_seq}, {"last_seq", appended->last_seq}}
                          : nlohmann::json();
  nlohmann::json matches = nlohmann::json::array();
  for (const auto& m : plan.result.matches) {
    matches.push_back({{"bank_line_id", m.line_id},
                       {"rule", ToString(m.rule)},
                       {"payment_id", m.payment_id.empty() ? nlohmann::json() : nlohmann::json(m.payment_id)},
                       {"run_id", m.run_id.empty() ? nlohmann::json() : nlohmann::json(m.run_id)},
                       {"payment_ids", m.run_id.empty() ? std::vector<std::string>{m.payment_id} : m.run_payment_ids},
                       {"booked_on", m.booked_on.ToIso()},
                       {"amount", m.amount_pence.ToDecimal()}});
  }
  j["matches"] = matches;
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

// One section of the flags (new, carried over, explained, resolved), by
// severity (the list is sorted critical first).
void PrintFlagSectionText(const std::vector<MonthFlag>& flags, const FlagLifecycle& life, FlagSection section,
                          const char* title) {
  uint64_t in_section = 0;
  for (const FlagStatus& s : life.statuses) in_section += s.section == section ? 1 : 0;
  if (in_section == 0) return;
  std::printf("%s (%llu)\n", title, static_cast<unsigned long long>(in_section));
  std::optional<FlagSeverity> group;
  for (size_t i = 0; i < flags.size(); ++i) {
    const MonthFlag& f = flags[i];
    const FlagStatus& s = life.statuses[i];
    if (s.section != section) continue;
    if (group != f.severity) {
      group = f.severity;
      uint64_t n = 0;
      for (size_t k = 0; k < flags.size(); ++k) {
        n += flags[k].severity == f.severity && life.statuses[k].section == section ? 1 : 0;
      }
      std::printf("  %s (%llu)\n", SeverityTitle(f.severity).c_str(), static_cast<unsigned long long>(n));
    }
    std::printf("    %s  %s  %s at stake\n      %s\n", f.code.c_str(), f.entity.c_str(),
                f.amount_at_stake_pence.ToPounds().c_str(), f.sentence.c_str());
    if (section != FlagSection::kNew || s.reopened) std::printf("      [%s]\n", FlagStatusText(s).c_str());
  }
}

void PrintFlagsText(const std::vector<MonthFlag>& flags, const FlagLifecycle& life) {
  assert(life.statuses.size() == flags.size());
  if (flags.empty()) return;
  std::printf("\nFlags\n");
  PrintFlagSectionText(flags, life, FlagSection::kNew, "New this month");
  PrintFlagSectionText(flags, life, FlagSection::kCarried, "Carried over");
  PrintFlagSectionText(flags, life, FlagSection::kExplained, "Explained, not open");
  PrintFlagSectionText(flags, life, FlagSection::kResolved, "Resolved, not open");
  if (life.month_closed) {
    std::printf("The month is closed: its flags are shown as their records stand; nothing was journalled.\n");
  } else if (life.appended) {
    const uint64_t first = life.appended->first_seq, last = life.appended->last_seq;
    const std::string entries = first == last ? "entry " + std::to_string(first)
                                              : "entries " + std::to_string(first) + "-" + std::to_string(last);
    std::printf("Flags recorded: %llu in %s (explain or resolve one with `ringfence flags explain|resolve ID`).\n",
                static_cast<unsigned long long>(life.flags_recorded), entries.c_str());
  }
}

void PrintPlanText(const MonthMatchPlan& plan, bool dry_run, const std::optional<AppendResult>& appended,
                   const std::vector<MonthFlag>& flags, const FlagLifecycle& life) {
  const MonthMatchSummary& s = plan.summary;
  std::printf("Reconciliation of %s (window %u business days)\n", plan.month.ToString().c_str(),
              plan.window_business_days);
  std::printf("  Bank lines in the month        %llu (%llu settled before)\n",
              static_cast<unsigned long long>(s.lines_in_month),
              static_cast<unsigned long long>(s.lines_settled_before));
  std::printf("  Matched by end-to-end id       %llu\n", static_cast<unsigned long long>(s.matched_end_to_end_id));
  std::printf("  Matched by batch               %llu\n", static_cast<unsigned long long>(s.matched_batch));
  std::printf("  Matched by amount, payee, date %llu\n", static_cast<unsigned long long>(s.matched_amount_payee_date));
  std::printf("  Left for you                   %llu (%llu money in)\n", static_cast<unsigned long long>(s.lines_left),
              static_cast<unsigned long long>(s.lines_inflow));
  std::printf("  Payments still unsettled       %llu\n", static_cast<unsigned long long>(s.payments_unsettled));
  std::printf("  Money in                       %s\n", s.money_in.ToPounds().c_str());
  std::printf("  Money out                      %s\n", s.money_out.ToPounds().c_str());
  std::printf("  Flags                          %s\n", FlagCountsText(CountMonthFlags(flags)).c_str());
  const size_t matched = plan.result.matches.size();
  if (matched == 0) {
    std::printf("Nothing new to settle: no unmatched bank line in %s matches an unsettled payment.\n",
                plan.month.ToString().c_str());
  } else if (dry_run) {
    std::printf("Dry run: would settle %zu bank line%s (%llu payments); nothing journalled.\n", matched,
                matched == 1 ? "" : "s", static_cast<unsigned long long>(s.payments_settled));
  } else if (appended) {
    std::printf("Settled %zu bank line%s (%llu payments) in entries %llu-%llu.\n", matched, matched == 1 ? "" : "s",
                static_cast<unsigned long long>(s.payments_settled),
                static_cast<unsigned long long>(appended->first_seq),
                static_cast<unsigned long long>(appended->last_seq));
  }
  if (matched > 0) {
    Table t;
    t.title = "\nMatches";
    t.columns = {{"line", "Bank line", false},
                 {"settles", "Payment/run", false},
                 {"booked_on", "Booked", false},
                 {"amount", "Amount", true},
                 {"rule", "Rule", false}};
    for (const auto& m : plan.result.matches) {
      t.rows.push_back({m.line_id, m.run_id.empty() ? m.payment_id : "run " + m.run_id, m.booked_on.ToIso(),
                        m.amount_pence.ToDecimal(), std::string(ToString(m.rule))});
    }
    std::fputs(RenderText(t).c_str(), stdout);
  }
  PrintFlagsText(flags, life);
  if (!plan.result.unmatched_lines.empty()) {
    std::printf("\nLeft for you: bank lines\n");
    for (const auto& u : plan.result.unmatched_lines) {
      const BankLineIn* line = plan.FindLine(u.id);
      std::printf("  %s  %s  %s  [%s] %s\n", u.id.c_str(), line != nullptr ? line->booked_on.ToIso().c_str() : "",
                  line != nullptr ? line->amount_pence.ToPounds().c_str() : "", std::string(ToString(u.code)).c_str(),
                  u.reason.c_str());
      if (!u.related.empty()) std::printf("      candidates: %s\n", Join(u.related).c_str());
    }
  }
  if (!plan.result.unmatched_payments.empty()) {
    std::printf("\nLeft for you: payments\n");
    for (const auto& u : plan.result.unmatched_payments) {
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
    t.rows.push_back({f.id, f.code, std::string(ToString(f.severity)), f.entity, f.amount_at_stake_pence.ToDecimal(),
                      f.sentence, std::string(ToString(s.state)), std::string(ToString(s.section)),
                      s.first_month.ToString(), std::to_string(s.age_months),
                      s.state == FlagState::kResolved ? s.reason : s.note});
  }
  return t;
}

}  // namespace

int RunReconcile(const Global& g, const std::string& month_text, std::optional<uint32_t> window_days, bool dry_run,
                 const std::string& fail_on_text) {
  ReconcileOptions o;
  o.month = month_text;
  o.window_days = window_days;
  o.dry_run = dry_run;
  o.fail_on = fail_on_text;
  if (o.month.empty()) {
    return Fail(kProgram, Status::InvalidInput("reconcile: --month YYYY-MM is required (or `reconcile match`)"));
  }
  if (g.format != "text" && g.format != "json" && g.format != "csv") {
    return Fail(kProgram, Status::InvalidInput("--format: reconcile prints text, json or csv (" + g.format +
                                               " is not built yet)"));
  }
  auto fail_on = ParseFailOn(o.fail_on);
  if (!fail_on.ok()) return Fail(kProgram, fail_on.status());
  auto month = ParseMonth(o.month, "--month");
  if (!month.ok()) return Fail(kProgram, month.status());
  auto ledger = Ledger::Open(g.ledger, /*writable=*/!o.dry_run);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  const DraftOrigin origin{g.actor, "reconcile --month " + month->ToString()};
  Result<MonthMatchPlan> plan = Status::InvalidInput("no plan");
  Status read = (*ledger)->ReadViews([&](const ViewSource& views) {
    plan = PlanMonthMatch(views, *month, o.window_days, origin);
    return plan.status();
  });
  if (!read.ok()) return Fail(kProgram, read);
  std::optional<AppendResult> appended;
  if (!plan->drafts.empty() && !o.dry_run) {
    // One transaction: a refused proposal refuses the month (nothing written).
    auto c = (*ledger)->Commit(plan->drafts);
    if (!c.ok()) {
      return Fail(kProgram, c.status().WithContext("the matcher proposed a settlement the ledger refuses (a bug; "
                                                   "nothing was journalled): "));
    }
    appended = c->appended;
  }
  auto flags_or = MonthFlags(**ledger, *plan, /*plan_committed=*/!o.dry_run, [](uint64_t done, uint64_t total) {
    Progress("replaying the journal to month end", done, total);
  });
  ProgressDone();
  if (!flags_or.ok()) return Fail(kProgram, flags_or.status());
  const std::vector<MonthFlag> flags = std::move(*flags_or);
  // The flags' lifecycle: new ones (and reopened, carried forward) recorded
  // in flags.raised entries (flag_lifecycle.h); a rerun records nothing.
  auto life = RecordFlagLifecycle(**ledger, *month, flags, origin, o.dry_run);
  if (!life.ok()) return Fail(kProgram, life.status());
  if (g.format == "json") {
    PrintJson(PlanJson(*plan, o.dry_run, appended, flags, *life));
  } else if (g.format == "csv") {
    std::fputs(RenderCsv(FlagsCsvTable(flags, *life)).c_str(), stdout);
  } else {
    PrintPlanText(*plan, o.dry_run, appended, flags, *life);
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
  out.push_back({reconcile, [&g, o] { return RunReconcile(g, o->month, o->window_days, o->dry_run, o->fail_on); }});
}

}  // namespace rf::cli
