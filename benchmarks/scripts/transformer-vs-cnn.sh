#!/usr/bin/env bash
# Issue 28's trainings: the spatial transformer against the same classifier without it
# (`--no-transformer`), same recipe, data and a fixed 20-epoch schedule; each run then exported, so
# that `./stn robustness` can test every model on the same distorted copies afterwards.
#
#   benchmarks/scripts/transformer-vs-cnn.sh OUT SET...
#
# SETs, run in the order given (one process at a time; each skipped when OUT/<name>/model.onnx
# already exists, so an interrupted queue resumes where it stopped; a training stopped part-way
# continues from its last epoch's checkpoint with `stn train --resume`, which repeats the run
# exactly):
#   digits-rot60   UCI digits as PNG trees (runs/trees/digits/{train,test}, write_tree.py
#                  --digits), --rotate 60, --ema 0.99 (23 steps an epoch), seeds 1 2 3, stn and cnn
#   cifar          CIFAR-10's binary batches ($DATA, default ../shared/data/cifar-10-batches-bin),
#                  the shipped recipe, seed 1, stn and cnn
#   cifar-rot60    the same with --rotate 60, seeds 1 2 3, stn and cnn
# Within a seed, stn runs before cnn in odd seeds and after it in even ones. The rotated sets pin
# --loc-lr-factor 0.1, the default when they ran (with --rotate it is 1 since; transformer-why.sh's
# runs are why).
# Rule, stated before any run: every run is kept and reported; a run that fails is reported with
# its exit code and not retried by this script. Training times are not figures here: other work
# shares the machine while these run (stated in conditions.txt).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if (($# < 2)); then
  echo "usage: benchmarks/scripts/transformer-vs-cnn.sh OUT SET... (digits-rot60 cifar cifar-rot60)" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(realpath -m "$1")"
shift
data="${DATA:-$root/../shared/data/cifar-10-batches-bin}"
digits="${DIGITS:-$root/runs/trees/digits}"
mkdir -p "$out"
cd "$root"
{
  echo "# transformer-vs-cnn $(date -u +%FT%TZ): sets $*"
  echo "# machine: $(machine_summary)"
  echo "# git: $(git rev-parse --short HEAD) $(git status --porcelain | wc -l) changed files"
  echo "# uptime: $(uptime)"
} >> "$out/conditions.txt"

one() { # name architecture seed data-args...
  local name="$1" arch="$2" seed="$3"
  shift 3
  local flags=()
  [[ "$arch" == cnn ]] && flags+=(--no-transformer)
  train_and_export "$out" "$name" "$seed" "$@" --epochs 20 ${flags[@]+"${flags[@]}"}
}

pair() { # set seed data-args...
  local set="$1" seed="$2"
  shift 2
  local order=(stn cnn)
  ((seed % 2)) || order=(cnn stn)
  for arch in "${order[@]}"; do one "$set-$arch-seed$seed" "$arch" "$seed" "$@"; done
}

for set in "$@"; do
  case "$set" in
    digits-rot60)
      for seed in 1 2 3; do
        pair "$set" "$seed" --data-dir "$digits/train" --test-dir "$digits/test" \
          --image-size 32 --rotate 60 --ema 0.99 --loc-lr-factor 0.1
      done ;;
    cifar) pair "$set" 1 --data-dir "$data" ;;
    cifar-rot60) for seed in 1 2 3; do pair "$set" "$seed" --data-dir "$data" --rotate 60 --loc-lr-factor 0.1; done ;;
    *) echo "transformer-vs-cnn.sh: unknown set '$set'" >&2; exit 2 ;;
  esac
done
echo "# $(date -u +%FT%TZ) all done, uptime: $(uptime)" >> "$out/conditions.txt"
