#!/usr/bin/env python3
"""Compares spark-vs-classify.sh's outputs: `stn spark`'s JSON rows with `stn classify`'s records.

Joined on the file path. Equal means: both rows classified or both failed; same class index and
label; confidence, every probability and every theta entry within TOLERANCE; and the two summaries
(--summary-json) identical. Prints the counts and the largest differences; exit 0 when all equal.
"""
import glob
import json
import os
import sys

TOLERANCE = 1e-6


def spark_rows(out):
    rows = {}
    for part in sorted(glob.glob(os.path.join(out, "spark-rows", "part-*"))):
        with open(part) as f:
            for line in f:
                r = json.loads(line)
                rows[r["path"]] = r
    return rows


def classify_rows(out):
    with open(os.path.join(out, "classify.jsonl")) as f:
        return {r["path"]: r for r in map(json.loads, f)}


def main(out):
    spark, cli = spark_rows(out), classify_rows(out)
    problems = []
    worst = {"confidence": 0.0, "probabilities": 0.0, "theta": 0.0}
    if set(spark) != set(cli):
        problems.append(f"paths differ: {len(set(spark) - set(cli))} only in spark, "
                        f"{len(set(cli) - set(spark))} only in classify")
    for path in sorted(set(spark) & set(cli)):
        s, c = spark[path], cli[path]
        if (s.get("error") is None) != ("error" not in c):
            problems.append(f"{path}: spark error {s.get('error')!r}, classify {c.get('error')!r}")
            continue
        if "error" in c:
            continue
        if (s["class_index"], s["label"]) != (c["class_index"], c["label"]):
            problems.append(f"{path}: spark {s['label']}, classify {c['label']}")
        theta_c = [v for row in c["theta"] for v in row]  # classify: [[a,b,tx],[c,d,ty]]
        pairs = {
            "confidence": [(s["confidence"], c["confidence"])],
            "probabilities": list(zip(s["probabilities"], c["probabilities"])),
            "theta": list(zip(s["theta"], theta_c)),
        }
        if len(s["probabilities"]) != len(c["probabilities"]):
            problems.append(f"{path}: {len(s['probabilities'])} vs {len(c['probabilities'])} probabilities")
        for name, values in pairs.items():
            d = max(abs(a - b) for a, b in values)
            worst[name] = max(worst[name], d)
            if d > TOLERANCE:
                problems.append(f"{path}: {name} differs by {d:.3g}")
    summaries = []
    for name in ("spark-summary.json", "classify-summary.json"):
        with open(os.path.join(out, name)) as f:
            summaries.append(json.load(f))
    if summaries[0] != summaries[1]:
        problems.append("the summaries differ")
    classified = sum(1 for r in spark.values() if r.get("error") is None)
    print(f"rows: spark {len(spark)}, classify {len(cli)}, joined {len(set(spark) & set(cli))}, "
          f"classified {classified}")
    print("largest |spark - classify|: " + ", ".join(f"{k} {v:.3g}" for k, v in worst.items()))
    s = summaries[0]
    print(f"summary: images {s['images']}, failed {s['failed']}, accuracy {s['accuracy']}, "
          f"classes {s['classes']}; spark's and classify's summaries "
          f"{'identical' if summaries[0] == summaries[1] else 'DIFFER'}")
    for p in problems[:20]:
        print("DIFFERENCE " + p)
    print(f"{len(problems)} differences (tolerance {TOLERANCE})")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
