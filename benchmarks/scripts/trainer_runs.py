"""Reading the raw output of `./stn train` and of the PyTorch peer (benchmarks/peers/train_stn.py),
shared by digits-peer-summary.py and two-doors-summary.py.

A trainer run is its console (stdout and stderr, e.g. OUT/stn-1.txt) and its --output folder
(log.jsonl: one JSON object per epoch with epoch, loss, train_acc, test_acc or val_acc, seconds,
train_seconds, lr; written by trainer/src/main/java/dev/stn4j/train/RunOutput.java). The console's
`settings: {...}` line holds the recipe and `final test accuracy X% ...` the last test figure.
The peer's output ends with one JSON line (test_acc, settings, ...).
"""

import json
import os
import re
import statistics

EXIT = re.compile(r"^# exit (\d+)")
FINAL = re.compile(r"^final test accuracy ([0-9.]+)%")
SETTINGS = re.compile(r"^settings: (\{.*\})\s*$")

# The recipe keys both tools print (the trainer's names); a difference here is a different recipe.
RECIPE_KEYS = ("epochs", "batch_size", "lr", "schedule", "warmup_fraction", "loc_lr_factor",
               "momentum", "weight_decay", "flip", "conv_dropout", "fc_dropout", "seed",
               "label_smoothing", "translate", "ema_decay")


def read_lines(path):
    if not os.path.isfile(path):
        return []
    with open(path, errors="replace") as f:
        return f.read().splitlines()


def exit_status(lines):
    """The status of a failed command, from the '# exit N' line the scripts write after it."""
    for line in lines:
        m = EXIT.match(line)
        if m:
            return int(m.group(1))
    return None


def stn_run(console, folder):
    """{"test_acc": fraction or None, "epochs": [records of log.jsonl], "settings": dict or None,
    "problem": text or None}. A run that exited with an error or logged fewer epochs than its
    settings asked for has a problem and no test_acc and no epochs: it counts as missing."""
    epochs = []
    for line in read_lines(os.path.join(folder, "log.jsonl")):
        if line.strip():
            epochs.append(json.loads(line))
    settings, final = None, None
    lines = read_lines(console)
    for line in lines:
        m = SETTINGS.match(line)
        if m:
            try:
                settings = json.loads(m.group(1))
            except ValueError:
                pass
        m = FINAL.match(line)
        if m:
            final = float(m.group(1)) / 100
    test = epochs[-1].get("test_acc") if epochs else None
    if test is None:
        test = final
    problem = None
    status = exit_status(lines)
    wanted = settings.get("epochs") if settings else None
    if not os.path.isfile(console):
        problem = f"{console}: missing"
    elif status is not None:
        problem = f"{console}: exited with status {status} after {len(epochs)} epoch(s)"
    elif test is None:
        problem = f"{console}: no test accuracy (failed run? see the file)"
    elif wanted is not None and len(epochs) != wanted:
        problem = f"{console}: {len(epochs)} epochs logged of {wanted}"
    if problem:
        test, epochs = None, []
    return {"test_acc": test, "epochs": epochs, "settings": settings, "problem": problem}


def peer_run(console):
    """{"test_acc": fraction or None, "epochs": count of epoch lines, "settings": dict or None,
    "problem": text or None}."""
    lines = read_lines(console)
    result = None
    for line in reversed(lines):
        if line.startswith("{"):
            try:
                result = json.loads(line)
            except ValueError:
                pass
            break
    epochs = sum(1 for line in lines if re.match(r"^epoch\s+\d+\s", line))
    test = result.get("test_acc") if result else None
    problem = None
    status = exit_status(lines)
    if not lines:
        problem = f"{console}: missing"
    elif status is not None:
        problem = f"{console}: exited with status {status} after {epochs} epoch(s)"
        test = None
    elif test is None:
        problem = f"{console}: no final JSON line with test_acc (failed run? see the file)"
    return {"test_acc": test, "epochs": epochs,
            "settings": result.get("settings") if result else None, "problem": problem}


def recipe_differences(a, b):
    """[(key, a's value, b's value)] for the recipe keys on which two settings dicts differ; a key
    missing from either counts as a difference."""
    diffs = []
    for key in RECIPE_KEYS:
        x, y = (a or {}).get(key), (b or {}).get(key)
        same = x == y or (isinstance(x, (int, float)) and isinstance(y, (int, float))
                          and not isinstance(x, bool) and abs(x - y) <= 1e-9 * max(1, abs(x)))
        if not same:
            diffs.append((key, x, y))
    return diffs


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def pct(fraction):
    return "-" if fraction is None else f"{100 * fraction:.2f}"


def conditions(folder):
    """The '# ' lines of conditions.txt worth repeating in a summary."""
    keep = ("# digits-peer", "# two-doors", "# machine", "# git", "# data", "# trees", "# peer",
            "# rule", "# epoch rule", "# uptime")
    return [line for line in read_lines(os.path.join(folder, "conditions.txt"))
            if line.startswith(keep)]
