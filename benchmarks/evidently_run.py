"""Evidently on the benchmark files: its data drift preset plus its classification preset.

Reads the same files as the other tools with pandas, declares the same roles in a `DataDefinition`
(numeric and categorical features, timestamp, binary classification with label, prediction and score),
and computes one report over reference and current (`report.run`). The HTML of the report is saved
afterwards for information (its size is reported); the timings and the peak memory before HTML
rendering are printed to stdout as one JSON line.

Written for Evidently 0.7+ (`from evidently import Report`); older versions had another API.
Usage: python benchmarks/evidently_run.py CURRENT REFERENCE --features a,b --categorical c,d [--html out.html]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

started = time.perf_counter()

import pandas as pd  # noqa: E402
from evidently import BinaryClassification, DataDefinition, Dataset, Report  # noqa: E402
from evidently import __version__ as evidently_version  # noqa: E402
from evidently.presets import ClassificationPreset, DataDriftPreset  # noqa: E402

import_s = time.perf_counter() - started


def read(path: str) -> pd.DataFrame:
    if path.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_feather(path)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    parser.add_argument("--html", type=Path, help="also save the report as HTML here (not included in compute_s)")
    args = parser.parse_args()

    features = args.features.split(",")
    categorical = [f for f in features if f in set(args.categorical.split(","))]
    numeric = [f for f in features if f not in categorical]
    columns = [args.timestamp, *features, args.label, args.prediction, args.score]

    phase = time.perf_counter()
    current, reference = read(args.current)[columns], read(args.reference)[columns]
    read_s = time.perf_counter() - phase

    phase = time.perf_counter()
    definition = DataDefinition(
        timestamp=args.timestamp,
        numerical_columns=numeric + [args.score],
        categorical_columns=categorical + [args.label, args.prediction],
        classification=[BinaryClassification(target=args.label, prediction_labels=args.prediction,
                                             prediction_probas=args.score, pos_label=1)],
    )
    current_data = Dataset.from_pandas(current, data_definition=definition)
    reference_data = Dataset.from_pandas(reference, data_definition=definition)
    report = Report([DataDriftPreset(columns=features), ClassificationPreset()])
    snapshot = report.run(current_data=current_data, reference_data=reference_data)
    compute_s = time.perf_counter() - phase
    total_s = time.perf_counter() - started
    peak_before_html = peak_rss_mb()

    html_s = html_bytes = None
    if args.html:
        phase = time.perf_counter()
        snapshot.save_html(str(args.html))
        html_s = time.perf_counter() - phase
        html_bytes = args.html.stat().st_size

    print(json.dumps({
        "evidently": evidently_version,
        "import_s": import_s, "read_s": read_s, "compute_s": compute_s,
        "total_before_html_s": total_s,
        "peak_rss_before_html_mb": peak_before_html,
        "html_s": html_s, "html_bytes": html_bytes, "peak_rss_mb": peak_rss_mb(),
    }))


if __name__ == "__main__":
    main()
