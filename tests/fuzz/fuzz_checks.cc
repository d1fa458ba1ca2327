#include "tests/fuzz/fuzz_checks.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "crypto/checkpoint.h"
#include "crypto/ed25519.h"
#include "crypto/note.h"
#include "crypto/sha256.h"
#include "ingest/post_file.h"
#include "ledger/verify/audit_pack.h"
#include "ledger/core/canonical_json.h"
#include "ledger/core/date.h"
#include "ledger/core/entry.h"
#include "ledger/verify/journal_verifier.h"
#include "ledger/core/money.h"
#include "ledger/verify/proof_json.h"
#include "ledger/core/stored_record.h"

namespace rf::fuzz {

namespace {

bool IsExpectedFailure(const Status& status) {
  return !status.ok() && (status.code() == Status::Code::kInvalidInput || status.code() == Status::Code::kTampered ||
                          status.code() == Status::Code::kNotFound || status.code() == Status::Code::kIo);
}

// --- amount: Pence::Parse -------------------------------------------------

// An independent reading of the grammar in money.h, for the differential.
std::optional<int64_t> ReferenceAmountPence(std::string_view text) {
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  const size_t point = text.find('.');
  const std::string_view pounds = text.substr(0, point);
  const std::string_view decimals = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  const auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (pounds.empty() || pounds.size() > kAmountPoundsDigitsMax || !digits(pounds)) return std::nullopt;
  if (pounds.size() > 1 && pounds[0] == '0') return std::nullopt;
  if (point != std::string_view::npos && (decimals.empty() || decimals.size() > 2 || !digits(decimals))) {
    return std::nullopt;
  }
  int64_t pence = std::stoll(std::string(pounds)) * 100;
  if (decimals.size() == 1) pence += (decimals[0] - '0') * 10;
  if (decimals.size() == 2) pence += (decimals[0] - '0') * 10 + (decimals[1] - '0');
  return negative ? -pence : pence;
}

}  // namespace

std::string CheckAmount(std::string_view text) {
  const Result<Pence> parsed = Pence::Parse(text, "amount");
  const std::optional<int64_t> reference = ReferenceAmountPence(text);
  if (!parsed.ok()) {
    if (parsed.status().code() != Status::Code::kInvalidInput) return "a refusal that is not InvalidInput";
    if (parsed.status().message().find("amount") == std::string::npos) return "a refusal that does not name the field";
    if (reference.has_value()) return "refused an amount the grammar allows: " + parsed.status().message();
    return "";
  }
  if (!reference.has_value()) return "accepted an amount the grammar refuses";
  const Result<int64_t> pence = parsed->ToInt64();
  if (!pence.ok() || *pence != *reference) return "read a different value from the reference reading";
  const std::string canonical = parsed->ToDecimal();
  const Result<Pence> again = Pence::Parse(canonical, "amount");
  if (!again.ok() || *again != *parsed) return "ToDecimal() does not parse back to the same amount: " + canonical;
  if (again->ToDecimal() != canonical) return "ToDecimal() is not stable";
  if (parsed->ToPounds().empty()) return "ToPounds() is empty";
  return "";
}

// --- stored_record: the flat form of invoice records -------------------------

std::string CheckStoredRecord(std::string_view input) {
  if (input.size() > kCanonicalLineBytesMax) return "";
  std::string flat(FlatRecordBytesMax(input.size()), '\0');
  const size_t written = EncodeFlatRecord(input, flat.data());
  if (written > FlatRecordBytesMax(input.size())) return "a flat form longer than its bound";
  std::string text;
  if (written > 0) {
    flat.resize(written);
    const Status read = DecodeFlatRecord(flat, &text);
    if (!read.ok()) return "a flat form written does not read back: " + read.message();
    if (text != input) return "a flat form reads back as other text";
  }
  // The input as a stored value.
  const std::string stored = std::string(1, kFlatRecordByte) + std::string(input);
  const Status read = DecodeFlatRecord(stored, &text);
  if (!read.ok()) {
    if (read.code() != Status::Code::kTampered) return "a damaged flat form refused as other than Tampered";
    return "";
  }
  if (text.size() > kCanonicalLineBytesMax) return "a flat form read back past the line bound";
  std::string again(FlatRecordBytesMax(text.size()), '\0');
  const size_t again_bytes = EncodeFlatRecord(text, again.data());
  if (again_bytes == 0) return "what a flat form reads as has no flat form";
  again.resize(again_bytes);
  std::string text_again;
  if (!DecodeFlatRecord(again, &text_again).ok() || text_again != text) return "a read flat form does not round-trip";
  return "";
}

// --- date: Date::Parse, ParseMonth, ParseUtcTimestamp ---------------------

std::string CheckDate(std::string_view text) {
  const Result<Date> date = Date::Parse(text, "effective");
  if (date.ok()) {
    if (date->ToIso() != text) return "an accepted date is not its own ISO form";
    if (date->year() < kDateYearMin || date->year() > kDateYearMax) return "accepted a year out of bounds";
  } else if (date.status().code() != Status::Code::kInvalidInput) {
    return "a date refusal that is not InvalidInput";
  }
  const Result<Month> month = ParseMonth(text, "month");
  if (month.ok()) {
    if (month->ToString() != text) return "an accepted month is not its own form";
    if (month->first_day() > month->last_day()) return "a month ends before it starts";
  } else if (month.status().code() != Status::Code::kInvalidInput) {
    return "a month refusal that is not InvalidInput";
  }
  const auto time = ParseUtcTimestamp(text, "recorded");
  if (time.ok()) {
    if (UtcTimestamp(*time) != text) return "an accepted timestamp is not its own form";
  } else if (time.status().code() != Status::Code::kInvalidInput) {
    return "a timestamp refusal that is not InvalidInput";
  }
  return "";
}

// --- canonical JSON: ScanCanonicalObject against Canonicalize ------------

std::string CheckCanonicalJson(std::string_view text) {
  std::vector<ScannedMember> members;
  const Status scanned = ScanCanonicalObject(text, &members);
  if (scanned.ok()) {
    // canonical_json.h: the scanner accepts exactly what Canonicalize
    // produces, so an accepted line re-canonicalizes to itself.
    const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) return "the scanner accepted what is not a JSON object";
    if (doc.size() != members.size()) return "the scanner found a different number of members";
    for (const ScannedMember& m : members) {
      const std::string key = UnescapeCanonicalString("\"" + std::string(m.key) + "\"");
      if (!doc.contains(key)) return "a scanned key is not in the document";
    }
    const Result<std::string> again = Canonicalize(doc);
    if (!again.ok()) return "the scanner accepted what Canonicalize refuses: " + again.status().message();
    if (*again != text) return "the scanner accepted a line that re-canonicalizes to other bytes";
  } else if (scanned.code() != Status::Code::kInvalidInput) {
    return "a scan refusal that is not InvalidInput";
  }

  // The other direction: whatever Canonicalize produces, the scanner accepts,
  // and canonicalizing is idempotent.
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return "";
  const nlohmann::json wrapped = {{"v", doc}};
  const Result<std::string> canonical = Canonicalize(wrapped);
  if (!canonical.ok()) {
    if (canonical.status().code() != Status::Code::kInvalidInput) return "a Canonicalize refusal not InvalidInput";
    return "";
  }
  if (!IsValidUtf8(*canonical)) return "Canonicalize produced invalid UTF-8";
  if (canonical->size() > kCanonicalLineBytesMax) return "";
  const Status rescanned = ScanCanonicalObject(*canonical, &members);
  if (!rescanned.ok()) return "the scanner refuses Canonicalize's output: " + rescanned.message();
  const auto reparsed = nlohmann::json::parse(*canonical, nullptr, /*allow_exceptions=*/false);
  const Result<std::string> twice = Canonicalize(reparsed);
  if (!twice.ok() || *twice != *canonical) return "Canonicalize is not idempotent";
  return "";
}

// --- journal lines: ScanEntryHeader, ParseEntryLine ----------------------

std::string CheckEntryLine(std::string_view line) {
  std::vector<ScannedMember> scratch;
  const Result<EntryHeader> header = ScanEntryHeader(line, &scratch);
  const Result<Entry> entry = ParseEntryLine(line);
  if (!header.ok() && header.status().code() != Status::Code::kInvalidInput) return "a scan refusal not InvalidInput";
  if (!entry.ok()) {
    if (entry.status().code() != Status::Code::kInvalidInput) return "a parse refusal that is not InvalidInput";
    return "";
  }
  if (!header.ok()) return "ParseEntryLine accepted a line ScanEntryHeader refuses";
  if (header->seq != entry->seq || header->prev != entry->prev) return "the fast and full readers disagree";
  if (!ValidateDraft(entry->draft).ok()) return "a parsed entry fails ValidateDraft";
  // A line is canonical, so writing the parsed entry gives back its bytes.
  std::string written;
  const Status wrote = AppendEntryLine(*entry, &written);
  if (!wrote.ok()) return "a parsed entry cannot be written back: " + wrote.message();
  if (written != line) return "a parsed entry writes back as other bytes";
  return "";
}

// --- post files: ParsePostText --------------------------------------------

std::string CheckPostText(std::string_view text) {
  const auto drafts = ParsePostText(std::string(text), "fuzz.json", "fuzz.actor");
  if (!drafts.ok()) {
    if (drafts.status().code() != Status::Code::kInvalidInput) return "a refusal that is not InvalidInput";
    return "";
  }
  if (drafts->empty()) return "accepted a file with no entries";
  // Every accepted draft must become a journal line that reads back the same.
  for (const EntryDraft& draft : *drafts) {
    if (!ValidateDraft(draft).ok()) return "accepted a draft that fails ValidateDraft";
    if (draft.kind.rfind("ledger.", 0) == 0) return "accepted a reserved kind";
    if (draft.actor != "fuzz.actor") return "an entry's actor came from the file, not the command";
    std::string line;
    const Status wrote = AppendEntryLine(1, "2026-04-01T09:30:00.000000Z", kGenesisPrev, draft, &line);
    if (!wrote.ok()) {
      if (line.size() > kCanonicalLineBytesMax) continue;  // refused for length, as the journal would
      return "an accepted draft cannot be written: " + wrote.message();
    }
    const Result<Entry> back = ParseEntryLine(line);
    if (!back.ok()) return "a written draft does not read back: " + back.status().message();
    if (back->draft.kind != draft.kind || back->draft.actor != draft.actor || back->draft.source != draft.source ||
        back->draft.effective != draft.effective || back->draft.body_json != draft.body_json) {
      return "a written draft reads back different";
    }
  }
  return "";
}

// --- signed notes and checkpoints: OpenNote, ParseCheckpointText ---------

std::string CheckSignedNote(std::string_view input) {
  const size_t newline = input.find('\n');
  const std::string_view key_text = input.substr(0, newline);
  const std::string_view note = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  const auto key = crypto::ParseVerifierKey(key_text);
  if (key.ok() && crypto::VerifierKey(key->name, key->key) != key_text) return "a verifier key does not round-trip";
  if (const auto pem = crypto::PublicKeyFromPem(note)) {
    if (crypto::PublicKeyFromPem(crypto::PublicKeyPem(*pem)) != pem) return "a public key PEM does not round-trip";
  }

  const auto direct = crypto::ParseCheckpointText(note);
  if (direct.ok()) {
    const std::string text = crypto::CheckpointText(*direct);
    if (note.substr(0, text.size()) != text) return "a parsed checkpoint is not a prefix of its text";
  } else if (direct.status().code() != Status::Code::kTampered) {
    return "a checkpoint refusal that is not Tampered";
  }
  if (!key.ok()) return "";
  const auto opened = crypto::OpenNote(note, *key);
  if (!opened.ok()) {
    if (opened.status().code() != Status::Code::kTampered) return "a note refusal that is not Tampered";
    return "";
  }
  if (opened->empty() || opened->back() != '\n' || note.substr(0, opened->size()) != *opened) {
    return "an opened note's text is not the start of the note";
  }
  const auto checkpoint = crypto::ParseCheckpointText(*opened);
  if (!checkpoint.ok() && checkpoint.status().code() != Status::Code::kTampered) {
    return "a signed checkpoint refusal that is not Tampered";
  }
  return "";
}

// --- the journal verifier, in memory --------------------------------------

std::string CheckJournalVerifier(std::string_view input) {
  size_t newline = input.find('\n');
  const auto key = crypto::ParseVerifierKey(input.substr(0, newline));
  if (!key.ok()) return "";
  JournalVerifier verifier(*key, key->name);
  crypto::Hash last_leaf = kGenesisPrev;
  uint64_t checkpoints = 0;
  std::string line;
  constexpr std::string_view kPrev = "\"prev\":\"";
  while (newline != std::string_view::npos) {
    const size_t start = newline + 1;
    newline = input.find('\n', start);
    line.assign(input.substr(start, newline == std::string_view::npos ? std::string_view::npos : newline - start));
    Status status;
    if (!line.empty() && line[0] == '#') {
      std::string note = line.substr(1);
      std::replace(note.begin(), note.end(), '\t', '\n');
      status = verifier.CheckCheckpoint(note);
      if (status.ok() &&
          (++checkpoints != verifier.checkpoints_checked() || verifier.last_checkpoint_size() != verifier.size())) {
        return "a checkpoint was accepted but not counted";
      }
    } else {
      const size_t prev = line.find(kPrev);
      if (prev != std::string::npos && line.size() >= prev + kPrev.size() + 65 &&
          line[prev + kPrev.size() + 64] == '"') {
        line.replace(prev + kPrev.size(), 64, crypto::ToHex(last_leaf));
      }
      const uint64_t size_before = verifier.size();
      status = verifier.AddLine(line, nullptr);
      if (status.ok()) {
        last_leaf = crypto::LeafHash(line);
        if (verifier.size() != size_before + 1) return "an accepted line did not grow the tree by one";
      } else if (verifier.size() != size_before) {
        return "a refused line grew the tree";
      }
    }
    if (!status.ok()) {
      if (status.code() != Status::Code::kTampered) return "a verifier refusal that is not Tampered";
      return "";  // the readers stop at the first bad entry
    }
  }
  return "";
}

// --- proofs (inclusion or consistency), as ringfence-verify --proof reads them

std::string CheckProofJson(std::string_view input) {
  const size_t newline = input.find('\n');
  const auto key = crypto::ParseVerifierKey(input.substr(0, newline));
  if (!key.ok() || newline == std::string_view::npos) return "";
  const auto proof = nlohmann::json::parse(input.substr(newline + 1), nullptr, /*allow_exceptions=*/false);
  const Status checked = VerifyProofJson(proof, *key);
  if (!checked.ok() && !IsExpectedFailure(checked)) return "an unexpected status: " + checked.message();
  return "";
}

// --- the audit pack, as ringfence-verify reads it -------------------------

namespace {

std::map<std::string, std::string> SplitPackSections(std::string_view input) {
  std::map<std::string, std::string> files;
  constexpr std::string_view kHeader = "--- ";
  std::string* current = nullptr;
  size_t pos = 0;
  while (pos < input.size()) {
    size_t end = input.find('\n', pos);
    end = end == std::string_view::npos ? input.size() : end + 1;
    const std::string_view line = input.substr(pos, end - pos);
    pos = end;
    if (line.substr(0, kHeader.size()) == kHeader) {
      std::string_view name = line.substr(kHeader.size());
      if (!name.empty() && name.back() == '\n') name.remove_suffix(1);
      current = &files[std::string(name)];
      current->clear();
    } else if (current != nullptr) {
      current->append(line);
    }
  }
  return files;
}

bool IsPackFileName(const std::string& name) {
  if (name == kPackJournal || name == kPackCheckpoint || name == kPackPublicKey || name == kPackVerifierKey ||
      name == kPackManifest) {
    return true;
  }
  const std::string dir = std::string(kPackCheckpointsDir) + "/";
  if (name.rfind(dir, 0) != 0) return false;
  const std::string rest = name.substr(dir.size());
  return rest.size() <= 20 &&
         std::all_of(rest.begin(), rest.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); });
}

// One scratch directory per process, emptied before every input; on tmpfs
// when there is one, since the fuzzer writes it a thousand times a second.
const std::filesystem::path& PackScratchDir() {
  static const std::filesystem::path dir = [] {
    std::error_code ec;
    std::filesystem::path base = "/dev/shm";
    if (!std::filesystem::is_directory(base, ec) || ::access(base.c_str(), W_OK) != 0) {
      base = std::filesystem::temp_directory_path();
    }
    std::string templ = (base / "rf-fuzz-pack-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) std::abort();
    return std::filesystem::path(templ);
  }();
  return dir;
}

}  // namespace

std::string CheckAuditPack(std::string_view input) {
  namespace fs = std::filesystem;
  const fs::path& root = PackScratchDir();
  const fs::path pack = root / "pack";
  std::error_code ec;
  fs::remove_all(pack, ec);
  fs::create_directory(pack, ec);
  if (ec) return "cannot create the scratch pack directory: " + ec.message();
  size_t journal_lines = 0;
  for (const auto& [name, bytes] : SplitPackSections(input)) {
    if (!IsPackFileName(name)) continue;
    if (name == kPackJournal) journal_lines = static_cast<size_t>(std::count(bytes.begin(), bytes.end(), '\n'));
    const fs::path path = pack / name;
    if (name.find('/') != std::string::npos) fs::create_directories(path.parent_path(), ec);
    if (path.filename().empty()) continue;  // "checkpoints/" alone makes just the directory
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  const Result<PackVerifyReport> report = VerifyAuditPack(pack.string(), std::nullopt);
  fs::remove_all(pack, ec);
  if (!report.ok()) {
    if (!IsExpectedFailure(report.status())) return "an unexpected status: " + report.status().message();
    return "";
  }
  if (report->entries != journal_lines) return "a verified pack reports a different number of entries";
  if (report->checkpoints == 0) return "a verified pack with no checkpoint";
  return "";
}

}  // namespace rf::fuzz
