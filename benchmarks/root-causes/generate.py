"""Fault-injected traces with ground truth, for the root-cause evaluation (benchmarks/root-causes/evaluate.py).

Each trace is a reference and a current period of N rows (binary classification; features f0…f5 numeric, cat_a and
cat_b categorical; slice columns region, channel, device; model_version; label y, prediction y_hat, score p). The
model is the true logistic model, so the reference errs only where the truth is uncertain. One fault is injected
into the current period, ramping in after 30 % of it:

- feature_drift: f2 moves past the training range (+4 std) on 45 % of rows, where the truth saturates and turns
  around while the model extrapolates linearly;
- slice: one region (chosen by the seed) where 40 % of labels no longer follow the model;
- two_column_slice: one region × one channel (web or partner), where no label follows the model any more;
- missing_values: f1 missing on 25 % of rows, imputed by the model pipeline as +4 std (badly);
- label_shift: 30 % of negatives become positives at random (the prior moves, the inputs do not);
- model_version: v2 serves a random 35 % of rows with a much weaker model;
- benign_drift: f5 (no weight in the truth) and cat_b move; nothing degrades.

Ground truth (`ground-truth.json`): per trace, its files, roles and the expected top cause
({kind, feature?, slice?}; null for benign drift). Files go to benchmarks/data/root-causes/ (git-ignored).
Usage: python benchmarks/root-causes/generate.py [--seeds 4] [--sizes 20000,100000] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

OUT = Path(__file__).resolve().parents[1] / "data" / "root-causes"
FAULTS = ["feature_drift", "slice", "two_column_slice", "missing_values", "label_shift", "model_version", "benign_drift"]
WEIGHTS = np.array([1.2, -0.9, 0.8, 0.6, -0.5, 0.0])
CATEGORY_EFFECTS = {"cat_a": {"a": 0.4, "b": -0.3, "c": 0.0, "d": 0.2}, "cat_b": {"u": 0.0, "v": 0.0, "w": 0.0}}
SLICES = {
    "region": ["north", "south", "east", "west", "central"],
    "channel": ["web", "branch", "partner"],  # drawn with CHANNEL_SHARES
    "device": ["mobile", "desktop", "tablet"],
}
CHANNEL_SHARES = [0.5, 0.2, 0.3]
RAMP_START = 0.3
ROLES = {
    "label": "y",
    "prediction": "y_hat",
    "score": "p",
    "timestamp": "ts",
    "features": ["f0", "f1", "f2", "f3", "f4", "f5", "cat_a", "cat_b"],
    "slices": ["region", "channel", "device"],
    "model_version": "model_version",
}


def period(rng: np.random.Generator, n: int, start: np.datetime64, fault: str | None, seed: int) -> tuple[pa.Table, dict | None]:
    x = rng.normal(size=(n, 6))
    cats = {
        "cat_a": rng.choice(list(CATEGORY_EFFECTS["cat_a"]), size=n, p=[0.4, 0.3, 0.2, 0.1]),
        "cat_b": rng.choice(list(CATEGORY_EFFECTS["cat_b"]), size=n, p=[0.5, 0.3, 0.2]),
    }
    slices = {name: rng.choice(values, size=n, p=CHANNEL_SHARES if name == "channel" else None) for name, values in SLICES.items()}
    version = np.full(n, "v1", dtype=object)
    late = np.arange(n) >= RAMP_START * n
    expected = None

    def logit(features: np.ndarray) -> np.ndarray:
        value = features @ WEIGHTS + 0.2
        for name, effects in CATEGORY_EFFECTS.items():
            value = value + np.vectorize(effects.get)(cats[name])
        return value

    true_logit = logit(x)
    model_features = x.copy()
    model_logit_override = None
    if fault == "feature_drift":
        moved = late & (rng.uniform(size=n) < 0.45)
        x[moved, 2] += 4.0
        true_logit = logit(x)
        # past the training range the truth turns around; the model extrapolates
        true_logit[moved] = true_logit[moved] - 2.0 * WEIGHTS[2] * x[moved, 2]
        model_features = x.copy()
        expected = {"kind": "feature_drift", "feature": "f2"}
    elif fault == "missing_values":
        gone = late & (rng.uniform(size=n) < 0.25)
        model_features = x.copy()
        model_features[gone, 1] = 4.0
        x[gone, 1] = np.nan
        expected = {"kind": "data_quality", "feature": "f1"}
    elif fault == "model_version":
        served = late & (rng.uniform(size=n) < 0.35)
        version[served] = "v2"
        weak = 0.15 * logit(x) + rng.normal(scale=1.5, size=n)
        model_logit_override = np.where(served, weak, logit(x))
        expected = {"kind": "model_change", "slice": {"model_version": "v2"}}
    elif fault == "benign_drift":
        moved = late & (rng.uniform(size=n) < 0.5)
        x[moved, 5] += 2.5
        cats["cat_b"][moved] = rng.choice(["u", "v", "w"], size=int(moved.sum()), p=[0.1, 0.2, 0.7])
        model_features = x.copy()
        true_logit = logit(x)

    probability = 1 / (1 + np.exp(-true_logit))
    y = (rng.uniform(size=n) < probability).astype(np.int64)
    model_logit = model_logit_override if model_logit_override is not None else logit(model_features)
    p = 1 / (1 + np.exp(-model_logit))

    if fault in ("slice", "two_column_slice"):
        regions = SLICES["region"]
        region = regions[seed % len(regions)]
        broken = late & (slices["region"] == region)
        expected = {"kind": "slice", "slice": {"region": region}}
        if fault == "two_column_slice":
            channel = ["web", "partner"][(seed // 2) % 2]
            broken &= slices["channel"] == channel
            expected = {"kind": "slice", "slice": {"region": region, "channel": channel}}
        flip = broken & (rng.uniform(size=n) < (1.0 if fault == "two_column_slice" else 0.4))
        y[flip] = 1 - y[flip]
    elif fault == "label_shift":
        flip = late & (y == 0) & (rng.uniform(size=n) < 0.3)
        y[flip] = 1
        expected = {"kind": "label_shift"}

    times = start + (np.arange(n) * (30 * 86_400_000 // n)).astype("timedelta64[ms]")
    columns = {
        "ts": pa.array(times, type=pa.timestamp("ms", tz="UTC")),
        **{f"f{k}": pa.array(x[:, k]) for k in range(6)},
        **{name: pa.array(values.astype(str)) for name, values in cats.items()},
        **{name: pa.array(values.astype(str)) for name, values in slices.items()},
        "model_version": pa.array(version.astype(str)),
        "y": pa.array(y),
        "y_hat": pa.array((p >= 0.5).astype(np.int64)),
        "p": pa.array(p),
    }
    return pa.table(columns), expected


def write(table: pa.Table, path: Path) -> None:
    with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    traces = []
    for size in [int(float(s)) for s in args.sizes.split(",")]:
        for seed in range(args.seeds):
            for number, fault in enumerate(FAULTS):
                rng = np.random.default_rng([seed, number, size])
                name = f"{fault}_n{size}_s{seed}"
                reference, _ = period(rng, size, np.datetime64("2024-01-01T00:00:00", "ms"), None, seed)
                current, expected = period(rng, size, np.datetime64("2024-02-01T00:00:00", "ms"), fault, seed)
                write(reference, args.out / f"{name}_reference.arrow")
                write(current, args.out / f"{name}_current.arrow")
                traces.append({"name": name, "fault": fault, "rows": size, "seed": seed, "expected": expected,
                               "reference": f"{name}_reference.arrow", "current": f"{name}_current.arrow"})
    (args.out / "ground-truth.json").write_text(json.dumps({"roles": ROLES, "traces": traces}, indent=1))
    print(f"{len(traces)} traces in {args.out}")


if __name__ == "__main__":
    main()
