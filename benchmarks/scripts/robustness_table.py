#!/usr/bin/env python3
"""Markdown tables from `stn robustness` results.csv files: accuracy per level, median and min-max
over seeds, for each group of models; the recovered rotation likewise.

    robustness_table.py results.csv [results.csv ...] --group stn=-stn-seed --group cnn=-cnn-seed

A model belongs to the first group whose pattern its name or path contains; its seed is whatever
follows the pattern. Each (group, kind, level) cell is "median (min-max)" over the group's models,
or the one value when the group holds one model.
Recovered rotation cells are over the models' medians (each model's median over its images).
"""
import argparse
import csv
import statistics
from collections import defaultdict


def cell(values, scale=100.0, digits=2):
    values = sorted(v * scale for v in values)
    if not values:
        return ""
    f = f"{{:.{digits}f}}"
    if len(values) == 1:
        return f.format(values[0])
    return f"{f.format(statistics.median(values))} ({f.format(values[0])} – {f.format(values[-1])})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--group", action="append", required=True, help="NAME=PATTERN")
    args = ap.parse_args()
    groups = [g.split("=", 1) for g in args.group]
    acc = defaultdict(list)
    rot = defaultdict(list)
    levels = defaultdict(list)
    units = {}
    for f in args.files:
        with open(f, newline="") as fh:
            for row in csv.DictReader(fh):
                name = next((g for g, p in groups if p in row["model"]), None)
                if name is None:
                    continue
                key = (row["kind"], row["level"])
                units[row["kind"]] = row["unit"]
                if key not in levels[row["kind"]]:
                    levels[row["kind"]].append(key)
                acc[(name, key)].append(float(row["accuracy"]))
                if row["rotation_median"] and row["kind"] == "rotation":
                    rot[(name, key)].append(float(row["rotation_median"]))
    names = [g for g, _ in groups]
    for kind, keys in levels.items():
        print(f"\n| {kind} ({units[kind]}) | "
              + " | ".join(f"{n} accuracy %" for n in names)
              + (" | " + " | ".join(f"{n} recovered deg" for n in names if any(rot[(n, k)] for k in keys))
                 if kind == "rotation" else "")
              + " |")
        rot_names = [n for n in names if any(rot[(n, k)] for k in keys)] if kind == "rotation" else []
        print("|" + "---|" * (1 + len(names) + len(rot_names)))
        for key in keys:
            cells = [cell(acc[(n, key)]) for n in names]
            cells += [cell(rot[(n, key)], scale=1.0) for n in rot_names]
            print(f"| {key[1]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
