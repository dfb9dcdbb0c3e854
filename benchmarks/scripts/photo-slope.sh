#!/usr/bin/env bash
# Issue 30's CPU per photo: `./stn classify --threads 1` against the Pillow peer
# (benchmarks/peers/pillow_classify.py, libjpeg's DCT-domain draft), on a folder of 12 MP JPEGs
# and one of 640x480 JPEGs, as the slope between 20 and 40 photos so that start-up cancels.
#
#   benchmarks/scripts/photo-slope.sh OUT ROUNDS
#   e.g. benchmarks/scripts/photo-slope.sh benchmarks/results/photo-slope-$(date -u +%F) 10
#
# Tools (each run is one process over the first N photo-*.jpg of a folder, sorted by name):
#   stn         ./stn classify --threads 1 --output /dev/null FILES   (the SDK's default path:
#               libturbojpeg when the system has it)
#   stn-java    the same with STN_JAVA_OPTS=-Dstn4j.jpeg.native=false (the pure-Java path)
#   stn-before  ./stn classify --threads 1 of the checkout $BEFORE (e.g. a worktree of the commit
#               before issue 30: every photo decoded in full); only when TOOLS names it
#   pillow      /usr/bin/python3 benchmarks/peers/pillow_classify.py FILES (draft to 4x32, stn4j's rule)
# Folders: $PHOTOS_12MP and $PHOTOS_640 (default runs/photos/12mp and runs/photos/640x480, written
# once by write_photos.py with seed 0 when missing: 40 baseline photos each; not committed,
# conditions.txt lists their files and sizes).
#
# Rules, stated before any run:
# - warm-up: each tool runs once on each folder's first 20 photos before the counted rounds (it
#   builds the jar if stale and fills the page cache); kept in the raw output, not counted;
# - a round runs, for each folder (12 MP first in odd rounds, 640x480 first in even ones), every
#   tool on the first 20 and on the first 40 photos; the tools' order rotates by one each round
#   and the order of 20 and 40 alternates, so no tool or count always runs first;
# - what is counted: CPU = user + sys of the whole process tree (/usr/bin/time -f: the launcher,
#   the JVM or python, everything they wait for), and wall, per run; every counted run is kept,
#   none is left out; a run that fails (exit != 0) is kept in times.txt with its exit code and
#   the summary lists it and leaves its round's slope out for that tool (it says so);
# - per-photo slope per round = (CPU40 - CPU20) / 20 of the same round, tool and folder; the
#   figures are the median and min-max over rounds; stn / pillow = the ratio of the slope
#   medians (and per round, the median of the per-round ratios); the issue's bound is
#   stn <= 1.0 x pillow at 12 MP.
# OUT gets conditions.txt, times.txt (one line per run), logs/ (each run's stdout+stderr) and
# summary.md (photo-slope-summary.py).
# Environment: PYTHON (default /usr/bin/python3), TOOLS (default "stn stn-java pillow"), COUNTS
# (default "20 40": the two photo counts; smaller ones only for a smoke run of the script).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [[ $# -ne 2 ]]; then
  echo "usage: benchmarks/scripts/photo-slope.sh OUT ROUNDS" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$1"
rounds="$2"
python="${PYTHON:-/usr/bin/python3}"
read -r -a tools <<< "${TOOLS:-stn stn-java pillow}"
read -r lo hi rest <<< "${COUNTS:-20 40}"
big="${PHOTOS_12MP:-$root/runs/photos/12mp}"
small="${PHOTOS_640:-$root/runs/photos/640x480}"
if [[ ! "$rounds" =~ ^[0-9]+$ ]] || (( rounds < 1 )); then
  echo "photo-slope.sh: ROUNDS must be a positive integer, got '$rounds'" >&2
  exit 2
fi
if [[ ! "$lo" =~ ^[0-9]+$ || ! "$hi" =~ ^[0-9]+$ || -n "$rest" ]] || (( lo < 1 || hi <= lo || hi > 40 )); then
  echo "photo-slope.sh: COUNTS must be two integers 1 <= A < B <= 40, got '${COUNTS:-}'" >&2
  exit 2
fi
for t in "${tools[@]}"; do
  case "$t" in stn | stn-java | stn-before | pillow) ;; *)
    echo "photo-slope.sh: unknown tool '$t' in TOOLS (stn, stn-java, stn-before, pillow)" >&2
    exit 2 ;;
  esac
done
if [[ -e "$out/times.txt" ]]; then
  echo "photo-slope.sh: $out already holds runs; use a fresh OUT" >&2
  exit 2
fi
cd "$root"
[[ -d "$big" ]] || "$python" benchmarks/scripts/write_photos.py photos --size 4000x3000 \
  --count 40 --progressive 2 --cmyk 1 "$big"
[[ -d "$small" ]] || "$python" benchmarks/scripts/write_photos.py photos --size 640x480 \
  --count 40 "$small"
mkdir -p "$out/logs"
out="$(cd "$out" && pwd)"
declare -A folder=([12mp]="$big" [640x480]="$small")
declare -A files
for f in 12mp 640x480; do
  mapfile -t list < <(find "${folder[$f]}" -maxdepth 1 -name 'photo-*.jpg' | sort | head -"$hi")
  if (( ${#list[@]} < hi )); then
    echo "photo-slope.sh: ${folder[$f]} has ${#list[@]} photo-*.jpg files, needs $hi" >&2
    exit 2
  fi
  files[$f]="${list[*]}"
done
./stn classify --help > "$out/logs/stn-classify-help.txt" 2>&1 # builds the CLI first if stale
if [[ " ${tools[*]} " == *" stn-before "* ]]; then
  if [[ -z "${BEFORE:-}" || ! -x "$BEFORE/stn" ]]; then
    echo "photo-slope.sh: tool stn-before needs BEFORE=<checkout with ./stn>" >&2
    exit 2
  fi
  (cd "$BEFORE" && ./stn classify --help) > "$out/logs/stn-before-classify-help.txt" 2>&1
fi

{
  echo "# photo-slope $(date -u +%FT%TZ): $rounds rounds, tools ${tools[*]}, $lo and $hi photos"
  echo "# machine: $(machine_summary), memory $(grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2-)"
  echo "# git: $(git rev-parse --short HEAD) $(git status --porcelain | wc -l) changed files"
  echo "# java: $(java -version 2>&1 | head -1)"
  [[ -z "${BEFORE:-}" ]] || echo "# before: $BEFORE ($(git -C "$BEFORE" rev-parse --short HEAD))"
  echo "# python: $("$python" -c 'import sys, PIL, numpy; print(sys.version.split()[0], "PIL", PIL.__version__, "numpy", numpy.__version__)')"
  turbo="$( (ldconfig -p 2>/dev/null || true) | grep 'libturbojpeg\.so\.0' || true)"
  echo "# libturbojpeg: $(echo "${turbo:-none}" | head -1 | xargs)"
  for f in 12mp 640x480; do
    echo "# $f: ${folder[$f]}: $(head -1 "${folder[$f]}/photos.txt" 2>/dev/null | sed 's/^# //')"
    sed -n '2,41p' "${folder[$f]}/photos.txt" 2>/dev/null | sed 's/^/#   /'
  done
  echo "# rule: warm-ups not counted; every counted run kept; slope = (CPU$hi - CPU$lo) / $((hi - lo)) per round; CPU = user + sys of the process tree"
  echo "# other processes on the CPU:"
  ps -eo pid,pcpu,etime,args --sort=-pcpu | head -6 | cut -c1-160 | sed 's/^/#   /'
  echo "# uptime: $(uptime)"
} > "$out/conditions.txt"
cat "$out/conditions.txt"

run() { # kind(warmup|counted) round folder tool n
  local log="$out/logs/$1-$2-$3-$4-$5.txt" list t rc=0
  read -r -a list <<< "${files[$3]}"
  list=("${list[@]:0:$5}")
  t="$out/logs/.time"
  case "$4" in
    stn) /usr/bin/time -o "$t" -f '%U %S %e' ./stn classify --threads 1 --output /dev/null \
      "${list[@]}" > "$log" 2>&1 || rc=$? ;;
    stn-java) STN_JAVA_OPTS="${STN_JAVA_OPTS:+$STN_JAVA_OPTS }-Dstn4j.jpeg.native=false" \
      /usr/bin/time -o "$t" -f '%U %S %e' ./stn classify --threads 1 --output /dev/null \
      "${list[@]}" > "$log" 2>&1 || rc=$? ;;
    stn-before) (cd "$BEFORE" && /usr/bin/time -o "$t" -f '%U %S %e' ./stn classify --threads 1 \
      --output /dev/null "${list[@]}") > "$log" 2>&1 || rc=$? ;;
    pillow) /usr/bin/time -o "$t" -f '%U %S %e' "$python" benchmarks/peers/pillow_classify.py \
      "${list[@]}" > "$log" 2>&1 || rc=$? ;;
  esac
  read -r user sys wall < <(tail -1 "$t")
  echo "$1 round=$2 folder=$3 tool=$4 n=$5 user=$user sys=$sys wall=$wall exit=$rc" \
    | tee -a "$out/times.txt"
}

for f in 12mp 640x480; do
  for t in "${tools[@]}"; do run warmup 0 "$f" "$t" "$lo"; done
done
for ((r = 1; r <= rounds; r++)); do
  echo "# round $r $(date -u +%FT%TZ) uptime: $(uptime)" >> "$out/conditions.txt"
  order=(12mp 640x480)
  (( r % 2 )) || order=(640x480 12mp)
  counts=("$lo" "$hi")
  (( r % 2 )) || counts=("$hi" "$lo")
  k=$(( (r - 1) % ${#tools[@]} ))
  rotated=("${tools[@]:k}" "${tools[@]:0:k}")
  for f in "${order[@]}"; do
    for t in "${rotated[@]}"; do
      for n in "${counts[@]}"; do run counted "$r" "$f" "$t" "$n"; done
    done
  done
done
rm -f "$out/logs/.time"
echo "# uptime at end: $(uptime)" >> "$out/conditions.txt"
"$python" benchmarks/scripts/photo-slope-summary.py "$out" | tee "$out/summary.md"
