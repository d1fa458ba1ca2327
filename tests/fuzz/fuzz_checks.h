#ifndef RINGFENCE_TESTS_FUZZ_FUZZ_CHECKS_H_
#define RINGFENCE_TESTS_FUZZ_FUZZ_CHECKS_H_

// What each fuzz target feeds the libraries and what must hold afterwards.
// The libFuzzer harnesses (tests/fuzz/*_fuzz.cc) and the regression test
// (tests/fuzz_regressions_test.cc, built with g++ in every build) call these
// same functions, so a saved crash input replays exactly what found it.
//
// Each Check* returns "" when every invariant held and a sentence otherwise.
// A crash, a failed assert, an uncaught exception or a sanitizer report is a
// failure too; the harness turns a sentence into abort().
//
// The invariant every target shares: hostile input only ever produces
// statuses. Where a reader has an inverse, the target also checks the round
// trip, so "accepted" means "accepted and understood".

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rf::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) { return {reinterpret_cast<const char*>(data), size}; }

// Pence::Parse; an accepted amount equals an independent reading of the
// grammar in money.h and survives ToDecimal -> Parse.
std::string CheckAmount(std::string_view text);

// Date::Parse, ParseMonth and ParseUtcTimestamp; each accepted text is its
// own canonical form.
std::string CheckDate(std::string_view text);

// The flat form of invoice records (stored_record.h), both ways: text with a
// flat form reads back as itself; any bytes after the 0x03 byte are refused
// as Tampered or read as JSON whose own flat form reads back the same.
std::string CheckStoredRecord(std::string_view input);

// ScanCanonicalObject against Canonicalize: what the scanner accepts
// re-canonicalizes to the same bytes; what Canonicalize writes, the scanner
// accepts; Canonicalize is idempotent.
std::string CheckCanonicalJson(std::string_view text);

// ScanEntryHeader and ParseEntryLine agree; an accepted line is written back
// by AppendEntryLine as the same bytes.
std::string CheckEntryLine(std::string_view line);

// ParsePostText; every accepted draft becomes a journal line that
// ParseEntryLine reads back as the same draft.
std::string CheckPostText(std::string_view text);

// Input: a C2SP verifier key line, then a signed note. ParseVerifierKey,
// PublicKeyFromPem, ParseCheckpointText and OpenNote; the key round-trips and
// an opened note's text is the start of the note.
std::string CheckSignedNote(std::string_view input);

// Input: the verifier key line, then journal lines; a line starting with '#'
// is a checkpoint note with its newlines written as tabs (a note holds no
// tab). Drives JournalVerifier::AddLine and CheckCheckpoint in memory, as
// both verifiers do. Each line's prev is first rewritten to the previous
// line's leaf hash, so mutations get past the chain into entry 1, the tree
// and the signed roots (CheckAuditPack exercises the chain check itself).
std::string CheckJournalVerifier(std::string_view input);

// Input: a verifier key line, then an inclusion proof document, read as
// `ringfence-verify PACK --proof FILE` reads it: VerifyProofJson.
std::string CheckProofJson(std::string_view input);

// Input: sections, each a line "--- NAME" then the file's bytes up to and
// including the newline before the next such line. NAME is a pack file
// (journal.jsonl, checkpoint, manifest.json, public-key.pem,
// verifier-key.txt) or checkpoints/NAME; other names are ignored. The files
// are written to a scratch directory (on /dev/shm when it exists) and
// VerifyAuditPack, what ringfence-verify runs, reads them.
std::string CheckAuditPack(std::string_view input);

}  // namespace rf::fuzz

#endif  // RINGFENCE_TESTS_FUZZ_FUZZ_CHECKS_H_
