#!/usr/bin/env bash
# tests/fuzz/make_verify_damaged_seed.sh RINGFENCE_BIN
# Writes corpus/verify_damaged/ledger-7-entries: the data.mdb of a 7-entry
# ledger made by the given `ringfence` (init; pot, person and budget; a
# provider and an invoice; a config setting), so mutations are damage to a
# real ledger in the current stored form. Run it again whenever the stored
# form of the views or journal changes: the seed must verify clean (exit 0;
# rf_tests "verify_damaged: every seed*" checks). ~90 KiB, as LMDB writes it
# (two meta pages of different transactions, a free list), not compacted.
set -euo pipefail
bin="$(realpath "$1")"
out="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/corpus/verify_damaged/ledger-7-entries"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rf() { "$bin" --actor unknown --ledger "$work/ledger.rf" "$@"; }
cat >"$work/setup.json" <<'JSON'
[{"kind": "pot.create", "effective": "2026-04-01",
  "body": {"pot_id": "POT-1", "name": "PHB pot", "programme": "PHB", "financial_year": "2026-27",
           "amount": "1000.00", "funded_on": "2026-04-01"}},
 {"kind": "person.create", "effective": "2026-04-01",
  "body": {"person_id": "P-1", "ethnic_category": "A", "age_band": "25-34", "sex": "female",
           "locality": "Leeds", "s117_eligible": true}},
 {"kind": "budget.create", "effective": "2026-04-02",
  "body": {"budget_id": "B-1", "person_id": "P-1", "pot_id": "POT-1", "management": "direct-payment",
           "amount": "300.00", "start_date": "2026-04-02", "end_date": "2027-03-31",
           "approved_on": "2026-04-02", "frequency": "monthly", "payee_ref": "GB82WEST12345698765432"}}]
JSON
cat >"$work/inv.json" <<'JSON'
[{"kind": "provider.create", "effective": "2026-04-01",
  "body": {"approved": true, "community_led": true, "kind": "vcse", "name": "Care Co",
           "payee_ref": "GB82WEST12345698765432", "provider_id": "V-1", "size": "micro"}},
 {"kind": "invoice.received", "effective": "2026-05-03",
  "body": {"amount": "10.00", "budget_id": "B-1", "category": "care", "invoice_id": "I-1", "provider_id": "V-1",
           "received_on": "2026-05-03", "service_from": "2026-04-01", "service_to": "2026-04-05"}}]
JSON
rf init --org 'T ICB' >/dev/null
rf post "$work/setup.json" >/dev/null
rf post "$work/inv.json" >/dev/null
rf config set bank.debtor_iban GB29NWBK60161331926819 --date 2026-06-30 >/dev/null
rf verify >/dev/null
cp "$work/ledger.rf/data.mdb" "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
