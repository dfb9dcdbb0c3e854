#!/usr/bin/env python3
"""Median (min-max) of the counted runs of classify-ab.sh, per checkout, and after / before per round."""
import re
import statistics
import sys

rows = [l.split() for l in open(sys.argv[1] + "/times.txt") if l.startswith("counted")]
times = {}
for kind, rnd, label, sec in rows:
    times.setdefault(label, {})[int(rnd.split("=")[1])] = float(sec.split("=")[1])


def spread(xs):
    return f"{statistics.median(xs):.2f} s ({min(xs):.2f}-{max(xs):.2f}, n={len(xs)})"


for label in ("before", "after"):
    print(f"{label}: {spread(list(times[label].values()))}")
ratios = [times["after"][r] / times["before"][r] for r in times["before"] if r in times["after"]]
print(f"after / before per round: {statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})")
