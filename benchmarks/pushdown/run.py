"""Pushdown benchmark: `mt.trace()` of Spark DataFrames with 1e8 rows, only aggregates leaving Spark, and the check
that its analysis agrees with the in-browser engine's analysis of a 1e6-row sample of the same generator.

Every value of a row is a function of its id (xxhash64 of the id and a column number, as a uniform in [0, 1)), so
the generator is the same in every run and on any partitioning, and the sample (ids ≡ 0 mod 100) is exactly the
rows the full run also holds. The current period drifts (debt_ratio shifted, more of the "south" region) and in it
the "south" region's labels are noisier: the planted root cause.

Steps, each timed: Spark computes the aggregates inside `mt.trace()`; the engine analyses them (the browser
worker's code path, `lib/worker/run.js`, in Node); Spark writes the sample as Arrow; `modeltrace analyze` analyses
the sample; optionally NannyML and Evidently analyse the same sample (`--tools`). Results: printed as Markdown and
saved to benchmarks/results/pushdown-<rows>.json.

Usage: .venv/bin/python benchmarks/pushdown/run.py [--rows 1e8] [--sample-every 100] [--tools]
(NannyML and Evidently run from benchmarks/.venv, see docs/benchmarks.md.)
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results"
MIME = "application/vnd.modeltrace.v1+json"
NUMERIC = ["income", "debt_ratio", "age", "tenure", "score_a", "utilization"]
CATEGORICAL = ["region", "segment"]
SLICES = ["region", "segment", "channel"]
ROLES = dict(label="y", prediction="y_hat", score="p", timestamp="ts", features=NUMERIC + CATEGORICAL, slices=SLICES)


def uniform(k: int) -> str:
    """A uniform in [0, 1) from the row id: the low 53 bits of xxhash64(id, k)."""
    return f"((xxhash64(id, {k}) & 9007199254740991) / 9007199254740992D)"


def normal(k: int) -> str:
    return f"(sqrt(-2D * ln(1D - {uniform(k)})) * cos(2D * pi() * {uniform(k + 1)}))"


def generate(spark, rows: int):
    """Reference = ids [0, rows/2), current = ids [rows/2, rows); the same expressions for both."""
    half = rows // 2
    frame = spark.range(0, rows, numPartitions=max(8, rows // 5_000_000))
    current = f"(id >= {half})"
    columns = {
        "income": f"exp(10D + 0.5D * {normal(1)})",
        "debt_ratio": f"pow({uniform(3)}, 1.5D) + CASE WHEN {current} THEN 0.08D ELSE 0D END",
        "age": f"18D + 60D * {uniform(4)}",
        "tenure": f"-ln(1D - {uniform(5)}) * 24D",
        "score_a": normal(6),
        "utilization": uniform(8),
        "region": f"element_at(array('north', 'south', 'east', 'west'), "
                  f"CAST(floor(pow({uniform(9)}, CASE WHEN {current} THEN 0.8D ELSE 1D END) * 4) AS INT) + 1)",
        "segment": f"concat('s', CAST(floor({uniform(10)} * 10) AS INT))",
        "channel": f"element_at(array('web', 'app', 'branch'), CAST(floor({uniform(11)} * 3) AS INT) + 1)",
        "ts": f"timestamp_seconds(1767225600 + id - CASE WHEN {current} THEN {half} - 100000000 ELSE 0 END)",
    }
    frame = frame.selectExpr("id", *[f"{expr} AS {name}" for name, expr in columns.items()])
    logit = "(1.2D - 3D * debt_ratio + 0.4D * CAST(income > 30000D AS DOUBLE) + 0.3D * score_a)"
    frame = frame.selectExpr(
        "*",
        f"1D / (1D + exp(-({logit} + 0.6D * {normal(12)}))) AS p",
        f"CAST({uniform(14)} < 1D / (1D + exp(-{logit})) AS INT) AS y0",
    )
    flip = f"({current} AND region = 'south' AND {uniform(15)} < 0.3D)"
    frame = frame.selectExpr("*", f"CASE WHEN {flip} THEN 1 - y0 ELSE y0 END AS y", "CAST(p >= 0.5D AS INT) AS y_hat")
    frame = frame.drop("y0")
    return frame.filter(f"id < {half}").drop("id"), frame.filter(f"id >= {half}").drop("id"), frame


def spark_session():
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("modeltrace-pushdown-benchmark")
             .config("spark.driver.memory", "8g").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "8")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def node_analyze_payload(path: Path) -> tuple[dict, float]:
    script = ROOT / "benchmarks" / "pushdown" / "analyze-payload.mjs"
    started = time.perf_counter()
    done = subprocess.run(["node", str(script), str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout), time.perf_counter() - started


def cli_analyze(current: Path, reference: Path) -> tuple[dict, float]:
    args = ["node", str(ROOT / "bin" / "modeltrace.js"), "analyze", str(current), "--reference", str(reference),
            "--label", "y", "--prediction", "y_hat", "--score", "p", "--timestamp", "ts",
            "--features", ",".join(NUMERIC + CATEGORICAL), "--slices", ",".join(SLICES)]
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(done.stdout), time.perf_counter() - started


# Stated tolerances between the full run and the sample: what the sample's own sampling error allows (n = rows of a
# sample period): metrics 5 standard errors; ks 2 x 1.36/sqrt(n) (each sample CDF within 1.36/sqrt(n) of its
# population's at 95%) plus the full run's stated bound; jensen_shannon 3 x its noise floor sqrt(B / (2 ln2 n)) over
# B bins plus 0.005; psi 10% plus 0.01; a feature's "drifted" flag where both runs see a clear drift (jensen_shannon
# >= 0.05 in both: flagged in both). The flag of a feature whose drift is within the noise is not compared: it is the
# threshold test of design section 4 on noise (a reference chunk's distance to a reference that contains it sits lower
# than an independent current chunk's), a coin toss at any size, so the two runs need not agree on it; those flags are
# listed beside the checks.


def compare(full: dict, sample: dict, sample_rows: int) -> list[dict]:
    """Each shared number with its difference and the tolerance it must stay within."""
    n = sample_rows / 2
    rows = []
    for period in ("reference", "current"):
        for name, value in full["metrics"][period].items():
            other = sample["metrics"][period].get(name)
            if value is None or other is None:
                continue
            spread = math.sqrt(max(value * (1 - value), 1e-6) / n) if 0 <= value <= 1 else abs(value) * 0.01
            rows.append({"what": f"{period} {name}", "full": value, "sample": other,
                         "difference": abs(value - other), "tolerance": 5 * spread})
    methods = {entry["feature"]: entry for entry in sample["drift"]}
    bins = {name: len(feature.get("doane", [])) or 10 for name, feature in full.get("features", {}).items()}
    for entry in full["drift"]:
        mine = methods[entry["feature"]]
        floor = math.sqrt(bins.get(entry["feature"], 30) / (2 * math.log(2) * n))
        for method, key in (("jensen_shannon", "value"), ("psi", "value"), ("ks", "statistic")):
            if method in entry["methods"] and method in mine["methods"]:
                a, b = entry["methods"][method][key], mine["methods"][method][key]
                tolerance = {"jensen_shannon": 3 * floor + 0.005, "psi": 0.1 * abs(a) + 0.01,
                             "ks": 2 * 1.36 / math.sqrt(n) + entry["methods"][method].get("error_bound", 0)}[method]
                rows.append({"what": f"{entry['feature']} {method}", "full": a, "sample": b, "difference": abs(a - b),
                             "tolerance": tolerance})
        js = [entry["methods"].get("jensen_shannon", {}).get("value", 0), mine["methods"].get("jensen_shannon", {}).get("value", 0)]
        if all(value >= 0.05 for value in js):
            rows.append({"what": f"{entry['feature']} drifted", "full": entry["drifted"], "sample": mine["drifted"],
                         "difference": 0 if entry["drifted"] and mine["drifted"] else 1, "tolerance": 0})
    first = lambda result: (result["root_causes"][0]["kind"], json.dumps(result["root_causes"][0].get("slice"))) \
        if result["root_causes"] else None
    rows.append({"what": "top root cause", "full": first(full), "sample": first(sample),
                 "difference": 0 if first(full) == first(sample) else 1, "tolerance": 0})
    return rows


def noise_flags(full: dict, sample: dict) -> list[dict]:
    """The "drifted" flags `compare` leaves out: features without a clear drift in both runs, with their distances."""
    methods = {entry["feature"]: entry for entry in sample["drift"]}
    flags = []
    for entry in full["drift"]:
        mine = methods[entry["feature"]]
        js = [entry["methods"].get("jensen_shannon", {}).get("value", 0), mine["methods"].get("jensen_shannon", {}).get("value", 0)]
        if not all(value >= 0.05 for value in js):
            flags.append({"feature": entry["feature"], "drifted": [entry["drifted"], mine["drifted"]], "jensen_shannon": js})
    return flags


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=float, default=1e8)
    parser.add_argument("--sample-every", type=int, default=100)
    parser.add_argument("--tools", action="store_true", help="also run NannyML and Evidently on the sample")
    args = parser.parse_args()
    rows = int(args.rows)
    sys.path.insert(0, str(ROOT))
    import modeltrace as mt

    spark = spark_session()
    reference, current, whole = generate(spark, rows)
    timings = {}

    started = time.perf_counter()
    trace = mt.trace(current, reference=reference, name=f"spark-{rows:.0e}", **ROLES)
    payload = trace._repr_mimebundle_()[MIME]
    timings["spark aggregates (mt.trace)"] = time.perf_counter() - started
    body = json.dumps(payload)
    tag = f"{rows:.0e}".replace("+0", "").replace("+", "")
    path = RESULTS / f"pushdown-{tag}-payload.json"
    RESULTS.mkdir(exist_ok=True)
    path.write_text(body)
    analysis, timings["engine on the aggregates"] = node_analyze_payload(path)
    analysis["features"] = payload["current"]["features"]

    started = time.perf_counter()
    sample = whole.filter(f"id % {args.sample_every} = 0")
    half = rows // 2
    files = {}
    for period, where in (("reference", f"id < {half}"), ("current", f"id >= {half}")):
        table = sample.filter(where).drop("id").toArrow()
        files[period] = DATA / f"pushdown_sample_{tag}_{period}.arrow"
        import pyarrow as pa

        with pa.OSFile(str(files[period]), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        files[period + "_rows"] = table.num_rows
    timings["spark writes the sample"] = time.perf_counter() - started
    sample_analysis, timings["modeltrace analyze on the sample"] = cli_analyze(files["current"], files["reference"])
    spark.stop()

    tools = {}
    if args.tools:
        python = str(ROOT / "benchmarks" / ".venv" / "bin" / "python")
        for tool in ("nannyml_run.py", "evidently_run.py"):
            command = [python, str(ROOT / "benchmarks" / tool), str(files["current"]), str(files["reference"]),
                       "--features", ",".join(NUMERIC + CATEGORICAL), "--categorical", ",".join(CATEGORICAL)]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            tools[tool] = {"seconds": time.perf_counter() - started, "ok": done.returncode == 0,
                           "error": done.stderr.strip().splitlines()[-1:] if done.returncode else None}

    checks = compare(analysis, sample_analysis, files["reference_rows"] + files["current_rows"])
    result = {"rows": rows, "sample_rows": files["reference_rows"] + files["current_rows"],
              "payload_bytes": len(body.encode()), "timings": timings, "tools": tools, "checks": checks,
              "failed": [check for check in checks if check["difference"] > check["tolerance"]],
              "noise_flags": noise_flags(analysis, sample_analysis),
              "root_causes": [cause["summary"] for cause in analysis["root_causes"]],
              "pushdown": analysis.get("pushdown"), "cpu": os.cpu_count()}
    (RESULTS / f"pushdown-{tag}.json").write_text(json.dumps(result, indent=1))
    print(f"rows {rows:,}; sample {result['sample_rows']:,}; to the browser {result['payload_bytes'] / 2**20:.2f} MB")
    for name, seconds in timings.items():
        print(f"| {name} | {seconds:.1f} s |")
    for name, entry in tools.items():
        print(f"| {name} on the sample | {entry['seconds']:.1f} s | ok={entry['ok']} {entry['error'] or ''}")
    print(f"{len(checks) - len(result['failed'])}/{len(checks)} checks within tolerance")
    for check in result["failed"]:
        print("  outside:", check)
    for flag in result["noise_flags"]:
        print("  not compared (drift within the noise):", flag)
    for summary in result["root_causes"]:
        print("  cause:", summary)


if __name__ == "__main__":
    main()
