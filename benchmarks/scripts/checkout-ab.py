#!/usr/bin/env python3
"""checkout-ab.sh's counted runs: per row, median (min-max) before and after, and after / before
per round (for times: > 1 is slower after; for rates: > 1 is faster after)."""
import glob
import json
import os
import re
import statistics
import sys

out = sys.argv[1]
runs = {}  # (label, round) -> rows
for f in glob.glob(os.path.join(out, "counted-*.json")):
    m = re.match(r"counted-(\d+)-(before|after)\.json", os.path.basename(f))
    d = json.load(open(f))
    rows = d["rows"] if isinstance(d, dict) else d
    runs[(m.group(2), int(m.group(1)))] = rows


def key(row):
    if "mode" in row:  # bench serve
        return f"serve {row['mode']} c{row['concurrency']} {row.get('batching', '')}"
    return f"{row['runtime']} {row['provider']} b{row['batch']} t{row['threads']}"


def figures(row):
    if "mode" in row:
        return {"requests/s": row["requestsPerSecond"], "p99 ms": row["p99Ms"]}
    return {"p50 us": row["p50_us"], "images/s": row["images_per_s"]}


def spread(xs):
    return f"{statistics.median(xs):.4g} ({min(xs):.4g}-{max(xs):.4g})"


table = {}
for (label, rnd), rows in runs.items():
    for row in rows:
        for name, value in figures(row).items():
            table.setdefault((key(row), name), {}).setdefault(label, {})[rnd] = value
for (row, name), by in sorted(table.items()):
    b, a = by.get("before", {}), by.get("after", {})
    ratios = [a[r] / b[r] for r in b if r in a and b[r]]
    print(f"{row:32s} {name:10s} before {spread(list(b.values()))}  after {spread(list(a.values()))}"
          f"  after/before per round {spread(ratios)}")
