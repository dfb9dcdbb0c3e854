#!/usr/bin/env bash
# Issue 30's "accuracy unchanged": the default model's accuracy on the 10,000 CIFAR-10 test images
# written as 640x480 JPEGs (write_photos.py tree: each 32x32 image enlarged bicubically to 480x480
# on grey side bands, quality 90), with the SDK's default decode (libturbojpeg when the system has
# it) and with the pure-Java path (STN_JAVA_OPTS=-Dstn4j.jpeg.native=false); and the max |delta|
# of the 3x32x32 input tensors between the full decode read(file) and the reduced read(file, 32)
# on a sample of the tree's files, per path (./stn bench decode-delta).
#
#   benchmarks/scripts/photo-accuracy.sh OUT
#   e.g. BEFORE=/path/to/a/checkout/before/issue-30 \
#        benchmarks/scripts/photo-accuracy.sh benchmarks/results/photo-accuracy-$(date -u +%F)
#
# Rows (each `./stn evaluate --json`, the default model, one run each: accuracy is deterministic
# for a given decode, so there are no rounds):
#   test-batch    the 32x32 originals (test_batch.bin in $DATA): what enlarging and JPEG cost
#   tree-default  the JPEG tree, this checkout, default decode
#   tree-java     the JPEG tree, this checkout, -Dstn4j.jpeg.native=false
#   tree-before   the JPEG tree, the checkout $BEFORE (today's full decode), when BEFORE is set
# Rule, stated before the runs: the bound is |tree-default - tree-before| <= 0.2 points and the
# same for tree-java (without BEFORE no verdict is given, only the rows); every row is reported,
# a failed one as failed. decode-delta compares 1 in every ceil(10,000 / SAMPLE) files, sorted by
# path; its max |delta| is over all 3x32x32 values of those files.
# OUT gets conditions.txt, <row>.json (+ .err), decode-delta.txt and summary.md.
# Environment: DATA (default ../shared/data/cifar-10-batches-bin from the repository root), TREE
# (default runs/trees/cifar-test-640x480, written once when missing; not committed, named by
# SHA-256 in conditions.txt), SAMPLE (default 500), BEFORE, PYTHON (default /usr/bin/python3).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [[ $# -ne 1 ]]; then
  echo "usage: benchmarks/scripts/photo-accuracy.sh OUT" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$1"
python="${PYTHON:-/usr/bin/python3}"
data="${DATA:-$root/../shared/data/cifar-10-batches-bin}"
tree="${TREE:-$root/runs/trees/cifar-test-640x480}"
sample="${SAMPLE:-500}"
before="${BEFORE:-}"
if [[ ! "$sample" =~ ^[0-9]+$ ]] || (( sample < 1 )); then
  echo "photo-accuracy.sh: SAMPLE must be a positive integer, got '$sample'" >&2
  exit 2
fi
if [[ -n "$before" && ! -x "$before/stn" ]]; then
  echo "photo-accuracy.sh: BEFORE=$before holds no ./stn" >&2
  exit 2
fi
if [[ -e "$out/summary.md" ]]; then
  echo "photo-accuracy.sh: $out already holds a run; use a fresh OUT" >&2
  exit 2
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$root"
if [[ ! -d "$tree" ]]; then
  mkdir -p "$(dirname "$tree")"
  "$python" benchmarks/scripts/write_photos.py tree --cifar "$data" "$tree" | tee "$out/tree.txt"
fi
./stn evaluate --help > /dev/null 2>&1 # builds the CLI first if stale
./stn bench --help > /dev/null 2>&1    # and the benchmarks

{
  echo "# photo-accuracy $(date -u +%FT%TZ): decode-delta sample $sample"
  echo "# machine: $(machine_summary)"
  echo "# git: $(git rev-parse --short HEAD) $(git status --porcelain | wc -l) changed files"
  [[ -z "$before" ]] || echo "# before: $before ($(git -C "$before" rev-parse --short HEAD) $(git -C "$before" status --porcelain | wc -l) changed files)"
  echo "# java: $(java -version 2>&1 | head -1)"
  turbo="$( (ldconfig -p 2>/dev/null || true) | grep 'libturbojpeg\.so\.0' || true)"
  echo "# libturbojpeg: $(echo "${turbo:-none}" | head -1 | xargs)"
  echo "# data: $data"
  echo "# tree: $("$python" benchmarks/scripts/write_tree.py --digest "$tree")"
  echo "# rule: |tree-default - tree-before| <= 0.2 points, and tree-java; every row reported"
  echo "# uptime: $(uptime)"
} > "$out/conditions.txt"
cat "$out/conditions.txt"

evaluate() { # row checkout java-opts data
  echo "# $(date -u +%FT%TZ) $1" >> "$out/conditions.txt"
  STN_JAVA_OPTS="$3" "$2/stn" evaluate --json --data-dir "$4" > "$out/$1.json" \
    2> "$out/$1.err" || echo "# $1: exit $?" >> "$out/conditions.txt"
}
if [[ -f "$data/test_batch.bin" ]]; then
  evaluate test-batch "$root" "${STN_JAVA_OPTS:-}" "$data"
fi
evaluate tree-default "$root" "${STN_JAVA_OPTS:-}" "$tree"
evaluate tree-java "$root" "${STN_JAVA_OPTS:+$STN_JAVA_OPTS }-Dstn4j.jpeg.native=false" "$tree"
[[ -z "$before" ]] || evaluate tree-before "$before" "${STN_JAVA_OPTS:-}" "$tree"
./stn bench decode-delta "$tree" --sample "$sample" > "$out/decode-delta.txt" 2>&1 \
  || echo "# decode-delta: exit $?" >> "$out/conditions.txt"
echo "# uptime at end: $(uptime)" >> "$out/conditions.txt"
"$python" - "$out" <<'PY' | tee "$out/summary.md"
import json, os, sys
out = sys.argv[1]
print(f"# photo-accuracy: {out}\n")
for line in open(os.path.join(out, "conditions.txt")):
    print(f"    {line.rstrip()}")
print("\n| row | images | classified | failed | accuracy (%) |\n|---|---:|---:|---:|---:|")
acc = {}
for row in ("test-batch", "tree-default", "tree-java", "tree-before"):
    path = os.path.join(out, row + ".json")
    if not os.path.exists(path):
        continue
    try:
        doc = json.load(open(path))
        acc[row] = 100 * doc["accuracy"]
        # test_batch.bin's answer has no classified/failed: every record is an image
        print(f"| {row} | {doc['images']:,} | {doc.get('classified', doc['images']):,} "
              f"| {doc.get('failed', 0):,} | {acc[row]:.2f} |")
    except (ValueError, KeyError):
        print(f"| {row} | failed (see {row}.err) | | | |")
print()
for row in ("tree-default", "tree-java"):
    if row in acc and "tree-before" in acc:
        d = acc[row] - acc["tree-before"]
        print(f"- {row} - tree-before: {d:+.2f} points; within 0.2: "
              f"{'met' if abs(d) <= 0.2 else 'NOT met'}")
if "tree-before" not in acc:
    print("- no tree-before row (BEFORE unset or failed): no verdict")
if "tree-default" in acc and "tree-java" in acc:
    print(f"- tree-default - tree-java: {acc['tree-default'] - acc['tree-java']:+.2f} points")
print("\n## Input tensors: full vs reduced decode (bench decode-delta)\n")
for line in open(os.path.join(out, "decode-delta.txt")):
    print(f"    {line.rstrip()}")
PY
