#!/usr/bin/env bash
# Issue 12's speed figures:
#   benchmarks/scripts/spark-scaling.sh OUT_DIR [ROUNDS] [DATA_DIR]
# writes CIFAR-10 images as JPEG files in labelled trees (CifarExport): "half" (the first 5,000 test
# images), "all" (the 10,000 test images) and "train50k" (the 50,000 training images), then ROUNDS
# times: `stn classify` on each tree (process start to summary, wall seconds; 2 threads, then 1;
# REPEATS (default 3) times, sizes interleaved), then SparkThroughputProbe in a fresh JVM (a warm-up
# round, then PROBE_ROUNDS (default 3) rounds of local[1] and local[2], masters in alternating
# order, each tree's job REPEATS times). Last, untimed: the accuracy of `stn classify` and `stn
# spark` on the 10,000 test files.
# Rule, stated before the run: every round counts except the probe's round 0 (the warm-up); within a
# round each tree's time is the shortest of its REPEATS (noise only adds time to a job of seconds).
# spark-scaling.py OUT_DIR prints median and min-max over rounds of every figure and the ratios.
# Run it on an idle machine: nothing else, no training.
set -euo pipefail
out="$1" rounds="${2:-3}" data="${3:-../shared/data/cifar-10-batches-bin}"
probe_rounds="${PROBE_ROUNDS:-3}" repeats="${REPEATS:-3}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$out"
cd "$root"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl examples/cli,examples/spark -am test-compile package
"$root/stn" info > "$out/info.txt" 2>&1 # builds the CLI jar outside the timings
trees="$out/trees"
cp=examples/cli/target/test-classes:examples/cli/target/classes:examples/cli/target/lib/*
if [[ ! -d "$trees/all" ]]; then
  java -cp "$cp" dev.stn4j.cli.CifarExport "$data/test_batch.bin" "$trees/all" jpg 0 10000
  java -cp "$cp" dev.stn4j.cli.CifarExport "$data/test_batch.bin" "$trees/half" jpg 0 5000
fi
if [[ ! -d "$trees/train50k" ]]; then
  for b in 1 2 3 4 5; do
    java -cp "$cp" dev.stn4j.cli.CifarExport "$data/data_batch_$b.bin" "$trees/train50k/b$b" jpg 0 10000
  done
fi
sizes=(half all train50k)
opens=$(grep -o '<spark.jvm.opens>[^<]*' examples/spark/pom.xml | sed 's/<spark.jvm.opens>//')
s=examples/spark/target
for ((i = 1; i <= rounds; i++)); do
  # The CLI with its default (2) threads, the figure the job is compared with, and with 1 thread:
  # how much the second core gives the same work on this machine, in the same round.
  for threads in 2 1; do
    for ((k = 1; k <= repeats; k++)); do
      for tree in "${sizes[@]}"; do
        start=$(date +%s.%N)
        "$root/stn" classify "$trees/$tree" --threads "$threads" --output /dev/null \
          > "$out/cli-$tree-t$threads-run$i-$k.log" 2>&1
        end=$(date +%s.%N)
        echo "{\"round\":$i,\"repeat\":$k,\"threads\":$threads,\"tree\":\"$tree\",\"wall_s\":$(echo "$end - $start" | bc),\"loadavg\":\"$(cut -c1-14 /proc/loadavg)\"}" \
          >> "$out/cli.jsonl"
      done
    done
  done
  # shellcheck disable=SC2086
  SPARK_LOCAL_IP=127.0.0.1 java $opens -Dlog4j2.configurationFile=dev/stn4j/spark/log4j2-quiet.properties \
    -cp "$s/test-classes:$s/classes:$s/lib/*:$s/spark-lib/*" dev.stn4j.spark.SparkThroughputProbe \
    "$probe_rounds" "$repeats" "$trees/half" "$trees/all" "$trees/train50k" > "$out/probe-run$i.txt" 2>&1
done
# Accuracy on the 10,000-file tree, untimed: `stn classify` and `stn spark` must agree.
"$root/stn" classify "$trees/all" --output /dev/null --summary-json "$out/accuracy-classify.json" \
  > "$out/accuracy-classify.log" 2>&1
rm -rf "$out/spark-rows"
start=$(date +%s.%N)
"$root/stn" spark "$trees/all" --output "$out/spark-rows" --master 'local[2]' \
  --summary-json "$out/accuracy-spark.json" > "$out/accuracy-spark.log" 2>&1
end=$(date +%s.%N)
echo "stn spark process, start to end: $(echo "$end - $start" | bc) s" >> "$out/accuracy-spark.log"
rm -rf "$out/spark-rows"
python3 "$root/benchmarks/scripts/spark-scaling.py" "$out" | tee "$out/summary.txt"
