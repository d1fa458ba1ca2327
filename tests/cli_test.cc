// The two programs end to end, as a finance manager and an auditor run them.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "test_util.h"

using rf::test::Quote;
using rf::test::Run;
using rf::test::TempDir;
using rf::test::WriteFile;
using rf::test::ReadFile;

namespace {

const std::string kRingfence = RF_RINGFENCE_BIN;
const std::string kVerify = RF_VERIFY_BIN;

}  // namespace

TEST_CASE("init, post, audit export, then ringfence-verify succeeds, and one changed byte makes it fail naming the entry") {
  TempDir tmp;
  const std::string ledger = " --ledger " + Quote(tmp / "ledger.rf");
  auto init = Run(kRingfence + ledger + " init --org 'NHS Test ICB' --actor finance.manager");
  INFO(init.output);
  REQUIRE(init.exit_code == 0);
  WriteFile(tmp / "adjust.json", R"([
    {"kind": "note", "effective": "2026-04-01", "body": {"text": "pot opened", "amount": "1000.00"}},
    {"kind": "note", "effective": "2026-04-02", "body": {"text": "second"}}
  ])");
  auto post = Run(kRingfence + ledger + " post " + Quote(tmp / "adjust.json") + " --actor finance.manager");
  INFO(post.output);
  REQUIRE(post.exit_code == 0);
  auto verify = Run(kRingfence + ledger + " verify --format json");
  REQUIRE(verify.exit_code == 0);
  CHECK(nlohmann::json::parse(verify.output)["entries"] == 3);

  auto exported = Run(kRingfence + ledger + " audit export --out " + Quote(tmp / "pack"));
  INFO(exported.output);
  REQUIRE(exported.exit_code == 0);
  auto checked = Run(kVerify + " " + Quote(tmp / "pack"));
  INFO(checked.output);
  REQUIRE(checked.exit_code == 0);
  CHECK(checked.output.find("3 entries") != std::string::npos);

  // The proof an auditor samples verifies against the pack's key.
  auto proof = Run(kRingfence + ledger + " audit prove --seq 2");
  REQUIRE(proof.exit_code == 0);
  const auto proof_json = nlohmann::json::parse(proof.output);
  CHECK(proof_json["leaf_index"] == 1);
  CHECK(proof_json["tree_size"] == 3);
  CHECK(proof_json["inclusion_path"].is_array());
  WriteFile(tmp / "proof.json", proof.output);
  CHECK(Run(kVerify + " " + Quote(tmp / "pack") + " --proof " + Quote(tmp / "proof.json")).exit_code == 0);
  auto consistency = Run(kRingfence + ledger + " audit consistency --from 1 --to 3");
  REQUIRE(consistency.exit_code == 0);
  auto consistency_json = nlohmann::json::parse(consistency.output);
  CHECK(consistency_json["consistency_path"].size() >= 1);
  // ringfence-verify checks a consistency proof offline too: both signed
  // checkpoints, then the path between their roots.
  WriteFile(tmp / "consistency.json", consistency.output);
  auto consistent = Run(kVerify + " " + Quote(tmp / "pack") + " --proof " + Quote(tmp / "consistency.json"));
  INFO(consistent.output);
  CHECK(consistent.exit_code == 0);
  CHECK(consistent.output.find("consistency.json verifies") != std::string::npos);
  {
    auto altered = consistency_json;
    std::string hash = altered["consistency_path"][0];
    hash[0] = hash[0] == 'A' ? 'B' : 'A';
    altered["consistency_path"][0] = hash;
    WriteFile(tmp / "altered.json", altered.dump());
    auto refused = Run(kVerify + " " + Quote(tmp / "pack") + " --proof " + Quote(tmp / "altered.json"));
    INFO(refused.output);
    CHECK(refused.exit_code == 1);
    altered = consistency_json;
    altered.erase("first_checkpoint");
    WriteFile(tmp / "unsigned.json", altered.dump());
    auto unsigned_sizes = Run(kVerify + " " + Quote(tmp / "pack") + " --proof " + Quote(tmp / "unsigned.json"));
    INFO(unsigned_sizes.output);
    CHECK(unsigned_sizes.exit_code == 2);
    CHECK(unsigned_sizes.output.find("no signed checkpoint") != std::string::npos);
  }

  // One byte of entry 2's body changed.
  const std::string journal = ReadFile(tmp / "pack/journal.jsonl");
  const size_t at = journal.find("pot opened");
  REQUIRE(at != std::string::npos);
  std::string altered = journal;
  altered[at] = 'P';
  WriteFile(tmp / "pack/journal.jsonl", altered);
  auto tampered = Run(kVerify + " " + Quote(tmp / "pack"));
  INFO(tampered.output);
  CHECK(tampered.exit_code == 1);
  CHECK(tampered.output.find("entry 2") != std::string::npos);
}

TEST_CASE("bad input exits 2 naming the file, entry and field, and writes nothing") {
  TempDir tmp;
  const std::string ledger = " --ledger " + Quote(tmp / "ledger.rf");
  REQUIRE(Run(kRingfence + ledger + " init --org 'NHS Test ICB'").exit_code == 0);
  WriteFile(tmp / "bad.json", R"([
    {"kind": "note", "effective": "2026-04-01", "body": {}},
    {"kind": "note", "effective": "2026-02-30", "body": {}}
  ])");
  auto bad = Run(kRingfence + ledger + " post " + Quote(tmp / "bad.json"));
  INFO(bad.output);
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("bad.json entry 2") != std::string::npos);
  CHECK(bad.output.find("effective") != std::string::npos);
  WriteFile(tmp / "float.json", R"({"kind": "note", "effective": "2026-04-01", "body": {"amount": 12.5}})");
  auto fl = Run(kRingfence + ledger + " post " + Quote(tmp / "float.json"));
  CHECK(fl.exit_code == 2);
  CHECK(fl.output.find("amount") != std::string::npos);
  WriteFile(tmp / "syntax.json", "{\"kind\": \"note\",\n \"effective\": }");
  auto syntax = Run(kRingfence + ledger + " post " + Quote(tmp / "syntax.json"));
  CHECK(syntax.exit_code == 2);
  CHECK(syntax.output.find("line 2") != std::string::npos);
  auto verify = Run(kRingfence + ledger + " verify --format json");
  REQUIRE(verify.exit_code == 0);
  CHECK(nlohmann::json::parse(verify.output)["entries"] == 1);
  CHECK(Run(kRingfence + ledger + " no-such-command").exit_code == 2);
  CHECK(Run(kRingfence + " --ledger " + Quote(tmp / "missing") + " verify").exit_code == 2);
}

TEST_CASE("a post file cannot name the actor, repeat a key, or give a note money: exit 2, nothing written") {
  TempDir tmp;
  const std::string ledger = " --ledger " + Quote(tmp / "ledger.rf");
  REQUIRE(Run(kRingfence + ledger + " init --org 'NHS Test ICB'").exit_code == 0);
  // The audit trail's actor is who ran the command, never the file's word.
  WriteFile(tmp / "forged.json",
            R"({"kind": "note", "effective": "2026-04-01", "actor": "someone.else", "body": {"text": "hi"}})");
  auto forged = Run(kRingfence + ledger + " --actor real.person post " + Quote(tmp / "forged.json"));
  INFO(forged.output);
  CHECK(forged.exit_code == 2);
  CHECK(forged.output.find("forged.json entry 1, field actor") != std::string::npos);
  // The refusal names the line the actor is on, wherever in the file it is.
  WriteFile(tmp / "forged2.json",
            "[{\"kind\": \"note\", \"effective\": \"2026-04-01\", \"body\": {}},\n"
            " {\"kind\": \"note\", \"effective\": \"2026-04-01\",\n"
            "  \"actor\": \"someone.else\", \"body\": {}}]");
  auto forged2 = Run(kRingfence + ledger + " --actor real.person post " + Quote(tmp / "forged2.json"));
  INFO(forged2.output);
  CHECK(forged2.exit_code == 2);
  CHECK(forged2.output.find("forged2.json entry 2, field actor (line 3)") != std::string::npos);
  auto unforged = Run(kRingfence + ledger + " --format json verify");
  REQUIRE(unforged.exit_code == 0);
  CHECK(nlohmann::json::parse(unforged.output)["entries"] == 1);
  // {"kind":"posting","kind":"note"} would be journalled as whichever key a parser keeps.
  WriteFile(tmp / "twice.json", R"([{"kind": "note", "effective": "2026-04-01", "body": {"text": "ok"}},
    {"kind": "posting", "kind": "note", "effective": "2026-04-01", "body": {"text": "x"}}])");
  auto twice = Run(kRingfence + ledger + " post " + Quote(tmp / "twice.json"));
  INFO(twice.output);
  CHECK(twice.exit_code == 2);
  CHECK(twice.output.find("twice.json entry 2: the key \"kind\" appears twice") != std::string::npos);
  CHECK(twice.output.find("(line 2)") != std::string::npos);
  WriteFile(tmp / "nested.json", R"({"kind": "note", "effective": "2026-04-01", "body": {"a": 1, "a": 2}})");
  auto nested = Run(kRingfence + ledger + " post " + Quote(tmp / "nested.json"));
  CHECK(nested.exit_code == 2);
  CHECK(nested.output.find("the key \"a\" appears twice") != std::string::npos);
  // Equal keys in different objects are fine.
  WriteFile(tmp / "siblings.json", R"([{"kind": "note", "effective": "2026-04-01", "body": {"a": {"a": 1}}},
    {"kind": "note", "effective": "2026-04-01", "body": {"a": 2}}])");
  auto siblings = Run(kRingfence + ledger + " --actor real.person post " + Quote(tmp / "siblings.json"));
  INFO(siblings.output);
  CHECK(siblings.exit_code == 0);
  // A note carries no money: its postings would reach every export unchecked.
  for (const char* postings : {R"([{"account": "external:x", "amount": "5.00"}, {"account": "funding:ICB", "amount": "-5.00"}])",
                               R"("lol")"}) {
    WriteFile(tmp / "money.json", std::string(R"({"kind": "note", "effective": "2026-04-01", "body": {"postings": )") +
                                      postings + "}}");
    auto money = Run(kRingfence + ledger + " post " + Quote(tmp / "money.json"));
    INFO(money.output);
    CHECK(money.exit_code == 2);
    CHECK(money.output.find("body.postings: a note carries no money") != std::string::npos);
  }
  auto exported = Run(kRingfence + ledger + " export --format hledger");
  CHECK(exported.exit_code == 0);
  auto verify = Run(kRingfence + ledger + " verify --format json");
  REQUIRE(verify.exit_code == 0);
  CHECK(nlohmann::json::parse(verify.output)["entries"] == 3);  // init and the two sibling notes
  auto shown = Run(kRingfence + ledger + " audit prove --seq 2");
  REQUIRE(shown.exit_code == 0);
}

#ifdef RF_RINGFENCE_JEMALLOC
TEST_CASE("ringfence starts jemalloc with one arena, and huge pages only as the kernel's default gives them") {
  // tools/ringfence.cc's malloc_conf; stats_print makes jemalloc print the
  // options in force at exit (MALLOC_CONF adds to the compiled ones).
  const auto r = Run("MALLOC_CONF=stats_print:true " + kRingfence + " --help");
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("opt.narenas: 1\n") != std::string::npos);
  // thp:always was measured and not kept (bench/README.md, ninth session).
  CHECK(r.output.find("opt.thp: \"default\"") != std::string::npos);
}
#endif
