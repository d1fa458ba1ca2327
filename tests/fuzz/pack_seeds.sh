#!/usr/bin/env bash
# tests/fuzz/pack_seeds.sh PACK_DIR
# Turns an audit pack (`ringfence audit export --out PACK_DIR`) into seed
# inputs for the pack-reading targets, in the shapes fuzz_checks.h documents:
#   corpus/audit_pack/       the whole pack as "--- NAME" sections
#   corpus/journal_verifier/ verifier key, then lines and '#' checkpoint notes
#   corpus/signed_note/      verifier key, then one signed checkpoint note
#   corpus/entry_line/       each journal line on its own
# The committed seeds came from a 4-entry ledger made with `ringfence init`
# and two `ringfence post` files (see tests/fuzz/README.md).
set -euo pipefail
pack="$1"
out="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/corpus"
mkdir -p "$out"/{audit_pack,journal_verifier,signed_note,entry_line}

section() { printf -- '--- %s\n' "$1"; cat "$pack/$1"; }
{
  for f in manifest.json verifier-key.txt public-key.pem checkpoint journal.jsonl; do section "$f"; done
  for f in "$pack"/checkpoints/*; do section "checkpoints/$(basename "$f")"; done
} >"$out/audit_pack/pack"

key="$(head -n 1 "$pack/verifier-key.txt")"
note_line() { printf '#'; tr '\n' '\t' <"$1"; printf '\n'; }
{
  echo "$key"
  n=0
  while IFS= read -r line; do
    n=$((n + 1))
    echo "$line"
    name="$pack/checkpoints/$(printf '%012d' "$n")"
    if [ -f "$name" ]; then note_line "$name"; fi
  done <"$pack/journal.jsonl"
  note_line "$pack/checkpoint"
} >"$out/journal_verifier/journal"

{ echo "$key"; cat "$pack/checkpoint"; } >"$out/signed_note/latest"
for f in "$pack"/checkpoints/*; do { echo "$key"; cat "$f"; } >"$out/signed_note/size-$(basename "$f")"; done

n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '%s' "$line" >"$out/entry_line/entry-$n"
done <"$pack/journal.jsonl"
