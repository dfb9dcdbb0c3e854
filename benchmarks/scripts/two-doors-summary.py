#!/usr/bin/python3
"""Summary of a two-doors.sh folder, as markdown. Accuracy: per seed the last epoch's test
accuracy from the binary batches (bin-SEED) and from the PNG tree (tree-SEED), the medians per
door and their difference against issue 26's bound (within 0.5 points). Speed: per run the
median train_seconds of epochs 2..E (epoch 1 is left out of both doors: with the tree it may
include building the decode cache; the rule is stated in two-doors.sh before the runs), per door
the median over those epochs of all its runs, the ratio tree / binary of those medians against
the bound (<= 1.05), and per round (same seed, back to back) the ratio of the runs' medians.
Every run counts; a missing or failed run is listed, and the figures are over the runs that
finished. Both doors run the same recipe; the tree's normalisation is computed on the training
tree (stn4j's rule for trees) while the binary door keeps the seed's CIFAR-10 constants.

    benchmarks/scripts/two-doors-summary.py benchmarks/results/two-doors-2026-12-07
"""

import os
import re
import sys

from trainer_runs import conditions, median, pct, recipe_differences, stn_run

ACCURACY_BOUND = 0.5  # points
SPEED_BOUND = 1.05  # tree seconds / binary seconds
FIRST_TIMED_EPOCH = 2


def timed(run):
    return [e["train_seconds"] for e in run["epochs"]
            if e.get("epoch", 0) >= FIRST_TIMED_EPOCH and e.get("train_seconds") is not None]


def seconds(values):
    return "-" if not values else (f"{median(values):.1f} ({min(values):.1f}-{max(values):.1f}, "
                                   f"{len(values)} epochs)")


def main(folder):
    print(f"# two-doors: {folder}")
    print()
    for line in conditions(folder):
        print(f"    {line}")
    print()
    seeds = sorted({int(m.group(1)) for m in
                    (re.match(r"^(?:bin|tree)-(\d+)(?:\.txt)?$", n) for n in os.listdir(folder))
                    if m})
    if not seeds:
        print("no runs")
        return
    runs, problems, recipe = {}, [], []
    for s in seeds:
        for door in ("bin", "tree"):
            name = os.path.join(folder, f"{door}-{s}")
            r = stn_run(name + ".txt", name)
            runs[door, s] = r
            if r["problem"]:
                problems.append(r["problem"])
            elif len(r["epochs"]) < FIRST_TIMED_EPOCH:
                problems.append(f"{door}-{s}: {len(r['epochs'])} epoch(s) logged, none timed")
        bin_run, tree_run = runs["bin", s], runs["tree", s]
        if bin_run["settings"] and tree_run["settings"]:
            for key, a, b in recipe_differences(bin_run["settings"], tree_run["settings"]):
                recipe.append(f"seed {s}: {key}: binary {a}, tree {b}")
        else:
            recipe += [f"seed {s}: no settings line from the {door} run"
                       for door, r in (("binary", bin_run), ("tree", tree_run))
                       if not r["settings"] and not r["problem"]]

    print("## Accuracy (last epoch, test split)")
    print()
    print("| seed | binary batches (%) | PNG tree (%) | tree − binary (points) |")
    print("|---:|---:|---:|---:|")
    for s in seeds:
        a, b = runs["bin", s]["test_acc"], runs["tree", s]["test_acc"]
        d = "-" if a is None or b is None else f"{100 * (b - a):+.2f}"
        print(f"| {s} | {pct(a)} | {pct(b)} | {d} |")
    med_bin = median(runs["bin", s]["test_acc"] for s in seeds)
    med_tree = median(runs["tree", s]["test_acc"] for s in seeds)
    gap = None if med_bin is None or med_tree is None else 100 * (med_tree - med_bin)
    print(f"| median | {pct(med_bin)} | {pct(med_tree)} | "
          f"{'-' if gap is None else f'{gap:+.2f}'} (of the medians) |")
    print()
    if gap is None:
        print("No accuracy verdict: a door has no finished run.")
    else:
        print(f"Medians within {ACCURACY_BOUND} points: "
              f"{'met' if abs(gap) <= ACCURACY_BOUND else 'NOT met'} ({gap:+.2f}).")
    print()

    print(f"## Seconds per epoch (train_seconds, epochs >= {FIRST_TIMED_EPOCH})")
    print()
    print("| round (seed) | binary: median (min-max) | tree: median (min-max) "
          "| tree / binary |")
    print("|---:|---:|---:|---:|")
    for s in seeds:
        b, t = timed(runs["bin", s]), timed(runs["tree", s])
        ratio = f"{median(t) / median(b):.3f}" if b and t else "-"
        print(f"| {seeds.index(s) + 1} ({s}) | {seconds(b)} | {seconds(t)} | {ratio} |")
    all_bin = [v for s in seeds for v in timed(runs["bin", s])]
    all_tree = [v for s in seeds for v in timed(runs["tree", s])]
    ratio = median(all_tree) / median(all_bin) if all_bin and all_tree else None
    per_round = [median(timed(runs["tree", s])) / median(timed(runs["bin", s]))
                 for s in seeds if timed(runs["bin", s]) and timed(runs["tree", s])]
    print(f"| all | {seconds(all_bin)} | {seconds(all_tree)} | "
          f"{'-' if ratio is None else f'{ratio:.3f}'} (of the medians) |")
    print()
    if ratio is None:
        print("No speed verdict: a door has no timed epoch.")
    else:
        print(f"Tree epoch <= {SPEED_BOUND} x binary epoch (medians): "
              f"{'met' if ratio <= SPEED_BOUND else 'NOT met'} ({ratio:.3f}; per-round ratios "
              f"{', '.join(f'{r:.3f}' for r in per_round)}). A shared machine: see the uptime "
              f"lines in conditions.txt and each run's file.")
    print()
    if recipe:
        print("Recipe differences between the doors (the settings each run printed):")
        for line in recipe:
            print(f"- {line}")
    else:
        print("Recipe: the same settings printed by both doors wherever both ran.")
    if problems:
        print()
        print("Missing or failed runs (counted as missing, not left out silently):")
        for p in problems:
            print(f"- {p}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
