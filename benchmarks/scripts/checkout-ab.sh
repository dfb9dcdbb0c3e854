#!/usr/bin/env bash
# One `./stn` command from two checkouts, alternating, so that a refactoring that must not change a
# figure is checked in one run under the same load: the rows of `stn bench` (SDK) or `stn bench
# serve` from before and after.
#
#   benchmarks/scripts/checkout-ab.sh OUT_DIR ROUNDS BEFORE_ROOT AFTER_ROOT STN_ARGS...
#
# STN_ARGS is a `stn bench ...` command line without --json; each run writes its rows with --json.
# Rule, fixed before any run: each checkout first runs once as a warm-up (it builds its jar if
# needed), kept and not counted; then ROUNDS rounds, before then after, or after then before on
# even rounds; every counted run is reported. Then benchmarks/scripts/checkout-ab.py OUT_DIR.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
out="$(realpath -m "$1")" rounds="$2" before="$3" after="$4"
shift 4
mkdir -p "$out"
{
  echo "# checkout-ab $(date -u +%FT%TZ): $rounds rounds: stn $*"
  echo "# machine: $(machine_summary)"
  echo "# before: $before ($(git -C "$before" rev-parse --short HEAD)); after: $after ($(git -C "$after" rev-parse --short HEAD))"
  echo "# uptime: $(uptime)"
} > "$out/conditions.txt"
cat "$out/conditions.txt"
one() { # label root kind round
  local label="$1" root="$2" kind="$3" round="$4"
  (cd "$root" && ./stn "${args[@]}" --json "$out/$kind-$round-$label.json") > "$out/$kind-$round-$label.txt" 2>&1 ||
    echo "# exit $?" >> "$out/$kind-$round-$label.txt"
  echo "$kind round $round $label done"
}
args=("$@")
one before "$before" warmup 0
one after "$after" warmup 0
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then one before "$before" counted "$r"; one after "$after" counted "$r"
  else one after "$after" counted "$r"; one before "$before" counted "$r"; fi
done
echo "# uptime after: $(uptime)" >> "$out/conditions.txt"
