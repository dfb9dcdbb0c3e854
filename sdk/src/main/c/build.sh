#!/bin/sh
# Compiles stn4j's ONNX Runtime custom-op library: build.sh OUTPUT_FILE [EXTRA_CC_FLAGS...]
# Run by the Maven build (sdk/pom.xml, profile native-kernels). -ffp-contract=off keeps every
# multiply and add separate, as in ONNX Runtime's own kernel, so the outputs are bit-identical.
set -eu
# gcc finds its own parts (cc1) through PATH; a build started with an empty environment has none.
export PATH="${PATH:-/usr/local/bin:/usr/bin:/bin}"
out=$1
shift
src=$(dirname "$0")
mkdir -p "$(dirname "$out")"
exec "${CC:-gcc}" -std=c11 -O3 -ffp-contract=off -fno-fast-math -fPIC -shared \
  -fvisibility=hidden -Wall -Wextra -s "$@" \
  -o "$out" "$src/stn4j_ops.c" "$src/grid_sample.c"
