#!/usr/bin/env bash
# Issue 15's figures, every run counted (no run is left out; the load average is printed with each):
#   benchmarks/scripts/int8-roofline.sh OUT_DIR [RUNS] [DATA_DIR]
# quantizes the shipped fp32 model (calibration: the first 1,000 records of data_batch_1.bin),
# evaluates both models on test_batch.bin, then RUNS times: `stn bench int8` (int8 vs fp32, batches
# 1/64/256, 1 and 2 threads, 4 interleaved rounds) and `stn bench roofline`. int8-roofline.py
# OUT_DIR prints the median and min-max over the runs. Run it on an idle machine.
set -euo pipefail
out="$1" runs="${2:-3}" data="${3:-../shared/data/cifar-10-batches-bin}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
fp32="$root/sdk/src/main/resources/dev/stn4j/sdk/default-model.onnx"
int8="$out/model-int8.onnx"
mkdir -p "$out"
cd "$root"
"$root/stn" quantize --model "$fp32" --output "$int8" --data-dir "$data" > "$out/quantize.txt" 2>&1
sha256sum "$fp32" "$int8" >> "$out/quantize.txt"
for model in "$fp32" "$int8"; do
  "$root/stn" evaluate --model "$model" --data-dir "$data" >> "$out/evaluate.txt" 2>&1
done
for ((i = 1; i <= runs; i++)); do
  { echo "run $i, load $(cut -c1-14 /proc/loadavg), $(date -u +%FT%TZ)"
    "$root/stn" bench int8 --int8-model "$int8" --batches 1,64,256 --threads 1,2 --seconds 2 \
      --rounds 4 --json "$out/ab-run$i.json"
    echo "after: load $(cut -c1-14 /proc/loadavg)"; } > "$out/ab-run$i.txt" 2>&1
  { echo "run $i, load $(cut -c1-14 /proc/loadavg), $(date -u +%FT%TZ)"
    "$root/stn" bench roofline --int8-model "$int8"
    echo "after: load $(cut -c1-14 /proc/loadavg)"; } > "$out/roofline-run$i.txt" 2>&1
done
python3 "$root/benchmarks/scripts/int8-roofline.py" "$out" | tee "$out/summary.txt"
