#!/usr/bin/env bash
# Issue 26's "same data, two doors": CIFAR-10's binary batches and the same images written as a
# lossless PNG tree (benchmarks/scripts/write_tree.py --cifar: every pixel byte as stored, the
# class folders from batches.meta.txt), each trained by `./stn train` with the same recipe (the
# trainer's defaults), image size 32, EPOCHS epochs, for seeds 1 and 2 (SEEDS to change), in
# interleaved rounds: round k is seed k's two runs back to back, the binary door first in odd
# rounds and the tree first in even ones. The test split (test_batch / the test tree, the same
# 10,000 images) is evaluated after every epoch, as the trainer does without --validation.
#
#   benchmarks/scripts/two-doors.sh OUT EPOCHS
#   e.g. benchmarks/scripts/two-doors.sh benchmarks/results/two-doors-$(date -u +%F) 30
#
# OUT gets conditions.txt, per round bin-SEED.txt / tree-SEED.txt (the trainer's console) and
# bin-SEED/ / tree-SEED/ (run folders: log.jsonl with each epoch's train_seconds, checkpoint,
# curves), and summary.md (two-doors-summary.py). The trees are written once, under $TREES
# (default runs/trees/cifar-10-png, not committed: conditions.txt names them by SHA-256).
# Environment: DATA (default ../shared/data/cifar-10-batches-bin from the repository root),
# SEEDS (default "1 2"), PYTHON (default /usr/bin/python3).
#
# Rules, stated before the runs:
# - every run counts, none is left out; a run that fails keeps its output and the summary lists
#   it as missing (medians over the runs that finished);
# - accuracy: the last epoch's test accuracy of each run; per door the median over seeds; the
#   doors agree when the medians are within 0.5 points;
# - seconds per epoch: the trainer's train_seconds (the training part of an epoch, without
#   evaluation) of epochs 2..EPOCHS only, for both doors: with the tree, the first epoch may
#   include building the decode cache, so epoch 1 is left out of both doors alike. Per door the
#   median over those epochs of all its runs; the tree's epoch is within bound when that median
#   is <= 1.05 x the binary door's. The per-round ratio (tree / binary, same seed, back to back)
#   is shown beside it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [[ $# -ne 2 ]]; then
  echo "usage: benchmarks/scripts/two-doors.sh OUT EPOCHS" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$1"
epochs="$2"
read -r -a seeds <<< "${SEEDS:-1 2}"
python="${PYTHON:-/usr/bin/python3}"
data="${DATA:-$root/../shared/data/cifar-10-batches-bin}"
trees="${TREES:-$root/runs/trees/cifar-10-png}"
if [[ ! "$epochs" =~ ^[0-9]+$ ]] || (( epochs < 2 )); then
  echo "two-doors.sh: EPOCHS must be at least 2 (epoch 1 is left out of the seconds)" >&2
  exit 2
fi
for s in "${seeds[@]}"; do
  if [[ ! "$s" =~ ^[0-9]+$ ]]; then
    echo "two-doors.sh: seed '$s' is not a non-negative integer" >&2
    exit 2
  fi
  for door in bin tree; do
    if [[ -e "$out/$door-$s" || -e "$out/$door-$s.txt" ]]; then
      echo "two-doors.sh: $out already holds seed $s's runs; use a fresh OUT" >&2
      exit 2
    fi
  done
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"
data="$(cd "$data" && pwd)"
cd "$root"
export OMP_WAIT_POLICY=PASSIVE

for split in train test; do
  if [[ ! -d "$trees/$split" ]]; then
    mkdir -p "$trees"
    "$python" benchmarks/scripts/write_tree.py --cifar "$data" --split "$split" "$trees/$split" \
      | tee -a "$out/cifar-trees.txt"
  fi
done
./stn train --help > "$out/stn-train-help.txt" 2>&1 # builds the trainer's jar first if stale

{
  echo "# two-doors $(date -u +%FT%TZ): seeds ${seeds[*]}, $epochs epochs, image size 32"
  echo "# machine: $(nproc) cores, $(cpuinfo_field 'model name'), memory $(grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2-)"
  echo "# git: $(git rev-parse --short HEAD) $(git status --porcelain | wc -l) changed files"
  echo "# data: $data ($(head -1 "$data/README.md" 2>/dev/null | sed 's/^# //'))"
  echo "# trees: $("$python" benchmarks/scripts/write_tree.py --digest "$trees/train")"
  echo "# trees: $("$python" benchmarks/scripts/write_tree.py --digest "$trees/test")"
  echo "# stn4j: $(java -version 2>&1 | head -1)"
  echo "# rule: every run counts, none is left out; a failed run is listed as missing"
  echo "# epoch rule: seconds per epoch = train_seconds of epochs 2..$epochs (epoch 1 may build the tree's decode cache), both doors"
  echo "# other processes on the CPU:"
  ps -eo pid,pcpu,etime,args --sort=-pcpu | head -6 | cut -c1-160 | sed 's/^/#   /'
  echo "# uptime: $(uptime)"
} > "$out/conditions.txt"
cat "$out/conditions.txt"

run() { # door seed round
  local args
  if [[ "$1" == bin ]]; then
    args=(--data-dir "$data")
  else
    args=(--data-dir "$trees/train" --test-dir "$trees/test" --image-size 32)
  fi
  {
    echo "# $(date -u +%FT%TZ) round $3, $1 door, seed $2"
    echo "# uptime before: $(uptime)"
    ./stn train "${args[@]}" --epochs "$epochs" --seed "$2" --no-progress \
      --output "$out/$1-$2" || echo "# exit $?"
    echo "# uptime after: $(uptime)"
  } > "$out/$1-$2.txt" 2>&1
  grep -E '^final|^epoch' "$out/$1-$2.txt" | tail -1 | sed "s/^/round $3 $1 seed $2: /" || true
}

round=0
for s in "${seeds[@]}"; do
  round=$((round + 1))
  if (( round % 2 )); then
    run bin "$s" "$round"
    run tree "$s" "$round"
  else
    run tree "$s" "$round"
    run bin "$s" "$round"
  fi
done
echo "# uptime at end: $(uptime)" >> "$out/conditions.txt"
"$python" benchmarks/scripts/two-doors-summary.py "$out" | tee "$out/summary.md"
