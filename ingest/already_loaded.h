#ifndef RINGFENCE_INGEST_ALREADY_LOADED_H_
#define RINGFENCE_INGEST_ALREADY_LOADED_H_

// Is a row already in the ledger with the same content? (Idempotent
// loading, PRODUCT.md: "loading the same file or the same external ids
// again changes nothing".) The row's draft body is rebuilt by the same
// builder that wrote the stored entry, so equal content means equal
// members. Pure: the caller fetches the stored record or entry.

#include <nlohmann/json.hpp>
#include <string>

#include "ledger/core/entry.h"

namespace rf {

// Compares a row with a stored record (views "pot/<id>" and the like).
// Records carry more than the row ("seq", "state", "funder", later
// reviews...), so only the members of the row's body are compared, and
// "postings" (not kept in records) is left out. A record may also keep less
// than the row (an invoice's keeps what approval and payment read, not its
// description): members it does not hold are not compared here, and
// RecordHoldsRow says whether the stored entry must settle them.
// Returns "" when equal, else the differences, e.g. "amount 120.00 before,
// 125.00 now; payee_ref ****5432 before, ****1234 now" (bank and payee
// references masked, long text cut).
std::string RecordDifferences(const nlohmann::json& row_body, const nlohmann::json& record);
// Every member of the row's body but "postings" is in the record.
bool RecordHoldsRow(const nlohmann::json& row_body, const nlohmann::json& record);

// Compares a row with the stored entry that loaded its external id: the
// whole body (postings included) and the effective date.
std::string EntryDifferences(const EntryDraft& row, const EntryDraft& stored);

}  // namespace rf

#endif  // RINGFENCE_INGEST_ALREADY_LOADED_H_
