#!/usr/bin/env python3
"""Summary of serve-stalled.sh's raw output (the rule is stated there: every run and round counts).

For each stalled-N and idle-M run: the honest requests' p99, p50 and requests/s without and with
the held connections, as medians over rounds, the ratio of the medians and the median of the
per-round ratios (goal, issue 22: p99 with <= 2x without, no errors); what happened to the held
connections; the server's resident memory. For the deadline run: the longest a stalled upload lived
against the body timeout. For the throughput run: requests/s as a fraction of in-process
predictEach (goal >= 0.40).
"""
import glob
import json
import os
import re
import statistics
import sys

DEFAULT_BODY_TIMEOUT_S = 20.0


def med(values):
    return statistics.median(values) if values else float("nan")


def rng(values, digits=2):
    if not values:
        return "no rows"
    return f"{med(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f}, n={len(values)})"


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"{os.path.basename(path)}: MISSING ({e}); see the .txt beside it")
        return None


def problems(rows):
    bad = [r for r in rows if r["errors"] or r["wrongAnswers"] or r["other5xx"] or r["status503"]]
    return ", ".join(
        f"round {r['round']} {'with' if held(r) else 'without'}: errors {r['errors']}, wrong"
        f" {r['wrongAnswers']}, 503 {r['status503']}, other 5xx {r['other5xx']}"
        for r in bad
    ) or "none"


def held(row):
    return row.get("stalled", 0) > 0 or row.get("idle", 0) > 0


def mb(kib):
    return kib / 1024


def held_runs(out):
    for path in sorted(glob.glob(os.path.join(out, "stalled-*.json")) + glob.glob(os.path.join(out, "idle-*.json"))):
        doc = load(path)
        if doc is None:
            continue
        name = os.path.basename(path)[:-5]
        rows = doc["rows"]
        without = [r for r in rows if not held(r)]
        with_ = [r for r in rows if held(r)]
        rounds = sorted({r["round"] for r in rows})
        per_round = []
        for k in rounds:
            a = [r for r in without if r["round"] == k]
            b = [r for r in with_ if r["round"] == k]
            if a and b and a[0]["p99Ms"] > 0:
                per_round.append(b[0]["p99Ms"] / a[0]["p99Ms"])
        p99a = [r["p99Ms"] for r in without]
        p99b = [r["p99Ms"] for r in with_]
        print(f"== {name}: honest binary infer, concurrency {rows[0]['concurrency']}, {len(rounds)} rounds of {doc['seconds']} s")
        print(f"  p99 ms      without {rng(p99a)}   with {rng(p99b)}")
        print(f"  p50 ms      without {rng([r['p50Ms'] for r in without], 3)}   with {rng([r['p50Ms'] for r in with_], 3)}")
        print(f"  requests/s  without {rng([r['requestsPerSecond'] for r in without], 0)}   with {rng([r['requestsPerSecond'] for r in with_], 0)}")
        ratio = med(p99b) / med(p99a) if p99a and p99b else float("nan")
        verdict = "within 2x" if ratio <= 2 and med(per_round) <= 2 else "NOT within 2x"
        print(f"  p99 with / without: ratio of medians {ratio:.2f}, median of per-round ratios {med(per_round):.2f} ({verdict})")
        print(f"  rows with errors, wrong answers, 503 or other 5xx: {problems(rows)}")
        for r in with_:
            for h in r["held"]:
                print(
                    f"  round {r['round']}: {h['count']} {h['kind'].lower()} held (opened in {h['openSeconds']:.1f} s);"
                    f" closed by the server {h['closedByServer']} (408 first: {h['answered408']}),"
                    f" longest life {h['maxLifeSeconds']:.1f} s; reopen failures {h['reopenFailures']}"
                )
        rss_a = [mb(r["serverRssKiBEnd"]) for r in without]
        rss_b = [mb(r["serverRssKiBEnd"]) for r in with_]
        outside_b = [mb(r["serverOutsideJvmKiBEnd"]) for r in with_ if "serverOutsideJvmKiBEnd" in r]
        heap_b = [mb(r["serverMemory"][-1]["heapUsedKiB"]) for r in with_ if r.get("serverMemory")]
        print(f"  server RSS MB at row end: without {rng(rss_a, 0)}   with {rng(rss_b, 0)}")
        print(f"  with: heap used MB {rng(heap_b, 0)}, outside the JVM MB {rng(outside_b, 0)}")


def body_timeout_s(doc):
    for a in doc.get("serverArgs", []):
        m = re.match(r"--body-timeout-ms=(\d+)", a)
        if m:
            return int(m.group(1)) / 1000
    return DEFAULT_BODY_TIMEOUT_S


def deadline(out):
    doc = load(os.path.join(out, "deadline.json"))
    if doc is None:
        return
    limit = body_timeout_s(doc)
    print(f"== deadline: 1,000 stalled uploads through a row of {doc['seconds']} s, body timeout {limit:.0f} s")
    for r in doc["rows"]:
        for h in r["held"]:
            ok = h["closedByServer"] >= h["count"] and h["maxLifeSeconds"] <= limit + 2
            print(
                f"  closed by the server {h['closedByServer']} (408 first: {h['answered408']}),"
                f" longest life {h['maxLifeSeconds']:.2f} s"
                f" ({'every one cut within the body timeout + 2 s' if ok else 'NOT all cut within the body timeout + 2 s'})"
            )
    print(f"  rows with errors, wrong answers, 503 or other 5xx: {problems(doc['rows'])}")


def throughput(out):
    doc = load(os.path.join(out, "throughput.json"))
    if doc is None:
        return
    rows = doc["rows"]
    frac = [r["fractionOfReference"] for r in rows]
    print(f"== throughput: binary infer, concurrency 64, {len(rows)} rows of {doc['seconds']} s")
    print(f"  requests/s {rng([r['requestsPerSecond'] for r in rows], 0)}; in-process predictEach {doc['referencePredictEachImagesPerSecond']} images/s")
    print(f"  fraction of predictEach {rng(frac)} ({'>= 0.40' if med(frac) >= 0.40 else 'BELOW 0.40'})")
    print(f"  rows with errors, wrong answers, 503 or other 5xx: {problems(rows)}")


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "conditions.txt")) as f:
        print(f.read().strip())
    print()
    held_runs(out)
    deadline(out)
    throughput(out)


if __name__ == "__main__":
    main()
