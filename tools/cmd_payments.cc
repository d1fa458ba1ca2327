// approve invoices, pay.
//
// Exit codes (PRODUCT.md: 0 success, 2 usage or input error):
//   approve invoices --all-valid   0, with refusals summarised by code (each
//                                  invoice with --verbose); the invoices that
//                                  pass are approved, batch by batch.
//   approve invoices ID...         0 when every named invoice was approved;
//                                  2 when any was refused. Those that passed
//                                  are still approved (and listed), in one
//                                  transaction.
//   pay                            0 when the run was made, or when nothing
//                                  was due (no file is written); skipped
//                                  items are warnings, not errors. 2 when the
//                                  run is refused (nothing is journalled).
// The payment file is never overwritten: --out must not exist. A temporary
// file beside it is created before the run is journalled (a folder that is
// missing or not writable refuses the run, nothing journalled); it is
// written, synced and renamed into place only after the run is committed.
// See ledger/payments/payment_run.h for --reissue after a crash.

#include <cassert>
#include <cstdio>
#include <memory>
#include <optional>

#include "ingest/identifiers.h"
#include "ledger/core/date_horizon.h"
#include "ledger/core/records.h"
#include "ledger/payments/approval.h"
#include "ledger/payments/payment_run.h"
#include "ledger/storage/ledger.h"
#include "reconcile/table.h"
#include "tools/cli_output.h"
#include "tools/commands.h"
#include "tools/output_file.h"

namespace rf::cli {
namespace {

struct PaymentOptions {
  std::vector<std::string> invoice_ids;
  bool all_valid = false, dry_run = false, verbose = false;
  std::string date, out, reissue;
  std::optional<std::string> future_dated;  // pay --future-dated REASON
};

// Copies what was written to `file` to stdout.
void CopyToStdout(std::FILE* file) {
  std::rewind(file);
  char buffer[1 << 16];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) std::fwrite(buffer, 1, n, stdout);
}

int RunApprove(const Global& g, const PaymentOptions& o) {
  if (o.all_valid == !o.invoice_ids.empty()) {
    return Fail(kProgram, Status::InvalidInput("approve invoices: give --all-valid or invoice ids, not both"));
  }
  auto on = Date::Parse(o.date.empty() ? TodayIso() : o.date, "--date");
  if (!on.ok()) return Fail(kProgram, on.status());
  auto ledger = Ledger::Open(g.ledger, /*writable=*/!o.dry_run);  // a dry run writes nothing
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  const bool json = g.format == "json";
  // Named ids (at most kApprovalIdsMax) are always listed one by one.
  const bool details = o.verbose || !o.all_valid;
  // Details go to temporary files as each batch is made (memory stays one
  // batch), and reach stdout only once the whole run succeeded: JSON's two
  // arrays, or the text lines of --verbose.
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, FileCloser> approved_out(std::tmpfile()), refused_out(std::tmpfile());
  if (!approved_out || !refused_out) return Fail(kProgram, Status::Io("cannot create a temporary file"));
  bool first_approved = true, first_refused = true;
  ApprovalRequest request;
  request.all_valid = o.all_valid;
  request.invoice_ids = o.invoice_ids;
  request.approved_on = *on;
  auto summary = RunApprovals(**ledger, request, {g.actor, "approve invoices"}, o.dry_run,
                              [&](const ApprovalPlan& plan) -> Status {
    for (const auto& a : plan.approved) {
      if (json) {
        const nlohmann::json item = {{"invoice_id", a.invoice_id},
                                     {"budget_id", a.budget_id},
                                     {"provider_id", a.provider_id},
                                     {"amount", a.amount.ToDecimal()}};
        std::fprintf(approved_out.get(), "%s%s", first_approved ? "" : ",", item.dump().c_str());
        first_approved = false;
      } else if (details) {
        std::fprintf(approved_out.get(), "  %s  %s  budget %s  provider %s\n", a.invoice_id.c_str(),
                     a.amount.ToPounds().c_str(), a.budget_id.c_str(), a.provider_id.c_str());
      }
    }
    for (const auto& r : plan.refused) {
      if (json) {
        const nlohmann::json item = {
            {"invoice_id", r.invoice_id}, {"amount", r.amount.ToDecimal()}, {"codes", r.codes}, {"reasons", r.reasons}};
        std::fprintf(refused_out.get(), "%s%s", first_refused ? "" : ",", item.dump().c_str());
        first_refused = false;
      } else if (details) {
        for (size_t i = 0; i < r.codes.size(); ++i) {
          std::fprintf(refused_out.get(), "  %s: %s\n", r.codes[i].c_str(), r.reasons[i].c_str());
        }
      }
    }
    if (std::ferror(approved_out.get()) || std::ferror(refused_out.get())) {
      return Status::Io("cannot write a temporary file");
    }
    return Status::Ok();
  });
  if (!summary.ok()) return Fail(kProgram, summary.status());
  const ApprovalSummary& sum = *summary;
  const int exit_code = !o.all_valid && sum.refused_count > 0 ? 2 : 0;
  if (json) {
    nlohmann::json by_code = nlohmann::json::object();
    for (const auto& [code, total] : sum.refused_by_code) {
      by_code[code] = {{"count", total.count}, {"amount", total.amount.ToDecimal()},
                       {"advice", std::string(ApprovalAdvice(code))}};
    }
    nlohmann::json j = {{"date", on->ToIso()},
                        {"dry_run", o.dry_run},
                        {"approved_count", sum.approved_count},
                        {"approved_total", sum.approved_total.ToDecimal()},
                        {"refused_count", sum.refused_count},
                        {"refused_total", sum.refused_total.ToDecimal()},
                        {"refused_by_code", by_code},
                        {"batches", sum.batches}};
    if (sum.committed) {
      j["first_seq"] = sum.first_seq;
      j["last_seq"] = sum.last_seq;
    }
    // The two arrays are spliced in from the temporary files.
    const std::string rest = j.dump();
    std::fputs("{\"approved\":[", stdout);
    CopyToStdout(approved_out.get());
    std::fputs("],\"refused\":[", stdout);
    CopyToStdout(refused_out.get());
    std::printf("],%s\n", rest.c_str() + 1);
    return exit_code;
  }
  const char* verb = o.dry_run ? "Would approve" : "Approved";
  std::printf("%s %zu invoice%s (%s), effective %s", verb, sum.approved_count, sum.approved_count == 1 ? "" : "s",
              sum.approved_total.ToPounds().c_str(), on->ToIso().c_str());
  if (sum.committed) {
    std::printf(" (entries %llu-%llu)", static_cast<unsigned long long>(sum.first_seq),
                static_cast<unsigned long long>(sum.last_seq));
  }
  std::printf(".\n");
  if (details) CopyToStdout(approved_out.get());
  if (sum.refused_count > 0) {
    std::printf("Not approved: %zu invoice%s (%s). By reason (an invoice may have more than one):\n",
                sum.refused_count, sum.refused_count == 1 ? "" : "s", sum.refused_total.ToPounds().c_str());
    for (const auto& [code, total] : sum.refused_by_code) {
      std::printf("  %s: %zu invoice%s, %s: %s.\n", code.c_str(), total.count, total.count == 1 ? "" : "s",
                  total.amount.ToPounds().c_str(), std::string(ApprovalAdvice(code)).c_str());
    }
    if (details) {
      std::printf("Each invoice not approved:\n");
      CopyToStdout(refused_out.get());
    } else {
      std::printf("Each invoice's reasons: run again with --verbose (or --format json).\n");
    }
  }
  return exit_code;
}

Table PaymentsTable(const PaymentRunPlan& plan) {
  Table t;
  t.title = "Payment run " + plan.run_id + " on " + plan.run_date.ToIso();
  t.columns = {{"payment_id", "Payment", false}, {"purpose", "For", false},   {"reference", "Invoice/budget", false},
               {"creditor", "Creditor", false},  {"payee", "Account", false}, {"amount", "Amount", true}};
  for (const auto& p : plan.payments) {
    t.rows.push_back({p.payment_id, std::string(ToString(p.purpose)), p.purpose == PaymentPurpose::kInvoice ? p.invoice_id : p.budget_id, p.creditor_name,
                      MaskIban(p.payee_ref), p.amount.ToDecimal()});
  }
  t.total = {"Total", "", "", "", "", plan.total.ToDecimal()};
  return t;
}

void PrintWarnings(const std::vector<PayWarning>& warnings) {
  for (const auto& w : warnings) Warn(w.code + ": " + w.message);
}

int RunReissue(const Global& g, const PaymentOptions& o) {
  auto out = NewOutputFile::Reserve(o.out);
  if (!out.ok()) return Fail(kProgram, out.status());
  auto ledger = Ledger::Open(g.ledger, /*writable=*/false);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  auto run = CommittedRun(**ledger, o.reissue);
  if (!run.ok()) return Fail(kProgram, run.status().WithContext("--reissue: "));
  auto xml = WritePain001(*run);
  if (!xml.ok()) return Fail(kProgram, xml.status());
  if (Status s = out->Publish(*xml); !s.ok()) return Fail(kProgram, s);
  Pence total;
  for (const auto& t : run->transfers) total += t.amount;
  if (g.format == "json") {
    PrintJson({{"run_id", o.reissue},
               {"file", o.out},
               {"reissued", true},
               {"payments", run->transfers.size()},
               {"total", total.ToDecimal()}});
  } else {
    std::printf("Wrote %s again for run %s: %zu payments, %s. Nothing new was journalled or paid.\n", o.out.c_str(),
                o.reissue.c_str(), run->transfers.size(), total.ToPounds().c_str());
  }
  return 0;
}

int RunPay(const Global& g, const PaymentOptions& o) {
  if (!o.reissue.empty()) return RunReissue(g, o);
  if (o.date.empty()) return Fail(kProgram, Status::InvalidInput("pay: --date is required (the run date)"));
  auto date = Date::Parse(o.date, "--date");
  if (!date.ok()) return Fail(kProgram, date.status());
  // The file is reserved before the run is journalled: a run whose file
  // cannot be written is refused with nothing journalled.
  std::optional<NewOutputFile> out;
  if (!o.dry_run) {
    auto reserved = NewOutputFile::Reserve(o.out);
    if (!reserved.ok()) return Fail(kProgram, reserved.status().WithContext("pay: nothing was journalled: "));
    out.emplace(std::move(*reserved));
  }
  // A dry run journals nothing, so it opens the ledger read-only: it works
  // on a ledger whose directory or files are not writable.
  auto ledger = Ledger::Open(g.ledger, /*writable=*/!o.dry_run);
  if (!ledger.ok()) return Fail(kProgram, ledger.status());
  if (Status s = CheckDatesWithinHorizon(**ledger, {{*date, "--date"}}, o.future_dated); !s.ok()) {
    return Fail(kProgram, s);
  }
  auto outcome = MakePaymentRun(**ledger, *date, {g.actor, "pay"}, o.dry_run);
  if (!outcome.ok()) return Fail(kProgram, outcome.status());
  const PaymentRunPlan& plan = outcome->plan;
  PrintWarnings(plan.warnings);
  std::string earlier;
  for (const auto& r : plan.earlier_runs) earlier += (earlier.empty() ? "" : ", ") + r;
  if (outcome->committed) {
    assert(out.has_value());
    if (Status s = out->Publish(outcome->xml); !s.ok()) {
      return Fail(kProgram, s.WithContext("run " + plan.run_id + " is journalled but its file was not written (" +
                                          "write it with `ringfence pay --reissue " + plan.run_id + " --out FILE`): "));
    }
  }
  if (g.format == "json") {
    nlohmann::json warnings = nlohmann::json::array();
    for (const auto& w : plan.warnings) {
      warnings.push_back({{"code", w.code}, {"subject", w.subject}, {"message", w.message}});
    }
    nlohmann::json payments = nlohmann::json::array();
    for (const auto& p : plan.payments) {
      nlohmann::json item = {{"payment_id", p.payment_id},     {"purpose", ToString(p.purpose)},
                             {"creditor", p.creditor_name},    {"payee", MaskIban(p.payee_ref)},
                             {"amount", p.amount.ToDecimal()}, {"budget_id", p.budget_id}};
      if (p.purpose == PaymentPurpose::kInvoice) item["invoice_id"] = p.invoice_id;
      if (p.due_on) item["due_on"] = p.due_on->ToIso();
      payments.push_back(std::move(item));
    }
    PrintJson({{"run_id", plan.run_id.empty() ? nlohmann::json() : nlohmann::json(plan.run_id)},
               {"run_date", plan.run_date.ToIso()},
               {"dry_run", o.dry_run},
               {"file", outcome->committed ? nlohmann::json(o.out) : nlohmann::json()},
               {"payments", payments},
               {"count", plan.payments.size()},
               {"total", plan.total.ToDecimal()},
               {"warnings", warnings},
               {"earlier_runs", plan.earlier_runs}});
    return 0;
  }
  if (plan.payments.empty()) {
    std::printf("Nothing due on %s: no payment file written.\n", plan.run_date.ToIso().c_str());
    if (!earlier.empty()) {
      std::printf(
          "Runs already made on %s: %s (if a run's file was lost, write it again with "
          "`ringfence pay --reissue RUN-ID --out FILE`).\n",
          plan.run_date.ToIso().c_str(), earlier.c_str());
    }
    return 0;
  }
  std::fputs(RenderText(PaymentsTable(plan)).c_str(), stdout);
  if (o.dry_run) {
    std::printf("Dry run: nothing journalled, no file written.\n");
  } else {
    std::printf(
        "Wrote %s: run %s, %zu payments, %s. If the file is lost before it reaches the bank, "
        "`ringfence pay --reissue %s --out FILE` writes it again.\n",
        o.out.c_str(), plan.run_id.c_str(), plan.payments.size(), plan.total.ToPounds().c_str(), plan.run_id.c_str());
  }
  return 0;
}

}  // namespace

void AddPaymentCommands(CLI::App& app, const Global& g, Commands& out) {
  auto o = std::make_shared<PaymentOptions>();
  auto* approve = app.add_subcommand("approve", "Approve received invoices that pass the checks");
  approve->require_subcommand(1);
  auto* invoices = approve->add_subcommand("invoices", "approve invoices (--all-valid | ID...) [--date D]");
  invoices->add_option("ids", o->invoice_ids, "Invoice ids to approve");
  invoices->add_flag("--all-valid", o->all_valid, "Approve every received invoice that passes the checks");
  invoices->add_option("--date", o->date, "Effective date of the approvals (default today)");
  invoices->add_flag("--dry-run", o->dry_run, "Check and report; journal nothing");
  invoices->add_flag("--verbose", o->verbose, "List each invoice approved or refused, with its reasons");
  out.push_back({invoices, [&g, o] { return RunApprove(g, *o); }});

  auto* pay = app.add_subcommand("pay", "Payment run: due instalments and approved invoices, as pain.001.001.03");
  pay->add_option("--date", o->date, "Run date (also the requested execution date)");
  pay->add_option("--out", o->out, "The pain.001 file to write (must not exist)");
  pay->add_option("--reissue", o->reissue, "Write the file of an existing run again (RUN-ID); pays nothing new");
  pay->add_flag("--dry-run", o->dry_run, "Show what would be paid; journal nothing, write no file");
  pay->add_option("--future-dated", o->future_dated,
                  "Allow a run date more than dates.future_days_max days ahead, giving the reason");
  out.push_back({pay, [&g, o] { return RunPay(g, *o); }});
}

}  // namespace rf::cli
