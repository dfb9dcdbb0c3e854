#!/usr/bin/env python3
"""Summary of spark-scaling.sh's raw output: median (min-max) over every counted round.

Counted (the rule stated in spark-scaling.sh before the run): every probe round except round 0
(the warm-up, named so by the probe) and every `stn classify` round; within a round a tree's time
is the shortest of its repeats. Goals (issue 12): local[2] >= 1.7x local[1]; the job's per-image
cost (slope between the 5,000 and 10,000 trees) <= 1.5x the CLI's. The slope between 10,000 and
50,000 is printed beside it: the same quantity over a span where the work outweighs the noise.
"""
import glob
import json
import os
import statistics
import sys

MASTERS = ("local[1]", "local[2]")
SPANS = ((0, 1, "5k-10k"), (1, 2, "10k-50k"))


def fmt(values, unit="", digits=2):
    if not values:
        return "no runs"
    med = statistics.median(values)
    return f"{med:.{digits}f}{unit} ({min(values):.{digits}f}-{max(values):.{digits}f}, n={len(values)})"


def slope_us(sizes, seconds, a, b):
    return 1e6 * (seconds[b] - seconds[a]) / (sizes[b] - sizes[a])


def main(out):
    probe = []
    for path in sorted(glob.glob(os.path.join(out, "probe-run*.txt"))):
        for line in open(path):
            if line.startswith('{"round"'):
                row = json.loads(line)
                row["file"] = os.path.basename(path)
                row["best"] = [min(s) for s in row["seconds"]]
                probe.append(row)
    counted = [r for r in probe if not r["warmup"]]
    sizes = counted[0]["images"] if counted else []
    pairs = {}
    for r in counted:
        pairs.setdefault((r["file"], r["round"]), {})[r["master"]] = r
    print(f"rounds counted: {len(pairs)} probe rounds (warm-up rounds left out, as stated before the run); "
          f"tree sizes {sizes}; a tree's time in a round = the shortest of its repeats")
    medians = {}
    for m in MASTERS:
        rows = [r for r in counted if r["master"] == m]
        jobs = ", ".join(f"{n:,} images {fmt([r['best'][i] for r in rows], ' s')}" for i, n in enumerate(sizes))
        print(f"{m}: jobs {jobs}")
        for a, b, name in SPANS:
            if b < len(sizes):
                values = [slope_us(sizes, r["best"], a, b) for r in rows]
                medians[(m, name)] = statistics.median(values)
                print(f"  slope {name}: {fmt(values, ' us/image', 1)}")
    for a, b, name in SPANS:
        if b < len(sizes):
            ratio = [slope_us(sizes, p["local[1]"]["best"], a, b) / slope_us(sizes, p["local[2]"]["best"], a, b)
                     for p in pairs.values() if len(p) == 2 and slope_us(sizes, p["local[2]"]["best"], a, b) > 0]
            print(f"local[2] / local[1] by slope {name}, same round: {fmt(ratio, 'x')}; "
                  f"ratio of medians {medians[('local[1]', name)] / medians[('local[2]', name)]:.2f}x (goal >= 1.7x)")
    last = len(sizes) - 1
    ratio = [p["local[1]"]["best"][last] / p["local[2]"]["best"][last] for p in pairs.values() if len(p) == 2]
    if sizes:
        print(f"local[2] / local[1] by the whole {sizes[last]:,}-image job, same round: {fmt(ratio, 'x')}")

    cli = [json.loads(l) for l in open(os.path.join(out, "cli.jsonl"))]
    names = ["half", "all", "train50k"]
    cli_slope = {}
    for threads in (2, 1):
        best = {}
        for r in cli:
            if r["threads"] == threads:
                key = (r["round"], r["tree"])
                best[key] = min(best.get(key, 1e9), r["wall_s"])
        rounds = sorted({k[0] for k in best})
        per_tree = ", ".join(f"{t} {fmt([best[(i, t)] for i in rounds if (i, t) in best], ' s')}" for t in names)
        print(f"stn classify --threads {threads}, process start to summary: {per_tree}")
        for a, b, name in SPANS:
            values = [slope_us([5000, 10000, 50000], [best[(i, t)] for t in names], a, b)
                      for i in rounds if all((i, t) in best for t in names)]
            cli_slope[(threads, name)] = values
            print(f"  slope {name}: {fmt(values, ' us/image', 1)}")
    for a, b, name in SPANS:
        c1, c2 = cli_slope[(1, name)], cli_slope[(2, name)]
        if c1 and c2:
            print(f"the second core for the CLI, slope {name}: 1 thread / 2 threads, medians "
                  f"{statistics.median(c1) / statistics.median(c2):.2f}x")
        if c2 and ("local[2]", name) in medians:
            print(f"job slope local[2] / CLI slope (2 threads) {name}, medians: "
                  f"{medians[('local[2]', name)] / statistics.median(c2):.2f}x (goal <= 1.5x)")
    for r in probe:
        print(f"  {r['file']} round {r['round']}{' (warm-up)' if r['warmup'] else ''} {r['master']}: "
              f"session {r['session_s']:.2f} s, seconds {r['seconds']}, load {r['loadavg']}")
    for tool in ("classify", "spark"):
        path = os.path.join(out, f"accuracy-{tool}.json")
        if os.path.exists(path):
            summary = json.load(open(path))
            print(f"accuracy, stn {tool} on the 10,000 test files: {100 * summary['accuracy']:.2f} %")


if __name__ == "__main__":
    main(sys.argv[1])
