"""Kernel aggregates benchmark: `table_aggregates()` (numpy), the aggregates a kernel sends ahead of a large trace's
rows, on the benchmark dataset held in memory; with --duckdb, DuckDB's pushdown `aggregates()` of the same tables.

Reads benchmarks/data/n<rows>_f8_{reference,current}.arrow (make them with
`.venv/bin/python benchmarks/generate.py --rows <rows> --features 8`), makes the trace as a notebook would
(`mt.trace()` with label, prediction, score, timestamp, 8 features, 3 slices, latency and model_version), runs
table_aggregates once to warm up, then --repeat times: prints the median wall and CPU seconds (CPU of all its
threads) and the peak memory numpy allocated in one more run (tracemalloc), in multiples of one float64 column.

Usage: .venv/bin/python benchmarks/kernel_aggregates.py [--rows 1e6] [--repeat 5] [--duckdb]
"""
import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import modeltrace as mt  # noqa: E402
from generate import dataset_name  # noqa: E402
from modeltrace._table_aggregates import table_aggregates  # noqa: E402


def load_trace(rows: int):
    name = dataset_name(rows, 8)
    meta_path = DATA / f"{name}.meta.json"
    if not meta_path.exists():
        sys.exit(f"no {meta_path}: run .venv/bin/python benchmarks/generate.py --rows {rows:g} --features 8")
    meta = json.loads(meta_path.read_text())
    tables = {period: pa.ipc.open_file(meta["files"][period]["arrow"]).read_all()
              for period in ("current", "reference")}
    roles = meta["roles"]
    return mt.trace(
        tables["current"], reference=tables["reference"], label=roles["label"], prediction=roles["prediction"],
        score=roles["score"], timestamp=roles["timestamp"], features=roles["features"], slices=roles["slices"],
        latency=roles["latency"], model_version=roles["model_version"], name=name,
    )


def timed(function) -> tuple:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e6, help="rows per period (a generated dataset)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--duckdb", action="store_true", help="also time DuckDB's pushdown of the same tables, once")
    options = parser.parse_args()
    rows = int(options.rows)
    trace = load_trace(rows)
    summary = table_aggregates(trace)
    if summary is None:
        sys.exit("table_aggregates gave None")
    runs = [timed(lambda: table_aggregates(trace))[:2] for _ in range(options.repeat)]
    walls, cpus = [run[0] for run in runs], [run[1] for run in runs]
    tracemalloc.start()
    table_aggregates(trace)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = len(json.dumps(summary))
    print(
        f"table_aggregates, {rows:,} + {rows:,} rows: median wall {statistics.median(walls):.3f} s, "
        f"CPU {statistics.median(cpus):.3f} s over {options.repeat} runs "
        f"(walls {', '.join(f'{wall:.3f}' for wall in walls)}); "
        f"numpy peak {peak / 2**20:.0f} MB = {peak / (8 * rows):.1f} float64 columns; {size / 2**20:.1f} MB of JSON"
    )
    if options.duckdb:
        import duckdb

        from modeltrace._pushdown import aggregates

        connection = duckdb.connect()
        wall, cpu, _ = timed(lambda: aggregates(
            connection.from_arrow(trace.current), connection.from_arrow(trace.reference), roles=trace.roles,
            task=trace.task, positive_label=trace.positive_label,
        ))
        print(f"DuckDB aggregates, same tables: wall {wall:.3f} s, CPU {cpu:.3f} s")


if __name__ == "__main__":
    main()
