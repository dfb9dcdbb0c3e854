#!/usr/bin/env python3
"""Summary of a train-speed.sh folder: per variant, the median and min-max of the epoch's training
seconds and ms per step over the rounds, and how many times slower the first stn4j variant is than
each variant (the issue's "stn4j vs PyTorch" factor: > 1 means stn4j is slower), as a ratio of
medians and as the median and min-max of the per-round ratios (runs of one round ran back to
back, so their ratio is the least disturbed by the machine's other load). The load the runs
shared the machine with is in conditions.txt and in each run's uptime lines.

    benchmarks/scripts/train-speed-summary.py benchmarks/results/train-speed-2026-12-02
"""

import math
import os
import re
import statistics
import sys

STN = re.compile(r"^epoch\s+\d+ .*\(train ([0-9.]+) s\)")
PEER = re.compile(r"^epoch\s+\d+\s+steps (\d+) .* train ([0-9.]+) s")
TRAIN = re.compile(r"(\d[\d,]*) left to train on")
ROUND = re.compile(r"^round(\d+)-(.+)\.txt$")


def parse(path):
    steps = seconds = None
    with open(path) as f:
        for line in f:
            m = TRAIN.search(line)
            if m:
                steps = math.ceil(int(m.group(1).replace(",", "")) / 64)
            m = STN.match(line)
            if m:
                seconds = float(m.group(1))
            m = PEER.match(line)
            if m:
                steps, seconds = int(m.group(1)), float(m.group(2))
    return steps, seconds


def spread(values, fmt):
    return (f"{fmt.format(statistics.median(values))} "
            f"({fmt.format(min(values))}-{fmt.format(max(values))})")


def main(folder):
    runs = {}  # label -> {round: (steps, seconds)}
    for name in sorted(os.listdir(folder)):
        m = ROUND.match(name)
        if not m:
            continue
        steps, seconds = parse(os.path.join(folder, name))
        if seconds is None:
            print(f"{name}: no epoch time (failed run? see the file)")
            continue
        runs.setdefault(m.group(2), {})[int(m.group(1))] = (steps, seconds)
    if not runs:
        print("no runs")
        return
    labels = sorted(runs, key=lambda l: (l.startswith("peer"), l))
    base = labels[0]
    print(f"# {folder}: epoch training seconds, median (min-max) over rounds; "
          f"ratio = {base} seconds / variant seconds (> 1: {base} slower)")
    conditions = os.path.join(folder, "conditions.txt")
    if os.path.exists(conditions):
        with open(conditions) as f:
            for line in f:
                if "uptime" in line:
                    print(line.rstrip())
    print("# (a shared machine: only ratios within a round mean much; see conditions.txt)")
    print(f"{'variant':<16} {'rounds':>6} {'steps':>6} {'s per epoch':>22} {'ms per step':>22} "
          f"{'ratio of medians':>17} {'per-round ratio':>22}")
    base_median = statistics.median(s for _, s in runs[base].values())
    for label in labels:
        values = runs[label]
        seconds = [s for _, s in values.values()]
        ms = [1000 * s / n for n, s in values.values()]
        steps = sorted({n for n, _ in values.values()})
        paired = [runs[base][r][1] / values[r][1] for r in values if r in runs[base]]
        print(f"{label:<16} {len(values):>6} {','.join(map(str, steps)):>6} "
              f"{spread(seconds, '{:.1f}'):>22} {spread(ms, '{:.2f}'):>22} "
              f"{base_median / statistics.median(seconds):>17.2f} "
              f"{spread(paired, '{:.2f}') if paired else '-':>22}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
