#include <catch2/catch.hpp>

#include <string>

#include "crypto/ed25519.h"
#include "crypto/note.h"

namespace {

// Known-answer vector from the reference implementation, golang.org/x/mod
// sumdb/note: repository github.com/golang/mod, file sumdb/note/note_test.go
// (TestSign, TestOpen, TestNewVerifier), commit
// fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db. Ed25519 is deterministic, so
// signing the text with the skey must reproduce the note byte for byte.
constexpr std::string_view kPeterSkey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kPeterVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kEnochVkey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const std::string kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const std::string kPeterSig =
    "\xE2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const std::string kEnochSig =
    "\xE2\x80\x94 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

// The example in the C2SP signed-note specification: repository
// github.com/C2SP/C2SP, file signed-note.md, commit
// 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9.
constexpr std::string_view kC2spVkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const std::string kC2spNote =
    "This is an example message.\n"
    "\n"
    "\xE2\x80\x94 example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

rf::crypto::ParsedVerifierKey MustParse(std::string_view vkey) {
  auto parsed = rf::crypto::ParseVerifierKey(vkey);
  REQUIRE(parsed.ok());
  return *parsed;
}

}  // namespace

TEST_CASE("the Go sumdb/note signer key reproduces the published note byte for byte") {
  auto key = rf::crypto::SigningKeyFromNoteSkey(kPeterSkey);
  REQUIRE(key.ok());
  CHECK(rf::crypto::VerifierKey("PeterNeumann", key->public_key()) == kPeterVkey);
  CHECK(rf::crypto::KeyId("PeterNeumann", key->public_key()) == 0xc74f20a3u);
  CHECK(rf::crypto::SignNote(kText, "PeterNeumann", *key) == kText + "\n" + kPeterSig);
}

TEST_CASE("the published Go and C2SP notes open with their verifier keys") {
  const auto peter = MustParse(kPeterVkey);
  CHECK(peter.name == "PeterNeumann");
  CHECK(peter.key_id == 0xc74f20a3u);
  auto text = rf::crypto::OpenNote(kText + "\n" + kPeterSig, peter);
  REQUIRE(text.ok());
  CHECK(*text == kText);

  auto c2sp = rf::crypto::OpenNote(kC2spNote, MustParse(kC2spVkey));
  REQUIRE(c2sp.ok());
  CHECK(*c2sp == "This is an example message.\n");
}

TEST_CASE("signatures by other keys are ignored, but one by our key is required") {
  const auto peter = MustParse(kPeterVkey);
  const auto enoch = MustParse(kEnochVkey);
  // Both signatures are genuine; each key sees its own and ignores the other.
  CHECK(rf::crypto::OpenNote(kText + "\n" + kPeterSig + kEnochSig, peter).ok());
  CHECK(rf::crypto::OpenNote(kText + "\n" + kPeterSig + kEnochSig, enoch).ok());
  CHECK(rf::crypto::OpenNote(kText + "\n" + kEnochSig + kPeterSig, peter).ok());
  // A note signed only by someone else is not signed by us.
  auto unsigned_by_peter = rf::crypto::OpenNote(kText + "\n" + kEnochSig, peter);
  CHECK(unsigned_by_peter.status().code() == rf::Status::Code::kTampered);
  // A damaged signature from another key is that key's problem, not ours.
  std::string damaged_enoch = kEnochSig;
  damaged_enoch.replace(60, 4, "ABCD");
  CHECK(rf::crypto::OpenNote(kText + "\n" + kPeterSig + damaged_enoch, peter).ok());
}

TEST_CASE("an altered text or signature by our key is refused as tampered") {
  const auto peter = MustParse(kPeterVkey);
  std::string altered_text = kText;
  altered_text[3] = 'Y';
  CHECK(rf::crypto::OpenNote(altered_text + "\n" + kPeterSig, peter).status().code() ==
        rf::Status::Code::kTampered);
  // Go's "invalid signature" case: four characters spliced into the base64.
  std::string spliced = kPeterSig.substr(0, 60) + "ABCD" + kPeterSig.substr(60);
  CHECK(rf::crypto::OpenNote(kText + "\n" + spliced, peter).status().code() == rf::Status::Code::kTampered);
  // A good signature does not excuse a bad one claiming the same key.
  std::string flipped = kPeterSig;
  flipped[40] = flipped[40] == 'A' ? 'B' : 'A';
  CHECK_FALSE(rf::crypto::OpenNote(kText + "\n" + kPeterSig + flipped, peter).ok());
  // The same name with another key id is another key, so it is ignored.
  std::string other_id = kPeterSig;
  other_id.replace(other_id.find("x08g"), 4, "xxxx");
  CHECK(rf::crypto::OpenNote(kText + "\n" + other_id + kPeterSig, peter).ok());
  CHECK_FALSE(rf::crypto::OpenNote(kText + "\n" + other_id, peter).ok());
}

TEST_CASE("malformed notes are refused, as in Go's TestOpen") {
  const auto peter = MustParse(kPeterVkey);
  const std::string bad_notes[] = {
      kText,
      kText + "\n",
      kText + "\n" + kPeterSig.substr(0, kPeterSig.size() - 1),
      "\x01" + kText + "\n" + kPeterSig,
      "\xff" + kText + "\n" + kPeterSig,
      kText + "\n" +
          "\xE2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
      kText + "\n" + kPeterSig + "Unexpected line.\n",
      kText + "\n" + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
      kText + "\r\n" + kPeterSig,
      std::string(),
  };
  for (const std::string& note : bad_notes) {
    INFO(note);
    CHECK(rf::crypto::OpenNote(note, peter).status().code() == rf::Status::Code::kTampered);
  }
  std::string many = kText + "\n";
  for (int i = 0; i < 101; i++) many += kPeterSig;
  CHECK_FALSE(rf::crypto::OpenNote(many, peter).ok());
  std::string sixteen = kText + "\n";
  for (int i = 0; i < 16; i++) sixteen += kEnochSig;
  sixteen += kPeterSig;
  CHECK(rf::crypto::OpenNote(sixteen, peter).ok());  // the spec's minimum of 16 others is accepted
}

TEST_CASE("a text with blank lines is split at the last blank line") {
  auto key = rf::crypto::SigningKey::Generate();
  REQUIRE(key.ok());
  const std::string text = "first paragraph\n\nsecond paragraph\n";
  const std::string note = rf::crypto::SignNote(text, "example.com/log", *key);
  const auto vkey = MustParse(rf::crypto::VerifierKey("example.com/log", key->public_key()));
  auto opened = rf::crypto::OpenNote(note, vkey);
  REQUIRE(opened.ok());
  CHECK(*opened == text);
}

TEST_CASE("every mangling of a verifier key is refused, as in Go's TestNewVerifier") {
  const std::string vkey(kPeterVkey);
  for (size_t begin = 0; begin <= vkey.size(); begin++) {
    for (size_t end = begin + 1; end <= vkey.size(); end++) {
      if (begin == 0 && end == vkey.size()) continue;
      INFO(vkey.substr(begin, end - begin));
      CHECK(rf::crypto::ParseVerifierKey(vkey.substr(begin, end - begin)).status().code() ==
            rf::Status::Code::kInvalidInput);
    }
  }
  for (size_t i = 0; i < vkey.size(); i++) {
    std::string mangled = vkey;
    mangled[i]++;
    INFO(mangled);
    CHECK_FALSE(rf::crypto::ParseVerifierKey(mangled).ok());
  }
  // Wrong key length and unknown algorithm, each with a matching key id.
  CHECK_FALSE(rf::crypto::ParseVerifierKey(
                  "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
                  .ok());
  CHECK_FALSE(
      rf::crypto::ParseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").ok());
}

TEST_CASE("a signer key with a wrong id or malformed parts is refused") {
  CHECK(rf::crypto::SigningKeyFromNoteSkey(kPeterSkey).ok());
  const std::string skey(kPeterSkey);
  for (size_t i = 0; i < skey.size(); i++) {
    std::string mangled = skey;
    mangled[i]++;
    INFO(mangled);
    CHECK_FALSE(rf::crypto::SigningKeyFromNoteSkey(mangled).ok());
  }
  CHECK_FALSE(rf::crypto::SigningKeyFromNoteSkey(skey.substr(0, skey.size() - 4)).ok());
  CHECK_FALSE(rf::crypto::SigningKeyFromNoteSkey(kPeterVkey).ok());
}

TEST_CASE("a generated key signs notes its verifier key opens, and no other key does") {
  auto ours = rf::crypto::SigningKey::Generate();
  auto theirs = rf::crypto::SigningKey::Generate();
  REQUIRE(ours.ok());
  REQUIRE(theirs.ok());
  const std::string origin = "ringfence.invalid/acme";
  const std::string text = "ringfence.invalid/acme\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
  const std::string note = rf::crypto::SignNote(text, origin, *ours);
  const auto our_vkey = MustParse(rf::crypto::VerifierKey(origin, ours->public_key()));
  const auto their_vkey = MustParse(rf::crypto::VerifierKey(origin, theirs->public_key()));
  REQUIRE(rf::crypto::OpenNote(note, our_vkey).ok());
  CHECK(*rf::crypto::OpenNote(note, our_vkey) == text);
  // Same name, other key: its key id differs, so our line is not its line.
  CHECK(rf::crypto::OpenNote(note, their_vkey).status().code() == rf::Status::Code::kTampered);
  // A forger who reuses our name and key id with their own key is caught.
  const std::string forged = rf::crypto::SignNote(text, origin, *theirs);
  rf::crypto::ParsedVerifierKey impostor = their_vkey;
  impostor.key_id = our_vkey.key_id;
  const std::string forged_with_our_id =
      forged.substr(0, forged.rfind(' ') + 1) +
      rf::crypto::SignNote(text, origin, *ours).substr(note.rfind(' ') + 1, 6) + forged.substr(forged.rfind(' ') + 7);
  CHECK(rf::crypto::OpenNote(forged_with_our_id, our_vkey).status().code() == rf::Status::Code::kTampered);
}
