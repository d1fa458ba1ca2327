// providers: provider_id, name, kind, size, community_led, approved,
// payee_ref. payee_ref is required (providers are paid by credit transfer)
// and is never quoted in an error. Effective on the day of loading.
#include "ingest/identifiers.h"
#include "ingest/ingest_kinds.h"
#include "ledger/core/entry_kinds.h"
#include "ledger/core/views.h"

namespace rf {
namespace {

enum Column : size_t { kProviderId, kName, kKind, kSize, kCommunityLed, kApproved, kPayeeRef };
constexpr CsvColumnSpec kColumns[] = {{"provider_id"},   {"name"},     {"kind"},     {"size"},
                                      {"community_led"}, {"approved"}, {"payee_ref"}};

void ParseProvider(RowFields& row, const RowContext& context, ParsedRow* out) {
  ProviderFields f;
  f.provider_id = row.Id(kProviderId);
  f.name = row.Text(kName, true);
  f.kind = row.Choice(kKind, kProviderKindNames);
  f.size = row.Choice(kSize, kProviderSizeNames);
  f.community_led = row.YesNo(kCommunityLed);
  f.approved = row.YesNo(kApproved);
  f.payee_ref = row.Iban(kPayeeRef, /*required=*/true);
  if (!row.ok()) return;
  out->draft = ProviderDraft(f, context.load_date, {context.actor, ""});
  out->key = RecordKey(RecordKind::kProvider, f.provider_id);
  out->label = "provider " + f.provider_id;
}

}  // namespace

const CsvKind& ProvidersKind() {
  static const CsvKind kind{"providers", kColumns, &ParseProvider};
  return kind;
}

}  // namespace rf
