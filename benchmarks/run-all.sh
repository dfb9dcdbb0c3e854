#!/usr/bin/env bash
# Runs every measurement behind benchmarks/RESULTS.md and keeps the raw output in
# benchmarks/results/ (terminal text and JSON). Takes about 20 minutes on 2 cores.
#
#   benchmarks/run-all.sh [--model FILE]
#   STEPS="table callers" BENCH_JAR=benchmarks/target/benchmarks.jar benchmarks/run-all.sh
#
# Run it on a quiet machine: `uptime` is printed before and after each step, since a shared
# machine's load moves the figures (the harness interleaves the runtimes it compares, which keeps
# their ratios fair, but not the absolute numbers).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=benchmarks/results
mkdir -p "$out"
export STN_JAVA_OPTS="${STN_JAVA_OPTS:--Xms2g -Xmx2g}"
# What the launcher sets for the PyTorch commands, here for the BENCH_JAR path too.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-67108864}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"
# The launcher by default; BENCH_JAR=benchmarks/target/benchmarks.jar reuses a built jar as is.

# STEPS="table jmh" runs only those steps (names as below).
step() {
  local name=$1
  shift
  if [[ -n "${STEPS:-}" && " $STEPS " != *" $name "* ]]; then
    return 0
  fi
  { echo "# $(date -u +%FT%TZ) $(uptime)"; echo "# ./stn bench $*"; } >"$out/$name.txt"
  local stn=(./stn)
  if [[ -n "${BENCH_JAR:-}" ]]; then
    # shellcheck disable=SC2206
    stn=(java $STN_JAVA_OPTS -Dai.djl.offline=true -jar "$BENCH_JAR")
  fi
  "${stn[@]}" bench "$@" 2>&1 | grep --line-buffered -v -e 'WARNING: Tried to change OrtEnvironment' -e 'OrtEnvironment getEnvironment$' \
    | tee -a "$out/$name.txt"
  echo "# $(date -u +%FT%TZ) $(uptime)" >>"$out/$name.txt"
}

{ lscpu | grep -E 'Model name|^CPU\(s\)|Thread|Core|Socket|Flags' | cut -c1-200; java -version 2>&1; } >"$out/machine.txt"
step table "$@" --json "$out/table.json"
step callers "$@" --runtimes sdk --batches 1,256 --threads 1 --callers 1,8 --no-preprocessing \
  --json "$out/callers.json"
step levers levers "$@" --json "$out/levers.json"
step profile-b1 profile "$@" --batch 1 --iterations 5000
step profile-b256 profile "$@" --batch 256 --iterations 60 --warmup-iterations 10
# The heap pre-touched, so that resident memory growth can only come from native memory.
STN_JAVA_OPTS="-Xms1g -Xmx1g -XX:+AlwaysPreTouch" \
  step leak-check "$@" --leak-check 1000000 --batches 1 --threads 1 --providers cpu --json "$out/leak-check.json"
step jmh --jmh -p batch=1,256 -p threads=1 -wi 2 -i 3 -rf json -rff "$out/jmh.json"
