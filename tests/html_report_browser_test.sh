#!/bin/sh
# issue 18 item 2: the HTML month report in a real browser (Debian's chromium,
# headless). A demo ledger's May is written as HTML; chromium loads it and
# dumps the DOM it built, in which each section must render with its data;
# it writes a screenshot (the test's artefact, under OUT); and with every host
# name made unresolvable and a net log kept, the log must show no request but
# the file:// page itself. Plus static checks: no <script>, no src=/href= to
# anywhere (http, https, protocol-relative), no @import or url().
#
# Usage: html_report_browser_test.sh RINGFENCE OUT_DIR
# Exit 77 (CTest SKIP_RETURN_CODE) when chromium is not installed, except in CI
# (CI=true), where a missing browser fails: `tools/dev test` installs it.
set -eu
RF="$1"
OUT="$2"

CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$CHROMIUM" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "FAIL: chromium is not installed, and CI must run this test (tools/dev test installs it)" >&2
    exit 1
  fi
  echo "SKIP: chromium is not installed; install it (tools/dev test does) to check the HTML report in a browser" >&2
  exit 77
fi

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

rm -rf "$OUT"
mkdir -p "$OUT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT INT TERM
LEDGER="$TMP/demo.rf"

# A small simulated ICB, April and May (the demo's own data, kept small).
"$RF" --ledger "$LEDGER" demo --people 150 --months 2 >"$TMP/demo.txt" 2>&1 || { cat "$TMP/demo.txt" >&2; fail "ringfence demo"; }
REPORT="$OUT/report-2026-05.html"
"$RF" --actor finance.manager --ledger "$LEDGER" --format html reconcile --month 2026-05 --out "$REPORT" \
  >"$TMP/html.txt" 2>&1 || { cat "$TMP/html.txt" >&2; fail "reconcile --format html"; }
[ -s "$REPORT" ] || fail "no report written"

# The month's flags and what the report reflects, from the json form.
"$RF" --actor finance.manager --ledger "$LEDGER" --format json reconcile --month 2026-05 >"$TMP/may.json" 2>/dev/null ||
  fail "reconcile --format json"
FLAG_CODE="$(grep -o '"code": *"[A-Z_]*"' "$TMP/may.json" | head -n 1 | sed 's/.*"\([A-Z_]*\)"$/\1/')"
[ -n "$FLAG_CODE" ] || fail "the demo's May has no flag to look for"
TREE_SIZE="$(grep -o '"tree_size": *[0-9]*' "$TMP/may.json" | tail -n 1 | sed 's/.*: *//')"

# Static: nothing that could fetch or run anything.
if grep -qi '<script' "$REPORT"; then fail "the report has a <script>"; fi
if grep -Eiq '(src|href|action|srcset|poster|data)[[:space:]]*=[[:space:]]*["'"'"']?[[:space:]]*(https?:|wss?:|//)' "$REPORT"; then
  fail "the report links to something outside itself"
fi
if grep -Eiq '@import|url\(' "$REPORT"; then fail "the report's CSS fetches something"; fi

# A browser profile of its own: chromium needs a writable HOME.
export HOME="$TMP/home"
mkdir -p "$HOME"
browse() {
  name="$1"
  shift
  # --host-resolver-rules: any host name fails to resolve, so a request could
  # not succeed even if made; the net log records it all the same.
  timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --no-default-browser-check --disable-extensions --disable-background-networking \
    --disable-component-update --disable-sync --disable-default-apps --mute-audio \
    --user-data-dir="$TMP/profile-$name" --host-resolver-rules="MAP * ~NOTFOUND" --log-net-log="$OUT/netlog-$name.json" \
    "$@"
}

browse dom --dump-dom "file://$REPORT" >"$OUT/dom.html" 2>"$TMP/chromium-dom.txt" ||
  { cat "$TMP/chromium-dom.txt" >&2; fail "chromium --dump-dom"; }
[ -s "$OUT/dom.html" ] || { cat "$TMP/chromium-dom.txt" >&2; fail "chromium dumped no DOM"; }

# Each section renders with its data (the DOM the browser built, serialised).
dom_has() {
  grep -q -- "$1" "$OUT/dom.html" || fail "the rendered page lacks $2 ($1)"
}
for section in glance pots matching flags aged dp equality; do
  dom_has "<section id=\"$section\"" "section $section"
done
for heading in "At a glance" "Pot position" "Matching summary" "Flags" "Aged invoices" "Direct-payment balances" \
  "Equality and provider diversity" "What this report reflects"; do
  dom_has ">$heading</h2>" "the heading $heading"
done
dom_has '<svg' "an SVG chart"
[ "$(grep -o '<svg' "$OUT/dom.html" | wc -l)" -ge 3 ] || fail "fewer SVG charts than the pot bars and charts need"
dom_has 'PHB-MH-2627' "pot PHB-MH-2627"
dom_has 'S117-2627' "pot S117-2627"
dom_has "$FLAG_CODE" "flag $FLAG_CODE"
dom_has 'Auto-match rate' "the matching summary"
dom_has '<caption>Unpaid invoices by age' "the aged invoices table"
dom_has '<caption>Direct-payment accounts on 2026-05-31' "the direct-payment balances table"
dom_has '<td>B-0' "a direct-payment budget's row"
dom_has 'people with a personal health budget by ethnic group' "the equality section's tables"
dom_has "at tree size $TREE_SIZE, root " "the provenance"
dom_has '<th scope="col"' "table header cells"
dom_has '£' "amounts in pounds"

browse shot --screenshot="$OUT/report-2026-05.png" --window-size=1280,2000 "file://$REPORT" \
  >"$TMP/chromium-shot.txt" 2>&1 || { cat "$TMP/chromium-shot.txt" >&2; fail "chromium --screenshot"; }
[ -s "$OUT/report-2026-05.png" ] || { cat "$TMP/chromium-shot.txt" >&2; fail "no screenshot written"; }
[ "$(head -c 8 "$OUT/report-2026-05.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
  fail "the screenshot is not a PNG"

# Nothing requested from the network. Chromium logs one event a line; a URL
# request's start names its initiator: a page's request has the page's
# origin ("null" for file://, whose isolation key is file://), the browser's
# own background requests (clock, updater, sign-in; refused here by the
# resolver rules) have "not an origin". So: no request to http(s)/ws(s) whose
# initiator is an origin, or that is isolated by the page.
page_requests() {
  grep -E '"url":"(https?|wss?|ftp)://' "$1" | grep '"initiator":' |
    grep -Ev '"initiator":"not an origin"' || true
  grep -E '"url":"(https?|wss?|ftp)://' "$1" | grep -E '"network_isolation_key":"file://' || true
}
for log in "$OUT/netlog-dom.json" "$OUT/netlog-shot.json"; do
  [ -s "$log" ] || fail "chromium wrote no net log ($log)"
  if [ -n "$(page_requests "$log")" ]; then
    page_requests "$log" | cut -c1-400 >&2
    fail "the page requested something from the network ($log)"
  fi
done
# The check can fail: a page with one remote image and one remote stylesheet
# is caught by it.
cat >"$TMP/canary.html" <<'HTML'
<!DOCTYPE html><html><head><link rel="stylesheet" href="https://canary.invalid/a.css"></head>
<body><p>canary</p><img src="http://canary.invalid/x.png" alt=""></body></html>
HTML
browse canary --dump-dom "file://$TMP/canary.html" >/dev/null 2>&1 || fail "chromium on the canary page"
[ "$(page_requests "$OUT/netlog-canary.json" | grep -c canary.invalid)" -ge 2 ] ||
  fail "the network check does not see a page's requests (chromium's net log changed?)"

echo "OK: the report renders every section in chromium, requests nothing; screenshot $OUT/report-2026-05.png"
