#!/usr/bin/env bash
# End-to-end benchmark through the real programs: posts ENTRIES entries in
# files of 100,000 (one transaction each), verifies, exports an audit pack
# and checks it with ringfence-verify. Prints entries/s and peak RSS per step,
# then runs the Google Benchmark suite (rf_bench).
#   bench/run.sh BUILD_DIR [ENTRIES]      (tools/dev bench [ENTRIES] builds Release first)
set -euo pipefail
build="${1:?usage: bench/run.sh BUILD_DIR [ENTRIES]}"
entries="${2:-1000000}"
per_file=40000   # ~13 MiB of JSON: under the 16 MiB post-file bound
rf="$build/tools/ringfence"
rfv="$build/tools/ringfence-verify"
work="$(mktemp -d -t rf-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

if [ ! -x /usr/bin/time ]; then echo "bench/run.sh: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; fi

# step NAME COUNT CMD...: runs CMD, prints wall seconds, COUNT/s and peak RSS.
step() {
  local name="$1" count="$2"; shift 2
  local stats="$work/time.txt"
  /usr/bin/time -f '%e %M' -o "$stats" "$@" >/dev/null
  read -r secs kib <"$stats"
  awk -v n="$name" -v c="$count" -v s="$secs" -v k="$kib" \
    'BEGIN { r = (s > 0) ? c / s : 0; printf "%-26s %10d entries %8.2f s %12.0f entries/s  peak RSS %7.1f MiB\n", n, c, s, r, k / 1024 }'
}

"$rf" --ledger "$work/ledger.rf" init --org "Bench ICB" >/dev/null
files=$(( (entries + per_file - 1) / per_file ))
total_secs=0
for ((f = 0; f < files; f++)); do
  n=$(( entries - f * per_file < per_file ? entries - f * per_file : per_file ))
  awk -v n="$n" -v base="$((f * per_file))" 'BEGIN {
    print "[";
    for (i = 0; i < n; i++) {
      k = base + i;
      printf "{\"kind\":\"posting\",\"effective\":\"2026-05-14\",\"actor\":\"finance.manager\",\"body\":{\"invoice_id\":\"INV-%d\",\"memo\":\"invoice approved\",\"postings\":[{\"account\":\"budget:B-004211\",\"amount\":\"-412.50\"},{\"account\":\"payable:B-004211:PROV-0042\",\"amount\":\"412.50\"}]}}%s\n", k, (i + 1 < n) ? "," : "";
    }
    print "]" }' >"$work/post-$f.json"
done
echo "ringfence end-to-end, $entries entries ($(nproc) cores, $(uname -m))"
for ((f = 0; f < files; f++)); do
  n=$(( entries - f * per_file < per_file ? entries - f * per_file : per_file ))
  step "post (file $((f + 1))/$files)" "$n" "$rf" --ledger "$work/ledger.rf" post "$work/post-$f.json"
done
step "verify" "$((entries + 1))" "$rf" --ledger "$work/ledger.rf" verify
step "audit export" "$((entries + 1))" "$rf" --ledger "$work/ledger.rf" audit export --out "$work/pack"
step "ringfence-verify (pack)" "$((entries + 1))" "$rfv" "$work/pack"
echo "ledger on disk: $(du -sh "$work/ledger.rf" | cut -f1); pack: $(du -sh "$work/pack" | cut -f1)"

if [ -x "$build/bench/rf_bench" ]; then
  "$build/bench/rf_bench" --benchmark_counters_tabular=true
fi
