#include "ledger/verify/audit_pack.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/checkpoint.h"
#include "crypto/ed25519.h"
#include "crypto/note.h"
#include "crypto/sha256_stream.h"
#include "ledger/verify/journal_verifier.h"
#include "crypto/small_file.h"

namespace rf {
namespace {

namespace fs = std::filesystem;

// Reads a small pack file whole. In a pack, an absent file is missing from
// the pack and an oversized one is tampering.
Result<std::string> ReadBounded(const fs::path& path, size_t bytes_max) {
  auto text = ReadSmallFile(path.string(), bytes_max);
  if (text.ok()) return text;
  if (text.status().code() == Status::Code::kNotFound) {
    return Status::NotFound(path.string() + ": missing from the pack");
  }
  if (text.status().code() == Status::Code::kInvalidInput) return Status::Tampered(text.status().message());
  return text.status();
}

// Reads lines of at most kCanonicalLineBytesMax bytes, each ending in '\n'.
class LineReader {
 public:
  explicit LineReader(FILE* f) : f_(f), buffer_(kBufferBytes) {}
  // Returns false at a clean end of file; a last line without '\n' or an
  // over-long line is an error.
  Result<bool> Next(std::string* line) {
    line->clear();
    while (true) {
      if (begin_ == end_) {
        const size_t n = std::fread(buffer_.data(), 1, buffer_.size(), f_);
        if (n == 0) {
          if (std::ferror(f_)) return Status::Io("read failed");
          if (line->empty()) return false;
          return Status::Tampered("the last line does not end with a newline (truncated)");
        }
        begin_ = 0;
        end_ = n;
      }
      const char* start = buffer_.data() + begin_;
      const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
      const size_t take = newline != nullptr ? static_cast<size_t>(newline - start) : end_ - begin_;
      line->append(start, take);
      if (line->size() > kCanonicalLineBytesMax) {
        return Status::Tampered("a line is longer than " + std::to_string(kCanonicalLineBytesMax) + " bytes");
      }
      begin_ += take;
      if (newline != nullptr) {
        ++begin_;
        return true;
      }
    }
  }

 private:
  static constexpr size_t kBufferBytes = 1 << 20;  // 1 MiB of the journal at a time
  FILE* f_;
  std::vector<char> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

Result<crypto::ParsedVerifierKey> ReadPackKeys(const fs::path& dir, const std::optional<std::string>& pinned) {
  auto pem = ReadBounded(dir / kPackPublicKey, kPackSmallFileBytesMax);
  if (!pem.ok()) return pem.status();
  const auto public_key = crypto::PublicKeyFromPem(*pem);
  if (!public_key) return Status::Tampered(std::string(kPackPublicKey) + ": not an Ed25519 public key in PEM form");
  auto vkey_text = ReadBounded(dir / kPackVerifierKey, kPackSmallFileBytesMax);
  if (!vkey_text.ok()) return vkey_text.status();
  std::string_view vkey_view = *vkey_text;
  if (!vkey_view.empty() && vkey_view.back() == '\n') vkey_view.remove_suffix(1);
  auto vkey = crypto::ParseVerifierKey(vkey_view);
  if (!vkey.ok()) return Status::Tampered(std::string(kPackVerifierKey) + ": " + vkey.status().message());
  if (vkey->key != *public_key) {
    return Status::Tampered(std::string(kPackVerifierKey) + " and " + kPackPublicKey + " hold different keys");
  }
  if (pinned) {
    std::string_view text = *pinned;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    std::optional<crypto::PublicKey> trusted = crypto::PublicKeyFromPem(*pinned);
    if (!trusted) {
      auto parsed = crypto::ParseVerifierKey(text);
      if (!parsed.ok()) return Status::InvalidInput("--key: neither a public key PEM nor a verifier key");
      trusted = parsed->key;
    }
    if (*trusted != vkey->key) {
      return Status::Tampered("the pack is signed with key " + crypto::VerifierKey(vkey->name, vkey->key) +
                              ", not the key you trust");
    }
  }
  return vkey;
}

// Sizes of the earlier checkpoints, from checkpoints/ file names.
Result<std::vector<uint64_t>> ListCheckpointSizes(const fs::path& dir) {
  std::vector<uint64_t> sizes;
  std::error_code ec;
  const fs::path sub = dir / kPackCheckpointsDir;
  if (!fs::is_directory(sub, ec)) return Status::Tampered(std::string(kPackCheckpointsDir) + "/: missing from the pack");
  for (const auto& item : fs::directory_iterator(sub, ec)) {
    const std::string name = item.path().filename().string();
    const bool digits = name.size() == kPackCheckpointNameDigits &&
                        std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || !item.is_regular_file()) {
      return Status::Tampered(std::string(kPackCheckpointsDir) + "/" + name +
                              ": not a checkpoint (names are 12-digit tree sizes)");
    }
    sizes.push_back(std::stoull(name));
  }
  if (ec) return Status::Io(sub.string() + ": " + ec.message());
  std::sort(sizes.begin(), sizes.end());
  return sizes;
}

// The manifest is unsigned, so it is checked strictly: exactly the members
// the exporter writes, and exactly one record for every file in the pack.
Status CheckManifestShape(const nlohmann::json& manifest) {
  static const std::set<std::string> kMembers = {"checkpoints", "files", "format", "org", "origin", "tree_size"};
  if (!manifest.is_object()) return Status::Tampered(std::string(kPackManifest) + ": not a JSON object");
  std::set<std::string> seen;
  for (auto it = manifest.begin(); it != manifest.end(); ++it) seen.insert(it.key());
  if (seen != kMembers) {
    return Status::Tampered(std::string(kPackManifest) +
                            ": expected exactly checkpoints, files, format, org, origin, tree_size");
  }
  if (manifest.at("format") != kPackFormat || !manifest.at("origin").is_string() || !manifest.at("org").is_string() ||
      !manifest.at("files").is_object() || !manifest.at("tree_size").is_number_unsigned() ||
      !manifest.at("checkpoints").is_number_unsigned()) {
    return Status::Tampered(std::string(kPackManifest) + ": not a " + kPackFormat + " manifest");
  }
  return Status::Ok();
}

Status CheckManifestFiles(const fs::path& dir, const nlohmann::json& files, const std::vector<uint64_t>& sizes) {
  std::set<std::string> expected = {kPackJournal, kPackCheckpoint, kPackPublicKey, kPackVerifierKey};
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    expected.insert(std::string(kPackCheckpointsDir) + "/" + PackCheckpointName(sizes[i]));
  }
  std::set<std::string> listed;
  for (auto it = files.begin(); it != files.end(); ++it) listed.insert(it.key());
  if (listed != expected) {
    return Status::Tampered(std::string(kPackManifest) + ": its file list does not match the files in the pack");
  }
  for (auto it = files.begin(); it != files.end(); ++it) {
    const std::string& name = it.key();
    const nlohmann::json& record = *it;
    if (!record.is_object() || record.size() != 2 || !record.contains("sha256") || !record.contains("bytes") ||
        !record.at("sha256").is_string() || !record.at("bytes").is_number_unsigned()) {
      return Status::Tampered(std::string(kPackManifest) + ": the record for " + name + " is malformed");
    }
    FILE* f = std::fopen((dir / name).c_str(), "rb");
    if (f == nullptr) return Status::Tampered(name + ": listed in manifest.json but missing");
    crypto::Sha256Stream hash;
    uint64_t bytes = 0;
    char buffer[65536];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) {
      hash.Update(std::string_view(buffer, n));
      bytes += n;
    }
    std::fclose(f);
    if (bytes != record.at("bytes").get<uint64_t>() || crypto::ToHex(hash.Finish()) != record.at("sha256")) {
      return Status::Tampered(name + ": does not match its SHA-256 in manifest.json");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string PackCheckpointName(uint64_t tree_size) {
  char name[32];
  std::snprintf(name, sizeof(name), "%0*llu", kPackCheckpointNameDigits, static_cast<unsigned long long>(tree_size));
  return name;
}

Result<PackVerifyReport> VerifyAuditPack(const std::string& dir_text, const std::optional<std::string>& pinned_key) {
  const fs::path dir(dir_text);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound(dir_text + ": not a directory");

  auto manifest_text = ReadBounded(dir / kPackManifest, kPackManifestBytesMax);
  if (!manifest_text.ok()) return manifest_text.status();
  const auto manifest = nlohmann::json::parse(*manifest_text, nullptr, /*allow_exceptions=*/false);
  RF_RETURN_IF_ERROR(CheckManifestShape(manifest));
  const std::string origin = manifest.at("origin");

  auto key = ReadPackKeys(dir, pinned_key);
  if (!key.ok()) return key.status();
  if (key->name != origin) {
    return Status::Tampered("the key is named \"" + key->name + "\" but the pack's origin is \"" + origin + "\"");
  }

  auto sizes = ListCheckpointSizes(dir);
  if (!sizes.ok()) return sizes.status();
  auto latest_note = ReadBounded(dir / kPackCheckpoint, kPackSmallFileBytesMax);
  if (!latest_note.ok()) return latest_note.status();
  {
    auto text = crypto::OpenNote(*latest_note, *key);
    if (!text.ok()) return Status::Tampered("checkpoint: signature does not verify (" + text.status().message() + ")");
    auto checkpoint = crypto::ParseCheckpointText(*text);
    if (!checkpoint.ok()) return Status::Tampered("checkpoint: " + checkpoint.status().message());
    if (!sizes->empty() && checkpoint->size <= sizes->back()) {
      return Status::Tampered("checkpoint: its size " + std::to_string(checkpoint->size) +
                              " is not after the earlier checkpoints");
    }
    sizes->push_back(checkpoint->size);
  }

  FILE* journal = std::fopen((dir / kPackJournal).c_str(), "rb");
  if (journal == nullptr) return Status::NotFound(std::string(kPackJournal) + ": missing from the pack");
  JournalVerifier verifier(*key, origin);
  LineReader lines(journal);
  std::string line;
  size_t next = 0;  // index into *sizes
  Status status;
  while (status.ok()) {
    auto more = lines.Next(&line);
    if (!more.ok()) {
      status = Status::Tampered("entry " + std::to_string(verifier.size() + 1) + ": " + more.status().message());
      break;
    }
    if (!*more) break;
    status = verifier.AddLine(line, nullptr);
    while (status.ok() && next < sizes->size() && (*sizes)[next] == verifier.size()) {
      const bool is_latest = next + 1 == sizes->size();
      if (is_latest) {
        status = verifier.CheckCheckpoint(*latest_note);
      } else {
        const fs::path path = dir / kPackCheckpointsDir / PackCheckpointName((*sizes)[next]);
        auto note = ReadBounded(path, kPackSmallFileBytesMax);
        status = note.ok() ? verifier.CheckCheckpoint(*note) : note.status();
      }
      ++next;
    }
  }
  std::fclose(journal);
  if (!status.ok()) return status.WithContext(std::string(kPackJournal) + ": ");
  if (next < sizes->size()) {
    return Status::Tampered(std::string(kPackJournal) + ": holds " + std::to_string(verifier.size()) +
                            " entries, but a signed checkpoint covers " + std::to_string((*sizes)[next]) +
                            " (entries were dropped from the end)");
  }
  if (verifier.size() != sizes->back()) {
    return Status::Tampered("entry " + std::to_string(sizes->back() + 1) + ": not covered by the signed checkpoint");
  }
  if (manifest.at("org") != verifier.org()) {
    return Status::Tampered(std::string(kPackManifest) + ": org does not match the ledger.init entry");
  }
  if (manifest.at("tree_size").get<uint64_t>() != verifier.size() ||
      manifest.at("checkpoints").get<uint64_t>() != verifier.checkpoints_checked()) {
    return Status::Tampered(std::string(kPackManifest) + ": tree_size or checkpoints do not match the journal");
  }
  RF_RETURN_IF_ERROR(CheckManifestFiles(dir, manifest.at("files"), *sizes));

  PackVerifyReport report;
  report.org = manifest.at("org");
  report.origin = origin;
  report.verifier_key = crypto::VerifierKey(key->name, key->key);
  report.entries = verifier.size();
  report.checkpoints = verifier.checkpoints_checked();
  report.root = verifier.root();
  assert(report.checkpoints == sizes->size());
  return report;
}

}  // namespace rf
