// The views cache: serialised forms are canonical and read back exactly.
#include "ledger/core/views.h"

#include <catch2/catch.hpp>
#include <random>

#include "ledger/core/canonical_json.h"

TEST_CASE("pot and budget totals serialise as canonical JSON and read back exactly", "[property]") {
  std::mt19937 rng(42);
  for (int run = 0; run < 2000; ++run) {
    rf::TypeTotals totals;
    nlohmann::json reference = nlohmann::json::object();
    const char* names[] = {"funding", "pot", "budget", "payable", "dp", "paid", "spent", "external"};
    for (size_t i = 0; i < rf::kAccountTypes; ++i) {
      if (rng() % 2 == 0) continue;
      const int64_t pence = static_cast<int64_t>(rng() % 2000001) - 1000000;
      totals.net[i] = rf::Pence::FromPence(pence);
      if (pence != 0) reference[names[i]] = totals.net[i].ToDecimal();
    }
    const std::string text = rf::SerializeTotals(totals);
    REQUIRE(text == *rf::Canonicalize(reference));
    auto back = rf::ParseTotals(text, "budnet/B-1");
    REQUIRE(back.ok());
    REQUIRE(back->net == totals.net);
  }
}

TEST_CASE("a totals view that is not in canonical form is reported as damaged") {
  for (const char* bad :
       {"", "{", "{\"pot\":\"1.00\",}", "{\"pot\":\"1.00\",\"budget\":\"2.00\"}", "{\"pot\":\"0.00\"}",
        "{\"pot\":\"1.0\"}", "{\"bogus\":\"1.00\"}", "{\"pot\":1.00}", "{ \"pot\":\"1.00\"}"}) {
    INFO(bad);
    auto parsed = rf::ParseTotals(bad, "potnet/P");
    REQUIRE(parsed.status().code() == rf::Status::Code::kTampered);
  }
  REQUIRE(rf::ParseTotals("{}", "potnet/P").ok());
}

TEST_CASE("an invoice record written as text is canonical, reads as its DOM and is written as given") {
  // invoice.received writes its record as hand-built canonical text; with
  // ids and descriptions that need escaping it must still be what
  // Canonicalize gives, and a later read parses it.
  rf::Views views(nullptr);
  const std::vector<std::pair<std::string, std::string>> odd = {
      {"B-1", "V-1"}, {"B-\xc3\xa9", "V-\"q\""}, {"B-\\", "V-\x7f"}, {std::string("B-\x01", 3), "V-/"}};
  for (size_t i = 0; i < odd.size(); ++i) {
    nlohmann::json body = {
        {"amount", "12.50"},           {"budget_id", odd[i].first},    {"provider_id", odd[i].second},
        {"received_on", "2026-05-10"}, {"service_from", "2026-05-01"}, {"service_to", "2026-05-07"}};
    std::string text = "{\"amount\":";
    for (const auto& [name, key] : {std::pair<const char*, const char*>{"", "amount"},
                                    {",\"budget_id\":", "budget_id"},
                                    {",\"provider_id\":", "provider_id"},
                                    {",\"received_on\":", "received_on"}}) {
      text += name;
      REQUIRE(rf::AppendCanonicalString(body[key].get<std::string>(), &text).ok());
    }
    text += ",\"seq\":" + std::to_string(40 + i) +
            R"(,"service_from":"2026-05-01","service_to":"2026-05-07","state":"received"})";
    nlohmann::json reference = body;
    reference["seq"] = 40 + i;
    reference["state"] = "received";
    REQUIRE(text == *rf::Canonicalize(reference));
    const std::string id = "INV-" + std::to_string(i);
    views.PutRecordText(rf::RecordKind::kInvoice, id, text);
    auto read = views.Record(rf::RecordKind::kInvoice, id);
    REQUIRE(read.ok());
    REQUIRE(*read != nullptr);
    CHECK(**read == reference);
  }
  size_t written = 0;
  REQUIRE(views
              .ForEachDirty([&](std::string_view key, std::string_view value) {
                auto doc = nlohmann::json::parse(value);
                CHECK(*rf::Canonicalize(doc) == value);
                ++written;
                (void)key;
                return rf::Status::Ok();
              })
              .ok());
  CHECK(written == odd.size());
}

namespace {

// Every key absent, one record present: DeleteText then keeps a deletion.
class ViewsKeptTestBacking : public rf::ViewBacking {
 public:
  rf::Result<std::optional<std::string>> Get(std::string_view key) const override {
    if (key == "payment/P-read") return std::optional<std::string>(R"({"payment_id":"P-read","state":"pending"})");
    return std::optional<std::string>();
  }
};

}  // namespace

TEST_CASE("the slots MarkWritten keeps are never fewer than slot_count_kept_min says (property)", "[property]") {
  // ViewsHook::Finish clears a cache at once when slot_count_kept_min()
  // passes the bound, as it would after MarkWritten: so the bound must hold.
  std::mt19937 rng(20261206);
  const ViewsKeptTestBacking backing;
  for (int run = 0; run < 300; ++run) {
    rf::Views views(&backing);
    const int ops = static_cast<int>(rng() % 60);
    for (int i = 0; i < ops; ++i) {
      const std::string n = std::to_string(rng() % 20);
      switch (rng() % 5) {
        case 0: views.PutText("paysettled/2026-07-01/P-" + n, "L-" + n); break;
        case 1: views.DeleteText("paypending/P-" + n); break;
        case 2: views.PutRecordText(rf::RecordKind::kPayment, "P-" + n, R"({"state":"settled"})"); break;
        case 3: REQUIRE(views.RecordText(rf::RecordKind::kPayment, "P-read").ok()); break;
        default: REQUIRE(views.Text("xid/X-" + n).ok()); break;
      }
    }
    const size_t kept_min = views.slot_count_kept_min();
    REQUIRE(kept_min <= views.slot_count());
    views.MarkWritten();
    CHECK(kept_min <= views.slot_count());
    CHECK(views.dirty_count() == 0);
  }
}
