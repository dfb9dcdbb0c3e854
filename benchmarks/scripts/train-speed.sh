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
#   STN_ISAS   space-separated `stn train --onednn-isa` values, one variant each (default "none cap":
#              uncapped, then the trainer's safe cap; auto = what the probe decides on this machine;
#              or a oneDNN ISA name). The first is labelled as in STN_JARS, the others LABEL-ISA.
#              stn4j runs with ONEDNN_MAX_CPU_ISA unset: the trainer sets the cap itself (in a child
#              JVM when capped; the epoch's seconds are the child's own).
#   PEER_ISAS  space-separated caps for the peer: none (ONEDNN_MAX_CPU_ISA unset) or a oneDNN ISA
#              name such as SSE41 (default "none")
#   PYTHON     default /usr/bin/python3 (Debian's python3-torch)
#   DATA       default ../shared/data/cifar-10-batches-bin (from the repository root)
# Both get OMP_WAIT_POLICY=PASSIVE (what ./stn sets: spinning OpenMP threads wreck a shared
# machine) and 2 threads. Then benchmarks/scripts/train-speed-summary.py OUT_DIR (run at the end).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/benchmarks/results/train-speed-$(date -u +%F)}"
rounds="${2:-3}"
validation="${3:-5000}"
stn_jars="${STN_JARS:-stn4j=$root/trainer/target/stn4j-trainer.jar}"
if [[ -n "${STN_ISA:-}" ]]; then
  echo "train-speed.sh: STN_ISA is now STN_ISAS (--onednn-isa values, e.g. \"none cap\")" >&2
  exit 2
fi
stn_isas="${STN_ISAS:-none cap}"
peer_isas="${PEER_ISAS:-none}"
python="${PYTHON:-/usr/bin/python3}"
data="${DATA:-$root/../shared/data/cifar-10-batches-bin}"
mkdir -p "$out"
export OMP_WAIT_POLICY=PASSIVE

{
  echo "# train-speed $(date -u +%FT%TZ): $rounds rounds, --validation $validation, 1 epoch per run, 2 threads"
  echo "# machine: $(machine_summary)"
  echo "# git: $(git -C "$root" rev-parse --short HEAD) $(git -C "$root" status --porcelain | wc -l) changed files"
  echo "# stn4j: $stn_jars, --onednn-isa $stn_isas; peer: $("$python" -c 'import torch; print("torch", torch.__version__)'), ISA $peer_isas"
  echo "# other processes on the CPU (seconds here are contended unless the load is ~0):"
  ps -eo pid,pcpu,etime,args --sort=-pcpu | head -6 | cut -c1-160 | sed 's/^/#   /'
  echo "# uptime: $(uptime)"
} > "$out/conditions.txt"
cat "$out/conditions.txt"

run_stn() { # label jar round isa
  local log="$out/round$3-$1.txt" tmp
  tmp="$(mktemp -d)"
  {
    echo "# $(date -u +%FT%TZ) round $3 $1 ($2) --onednn-isa $4"
    echo "# uptime before: $(uptime)"
    env -u ONEDNN_MAX_CPU_ISA MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=268435456 \
      java -Dai.djl.offline=true -jar "$2" train --data-dir "$data" --validation "$validation" \
      --epochs 1 --threads 2 --no-progress --onednn-isa "$4" --output "$tmp/run" || echo "# exit $?"
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
    if [[ "$1" == none || "$1" == default ]]; then
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
    first=1
    for isa in $stn_isas; do
      if ((first)); then
        run_stn "${pair%%=*}" "${pair#*=}" "$r" "$isa"
      else
        run_stn "${pair%%=*}-$isa" "${pair#*=}" "$r" "$isa"
      fi
      first=0
    done
  done
  for isa in $peer_isas; do
    run_peer "$isa" "$r"
  done
done
echo "# uptime at end: $(uptime)" >> "$out/conditions.txt"
"$python" "$root/benchmarks/scripts/train-speed-summary.py" "$out" | tee "$out/summary.txt"
