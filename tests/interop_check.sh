#!/usr/bin/env bash
# Checks an audit pack with independent standard tools only (sha256sum,
# openssl, coreutils), as an auditor without ringfence would:
#   - each line's prev is SHA-256(0x00 || previous line) (RFC 9162 leaf hash);
#   - the verifier key's id is SHA-256(name || "\n" || 0x01 || key)[:4] and its
#     key is the one in public-key.pem (C2SP signed-note);
#   - the latest checkpoint's Ed25519 signature verifies with openssl over
#     the note text (C2SP tlog-checkpoint body: origin, size, base64 root).
# Usage: interop_check.sh RINGFENCE_BIN WORKDIR
set -euo pipefail
rf="$1"
work="$2"
rm -rf "$work" && mkdir -p "$work"
ledger="$work/ledger.rf"
"$rf" --ledger "$ledger" init --org "Interop Test ICB" >/dev/null
cat >"$work/post.json" <<'JSON'
[{"kind": "note", "effective": "2026-04-01", "body": {"text": "caf\u00e9 \"quoted\" \\ back", "amount": "10.00"}},
 {"kind": "note", "effective": "2026-04-02", "body": {"n": 2}}]
JSON
"$rf" --ledger "$ledger" post "$work/post.json" >/dev/null
"$rf" --ledger "$ledger" audit export --out "$work/pack" >/dev/null
pack="$work/pack"

# 1. The hash chain, recomputed with sha256sum.
prev_expected=$(printf '0%.0s' $(seq 1 64))
n=0
while IFS= read -r line; do
  n=$((n + 1))
  prev=$(printf '%s' "$line" | sed -n 's/.*"prev":"\([0-9a-f]\{64\}\)".*/\1/p')
  if [ "$prev" != "$prev_expected" ]; then echo "entry $n: prev $prev, sha256sum says $prev_expected"; exit 1; fi
  prev_expected=$( (printf '\0'; printf '%s' "$line") | sha256sum | cut -c1-64)
done <"$pack/journal.jsonl"
[ "$n" -eq 3 ] || { echo "expected 3 entries, read $n"; exit 1; }

# 2. The verifier key against public-key.pem.
openssl pkey -pubin -in "$pack/public-key.pem" -outform DER | tail -c 32 >"$work/key.raw"
vkey=$(cat "$pack/verifier-key.txt")
name=${vkey%%+*}
rest=${vkey#*+}
id=${rest%%+*}
b64=${rest#*+}
want_id=$( (printf '%s\n\001' "$name"; cat "$work/key.raw") | sha256sum | cut -c1-8)
[ "$id" = "$want_id" ] || { echo "key id $id, expected $want_id"; exit 1; }
want_b64=$( (printf '\001'; cat "$work/key.raw") | openssl base64 -A)
[ "$b64" = "$want_b64" ] || { echo "verifier key bytes differ from public-key.pem"; exit 1; }

# 3. The checkpoint note's signature, with openssl.
note="$pack/checkpoint"
# The signed text is everything before the blank line, each line with its newline.
awk 'BEGIN { blank = 0 } /^$/ { blank = 1; exit } { print }' "$note" >"$work/text"
[ "$(sed -n 1p "$work/text")" = "$name" ] || { echo "checkpoint origin is not the key name"; exit 1; }
[ "$(sed -n 2p "$work/text")" = "3" ] || { echo "checkpoint size is not 3"; exit 1; }
sigline=$(grep -a "^— $name " "$note")
sig_b64=${sigline##* }
printf '%s' "$sig_b64" | openssl base64 -d -A >"$work/sig.full"
[ "$(head -c 4 "$work/sig.full" | od -An -tx1 | tr -d ' \n')" = "$id" ] || { echo "signature key id mismatch"; exit 1; }
tail -c +5 "$work/sig.full" >"$work/sig"
openssl pkeyutl -verify -pubin -inkey "$pack/public-key.pem" -rawin -in "$work/text" -sigfile "$work/sig" >/dev/null
echo "interop: chain, verifier key and checkpoint signature verified with sha256sum and openssl"
