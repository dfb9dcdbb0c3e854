#!/usr/bin/env bash
# Issue 12's speed figures, every run counted (no run is left out; the load average is printed
# with each so a reader can see the conditions):
#   benchmarks/scripts/spark-scaling.sh OUT_DIR [ROUNDS] [DATA_DIR]
# writes the 10,000 CIFAR-10 test images as JPEG files in a labelled tree and its first 5,000 as a
# second tree (CifarExport), then ROUNDS times: `stn classify` on each tree (process start to
# summary, wall seconds), then SparkThroughputProbe in a fresh JVM (a warm-up round, then one round
# of local[1] and local[2] on both trees, masters in alternating order). spark-scaling.py OUT_DIR
# prints median and min-max of every figure and the issue's two ratios; last, untimed, the accuracy
# of `stn classify` and `stn spark` on the 10,000-file tree.
# Run it on an idle machine: nothing else, no training.
set -euo pipefail
out="$1" rounds="${2:-3}" data="${3:-../shared/data/cifar-10-batches-bin}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$out"
cd "$root"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl examples/cli,examples/spark -am test-compile package
"$root/stn" info > "$out/info.txt" 2>&1 # builds the CLI jar outside the timings
trees="$out/trees"
if [[ ! -d "$trees/all" ]]; then
  cp=examples/cli/target/test-classes:examples/cli/target/classes:examples/cli/target/lib/*
  java -cp "$cp" dev.stn4j.cli.CifarExport "$data/test_batch.bin" "$trees/all" jpg 0 10000
  java -cp "$cp" dev.stn4j.cli.CifarExport "$data/test_batch.bin" "$trees/half" jpg 0 5000
fi
opens=$(grep -o '<spark.jvm.opens>[^<]*' examples/spark/pom.xml | sed 's/<spark.jvm.opens>//')
s=examples/spark/target
for ((i = 1; i <= rounds; i++)); do
  for tree in half all; do
    start=$(date +%s.%N)
    "$root/stn" classify "$trees/$tree" --output /dev/null > "$out/cli-$tree-run$i.log" 2>&1
    end=$(date +%s.%N)
    echo "{\"round\":$i,\"tree\":\"$tree\",\"wall_s\":$(echo "$end - $start" | bc),\"loadavg\":\"$(cut -c1-14 /proc/loadavg)\"}" \
      >> "$out/cli.jsonl"
  done
  # shellcheck disable=SC2086
  SPARK_LOCAL_IP=127.0.0.1 java $opens -Dlog4j2.configurationFile=dev/stn4j/spark/log4j2-quiet.properties \
    -cp "$s/test-classes:$s/classes:$s/lib/*:$s/spark-lib/*" dev.stn4j.spark.SparkThroughputProbe \
    "$trees/half" "$trees/all" 1 > "$out/probe-run$i.txt" 2>&1
done
# Accuracy on the 10,000-file tree, untimed: `stn classify` and `stn spark` must agree.
"$root/stn" classify "$trees/all" --output /dev/null --summary-json "$out/accuracy-classify.json" \
  > "$out/accuracy-classify.log" 2>&1
rm -rf "$out/spark-rows"
"$root/stn" spark "$trees/all" --output "$out/spark-rows" --master 'local[2]' \
  --summary-json "$out/accuracy-spark.json" > "$out/accuracy-spark.log" 2>&1
rm -rf "$out/spark-rows"
python3 "$root/benchmarks/scripts/spark-scaling.py" "$out" | tee "$out/summary.txt"
