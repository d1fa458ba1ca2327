#include "crypto/checkpoint.h"

#include <cassert>
#include <optional>

#include "crypto/base64.h"

namespace rf::crypto {
namespace {

// Checkpoints are small; the bound keeps a hostile file from costing more.
constexpr size_t kCheckpointBytesMax = 64 * 1024;
// UINT64_MAX has 20 decimal digits.
constexpr size_t kSizeDigitsMax = 20;

bool HasControlCharacter(std::string_view line) {
  for (char c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::optional<uint64_t> ParseDecimal(std::string_view digits) {
  if (digits.empty() || digits.size() > kSizeDigitsMax) return std::nullopt;
  if (digits.size() > 1 && digits[0] == '0') return std::nullopt;
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  assert(std::to_string(value) == digits);
  return value;
}

}  // namespace

std::string CheckpointText(const Checkpoint& checkpoint) {
  assert(!checkpoint.origin.empty() && !HasControlCharacter(checkpoint.origin));
  std::string text =
      checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
      Base64Encode(std::string_view(reinterpret_cast<const char*>(checkpoint.root.data()), checkpoint.root.size())) +
      "\n";
  assert(text.back() == '\n');
  return text;
}

rf::Result<Checkpoint> ParseCheckpointText(std::string_view text) {
  if (text.size() > kCheckpointBytesMax) return rf::Status::Tampered("the checkpoint is larger than any we write");
  if (text.empty() || text.back() != '\n') return rf::Status::Tampered("the checkpoint does not end in a newline");

  Checkpoint checkpoint;
  size_t line_number = 0;
  std::string_view rest = text;
  // Each pass consumes at least one byte (the '\n'), so the loop is bounded
  // by the text size.
  while (!rest.empty()) {
    ++line_number;
    const size_t newline = rest.find('\n');
    assert(newline != std::string_view::npos);
    const std::string_view line = rest.substr(0, newline);
    rest.remove_prefix(newline + 1);
    if (line.empty()) {
      return rf::Status::Tampered("checkpoint line " + std::to_string(line_number) + " is empty");
    }
    if (HasControlCharacter(line)) {
      return rf::Status::Tampered("checkpoint line " + std::to_string(line_number) + " has a control character");
    }
    if (line_number == 1) {
      checkpoint.origin = std::string(line);
    } else if (line_number == 2) {
      std::optional<uint64_t> size = ParseDecimal(line);
      if (!size.has_value()) {
        return rf::Status::Tampered("the checkpoint's tree size is not a decimal number without leading zeros");
      }
      checkpoint.size = *size;
    } else if (line_number == 3) {
      std::optional<Hash> root = HashFromBase64(line);
      if (!root.has_value()) return rf::Status::Tampered("the checkpoint's root hash is not base64 of 32 bytes");
      checkpoint.root = *root;
    }
    // Later lines are extensions: allowed, not interpreted.
  }
  if (line_number < 3) return rf::Status::Tampered("the checkpoint has fewer than three lines");
  assert(!checkpoint.origin.empty());
  return checkpoint;
}

}  // namespace rf::crypto
