#!/usr/bin/env bash
# The README's headline figures, every run counted: RUNS times, alternately, (1) the bench table
# (sdk, raw ORT, DJL PyTorch; batch 1 and 256; 1 and 2 threads; 3 interleaved rounds inside) and
# (2) `stn classify` of a folder of images, process start to summary (wall seconds).
#   benchmarks/scripts/headline.sh OUT_DIR RUNS BENCH_JAR IMAGE_DIR
# then benchmarks/scripts/bench-summary.py OUT_DIR prints median and min-max of every figure.
set -euo pipefail
out="$1" runs="$2" jar="$3" images="$4"
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$out"
export OMP_WAIT_POLICY=PASSIVE
"$root/stn" info > "$out/info.txt" 2>&1 # builds the CLI first if needed, outside the timings
for ((i = 1; i <= runs; i++)); do
  {
    echo "# $(date -u +%FT%TZ) run $i ($jar)"
    echo "# uptime before: $(uptime)"
    java -Dai.djl.offline=true -jar "$jar" bench --root "$root" --runtimes sdk,ort-raw,djl-pytorch \
      --batches 1,256 --threads 1,2 --rounds 3 --no-preprocessing --json "$out/run$i-current.json"
    echo "# uptime after: $(uptime)"
  } > "$out/run$i-current.txt" 2>&1
  {
    echo "# $(date -u +%FT%TZ) stn classify $images --output /dev/null; uptime: $(uptime)"
    start=$(date +%s.%N)
    "$root/stn" classify "$images" --output /dev/null > "$out/cli-run$i.log" 2>&1
    end=$(date +%s.%N)
  }
  echo "$end - $start" | bc > "$out/cli-run$i.txt"
done
python3 "$root/benchmarks/scripts/bench-summary.py" "$out" | tee "$out/summary.txt"
