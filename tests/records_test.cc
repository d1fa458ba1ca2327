// Typed records (ledger/core/records.h): decoding is strict and names the
// view key and member; the write side's changes read back as the typed
// values they stand for; and no other source file spells a key prefix.
#include "ledger/core/records.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ledger/core/canonical_json.h"

namespace rf {
namespace {

nlohmann::json Invoice() {
  return nlohmann::json::parse(
      R"({"amount":"120.50","budget_id":"B-001","provider_id":"PRV-1","received_on":"2026-03-02","seq":7,)"
      R"("service_from":"2026-02-01","service_to":"2026-02-28","state":"received"})");
}

TEST_CASE("an invoice record decodes into typed members, and its id is its key") {
  auto invoice = DecodeInvoice("invoice/INV-9", Invoice());
  REQUIRE(invoice.ok());
  CHECK(invoice->invoice_id == "INV-9");
  CHECK(invoice->amount == Pence::FromPence(12050));
  CHECK(invoice->service_to.ToIso() == "2026-02-28");
  CHECK(invoice->state == InvoiceState::kReceived);
  CHECK_FALSE(invoice->approved_on);
  CHECK(invoice->payment_id.empty());
}

TEST_CASE("a damaged record is tampering naming the view key and the member") {
  struct Damage {
    const char* member;
    nlohmann::json value;  // null: the member is removed
  };
  const std::vector<Damage> damages = {{"amount", nullptr},      {"amount", "12.5"},       {"amount", 1250},
                                       {"received_on", "2026-02-30"}, {"state", "lost"},   {"seq", -1},
                                       {"budget_id", ""},         {"service_from", nullptr}};
  for (const auto& d : damages) {
    nlohmann::json record = Invoice();
    if (d.value.is_null()) {
      record.erase(d.member);
    } else {
      record[d.member] = d.value;
    }
    INFO(record.dump());
    auto decoded = DecodeInvoice("invoice/INV-9", record);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.status().code() == Status::Code::kTampered);
    CHECK_THAT(decoded.status().message(), Catch::Contains("invoice/INV-9") && Catch::Contains(d.member));
    CHECK(decoded.status().exit_code() == 1);
  }
}

TEST_CASE("stored text that is not a JSON object is tampering naming the key") {
  for (const char* text : {"", "[]", "{\"amount\":", "42"}) {
    auto decoded = DecodeRecordText<PaymentRecord>("payment/P-1", text);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.status().code() == Status::Code::kTampered);
    CHECK_THAT(decoded.status().message(), Catch::Contains("payment/P-1"));
  }
}

TEST_CASE("the invoice fast path writes the canonical bytes of the same record") {
  const std::string text = ReceivedInvoiceText(
      {"\"120.50\"", "\"B-001\"", "\"PRV-1\"", "\"2026-03-02\"", "\"2026-02-01\"", "\"2026-02-28\""}, 7);
  auto canonical = Canonicalize(Invoice());
  REQUIRE(canonical.ok());
  CHECK(text == *canonical);
}

TEST_CASE("write-side changes read back as the typed values they stand for") {
  nlohmann::json invoice = Invoice();
  MarkInvoiceApproved(invoice, 8, *Date::Parse("2026-03-05", "d"));
  auto approved = DecodeInvoice("invoice/INV-9", invoice);
  REQUIRE(approved.ok());
  CHECK(approved->state == InvoiceState::kApproved);
  CHECK(approved->approved_seq == std::optional<uint64_t>(8));
  CHECK(approved->approved_on->ToIso() == "2026-03-05");
  MarkInvoicePaid(invoice, "P-1");
  auto paid = DecodeInvoice("invoice/INV-9", invoice);
  REQUIRE(paid.ok());
  CHECK(paid->state == InvoiceState::kPaid);
  CHECK(paid->payment_id == "P-1");

  // A run joined by two payments, then settled by one batch line.
  nlohmann::json run = NewRunJson(10);
  nlohmann::json first = {{"seq", 10}, {"run_id", "R-1"}, {"purpose", "invoice"}, {"amount", "1.00"}};
  nlohmann::json second = {{"seq", 11}, {"run_id", "R-1"}, {"purpose", "invoice"}, {"amount", "2.50"}};
  for (auto [payment, id, pence] : {std::tuple{&first, "P-1", 100}, std::tuple{&second, "P-2", 250}}) {
    auto before = DecodeRun("run/R-1", run);
    REQUIRE(before.ok());
    JoinRunJson(run, *before, *payment, id, Pence::FromPence(pence));
  }
  auto joined = DecodeRun("run/R-1", run);
  REQUIRE(joined.ok());
  CHECK(joined->payments == 2);
  CHECK(joined->total == Pence::FromPence(350));
  CHECK(joined->last_payment_id == "P-2");
  CHECK_FALSE(first.contains("run_prev"));
  CHECK(second["run_prev"] == "P-1");
  MarkRunSettled(run, 12, "S1/L1");
  auto settled = DecodeRun("run/R-1", run);
  REQUIRE(settled.ok());
  CHECK(settled->state == PaymentState::kSettled);
  CHECK(settled->bank_line_id == "S1/L1");
}

TEST_CASE("provider totals add to the named sum and count invoices, and damage is tampering") {
  nlohmann::json totals = NewProviderTotalsJson();
  REQUIRE(AddToProviderTotals(totals, "provsum/PRV-1", ProviderTotal::kReceived, Pence::FromPence(100), true).ok());
  REQUIRE(AddToProviderTotals(totals, "provsum/PRV-1", ProviderTotal::kReceived, Pence::FromPence(1), true).ok());
  REQUIRE(AddToProviderTotals(totals, "provsum/PRV-1", ProviderTotal::kPaid, Pence::FromPence(100), false).ok());
  auto decoded = DecodeProviderTotals("provsum/PRV-1", totals);
  REQUIRE(decoded.ok());
  CHECK(decoded->invoices == 2);
  CHECK(decoded->received == Pence::FromPence(101));
  CHECK(decoded->approved == Pence());
  CHECK(decoded->paid == Pence::FromPence(100));
  totals["paid"] = 3;
  const Status damaged = AddToProviderTotals(totals, "provsum/PRV-1", ProviderTotal::kPaid, Pence::FromPence(1), false);
  CHECK(damaged.code() == Status::Code::kTampered);
}

// Comments may mention keys; code may not spell them.
std::string WithoutComments(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    const size_t comment = line.find("//");
    out += line.substr(0, comment);
    out += '\n';
  }
  return out;
}

TEST_CASE("no source file outside records.h/.cc spells a view key prefix") {
  namespace fs = std::filesystem;
  const fs::path root = RF_SOURCE_DIR;
  const std::vector<std::string> prefixes = {"bal/",    "potnet/", "budnet/", "pot/",     "person/",  "provider/",
                                             "budget/", "invoice/", "payment/", "review/", "run/",     "bankline/",
                                             "provsum/", "xid/",    "reversed/", "flag/",  "signoff/", "config/",
                                             "linemonth/", "paypending/", "paysettled/", "provpay/"};
  int files = 0;
  for (const char* dir : {"ledger", "ingest", "reconcile", "tools", "crypto"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      const auto ext = entry.path().extension();
      if (ext != ".cc" && ext != ".h") continue;
      const std::string name = entry.path().filename().string();
      if (name == "records.h" || name == "records.cc") continue;
      std::ifstream in(entry.path());
      std::stringstream buffer;
      buffer << in.rdbuf();
      const std::string code = WithoutComments(buffer.str());
      ++files;
      for (const auto& prefix : prefixes) {
        INFO(entry.path().string() << " spells \"" << prefix);
        CHECK(code.find("\"" + prefix) == std::string::npos);
      }
    }
  }
  CHECK(files > 50);
}


TEST_CASE("a settlement changes the payment's and the line's text exactly as the DOM changes did") {
  const nlohmann::json payment = {{"seq", 10},          {"run_id", "R-1"},      {"purpose", "invoice"},
                                  {"amount", "1.00"},   {"state", "pending"},   {"run_date", "2026-03-02"},
                                  {"budget_id", "B-1"}, {"payee_ref", "P\xc3\xa9"}, {"budget_prev", "P-0"}};
  nlohmann::json settled_dom = payment;
  MarkPaymentSettled(settled_dom, 12, *Date::Parse("2026-03-04", "d"), "S1/L\"1");
  auto settled = PaymentSettledText(*Canonicalize(payment), 12, *Date::Parse("2026-03-04", "d"), "S1/L\"1");
  REQUIRE(settled.ok());
  CHECK(*settled == *Canonicalize(settled_dom));

  const nlohmann::json line = {{"seq", 3},           {"statement_id", "S1"}, {"line_id", "L1"},
                               {"amount", "-1.00"},  {"state", "unmatched"}, {"booked_on", "2026-03-04"},
                               {"account", "GB-1"}};
  for (const bool run : {false, true}) {
    nlohmann::json matched_dom = line;
    matched_dom["state"] = "matched";
    matched_dom[run ? "run_id" : "payment_id"] = "P-1";
    matched_dom["settled_seq"] = 12;
    auto matched = run ? BankLineMatchedRunText(*Canonicalize(line), 12, "P-1")
                       : BankLineMatchedPaymentText(*Canonicalize(line), 12, "P-1");
    REQUIRE(matched.ok());
    CHECK(*matched == *Canonicalize(matched_dom));
  }
  // Text that is not canonical, or an id that is not UTF-8, is refused.
  CHECK_FALSE(PaymentSettledText("{\"b\":1,\"a\":2}", 1, *Date::Parse("2026-03-04", "d"), "S1/L1").ok());
  CHECK_FALSE(BankLineMatchedPaymentText(*Canonicalize(line), 1, "Zo\xEB").ok());
}

}  // namespace
}  // namespace rf
