#!/usr/bin/env python3
"""Summary of repeated `stn bench` runs: OUT_DIR holds run<i>-<label>.json files (from
ort-version-ab.sh or headline.sh). For each label, batch and thread count: p50 latency of each
runtime, the SDK's images/s, and SDK / raw ORT and SDK / DJL-PyTorch p50 ratios (lower is better
for the SDK), as median and min-max over all runs. Every run found is counted. With CLI timings
(cli-run<i>.txt holding one wall-clock second count), their median and min-max too."""
import glob, json, os, re, statistics, sys
from collections import defaultdict

out = sys.argv[1]
values = defaultdict(list)
for path in sorted(glob.glob(os.path.join(out, "run*-*.json"))):
    label = re.match(r"run\d+-(.+)\.json", os.path.basename(path)).group(1)
    rows = {(r["runtime"], r["batch"], r["threads"]): r for r in json.load(open(path))}
    for (runtime, batch, threads), r in rows.items():
        key = (label, batch, threads)
        values[key + (runtime + " p50 us",)].append(r["p50_us"])
        if runtime != "sdk":
            continue
        values[key + ("sdk images/s",)].append(r["images_per_s"])
        for peer in ("ort-raw", "djl-pytorch"):
            p = rows.get((peer, batch, threads))
            if p:
                values[key + ("sdk/" + peer,)].append(r["p50_us"] / p["p50_us"])
print(f"{'label':10} {'batch':>5} {'thr':>3} {'measure':20} {'median':>11} {'min':>11} {'max':>11} runs")
for key in sorted(values):
    v = values[key]
    label, batch, threads, what = key
    print(f"{label:10} {batch:>5} {threads:>3} {what:20} {statistics.median(v):11.3f} {min(v):11.3f} {max(v):11.3f} {len(v)}")
cli = [float(open(p).read().split()[0]) for p in sorted(glob.glob(os.path.join(out, "cli-run*.txt")))]
if cli:
    print(f"CLI wall seconds: median {statistics.median(cli):.2f}, min {min(cli):.2f}, max {max(cli):.2f}, runs {len(cli)}")
