#!/usr/bin/env python3
"""Summary of spark-scaling.sh's raw output: median (min-max) over every counted round.

Counted: every probe round except round 0 (the warm-up, named so by the probe before it ran) and
every `stn classify` run. Goals (issue 12): local[2] >= 1.7x local[1]; the job's per-image cost
(slope between the 5,000 and 10,000 trees) <= 1.5x the CLI's.
"""
import glob
import json
import os
import statistics
import sys


def fmt(values, unit="", digits=2):
    if not values:
        return "no runs"
    med = statistics.median(values)
    return f"{med:.{digits}f}{unit} ({min(values):.{digits}f}-{max(values):.{digits}f}, n={len(values)})"


def main(out):
    probe = []
    for path in sorted(glob.glob(os.path.join(out, "probe-run*.txt"))):
        for line in open(path):
            if line.startswith('{"round"'):
                row = json.loads(line)
                row["file"] = os.path.basename(path)
                probe.append(row)
    cli = [json.loads(l) for l in open(os.path.join(out, "cli.jsonl"))]
    counted = [r for r in probe if not r["warmup"]]
    by = {}
    for r in counted:
        by.setdefault((r["file"], r["round"]), {})[r["master"]] = r
    slope = {m: [r["slope_us"] for r in counted if r["master"] == m] for m in ("local[1]", "local[2]")}
    large = {m: [r["large_s"] for r in counted if r["master"] == m] for m in ("local[1]", "local[2]")}
    speedup_slope = [p["local[1]"]["slope_us"] / p["local[2]"]["slope_us"]
                     for p in by.values() if len(p) == 2 and p["local[2]"]["slope_us"] > 0]
    speedup_large = [p["local[1]"]["large_s"] / p["local[2]"]["large_s"] for p in by.values() if len(p) == 2]
    cli_rounds = {}
    for r in cli:
        cli_rounds.setdefault(r["round"], {})[r["tree"]] = r["wall_s"]
    cli_slope = [1e6 * (t["all"] - t["half"]) / 5000 for t in cli_rounds.values() if len(t) == 2]
    print(f"rounds counted: {len(by)} probe, {len(cli_rounds)} CLI (warm-up rounds left out, as stated before the run)")
    for m in ("local[1]", "local[2]"):
        print(f"{m}: 10,000-image job {fmt(large[m], ' s')}; slope {fmt(slope[m], ' us/image', 1)}")
    print(f"stn classify: 5,000 files {fmt([t['half'] for t in cli_rounds.values()], ' s')}, "
          f"10,000 files {fmt([t['all'] for t in cli_rounds.values()], ' s')}; slope {fmt(cli_slope, ' us/image', 1)}")
    print(f"local[2] / local[1], same round: by slope {fmt(speedup_slope, 'x')}, by 10,000-image job {fmt(speedup_large, 'x')} (goal >= 1.7x)")
    if cli_slope and slope["local[2]"]:
        print(f"job slope local[2] / CLI slope, medians: {statistics.median(slope['local[2]']) / statistics.median(cli_slope):.2f}x (goal <= 1.5x)")
    for tool in ("classify", "spark"):
        path = os.path.join(out, f"accuracy-{tool}.json")
        if os.path.exists(path):
            summary = json.load(open(path))
            print(f"accuracy, stn {tool} on the 10,000 files: {100 * summary['accuracy']:.2f} %")
    for r in probe:
        print(f"  {r['file']} round {r['round']}{' (warm-up)' if r['warmup'] else ''} {r['master']}: "
              f"session {r['session_s']:.2f} s, {r['small_images']} in {r['small_s']:.2f} s, "
              f"{r['large_images']} in {r['large_s']:.2f} s, load {r['loadavg']}")


if __name__ == "__main__":
    main(sys.argv[1])
