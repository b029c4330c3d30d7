"""Generate realistic binary-classification traces for the benchmark suite.

Each dataset is a reference period and a current period of N rows each, written as Arrow IPC files
(uncompressed, plain utf8 strings, timestamp[ms, UTC]) and as Parquet into benchmarks/data/:

    n1e6_f8_reference.arrow   n1e6_f8_current.arrow   (and .parquet)   n1e6_f8.meta.json

Columns: `ts` (30 days per period), the features (about 3/4 numeric with realistic shapes, 1/4
categorical with 3 to 50 categories, some with missing values), the slices `region`, `channel`,
`device`, `latency_ms`, `model_version`, the label `y`, the prediction `y_hat` and the score `p` of a
logistic model on the features.

What the analysis should find in the current period, ramping in from 40 % of the period on:
- drift in `income` (log-income shifts up by 0.45) and `product_type` (a new mix of products);
- a worse slice, `region = south` and `channel = partner` (7.5 % of rows), where the relationship the
  model learned fades and turns around (true logit × (1 − 1.6 · ramp)), so errors concentrate there.
`model_version` rolls out v3.2 to a random 20 % of current rows and has no effect.

Everything is drawn from one seed (default 20240301), period by period, so files are reproducible.
Usage: python benchmarks/generate.py --rows 1e6 --features 8 [--out benchmarks/data] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SEED = 20240301
BATCH_ROWS = 1 << 20
PERIOD_DAYS = 30
REFERENCE_START = np.datetime64("2024-03-01T00:00:00", "ms")
CURRENT_START = REFERENCE_START + np.timedelta64(PERIOD_DAYS, "D")

DRIFT_START = 0.4  # share of the current period after which drift and the worse slice ramp in
DRIFT_RAMP = 0.3  # share of the period over which they reach full strength
INCOME_LOG_SHIFT = 0.45
PRODUCT_MIX_SHARE = 0.45
SLICE_REVERSAL = 1.6

SLICES = {
    "region": (["north", "south", "east", "west", "central"], [0.22, 0.25, 0.2, 0.18, 0.15]),
    "channel": (["web", "branch", "partner"], [0.5, 0.2, 0.3]),
    "device": (["mobile", "desktop", "tablet"], [0.55, 0.38, 0.07]),
}
WORSE_SLICE = {"region": "south", "channel": "partner"}


@dataclass(frozen=True)
class NumericFeature:
    """A numeric column: how to draw it, how the true model sees it (a standardised transform)."""

    name: str
    draw: Callable[[np.random.Generator, int], np.ndarray]
    signal: Callable[[np.ndarray], np.ndarray]
    missing_rate: float = 0.0
    integer: bool = False


@dataclass(frozen=True)
class CategoricalFeature:
    name: str
    categories: list[str]
    probabilities: np.ndarray
    missing_rate: float = 0.0


def _zipf(k: int, s: float = 1.1) -> np.ndarray:
    weights = 1.0 / np.arange(1, k + 1) ** s
    return weights / weights.sum()


def _with_zeros(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    values[rng.random(values.size) < share] = 0.0
    return values


NUMERIC_TEMPLATES: list[NumericFeature] = [
    NumericFeature(
        "income",
        lambda rng, n: np.round(rng.lognormal(10.8, 0.6, n), 2),
        lambda x: (np.log(np.maximum(x, 1.0)) - 10.8) / 0.6,
        missing_rate=0.01,
    ),
    NumericFeature(
        "debt_ratio",
        lambda rng, n: np.round(rng.beta(2.0, 5.0, n), 4),
        lambda x: (x - 0.286) / 0.16,
    ),
    NumericFeature(
        "num_accounts",
        lambda rng, n: rng.poisson(3.0, n).astype(np.int64),
        lambda x: (x - 3.0) / 1.73,
        integer=True,
    ),
    NumericFeature(
        "age",
        lambda rng, n: np.clip(np.rint(rng.normal(42.0, 13.0, n)), 18, 90).astype(np.int64),
        lambda x: (x - 42.0) / 13.0,
        integer=True,
    ),
    NumericFeature(
        "utilization",
        lambda rng, n: np.round(_with_zeros(rng, rng.beta(1.5, 2.5, n), 0.15), 3),
        lambda x: (x - 0.32) / 0.24,
        missing_rate=0.03,
    ),
    NumericFeature(
        "tenure_months",
        lambda rng, n: rng.geometric(1.0 / 40.0, n).astype(np.int64),
        lambda x: (np.log1p(x) - 3.3) / 1.0,
        integer=True,
    ),
    NumericFeature(
        "days_since_last_payment",
        lambda rng, n: np.rint(rng.exponential(20.0, n)).astype(np.int64),
        lambda x: (np.log1p(x) - 2.6) / 1.0,
        missing_rate=0.02,
        integer=True,
    ),
    NumericFeature(
        "credit_score",
        lambda rng, n: np.clip(np.rint(rng.normal(680.0, 70.0, n)), 300, 850).astype(np.int64),
        lambda x: (x - 680.0) / 70.0,
        integer=True,
    ),
    NumericFeature(
        "loan_amount",
        lambda rng, n: np.round(rng.lognormal(9.5, 0.8, n), -2),
        lambda x: (np.log(np.maximum(x, 100.0)) - 9.5) / 0.8,
    ),
    NumericFeature(
        "interest_rate",
        lambda rng, n: np.round(3.0 + 22.0 * rng.beta(2.0, 3.5, n), 2),
        lambda x: (x - 11.0) / 3.7,
    ),
    NumericFeature(
        "num_late_payments",
        lambda rng, n: rng.negative_binomial(1, 0.7, n).astype(np.int64),
        lambda x: (x - 0.43) / 0.8,
        integer=True,
    ),
    NumericFeature(
        "balance",
        lambda rng, n: np.round(_with_zeros(rng, rng.lognormal(8.0, 1.2, n), 0.1), 2),
        lambda x: (np.log1p(x) - 7.2) / 2.6,
        missing_rate=0.02,
    ),
    NumericFeature(
        "session_minutes",
        lambda rng, n: np.round(rng.gamma(2.0, 6.0, n), 1),
        lambda x: (x - 12.0) / 8.5,
    ),
    NumericFeature(
        "txn_count_30d",
        lambda rng, n: rng.poisson(12.0, n).astype(np.int64),
        lambda x: (x - 12.0) / 3.46,
        integer=True,
    ),
    NumericFeature(
        "savings_ratio",
        lambda rng, n: np.round(rng.beta(1.2, 6.0, n), 4),
        lambda x: (x - 0.167) / 0.13,
        missing_rate=0.05,
    ),
]

CATEGORICAL_TEMPLATES: list[CategoricalFeature] = [
    CategoricalFeature(
        "product_type",
        ["personal", "auto", "mortgage", "student", "business"],
        np.array([0.4, 0.25, 0.15, 0.12, 0.08]),
    ),
    CategoricalFeature("state", [f"S{i:02d}" for i in range(50)], _zipf(50)),
    CategoricalFeature(
        "employment_type",
        ["salaried", "self_employed", "contract", "unemployed"],
        np.array([0.62, 0.18, 0.14, 0.06]),
        missing_rate=0.02,
    ),
    CategoricalFeature(
        "education",
        ["none", "high_school", "some_college", "bachelor", "master", "doctorate"],
        np.array([0.05, 0.3, 0.22, 0.28, 0.12, 0.03]),
    ),
    CategoricalFeature("housing", ["rent", "own", "mortgage"], np.array([0.42, 0.23, 0.35])),
]

# the drifted product mix: more business and student loans
PRODUCT_DRIFT_PROBABILITIES = np.array([0.2, 0.15, 0.1, 0.25, 0.3])


def feature_set(count: int) -> tuple[list[NumericFeature], list[CategoricalFeature]]:
    """About 3/4 numeric and 1/4 categorical features; `income` and `product_type` always present."""
    categorical_count = max(1, round(count / 4))
    numeric_count = count - categorical_count
    if numeric_count > len(NUMERIC_TEMPLATES) or categorical_count > len(CATEGORICAL_TEMPLATES):
        raise SystemExit(f"--features {count}: at most {len(NUMERIC_TEMPLATES) + len(CATEGORICAL_TEMPLATES)}")
    return NUMERIC_TEMPLATES[:numeric_count], CATEGORICAL_TEMPLATES[:categorical_count]


def dataset_name(rows: int, features: int) -> str:
    return f"n{rows:.0e}".replace("e+0", "e").replace("e+", "e") + f"_f{features}"


def _ramp(rows: int) -> np.ndarray:
    position = np.arange(rows, dtype=np.float64) / rows
    return np.clip((position - DRIFT_START) / DRIFT_RAMP, 0.0, 1.0)


def _coefficients(seed: int, features: int):
    """True coefficients of the world and the slightly-off coefficients the model learned."""
    numeric, categorical = feature_set(features)
    rng = np.random.default_rng([seed, 7])
    true_numeric = rng.normal(0.0, 0.7, len(numeric))
    true_categorical = [rng.normal(0.0, 0.5, len(feature.categories)) for feature in categorical]
    model_numeric = true_numeric + rng.normal(0.0, 0.08, len(numeric))
    model_categorical = [effects + rng.normal(0.0, 0.08, effects.size) for effects in true_categorical]
    return true_numeric, true_categorical, model_numeric, model_categorical


def _string_column(rng: np.random.Generator, categories: list[str], codes: np.ndarray,
                   missing_rate: float = 0.0) -> pa.Array:
    """Plain utf8 strings from category codes (decoded from a dictionary array: no Python objects)."""
    mask = rng.random(codes.size) < missing_rate if missing_rate else None
    indices = pa.array(codes.astype(np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, pa.array(categories, pa.string())).dictionary_decode()


def _draw_codes(rng: np.random.Generator, probabilities: np.ndarray, rows: int) -> np.ndarray:
    # inverse-CDF sampling: vectorised and much lighter than rng.choice with p at 1e7 rows
    cumulative = np.cumsum(probabilities)
    cumulative[-1] = 1.0
    return np.searchsorted(cumulative, rng.random(rows), side="right").astype(np.int32)


def generate_period(period: str, rows: int, features: int, seed: int) -> pa.Table:
    numeric, categorical = feature_set(features)
    true_numeric, true_categorical, model_numeric, model_categorical = _coefficients(seed, features)
    rng = np.random.default_rng([seed, 0 if period == "reference" else 1])
    ramp = _ramp(rows) if period == "current" else np.zeros(rows)
    start = REFERENCE_START if period == "reference" else CURRENT_START
    columns: dict[str, pa.Array] = {}

    # timestamps: sorted arrival times over 30 days
    gaps = rng.exponential(1.0, rows)
    offsets = np.cumsum(gaps)
    offsets *= (PERIOD_DAYS * 86_400_000 - 1) / offsets[-1]
    timestamps = start + offsets.astype("timedelta64[ms]")
    columns["ts"] = pa.array(timestamps, pa.timestamp("ms", tz="UTC"))
    del gaps, offsets, timestamps

    true_logit = np.full(rows, -1.1)
    model_logit = np.full(rows, -1.1)

    for index, feature in enumerate(numeric):
        values = feature.draw(rng, rows)
        if period == "current" and feature.name == "income":
            values = np.round(values * np.exp(INCOME_LOG_SHIFT * ramp), 2)
        signal = feature.signal(values.astype(np.float64))
        missing = rng.random(rows) < feature.missing_rate if feature.missing_rate else None
        if missing is not None:
            signal[missing] = 0.0  # a missing value adds nothing to either logit (both impute the mean)
        true_logit += true_numeric[index] * signal
        model_logit += model_numeric[index] * signal
        columns[feature.name] = pa.array(values, pa.int64() if feature.integer else pa.float64(), mask=missing)
        del values, signal, missing

    for index, feature in enumerate(categorical):
        codes = _draw_codes(rng, feature.probabilities, rows)
        if period == "current" and feature.name == "product_type":
            redraw = rng.random(rows) < PRODUCT_MIX_SHARE * ramp
            codes[redraw] = _draw_codes(rng, PRODUCT_DRIFT_PROBABILITIES, int(redraw.sum()))
        true_logit += true_categorical[index][codes]
        model_logit += model_categorical[index][codes]
        columns[feature.name] = _string_column(rng, feature.categories, codes, feature.missing_rate)
        del codes

    slice_codes = {}
    for name, (categories, probabilities) in SLICES.items():
        codes = _draw_codes(rng, np.array(probabilities), rows)
        slice_codes[name] = codes
        columns[name] = _string_column(rng, categories, codes)

    worse = np.ones(rows, dtype=bool)
    for name, value in WORSE_SLICE.items():
        worse &= slice_codes[name] == SLICES[name][0].index(value)
    # in the worse slice the learned relationship fades and turns around: the model's errors concentrate there
    true_logit = np.where(worse, true_logit * (1.0 - SLICE_REVERSAL * ramp), true_logit)
    del worse, slice_codes

    latency = rng.lognormal(np.log(18.0), 0.45, rows)
    spikes = rng.random(rows) < 0.01
    latency[spikes] += rng.exponential(250.0, int(spikes.sum()))
    columns["latency_ms"] = pa.array(np.round(latency, 2))
    del latency, spikes

    if period == "reference":
        version_codes = np.zeros(rows, dtype=np.int32)
    else:
        version_codes = (rng.random(rows) < 0.2).astype(np.int32)
    columns["model_version"] = _string_column(rng, ["v3.1", "v3.2"], version_codes)

    label = (rng.random(rows) < 1.0 / (1.0 + np.exp(-true_logit))).astype(np.int64)
    score = 1.0 / (1.0 + np.exp(-model_logit))
    columns["y"] = pa.array(label)
    columns["y_hat"] = pa.array((score >= 0.5).astype(np.int64))
    columns["p"] = pa.array(score)
    return pa.table(columns)


def write_period(table: pa.Table, arrow_path: Path, parquet_path: Path) -> None:
    with pa.OSFile(str(arrow_path), "wb") as sink:
        with ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table, max_chunksize=BATCH_ROWS)
    pq.write_table(table, parquet_path, row_group_size=BATCH_ROWS)


def generate(rows: int, features: int, out: Path = DATA_DIR, seed: int = DEFAULT_SEED, force: bool = False) -> dict:
    """Write both periods (if missing) and return the dataset's metadata (paths and roles)."""
    out.mkdir(parents=True, exist_ok=True)
    name = dataset_name(rows, features)
    numeric, categorical = feature_set(features)
    meta = {
        "name": name,
        "rows": rows,
        "seed": seed,
        "files": {
            period: {fmt: str(out / f"{name}_{period}.{fmt}") for fmt in ("arrow", "parquet")}
            for period in ("reference", "current")
        },
        "roles": {
            "label": "y",
            "prediction": "y_hat",
            "score": "p",
            "timestamp": "ts",
            "features": [f.name for f in numeric] + [f.name for f in categorical],
            "numeric": [f.name for f in numeric],
            "categorical": [f.name for f in categorical],
            "slices": list(SLICES),
            "latency": "latency_ms",
            "model_version": "model_version",
        },
        "planted": {
            "drifted_features": ["income", "product_type"],
            "worse_slice": WORSE_SLICE,
            "ramp": {"start": DRIFT_START, "length": DRIFT_RAMP},
        },
    }
    meta_path = out / f"{name}.meta.json"
    files = [Path(p) for period in meta["files"].values() for p in period.values()]
    if not force and meta_path.exists() and all(p.exists() for p in files):
        return json.loads(meta_path.read_text())
    for period in ("reference", "current"):
        started = time.perf_counter()
        table = generate_period(period, rows, features, seed)
        write_period(table, Path(meta["files"][period]["arrow"]), Path(meta["files"][period]["parquet"]))
        del table
        print(f"generated {name} {period}: {rows:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1e5", help="rows per period, e.g. 1e5, 1e6, 1e7 (comma-separated list ok)")
    parser.add_argument("--features", default="8", help="feature count, e.g. 8 or 20 (comma-separated list ok)")
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--force", action="store_true", help="regenerate even if the files exist")
    args = parser.parse_args()
    for rows in args.rows.split(","):
        for features in args.features.split(","):
            meta = generate(int(float(rows)), int(features), args.out, args.seed, args.force)
            print(json.dumps({"name": meta["name"], "files": meta["files"]}))


if __name__ == "__main__":
    main()
