#!/usr/bin/python3
"""Writes issue 30's inputs: photo-sized JPEG folders and the CIFAR-10 test images as a labelled
tree of 640x480 JPEGs.

    /usr/bin/python3 benchmarks/scripts/write_photos.py photos --size 4000x3000 --count 40 \
        --progressive 2 --cmyk 1 OUT/photos-12mp
    /usr/bin/python3 benchmarks/scripts/write_photos.py photos --size 640x480 --count 40 \
        OUT/photos-640x480
    /usr/bin/python3 benchmarks/scripts/write_photos.py tree OUT/cifar-test-640x480
    (--cifar DIR: CIFAR-10's binary batches, default ../shared/data/cifar-10-batches-bin from the
    repository root; --limit N with tree: only the first N test records, for smoke runs)

photos: COUNT baseline JPEGs (quality 90, PIL's default 4:2:0 chroma subsampling, no EXIF)
named photo-0000.jpg, ...; what they are: synthetic scenes, not photographs. Each is a CIFAR-10
test image (picked with the seed) enlarged bicubically to the size (the large shapes and colours
of a scene), plus a luminance texture of five octaves of bicubically enlarged Gaussian noise
(cells of 1/8, 1/32, 1/128 and 1/500 of the width, and 2 pixels; each amplitude 3 levels) and a
per-pixel grain (Gaussian, 5 levels on luminance, 5/3 per channel on colour). The texture and
grain give the entropy of a real photo: a 4000x3000 file is about 3.1 MB, as a 12 MP phone photo
at quality 90 (issue 30's folder: 3.2 MB); a 640x480 one about 88 KB. Sizes are printed.
--progressive K and --cmyk K add K progressive and K CMYK (Adobe, as PIL writes it) JPEGs of the
same kind named x-progressive-00.jpg, x-cmyk-00.jpg: they sort after the photo-* files, so
"the first N photo-*.jpg" is always N baseline RGB files. OUT/photos.txt lists every file, its
kind and bytes. Deterministic: the same arguments and seed give the same bytes (with the same
PIL and numpy).

tree: the 10,000 CIFAR-10 test images (test_batch.bin) as OUT/<class name>/<index>.jpg, the
conventions of write_tree.py (class folders from batches.meta.txt, zero-padded record index,
written to OUT.partial and renamed when complete, an existing OUT is refused): each 32x32 image
enlarged bicubically to 480x480 and pasted in the centre of a 640x480 canvas of neutral grey
(128, 128, 128), quality 90. The SDK's pre-processing crops the centred 480x480 square, so the
model sees exactly the enlarged image.

Use Debian's python (/usr/bin/python3: PIL, numpy), not the pyenv python on PATH.
"""

import argparse
import os
import sys
import time

import numpy as np
from PIL import Image

from write_tree import finish, read_cifar, start

QUALITY = 90
TEXTURE = 3.0  # levels, per octave
GRAIN = 5.0  # levels, luminance; colour grain is a third of it
BAND = (128, 128, 128)


def fail(message):
    print(f"write_photos.py: {message}", file=sys.stderr)
    sys.exit(2)


def default_cifar():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(root, "..", "shared", "data", "cifar-10-batches-bin")


def octave(rng, width, height, cell):
    """Gaussian noise on a grid of cell x cell pixels, enlarged bicubically: texture of that scale."""
    cols, rows = width // cell + 2, height // cell + 2
    small = rng.standard_normal((rows, cols)).astype(np.float32)
    up = Image.fromarray(small, mode="F").resize((cols * cell, rows * cell), Image.BICUBIC)
    return np.asarray(up)[:height, :width]


def scene(rng, base, width, height):
    """A photo-like RGB image: base (a 32x32 image) enlarged, plus texture and grain."""
    pixels = np.asarray(Image.fromarray(base).resize((width, height), Image.BICUBIC),
                        dtype=np.float32).copy()
    luma = np.zeros((height, width), np.float32)
    for cell in (width // 8, width // 32, width // 128, width // 500, 2):
        luma += TEXTURE * octave(rng, width, height, max(cell, 2))
    luma += GRAIN * rng.standard_normal((height, width), dtype=np.float32)
    pixels += luma[:, :, None]
    pixels += (GRAIN / 3) * rng.standard_normal((height, width, 3), dtype=np.float32)
    return Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8))


def photos(args):
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        fail(f"--size must be WIDTHxHEIGHT, got {args.size!r}")
    if width < 32 or height < 32:
        fail(f"--size must be at least 32x32, got {args.size}")
    if args.count < 1 or args.progressive < 0 or args.cmyk < 0:
        fail("--count must be >= 1, --progressive and --cmyk >= 0")
    started = time.perf_counter()
    _, _, images = read_cifar(args.cifar, "test", 0)
    rng = np.random.default_rng(args.seed)
    jobs = [(f"photo-{i:04d}.jpg", "baseline") for i in range(args.count)]
    jobs += [(f"x-progressive-{i:02d}.jpg", "progressive") for i in range(args.progressive)]
    jobs += [(f"x-cmyk-{i:02d}.jpg", "cmyk") for i in range(args.cmyk)]
    partial = start(args.out)
    lines = []
    for name, kind in jobs:
        index = int(rng.integers(len(images)))
        image = scene(rng, images[index], width, height)
        path = os.path.join(partial, name)
        if kind == "cmyk":
            image.convert("CMYK").save(path, "JPEG", quality=QUALITY)
        else:
            image.save(path, "JPEG", quality=QUALITY, progressive=kind == "progressive")
        size = os.path.getsize(path)
        lines.append(f"{name} {kind} {width}x{height} cifar-test-{index} {size}")
        print(f"{name}: {kind}, {width}x{height}, {size:,} bytes", flush=True)
    with open(os.path.join(partial, "photos.txt"), "w") as f:
        f.write(f"# write_photos.py photos --size {args.size} --count {args.count} "
                f"--progressive {args.progressive} --cmyk {args.cmyk} --seed {args.seed}: "
                f"quality {QUALITY}, texture {TEXTURE}, grain {GRAIN}\n")
        f.write("".join(line + "\n" for line in lines))
    finish(partial, args.out)
    sizes = [int(line.split()[-1]) for line in lines[:args.count]]
    print(f"{args.out}: {len(jobs)} JPEGs; baseline bytes median {int(np.median(sizes)):,} "
          f"(min {min(sizes):,}, max {max(sizes):,}), {time.perf_counter() - started:.1f} s")


def tree(args):
    if args.limit < 0:
        fail(f"--limit must be >= 0, got {args.limit}")
    started = time.perf_counter()
    class_names, labels, images = read_cifar(args.cifar, "test", args.limit)
    partial = start(args.out)
    for name in class_names:
        os.makedirs(os.path.join(partial, name))
    width = max(len(str(max(len(labels) - 1, 0))), 5)
    total = 0
    for i, (label, pixels) in enumerate(zip(labels, images)):
        canvas = Image.new("RGB", (640, 480), BAND)
        canvas.paste(Image.fromarray(pixels).resize((480, 480), Image.BICUBIC), (80, 0))
        path = os.path.join(partial, class_names[label], f"{i:0{width}d}.jpg")
        canvas.save(path, "JPEG", quality=QUALITY)
        total += os.path.getsize(path)
    finish(partial, args.out)
    counts = np.bincount(labels, minlength=len(class_names)).tolist()
    print(f"{args.out}: {len(labels):,} CIFAR-10 test images as 640x480 JPEGs (32x32 enlarged "
          f"bicubically to 480x480, centred on grey), quality {QUALITY}, "
          f"{total / max(len(labels), 1) / 1024:.1f} KiB each on average, "
          f"per class {dict(zip(class_names, counts))}, {time.perf_counter() - started:.1f} s")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("what", choices=["photos", "tree"])
    p.add_argument("out", help="the folder to write (refused if it exists)")
    p.add_argument("--cifar", metavar="DIR", default=default_cifar(),
                   help="CIFAR-10's binary batches (test_batch.bin, batches.meta.txt)")
    p.add_argument("--size", default="4000x3000", help="photos: WIDTHxHEIGHT")
    p.add_argument("--count", type=int, default=40, help="photos: baseline JPEGs")
    p.add_argument("--progressive", type=int, default=0, help="photos: extra progressive JPEGs")
    p.add_argument("--cmyk", type=int, default=0, help="photos: extra CMYK JPEGs")
    p.add_argument("--seed", type=int, default=0, help="photos: the generator's seed")
    p.add_argument("--limit", type=int, default=0, help="tree: only the first N test records")
    args = p.parse_args()
    if args.what == "photos":
        photos(args)
    else:
        tree(args)


if __name__ == "__main__":
    main()
