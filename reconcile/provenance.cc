#include "reconcile/provenance.h"

#include "crypto/base64.h"
#include "crypto/checkpoint.h"
#include "crypto/note.h"

namespace rf {

Result<Provenance> ProvenanceAt(const Journal& journal, uint64_t tree_size, Date as_of) {
  RF_ASSIGN(note, journal.CheckpointNote(tree_size));
  auto text = crypto::OpenNote(note, journal.verifier_key());
  if (!text.ok()) return text.status().WithContext("checkpoint at tree size " + std::to_string(tree_size) + ": ");
  auto checkpoint = crypto::ParseCheckpointText(*text);
  if (!checkpoint.ok()) {
    return checkpoint.status().WithContext("checkpoint at tree size " + std::to_string(tree_size) + ": ");
  }
  if (checkpoint->size != tree_size) {
    return Status::Tampered("the checkpoint stored for tree size " + std::to_string(tree_size) + " signs size " +
                            std::to_string(checkpoint->size));
  }
  const std::string_view root_bytes(reinterpret_cast<const char*>(checkpoint->root.data()), checkpoint->root.size());
  return Provenance{.tree_size = tree_size,
                    .root_base64 = crypto::Base64Encode(root_bytes),
                    .origin = checkpoint->origin,
                    .as_of = as_of,
                    .sign_off = std::nullopt};
}

Result<uint64_t> ReadViewsAtSize(const Ledger& ledger, const std::function<Status(const ViewSource&)>& fn) {
  return AtStableSize(ledger.journal(), [&] { return ledger.ReadViews(fn); });
}

Result<uint64_t> AtStableSize(const Journal& journal, const std::function<Status()>& fn) {
  for (int attempt = 0; attempt < kProvenanceReadsMax; ++attempt) {
    RF_ASSIGN(before, journal.Size());
    RF_RETURN_IF_ERROR(fn());
    RF_ASSIGN(after, journal.Size());
    if (before == after) return before;
  }
  return Status::Io("the journal kept growing while the report was read (" + std::to_string(kProvenanceReadsMax) +
                    " attempts): run it again when the other command has finished");
}

namespace {

std::string ProveHint(const Provenance& p) {
  return "ringfence audit prove --seq " + std::to_string(p.tree_size) + " --size " + std::to_string(p.tree_size);
}

}  // namespace

std::string ProvenanceText(const Provenance& p) {
  std::string out = "Computed from the journal at tree size " + std::to_string(p.tree_size) + ", root " +
                    p.root_base64 + " (signed checkpoint of " + p.origin + "), as of " + p.as_of.ToIso() + ".\n";
  if (p.sign_off) {
    out += "Signed off by " + p.sign_off->by + " (entry " + std::to_string(p.sign_off->seq) + "): result sha256 " +
           p.sign_off->result_sha256 + ", from the journal's first " + std::to_string(p.sign_off->tree_size) +
           " entries.\n";
  }
  out += "Tie it to the journal: `" + ProveHint(p) + "` prints the checkpoint signed at that size.\n";
  return out;
}

nlohmann::json ProvenanceJson(const Provenance& p) {
  nlohmann::json sign_off;
  if (p.sign_off) {
    sign_off = {{"seq", p.sign_off->seq},
                {"by", p.sign_off->by},
                {"tree_size", p.sign_off->tree_size},
                {"result_sha256", p.sign_off->result_sha256}};
  }
  return {{"tree_size", p.tree_size},          {"root", p.root_base64}, {"checkpoint_origin", p.origin},
          {"as_of", p.as_of.ToIso()},          {"sign_off", sign_off},  {"audit_prove", ProveHint(p)}};
}

std::string ProvenanceCsvLine(const Provenance& p) {
  std::string out = "# provenance tree_size=" + std::to_string(p.tree_size) + " root=" + p.root_base64 +
                    " checkpoint_origin=" + p.origin + " as_of=" + p.as_of.ToIso();
  if (p.sign_off) {
    out += " sign_off_seq=" + std::to_string(p.sign_off->seq) + " sign_off_sha256=" + p.sign_off->result_sha256;
  }
  return out + "\r\n";
}

}  // namespace rf
