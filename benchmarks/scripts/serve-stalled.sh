#!/usr/bin/env bash
# Issue 22's figures: `stn serve` with stalled uploads and idle keep-alive connections held open.
#   benchmarks/scripts/serve-stalled.sh OUT_DIR ROUNDS
# Each run is one `bench serve` invocation (its own server child, in-process predictEach reference
# measured first); every row is honest single-image binary infer requests, closed loop.
#   stalled-N   for N in $STALLED (default "1000 5000"): concurrency 8, ROUNDS rounds, each round a
#               row without and a row with N stalled uploads (headers + the first 100 body bytes,
#               then nothing), order alternating by round.
#   idle-M      M=$IDLE (default 10000) idle keep-alive connections instead; server memory sampled
#               every $MEMORY_EVERY s (default 5) within each row.
#   deadline    1,000 stalled uploads through one row of $DEADLINE_SECONDS (default 45 s), longer
#               than the default body timeout (20 s): each is cut, with 408, and reopened; the
#               longest any lived is the figure. DEADLINE_BODY_TIMEOUT_MS sets the server's
#               --body-timeout-ms for this run only (for a short smoke run; default: the server's).
#   throughput  concurrency 64, ROUNDS rows: requests/s as a fraction of in-process predictEach.
# Rule, stated before the run: every run and every round is kept and counted, none is left out. A
# row with errors, wrong answers or 5xx is reported beside the medians, not dropped; a run that
# fails keeps its output and the summary says it is missing. Figures are medians over rounds; the
# p99 comparison is with/without of the same run (the ratio of medians, and the median of the
# per-round ratios). Then serve-stalled.py OUT_DIR prints them.
# Run it on an idle machine: nothing else, no training. Defaults take about 15 minutes.
set -euo pipefail
out="$1" rounds="${2:-5}"
seconds="${SECONDS_PER_ROW:-10}" warmup="${WARMUP_SECONDS:-3}"
stalled_list="${STALLED:-1000 5000}" idle="${IDLE:-10000}"
deadline_seconds="${DEADLINE_SECONDS:-45}" memory_every="${MEMORY_EVERY:-5}"
deadline_args=()
if [[ -n "${DEADLINE_BODY_TIMEOUT_MS:-}" ]]; then
  deadline_args=("--server-arg=--body-timeout-ms=$DEADLINE_BODY_TIMEOUT_MS")
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$out"
cd "$root"

# Every held connection is a file in both processes (this JVM's load generator and the server):
# both raise their soft limit to the hard one at start. The server's default bound is 3/4 of it.
need=$(( $(printf '%s\n' $stalled_list "$idle" | sort -n | tail -1) + 1000 ))
hard=$(ulimit -Hn)
if [[ "$hard" != unlimited && $(( hard * 3 / 4 )) -lt $need ]]; then
  echo "serve-stalled.sh: the hard file limit $hard is too low: 3/4 of it (the server's default" \
    "--max-connections) must exceed $need; raise it (ulimit -Hn, /etc/security/limits.conf)" >&2
  exit 2
fi
ulimit -n "$hard"

{
  echo "date: $(date -u +%FT%TZ)"
  echo "host: $(uname -a)"
  grep -m1 'model name' /proc/cpuinfo || true
  grep -m1 'cpu family' /proc/cpuinfo || true
  grep -m1 '^model[[:space:]]' /proc/cpuinfo || true
  grep -m1 'microcode' /proc/cpuinfo || true
  echo "processors: $(nproc)"
  echo "uptime: $(uptime)"
  echo "memory: $(grep -E 'MemTotal|MemAvailable' /proc/meminfo | tr -s ' ' | paste -sd ' ')"
  echo "file limit: soft $(ulimit -n), hard $hard"
  echo "ephemeral ports: $(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo '?')"
  echo "somaxconn: $(cat /proc/sys/net/core/somaxconn 2>/dev/null || echo '?')"
  echo "commit: $(git rev-parse HEAD) $(git status --short | wc -l) changed files"
  java -version 2>&1
  echo "rounds: $rounds; seconds per row: $seconds (+ $warmup warm-up); stalled: $stalled_list;" \
    "idle: $idle; deadline row: $deadline_seconds s ${deadline_args[*]}"
} > "$out/conditions.txt"

./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl examples/serve,benchmarks -am package
jar=benchmarks/target/benchmarks.jar

# One bench serve invocation: raw text and JSON kept; a failure is recorded, not fatal.
run() {
  local name="$1"
  shift
  {
    echo "# $(date -u +%FT%TZ) bench serve $*"
    echo "# uptime before: $(uptime)"
    java -jar "$jar" bench serve --root "$root" --modes binary --batching on \
      --json "$out/$name.json" "$@" || echo "# exit status $?"
    echo "# uptime after: $(uptime)"
  } > "$out/$name.txt" 2>&1
}

for n in $stalled_list; do
  run "stalled-$n" --concurrency 8 --rounds "$rounds" --stalled "$n" \
    --seconds "$seconds" --warmup-seconds "$warmup" --memory-every "$memory_every"
done
run "idle-$idle" --concurrency 8 --rounds "$rounds" --idle "$idle" \
  --seconds "$seconds" --warmup-seconds "$warmup" --memory-every "$memory_every"
run deadline --concurrency 8 --rounds 1 --stalled 1000 "${deadline_args[@]}" \
  --seconds "$deadline_seconds" --warmup-seconds "$warmup" --memory-every "$memory_every"
run throughput --concurrency 64 --rounds "$rounds" \
  --seconds "$seconds" --warmup-seconds "$warmup" --memory-every "$memory_every"
echo "# done $(date -u +%FT%TZ); uptime: $(uptime)" >> "$out/conditions.txt"
python3 "$root/benchmarks/scripts/serve-stalled.py" "$out" | tee "$out/summary.txt"
