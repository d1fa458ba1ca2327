#include "ledger/verify/journal_verifier.h"

#include <cassert>

#include "crypto/checkpoint.h"

namespace rf {

JournalVerifier::JournalVerifier(crypto::ParsedVerifierKey key, std::string origin)
    : key_(std::move(key)), origin_(std::move(origin)) {
  verifier_key_text_ = crypto::VerifierKey(key_.name, key_.key);
  assert(!origin_.empty());
}

LineDigest DigestLine(std::string_view line, std::vector<ScannedMember>* scratch) {
  LineDigest digest;
  digest.leaf = crypto::LeafHash(line);
  auto header = ScanEntryHeader(line, scratch);
  if (header.ok()) {
    digest.header = *header;
  } else {
    digest.scan = header.status();
  }
  return digest;
}

Status JournalVerifier::AddLine(std::string_view line, NodeObserver* observer) {
  return AddDigestedLine(line, DigestLine(line, &scratch_), observer);
}

Status JournalVerifier::AddDigestedLine(std::string_view line, const LineDigest& digest, NodeObserver* observer) {
  const uint64_t expected_seq = appender_.size() + 1;
  const auto entry_name = [expected_seq] { return "entry " + std::to_string(expected_seq); };
  const crypto::Hash& leaf = digest.leaf;
  assert(expected_seq % 4096 != 1 || leaf == crypto::LeafHash(line));  // spot-check the pairing
  // A store that kept each leaf hash names an entry altered in place exactly,
  // before the chain would blame its neighbour.
  if (observer != nullptr) RF_RETURN_IF_ERROR(observer->Observe(0, expected_seq - 1, leaf));
  if (!digest.scan.ok()) {
    return Status::Tampered(entry_name() + ": not a valid canonical journal line (" + digest.scan.message() + ")");
  }
  const EntryHeader* header = &digest.header;
  if (header->seq != expected_seq) {
    return Status::Tampered(entry_name() + ": the line carries seq " + std::to_string(header->seq) + " where seq " +
                            std::to_string(expected_seq) + " belongs (entries dropped, duplicated or reordered)");
  }
  if (header->prev != last_leaf_) {
    if (expected_seq == 1) return Status::Tampered("entry 1: prev must be 64 zeros");
    return Status::Tampered("entry " + std::to_string(expected_seq - 1) +
                            ": its hash does not match the prev recorded by entry " + std::to_string(expected_seq) +
                            " (entry " + std::to_string(expected_seq - 1) + " was altered, or entry " +
                            std::to_string(expected_seq) + "'s prev was)");
  }
  if (expected_seq == 1) {
    auto init = ParseEntryLine(line);
    if (!init.ok()) return Status::Tampered("entry 1: " + init.status().message());
    auto body = BodyReader::Scan(init->draft.body_json);
    if (!body.ok()) return Status::Tampered("entry 1: " + body.status().message());
    if (init->draft.kind != "ledger.init" || body->Text("origin") != origin_ ||
        body->Text("verifier_key") != verifier_key_text_) {
      return Status::Tampered("entry 1: is not the ledger.init entry for origin \"" + origin_ + "\" and key " +
                              verifier_key_text_ + " (wrong key or wrong ledger)");
    }
    const auto org = body->Text("org");
    if (!org) return Status::Tampered("entry 1: names no org");
    org_ = *org;
  }
  Status observed;
  appender_.Append(leaf, [&](uint32_t level, uint64_t index, const crypto::Hash& hash) {
    if (observer != nullptr && observed.ok() && level > 0) observed = observer->Observe(level, index, hash);
  });
  if (!observed.ok()) return observed;
  last_leaf_ = leaf;
  assert(appender_.size() == expected_seq);
  return Status::Ok();
}

Status JournalVerifier::CheckCheckpoint(std::string_view note) {
  const uint64_t size = appender_.size();
  const std::string name = "checkpoint at size " + std::to_string(size);
  auto text = crypto::OpenNote(note, key_);
  if (!text.ok()) return Status::Tampered(name + ": signature does not verify (" + text.status().message() + ")");
  auto checkpoint = crypto::ParseCheckpointText(*text);
  if (!checkpoint.ok()) return Status::Tampered(name + ": " + checkpoint.status().message());
  if (checkpoint->origin != origin_) {
    return Status::Tampered(name + ": origin is \"" + checkpoint->origin + "\", expected \"" + origin_ + "\"");
  }
  if (checkpoint->size != size) {
    return Status::Tampered(name + ": the signed note says size " + std::to_string(checkpoint->size));
  }
  if (size <= last_checkpoint_size_) {
    return Status::Tampered(name + ": checkpoints out of order");
  }
  if (checkpoint->root != appender_.Root()) {
    // Every entry up to here passed the chain check, so the only entry that
    // can differ from what was signed is the last one.
    return Status::Tampered("entry " + std::to_string(size) + ": does not match the signed checkpoint of size " +
                            std::to_string(size) + " (altered after it was signed)");
  }
  last_checkpoint_size_ = size;
  ++checkpoints_checked_;
  return Status::Ok();
}

}  // namespace rf
