#!/usr/bin/env python3
"""Times the seed article's MLP written from scratch in NumPy, to compare with
`cargo run --release --example bench_epochs -- --model mlp` (issue 12, and
Chapter 5's "Making it fast").

The same network and training as the Rust benchmark: 784-128-10, ReLU, dropout
0.2 (inverted), softmax cross-entropy, Glorot-uniform weights and zero biases,
Adam (lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8), batch 32, inputs scaled to
[0, 1], float32, reshuffled every epoch; the first layer's input gradient is
not computed (nobody needs it), as in the library. It prints the seconds of
training per epoch and the test accuracy.

Not part of the test command: it needs NumPy (`pip install numpy`), which the
project does not otherwise use.

    python3 scripts/bench_numpy.py --data-dir ../shared/data/mnist --epochs 2 --runs 3

NumPy's matrix products run on its BLAS (OpenBLAS in the pip wheels), with as
many threads as it likes; set OPENBLAS_NUM_THREADS=1 to compare one core with one.
"""

import argparse
import gzip
import statistics
import struct
import time
from pathlib import Path

import numpy as np


def read_idx(path):
    """An IDX file (MNIST's format), plain or gzip, as a uint8 array."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, prefix):
    d = Path(data_dir)
    x = read_idx(d / f"{prefix}-images-idx3-ubyte.gz").reshape(-1, 784)
    y = read_idx(d / f"{prefix}-labels-idx1-ubyte.gz").astype(np.int64)
    return x.astype(np.float32) / np.float32(255), y


def glorot(rng, n_in, n_out):
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, (n_in, n_out)).astype(np.float32)


def train_epoch(params, state, x, y, rng, batch=32, lr=1e-3, p_drop=0.2):
    """One epoch of Adam on shuffled mini-batches: forward, backward, update."""
    w1, b1, w2, b2 = params
    b1_, b2_, eps = np.float32(0.9), np.float32(0.999), np.float32(1e-8)
    keep = np.float32(1.0 - p_drop)
    order = rng.permutation(len(x))
    for start in range(0, len(x), batch):
        idx = order[start : start + batch]
        xb, yb = x[idx], y[idx]  # [B, 784], [B]
        n = np.float32(len(idx))
        # forward
        z1 = xb @ w1 + b1  # [B, 128]
        a1 = np.maximum(z1, 0)
        mask = (rng.random(a1.shape, dtype=np.float32) < keep) / keep
        h = a1 * mask
        z2 = h @ w2 + b2  # [B, 10]
        z2 -= z2.max(axis=1, keepdims=True)
        p = np.exp(z2)
        p /= p.sum(axis=1, keepdims=True)
        # backward: softmax + cross-entropy, then the layers
        g2 = p
        g2[np.arange(len(idx)), yb] -= 1
        g2 /= n
        gw2, gb2 = h.T @ g2, g2.sum(axis=0)
        gh = g2 @ w2.T
        g1 = gh * mask * (z1 > 0)
        gw1, gb1 = xb.T @ g1, g1.sum(axis=0)  # no xb gradient: nobody needs it
        # Adam
        state["t"] += 1
        t = state["t"]
        c1, c2 = np.float32(1 - 0.9**t), np.float32(1 - 0.999**t)
        for i, (theta, g) in enumerate(zip(params, (gw1, gb1, gw2, gb2))):
            m, s = state["m"][i], state["s"][i]
            m *= b1_
            m += (1 - b1_) * g
            s *= b2_
            s += (1 - b2_) * g * g
            theta -= np.float32(lr) * (m / c1) / (np.sqrt(s / c2) + eps)


def accuracy(params, x, y):
    w1, b1, w2, b2 = params
    logits = np.maximum(x @ w1 + b1, 0) @ w2 + b2
    return float((logits.argmax(axis=1) == y).mean())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", required=True, help="folder with MNIST's four .gz files")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    x, y = load(args.data_dir, "train")
    tx, ty = load(args.data_dir, "t10k")
    per_run = []
    for run in range(1, args.runs + 1):
        rng = np.random.default_rng(args.seed)
        params = [
            glorot(rng, 784, 128),
            np.zeros(128, np.float32),
            glorot(rng, 128, 10),
            np.zeros(10, np.float32),
        ]
        state = {"t": 0, "m": [np.zeros_like(p) for p in params], "s": [np.zeros_like(p) for p in params]}
        seconds = []
        for _ in range(args.epochs):
            start = time.perf_counter()
            train_epoch(params, state, x, y, rng)
            seconds.append(time.perf_counter() - start)
        s = statistics.median(seconds)
        per_run.append(s)
        print(f"NumPy MLP run {run}: {s:.3f} s/epoch, test accuracy {accuracy(params, tx, ty):.4f}")
    print(
        f"NumPy MLP: median {statistics.median(per_run):.3f} s/epoch "
        f"(spread {min(per_run):.3f}-{max(per_run):.3f}, {len(per_run)} runs), NumPy {np.__version__}"
    )


if __name__ == "__main__":
    main()
