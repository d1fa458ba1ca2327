#!/usr/bin/env bash
# `ringfence export` checked by the accounting tools themselves: hledger,
# ledger and beancount (bean-check, bean-query) must compute, for every
# account, exactly the balance ringfence reports (report balances), to the
# penny. The ledger holds a two-month demo (a simulated ICB) plus two
# overrides, a diversion with reason, a return to the funder and a reversal.
# Usage: export_interop.sh RINGFENCE_BIN WORKDIR
set -euo pipefail
rf="$1"
work="$2"
rm -rf "$work" && mkdir -p "$work"
ledger="$work/ledger.rf"
"$rf" --ledger "$ledger" demo --people 150 --months 2 >/dev/null
# Two budgets the simulation approved in April.
b1=$(sed -n 2p "$ledger.sim/2026-04/budgets.csv" | cut -d, -f1)
b3=$(sed -n 3p "$ledger.sim/2026-04/budgets.csv" | cut -d, -f1)
cat >"$work/more.json" <<JSON
[{"kind": "posting", "effective": "2026-05-20",
  "body": {"postings": [{"account": "budget:$b3", "amount": "-99200.00"},
                        {"account": "dp:$b3", "amount": "99200.00"}],
           "reason": "crisis: agreed by panel", "allow_negative": true}},
 {"kind": "posting", "effective": "2026-05-21",
  "body": {"postings": [{"account": "pot:PHB-MH-2627", "amount": "-1234.56"},
                        {"account": "external:general-fund", "amount": "1234.56"}],
           "reason": "winter pressures (flagged)"}},
 {"kind": "posting", "effective": "2026-05-22",
  "body": {"postings": [{"account": "pot:S117-2627", "amount": "-0.01"},
                        {"account": "funding:nhs-example-integrated-care-board", "amount": "0.01"}],
           "reason": "rounding return"}},
 {"kind": "posting", "effective": "2026-05-23",
  "body": {"postings": [{"account": "dp:$b1", "amount": "-79.50"},
                        {"account": "spent:$b1.x_y:therapy", "amount": "79.50"}],
           "reason": "a return posted by hand", "allow_negative": true}}]
JSON
# The last posting names a budget that does not exist: the whole file is refused.
if "$rf" --ledger "$ledger" post "$work/more.json" >"$work/refused.txt" 2>&1; then
  echo "a posting to an unknown budget was accepted"; exit 1
fi
sed -i "s/$b1.x_y/$b1/" "$work/more.json"
"$rf" --ledger "$ledger" post "$work/more.json" >/dev/null
last=$("$rf" --ledger "$ledger" --format json verify | sed -n 's/.*"entries": \([0-9]*\).*/\1/p')
"$rf" --ledger "$ledger" reverse --seq "$last" --reason "posted in error" --date 2026-05-24 >/dev/null
"$rf" --ledger "$ledger" verify >/dev/null

# ringfence's own balances, non-zero, as "account amount" lines.
"$rf" --ledger "$ledger" --format csv report balances | tr -d '\r' | tail -n +2 | grep -v '^Total,' | grep -v '^# provenance ' |
  awk -F, '$2 != "0.00" { print $1, $2 }' | sort >"$work/ringfence.txt"
[ -s "$work/ringfence.txt" ] || { echo "no balances from ringfence"; exit 1; }

fail=0
compare() {  # name file
  if ! diff -u "$work/ringfence$3.txt" "$2" >"$work/$1.diff"; then
    echo "$1 disagrees with ringfence:"; cat "$work/$1.diff"; fail=1
  else
    echo "$1: $(wc -l <"$2") balances agree to the penny"
  fi
}

"$rf" --ledger "$ledger" export --format hledger --out "$work/books.journal" 2>/dev/null
hledger -f "$work/books.journal" bal --flat --no-total -O csv | tail -n +2 | tr -d '"' |
  awk -F, '{ sub(/ GBP$/, "", $2); if ($2 != "0" && $2 != "0.00") print $1, $2 }' | sort >"$work/hledger.txt"
compare hledger "$work/hledger.txt" ""

"$rf" --ledger "$ledger" export --format ledger --out "$work/books.ledger" 2>/dev/null
ledger -f "$work/books.ledger" balance --flat --no-total --balance-format '%(account) %(quantity(display_total))\n' |
  awk '{ printf "%s %.2f\n", $1, $2 }' | awk '$2 != "0.00"' | sort >"$work/ledger.txt"
compare ledger "$work/ledger.txt" ""

if command -v bean-check >/dev/null; then
  "$rf" --ledger "$ledger" export --format beancount --out "$work/books.beancount" 2>/dev/null
  bean-check "$work/books.beancount"
  # ringfence's names mapped as the exporter documents.
  awk '{
    split($1, part, ":"); root["funding"]="Equity:Funding"; root["pot"]="Assets:Pot"; root["budget"]="Assets:Budget";
    root["payable"]="Assets:Payable"; root["dp"]="Assets:Dp"; root["paid"]="Expenses:Paid";
    root["spent"]="Expenses:Spent"; root["external"]="Expenses:External";
    name = root[part[1]];
    for (i = 2; i in part; i++) { c = part[i]; gsub(/[._]/, "-", c); name = name ":" toupper(substr(c, 1, 1)) substr(c, 2) }
    print name, $2 }' "$work/ringfence.txt" | sort >"$work/ringfence-bean.txt"
  bean-query -f csv "$work/books.beancount" "SELECT account, sum(number) AS total GROUP BY account" |
    tail -n +2 | tr -d ' ' | awk -F, '{ printf "%s %.2f\n", $1, $2 }' | awk '$2 != "0.00"' | sort >"$work/beancount.txt"
  compare beancount "$work/beancount.txt" "-bean"
else
  echo "bean-check not installed: beancount export not checked (tools/dev test installs it)"
fi
exit $fail
