#!/usr/bin/python3
"""Summary of a digits-peer.sh folder, as markdown: per seed the test accuracy of stn4j's trainer
(the last epoch's test_acc in stn-SEED/log.jsonl, else the console's final line) and of the
PyTorch peer (its final JSON line), the medians, the difference of the medians and the median of
the per-seed differences, against issue 26's bound (|stn4j - peer| <= 1.5 points, on the
medians); then whether both ran the same recipe (the settings each printed). Every run counts;
a missing or failed run is listed, and the medians are over the runs that finished.

    benchmarks/scripts/digits-peer-summary.py benchmarks/results/digits-peer-2026-12-07
"""

import os
import re
import sys

from trainer_runs import conditions, median, pct, peer_run, recipe_differences, stn_run

BOUND = 1.5  # points


def seeds_in(folder):
    found = set()
    for name in os.listdir(folder):
        m = re.match(r"^(?:stn|peer)-(\d+)(?:\.txt)?$", name)
        if m:
            found.add(int(m.group(1)))
    return sorted(found)


def main(folder):
    print(f"# digits-peer: {folder}")
    print()
    for line in conditions(folder):
        print(f"    {line}")
    print()
    seeds = seeds_in(folder)
    if not seeds:
        print("no runs")
        return
    rows, problems, recipe = [], [], []
    for s in seeds:
        stn = stn_run(os.path.join(folder, f"stn-{s}.txt"), os.path.join(folder, f"stn-{s}"))
        peer = peer_run(os.path.join(folder, f"peer-{s}.txt"))
        problems += [r["problem"] for r in (stn, peer) if r["problem"]]
        if stn["test_acc"] is not None and peer["test_acc"] is not None:
            if len(stn["epochs"]) != peer["epochs"]:
                problems.append(f"seed {s}: stn4j logged {len(stn['epochs'])} epochs, "
                                f"the peer {peer['epochs']}")
        if peer["settings"] and peer["settings"].get("max_steps"):
            problems.append(f"seed {s}: the peer ran with --max-steps "
                            f"{peer['settings']['max_steps']} (part of each epoch only)")
        if stn["settings"] and peer["settings"]:
            for key, a, b in recipe_differences(stn["settings"], peer["settings"]):
                recipe.append(f"seed {s}: {key}: stn4j {a}, peer {b}")
        else:
            recipe += [f"seed {s}: no settings from the {name} run"
                       for name, r in (("stn4j", stn), ("peer", peer))
                       if not r["settings"] and not r["problem"]]
        rows.append((s, stn["test_acc"], peer["test_acc"]))

    print("| seed | stn4j test accuracy (%) | PyTorch peer test accuracy (%) "
          "| stn4j − peer (points) |")
    print("|---:|---:|---:|---:|")
    diffs = []
    for s, a, b in rows:
        d = None if a is None or b is None else 100 * (a - b)
        diffs.append(d)
        print(f"| {s} | {pct(a)} | {pct(b)} | {'-' if d is None else f'{d:+.2f}'} |")
    med_stn, med_peer = median(r[1] for r in rows), median(r[2] for r in rows)
    med_diff = median(diffs)
    n_stn = sum(r[1] is not None for r in rows)
    n_peer = sum(r[2] is not None for r in rows)
    print(f"| median ({n_stn} / {n_peer} runs) | {pct(med_stn)} | {pct(med_peer)} | "
          f"{'-' if med_diff is None else f'{med_diff:+.2f}'} (of the per-seed differences) |")
    print()
    if med_stn is None or med_peer is None:
        print("No verdict: a tool has no finished run.")
    else:
        gap = 100 * (med_stn - med_peer)
        verdict = "met" if abs(gap) <= BOUND else "NOT met"
        print(f"Difference of the medians, stn4j − peer: {gap:+.2f} points; issue 26's bound "
              f"(within {BOUND} points): {verdict}.")
    print()
    if recipe:
        print("Recipe differences (the settings each tool printed):")
        for line in recipe:
            print(f"- {line}")
    else:
        print("Recipe: the same wherever both ran (" + ", ".join(
            ["epochs", "batch", "lr", "schedule", "warm-up", "loc rate", "momentum",
             "weight decay", "flip", "dropouts", "seed", "label smoothing", "translate",
             "EMA"]) + ", as each tool printed them).")
    if problems:
        print()
        print("Missing or failed runs (counted as missing, not left out silently):")
        for p in problems:
            print(f"- {p}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
