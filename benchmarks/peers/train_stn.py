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

Data: the CIFAR-10 binary files, read into memory as uint8; each batch is converted to float
on the training thread.

Run with Debian's torch (1.13.1), not the pyenv python on PATH:

    /usr/bin/python3 benchmarks/peers/train_stn.py --data-dir ../shared/data/cifar-10-batches-bin \
        --validation 5000 --epochs 1 --max-steps 300
"""

import argparse
import copy
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


def read_batches(data_dir, names):
    """Images as uint8 [N,3,32,32] (CHW, as stored) and labels as int64 [N]."""
    raw = np.concatenate(
        [np.fromfile(os.path.join(data_dir, n), dtype=np.uint8).reshape(-1, RECORD) for n in names]
    )
    images = torch.from_numpy(raw[:, 1:].copy()).view(-1, 3, 32, 32)
    labels = torch.from_numpy(raw[:, 0].astype(np.int64))
    return images, labels


class Stn(nn.Module):
    def __init__(self, conv_dropout=0.0, fc_dropout=0.0):
        super().__init__()
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1))
        self.localization = nn.Sequential(
            nn.Conv2d(3, 8, kernel_size=7),
            nn.MaxPool2d(2),
            nn.ReLU(),
            nn.Conv2d(8, 10, kernel_size=5),
            nn.MaxPool2d(2),
            nn.ReLU(),
        )
        self.fc_loc = nn.Sequential(nn.Linear(160, 32), nn.ReLU(), nn.Linear(32, 6))
        self.fc_loc[2].weight.data.zero_()
        self.fc_loc[2].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float))
        self.conv1 = nn.Conv2d(3, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        # The trainer skips dropout at rate 0 (its default), and so does the peer.
        self.conv2_drop = nn.Dropout2d(conv_dropout) if conv_dropout > 0 else nn.Identity()
        self.fc1 = nn.Linear(500, 50)
        self.fc_drop = nn.Dropout(fc_dropout) if fc_dropout > 0 else nn.Identity()
        self.fc2 = nn.Linear(50, 10)

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
    is black (zero-pad by t and crop back to 32x32)."""
    n = x.shape[0]
    padded = F.pad(x, (t, t, t, t))
    base = torch.arange(32)
    rows = (base + t - shift[:, 1:2]).view(n, 1, 32, 1)
    cols = (base + t - shift[:, 0:1]).view(n, 1, 1, 32)
    return padded[torch.arange(n).view(n, 1, 1, 1), torch.arange(3).view(1, 3, 1, 1), rows, cols]


def accuracy(model, images, labels, batch=500):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(images), batch):
            x = images[i : i + batch].float().div_(255)
            correct += (model(x).argmax(1) == labels[i : i + batch]).sum().item()
    model.train()
    return correct / len(images)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", default="../shared/data/cifar-10-batches-bin")
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

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"ONEDNN_MAX_CPU_ISA={os.environ.get('ONEDNN_MAX_CPU_ISA', '(unset)')}, "
          f"mkldnn {torch.backends.mkldnn.is_available()}", flush=True)

    images, labels = read_batches(args.data_dir, TRAIN_FILES)
    if args.validation > 0:
        val_x, val_y = images[-args.validation :], labels[-args.validation :]
        images, labels = images[: -args.validation], labels[: -args.validation]
        eval_name = "val"
    else:
        val_x, val_y = read_batches(args.data_dir, ["test_batch.bin"])
        eval_name = "test"
    n = len(images)

    model = Stn(args.conv_dropout, args.fc_dropout)
    params = sum(t.numel() for t in model.parameters())
    print(f"parameters: {params:,}; train {n:,} images, {eval_name} {len(val_x):,}", flush=True)

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
    model.train()
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        order = torch.randperm(n)
        flips = torch.rand(n) < 0.5
        shifts = torch.randint(-t, t + 1, (n, 2)) if t > 0 else None
        loss_sum, correct, seen, steps = 0.0, 0, 0, 0
        for i in range(0, n, args.batch_size):
            if args.max_steps and steps == args.max_steps:
                break
            idx = order[i : i + args.batch_size]
            x = images[idx].float().div_(255)
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
            line += f"  {eval_name} {100 * accuracy(ema or model, val_x, val_y):.2f}%"
        line += (f"  lr {scheduler.get_last_lr()[0]:.5f}  train {train_seconds:.2f} s  "
                 f"{1000 * train_seconds / steps:.2f} ms/step  "
                 f"({train_seconds * steps_per_epoch / steps:.1f} s per {n:,}-image epoch)")
        print(line, flush=True)


if __name__ == "__main__":
    main()
