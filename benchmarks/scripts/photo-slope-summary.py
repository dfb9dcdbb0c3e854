#!/usr/bin/python3
"""Summary of a photo-slope.sh folder, as markdown: per folder (12 MP, 640x480) and tool (stn,
stn-java, pillow) the CPU (user + sys) and wall of the runs on the smaller and larger photo count
(20 and 40 unless COUNTS said otherwise), the per-photo slope per round, (CPU_B - CPU_A) / (B -
A), as median (min-max) over rounds, and stn / pillow and stn-java / pillow: the ratio of the
slope medians and the median (min-max) of the per-round ratios. The issue's bound: stn <= 1.0 x
pillow at 12 MP. Every counted run of times.txt is used; a failed run (exit != 0) is listed and
its round's slope left out for that tool, as the rule in photo-slope.sh says.

    benchmarks/scripts/photo-slope-summary.py benchmarks/results/photo-slope-2026-12-07
"""

import os
import re
import statistics
import sys

BOUND = 1.0  # stn slope / pillow slope at 12 MP
TOOLS = ("stn", "stn-java", "stn-before", "pillow")
FOLDERS = ("12mp", "640x480")


def read(folder):
    runs, failed = [], []
    with open(os.path.join(folder, "times.txt")) as f:
        for line in f:
            if not line.startswith("counted "):
                continue
            fields = dict(m.groups() for m in re.finditer(r"(\w+)=(\S+)", line))
            run = {"round": int(fields["round"]), "folder": fields["folder"],
                   "tool": fields["tool"], "n": int(fields["n"]), "exit": int(fields["exit"])}
            try:
                run["cpu"] = float(fields["user"]) + float(fields["sys"])
                run["wall"] = float(fields["wall"])
            except (KeyError, ValueError):
                run["exit"] = run["exit"] or -1  # no time line: counted as failed
            (runs if run["exit"] == 0 else failed).append(run)
    return runs, failed


def spread(values, unit, scale=1.0, digits=1):
    if not values:
        return "-"
    v = [x * scale for x in values]
    return (f"{statistics.median(v):.{digits}f} {unit} ({min(v):.{digits}f}-{max(v):.{digits}f}, "
            f"n={len(v)})")


def slopes(runs, folder, tool, lo, hi):
    """Per round: (CPU_hi - CPU_lo) / (hi - lo), rounds where both runs finished."""
    by = {(r["round"], r["n"]): r for r in runs if r["folder"] == folder and r["tool"] == tool}
    rounds = sorted({r for r, _ in by})
    return {r: (by[r, hi]["cpu"] - by[r, lo]["cpu"]) / (hi - lo)
            for r in rounds if (r, lo) in by and (r, hi) in by}


def main(folder):
    print(f"# photo-slope: {folder}")
    print()
    with open(os.path.join(folder, "conditions.txt")) as f:
        for line in f:
            if not line.startswith("#   photo-") and not line.startswith("#   x-"):
                print(f"    {line.rstrip()}")
    print()
    runs, failed = read(folder)
    if not runs:
        print("no counted runs")
        return
    counts = sorted({r["n"] for r in runs})
    if len(counts) != 2:
        print(f"expected two photo counts, found {counts}")
        return
    lo, hi = counts
    tools = [t for t in TOOLS if any(r["tool"] == t for r in runs)]
    for where in FOLDERS:
        print(f"## {where}")
        print()
        print(f"| tool | CPU {lo} photos | CPU {hi} photos | wall {lo} | wall {hi} "
              f"| slope: CPU per photo (ms) |")
        print("|---|---:|---:|---:|---:|---:|")
        per = {}
        for tool in tools:
            cells = []
            for key in ("cpu", "wall"):
                for n in (lo, hi):
                    cells.append(spread([r[key] for r in runs if r["folder"] == where
                                         and r["tool"] == tool and r["n"] == n], "s", digits=2))
            per[tool] = slopes(runs, where, tool, lo, hi)
            cpu_lo, cpu_hi, wall_lo, wall_hi = cells
            print(f"| {tool} | {cpu_lo} | {cpu_hi} | {wall_lo} | {wall_hi} "
                  f"| {spread(list(per[tool].values()), 'ms', 1000)} |")
        print()
        if "pillow" in per and per["pillow"]:
            peer = statistics.median(per["pillow"].values())
            for tool in ("stn", "stn-java", "stn-before"):
                if not per.get(tool):
                    continue
                ratio = statistics.median(per[tool].values()) / peer
                rounds = [per[tool][r] / per["pillow"][r] for r in per[tool]
                          if r in per["pillow"] and per["pillow"][r] > 0]
                line = (f"{tool} / pillow (slope medians): {ratio:.2f}; per round: "
                        + (f"median {statistics.median(rounds):.2f} ({min(rounds):.2f}-"
                           f"{max(rounds):.2f})" if rounds else "-"))
                if where == "12mp" and tool == "stn":
                    line += (f". Bound <= {BOUND} x pillow at 12 MP: "
                             f"{'met' if ratio <= BOUND else 'NOT met'}")
                print(f"- {line}")
            print()
    if failed:
        print("Failed runs (kept, their rounds' slopes left out for that tool):")
        for r in failed:
            print(f"- round {r['round']} {r['folder']} {r['tool']} n={r['n']}: exit {r['exit']}")
    else:
        print("Every counted run finished (exit 0).")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
