#!/usr/bin/env bash
# Wall time of `./stn classify TREE --output /dev/null` (process start to summary, launcher
# included) from two checkouts, alternating, so that a change to the launcher or the CLI is compared
# in one run under the same load.
#
#   benchmarks/scripts/classify-ab.sh OUT_DIR ROUNDS BEFORE_ROOT AFTER_ROOT TREE
#
# Rule, fixed before any run: each checkout first runs once as a warm-up (it builds its jar if
# needed and fills the page cache); warm-ups are kept in the raw output and not counted. Then
# ROUNDS rounds, each running before then after, or after then before on odd rounds; every counted
# run is reported. Then benchmarks/scripts/classify-ab.py OUT_DIR.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
out="$1" rounds="$2" before="$3" after="$4" tree="$5"
mkdir -p "$out"
{
  echo "# classify-ab $(date -u +%FT%TZ): $rounds rounds, tree $tree ($(find "$tree" -type f | wc -l) files)"
  echo "# machine: $(machine_summary)"
  echo "# before: $before ($(git -C "$before" rev-parse --short HEAD)); after: $after ($(git -C "$after" rev-parse --short HEAD))"
  echo "# uptime: $(uptime)"
} > "$out/conditions.txt"
cat "$out/conditions.txt"

run() { # label root kind(warmup|counted) round
  local log="$out/$4-$1.txt" t0 t1
  t0=$(date +%s.%N)
  "$2/stn" classify "$tree" --output /dev/null > "$log" 2>&1 || echo "# exit $?" >> "$log"
  t1=$(date +%s.%N)
  echo "$3 round=$4 $1 seconds=$(echo "$t1 - $t0" | bc)" | tee -a "$out/times.txt"
}
run before "$before" warmup 0
run after "$after" warmup 0
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then
    run before "$before" counted "$r"; run after "$after" counted "$r"
  else
    run after "$after" counted "$r"; run before "$before" counted "$r"
  fi
done
echo "# uptime after: $(uptime)" >> "$out/conditions.txt"
