#!/usr/bin/env bash
# Issue 27: `stn spark` on a user model gives the rows of `stn classify`.
#   benchmarks/scripts/spark-vs-classify.sh OUT_DIR MODEL TREE [MASTER]
# runs `stn classify TREE --model MODEL` (JSON lines) and `stn spark TREE --model MODEL` (JSON rows,
# MASTER default local[2]), both with --summary-json, then spark-vs-classify.py joins the rows on the
# file path and writes the comparison (class, label, confidence, probabilities, theta; the two
# summaries) to OUT_DIR/comparison.txt. Exit status: the comparison's (0 when every row is equal).
set -euo pipefail
out="$1" model="$2" tree="$3" master="${4:-local[2]}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$out"
rm -rf "$out/spark-rows"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$root" rev-parse HEAD)$(git -C "$root" diff --quiet HEAD || echo ' (+ local changes)')"
  echo "model: $model, sha256 $(sha256sum "$model" | cut -d' ' -f1)"
  echo "tree: $tree, $(find "$tree" -type f | wc -l) files"
  echo "machine: $(nproc) cores; classify with its default threads; spark $master, 1 intra-op thread"
} > "$out/conditions.txt"
"$root/stn" classify "$tree" --model "$model" --output "$out/classify.jsonl" \
  --summary-json "$out/classify-summary.json" 2> "$out/classify.log" || true
"$root/stn" spark "$tree" --model "$model" --output "$out/spark-rows" --format json \
  --master "$master" --summary-json "$out/spark-summary.json" 2> "$out/spark.log" || true
find "$out/spark-rows" -name '.*.crc' -delete # Hadoop's checksums of the part files: noise here
python3 "$root/benchmarks/scripts/spark-vs-classify.py" "$out" | tee "$out/comparison.txt"
exit "${PIPESTATUS[0]}"
