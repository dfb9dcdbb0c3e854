#!/usr/bin/python3
"""The PyTorch peer of `./stn train`: the same 39,884-parameter STN and the same default recipe,
written as one would in PyTorch, to compare seconds per epoch on the same machine (issue 14.5).

Network (trainer/src/main/java/dev/stn4j/train/model/StnModel.java): the image is normalised with
CIFAR-10's channel statistics; a localization network predicts θ (its last layer starts at the
identity); F.affine_grid/F.grid_sample (bilinear, zero padding, align_corners=False) warp the
normalised image; a small classifier reads the warped image.

Recipe (TrainSettings' defaults, Trainer, Sgd): batch 64 (last batch partial), a new shuffle,
new random horizontal flips and new random shifts of up to --translate pixels in x and y (the
uncovered border black: zero-pad and crop) every epoch; cross-entropy with label smoothing
(--label-smoothing); SGD with momentum 0.9 and weight decay
1e-4 (PyTorch's formulation, which the trainer copies); one-cycle schedule without momentum
cycling (peak 0.01, start peak/25, end start/1e4, 30 % warm-up, cosine); the localization
network at 0.1x the rate; no dropout by default; an exponential moving average of the weights
(--ema, initialised with the initial weights, updated after every step), which is what is
evaluated. After each epoch: accuracy on the validation split if there is one, else on the test
split. --ema 0 --translate 0 --label-smoothing 0 is the recipe before 2026-12-02.

Data, two doors:
- --data-dir: the CIFAR-10 binary files, read into memory as uint8; each batch is converted to
  float (byte/255) on the training thread; CIFAR-10's channel statistics; 10 classes, 32x32.
- --train-dir TREE --test-dir TREE --image-size S: labelled image trees (one sub-folder per
  class, sorted names are the classes; nested folders count for their class; hidden and
  non-image files skipped), pre-processed once, before training, exactly as stn4j's
  Preprocessor.ofSize(S) does (sdk/src/main/java/dev/stn4j/image/Preprocessor.java): decoded to
  RGB in [0,1] (8-bit samples times the float 1/255, grey as r = g = b, transparency composited
  on white), the largest centred square cropped (an odd excess cut on the right or bottom), then
  S x S: copied when it is S, area-averaged when larger, bilinear with pixel centres aligned and
  edges clamped when smaller (F.interpolate(mode="bilinear", align_corners=False), which
  --self-check compares with an independent implementation of the rule). The channel mean and
  population std are computed on the training tree's pre-processed pixels, as stn4j does for
  trees. The layers are the seed's; the two fully connected layers' inputs follow from S and the
  last layer has one output per class (S = 32, 10 classes: the same 39,884 parameters). The test
  tree is evaluated after every epoch (no validation split). Not colour-managed as stn4j is
  (CMYK or ICC-profiled files): trees of grey or sRGB images only.

Output: a line per epoch, then one JSON line: the last evaluation's accuracy (test_acc, or
val_acc with --validation; a fraction, as in the trainer's log.jsonl), the settings (the
trainer's key names), the image size, classes, parameters and normalisation.

Run with Debian's torch (1.13.1), not the pyenv python on PATH:

    /usr/bin/python3 benchmarks/peers/train_stn.py --data-dir ../shared/data/cifar-10-batches-bin \
        --validation 5000 --epochs 1 --max-steps 300
    /usr/bin/python3 benchmarks/peers/train_stn.py --train-dir digits/train --test-dir digits/test \
        --image-size 32 --epochs 30 --seed 1
    /usr/bin/python3 benchmarks/peers/train_stn.py --self-check
"""

import argparse
import copy
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2470, 0.2435, 0.2616)
TRAIN_FILES = [f"data_batch_{i}.bin" for i in range(1, 6)]
RECORD = 1 + 3 * 32 * 32
# 1f/255f: stn4j scales 8-bit samples by this float constant, not by a division by 255 (they differ
# in the last bit for 126 of the 256 values). Used for trees; the binary door keeps div_(255).
INV255 = float(np.float32(1.0) / np.float32(255.0))


def read_batches(data_dir, names):
    """Images as uint8 [N,3,32,32] (CHW, as stored) and labels as int64 [N]."""
    raw = np.concatenate(
        [np.fromfile(os.path.join(data_dir, n), dtype=np.uint8).reshape(-1, RECORD) for n in names]
    )
    images = torch.from_numpy(raw[:, 1:].copy()).view(-1, 3, 32, 32)
    labels = torch.from_numpy(raw[:, 0].astype(np.int64))
    return images, labels


def fc_inputs(size):
    """The inputs of the localization's and the classifier's first linear layers for S x S images
    (conv 7, pool 2, conv 5, pool 2 with 10 maps; conv 5, pool 2, conv 5, pool 2 with 20 maps)."""
    return 10 * side_after(size, 7) ** 2, 20 * side_after(size, 5) ** 2


def side_after(size, first_kernel):
    """The side after conv(first_kernel), pool 2, conv 5, pool 2; 0 when a stage has nothing
    left (a negative side must not square into a positive one)."""
    side = size
    for kernel in (first_kernel, 5):
        side = (side - kernel + 1) // 2 if side >= kernel else 0
    return side


def smallest_size():
    return next(s for s in range(1, 1025) if all(n > 0 for n in fc_inputs(s)))


class Stn(nn.Module):
    def __init__(self, conv_dropout=0.0, fc_dropout=0.0, size=32, classes=10, mean=MEAN, std=STD):
        super().__init__()
        loc_in, cls_in = fc_inputs(size)
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float).view(1, 3, 1, 1))
        self.localization = nn.Sequential(
            nn.Conv2d(3, 8, kernel_size=7),
            nn.MaxPool2d(2),
            nn.ReLU(),
            nn.Conv2d(8, 10, kernel_size=5),
            nn.MaxPool2d(2),
            nn.ReLU(),
        )
        self.fc_loc = nn.Sequential(nn.Linear(loc_in, 32), nn.ReLU(), nn.Linear(32, 6))
        self.fc_loc[2].weight.data.zero_()
        self.fc_loc[2].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float))
        self.conv1 = nn.Conv2d(3, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        # The trainer skips dropout at rate 0 (its default), and so does the peer.
        self.conv2_drop = nn.Dropout2d(conv_dropout) if conv_dropout > 0 else nn.Identity()
        self.fc1 = nn.Linear(cls_in, 50)
        self.fc_drop = nn.Dropout(fc_dropout) if fc_dropout > 0 else nn.Identity()
        self.fc2 = nn.Linear(50, classes)

    def stn(self, x):
        xs = self.localization(x).flatten(1)
        theta = self.fc_loc(xs).view(-1, 2, 3)
        grid = F.affine_grid(theta, x.size(), align_corners=False)
        return F.grid_sample(x, grid, align_corners=False)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = self.stn(x)
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(self.fc_drop(x))


def shifted(x, shift, t):
    """Each image moved by (dx, dy) = shift[k] pixels, right/down when positive; what is uncovered
    is black (zero-pad by t and crop back to S x S)."""
    n, size = x.shape[0], x.shape[-1]
    padded = F.pad(x, (t, t, t, t))
    base = torch.arange(size)
    rows = (base + t - shift[:, 1:2]).view(n, 1, size, 1)
    cols = (base + t - shift[:, 0:1]).view(n, 1, 1, size)
    return padded[torch.arange(n).view(n, 1, 1, 1), torch.arange(3).view(1, 3, 1, 1), rows, cols]


def bytes_to_float(x):
    """The binary door's conversion (unchanged since the peer was written)."""
    return x.float().div_(255)


def tree_to_float(x):
    """A tree's stored images as the network's input: uint8 as stn4j scales them, floats as is."""
    return x.float().mul_(INV255) if x.dtype == torch.uint8 else x.clone()


def accuracy(model, images, labels, to_float=bytes_to_float, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(images), batch):
            x = to_float(images[i : i + batch])
            correct += (model(x).argmax(1) == labels[i : i + batch]).sum().item()
    model.train()
    return correct / len(images)


# ---- Image trees, pre-processed as stn4j's Preprocessor.ofSize(S) ----

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff")


def fail(message):
    print(f"train_stn.py: {message}", file=sys.stderr)
    sys.exit(2)


def list_tree(root):
    """(sorted class names, [(path, label)] in class then path order, files skipped)."""
    if not os.path.isdir(root):
        fail(f"{root}: not a folder")
    classes = sorted(d for d in os.listdir(root)
                     if not d.startswith(".") and os.path.isdir(os.path.join(root, d)))
    if len(classes) < 2:
        fail(f"{root}: {len(classes)} class folder(s); a tree needs at least 2")
    files, skipped = [], 0
    for label, name in enumerate(classes):
        found = []
        for folder, dirs, names in os.walk(os.path.join(root, name)):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for f in names:
                if f.startswith(".") or not f.lower().endswith(IMAGE_SUFFIXES):
                    skipped += 1
                else:
                    found.append(os.path.join(folder, f))
        if not found:
            fail(f"{os.path.join(root, name)}: no images in the class folder")
        files += [(path, label) for path in sorted(found)]
    return classes, files, skipped


def decode(path):
    """The file as [3,H,W]: uint8 when its samples are 8-bit without transparency (what stn4j
    scales by 1f/255f), else float32 in [0,1] (transparency composited on white)."""
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as im:
            im = ImageOps.exif_transpose(im)
            im.load()
    except Exception as e:  # PIL raises many types for a bad file
        fail(f"{path}: unreadable image ({e})")
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    elif im.mode == "1":
        im = im.convert("L")
    if im.mode in ("L", "RGB"):
        a = np.asarray(im, dtype=np.uint8)
        a = np.repeat(a[None], 3, 0) if a.ndim == 2 else a.transpose(2, 0, 1)
        return np.ascontiguousarray(a)
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        a = np.asarray(im).astype(np.float32) * np.float32(1.0 / 65535.0)
        return np.repeat(a[None], 3, 0)
    if im.mode == "F":
        return np.repeat(np.asarray(im, dtype=np.float32)[None], 3, 0)
    if im.mode in ("LA", "RGBA"):
        a = np.asarray(im, dtype=np.uint8).astype(np.float32) * np.float32(INV255)
        colour, alpha = a[..., :-1], a[..., -1:]
        a = colour * alpha + (np.float32(1) - alpha)
        a = np.repeat(a, 3, 2) if a.shape[2] == 1 else a
        return np.ascontiguousarray(a.transpose(2, 0, 1))
    return decode_rgb(im.convert("RGB"))


def decode_rgb(im):
    return np.ascontiguousarray(np.asarray(im, dtype=np.uint8).transpose(2, 0, 1))


def area_matrix(side, size):
    """[size, side] weights of area averaging (stn4j's AreaWeights): in units of 1/size source
    pixel, source j covers [size*j, size*j + size) and output i covers [side*i, side*(i+1));
    the weight is the overlap over side, so each output's weights sum to 1."""
    m = np.zeros((size, side))
    for j in range(side):
        start, end = size * j, size * j + size
        for i in range(start // side, min(size, (end - 1) // side + 1)):
            overlap = min(end, side * (i + 1)) - max(start, side * i)
            if overlap > 0:
                m[i, j] = overlap / side
    return m


def preprocess(chw, size, matrices):
    """[3,H,W] uint8 or float32 -> [3,size,size]: centred square crop, then copy, area average
    or bilinear (align_corners=False, edges clamped). Uint8 stays uint8 when copied."""
    _, h, w = chw.shape
    side = min(h, w)
    y0, x0 = (h - side) // 2, (w - side) // 2
    square = chw[:, y0 : y0 + side, x0 : x0 + side]
    if side == size:
        return square if square.dtype == np.uint8 else np.clip(square, 0, 1)
    x = square.astype(np.float32) * np.float32(INV255) if square.dtype == np.uint8 else square
    if side > size:
        if side not in matrices:
            matrices[side] = area_matrix(side, size)
        m = matrices[side]
        out = np.einsum("ij,cjk,lk->cil", m, x.astype(np.float64), m)
        return np.clip(out, 0, 1).astype(np.float32)
    t = torch.from_numpy(np.ascontiguousarray(x))[None]
    out = F.interpolate(t, size=(size, size), mode="bilinear", align_corners=False)[0]
    return np.clip(out.numpy(), 0, 1)


def load_tree(root, size):
    """(class names, images uint8 or float32 [N,3,S,S], labels int64 [N], files skipped)."""
    classes, files, skipped = list_tree(root)
    matrices = {}
    images = [preprocess(decode(path), size, matrices) for path, _ in files]
    if any(a.dtype != np.uint8 for a in images):
        images = [a.astype(np.float32) * np.float32(INV255) if a.dtype == np.uint8 else a
                  for a in images]
    labels = torch.tensor([label for _, label in files], dtype=torch.int64)
    return classes, torch.from_numpy(np.stack(images)), labels, skipped


def channel_stats(images, chunk=2000):
    """Per-channel mean and population std of the pre-processed pixels (the network's input
    values), accumulated in float64."""
    count = images.shape[0] * images.shape[2] * images.shape[3]
    sums = np.zeros(3)
    for i in range(0, len(images), chunk):
        sums += tree_to_float(images[i : i + chunk]).double().sum((0, 2, 3)).numpy()
    mean = sums / count
    squares = np.zeros(3)
    centre = torch.tensor(mean).view(1, 3, 1, 1)
    for i in range(0, len(images), chunk):
        d = tree_to_float(images[i : i + chunk]).double() - centre
        squares += (d * d).sum((0, 2, 3)).numpy()
    return mean.tolist(), np.sqrt(squares / count).tolist()


# ---- Self-check: the resize rules against an independent, loop-by-loop copy of stn4j's ----

def stn4j_bilinear(x, size):
    """Preprocessor.enlarge, transcribed: source coordinate (i + 0.5) * side / size - 0.5 in
    double, clamped to [0, side-1]; lo = floor, hi = min(lo + 1, side - 1); float arithmetic."""
    side = x.shape[-1]
    lo, hi, frac = [], [], []
    for i in range(size):
        s = min(max((i + 0.5) * side / size - 0.5, 0.0), side - 1.0)
        lo.append(int(math.floor(s)))
        hi.append(min(lo[-1] + 1, side - 1))
        frac.append(np.float32(s - lo[-1]))
    one = np.float32(1)
    out = np.zeros((x.shape[0], size, size), dtype=np.float32)
    for c in range(x.shape[0]):
        for y in range(size):
            fy = frac[y]
            for xx in range(size):
                fx = frac[xx]
                upper = x[c, lo[y], lo[xx]] * (one - fx) + x[c, lo[y], hi[xx]] * fx
                lower = x[c, hi[y], lo[xx]] * (one - fx) + x[c, hi[y], hi[xx]] * fx
                out[c, y, xx] = upper * (one - fy) + lower * fy
    return np.clip(out, 0, 1)


def stn4j_area(x, size):
    """Preprocessor.shrink, transcribed: each source pixel adds its overlap (in 1/size units)
    over side to the one or two outputs it meets, along x and then y."""
    side = x.shape[-1]
    out = np.zeros((x.shape[0], size, size), dtype=np.float64)
    for c in range(x.shape[0]):
        for sy in range(side):
            for sx in range(side):
                for oy, wy in area_overlaps(sy, side, size):
                    for ox, wx in area_overlaps(sx, side, size):
                        out[c, oy, ox] += wy * wx * x[c, sy, sx]
    return np.clip(out, 0, 1).astype(np.float32)


def area_overlaps(j, side, size):
    start = size * j
    out = start // side
    out_end = side * (out + 1)
    if start + size <= out_end:
        return [(out, size / side)]
    part = out_end - start
    return [(out, part / side), (out + 1, (size - part) / side)]


def self_check(verbose=True):
    """Max |difference| of F.interpolate against stn4j's bilinear rule and of the area matrix
    against stn4j's area rule, on random images; exits 1 if either exceeds 1e-6."""
    rng = np.random.default_rng(26)
    worst_bilinear = worst_area = 0.0
    for side, size in [(1, 4), (2, 5), (3, 32), (5, 7), (8, 32), (8, 33), (13, 64), (31, 32),
                       (10, 37), (7, 100)]:
        x = rng.random((3, side, side), dtype=np.float32)
        ours = F.interpolate(torch.from_numpy(x)[None], size=(size, size), mode="bilinear",
                             align_corners=False)[0].numpy()
        worst_bilinear = max(worst_bilinear, float(np.abs(np.clip(ours, 0, 1) -
                                                          stn4j_bilinear(x, size)).max()))
    for side, size in [(33, 32), (64, 32), (45, 7), (100, 32), (9, 8), (17, 3)]:
        x = rng.random((3, side, side), dtype=np.float32)
        ours = preprocess(x, size, {})
        worst_area = max(worst_area, float(np.abs(ours - stn4j_area(x, size)).max()))
    # The whole path on a non-square 8-bit image: crop, then each rule.
    img = rng.integers(0, 256, (3, 11, 14), dtype=np.uint8)
    crop = img[:, :, 1:12].astype(np.float32) * np.float32(INV255)
    worst_bilinear = max(worst_bilinear, float(np.abs(
        preprocess(img, 20, {}) - stn4j_bilinear(crop, 20)).max()))
    copied = preprocess(img, 11, {})
    exact = copied.dtype == np.uint8 and np.array_equal(copied, img[:, :, 1:12])
    ok = worst_bilinear <= 1e-6 and worst_area <= 1e-6 and exact
    if verbose:
        print(f"self-check: F.interpolate(bilinear, align_corners=False) vs stn4j's enlarge rule "
              f"max |diff| {worst_bilinear:.2e}; area matrix vs stn4j's shrink rule max |diff| "
              f"{worst_area:.2e}; crop and copy exact: {exact}; {'ok' if ok else 'FAILED'}",
              flush=True)
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", help="CIFAR-10 binary folder "
                   "(default ../shared/data/cifar-10-batches-bin, unless --train-dir)")
    p.add_argument("--train-dir", help="labelled image tree to train on (with --test-dir)")
    p.add_argument("--test-dir", help="labelled image tree evaluated after every epoch")
    p.add_argument("--image-size", type=int, default=32,
                   help="S: tree images are pre-processed to S x S as stn4j does (default 32)")
    p.add_argument("--no-flip", action="store_true", help="no random horizontal flips")
    p.add_argument("--self-check", action="store_true",
                   help="check the resize rules against stn4j's and exit (0: ok, 1: not)")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--max-steps", type=int, default=0,
                   help="stop each epoch after this many steps (timing a part of an epoch); "
                   "the schedule still spans the full epochs")
    p.add_argument("--validation", type=int, default=0,
                   help="hold out the last N training images; evaluate on them, not on test")
    p.add_argument("--no-eval", action="store_true", help="skip the per-epoch evaluation")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--warmup", type=float, default=0.3)
    p.add_argument("--loc-lr-factor", type=float, default=0.1)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--conv-dropout", type=float, default=0.0)
    p.add_argument("--fc-dropout", type=float, default=0.0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--translate", type=int, default=2)
    p.add_argument("--ema", type=float, default=0.999)
    args = p.parse_args()
    if args.self_check:
        sys.exit(0 if self_check() else 1)
    tree = args.train_dir is not None or args.test_dir is not None
    if tree:
        if not (args.train_dir and args.test_dir):
            fail("--train-dir and --test-dir go together")
        if args.data_dir:
            fail("--data-dir (CIFAR-10 binary) or --train-dir/--test-dir (trees), not both")
        if args.validation:
            fail("--validation is for --data-dir; a tree run evaluates --test-dir every epoch")
        if args.image_size < smallest_size() or args.image_size > 1024:
            fail(f"--image-size {args.image_size}: the layers need {smallest_size()}..1024")
    elif args.image_size != 32:
        fail("--image-size is for trees; CIFAR-10's binary batches are 32x32")
    data_dir = args.data_dir or "../shared/data/cifar-10-batches-bin"

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"ONEDNN_MAX_CPU_ISA={os.environ.get('ONEDNN_MAX_CPU_ISA', '(unset)')}, "
          f"mkldnn {torch.backends.mkldnn.is_available()}", flush=True)

    size, mean, std, classes = 32, MEAN, STD, 10
    to_float = bytes_to_float
    if tree:
        if not self_check(verbose=False):
            fail("the resize rules differ from stn4j's; run --self-check")
        started = time.perf_counter()
        names, images, labels, skipped = load_tree(args.train_dir, args.image_size)
        test_names, val_x, val_y, test_skipped = load_tree(args.test_dir, args.image_size)
        if test_names != names:
            fail(f"{args.test_dir}: class folders {test_names} are not {args.train_dir}'s {names}")
        size, classes, to_float = args.image_size, len(names), tree_to_float
        mean, std = channel_stats(images)
        print(f"trees: {len(names)} classes, {size}x{size}, stored as {images.dtype}; skipped "
              f"{skipped} + {test_skipped} non-image files; mean {[round(v, 4) for v in mean]}, "
              f"std {[round(v, 4) for v in std]} (training tree); "
              f"decoded in {time.perf_counter() - started:.1f} s", flush=True)
        eval_name = "test"
    else:
        images, labels = read_batches(data_dir, TRAIN_FILES)
        if args.validation > 0:
            val_x, val_y = images[-args.validation :], labels[-args.validation :]
            images, labels = images[: -args.validation], labels[: -args.validation]
            eval_name = "val"
        else:
            val_x, val_y = read_batches(data_dir, ["test_batch.bin"])
            eval_name = "test"
    n = len(images)

    model = Stn(args.conv_dropout, args.fc_dropout, size, classes, mean, std)
    params = sum(t.numel() for t in model.parameters())
    print(f"parameters: {params:,}; train {n:,} images, {eval_name} {len(val_x):,}", flush=True)
    parameter_count = params

    loc = list(model.localization.parameters()) + list(model.fc_loc.parameters())
    loc_ids = {id(t) for t in loc}
    cls = [t for t in model.parameters() if id(t) not in loc_ids]
    optimizer = torch.optim.SGD(
        [{"params": cls, "lr": args.lr}, {"params": loc, "lr": args.lr * args.loc_lr_factor}],
        lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    steps_per_epoch = math.ceil(n / args.batch_size)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=[args.lr, args.lr * args.loc_lr_factor],
        total_steps=steps_per_epoch * args.epochs, pct_start=args.warmup,
        anneal_strategy="cos", cycle_momentum=False, div_factor=25, final_div_factor=1e4)

    ema = copy.deepcopy(model) if args.ema > 0 else None
    ema_params = list(ema.parameters()) if ema else []
    params = list(model.parameters())
    t = args.translate
    last_eval = None
    model.train()
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        order = torch.randperm(n)
        # Drawn even without flips, so --no-flip leaves the other random draws as they were.
        flips = torch.rand(n) < 0.5
        if args.no_flip:
            flips[:] = False
        shifts = torch.randint(-t, t + 1, (n, 2)) if t > 0 else None
        loss_sum, correct, seen, steps = 0.0, 0, 0, 0
        for i in range(0, n, args.batch_size):
            if args.max_steps and steps == args.max_steps:
                break
            idx = order[i : i + args.batch_size]
            x = to_float(images[idx])
            flip = flips[i : i + args.batch_size]
            x[flip] = x[flip].flip(3)
            if shifts is not None:
                x = shifted(x, shifts[i : i + args.batch_size], t)
            y = labels[idx]
            logits = model(x)
            loss = F.cross_entropy(logits, y, label_smoothing=args.label_smoothing)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            if ema:
                with torch.no_grad():
                    torch._foreach_mul_(ema_params, args.ema)
                    torch._foreach_add_(ema_params, params, alpha=1 - args.ema)
            batch_loss = loss.item()
            if not math.isfinite(batch_loss):
                print(f"epoch {epoch} step {steps}: loss {batch_loss}; diverged", flush=True)
                sys.exit(3)
            loss_sum += batch_loss * len(idx)
            correct += (logits.argmax(1) == y).sum().item()
            seen += len(idx)
            steps += 1
        train_seconds = time.perf_counter() - started
        line = (f"epoch {epoch:2d}  steps {steps}  loss {loss_sum / seen:.4f}  "
                f"train {100 * correct / seen:.2f}%")
        if not args.no_eval:
            last_eval = accuracy(ema or model, val_x, val_y, to_float)
            line += f"  {eval_name} {100 * last_eval:.2f}%"
        line += (f"  lr {scheduler.get_last_lr()[0]:.5f}  train {train_seconds:.2f} s  "
                 f"{1000 * train_seconds / steps:.2f} ms/step  "
                 f"({train_seconds * steps_per_epoch / steps:.1f} s per {n:,}-image epoch)")
        print(line, flush=True)
    settings = {
        "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
        "schedule": "one-cycle", "warmup_fraction": args.warmup,
        "loc_lr_factor": args.loc_lr_factor, "momentum": args.momentum,
        "weight_decay": args.weight_decay, "flip": not args.no_flip,
        "conv_dropout": args.conv_dropout, "fc_dropout": args.fc_dropout, "seed": args.seed,
        "label_smoothing": args.label_smoothing, "translate": args.translate,
        "ema_decay": args.ema, "validation": args.validation, "max_steps": args.max_steps,
    }
    print(json.dumps({
        f"{eval_name}_acc": last_eval, "epochs": args.epochs,
        "data": ({"train_dir": args.train_dir, "test_dir": args.test_dir} if tree
                 else {"data_dir": data_dir}),
        "image_size": size, "classes": classes, "parameters": parameter_count,
        "normalization": {"mean": list(mean), "std": list(std)}, "settings": settings,
    }), flush=True)


if __name__ == "__main__":
    main()
