#!/usr/bin/env python3
"""Summary of int8-roofline.sh's raw output: median (min-max) over every run, none left out."""
import glob
import json
import os
import re
import statistics
import sys


def fmt(values, digits=2, unit=""):
    med = statistics.median(values)
    return f"{med:.{digits}f}{unit} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def main(out):
    ab = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(out, "ab-run*.json")))]
    print(f"int8 / fp32 images/s, same interleaved run; median (min-max) of {len(ab)} runs")
    cells = {}
    for rows in ab:
        for r in rows:
            cells.setdefault((r["arm"], r["batch"], r["threads"]), []).append(r)
    print(f"{'arm':22s} {'batch':>5s} {'thr':>3s}  {'images/s':>24s}  {'vs fp32':>20s}  agree")
    for (arm, batch, threads), rs in sorted(cells.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])):
        print(f"{arm:22s} {batch:5d} {threads:3d}  {fmt([r['images_per_s'] for r in rs], 0):>24s}  "
              f"{fmt([r['speedup_vs_fp32'] for r in rs], 2, 'x'):>20s}  "
              f"{min(r['class_agreement'] for r in rs) * 100:.1f} %")
    line = re.compile(r"(fp32|int8)\s+batch\s+(\d+):\s+([\d,]+) images/s =\s+([\d.]+) GFLOP/s =\s+([\d.]+) % of FP32 peak,\s+([\d.]+) % of int8 peak")
    peak = re.compile(r"threads (\d+): FP32 MatMul ([\d.]+) GFLOP/s, int8 MatMulInteger ([\d.]+) GOP/s")
    fractions, peaks, threads = {}, {}, None
    files = sorted(glob.glob(os.path.join(out, "roofline-run*.txt")))
    for path in files:
        for text in open(path):
            m = peak.search(text)
            if m:
                threads = int(m.group(1))
                peaks.setdefault(threads, []).append((float(m.group(2)), float(m.group(3))))
            m = line.search(text)
            if m:
                key = (threads, m.group(1), int(m.group(2)))
                fractions.setdefault(key, []).append((float(m.group(5)), float(m.group(6))))
    print(f"\nroofline, median (min-max) of {len(files)} runs")
    for t, ps in sorted(peaks.items()):
        print(f"threads {t}: FP32 MatMul peak {fmt([p[0] for p in ps], 1, ' GFLOP/s')}, "
              f"int8 MatMulInteger {fmt([p[1] for p in ps], 1, ' GOP/s')}")
        for (tt, model, batch), fs in sorted(fractions.items()):
            if tt == t:
                print(f"  {model} batch {batch:3d}: {fmt([f[0] for f in fs], 1, ' %')} of the FP32 peak, "
                      f"{fmt([f[1] for f in fs], 1, ' %')} of the int8 peak")


if __name__ == "__main__":
    main(sys.argv[1])
