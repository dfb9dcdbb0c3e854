#!/usr/bin/python3
"""Writes a labelled image tree (OUT/<class name>/<file>.png, lossless PNG) for issue 26's
measurements, from CIFAR-10's binary batches or from the UCI handwritten digits of scikit-learn.

    /usr/bin/python3 benchmarks/scripts/write_tree.py --cifar ../shared/data/cifar-10-batches-bin \
        --split train OUT/train              # data_batch_1..5 in order; --split test: test_batch
    /usr/bin/python3 benchmarks/scripts/write_tree.py --digits OUT/train OUT/test \
        --test-fraction 0.2 --seed 0         # a stratified, seeded split, two trees
    /usr/bin/python3 benchmarks/scripts/write_tree.py --digest TREE   # files and one SHA-256

CIFAR-10: RGB 32x32 PNGs holding exactly the stored bytes; class folders named from
batches.meta.txt; a file is named after its record's index in the split (train: 0..49,999 over
the five batches in order), zero-padded, so sorted file names within a class are the split's
order. --limit N writes only the first N records (for tests).

Digits (sklearn.datasets.load_digits: 1,797 8x8 images, values 0..16, 10 classes): split with
sklearn's train_test_split(stratify=labels, random_state=seed); class folders 0..9; 8-bit
greyscale 8x8 PNGs with the values scaled as round(v * 255 / 16); a file is named after the
image's index in load_digits (0000..1796), so sorted names keep the data set's order.

--digest prints a tree's file count and the SHA-256 of its sorted "relative path, file SHA-256"
lines, so a results folder can name the exact tree it was measured on without holding it.

Each tree is written to OUT.partial and renamed to OUT when complete; an existing OUT is refused
(so a finished tree is never half-overwritten). Use Debian's python (/usr/bin/python3: PIL,
numpy, sklearn), not the pyenv python on PATH.
"""

import argparse
import hashlib
import os
import shutil
import sys
import time

import numpy as np
from PIL import Image

RECORD = 1 + 3 * 32 * 32
TRAIN_FILES = [f"data_batch_{i}.bin" for i in range(1, 6)]
TEST_FILES = ["test_batch.bin"]


def fail(message):
    print(f"write_tree.py: {message}", file=sys.stderr)
    sys.exit(2)


def start(out):
    """The partial folder to write into; refuses an existing OUT."""
    if os.path.exists(out):
        fail(f"{out} exists; remove it first (a tree is written once)")
    partial = out.rstrip("/") + ".partial"
    if os.path.exists(partial):
        shutil.rmtree(partial)
    os.makedirs(partial)
    return partial


def finish(partial, out):
    os.rename(partial, out)


def write_images(out, class_names, labels, images, names):
    """images: uint8 [N,H,W,3] or [N,H,W]; names: file stems. Returns per-class counts."""
    partial = start(out)
    for name in class_names:
        os.makedirs(os.path.join(partial, name))
    counts = [0] * len(class_names)
    for label, pixels, stem in zip(labels, images, names):
        path = os.path.join(partial, class_names[label], stem + ".png")
        # compress_level 1: PNG is lossless at any level; 1 writes 50,000 images several times
        # faster than the default 6 for a slightly larger tree.
        Image.fromarray(pixels).save(path, format="PNG", compress_level=1)
        counts[label] += 1
    finish(partial, out)
    return counts


def read_cifar(data_dir, split, limit):
    files = TRAIN_FILES if split == "train" else TEST_FILES
    parts = []
    for f in files:
        path = os.path.join(data_dir, f)
        if not os.path.isfile(path):
            fail(f"{path}: missing (need {', '.join(files)} in --cifar)")
        raw = np.fromfile(path, dtype=np.uint8)
        if raw.size % RECORD:
            fail(f"{path}: {raw.size} bytes is not a whole number of {RECORD}-byte records")
        parts.append(raw.reshape(-1, RECORD))
    raw = np.concatenate(parts)
    if limit:
        raw = raw[:limit]
    labels = raw[:, 0].astype(np.int64)
    # Stored channel-major (R, G, B planes); PIL wants height x width x channel.
    images = raw[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy()
    meta = os.path.join(data_dir, "batches.meta.txt")
    if not os.path.isfile(meta):
        fail(f"{meta}: missing (the class names, one a line)")
    with open(meta) as f:
        class_names = [line.strip() for line in f if line.strip()]
    if labels.size and labels.max() >= len(class_names):
        fail(f"{data_dir}: label {labels.max()} but only {len(class_names)} class names")
    return class_names, labels, images


def cifar(args):
    started = time.perf_counter()
    class_names, labels, images = read_cifar(args.cifar, args.split, args.limit)
    width = len(str(max(len(labels) - 1, 0)))
    width = max(width, 5)
    names = [f"{i:0{width}d}" for i in range(len(labels))]
    counts = write_images(args.out, class_names, labels, images, names)
    print(f"{args.out}: {len(labels):,} CIFAR-10 {args.split} images, 32x32 RGB PNG, "
          f"per class {dict(zip(class_names, counts))}, {time.perf_counter() - started:.1f} s")


def digits_split(test_fraction, seed):
    """(pixels uint8 [N,8,8], labels, train indices, test indices), indices in data set order."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    data = load_digits()
    values = data.images  # float64 0..16, [1797, 8, 8]
    if values.min() < 0 or values.max() > 16 or np.any(values != np.round(values)):
        fail("load_digits: expected whole values 0..16")
    # round(v * 255 / 16), exact in float64 for whole v. The one half is v = 8 (127.5): np.rint
    # rounds it to even, 128, which is also what rounding half up gives.
    pixels = np.rint(values * 255.0 / 16.0).astype(np.uint8)
    labels = data.target.astype(np.int64)
    index = np.arange(len(labels))
    train, test = train_test_split(
        index, test_size=test_fraction, random_state=seed, stratify=labels)
    return pixels, labels, np.sort(train), np.sort(test)


def digits(args):
    started = time.perf_counter()
    if not 0 < args.test_fraction < 1:
        fail(f"--test-fraction must be between 0 and 1, got {args.test_fraction}")
    pixels, labels, train, test = digits_split(args.test_fraction, args.seed)
    class_names = [str(k) for k in range(10)]
    for out, index, split in ((args.digits[0], train, "train"), (args.digits[1], test, "test")):
        counts = write_images(out, class_names, labels[index], pixels[index],
                              [f"{i:04d}" for i in index])
        print(f"{out}: {len(index):,} digits {split} images (of 1,797; test fraction "
              f"{args.test_fraction}, seed {args.seed}), 8x8 8-bit grey PNG, per class {counts}")
    print(f"{time.perf_counter() - started:.1f} s")


def digest(tree):
    if not os.path.isdir(tree):
        fail(f"{tree}: not a folder")
    lines = []
    for folder, dirs, names in os.walk(tree):
        dirs.sort()
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                sha = hashlib.sha256(f.read()).hexdigest()
            lines.append(f"{os.path.relpath(path, tree)} {sha}")
    lines.sort()
    total = hashlib.sha256("".join(line + "\n" for line in lines).encode()).hexdigest()
    print(f"{tree}: {len(lines):,} files, sha256 {total}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--cifar", metavar="DIR", help="folder of CIFAR-10's binary batches")
    source.add_argument("--digits", nargs=2, metavar=("OUT_TRAIN", "OUT_TEST"),
                        help="write sklearn's digits as a training and a test tree")
    source.add_argument("--digest", metavar="TREE", help="print a tree's files and SHA-256")
    p.add_argument("--split", choices=["train", "test"], help="with --cifar")
    p.add_argument("--limit", type=int, default=0, help="with --cifar: only the first N records")
    p.add_argument("--test-fraction", type=float, default=0.2, help="with --digits")
    p.add_argument("--seed", type=int, default=0, help="with --digits: the split's seed")
    p.add_argument("out", nargs="?", help="with --cifar: the tree to write")
    args = p.parse_args()
    if args.digest:
        digest(args.digest)
    elif args.cifar:
        if not args.split or not args.out:
            fail("--cifar needs --split train|test and OUT")
        if args.limit < 0:
            fail(f"--limit must be >= 0, got {args.limit}")
        cifar(args)
    else:
        if args.out or args.split or args.limit:
            fail("--digits takes OUT_TRAIN OUT_TEST only (no --split, --limit or OUT)")
        digits(args)


if __name__ == "__main__":
    main()
