#!/usr/bin/env bash
# Issue 28: `stn robustness` over the models of transformer-vs-cnn.sh and transformer-why.sh (both
# must have run into OUT), every comparison with seed 1 of the per-image draws:
#   robustness-digits        digits --rotate 60, stn and cnn, seeds 1-3     angles, scales, shifts
#   robustness-cifar         CIFAR-10, stn and cnn, seed 1                  angles, scales, shifts
#   robustness-cifar-rot60   CIFAR-10 --rotate 60, stn and cnn, seeds 1-3   angles
#   robustness-shipped       the model shipped in the SDK                    angles
#   robustness-why-digits    W1-W5 beside the runs they change               angles, scales, shifts
#   robustness-why-cifar     W6 beside CIFAR-10 --rotate 60 seed 1's pair    angles
# Models missing from OUT are left out of their comparison and named. Each writes OUT/<name>/ and
# OUT/<name>.txt. The images/s they print are not figures (the machine may be doing other work).
set -euo pipefail
if (($# != 1)); then
  echo "usage: benchmarks/scripts/transformer-robustness.sh OUT" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(realpath -m "$1")"
data="${DATA:-$root/../shared/data/cifar-10-batches-bin}"
digits="${DIGITS:-$root/runs/trees/digits}"
cd "$root"
angles=(--angles 0,15,30,45,60,90)
more=(--scales 0.7,1.3 --shifts 2,4)

compare() { # name data-dir level-args... -- run-names...
  local name="$1" dir="$2"
  shift 2
  local levels=()
  while [[ "$1" != -- ]]; do levels+=("$1"); shift; done
  shift
  local models=()
  for run in "$@"; do
    # W3, W5 and W6 are named after the factor transformer-why.sh picked: take the one there is.
    [[ "$run" == *'*'* ]] && run="$(cd "$out" && compgen -G "$run" | head -1 || echo "$run")"
    if [[ "$run" == shipped ]]; then
      continue # no --model: the SDK's own
    elif [[ -f "$out/$run/model.onnx" ]]; then
      models+=(--model "$out/$run/model.onnx")
    else
      echo "# $name: $run has no model.onnx, left out" | tee -a "$out/conditions.txt"
    fi
  done
  ./stn robustness ${models[@]+"${models[@]}"} --data-dir "$dir" "${levels[@]}" --seed 1 \
    --output "$out/$name" > "$out/$name.txt" 2>&1
  echo "# $(date -u +%FT%TZ) $name written" >> "$out/conditions.txt"
}

compare robustness-digits "$digits/test" "${angles[@]}" "${more[@]}" -- \
  digits-rot60-{stn,cnn}-seed1 digits-rot60-{stn,cnn}-seed2 digits-rot60-{stn,cnn}-seed3
compare robustness-cifar "$data" "${angles[@]}" "${more[@]}" -- cifar-stn-seed1 cifar-cnn-seed1
compare robustness-cifar-rot60 "$data" "${angles[@]}" -- \
  cifar-rot60-{stn,cnn}-seed1 cifar-rot60-{stn,cnn}-seed2 cifar-rot60-{stn,cnn}-seed3
compare robustness-shipped "$data" "${angles[@]}" -- shipped
compare robustness-why-digits "$digits/test" "${angles[@]}" "${more[@]}" -- \
  digits-rot60-stn-seed1 why-w1-digits-stn-seed1-loclr1 why-w2-digits-stn-seed1-loclr10 \
  digits-rot60-cnn-seed1 'why-w3-digits-stn-seed1-loclr*-e200' why-w4-digits-cnn-seed1-e200 \
  digits-rot60-stn-seed2 'why-w5-digits-stn-seed2-loclr*' digits-rot60-cnn-seed2
compare robustness-why-cifar "$data" "${angles[@]}" -- \
  cifar-rot60-stn-seed1 'why-w6-cifar-rot60-stn-seed1-loclr*' cifar-rot60-cnn-seed1
