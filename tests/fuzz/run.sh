#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Builds the libFuzzer targets (clang, ASan + UBSan, in build-fuzz/) and runs
# each for SECONDS_PER_TARGET (default 20) on a scratch copy of its seed
# corpus (tests/fuzz/corpus/<target>/), so the repository's corpus is never
# changed. TARGET names a subset (amount, audit_pack, ...); default: every
# tests/fuzz/*_fuzz.cc. Prints seconds and executions per target and exits 1
# if any target crashed; crashing inputs are kept in build-fuzz/crashes/<target>/
# and each target's full log in build-fuzz/fuzz-logs/<target>.log.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-20}"
[ "$#" -gt 0 ] && shift
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 2
fi
build_dir="${RF_FUZZ_BUILD_DIR:-$root/build-fuzz}"
jobs="$(nproc 2>/dev/null || echo 2)"

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  for source in "$root"/tests/fuzz/*_fuzz.cc; do
    name="$(basename "$source" .cc)"
    targets+=("${name%_fuzz}")
  done
fi

CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -DRF_FUZZ=ON -DRF_SANITIZE=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
build_targets=()
for t in "${targets[@]}"; do build_targets+=("${t}_fuzz"); done
cmake --build "$build_dir" -j "$jobs" --target "${build_targets[@]}"

scratch="$(mktemp -d -t rf-fuzz.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$build_dir/fuzz-logs"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
total_runs=0
total_seconds=0
printf '%-18s %8s %14s %10s  %s\n' target seconds executions exec/s result
for t in "${targets[@]}"; do
  corpus="$scratch/$t"
  mkdir -p "$corpus"
  if [ -d "$root/tests/fuzz/corpus/$t" ]; then cp -R "$root/tests/fuzz/corpus/$t/." "$corpus/"; fi
  crashes="$build_dir/crashes/$t"
  mkdir -p "$crashes"
  log="$build_dir/fuzz-logs/$t.log"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
           -artifact_prefix="$crashes/")
  if [ -f "$root/tests/fuzz/$t.dict" ]; then options+=(-dict="$root/tests/fuzz/$t.dict"); fi
  rc=0
  "$build_dir/tests/fuzz/${t}_fuzz" "${options[@]}" "$corpus" >"$log" 2>&1 || rc=$?
  # libFuzzer's last words: "Done 1234 runs in 20 second(s)".
  done_line="$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 || true)"
  runs="$(awk '{print $2}' <<<"$done_line")"
  secs="$(awk '{print $5}' <<<"$done_line")"
  if [ -z "$runs" ]; then
    runs="$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' | tail -n 1 || true)"
  fi
  runs="${runs:-0}"
  secs="${secs:-$seconds}"
  rate=$(( runs / (secs > 0 ? secs : 1) ))
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    result="CRASH (exit $rc, see $log)"
    failed+=("$t")
  fi
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
