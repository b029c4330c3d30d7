"""NannyML on the benchmark files: univariate drift of the features plus realised performance, in 10 chunks.

Reads the same files as the other tools with pandas, fits NannyML's `UnivariateDriftCalculator` (Jensen-Shannon
and KS for numeric features, Jensen-Shannon and chi2 for categorical ones, as ModelTrace computes) and its
`PerformanceCalculator` (roc_auc, f1, precision, recall, accuracy) on the reference, then calculates both on the
current data; each period in 10 chunks (`chunk_number=10`), like ModelTrace's default. Timings and peak memory
are printed to stdout as one JSON line. Plotting is not included (its figures are Plotly, not rendered here).

Usage: python benchmarks/nannyml_run.py CURRENT REFERENCE --features a,b --categorical c,d
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time

started = time.perf_counter()
os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")  # no telemetry: the machine is offline and it would retry

import nannyml as nml  # noqa: E402
import pandas as pd  # noqa: E402

import_s = time.perf_counter() - started


def read(path: str) -> pd.DataFrame:
    if path.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_feather(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("current")
    parser.add_argument("reference")
    parser.add_argument("--features", required=True)
    parser.add_argument("--categorical", default="")
    parser.add_argument("--label", default="y")
    parser.add_argument("--prediction", default="y_hat")
    parser.add_argument("--score", default="p")
    parser.add_argument("--timestamp", default="ts")
    args = parser.parse_args()

    features = args.features.split(",")
    categorical = [f for f in features if f in set(args.categorical.split(","))]
    columns = [args.timestamp, *features, args.label, args.prediction, args.score]

    phase = time.perf_counter()
    current, reference = read(args.current)[columns], read(args.reference)[columns]
    read_s = time.perf_counter() - phase

    phase = time.perf_counter()
    drift = nml.UnivariateDriftCalculator(
        column_names=features, treat_as_categorical=categorical, timestamp_column_name=args.timestamp,
        continuous_methods=["jensen_shannon", "kolmogorov_smirnov"], categorical_methods=["jensen_shannon", "chi2"],
        chunk_number=10,
    )
    drift.fit(reference)
    drift_result = drift.calculate(current)
    performance = nml.PerformanceCalculator(
        y_pred_proba=args.score, y_pred=args.prediction, y_true=args.label, timestamp_column_name=args.timestamp,
        problem_type="classification_binary", metrics=["roc_auc", "f1", "precision", "recall", "accuracy"],
        chunk_number=10,
    )
    performance.fit(reference)
    performance_result = performance.calculate(current)
    compute_s = time.perf_counter() - phase

    print(json.dumps({
        "nannyml": nml.__version__,
        "import_s": import_s, "read_s": read_s, "compute_s": compute_s,
        "total_s": time.perf_counter() - started,
        "drift_rows": len(drift_result.to_df()), "performance_rows": len(performance_result.to_df()),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
