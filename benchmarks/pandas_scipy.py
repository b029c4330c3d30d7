"""The analysis a data scientist would write by hand with pandas, numpy, scipy and scikit-learn.

It computes the statistics of `modeltrace analyze` (shared DESIGN sections 4 and 5) on the same files,
with the same conventions, so the benchmark compares like with like:
- overall metrics per period: accuracy, precision, recall, f1, roc_auc, pr_auc (average precision),
  log_loss, brier, ece (10 equal-width bins), latency p50/p95/p99;
- 10 chunks per period in timestamp order (⌊n/10⌋ rows, the last keeps the remainder) with the same
  metrics and, per feature, the Jensen-Shannon distance of the chunk against the whole reference;
- thresholds mean ± 3σ (ddof 0) over the reference chunks, and the current chunks outside them (alerts);
- per feature: ks (scipy.stats.ks_2samp), jensen_shannon (doane edges, base 2), psi (reference deciles,
  floor 1e-4), wasserstein (+ normed by the reference std) for numeric features; jensen_shannon, psi and
  chi2_contingency for categorical ones; missing rates, unseen categories, out-of-range shares.
The result is written as JSON in the layout of `modeltrace analyze --format json` (without root causes)
so the benchmark can check that both tools agree. Timings go to stdout as one JSON line.

Usage: python benchmarks/pandas_scipy.py CURRENT REFERENCE --features a,b --categorical c,d --out result.json
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn import metrics as skm

CHUNKS = 10
PSI_FLOOR = 1e-4
METRIC_RANGES = {
    "accuracy": (0, 1), "precision": (0, 1), "recall": (0, 1), "f1": (0, 1), "roc_auc": (0, 1),
    "pr_auc": (0, 1), "log_loss": (0, None), "brier": (0, 1), "ece": (0, 1),
    "latency_p50": (0, None), "latency_p95": (0, None), "latency_p99": (0, None),
}


def read(path: str) -> pd.DataFrame:
    if path.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_feather(path)


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    index = np.minimum((p * bins).astype(np.int64), bins - 1)
    count = np.bincount(index, minlength=bins)
    gap = np.abs(np.bincount(index, weights=y, minlength=bins) - np.bincount(index, weights=p, minlength=bins))
    return float(gap.sum() / count.sum())


def chunk_metrics(frame: pd.DataFrame, args: argparse.Namespace) -> dict:
    """Binary metrics, and latency percentiles (numpy's linear interpolation) when there is a latency column."""
    values = binary_metrics(frame[args.label].to_numpy(), frame[args.prediction].to_numpy(),
                            frame[args.score].to_numpy(dtype=np.float64))
    if args.latency:
        p50, p95, p99 = np.percentile(frame[args.latency].dropna().to_numpy(), [50, 95, 99])
        values.update(latency_p50=p50, latency_p95=p95, latency_p99=p99)
    return values


def binary_metrics(y: np.ndarray, y_hat: np.ndarray, p: np.ndarray) -> dict:
    two_classes = np.unique(y).size == 2
    precision, recall, f1, _ = skm.precision_recall_fscore_support(y, y_hat, average="binary", zero_division=0)
    return {
        "accuracy": skm.accuracy_score(y, y_hat),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "roc_auc": skm.roc_auc_score(y, p) if two_classes else None,
        "pr_auc": skm.average_precision_score(y, p) if two_classes else None,
        "log_loss": skm.log_loss(y, p, labels=[0, 1]),
        "brier": skm.brier_score_loss(y, p),
        "ece": expected_calibration_error(y.astype(np.float64), p),
    }


def chunk_ids(rows: int) -> np.ndarray:
    return np.minimum(np.arange(rows) // max(rows // CHUNKS, 1), CHUNKS - 1)


def js_numeric(reference_histogram: np.ndarray, values: np.ndarray, edges: np.ndarray) -> float | None:
    if values.size == 0:
        return None
    histogram = np.histogram(values, edges)[0]
    outside = values.size - histogram.sum()
    return float(jensenshannon(np.append(reference_histogram, 0), np.append(histogram, outside), base=2))


def js_categorical(reference_counts: pd.Series, values: pd.Series) -> float | None:
    counts = values.value_counts()
    if counts.sum() == 0:
        return None
    aligned = counts.reindex(reference_counts.index, fill_value=0).to_numpy()
    unseen = counts.sum() - aligned.sum()
    return float(jensenshannon(np.append(reference_counts.to_numpy(), 0), np.append(aligned, unseen), base=2))


def psi(reference_counts: np.ndarray, current_counts: np.ndarray) -> float:
    p_ref = np.maximum(reference_counts / reference_counts.sum(), PSI_FLOOR)
    p_cur = np.maximum(current_counts / current_counts.sum(), PSI_FLOOR)
    return float(np.sum((p_cur - p_ref) * np.log(p_cur / p_ref)))


def numeric_drift(ref: np.ndarray, cur: np.ndarray, edges: np.ndarray, reference_histogram: np.ndarray) -> dict:
    ks = stats.ks_2samp(ref, cur)
    deciles = np.unique(np.quantile(ref, np.arange(1, 10) / 10))
    bins = len(deciles) + 1
    psi_ref = np.bincount(np.searchsorted(deciles, ref, side="right"), minlength=bins)
    psi_cur = np.bincount(np.searchsorted(deciles, cur, side="right"), minlength=bins)
    wasserstein = stats.wasserstein_distance(ref, cur)
    return {
        "ks": {"statistic": float(ks.statistic), "p_value": float(ks.pvalue)},
        "jensen_shannon": {"value": js_numeric(reference_histogram, cur, edges)},
        "psi": {"value": psi(psi_ref, psi_cur)},
        "wasserstein": {"value": float(wasserstein), "normed": float(wasserstein / max(np.std(ref), 0.001))},
    }


def categorical_drift(reference_counts: pd.Series, cur: pd.Series) -> dict:
    current_counts = cur.value_counts()
    union = reference_counts.index.union(current_counts.index)
    ref_union = reference_counts.reindex(union, fill_value=0).to_numpy()
    cur_union = current_counts.reindex(union, fill_value=0).to_numpy()
    chi2 = stats.chi2_contingency(np.vstack([ref_union, cur_union]))
    return {
        "jensen_shannon": {"value": js_categorical(reference_counts, cur)},
        "psi": {"value": psi(ref_union, cur_union)},
        "chi2": {"statistic": float(chi2.statistic), "p_value": float(chi2.pvalue)},
    }


def threshold(values: list[float], metric: str | None) -> dict:
    values = np.array([v for v in values if v is not None], dtype=np.float64)
    mean, std = values.mean(), values.std()
    if metric is None:  # drift: upper bound only
        return {"lower": None, "upper": float(mean + 3 * std)}
    low, high = METRIC_RANGES[metric]
    lower = max(mean - 3 * std, low)
    upper = mean + 3 * std if high is None else min(mean + 3 * std, high)
    return {"lower": float(lower), "upper": float(upper)}


def iso(value: pd.Timestamp) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def analyze(current: pd.DataFrame, reference: pd.DataFrame, args: argparse.Namespace) -> dict:
    features = args.features.split(",")
    categorical_names = set(args.categorical.split(",")) if args.categorical else set()
    categorical = [f for f in features if f in categorical_names]
    numeric = [f for f in features if f not in categorical_names]
    periods = {
        "reference": reference.sort_values(args.timestamp, kind="stable", ignore_index=True),
        "current": current.sort_values(args.timestamp, kind="stable", ignore_index=True),
    }
    ref = periods["reference"]

    # reference distributions every drift statistic compares against
    ref_values = {f: ref[f].dropna().to_numpy(dtype=np.float64) for f in numeric}
    ref_edges = {f: np.histogram_bin_edges(ref_values[f], bins="doane") for f in numeric}
    ref_histograms = {f: np.histogram(ref_values[f], ref_edges[f])[0] for f in numeric}
    ref_counts = {f: ref[f].value_counts() for f in categorical}

    result: dict = {
        "version": 1,
        "task": "binary",
        "rows": {name: len(frame) for name, frame in periods.items()},
        "metrics": {name: chunk_metrics(frame, args) for name, frame in periods.items()},
        "chunks": [],
    }

    # chunks: metrics and per-feature Jensen-Shannon against the whole reference
    for name, frame in periods.items():
        ids = chunk_ids(len(frame))
        bounds = np.flatnonzero(np.diff(ids)) + 1
        starts = np.concatenate([[0], bounds])
        ends = np.concatenate([bounds, [len(frame)]])
        for index, (start, end) in enumerate(zip(starts, ends)):
            chunk = frame.iloc[start:end]
            drift = {}
            for f in numeric:
                values = chunk[f].dropna().to_numpy(dtype=np.float64)
                drift[f] = {"jensen_shannon": js_numeric(ref_histograms[f], values, ref_edges[f])}
            for f in categorical:
                drift[f] = {"jensen_shannon": js_categorical(ref_counts[f], chunk[f])}
            result["chunks"].append({
                "period": name, "index": index,
                "start": iso(chunk[args.timestamp].iloc[0]), "end": iso(chunk[args.timestamp].iloc[-1]),
                "rows": len(chunk),
                "metrics": chunk_metrics(chunk, args),
                "drift": drift,
            })

    # thresholds from the reference chunks, alerts in the current ones
    reference_chunks = [c for c in result["chunks"] if c["period"] == "reference"]
    current_chunks = [c for c in result["chunks"] if c["period"] == "current"]
    thresholds = {m: threshold([c["metrics"][m] for c in reference_chunks], m) for m in reference_chunks[0]["metrics"]}
    for f in features:
        thresholds[f"drift:{f}"] = threshold([c["drift"][f]["jensen_shannon"] for c in reference_chunks], None)
    alerts = []
    for chunk in current_chunks:
        observed = dict(chunk["metrics"])
        observed.update({f"drift:{f}": v["jensen_shannon"] for f, v in chunk["drift"].items()})
        for metric, value in observed.items():
            bound = thresholds[metric]
            if value is None:
                continue
            if (bound["lower"] is not None and value < bound["lower"]) or value > bound["upper"]:
                alerts.append({"period": "current", "index": chunk["index"], "metric": metric, "value": value,
                               "lower": bound["lower"], "upper": bound["upper"]})
    result["thresholds"] = thresholds
    result["alerts"] = alerts
    drifted = {a["metric"][len("drift:"):] for a in alerts if a["metric"].startswith("drift:")}

    # whole-period drift and data quality per feature
    cur = periods["current"]
    result["drift"] = []
    result["data_quality"] = []
    for f in features:
        quality = {
            "feature": f,
            "missing": {"reference": float(ref[f].isna().mean()), "current": float(cur[f].isna().mean())},
            "unseen": [],
            "out_of_range": 0.0,
        }
        if f in categorical:
            methods = categorical_drift(ref_counts[f], cur[f])
            seen = set(ref_counts[f].index)
            quality["unseen"] = sorted(v for v in cur[f].dropna().unique() if v not in seen)[:50]
        else:
            cur_values = cur[f].dropna().to_numpy(dtype=np.float64)
            methods = numeric_drift(ref_values[f], cur_values, ref_edges[f], ref_histograms[f])
            low, high = ref_values[f].min(), ref_values[f].max()
            quality["out_of_range"] = float(np.mean((cur_values < low) | (cur_values > high)))
        result["drift"].append({"feature": f, "type": "categorical" if f in categorical else "numeric",
                                "drifted": f in drifted, "methods": methods})
        result["data_quality"].append(quality)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("current")
    parser.add_argument("reference")
    parser.add_argument("--features", required=True)
    parser.add_argument("--categorical", default="", help="the features that are categorical")
    parser.add_argument("--label", default="y")
    parser.add_argument("--prediction", default="y_hat")
    parser.add_argument("--score", default="p")
    parser.add_argument("--timestamp", default="ts")
    parser.add_argument("--latency", default="latency_ms")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    started = time.perf_counter()
    current, reference = read(args.current), read(args.reference)
    read_s = time.perf_counter() - started
    result = analyze(current, reference, args)
    compute_s = time.perf_counter() - started - read_s
    if args.out:
        args.out.write_text(json.dumps(result, default=float))
    print(json.dumps({
        "read_s": read_s, "compute_s": compute_s, "total_s": time.perf_counter() - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "alerts": len(result["alerts"]),
        "drifted": [d["feature"] for d in result["drift"] if d["drifted"]],
    }))


if __name__ == "__main__":
    main()
