#include "tools/sim/simulate.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "ledger/bank/pain001.h"
#include "reconcile/business_days.h"
#include "tools/sim/sim_load.h"
#include "tools/sim/sim_spool.h"
#include "tools/sim/sim_statement.h"

namespace rf::sim {
namespace {

namespace fs = std::filesystem;

Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return Status::Io("cannot write " + path.string());
  return Status::Ok();
}

// The month's files, each written through a bounded writer as the world
// hands over its rows; the closed files wait (a few a call) to be ingested.
// Streamed: the invoices' payments go to the run spool.
class MonthFiles final : public SimSink {
 public:
  MonthFiles(fs::path dir, DateSpool* invoice_payments) : dir_(std::move(dir)), payments_(invoice_payments) {}
  void Begin(const std::string& kind, const std::string& name) override {
    assert(!writer_.is_open());
    if (Status s = writer_.Open((dir_ / name).string()); !s.ok() && status_.ok()) status_ = s;
    current_ = {kind, name};
  }
  void Row(std::string_view text) override {
    if (writer_.is_open()) writer_.Write(text);
  }
  void End() override {
    if (Status s = writer_.Close(); !s.ok() && status_.ok()) status_ = s;
    closed_.push_back(current_);
  }
  void InvoicePayable(Date run, const RunPayment& payment) override {
    if (payments_ != nullptr) payments_->Add(run, PaymentSpoolRecord(payment));
  }
  // The files closed since the last call, in order. Errors: the first write failure.
  Result<std::vector<std::pair<std::string, std::string>>> TakeClosed() {
    RF_RETURN_IF_ERROR(status_);
    return std::exchange(closed_, {});
  }

 private:
  fs::path dir_;
  DateSpool* payments_;
  SimFileWriter writer_;
  std::pair<std::string, std::string> current_;
  std::vector<std::pair<std::string, std::string>> closed_;
  Status status_ = Status::Ok();
};

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

Result<SimSummary> Simulate(const SimParams& params_in, const std::string& out_dir, const SimRunOptions& run) {
  const auto& progress = run.progress;
  RF_RETURN_IF_ERROR(CheckSimParams(params_in));
  const bool held = !run.stream;
  if (!held && !run.ledger_dir.empty()) return Status::InvalidInput("simulate: a streamed year drives no ledger");
  if (!held && params_in.people >= 1'000'000) {
    return Status::InvalidInput("--people: --stream writes at most 999999 people (budget ids sort as numbers below)");
  }
  SimParams params = params_in;
  if (!held) params.plant = false;  // planting changes budgets, which needs them held
  std::error_code ec;
  if (fs::exists(out_dir) && !fs::is_empty(out_dir)) {
    return Status::InvalidInput("--out: " + out_dir + " is not empty (simulate writes into a new folder)");
  }
  const fs::path dir(out_dir), work = dir / ".work", spool = work / "spool";
  fs::create_directories(spool, ec);
  if (ec) return Status::Io("cannot create " + spool.string() + ": " + ec.message());
  SimWorld world(params, held);
  SimTruth& truth = world.truth();
  std::unique_ptr<Ledger> ledger;
  if (held) {
    RF_ASSIGN(opened, run.ledger_dir.empty()
                          ? Ledger::Create((work / "ledger.rf").string(), kSimOrg, "ringfence.invalid/simulated-icb",
                                           "simulate", JournalOptions{.sync = false})
                          : Ledger::Open(run.ledger_dir, /*writable=*/true, JournalOptions{.sync = false}));
    ledger = std::move(opened);
  }
  StepOptions options{.dir = out_dir, .work_dir = work.string(), .actor = "finance.manager", .flags = run.flags};
  SimSummary summary;
  summary.people = params.people;
  summary.budgets = world.budget_count();
  summary.providers = world.provider_count();
  summary.streamed = !held;
  std::string manifest =
      "# ringfence simulate --people " + std::to_string(params.people) + " --months " + std::to_string(params.months) +
      " --seed " + std::to_string(params.seed) +
      "\n# One step a line: month, operation, arguments (sim/sim_load.h). Run each as if today were the month's "
      "first day (load.sh does).\n";
  // Held: run the step on the ledger. Streamed: only list it.
  const auto step = [&](const SimStep& s) -> Result<StepOutcome> {
    manifest += StepLine(s);
    ++summary.steps;
    StepOutcome none;
    if (!held) return none;
    auto r = RunStep(*ledger, s, options);
    if (!r.ok()) return r.status().WithContext("simulate " + s.month + " " + s.op + ": ");
    if (run.on_step) run.on_step(s, *r);
    return r;
  };
  // What waits on disk: bank lines by booking day, streamed runs' payments
  // by run day (instalments, then invoices, as `pay` orders them), and the
  // truth's matches.
  DateSpool pending(spool.string(), "line-"), instalments(spool.string(), "instalments-"),
      invoices(spool.string(), "invoices-");
  const fs::path matches_path = spool / "matches.tsv";
  SimFileWriter matches;
  RF_RETURN_IF_ERROR(matches.Open(matches_path.string()));
  uint64_t run_count = 0;
  for (int index = 0; index < params.months; ++index) {
    if (progress) progress(index);
    const Month month = SimMonth(index);
    const std::string m = month.ToString();
    fs::create_directories(dir / m, ec);
    if (ec) return Status::Io("cannot create " + (dir / m).string());
    MonthFiles files(dir / m, held ? nullptr : &invoices);
    const auto load_closed = [&]() -> Status {
      RF_ASSIGN(closed, files.TakeClosed());
      for (const auto& [kind, name] : closed) RF_RETURN_IF_ERROR(step({m, "ingest", {kind, m + "/" + name}}).status());
      return Status::Ok();
    };
    if (index == 0)
      RF_RETURN_IF_ERROR(step({m, "config", {"bank.debtor_iban", kSimDebtorIban, "2026-04-01"}}).status());
    if (!held) {
      world.MonthInstalments(index, [&](Date on, const RunPayment& p) { instalments.Add(on, PaymentSpoolRecord(p)); });
    }
    world.MonthStartFiles(index, files);
    RF_RETURN_IF_ERROR(load_closed());
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
      world.BeforeRunFiles(index, run_date, files);
      RF_RETURN_IF_ERROR(load_closed());
      RF_RETURN_IF_ERROR(step({m, "approve", {run_date.ToIso()}}).status());
      RF_ASSIGN(outcome, step({m, "pay", {run_date.ToIso()}}));
      if (held && !outcome.run) continue;  // nothing due
      // Twin payments (same payee and amount) in this run, when planting the ambiguous pair.
      std::optional<std::pair<std::string, std::string>> twins;
      for (size_t i = 0; held && ambiguous && !twins && i < outcome.run->payments.size(); ++i) {
        const auto& payments = outcome.run->payments;
        for (size_t j = i + 1; j < payments.size(); ++j) {
          const RunPayment &p = payments[i], &q = payments[j];
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
      // The bank's habit for this run (known before its payments are read,
      // so a streamed run's lines are booked as they come).
      const bool planted_here = mismatch || returned || unsettled || twins.has_value() || slow_here;
      const uint64_t habit = planted_here ? 2 : run_count % 3;
      const uint32_t lag = ((run_count + 1) / 3) % 2;
      // Faster Payments: line by line, echoing the end-to-end ids.
      bool mismatch_done = !mismatch, returned_done = !returned, unsettled_done = !unsettled, slow_done = !slow_here;
      const auto next_month_weekday = [&] {
        Date next = month.last_day().AddDays(1);
        while (next.iso_weekday() > 5) next = next.AddDays(1);
        return next;
      };
      const auto book = [&](const RunPayment& p) {
        PendingLine l = MakePendingLine(AddBusinessDays(run_date, lag), -Pence64(p.amount), p.payee_ref, p.payment_id,
                                        "", "FP " + p.payment_id, p.payment_id, "payment");
        if (twins && p.payment_id == twins->first) {
          l.end_to_end_id = "";
          l.description = "FP PAYMENT";
          l.settles = twins->second;
          l.planted_payment = twins->first;
          l.kind = "ambiguous";
          pending.Add(l.booked, LineRecord(l));
          return;
        }
        if (twins && p.payment_id == twins->second) {
          l.booked = next_month_weekday();  // late: next month's statement, with its end-to-end id
          pending.Add(l.booked, LineRecord(l));
          return;
        }
        if (!slow_done && p.purpose == PaymentPurpose::kInvoice) {
          slow_done = true;
          l.booked = next_month_weekday();
          truth.near_misses.push_back({"UNSETTLED_PAYMENT", "payment:" + p.payment_id, m,
                                       "unsettled at month end, exactly 5 business days after its run"});
          pending.Add(l.booked, LineRecord(l));
          return;
        }
        if (!mismatch_done && p.purpose != PaymentPurpose::kInvoice) {
          mismatch_done = true;
          l.counterparty = MakeGbIban("MIDL", 40051577001234ULL + static_cast<uint64_t>(index));
          l.kind = "mismatch";
          l.planted_payment = p.payment_id;
        } else if (!unsettled_done && p.purpose == PaymentPurpose::kInvoice) {
          unsettled_done = true;
          truth.anomalies.push_back({"UNSETTLED_PAYMENT", "payment:" + p.payment_id, m, "the bank never booked it"});
          return;
        } else if (!returned_done && p.purpose == PaymentPurpose::kInvoice) {
          returned_done = true;
          const PendingLine r =
              MakePendingLine(AddBusinessDays(run_date, lag + 3), Pence64(p.amount), p.payee_ref, p.payment_id, "",
                              "RETURNED ACCOUNT CLOSED " + p.payment_id, p.payment_id, "return");
          pending.Add(r.booked, LineRecord(r));
        }
        pending.Add(l.booked, LineRecord(l));
      };
      // The run's payments in its order: the real run's (held), or what
      // `pay` would make, read back from the spools (streamed).
      std::string run_id;
      uint64_t count = 0;
      int64_t total_pence = 0;
      const auto visit = [&](const RunPayment& p) {
        ++count;
        total_pence += Pence64(p.amount);
        if (held && p.purpose != PaymentPurpose::kInvoice) world.AddInstalmentPaid(p.budget_id, Pence64(p.amount));
        if (habit == 2) book(p);
      };
      if (held) {
        run_id = outcome.run->run_id;
        for (const RunPayment& p : outcome.run->payments) visit(p);
        assert(total_pence == Pence64(outcome.run->total));
      } else {
        run_id = "RUN-" + run_date.ToIso() + "-1";  // one run a day
        for (DateSpool* payments : {&instalments, &invoices}) {
          RF_RETURN_IF_ERROR(payments->Take(run_date, [&](Date, const std::string& record) -> Status {
            visit(PaymentFromSpoolRecord(record));
            return Status::Ok();
          }));
        }
      }
      if (count == 0) continue;  // streamed: nothing due
      summary.payments += count;
      ++run_count;
      if (habit == 0 || habit == 1) {
        // Bacs: one debit for the run, with its batch id (habit 0) or no reference (habit 1).
        const PendingLine l =
            MakePendingLine(AddBusinessDays(run_date, habit == 0 ? 2 : 1), -total_pence, "", "",
                            habit == 0 ? run_id : "", habit == 0 ? "BACS " + run_id : "BACS SUBMISSION", run_id, "run");
        pending.Add(l.booked, LineRecord(l));
        continue;
      }
      mismatch = returned = unsettled = false;
      if (twins) ambiguous = false;
    }
    world.DpReturns(index, files);
    RF_RETURN_IF_ERROR(load_closed());
    // Planted lines: money out with no payment, and money in that nothing explains.
    if (last || (plant && (index == 2 || index == 5 || index == 8))) {
      Date on = month.first_day().AddDays(14);
      while (on.iso_weekday() > 5) on = on.AddDays(1);
      const PendingLine l =
          MakePendingLine(on, -(123'456 + index), MakeGbIban("HBUK", 40127612345678ULL + static_cast<uint64_t>(index)),
                          "", "", "TRANSFER TO ACCOUNT 7781", "", "outflow");
      pending.Add(l.booked, LineRecord(l));
    }
    if (last || (plant && (index == 1 || index == 4 || index == 9))) {
      Date on = month.first_day().AddDays(16);
      while (on.iso_weekday() > 5) on = on.AddDays(1);
      const PendingLine l =
          MakePendingLine(on, 3'719 + index, world.Provider(10).iban, "", "", "REFUND OVERPAYMENT", "", "inflow");
      pending.Add(l.booked, LineRecord(l));
    }
    // The statement: every line booked in the month, by booking day, in
    // the order the runs made them.
    const bool camt = index % 2 == 1;
    const std::string name = camt ? "bank.camt053.xml" : "bank.csv";
    SimFileWriter statement;
    RF_RETURN_IF_ERROR(statement.Open((dir / m / name).string()));
    statement.Write(StatementHeader(month, camt));
    size_t n = 0;
    RF_RETURN_IF_ERROR(pending.Take(month.last_day(), [&](Date booked, const std::string& record) -> Status {
      const PendingLine l = LineFromRecord(booked, record);
      std::string id;
      statement.Write(StatementLine(month, camt, ++n, l, &id));
      ++summary.bank_lines;
      if (l.kind == "payment" || l.kind == "run" || l.kind == "return") {
        matches.Write(id + "\t" + l.settles + "\t" + l.kind + "\n");
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
        matches.Write(id + "\t\tambiguous\n");
        for (const std::string& p : {l.planted_payment, l.settles}) {
          truth.consequences.push_back(
              {"UNSETTLED_PAYMENT", "payment:" + p, m, "the ambiguous pair waits for a person"});
        }
      } else if (l.kind == "outflow") {
        truth.anomalies.push_back({"DIVERSION_UNEXPLAINED_OUTFLOW", "bankline:" + id, m, "money out with no payment"});
      } else if (l.kind == "inflow") {
        truth.anomalies.push_back({"UNMATCHED_BANK_LINE", "bankline:" + id, m, "money in that nothing explains"});
      }
      return Status::Ok();
    }));
    statement.Write(StatementFooter(camt));
    RF_RETURN_IF_ERROR(statement.Close());
    RF_RETURN_IF_ERROR(step({m, "ingest", {"bank", m + "/" + name}}).status());
    RF_RETURN_IF_ERROR(step({m, "reconcile", {m}}).status());
  }
  RF_RETURN_IF_ERROR(matches.Close());
  RF_RETURN_IF_ERROR(WriteText(dir / "manifest.tsv", manifest));
  RF_RETURN_IF_ERROR(WriteText(dir / "load.sh", LoadScript(manifest)));
  fs::permissions(dir / "load.sh", fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add, ec);
  RF_RETURN_IF_ERROR(WriteTruth(dir / "truth.json", truth, matches_path));
  fs::remove_all(spool, ec);  // what is left: lines booked after the last month
  summary.anomalies = truth.anomalies.size();
  summary.near_misses = truth.near_misses.size();
  return summary;
}

}  // namespace rf::sim
