#!/usr/bin/python3
"""The Pillow peer of issue 30: the pre-processing a ten-line Python script does before a model,
for comparing the CPU per photo of `./stn classify` with it.

    /usr/bin/python3 benchmarks/peers/pillow_classify.py [--size 32] [--no-draft] PATH...

What it does, per file, in the order given (a folder gives its *.jpg, *.jpeg and *.png files,
sorted by name, not recursively), one process, one thread:
  1. Image.open(file);
  2. img.draft('RGB', (4*S, 4*S)): for a JPEG, libjpeg decodes at 1/2, 1/4 or 1/8 scale in the
     DCT domain, the largest reduction keeping both sides >= 4*S, stn4j's rule (no effect on
     other formats);
     --no-draft skips this step (a full decode, for reference);
  3. img.convert('RGB') (which decodes);
  4. the largest centred square crop (the extra pixel of an odd excess on the right/bottom, as
     stn4j's Preprocessor);
  5. resize to SxS with Image.BOX (area averaging);
  6. numpy float32, /255, HWC to CHW (3xSxS, values in [0,1]).
It prints the number of images and a checksum (the sum of all input values, and the mean), so
that the work cannot be optimised away and two runs can be compared.

What it does NOT do: no inference (no model is loaded or run), no batching, no EXIF orientation
(the generated photos carry none), no colour management (a CMYK JPEG is converted by Pillow's
plain formula), no error handling beyond stopping at the first unreadable file, no threads. The
difference with `./stn classify --threads 1` per photo is therefore pre-processing plus stn4j's
inference of one 32x32 image (well under a millisecond with the default model) and its output.
"""

import argparse
import os
import sys
import time

import numpy as np
from PIL import Image

EXTENSIONS = (".jpg", ".jpeg", ".png")


def files(paths):
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.lower().endswith(EXTENSIONS):
                    yield os.path.join(path, name)
        else:
            yield path


def chw(path, size, draft):
    with Image.open(path) as img:
        if draft:
            img.draft("RGB", (4 * size, 4 * size))
        rgb = img.convert("RGB")
    w, h = rgb.size
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    square = rgb.crop((left, top, left + side, top + side))
    small = square.resize((size, size), Image.BOX)
    return (np.asarray(small, dtype=np.float32) / 255.0).transpose(2, 0, 1)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="+", metavar="PATH", help="image files or folders")
    p.add_argument("--size", type=int, default=32, help="the model's side S (default 32)")
    p.add_argument("--no-draft", action="store_true", help="decode at full size (reference)")
    args = p.parse_args()
    if args.size < 1:
        print(f"pillow_classify.py: --size must be >= 1, got {args.size}", file=sys.stderr)
        sys.exit(2)
    started = time.perf_counter()
    count, total = 0, 0.0
    for path in files(args.paths):
        x = chw(path, args.size, not args.no_draft)
        total += float(x.sum(dtype=np.float64))
        count += 1
    values = count * 3 * args.size * args.size
    print(f"images {count} size {args.size} draft {not args.no_draft} checksum {total:.6f} "
          f"mean {total / max(values, 1):.6f} seconds {time.perf_counter() - started:.3f}")


if __name__ == "__main__":
    main()
