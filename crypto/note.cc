#include "crypto/note.h"

#include <cassert>
#include <cstring>
#include <optional>

#include "crypto/base64.h"
#include "crypto/sha256.h"

namespace rf::crypto {
namespace {

constexpr uint8_t kAlgEd25519 = 0x01;
// "— " : U+2014 EM DASH in UTF-8, then a space.
constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";
constexpr std::string_view kSkeyPrefix = "PRIVATE+KEY+";
constexpr size_t kKeyIdBytes = 4;

// Decodes one UTF-8 sequence at text[i]; nullopt when it is not the shortest
// encoding of a scalar value (overlongs, surrogates, > U+10FFFF, truncation).
struct Rune {
  uint32_t value;
  size_t size_bytes;
};
std::optional<Rune> DecodeRune(std::string_view text, size_t i) {
  assert(i < text.size());
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(i);
  if (lead < 0x80) return Rune{lead, 1};
  size_t size_bytes = 0;
  uint32_t value = 0;
  uint32_t value_min = 0;
  if ((lead & 0xE0) == 0xC0) {
    size_bytes = 2, value = lead & 0x1Fu, value_min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    size_bytes = 3, value = lead & 0x0Fu, value_min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    size_bytes = 4, value = lead & 0x07u, value_min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() - i < size_bytes) return std::nullopt;
  for (size_t k = 1; k < size_bytes; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
    value = value << 6 | (byte(i + k) & 0x3Fu);
  }
  if (value < value_min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return std::nullopt;
  return Rune{value, size_bytes};
}

// Go's unicode.IsSpace, which is what sumdb/note refuses in key names.
bool IsUnicodeSpace(uint32_t rune) {
  if (rune >= '\t' && rune <= '\r') return true;
  if (rune >= 0x2000 && rune <= 0x200A) return true;
  return rune == ' ' || rune == 0x85 || rune == 0xA0 || rune == 0x1680 || rune == 0x2028 || rune == 0x2029 ||
         rune == 0x202F || rune == 0x205F || rune == 0x3000;
}

// Valid UTF-8 whose only control character is '\n' (the signed-note rule).
bool IsNoteText(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    std::optional<Rune> rune = DecodeRune(text, i);
    if (!rune.has_value() || (rune->value < 0x20 && rune->value != '\n')) return false;
    i += rune->size_bytes;
  }
  return true;
}

// Non-empty UTF-8, no whitespace, no '+', no control characters.
bool IsKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size();) {
    std::optional<Rune> rune = DecodeRune(name, i);
    if (!rune.has_value() || rune->value < 0x20 || rune->value == '+' || IsUnicodeSpace(rune->value)) return false;
    i += rune->size_bytes;
  }
  return true;
}

std::string KeyIdHex(uint32_t key_id) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(8, '0');
  for (size_t i = 0; i < hex.size(); ++i) hex[i] = kDigits[key_id >> (28 - 4 * i) & 0xF];
  return hex;
}

// Exactly 8 lowercase hex digits.
std::optional<uint32_t> ParseKeyIdHex(std::string_view hex) {
  if (hex.size() != 8) return std::nullopt;
  uint32_t key_id = 0;
  for (char c : hex) {
    uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint32_t>(c - 'a' + 10);
    } else {
      return std::nullopt;
    }
    key_id = key_id << 4 | digit;
  }
  assert(KeyIdHex(key_id) == hex);
  return key_id;
}

// Splits "<a>+<b>+<rest>" where a and b hold no '+'; rest (base64) may.
struct KeyParts {
  std::string_view name;
  std::string_view key_id_hex;
  std::string_view key_base64;
};
std::optional<KeyParts> SplitKey(std::string_view text) {
  const size_t first_plus = text.find('+');
  if (first_plus == std::string_view::npos) return std::nullopt;
  const size_t second_plus = text.find('+', first_plus + 1);
  if (second_plus == std::string_view::npos) return std::nullopt;
  return KeyParts{text.substr(0, first_plus), text.substr(first_plus + 1, second_plus - first_plus - 1),
                  text.substr(second_plus + 1)};
}

// base64(0x01 || 32 bytes) -> the 32 bytes.
std::optional<std::array<uint8_t, 32>> ParseAlgorithmKey(std::string_view key_base64) {
  std::optional<std::string> bytes = Base64Decode(key_base64);
  std::array<uint8_t, 32> key;
  if (!bytes.has_value() || bytes->size() != 1 + key.size()) return std::nullopt;
  if (static_cast<uint8_t>((*bytes)[0]) != kAlgEd25519) return std::nullopt;
  std::memcpy(key.data(), bytes->data() + 1, key.size());
  return key;
}

std::string_view Bytes(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

std::string KeyLabel(const ParsedVerifierKey& key) { return key.name + "+" + KeyIdHex(key.key_id); }

}  // namespace

uint32_t KeyId(std::string_view name, const PublicKey& key) {
  assert(IsKeyName(name));
  std::string preimage;
  preimage.reserve(name.size() + 2 + key.size());
  preimage.append(name);
  preimage.push_back('\n');
  preimage.push_back(static_cast<char>(kAlgEd25519));
  preimage.append(Bytes(key.data(), key.size()));
  const Hash digest = Sha256(preimage);
  return uint32_t{digest[0]} << 24 | uint32_t{digest[1]} << 16 | uint32_t{digest[2]} << 8 | digest[3];
}

std::string VerifierKey(std::string_view name, const PublicKey& key) {
  assert(IsKeyName(name));
  std::string algorithm_key(1, static_cast<char>(kAlgEd25519));
  algorithm_key.append(Bytes(key.data(), key.size()));
  return std::string(name) + "+" + KeyIdHex(KeyId(name, key)) + "+" + Base64Encode(algorithm_key);
}

rf::Result<ParsedVerifierKey> ParseVerifierKey(std::string_view verifier_key) {
  std::optional<KeyParts> parts = SplitKey(verifier_key);
  if (!parts.has_value()) {
    return rf::Status::InvalidInput("the verifier key is not of the form <name>+<key id>+<key>");
  }
  if (!IsKeyName(parts->name)) return rf::Status::InvalidInput("the verifier key's name is empty or has a space");
  std::optional<uint32_t> key_id = ParseKeyIdHex(parts->key_id_hex);
  if (!key_id.has_value()) return rf::Status::InvalidInput("the verifier key's id is not 8 lowercase hex digits");
  std::optional<PublicKey> key = ParseAlgorithmKey(parts->key_base64);
  if (!key.has_value()) return rf::Status::InvalidInput("the verifier key is not a base64 Ed25519 public key");
  if (KeyId(parts->name, *key) != *key_id) {
    return rf::Status::InvalidInput("the verifier key's id does not match its name and key");
  }
  return ParsedVerifierKey{std::string(parts->name), *key_id, *key};
}

std::string SignNote(std::string_view text, std::string_view name, const SigningKey& key) {
  assert(!text.empty() && text.back() == '\n');
  assert(IsNoteText(text));
  assert(IsKeyName(name));
  const uint32_t key_id = KeyId(name, key.public_key());
  const Signature signature = key.Sign(text);
  std::array<uint8_t, kKeyIdBytes + 64> blob;
  for (size_t i = 0; i < kKeyIdBytes; ++i) blob[i] = static_cast<uint8_t>(key_id >> (24 - 8 * i));
  std::memcpy(blob.data() + kKeyIdBytes, signature.data(), signature.size());

  std::string note;
  note.reserve(text.size() + name.size() + 128);
  note.append(text);
  note.push_back('\n');
  note.append(kSignaturePrefix);
  note.append(name);
  note.push_back(' ');
  note.append(Base64Encode(Bytes(blob.data(), blob.size())));
  note.push_back('\n');
  assert(note.starts_with(text) && note.back() == '\n');
  return note;
}

rf::Result<std::string> OpenNote(std::string_view note, const ParsedVerifierKey& key) {
  if (note.size() > kNoteBytesMax) return rf::Status::Tampered("the signed note is larger than any note we write");
  if (!IsNoteText(note)) {
    return rf::Status::Tampered("the signed note is not plain UTF-8 text (it has a control character or bad byte)");
  }
  const size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return rf::Status::Tampered("the signed note has no blank line before its signatures");
  }
  const std::string_view text = note.substr(0, split + 1);
  std::string_view signatures = note.substr(split + 2);
  if (signatures.empty() || signatures.back() != '\n') {
    return rf::Status::Tampered("the signed note's signature block is empty or does not end in a newline");
  }

  size_t lines = 0;
  size_t verified = 0;
  while (!signatures.empty()) {
    if (++lines > kNoteSignaturesMax) return rf::Status::Tampered("the signed note has too many signature lines");
    const size_t newline = signatures.find('\n');
    assert(newline != std::string_view::npos);  // The block ends in '\n'.
    std::string_view line = signatures.substr(0, newline);
    signatures.remove_prefix(newline + 1);

    if (!line.starts_with(kSignaturePrefix)) {
      return rf::Status::Tampered("signature line " + std::to_string(lines) +
                                  " of the note does not start with \"— \"");
    }
    line.remove_prefix(kSignaturePrefix.size());
    const size_t space = line.find(' ');
    const std::string_view name = line.substr(0, space);
    const std::string_view blob_base64 = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    std::optional<std::string> blob = Base64Decode(blob_base64);
    if (!IsKeyName(name) || blob_base64.empty() || !blob.has_value() || blob->size() <= kKeyIdBytes) {
      return rf::Status::Tampered("signature line " + std::to_string(lines) + " of the note is malformed");
    }
    const auto* blob_bytes = reinterpret_cast<const uint8_t*>(blob->data());
    const uint32_t key_id =
        uint32_t{blob_bytes[0]} << 24 | uint32_t{blob_bytes[1]} << 16 | uint32_t{blob_bytes[2]} << 8 | blob_bytes[3];
    if (name != key.name || key_id != key.key_id) continue;  // Another key's signature: not ours to judge.

    Signature signature;
    if (blob->size() != kKeyIdBytes + signature.size()) {
      return rf::Status::Tampered("the signature by " + KeyLabel(key) + " has the wrong length");
    }
    std::memcpy(signature.data(), blob_bytes + kKeyIdBytes, signature.size());
    if (!VerifySignature(key.key, text, signature)) {
      return rf::Status::Tampered("the signature by " + KeyLabel(key) + " does not match the note's text");
    }
    ++verified;
  }
  assert(lines >= 1 && verified <= lines);
  if (verified == 0) return rf::Status::Tampered("the note carries no signature by " + KeyLabel(key));
  return std::string(text);
}

rf::Result<SigningKey> SigningKeyFromNoteSkey(std::string_view skey) {
  if (!skey.starts_with(kSkeyPrefix)) {
    return rf::Status::InvalidInput("the note signing key does not start with PRIVATE+KEY+");
  }
  std::optional<KeyParts> parts = SplitKey(skey.substr(kSkeyPrefix.size()));
  if (!parts.has_value()) {
    return rf::Status::InvalidInput("the note signing key is not of the form PRIVATE+KEY+<name>+<key id>+<key>");
  }
  if (!IsKeyName(parts->name)) return rf::Status::InvalidInput("the note signing key's name is empty or has a space");
  std::optional<uint32_t> key_id = ParseKeyIdHex(parts->key_id_hex);
  if (!key_id.has_value()) return rf::Status::InvalidInput("the note signing key's id is not 8 lowercase hex digits");
  std::optional<PrivateSeed> seed = ParseAlgorithmKey(parts->key_base64);
  if (!seed.has_value()) return rf::Status::InvalidInput("the note signing key is not a base64 Ed25519 private key");
  rf::Result<SigningKey> key = SigningKey::FromSeed(*seed);
  if (!key.ok()) return key.status();
  if (KeyId(parts->name, key->public_key()) != *key_id) {
    return rf::Status::InvalidInput("the note signing key's id does not match its name and key");
  }
  return key;
}

}  // namespace rf::crypto
