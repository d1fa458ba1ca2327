#include "tools/sim/simulate.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "ledger/bank/pain001.h"
#include "reconcile/business_days.h"
#include "tools/sim/sim_load.h"

namespace rf::sim {
namespace {

namespace fs = std::filesystem;

// A line the bank will book, and what it settles (for the truth).
struct PendingLine {
  Date booked;
  int64_t amount_pence = 0;  // signed: out negative
  std::string counterparty, end_to_end_id, batch_id, description;
  std::string settles;  // payment id, run id, or "" (planted noise)
  std::string kind;     // "payment", "run", "return", or a planted flag code
  std::string planted_payment;
};

PendingLine Line(Date booked, int64_t amount_pence, std::string counterparty, std::string end_to_end_id,
                 std::string batch_id, std::string description, std::string settles, std::string kind) {
  PendingLine l;
  l.booked = booked;
  l.amount_pence = amount_pence;
  l.counterparty = std::move(counterparty);
  l.end_to_end_id = std::move(end_to_end_id);
  l.batch_id = std::move(batch_id);
  l.description = std::move(description);
  l.settles = std::move(settles);
  l.kind = std::move(kind);
  return l;
}

int64_t Pence64(const Pence& p) { return *p.ToInt64(); }

std::string XmlText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return Status::Io("cannot write " + path.string());
  return Status::Ok();
}

// The month's statement: CSV, or camt.053.001.02 with one entry a line.
std::string Statement(const Month& month, bool camt, const std::vector<PendingLine>& lines,
                      std::vector<std::string>* line_ids) {
  const std::string statement_id = "STMT-" + month.ToString();
  std::string out;
  if (!camt) {
    out =
        "statement_id,line_id,account,booked_on,value_date,amount,counterparty_ref,end_to_end_id,batch_id,"
        "description\n";
  } else {
    out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n<BkToCstmrStmt>\n"
        "<GrpHdr><MsgId>BUKB-" +
        month.ToString() + "</MsgId><CreDtTm>" + month.last_day().ToIso() + "T23:00:00</CreDtTm></GrpHdr>\n<Stmt><Id>" +
        statement_id + "</Id><CreDtTm>" + month.last_day().ToIso() + "T23:00:00</CreDtTm>\n<Acct><Id><IBAN>" +
        kSimDebtorIban +
        "</IBAN></Id><Ccy>GBP</Ccy></Acct>\n"
        "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"GBP\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
        "<Dt><Dt>" +
        month.first_day().ToIso() + "</Dt></Dt></Bal>\n";
  }
  size_t n = 0;
  for (const PendingLine& l : lines) {
    char id[32];
    std::snprintf(id, sizeof id, camt ? "BUKB%s%05zu" : "L%s-%05zu", month.ToString().c_str(), ++n);
    std::string line_id = id;
    if (camt) line_id.erase(std::remove(line_id.begin(), line_id.end(), '-'), line_id.end());
    line_ids->push_back(statement_id + "/" + line_id);
    const std::string amount = FormatPence(l.amount_pence);
    if (!camt) {
      out += statement_id + "," + line_id + "," + kSimDebtorIban + "," + l.booked.ToIso() + "," + l.booked.ToIso() +
             "," + amount + "," + l.counterparty + "," + l.end_to_end_id + "," + l.batch_id + "," + l.description +
             "\n";
      continue;
    }
    const bool debit = l.amount_pence < 0;
    const std::string abs = FormatPence(debit ? -l.amount_pence : l.amount_pence);
    out += "<Ntry><Amt Ccy=\"GBP\">" + abs + "</Amt><CdtDbtInd>" + (debit ? "DBIT" : "CRDT") +
           "</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>" + l.booked.ToIso() + "</Dt></BookgDt><ValDt><Dt>" +
           l.booked.ToIso() + "</Dt></ValDt><AcctSvcrRef>" + line_id +
           "</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>" + (debit ? "ICDT" : "RCDT") +
           "</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls>";
    if (!l.batch_id.empty()) {
      out += "<Btch><PmtInfId>" + l.batch_id + "</PmtInfId></Btch>";
    } else {
      out += "<TxDtls>";
      if (!l.end_to_end_id.empty()) out += "<Refs><EndToEndId>" + l.end_to_end_id + "</EndToEndId></Refs>";
      if (!l.counterparty.empty()) {
        out += std::string("<RltdPties><") + (debit ? "CdtrAcct" : "DbtrAcct") + "><Id><IBAN>" + l.counterparty +
               "</IBAN></Id></" + (debit ? "CdtrAcct" : "DbtrAcct") + "></RltdPties>";
      }
      out += "<RmtInf><Ustrd>" + XmlText(l.description) + "</Ustrd></RmtInf></TxDtls>";
    }
    out += "</NtryDtls></Ntry>\n";
  }
  if (camt) out += "</Stmt>\n</BkToCstmrStmt>\n</Document>\n";
  return out;
}

bool Planting(const SimParams& p) { return p.plant && p.people >= 120; }

// The manifest as `ringfence` command lines (DIR/load.sh): each month's
// steps run with RINGFENCE_TODAY set to the month's first day (the date
// people and providers take, and where the future-date horizon starts).
std::string LoadScript(const std::string& manifest) {
  std::string out =
      "#!/bin/sh\n# Loads this simulated year into a new ledger with the ringfence commands, step by step.\n"
      "# Usage: ./load.sh LEDGER  (run from this folder; ringfence on PATH or RINGFENCE=path)\nset -eu\n"
      "rf=\"${RINGFENCE:-ringfence} --actor finance.manager --ledger $1\"\nmkdir -p payments\n"
      "RINGFENCE_TODAY=2026-04-01 $rf init --org \"" +
      std::string(kSimOrg) + "\"\n";
  std::istringstream in(manifest);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::istringstream parts(line);
    for (std::string p; std::getline(parts, p, '\t');) f.push_back(p);
    const std::string env = "RINGFENCE_TODAY=" + f[0] + "-01 $rf ";
    if (f[1] == "config") out += env + "config set " + f[2] + " " + f[3] + " --date " + f[4] + "\n";
    if (f[1] == "ingest") out += env + "ingest " + f[2] + " " + f[3] + "\n";
    if (f[1] == "approve") out += env + "approve invoices --all-valid --date " + f[2] + "\n";
    if (f[1] == "pay") out += env + "pay --date " + f[2] + " --out payments/pain001-" + f[2] + ".xml\n";
    if (f[1] == "reconcile") out += env + "reconcile --month " + f[2] + " >/dev/null\n";
  }
  return out;
}

}  // namespace

Status CheckSimParams(const SimParams& params) {
  if (params.people < 1 || params.people > kSimPeopleMax) {
    return Status::InvalidInput("--people: expected 1.." + std::to_string(kSimPeopleMax));
  }
  if (params.months < 1 || params.months > kSimMonthsMax) {
    return Status::InvalidInput("--months: expected 1.." + std::to_string(kSimMonthsMax));
  }
  return Status::Ok();
}

Result<SimSummary> Simulate(const SimParams& params, const std::string& out_dir, const SimRunOptions& run) {
  const auto& progress = run.progress;
  RF_RETURN_IF_ERROR(CheckSimParams(params));
  std::error_code ec;
  if (fs::exists(out_dir) && !fs::is_empty(out_dir)) {
    return Status::InvalidInput("--out: " + out_dir + " is not empty (simulate writes into a new folder)");
  }
  const fs::path dir(out_dir), work = dir / ".work";
  fs::create_directories(work, ec);
  if (ec) return Status::Io("cannot create " + work.string() + ": " + ec.message());
  SimWorld world(params);
  SimTruth& truth = world.truth();
  RF_ASSIGN(ledger, run.ledger_dir.empty()
                        ? Ledger::Create((work / "ledger.rf").string(), kSimOrg, "ringfence.invalid/simulated-icb",
                                         "simulate", JournalOptions{.sync = false})
                        : Ledger::Open(run.ledger_dir, /*writable=*/true, JournalOptions{.sync = false}));
  StepOptions options{.dir = out_dir, .work_dir = work.string(), .actor = "finance.manager", .flags = run.flags};
  SimSummary summary;
  summary.people = params.people;
  summary.budgets = world.budgets().size();
  summary.providers = world.providers().size();
  std::string manifest =
      "# ringfence simulate --people " + std::to_string(params.people) + " --months " + std::to_string(params.months) +
      " --seed " + std::to_string(params.seed) +
      "\n# One step a line: month, operation, arguments (sim/sim_load.h). Run each as if today were the month's "
      "first day (load.sh does).\n";
  const auto step = [&](SimStep s) -> Status {
    manifest += StepLine(s);
    ++summary.steps;
    auto r = RunStep(*ledger, s, options);
    if (!r.ok()) return r.status().WithContext("simulate " + s.month + " " + s.op + ": ");
    if (run.on_step) run.on_step(s, *r);
    return Status::Ok();
  };
  std::vector<PendingLine> pending;  // booked later than the month that made them
  uint64_t run_count = 0;
  for (int index = 0; index < params.months; ++index) {
    if (progress) progress(index);
    const Month month = SimMonth(index);
    const std::string m = month.ToString();
    fs::create_directories(dir / m, ec);
    if (ec) return Status::Io("cannot create " + (dir / m).string());
    const auto write_and_load = [&](const SimFile& f) -> Status {
      RF_RETURN_IF_ERROR(WriteText(dir / m / f.name, f.text));
      return step({m, "ingest", {f.kind, m + "/" + f.name}});
    };
    if (index == 0) RF_RETURN_IF_ERROR(step({m, "config", {"bank.debtor_iban", kSimDebtorIban, "2026-04-01"}}));
    for (const SimFile& f : world.MonthStartFiles(index)) RF_RETURN_IF_ERROR(write_and_load(f));
    const bool plant = Planting(params);
    // The bank's anomalies come in set months, and in the last month too, so
    // the month a demo shows has fresh findings.
    const bool last = plant && index == params.months - 1 && params.months >= 3;
    bool mismatch = last || (plant && (index == 1 || index == 4 || index == 7));
    bool returned = last || (plant && (index == 1 || index == 3 || index == 6));
    bool unsettled = last || (plant && (index == 2 || index == 7));
    // An ambiguous pair: two equal payments to one payee in a run (twins'
    // invoices), and the bank books one without its end-to-end id: the
    // engine must leave it for a person. The other is booked next month.
    bool ambiguous = plant && (index == 3 || index == 8);
    for (const Date run_date : RunDates(index)) {
      for (const SimFile& f : world.BeforeRunFiles(index, run_date)) RF_RETURN_IF_ERROR(write_and_load(f));
      RF_RETURN_IF_ERROR(step({m, "approve", {run_date.ToIso()}}));
      SimStep pay{m, "pay", {run_date.ToIso()}};
      manifest += StepLine(pay);
      ++summary.steps;
      RF_ASSIGN(outcome, RunStep(*ledger, pay, options));
      if (run.on_step) run.on_step(pay, outcome);
      if (!outcome.run) continue;
      const PaymentRunPlan& plan = *outcome.run;
      summary.payments += plan.payments.size();
      for (const RunPayment& p : plan.payments) {
        if (p.purpose != PaymentPurpose::kInvoice) world.AddInstalmentPaid(p.budget_id, Pence64(p.amount));
      }
      // Twin payments (same payee and amount) in this run, when planting the ambiguous pair.
      std::optional<std::pair<std::string, std::string>> twins;
      for (size_t i = 0; ambiguous && !twins && i < plan.payments.size(); ++i) {
        for (size_t j = i + 1; j < plan.payments.size(); ++j) {
          const RunPayment &p = plan.payments[i], &q = plan.payments[j];
          if (p.purpose == PaymentPurpose::kInvoice && q.purpose == PaymentPurpose::kInvoice &&
              p.payee_ref == q.payee_ref && p.amount == q.amount) {
            twins.emplace(p.payment_id, q.payment_id);
            break;
          }
        }
      }
      // Near miss: a run whose 5th business day is the month's last day (a
      // Friday) has one payment booked only next month: unsettled at month
      // end, but not more than 5 business days after the run.
      const bool slow_here = plant && AddBusinessDays(run_date, 5) == month.last_day();
      // The bank's habit for this run.
      const bool planted_here = mismatch || returned || unsettled || twins.has_value() || slow_here;
      const uint64_t habit = planted_here ? 2 : run_count % 3;
      ++run_count;
      if (habit == 0 || habit == 1) {
        // Bacs: one debit for the run, with its batch id (habit 0) or no reference (habit 1).
        pending.push_back(Line(AddBusinessDays(run_date, habit == 0 ? 2 : 1), -Pence64(plan.total), "", "",
                               habit == 0 ? plan.run_id : "", habit == 0 ? "BACS " + plan.run_id : "BACS SUBMISSION",
                               plan.run_id, "run"));
        continue;
      }
      // Faster Payments: line by line, echoing the end-to-end ids.
      bool mismatch_done = !mismatch, returned_done = !returned, unsettled_done = !unsettled, slow_done = !slow_here;
      const uint32_t lag = (run_count / 3) % 2;
      for (const RunPayment& p : plan.payments) {
        PendingLine l = Line(AddBusinessDays(run_date, lag), -Pence64(p.amount), p.payee_ref, p.payment_id, "",
                             "FP " + p.payment_id, p.payment_id, "payment");
        if (twins && p.payment_id == twins->first) {
          l.end_to_end_id = "";
          l.description = "FP PAYMENT";
          l.settles = twins->second;
          l.planted_payment = twins->first;
          l.kind = "ambiguous";
          pending.push_back(std::move(l));
          continue;
        }
        if (twins && p.payment_id == twins->second) {
          Date next = month.last_day().AddDays(1);
          while (next.iso_weekday() > 5) next = next.AddDays(1);
          l.booked = next;  // late: next month's statement, with its end-to-end id
          pending.push_back(std::move(l));
          continue;
        }
        if (!slow_done && p.purpose == PaymentPurpose::kInvoice) {
          slow_done = true;
          Date next = month.last_day().AddDays(1);
          while (next.iso_weekday() > 5) next = next.AddDays(1);
          l.booked = next;
          truth.near_misses.push_back({"UNSETTLED_PAYMENT", "payment:" + p.payment_id, m,
                                       "unsettled at month end, exactly 5 business days after its run"});
          pending.push_back(std::move(l));
          continue;
        }
        if (!mismatch_done && p.purpose != PaymentPurpose::kInvoice) {
          mismatch_done = true;
          l.counterparty = MakeGbIban("MIDL", 40051577001234ULL + static_cast<uint64_t>(index));
          l.kind = "mismatch";
          l.planted_payment = p.payment_id;
        } else if (!unsettled_done && p.purpose == PaymentPurpose::kInvoice) {
          unsettled_done = true;
          truth.anomalies.push_back({"UNSETTLED_PAYMENT", "payment:" + p.payment_id, m, "the bank never booked it"});
          continue;
        } else if (!returned_done && p.purpose == PaymentPurpose::kInvoice) {
          returned_done = true;
          pending.push_back(Line(AddBusinessDays(run_date, lag + 3), Pence64(p.amount), p.payee_ref, p.payment_id, "",
                                 "RETURNED ACCOUNT CLOSED " + p.payment_id, p.payment_id, "return"));
        }
        pending.push_back(std::move(l));
      }
      mismatch = returned = unsettled = false;
      if (twins) ambiguous = false;
    }
    RF_RETURN_IF_ERROR(write_and_load(world.DpReturns(index)));
    // Planted lines: money out with no payment, and money in that nothing explains.
    if (last || (plant && (index == 2 || index == 5 || index == 8))) {
      Date on = month.first_day().AddDays(14);
      while (on.iso_weekday() > 5) on = on.AddDays(1);
      pending.push_back(Line(on, -(123'456 + index),
                             MakeGbIban("HBUK", 40127612345678ULL + static_cast<uint64_t>(index)), "", "",
                             "TRANSFER TO ACCOUNT 7781", "", "outflow"));
    }
    if (last || (plant && (index == 1 || index == 4 || index == 9))) {
      Date on = month.first_day().AddDays(16);
      while (on.iso_weekday() > 5) on = on.AddDays(1);
      pending.push_back(
          Line(on, 3'719 + index, world.providers()[10].iban, "", "", "REFUND OVERPAYMENT", "", "inflow"));
    }
    // The statement: every line booked in the month, in booking order.
    std::vector<PendingLine> lines, later;
    for (PendingLine& l : pending) (l.booked <= month.last_day() ? lines : later).push_back(std::move(l));
    pending = std::move(later);
    std::stable_sort(lines.begin(), lines.end(),
                     [](const PendingLine& a, const PendingLine& b) { return a.booked < b.booked; });
    const bool camt = index % 2 == 1;
    std::vector<std::string> ids;
    const std::string text = Statement(month, camt, lines, &ids);
    summary.bank_lines += lines.size();
    for (size_t i = 0; i < lines.size(); ++i) {
      const PendingLine& l = lines[i];
      const std::string& id = ids[i];
      if (l.kind == "payment" || l.kind == "run" || l.kind == "return") {
        truth.matches.push_back({id, l.settles, l.kind});
        if (l.kind == "return") {
          truth.anomalies.push_back({"PAYMENT_RETURNED", "payment:" + l.settles, m, "the payee's account was closed"});
          // The invoice is approved again and paid by a later run: late by then.
          std::string invoice = l.settles.substr(4);  // PAY-<invoice>[-R<n>]
          if (const size_t r = invoice.rfind("-R"); r != std::string::npos && r > 2) invoice.resize(r);
          truth.consequences.push_back({"DELAY_INVOICE", "invoice:" + invoice, m, "paid again after the return"});
        }
      } else if (l.kind == "mismatch") {
        truth.anomalies.push_back(
            {"DIVERSION_PAYEE_MISMATCH", "payment:" + l.planted_payment, m, "paid to another account"});
        truth.consequences.push_back(
            {"UNSETTLED_PAYMENT", "payment:" + l.planted_payment, m, "its line paid someone else"});
        truth.consequences.push_back({"DIVERSION_UNEXPLAINED_OUTFLOW", "bankline:" + id, m, "the mismatched line"});
        truth.consequences.push_back({"UNMATCHED_BANK_LINE", "bankline:" + id, m, "the mismatched line"});
      } else if (l.kind == "ambiguous") {
        truth.anomalies.push_back({"UNMATCHED_BANK_LINE", "bankline:" + id, m,
                                   "one of two equal payments to one payee, booked without its end-to-end id"});
        truth.matches.push_back({id, "", "ambiguous"});
        for (const std::string& p : {l.planted_payment, l.settles}) {
          truth.consequences.push_back(
              {"UNSETTLED_PAYMENT", "payment:" + p, m, "the ambiguous pair waits for a person"});
        }
      } else if (l.kind == "outflow") {
        truth.anomalies.push_back({"DIVERSION_UNEXPLAINED_OUTFLOW", "bankline:" + id, m, "money out with no payment"});
      } else if (l.kind == "inflow") {
        truth.anomalies.push_back({"UNMATCHED_BANK_LINE", "bankline:" + id, m, "money in that nothing explains"});
      }
    }
    const std::string name = camt ? "bank.camt053.xml" : "bank.csv";
    RF_RETURN_IF_ERROR(write_and_load({"bank", name, text}));
    RF_RETURN_IF_ERROR(step({m, "reconcile", {m}}));
  }
  RF_RETURN_IF_ERROR(WriteText(dir / "manifest.tsv", manifest));
  RF_RETURN_IF_ERROR(WriteText(dir / "load.sh", LoadScript(manifest)));
  fs::permissions(dir / "load.sh", fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add, ec);
  RF_RETURN_IF_ERROR(WriteText(dir / "truth.json", TruthJson(truth).dump(1) + "\n"));
  summary.anomalies = truth.anomalies.size();
  summary.near_misses = truth.near_misses.size();
  return summary;
}

}  // namespace rf::sim
