#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
# tests/fuzz/run.sh --configure   only configure build-fuzz/ (tools/dev test
#                                 builds and runs the whole suite there too)
#
# Builds the libFuzzer targets (clang, ASan + UBSan, in build-fuzz/) and runs
# each for SECONDS_PER_TARGET (default 20), as many at once as there are
# cores (RF_FUZZ_JOBS overrides; each fuzzer is one process on one core),
# on a scratch copy of its seed
# corpus (tests/fuzz/corpus/<target>/), so the repository's corpus is never
# changed. TARGET names a subset (amount, audit_pack, ...); default: every
# tests/fuzz/*_fuzz.cc. Prints seconds and executions per target and exits 1
# if any target crashed; crashing inputs are kept in build-fuzz/crashes/<target>/
# and each target's full log in build-fuzz/fuzz-logs/<target>.log.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${RF_FUZZ_BUILD_DIR:-$root/build-fuzz}"

# The one sanitizer build (clang, ASan + UBSan, -O2 with line tables): the
# fuzz targets and, from tools/dev test, the whole suite.
configure() {
  if [ -f "$build_dir/CMakeCache.txt" ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
    rm -rf "$build_dir"  # made earlier with another generator
  fi
  CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -G Ninja -DRF_FUZZ=ON -DRF_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRF_WERROR=ON -DRF_LINE_TABLES=ON >/dev/null
}
if [ "${1:-}" = --configure ]; then
  configure
  exit 0
fi

seconds="${1:-20}"
[ "$#" -gt 0 ] && shift
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 2
fi
jobs="$(nproc 2>/dev/null || echo 2)"
fuzz_jobs="${RF_FUZZ_JOBS:-$jobs}"

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  for source in "$root"/tests/fuzz/*_fuzz.cc; do
    name="$(basename "$source" .cc)"
    # verify_damaged is run by name only (tools/dev fuzz 600 verify_damaged):
    # it finds, within a minute, a damaged data.mdb on which LMDB loops for
    # ever; the program ends such a checking process (RunVerify's watchdog),
    # but the target runs in process and cannot, so it would report a timeout.
    [ "$name" = verify_damaged_fuzz ] && continue
    targets+=("${name%_fuzz}")
  done
fi

configure
build_targets=()
for t in "${targets[@]}"; do build_targets+=("${t}_fuzz"); done
cmake --build "$build_dir" -j "$jobs" --target "${build_targets[@]}"

scratch="$(mktemp -d -t rf-fuzz.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$build_dir/fuzz-logs"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# run_one TARGET: fuzzes one target and writes its table row (and "ok" or
# "crash") to $scratch/TARGET.row and .result.
run_one() {
  local t="$1"
  local corpus="$scratch/$t"
  mkdir -p "$corpus"
  if [ -d "$root/tests/fuzz/corpus/$t" ]; then cp -R "$root/tests/fuzz/corpus/$t/." "$corpus/"; fi
  local crashes="$build_dir/crashes/$t"
  mkdir -p "$crashes"
  local log="$build_dir/fuzz-logs/$t.log"
  local options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
                 -artifact_prefix="$crashes/")
  if [ -f "$root/tests/fuzz/$t.dict" ]; then options+=(-dict="$root/tests/fuzz/$t.dict"); fi
  # A target's own libFuzzer flags, one a line (verify_damaged.options).
  if [ -f "$root/tests/fuzz/$t.options" ]; then
    while read -r flag; do [ -n "$flag" ] && options+=("$flag"); done <"$root/tests/fuzz/$t.options"
  fi
  local rc=0
  "$build_dir/tests/fuzz/${t}_fuzz" "${options[@]}" "$corpus" >"$log" 2>&1 || rc=$?
  # libFuzzer's last words: "Done 1234 runs in 20 second(s)".
  local done_line runs secs result
  done_line="$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 || true)"
  runs="$(awk '{print $2}' <<<"$done_line")"
  secs="$(awk '{print $5}' <<<"$done_line")"
  if [ -z "$runs" ]; then
    runs="$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' | tail -n 1 || true)"
  fi
  runs="${runs:-0}"
  secs="${secs:-$seconds}"
  if [ "$rc" -eq 0 ]; then
    result=ok
    echo ok >"$scratch/$t.result"
  else
    result="CRASH (exit $rc, see $log)"
    echo crash >"$scratch/$t.result"
  fi
  printf '%s %s %s\n' "$secs" "$runs" "$result" >"$scratch/$t.row"
}

# At most $fuzz_jobs fuzzers at a time.
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$fuzz_jobs" ]; then
    wait -n || true
    running=$(( running - 1 ))
  fi
  run_one "$t" &
  running=$(( running + 1 ))
done
wait || true

failed=()
total_runs=0
total_seconds=0
printf '%-18s %8s %14s %10s  %s\n' target seconds executions exec/s result
for t in "${targets[@]}"; do
  if [ ! -f "$scratch/$t.row" ]; then
    echo "0 0 NOT RUN" >"$scratch/$t.row"
    echo crash >"$scratch/$t.result"
  fi
  read -r secs runs result <"$scratch/$t.row"
  rate=$(( runs / (secs > 0 ? secs : 1) ))
  if [ "$(cat "$scratch/$t.result")" != ok ]; then failed+=("$t"); fi
  printf '%-18s %8s %14s %10s  %s\n' "$t" "$secs" "$runs" "$rate" "$result"
  total_runs=$(( total_runs + runs ))
  total_seconds=$(( total_seconds + secs ))
done
printf '%-18s %8s %14s\n' total "$total_seconds" "$total_runs"

if [ "${#failed[@]}" -gt 0 ]; then
  for t in "${failed[@]}"; do
    echo "--- $t: last lines of build-fuzz/fuzz-logs/$t.log" >&2
    grep -E 'ERROR|runtime error|Assertion|SUMMARY|: .*[a-z]+: |Test unit written' "$build_dir/fuzz-logs/$t.log" | head -n 20 >&2 || true
    echo "    crash inputs in $build_dir/crashes/$t/ (replay: $build_dir/tests/fuzz/${t}_fuzz FILE);" >&2
    echo "    fix, then copy each to tests/data/fuzz-regressions/$t/ (see tests/fuzz/README.md)" >&2
  done
  exit 1
fi
