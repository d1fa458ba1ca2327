#include <catch2/catch.hpp>

#include <string>

#include "crypto/base64.h"
#include "crypto/checkpoint.h"

namespace {

// The example checkpoint of the C2SP tlog-checkpoint specification:
// repository github.com/C2SP/C2SP, file tlog-checkpoint.md, commit
// 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9.
constexpr std::string_view kC2spText = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

const std::string kRoot44 = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

}  // namespace

TEST_CASE("the C2SP example checkpoint parses and re-serialises byte for byte") {
  auto checkpoint = rf::crypto::ParseCheckpointText(kC2spText);
  REQUIRE(checkpoint.ok());
  CHECK(checkpoint->origin == "example.com/behind-the-sofa");
  CHECK(checkpoint->size == 20852163);
  CHECK(checkpoint->root == *rf::crypto::HashFromBase64(kRoot44));
  CHECK(rf::crypto::CheckpointText(*checkpoint) == kC2spText);
}

TEST_CASE("a checkpoint of the empty tree and of the largest size round-trip") {
  rf::crypto::Checkpoint empty{"ringfence.invalid/acme", 0, {}};
  CHECK(rf::crypto::CheckpointText(empty) ==
        "ringfence.invalid/acme\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
  auto parsed = rf::crypto::ParseCheckpointText(rf::crypto::CheckpointText(empty));
  REQUIRE(parsed.ok());
  CHECK(parsed->size == 0);
  rf::crypto::Checkpoint largest{"o", UINT64_MAX, {}};
  largest.root[31] = 7;
  auto reparsed = rf::crypto::ParseCheckpointText(rf::crypto::CheckpointText(largest));
  REQUIRE(reparsed.ok());
  CHECK(reparsed->size == UINT64_MAX);
  CHECK(reparsed->root == largest.root);
}

TEST_CASE("extension lines are allowed and ignored, but not empty ones") {
  // Shapes from transparency-dev/formats log/checkpoint_test.go (commit
  // 0b850f1a7b4a5b70deeacac6535e4b8023809d21), with a 32-byte root.
  const std::string base = "Log\n9944\n" + kRoot44 + "\n";
  auto one = rf::crypto::ParseCheckpointText(base + "Here's some associated data.\n");
  REQUIRE(one.ok());
  CHECK(one->size == 9944);
  CHECK(rf::crypto::ParseCheckpointText(base + "lots\nof\nlines\n").ok());
  // The formats package tolerates trailing blank lines; the C2SP spec says
  // extension lines MUST be non-empty, so we refuse them.
  CHECK_FALSE(rf::crypto::ParseCheckpointText(base + "\n\n\n").ok());
  CHECK_FALSE(rf::crypto::ParseCheckpointText(base + "ext\n\n").ok());
  CHECK_FALSE(rf::crypto::ParseCheckpointText(base + "no final newline").ok());
}

TEST_CASE("malformed checkpoints are refused as tampered") {
  const std::string bad[] = {
      "",
      "Head\n9944\n",                                 // too few lines
      "\n9944\n" + kRoot44 + "\n",                    // empty origin
      "Log\n123\n" + kRoot44,                         // no newline after the root
      "Log\nbananas\n" + kRoot44 + "\n",              // size not a number
      "Log\n-34\n" + kRoot44 + "\n",                  // negative
      "Log\n+34\n" + kRoot44 + "\n",                  // signed
      "Log\n0034\n" + kRoot44 + "\n",                 // leading zeros
      "Log\n00\n" + kRoot44 + "\n",                   // zero spelled twice
      "Log\n 34\n" + kRoot44 + "\n",                  // space
      "Log\n\n" + kRoot44 + "\n",                     // empty size
      "Log\n3438945738945739845734895735\n" + kRoot44 + "\n",  // beyond 64 bits
      "Log\n18446744073709551616\n" + kRoot44 + "\n",          // UINT64_MAX + 1
      "Log\n123\nThisIsn'tBase64\n",
      "Log\n123\nYmFuYW5hcw==\n",                     // base64 of "bananas": not 32 bytes
      "Log\n123\n" + kRoot44.substr(0, 43) + "\n",    // truncated root
      "Log\n123\n" + kRoot44 + "=\n",
      "Log\r\n123\n" + kRoot44 + "\n",
  };
  for (const std::string& text : bad) {
    INFO(text);
    CHECK(rf::crypto::ParseCheckpointText(text).status().code() == rf::Status::Code::kTampered);
  }
}
