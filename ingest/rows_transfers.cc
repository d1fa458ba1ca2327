// transfers: transfer_id, date, from_account, to_account, amount, reason,
// authorised_by. A posting from_account -> to_account on date, external_id
// "transfers/<transfer_id>". The entry's actor is whoever runs the command
// (the person loading the file answers for it); the person who authorised
// the transfer is kept in the memo ("authorised by <name>"), and reason in
// the entry's reason, which the ring-fence rules require for money leaving
// to funding:* or external:*. Both are required on every row: moving
// ring-fenced money always needs a why and a who.
#include "ingest/identifiers.h"
#include "ingest/ingest_kinds.h"
#include "ledger/core/account.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/records.h"

namespace rf {
namespace {

enum Column : size_t { kTransferId, kDate, kFromAccount, kToAccount, kAmount, kReason, kAuthorisedBy };
constexpr CsvColumnSpec kColumns[] = {{"transfer_id"}, {"date"},   {"from_account"}, {"to_account"},
                                      {"amount"},      {"reason"}, {"authorised_by"}};

Account ReadAccount(RowFields& row, size_t column) {
  auto account = ParseAccount(row.Raw(column), "");
  if (!account.ok()) {
    const std::string& m = account.status().message();
    row.Fail(column, m.starts_with(": ") ? m.substr(2) : m);
    return Account{};
  }
  return *account;
}

void ParseTransfer(RowFields& row, const RowContext& context, ParsedRow* out) {
  const std::string transfer_id = row.Id(kTransferId);
  PostingFields f;
  f.effective = EventDay(row, kDate, context);
  const size_t before_accounts = row.problems();
  const Account from = ReadAccount(row, kFromAccount);
  const Account to = ReadAccount(row, kToAccount);
  if (row.problems() == before_accounts && from == to) row.Fail(kToAccount, "is the same account as from_account");
  const Pence amount = row.PositiveAmount(kAmount);
  f.reason = row.Text(kReason, true);
  const std::string authorised_by = row.Text(kAuthorisedBy, true);
  if (!row.ok()) return;
  f.postings = {{from, -amount}, {to, amount}};
  f.memo = "authorised by " + authorised_by;
  f.external_id = "transfers/" + transfer_id;
  out->key = ExternalIdKey(f.external_id);
  out->key_is_xid = true;
  out->label = "transfer " + transfer_id;
  out->draft = PostingDraft(f, {context.actor, ""});
}

}  // namespace

const CsvKind& TransfersKind() {
  static const CsvKind kind{"transfers", kColumns, &ParseTransfer};
  return kind;
}

}  // namespace rf
