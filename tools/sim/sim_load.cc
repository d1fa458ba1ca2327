#include "tools/sim/sim_load.h"

#include <fstream>
#include <sstream>

#include "ingest/ingest_file.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/payments/approval.h"
#include "reconcile/flag_lifecycle.h"
#include "reconcile/month_flags_all.h"
#include "reconcile/month_match.h"

namespace rf::sim {

std::string StepLine(const SimStep& step) {
  std::string line = step.month + "\t" + step.op;
  for (const std::string& a : step.args) line += "\t" + a;
  return line + "\n";
}

Result<std::vector<SimStep>> ReadManifest(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": no manifest (run `ringfence simulate --out DIR` first)");
  std::vector<SimStep> steps;
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> parts;
    std::stringstream s(line);
    for (std::string part; std::getline(s, part, '\t');) parts.push_back(part);
    if (parts.size() < 3)
      return Status::InvalidInput(path + " line " + std::to_string(n) + ": expected month, operation, arguments");
    SimStep step{parts[0], parts[1], {parts.begin() + 2, parts.end()}};
    steps.push_back(std::move(step));
  }
  return steps;
}

Result<StepOutcome> RunStep(Ledger& ledger, const SimStep& step, const StepOptions& options) {
  StepOutcome out;
  RF_ASSIGN(month, ParseMonth(step.month, "manifest month"));
  const std::string& op = step.op;
  const auto arg = [&](size_t i) -> Result<std::string> {
    if (i >= step.args.size()) return Status::InvalidInput("manifest: " + op + " needs more arguments");
    return step.args[i];
  };
  if (op == "config") {
    RF_ASSIGN(key, arg(0));
    RF_ASSIGN(value, arg(1));
    RF_ASSIGN(date_text, arg(2));
    RF_ASSIGN(date, Date::Parse(date_text, "manifest date"));
    auto c = ledger.Commit({ConfigSetDraft(key, value, date, {options.actor, "config"})});
    if (!c.ok()) return c.status();
    return out;
  }
  if (op == "ingest") {
    RF_ASSIGN(kind, arg(0));
    RF_ASSIGN(file, arg(1));
    IngestOptions o;
    o.actor = options.actor;
    o.load_date = month.first_day();
    o.today = month.first_day();  // as load.sh runs it (RINGFENCE_TODAY)
    auto s = IngestFile(ledger, kind, options.dir + "/" + file, o);
    if (!s.ok()) return s.status();
    return out;
  }
  if (op == "approve") {
    RF_ASSIGN(date_text, arg(0));
    RF_ASSIGN(date, Date::Parse(date_text, "manifest date"));
    ApprovalRequest request;
    request.all_valid = true;
    request.approved_on = date;
    auto s = RunApprovals(ledger, request, {options.actor, "approve invoices"}, false,
                          [](const ApprovalPlan&) { return Status::Ok(); });
    if (!s.ok()) return s.status();
    return out;
  }
  if (op == "pay") {
    RF_ASSIGN(date_text, arg(0));
    RF_ASSIGN(date, Date::Parse(date_text, "manifest date"));
    auto run = MakePaymentRun(ledger, date, {options.actor, "pay"}, false);
    if (!run.ok()) return run.status();
    if (run->committed) {
      std::ofstream xml(options.work_dir + "/pain001-" + run->plan.run_id + ".xml", std::ios::binary);
      xml << run->xml;
      if (!xml) return Status::Io("cannot write the pain.001 file of " + run->plan.run_id + " in " + options.work_dir);
      out.run = std::move(run->plan);
    }
    return out;
  }
  if (op == "reconcile") {
    const DraftOrigin origin{options.actor, "reconcile --month " + month.ToString()};
    Result<MonthMatchPlan> plan = Status::InvalidInput("no plan");
    RF_RETURN_IF_ERROR(ledger.ReadViews([&](const ViewSource& views) {
      plan = PlanMonthMatch(views, month, std::nullopt, origin);
      return plan.status();
    }));
    if (!plan->drafts.empty()) {
      auto c = ledger.Commit(plan->drafts);
      if (!c.ok()) return c.status().WithContext("reconcile " + month.ToString() + ": ");
    }
    if (!options.flags) return out;
    RF_ASSIGN(flags, MonthFlags(ledger, *plan, /*plan_committed=*/true));
    auto life = RecordFlagLifecycle(ledger, month, flags, origin, false);
    if (!life.ok()) return life.status();
    out.flags = std::move(flags);
    return out;
  }
  return Status::InvalidInput("manifest: unknown operation \"" + op + "\"");
}

}  // namespace rf::sim
