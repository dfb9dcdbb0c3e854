#!/usr/bin/env bash
# Seconds per training epoch, stn4j's trainer beside the PyTorch peer (benchmarks/peers/train_stn.py),
# same network, recipe, batch (64), split and thread count (2), run alternately for ROUNDS rounds
# (every variant once per round, in order), one epoch per run. Raw output of every run is kept
# in OUT_DIR, with `uptime` before and after; every run counts, none is left out.
#
#   benchmarks/scripts/train-speed.sh [OUT_DIR] [ROUNDS] [VALIDATION]
#
# OUT_DIR defaults to benchmarks/results/train-speed-<UTC date>; ROUNDS to 3; VALIDATION (images
# held out, the rest trained on: 5000 -> 45,000 images, 704 steps) to 5000. Seconds are the
# epoch's training time only (each tool prints it apart from its evaluation).
#
# Variants, from the environment:
#   STN_JARS   space-separated LABEL=JAR of trainer jars (each with its lib/ beside it),
#              default "stn4j=trainer/target/stn4j-trainer.jar" (build it first: ./stn train --help)
#   STN_ISA    ONEDNN_MAX_CPU_ISA for stn4j (default SSE41, as ./stn sets; see README Known issues)
#   PEER_ISAS  space-separated ONEDNN_MAX_CPU_ISA values for the peer, "default" for unset
#              (default "SSE41 default")
#   PYTHON     default /usr/bin/python3 (Debian's python3-torch)
#   DATA       default ../shared/data/cifar-10-batches-bin (from the repository root)
# Both get OMP_WAIT_POLICY=PASSIVE (what ./stn sets: spinning OpenMP threads wreck a shared
# machine) and 2 threads. Then benchmarks/scripts/train-speed-summary.py OUT_DIR (run at the end).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/benchmarks/results/train-speed-$(date -u +%F)}"
rounds="${2:-3}"
validation="${3:-5000}"
stn_jars="${STN_JARS:-stn4j=$root/trainer/target/stn4j-trainer.jar}"
stn_isa="${STN_ISA:-SSE41}"
peer_isas="${PEER_ISAS:-SSE41 default}"
python="${PYTHON:-/usr/bin/python3}"
data="${DATA:-$root/../shared/data/cifar-10-batches-bin}"
mkdir -p "$out"
export OMP_WAIT_POLICY=PASSIVE

{
  echo "# train-speed $(date -u +%FT%TZ): $rounds rounds, --validation $validation, 1 epoch per run, 2 threads"
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# git: $(git -C "$root" rev-parse --short HEAD) $(git -C "$root" status --porcelain | wc -l) changed files"
  echo "# stn4j: $stn_jars, ONEDNN_MAX_CPU_ISA=$stn_isa; peer: $("$python" -c 'import torch; print("torch", torch.__version__)'), ISA $peer_isas"
  echo "# other processes on the CPU (seconds here are contended unless the load is ~0):"
  ps -eo pid,pcpu,etime,args --sort=-pcpu | head -6 | cut -c1-160 | sed 's/^/#   /'
  echo "# uptime: $(uptime)"
} > "$out/conditions.txt"
cat "$out/conditions.txt"

run_stn() { # label jar round
  local log="$out/round$3-$1.txt" tmp
  tmp="$(mktemp -d)"
  {
    echo "# $(date -u +%FT%TZ) round $3 $1 ($2) ONEDNN_MAX_CPU_ISA=$stn_isa"
    echo "# uptime before: $(uptime)"
    ONEDNN_MAX_CPU_ISA="$stn_isa" MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=268435456 \
      java -Dai.djl.offline=true -jar "$2" train --data-dir "$data" --validation "$validation" \
      --epochs 1 --threads 2 --no-progress --output "$tmp/run" || echo "# exit $?"
    echo "# uptime after: $(uptime)"
  } > "$log" 2>&1
  rm -rf "$tmp"
  grep -E '^epoch' "$log" | sed "s/^/round $3 $1: /" || echo "round $3 $1: no epoch line, see $log"
}

run_peer() { # isa round
  local log="$out/round$2-peer-$1.txt"
  {
    echo "# $(date -u +%FT%TZ) round $2 peer ONEDNN_MAX_CPU_ISA=$1"
    echo "# uptime before: $(uptime)"
    if [[ "$1" == default ]]; then
      env -u ONEDNN_MAX_CPU_ISA "$python" "$root/benchmarks/peers/train_stn.py" --data-dir "$data" \
        --validation "$validation" --epochs 1 --threads 2 || echo "# exit $?"
    else
      ONEDNN_MAX_CPU_ISA="$1" "$python" "$root/benchmarks/peers/train_stn.py" --data-dir "$data" \
        --validation "$validation" --epochs 1 --threads 2 || echo "# exit $?"
    fi
    echo "# uptime after: $(uptime)"
  } > "$log" 2>&1
  grep -E '^epoch' "$log" | sed "s/^/round $2 peer-$1: /" || echo "round $2 peer-$1: no epoch line, see $log"
}

for ((r = 1; r <= rounds; r++)); do
  for pair in $stn_jars; do
    run_stn "${pair%%=*}" "${pair#*=}" "$r"
  done
  for isa in $peer_isas; do
    run_peer "$isa" "$r"
  done
done
echo "# uptime at end: $(uptime)" >> "$out/conditions.txt"
"$python" "$root/benchmarks/scripts/train-speed-summary.py" "$out" | tee "$out/summary.txt"
