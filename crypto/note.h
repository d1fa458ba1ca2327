#ifndef RINGFENCE_CRYPTO_NOTE_H_
#define RINGFENCE_CRYPTO_NOTE_H_

// C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys
// (algorithm byte 0x01), byte-compatible with Go's golang.org/x/mod/sumdb/note
// so Go tooling and witnesses can read what we sign, and we theirs.
//
//   <text, ending in '\n'>
//   <blank line>
//   — <key name> <base64(4-byte big-endian key id || 64-byte signature)>
//   ... one line per signature
//
// The signature covers the text only.

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/status.h"

namespace rf::crypto {

// Signature lines a note may carry; more is refused, as Go does, so opening a
// hostile note costs bounded time.
inline constexpr size_t kNoteSignaturesMax = 100;
// Notes here are checkpoints, a few hundred bytes; 1 MiB is a generous bound.
inline constexpr size_t kNoteBytesMax = 1 << 20;

// The first 4 bytes, big-endian, of SHA-256(name || "\n" || 0x01 || key).
uint32_t KeyId(std::string_view name, const PublicKey& key);

// "<name>+<8 lowercase hex key id>+<base64(0x01 || key)>".
// REQUIRES: name is a valid key name (non-empty, no whitespace, no '+').
std::string VerifierKey(std::string_view name, const PublicKey& key);

struct ParsedVerifierKey {
  std::string name;
  uint32_t key_id = 0;
  PublicKey key{};
};

// Parses a verifier key; InvalidInput unless it is well formed, Ed25519, and
// its key id matches its name and key.
rf::Result<ParsedVerifierKey> ParseVerifierKey(std::string_view verifier_key);

// Returns text + "\n" + "— " + name + " " + base64(key id || signature) + "\n".
// REQUIRES: text is non-empty UTF-8 ending in '\n' with no control characters
// other than '\n'; name is a valid key name.
std::string SignNote(std::string_view text, std::string_view name, const SigningKey& key);

// Opens a signed note strictly: UTF-8 without control characters (bar '\n'),
// a blank line before the signature block, every signature line well formed,
// at most kNoteSignaturesMax of them. Lines by other keys are ignored; there
// must be at least one line by `key` (name and key id both match) and every
// such line must verify. Otherwise Tampered, with a sentence saying why.
// Returns the signed text (ending in '\n').
rf::Result<std::string> OpenNote(std::string_view note, const ParsedVerifierKey& key);

// Reads a Go sumdb/note private key,
// "PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || 32-byte seed)>";
// InvalidInput unless well formed and its key id matches.
rf::Result<SigningKey> SigningKeyFromNoteSkey(std::string_view skey);

}  // namespace rf::crypto

#endif  // RINGFENCE_CRYPTO_NOTE_H_
