#!/usr/bin/env bash
# Side by side: the benchmarks jar built on ONNX Runtime A and on B, run alternately (A B A B ...),
# each run the same `bench` table (sdk, ort-raw, djl-pytorch; batch 1 and 256; 1 and 2 threads;
# interleaved rounds inside), raw output and JSON kept per run. Every run counts: none is left out.
#   benchmarks/scripts/ort-version-ab.sh OUT_DIR RUNS LABEL_A JAR_A LABEL_B JAR_B [FIRST_RUN]
# (FIRST_RUN numbers the runs from there, to add runs to an existing OUT_DIR.)
# then benchmarks/scripts/bench-summary.py OUT_DIR prints the ratios' median and min-max.
set -euo pipefail
out="$1" runs="$2" label_a="$3" jar_a="$4" label_b="$5" jar_b="$6" first="${7:-1}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$out"
export OMP_WAIT_POLICY=PASSIVE
for ((i = first; i < first + runs; i++)); do
  for pair in "$label_a=$jar_a" "$label_b=$jar_b"; do
    label="${pair%%=*}" jar="${pair#*=}"
    log="$out/run$i-$label.txt"
    {
      echo "# $(date -u +%FT%TZ) run $i $label ($jar)"
      echo "# uptime before: $(uptime)"
      java -Dai.djl.offline=true -jar "$jar" bench --root "$root" --runtimes sdk,ort-raw,djl-pytorch \
        --batches 1,256 --threads 1,2 --rounds 2 --warmup-seconds 1 --seconds 2 \
        --no-preprocessing --json "$out/run$i-$label.json"
      echo "# uptime after: $(uptime)"
    } > "$log" 2>&1
  done
done
