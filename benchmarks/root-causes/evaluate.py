"""Score root-cause suggestions against the ground truth of benchmarks/root-causes/generate.py.

ModelTrace: `node bin/modeltrace.js analyze` on each trace (build first: npm run build:lib); its `root_causes`.
NannyML (run with benchmarks/.venv/bin/python, where nannyml is installed): univariate drift (jensen_shannon, 10
chunks) of the features, slice columns and model_version, then AlertCountRanker and CorrelationRanker (the latter
against the accuracy of PerformanceCalculator), both with only_drifting=True.

Matching a suggestion to the expected cause:
- ModelTrace: same kind and, for feature_drift / data_quality the same feature, for slice / model_change the same
  {column: value} (all columns of a two-column slice), for label_shift the kind alone;
- NannyML ranks columns, not causes: a ranked column matches when it is the expected feature (feature_drift,
  data_quality), one of the expected slice's columns (slice) or model_version (model_change); a label shift names
  no input column, so NannyML cannot match it (the label is not among the ranked columns).
top-1 / top-3: the expected cause is the first / among the first three suggestions (faulty traces). Benign no-cause
rate: share of benign traces with no suggestion at all (ModelTrace: empty root_causes; NannyML: empty ranking).

Usage: benchmarks/.venv/bin/python benchmarks/root-causes/evaluate.py [--data DIR] [--no-nannyml] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")  # no usage analytics calls to the network
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "benchmarks" / "data" / "root-causes"


def modeltrace_causes(trace: dict, roles: dict, data: Path) -> tuple[list[dict], float]:
    command = [
        "node", str(ROOT / "bin" / "modeltrace.js"), "analyze", str(data / trace["current"]),
        "--reference", str(data / trace["reference"]),
        "--label", roles["label"], "--prediction", roles["prediction"], "--score", roles["score"],
        "--timestamp", roles["timestamp"], "--features", ",".join(roles["features"]),
        "--slices", ",".join(roles["slices"]), "--model-version", roles["model_version"],
    ]
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        raise RuntimeError(f"{trace['name']}: {run.stderr.strip()}")
    return json.loads(run.stdout)["root_causes"], elapsed


def matches_cause(cause: dict, expected: dict) -> bool:
    if cause["kind"] != expected["kind"]:
        return False
    if expected["kind"] in ("feature_drift", "data_quality"):
        return cause.get("feature") == expected["feature"]
    if expected["kind"] in ("slice", "model_change"):
        got = {column: str(value) for column, value in (cause.get("slice") or {}).items()}
        return got == expected["slice"]
    return True


def matches_column(column: str, expected: dict, roles: dict) -> bool:
    if expected["kind"] in ("feature_drift", "data_quality"):
        return column == expected["feature"]
    if expected["kind"] == "slice":
        return column in expected["slice"]
    if expected["kind"] == "model_change":
        return column == roles["model_version"]
    return False


def nannyml_rankings(trace: dict, roles: dict, data: Path) -> dict[str, list[str]]:
    import nannyml as nml
    import pandas as pd
    import pyarrow.ipc as ipc

    def read(name: str) -> pd.DataFrame:
        with ipc.open_file(str(data / name)) as reader:
            return reader.read_all().to_pandas()

    reference, current = read(trace["reference"]), read(trace["current"])
    columns = roles["features"] + roles["slices"] + [roles["model_version"]]
    categorical = [c for c in columns if reference[c].dtype == object]
    drift = nml.UnivariateDriftCalculator(
        column_names=columns, treat_as_categorical=categorical, timestamp_column_name=roles["timestamp"],
        continuous_methods=["jensen_shannon"], categorical_methods=["jensen_shannon"], chunk_number=10,
    )
    drift.fit(reference)
    drift_results = drift.calculate(current)
    performance = nml.PerformanceCalculator(
        y_true=roles["label"], y_pred=roles["prediction"], y_pred_proba=roles["score"],
        timestamp_column_name=roles["timestamp"], problem_type="classification_binary",
        metrics=["accuracy"], chunk_number=10,
    )
    performance.fit(reference)
    performance_results = performance.calculate(current)

    alert_ranking = nml.AlertCountRanker().rank(drift_results, only_drifting=True)
    correlation = nml.CorrelationRanker()
    correlation.fit(performance_results.filter(period="reference"))
    correlation_ranking = correlation.rank(drift_results, performance_results, only_drifting=True)
    return {
        "AlertCountRanker": list(alert_ranking["column_name"]),
        "CorrelationRanker": list(correlation_ranking["column_name"]),
    }


def score(rows: list[dict], key: str) -> dict:
    faulty = [row for row in rows if row["expected"] is not None]
    benign = [row for row in rows if row["expected"] is None]
    top1 = sum(1 for row in faulty if row[key] is not None and row[key] == 0)
    top3 = sum(1 for row in faulty if row[key] is not None and row[key] < 3)
    quiet = sum(1 for row in benign if row[f"{key}_count"] == 0)
    return {
        "top1": top1 / len(faulty) if faulty else None,
        "top3": top3 / len(faulty) if faulty else None,
        "benign_no_cause": quiet / len(benign) if benign else None,
        "faulty": len(faulty),
        "benign": len(benign),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-nannyml", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    truth = json.loads((args.data / "ground-truth.json").read_text())
    roles = truth["roles"]
    rows = []
    for trace in truth["traces"]:
        expected = trace["expected"]
        causes, elapsed = modeltrace_causes(trace, roles, args.data)
        row = {"name": trace["name"], "fault": trace["fault"], "expected": expected, "seconds": elapsed,
               "modeltrace_top": [c["summary"] for c in causes[:3]], "modeltrace_count": len(causes)}
        row["modeltrace"] = next((k for k, c in enumerate(causes) if expected and matches_cause(c, expected)), None)
        if not args.no_nannyml:
            for ranker, columns in nannyml_rankings(trace, roles, args.data).items():
                row[f"{ranker}_count"] = len(columns)
                row[ranker] = next((k for k, c in enumerate(columns) if expected and matches_column(c, expected, roles)), None)
                row[f"{ranker}_top"] = columns[:3]
        rows.append(row)
        print(f"{trace['name']:<32} modeltrace={row['modeltrace']} causes={len(causes)} {causes[0]['summary'] if causes else '-'}",
              file=sys.stderr)

    tools = ["modeltrace"] + ([] if args.no_nannyml else ["AlertCountRanker", "CorrelationRanker"])
    results = {tool: score(rows, tool) for tool in tools}
    by_fault = {}
    for fault in sorted({row["fault"] for row in rows}):
        by_fault[fault] = {tool: score([row for row in rows if row["fault"] == fault], tool) for tool in tools}
    print("| tool | top-1 | top-3 | benign: no cause |")
    print("|---|---|---|---|")
    for tool, result in results.items():
        cells = [f"{result[k] * 100:.0f}%" if result[k] is not None else "–" for k in ("top1", "top3", "benign_no_cause")]
        print(f"| {tool} | {' | '.join(cells)} |")
    print(f"\n{results['modeltrace']['faulty']} faulty and {results['modeltrace']['benign']} benign traces")
    print("\n| fault | " + " | ".join(f"{tool} top-1 / top-3" for tool in tools) + " |")
    print("|---|" + "---|" * len(tools))
    for fault, result in by_fault.items():
        cells = []
        for tool in tools:
            r = result[tool]
            cells.append(f"no cause {r['benign_no_cause'] * 100:.0f}%" if r["faulty"] == 0 else f"{r['top1'] * 100:.0f}% / {r['top3'] * 100:.0f}%")
        print(f"| {fault} | {' | '.join(cells)} |")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "by_fault": by_fault, "traces": rows}, indent=1))


if __name__ == "__main__":
    main()
