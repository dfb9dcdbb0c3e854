#!/usr/bin/env bash
# Issue 26's "as good as PyTorch on data that is not CIFAR-10": the UCI handwritten digits of
# Debian's python3-sklearn (sklearn.datasets.load_digits: 1,797 8x8 images, 16 grey levels, 10
# classes) written as labelled PNG trees (a stratified 80/20 split, seed 0:
# benchmarks/scripts/write_tree.py --digits), then, for each seed, `./stn train` and the PyTorch
# peer (benchmarks/peers/train_stn.py) on the same trees with the same network, recipe (each
# tool's defaults, which are the same; the summary compares the settings both print), image size
# 32 and epochs, one after the other (stn4j then the peer for odd seeds, the peer then stn4j for
# even ones). The test tree is evaluated after every epoch; the figure is the last epoch's.
#
#   benchmarks/scripts/digits-peer.sh OUT SEEDS EPOCHS
#   e.g. benchmarks/scripts/digits-peer.sh benchmarks/results/digits-peer-$(date -u +%F) "1 2 3" 30
#
# SEEDS: seeds separated by spaces or commas. OUT gets conditions.txt, per seed stn-SEED.txt (the
# trainer's console) and stn-SEED/ (its run folder: log.jsonl, checkpoint, curves), peer-SEED.txt
# (the peer's output, ending with a JSON line), and summary.md. The trees are written once, under
# $TREES (default runs/trees/digits, not committed: conditions.txt names them by SHA-256).
# Environment: PYTHON (default /usr/bin/python3, Debian's torch, numpy, PIL and sklearn);
# RECIPE_ARGS: recipe options given to both tools alike (both take --ema, --translate, --lr,
# --batch-size, --label-smoothing, --warmup, ...), e.g. "--ema 0.99"; default none.
#
# Choosing EPOCHS: the training tree has 1,437 images, 23 steps of 64 per epoch, and the default
# recipe evaluates an exponential moving average of the weights (decay 0.999, started from the
# initial weights, no warm-up): after E epochs the initial weights still make up 0.999^(23 E) of
# it (E = 30: 50 %; 100: 10 %; 200: 1 %). Use E >= 150 with the default recipe, or a shorter
# average (RECIPE_ARGS="--ema 0.99") for both tools.
#
# Rule, stated before the runs: every run counts, none is left out. A run that fails keeps its
# output and the summary lists it as missing; medians are over the runs that finished.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [[ $# -ne 3 ]]; then
  echo "usage: benchmarks/scripts/digits-peer.sh OUT SEEDS EPOCHS" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$1"
read -r -a seeds <<< "${2//,/ }"
epochs="$3"
python="${PYTHON:-/usr/bin/python3}"
read -r -a recipe <<< "${RECIPE_ARGS:-}"
trees="${TREES:-$root/runs/trees/digits}"
if [[ ${#seeds[@]} -eq 0 || ! "$epochs" =~ ^[1-9][0-9]*$ ]]; then
  echo "digits-peer.sh: SEEDS must name at least one seed and EPOCHS be a positive integer" >&2
  exit 2
fi
for s in "${seeds[@]}"; do
  if [[ ! "$s" =~ ^[0-9]+$ ]]; then
    echo "digits-peer.sh: seed '$s' is not a non-negative integer" >&2
    exit 2
  fi
  if [[ -e "$out/stn-$s" || -e "$out/stn-$s.txt" || -e "$out/peer-$s.txt" ]]; then
    echo "digits-peer.sh: $out already holds seed $s's runs; use a fresh OUT" >&2
    exit 2
  fi
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$root"
export OMP_WAIT_POLICY=PASSIVE

if [[ ! -d "$trees/train" || ! -d "$trees/test" ]]; then
  rm -rf "$trees/train" "$trees/test"
  mkdir -p "$trees"
  "$python" benchmarks/scripts/write_tree.py --digits "$trees/train" "$trees/test" \
    --test-fraction 0.2 --seed 0 > "$out/digits-trees.txt"
fi
./stn train --help > "$out/stn-train-help.txt" 2>&1 # builds the trainer's jar first if stale

{
  echo "# digits-peer $(date -u +%FT%TZ): seeds ${seeds[*]}, $epochs epochs, image size 32, recipe: defaults ${recipe[*]}"
  echo "# machine: $(nproc) cores, $(cpuinfo_field 'model name'), memory $(grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2-)"
  echo "# git: $(git rev-parse --short HEAD) $(git status --porcelain | wc -l) changed files"
  echo "# data: sklearn.datasets.load_digits (UCI handwritten digits), $("$python" -c 'import sklearn; print("scikit-learn", sklearn.__version__)'); split: stratified, test fraction 0.2, seed 0"
  echo "# trees: $("$python" benchmarks/scripts/write_tree.py --digest "$trees/train")"
  echo "# trees: $("$python" benchmarks/scripts/write_tree.py --digest "$trees/test")"
  echo "# peer: $("$python" -c 'import torch; print("torch", torch.__version__)'), 2 threads; stn4j: $(java -version 2>&1 | head -1)"
  echo "# rule: every run counts, none is left out; a failed run is listed as missing"
  echo "# other processes on the CPU:"
  ps -eo pid,pcpu,etime,args --sort=-pcpu | head -6 | cut -c1-160 | sed 's/^/#   /'
  echo "# uptime: $(uptime)"
} > "$out/conditions.txt"
cat "$out/conditions.txt"

run_stn() { # seed
  {
    echo "# $(date -u +%FT%TZ) stn train, seed $1"
    echo "# uptime before: $(uptime)"
    ./stn train --data-dir "$trees/train" --test-dir "$trees/test" --image-size 32 \
      --epochs "$epochs" --seed "$1" ${recipe[@]+"${recipe[@]}"} --no-progress \
      --output "$out/stn-$1" || echo "# exit $?"
    echo "# uptime after: $(uptime)"
  } > "$out/stn-$1.txt" 2>&1
  grep -E '^final|^epoch' "$out/stn-$1.txt" | tail -1 | sed "s/^/seed $1 stn4j: /" || true
}

run_peer() { # seed
  {
    echo "# $(date -u +%FT%TZ) peer, seed $1"
    echo "# uptime before: $(uptime)"
    "$python" benchmarks/peers/train_stn.py --train-dir "$trees/train" --test-dir "$trees/test" \
      --image-size 32 --epochs "$epochs" --seed "$1" ${recipe[@]+"${recipe[@]}"} --threads 2 \
      || echo "# exit $?"
    echo "# uptime after: $(uptime)"
  } > "$out/peer-$1.txt" 2>&1
  grep -E '^epoch' "$out/peer-$1.txt" | tail -1 | sed "s/^/seed $1 peer: /" || true
}

for s in "${seeds[@]}"; do
  if (( s % 2 )); then
    run_stn "$s"
    run_peer "$s"
  else
    run_peer "$s"
    run_stn "$s"
  fi
done
echo "# uptime at end: $(uptime)" >> "$out/conditions.txt"
"$python" benchmarks/scripts/digits-peer-summary.py "$out" | tee "$out/summary.md"
