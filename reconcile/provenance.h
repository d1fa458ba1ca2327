#ifndef RINGFENCE_RECONCILE_PROVENANCE_H_
#define RINGFENCE_RECONCILE_PROVENANCE_H_

// What a report reflects (issue 18 item 5): the journal's tree size it was
// computed from, the root of the signed checkpoint at exactly that size, the
// as-of date, and, for a signed-off month, the sign-off. An auditor ties a
// printed report to the journal with `ringfence audit prove --seq S --size N`
// (its checkpoint carries the same root) or `ringfence-verify` on a pack.
//
// The size is the one the report's views stood at, never a later one:
// ReadViewsAtSize reads the journal's size before and after the read
// snapshot; the snapshot lies between, and sizes only grow, so equal sizes
// are the snapshot's (an entry and its views commit in one transaction).
// A report rebuilt from the journal (--as-of) names the size it replayed
// (RebuildViewsAt).

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "crypto/status.h"
#include "ledger/core/date.h"
#include "ledger/core/records.h"
#include "ledger/storage/ledger.h"

namespace rf {

struct Provenance {
  uint64_t tree_size = 0;
  std::string root_base64;  // from the checkpoint signed at tree_size
  std::string origin;       // the checkpoint's origin line
  Date as_of;
  std::optional<SignOffRecord> sign_off;  // the month's latest, when reporting a signed-off month
};

// Reads the signed checkpoint at `tree_size` and verifies its signature
// against the ledger's key. Errors: NotFound when no checkpoint was signed at
// that size (every commit signs one, so a report's size always has one);
// Tampered when it does not verify or parse.
Result<Provenance> ProvenanceAt(const Journal& journal, uint64_t tree_size, Date as_of);

// Runs fn over the live views in one snapshot and returns the journal's size
// in that snapshot. Retries (fn again) while another process appends
// between; Io after kProvenanceReadsMax attempts.
inline constexpr int kProvenanceReadsMax = 20;
Result<uint64_t> ReadViewsAtSize(const Ledger& ledger, const std::function<Status(const ViewSource&)>& fn);
// The same for any reader of the ledger's live state (each of its reads a
// snapshot): fn again until the size before equals the size after.
Result<uint64_t> AtStableSize(const Journal& journal, const std::function<Status()>& fn);

// For people: "Computed from the journal at tree size N, root R (signed
// checkpoint of ORIGIN), as of D." then the sign-off if any, then the
// `audit prove` hint. Lines end in '\n'.
std::string ProvenanceText(const Provenance& p);
// {"tree_size", "root", "checkpoint_origin", "as_of", "audit_prove",
//  "sign_off": null | {"seq", "by", "tree_size", "result_sha256"}}.
nlohmann::json ProvenanceJson(const Provenance& p);
// CSV: one line after the table, "# provenance tree_size=N root=R
// checkpoint_origin=O as_of=D [sign_off_seq=S sign_off_sha256=H]" (no commas,
// so a CSV reader sees one cell; a reader skipping '#' lines skips it).
std::string ProvenanceCsvLine(const Provenance& p);

}  // namespace rf

#endif  // RINGFENCE_RECONCILE_PROVENANCE_H_
