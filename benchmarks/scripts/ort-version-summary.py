#!/usr/bin/env python3
"""Ratios from ort-version-ab.sh runs: per label, SDK / raw ORT and SDK / DJL-PyTorch p50 latency
(lower is better for the SDK) for each batch and thread count, as median and min-max over all runs,
and each label's SDK p50 itself."""
import glob, json, os, re, statistics, sys
from collections import defaultdict

out = sys.argv[1]
ratios = defaultdict(list)
for path in sorted(glob.glob(os.path.join(out, "run*-*.json"))):
    label = re.match(r"run\d+-(.+)\.json", os.path.basename(path)).group(1)
    rows = {(r["runtime"], r["batch"], r["threads"]): r for r in json.load(open(path))}
    for (runtime, batch, threads), r in rows.items():
        if runtime != "sdk":
            continue
        key = (label, batch, threads)
        ratios[key + ("sdk p50 us",)].append(r["p50_us"])
        for peer in ("ort-raw", "djl-pytorch"):
            p = rows.get((peer, batch, threads))
            if p:
                ratios[key + ("sdk/" + peer,)].append(r["p50_us"] / p["p50_us"])
print(f"{'label':10} {'batch':>5} {'thr':>3} {'measure':16} {'median':>9} {'min':>9} {'max':>9} runs")
for key in sorted(ratios):
    v = ratios[key]
    label, batch, threads, what = key
    print(f"{label:10} {batch:>5} {threads:>3} {what:16} {statistics.median(v):9.3f} {min(v):9.3f} {max(v):9.3f} {len(v)}")
