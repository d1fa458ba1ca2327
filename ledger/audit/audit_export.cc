#include "ledger/audit/audit_export.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "crypto/base64.h"
#include "crypto/ed25519.h"
#include "crypto/note.h"
#include "crypto/sha256_stream.h"
#include "ledger/verify/audit_pack.h"
#include "ledger/storage/lmdb_env.h"
#include "ledger/storage/stored_form.h"

namespace rf {
namespace {

// A file being written, hashed as it goes for the manifest.
class PackFile {
 public:
  static Result<std::unique_ptr<PackFile>> Create(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "wbx");
    if (f == nullptr) return Status::Io(path + ": cannot create: " + std::strerror(errno));
    return std::unique_ptr<PackFile>(new PackFile(f, path));
  }
  ~PackFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  void Write(std::string_view bytes) {
    hash_.Update(bytes);
    bytes_ += bytes.size();
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size() && error_.empty()) {
      error_ = std::strerror(errno);
    }
  }
  // Flushes, fsyncs and closes; returns the manifest record.
  Result<nlohmann::json> Close() {
    assert(file_ != nullptr);
    if (std::fflush(file_) != 0 && error_.empty()) error_ = std::strerror(errno);
    if (::fsync(::fileno(file_)) != 0 && error_.empty()) error_ = std::strerror(errno);
    if (std::fclose(file_) != 0 && error_.empty()) error_ = std::strerror(errno);
    file_ = nullptr;
    if (!error_.empty()) return Status::Io(path_ + ": write failed: " + error_);
    return nlohmann::json{{"sha256", crypto::ToHex(hash_.Finish())}, {"bytes", bytes_}};
  }

 private:
  PackFile(FILE* f, std::string path) : file_(f), path_(std::move(path)) {}
  FILE* file_;
  std::string path_;
  crypto::Sha256Stream hash_;
  uint64_t bytes_ = 0;
  std::string error_;
};

Status WriteSmall(const std::string& dir, const std::string& name, std::string_view contents, nlohmann::json* files) {
  auto file = PackFile::Create(dir + "/" + name);
  if (!file.ok()) return file.status();
  (*file)->Write(contents);
  auto record = (*file)->Close();
  if (!record.ok()) return record.status();
  (*files)[name] = *record;
  return Status::Ok();
}

Result<ExportReport> WritePack(const Journal& journal, const std::string& dir) {
  auto txn = LmdbTxn::Begin(journal.env(), /*read_only=*/true);
  if (!txn.ok()) return txn.status();
  nlohmann::json files = nlohmann::json::object();
  ExportReport report;

  // The journal, streamed from the snapshot.
  {
    auto file = PackFile::Create(dir + "/" + kPackJournal);
    if (!file.ok()) return file.status();
    auto cursor = LmdbCursor::Open(*txn, journal.dbs().entries);
    if (!cursor.ok()) return cursor.status();
    StoredDecoder decoder;
    for (auto more = cursor->Seek(std::nullopt);; more = cursor->Next()) {
      if (!more.ok()) return more.status();
      if (!*more) break;
      assert(cursor->key() == report.entries + 1);
      auto line = decoder.Decode(cursor->value());
      if (!line.ok()) return line.status().WithContext("entry " + std::to_string(cursor->key()) + ": ");
      (*file)->Write(*line);
      (*file)->Write("\n");
      ++report.entries;
    }
    auto record = (*file)->Close();
    if (!record.ok()) return record.status();
    files[kPackJournal] = *record;
  }

  // Checkpoints: every one but the latest under checkpoints/, the latest
  // as `checkpoint`. Holding one note back keeps memory bounded.
  const std::string checkpoints_dir = dir + "/" + kPackCheckpointsDir;
  if (::mkdir(checkpoints_dir.c_str(), 0755) != 0) {
    return Status::Io(checkpoints_dir + ": cannot create: " + std::strerror(errno));
  }
  std::string latest_note;
  uint64_t latest_size = 0;
  {
    auto cursor = LmdbCursor::Open(*txn, journal.dbs().checkpoints);
    if (!cursor.ok()) return cursor.status();
    for (auto more = cursor->Seek(std::nullopt);; more = cursor->Next()) {
      if (!more.ok()) return more.status();
      if (!*more) break;
      if (latest_size > 0) {
        const std::string name = std::string(kPackCheckpointsDir) + "/" + PackCheckpointName(latest_size);
        RF_RETURN_IF_ERROR(WriteSmall(dir, name, latest_note, &files));
      }
      latest_size = cursor->key();
      latest_note = std::string(cursor->value());
      ++report.checkpoints;
    }
  }
  if (latest_size != report.entries) {
    return Status::Tampered("the latest checkpoint (size " + std::to_string(latest_size) +
                            ") does not cover the journal's " + std::to_string(report.entries) +
                            " entries; run `ringfence verify`");
  }
  RF_RETURN_IF_ERROR(WriteSmall(dir, kPackCheckpoint, latest_note, &files));

  const auto& key = journal.verifier_key();
  RF_RETURN_IF_ERROR(WriteSmall(dir, kPackPublicKey, crypto::PublicKeyPem(key.key), &files));
  RF_RETURN_IF_ERROR(WriteSmall(dir, kPackVerifierKey, crypto::VerifierKey(key.name, key.key) + "\n", &files));

  nlohmann::json manifest = {
      {"format", kPackFormat},
      {"org", journal.org()},
      {"origin", journal.origin()},
      {"tree_size", report.entries},
      {"checkpoints", report.checkpoints},
      {"files", files},
  };
  auto manifest_file = PackFile::Create(dir + "/" + kPackManifest);
  if (!manifest_file.ok()) return manifest_file.status();
  (*manifest_file)->Write(manifest.dump(2) + "\n");
  auto closed = (*manifest_file)->Close();
  if (!closed.ok()) return closed.status();
  return report;
}

}  // namespace

Result<ExportReport> ExportAuditPack(const Journal& journal, const std::string& out_dir) {
  std::error_code ec;
  if (out_dir.empty()) return Status::InvalidInput("--out: a directory to create is required");
  if (std::filesystem::exists(out_dir, ec)) {
    return Status::Refused("--out: " + out_dir + " already exists; an audit pack is written to a new directory");
  }
  const std::string partial = out_dir + ".partial-" + std::to_string(::getpid());
  if (::mkdir(partial.c_str(), 0755) != 0) {
    return Status::Io(partial + ": cannot create: " + std::strerror(errno));
  }
  auto report = WritePack(journal, partial);
  if (!report.ok()) {
    std::filesystem::remove_all(partial, ec);
    return report.status();
  }
  if (::rename(partial.c_str(), out_dir.c_str()) != 0) {
    const std::string error = std::strerror(errno);
    std::filesystem::remove_all(partial, ec);
    return Status::Io(out_dir + ": cannot move the finished pack into place: " + error);
  }
  return report;
}

}  // namespace rf
