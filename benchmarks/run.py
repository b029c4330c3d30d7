"""Run ModelTrace, a pandas+scipy script and Evidently side by side on the same files.

For each size and feature count: generate the data if missing (benchmarks/generate.py), warm the page
cache by reading every file once, then run each tool as a cold subprocess on the same Arrow files,
measuring wall time and peak resident memory (the maximum of the kernel's ru_maxrss of the process and
of psutil's polled sum over its process tree), with a time limit per tool. A tool whose linear
estimate from a smaller size already exceeds the time limit or the machine's memory is skipped and
recorded as such. ModelTrace's and pandas+scipy's results are checked against each other.

Writes a markdown report to stdout and to benchmarks/results/<date>.md (raw numbers in <date>.json).
Run it with the benchmarks' own virtual environment, from anywhere:

    benchmarks/.venv/bin/python benchmarks/run.py                      # 1e5 and 1e6 rows × 8 features
    benchmarks/.venv/bin/python benchmarks/run.py --sizes 1e5,1e6,1e7 --features 8,20
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
RESULTS = BENCHMARKS / "results"
CLI = ROOT / "bin" / "modeltrace.js"
SNAPSHOT = ("lib", "bin", "package.json")
TOOLS = ("modeltrace", "pandas", "evidently")
TOOL_NAMES = {"modeltrace": "ModelTrace", "pandas": "pandas+scipy", "evidently": "Evidently"}
POLL_SECONDS = 0.05
MEMORY_SHARE = 0.8  # default memory cap: this share of the memory available when the run starts

sys.path.insert(0, str(BENCHMARKS))
from generate import dataset_name  # noqa: E402


def parse_sizes(text: str) -> list[int]:
    return [int(float(item)) for item in text.split(",") if item]


def label_rows(rows: int) -> str:
    exponent = math.log10(rows)
    return f"1e{int(exponent)}" if exponent.is_integer() else f"{rows:,}"


def machine_info() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())

    def version(package: str) -> str:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    def node_package(name: str) -> str:
        path = ROOT / "node_modules" / name / "package.json"
        return json.loads(path.read_text())["version"] if path.exists() else "not installed"

    node = shutil.which("node")
    git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "bin"],
                           capture_output=True, text=True).stdout.splitlines()
    built_from = f"git {git.stdout.strip()}" + (f" + {len(dirty)} uncommitted files in src/ and bin/" if dirty else "")
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "node": subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip() if node else "none",
        "modeltrace": json.loads((ROOT / "package.json").read_text())["version"] + f" ({built_from})",
        "packages": {p: version(p) for p in ("numpy", "pandas", "pyarrow", "scipy", "scikit-learn", "evidently",
                                             "psutil")},
        "node_packages": {p: node_package(p) for p in ("arquero", "@uwdata/flechette", "hyparquet")},
    }


def _first_for_the_oom_killer() -> None:
    """If memory runs out anyway, the kernel ends the benchmarked tool, not other work on the machine."""
    try:
        Path("/proc/self/oom_score_adj").write_text("1000")
    except OSError:
        pass


def snapshot_cli(work: Path) -> Path:
    """A copy of the built CLI, so a rebuild of lib/ by someone else during a long run cannot change it."""
    target = work / "modeltrace"
    target.mkdir()
    for name in SNAPSHOT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target / "bin" / "modeltrace.js"


def measure(command: list[str], timeout: float, memory_cap_mb: float, log_prefix: Path) -> dict:
    """Run one cold subprocess; wall time, peak RSS (MB), exit code, stdout and stderr.

    The process group is killed past `timeout` seconds or when its tree's RSS passes `memory_cap_mb`
    (the machine is shared: the cap keeps the kernel's OOM killer away from other work)."""
    with open(f"{log_prefix}.stdout", "wb") as out, open(f"{log_prefix}.stderr", "wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, start_new_session=True,
                                   preexec_fn=_first_for_the_oom_killer)
        polled_peak = 0
        timed_out = over_memory = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid == process.pid:
                break
            try:
                parent = psutil.Process(process.pid)
                tree = [parent, *parent.children(recursive=True)]
                polled_peak = max(polled_peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            timed_out = time.perf_counter() - started > timeout
            over_memory = polled_peak / 2**20 > memory_cap_mb
            if timed_out or over_memory:
                os.killpg(process.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(POLL_SECONDS)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": wall,
        "peak_mb": max(usage.ru_maxrss / 1024, polled_peak / 2**20),
        "returncode": process.returncode,
        "timed_out": timed_out,
        "over_memory": over_memory,
        "stdout": Path(f"{log_prefix}.stdout").read_text(errors="replace"),
        "stderr": Path(f"{log_prefix}.stderr").read_text(errors="replace"),
    }


def error_line(stderr: str) -> str:
    """The line of a failed tool's stderr that says what went wrong (or its last line)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    named = [line for line in lines if "error" in line.lower()]
    return (named or lines or ["no output on stderr"])[0 if named else -1]


def last_json_line(text: str) -> dict:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                continue
    return {}


def commands(tool: str, meta: dict, out_dir: Path, file_format: str, cli: Path) -> list[str]:
    roles = meta["roles"]
    current = meta["files"]["current"][file_format]
    reference = meta["files"]["reference"][file_format]
    features = ",".join(roles["features"])
    categorical = ",".join(roles["categorical"])
    python = sys.executable
    if tool == "modeltrace":
        return ["node", str(cli), "analyze", current, "--reference", reference,
                "--label", roles["label"], "--prediction", roles["prediction"], "--score", roles["score"],
                "--timestamp", roles["timestamp"], "--features", features, "--slices", ",".join(roles["slices"]),
                "--latency", roles["latency"], "--model-version", roles["model_version"],
                "--format", "json", "--out", str(out_dir / "modeltrace.json")]
    if tool == "pandas":
        return [python, str(BENCHMARKS / "pandas_scipy.py"), current, reference, "--features", features,
                "--categorical", categorical, "--out", str(out_dir / "pandas.json")]
    return [python, str(BENCHMARKS / "evidently_run.py"), current, reference, "--features", features,
            "--categorical", categorical, "--html", str(out_dir / "evidently.html")]


def estimate(history: list[dict], tool: str, rows: int, features: int) -> dict | None:
    """Linear estimate of wall time and peak memory from the largest finished run of the tool.

    Runs with the same feature count are scaled by rows alone; otherwise by rows and by features too
    (an overestimate: part of the cost does not grow with features)."""
    done = [r for r in history if r["tool"] == tool and r.get("status") == "ok"]
    same_features = [r for r in done if r["features"] == features]
    if not done:
        return None
    if same_features:
        base = max(same_features, key=lambda r: r["rows"])
        scale = rows / base["rows"]
    else:
        base = max(done, key=lambda r: (r["rows"] * r["features"], r["rows"]))
        scale = rows / base["rows"] * max(features / base["features"], 1.0)
    return {"wall_s": base["wall_s"] * scale, "peak_mb": base["peak_mb"] * scale, "from": base["dataset"]}


def warm_page_cache(meta: dict, file_format: str) -> None:
    for period in ("reference", "current"):
        with open(meta["files"][period][file_format], "rb") as handle:
            while handle.read(1 << 24):
                pass


def flatten(prefix: str, value, into: dict) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            flatten(f"{prefix}.{key}" if prefix else str(key), item, into)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        into[prefix] = float(value)


def agreement(modeltrace_path: Path, pandas_path: Path) -> dict:
    """Compare every number both results hold: metrics, thresholds, per-feature drift, chunk values."""
    def numbers(path: Path) -> dict:
        result = json.loads(path.read_text())
        values: dict = {}
        flatten("metrics", result.get("metrics"), values)
        flatten("thresholds", result.get("thresholds"), values)
        for feature in result.get("drift", []):
            flatten(f"drift.{feature['feature']}", feature.get("methods"), values)
        for chunk in result.get("chunks", []):
            flatten(f"chunks.{chunk['period']}.{chunk['index']}", {"metrics": chunk.get("metrics"),
                                                                   "drift": chunk.get("drift")}, values)
        for quality in result.get("data_quality", []):
            flatten(f"data_quality.{quality['feature']}", {"missing": quality.get("missing"),
                                                            "out_of_range": quality.get("out_of_range")}, values)
        return values

    def verdicts(path: Path) -> tuple[set, set]:
        result = json.loads(path.read_text())
        alerts = {(a["index"], a["metric"]) for a in result.get("alerts", [])}
        return alerts, {d["feature"] for d in result.get("drift", []) if d.get("drifted")}

    (our_alerts, our_drifted), (their_alerts, their_drifted) = verdicts(modeltrace_path), verdicts(pandas_path)
    ours, theirs = numbers(modeltrace_path), numbers(pandas_path)
    shared = sorted(set(ours) & set(theirs))
    differences = []
    for key in shared:
        a, b = ours[key], theirs[key]
        absolute = abs(a - b)
        relative = absolute / max(abs(a), abs(b)) if absolute > 1e-12 else 0.0
        differences.append((relative, key, a, b))
    differences.sort(reverse=True)
    return {
        "compared": len(shared),
        "above_1e-9": sum(1 for d in differences if d[0] > 1e-9),
        "above_1e-6": sum(1 for d in differences if d[0] > 1e-6),
        "worst": [{"key": k, "modeltrace": a, "pandas": b, "relative": r} for r, k, a, b in differences[:5]],
        "same_alerts": our_alerts == their_alerts,
        "same_drifted": our_drifted == their_drifted,
    }


def run_dataset(rows: int, features: int, tools: list[str], args, history: list[dict], work: Path) -> list[dict]:
    name = dataset_name(rows, features)
    meta_path = BENCHMARKS / "data" / f"{name}.meta.json"
    generated = subprocess.run([sys.executable, str(BENCHMARKS / "generate.py"), "--rows", str(rows),
                                "--features", str(features)], capture_output=True, text=True)
    if generated.returncode != 0:
        raise SystemExit(f"generate.py failed for {name}:\n{generated.stderr}")
    meta = json.loads(meta_path.read_text())
    out_dir = work / name
    out_dir.mkdir(parents=True, exist_ok=True)
    warm_page_cache(meta, args.format)
    records = []
    for tool in tools:
        record = {"tool": tool, "dataset": name, "rows": rows, "features": features}
        if tool == "modeltrace" and not CLI.exists():
            record.update(status="unavailable", note=f"{CLI.relative_to(ROOT)} does not exist")
            records.append(record)
            continue
        guess = estimate(history + records, tool, rows, features)
        if guess and (guess["wall_s"] > args.timeout or guess["peak_mb"] > args.memory_cap_mb):
            record.update(status="skipped", estimate=guess,
                          note=f"linear estimate from {guess['from']} is "
                               f"{guess['wall_s'] / 60:.0f} min and {guess['peak_mb'] / 1024:.1f} GB")
            records.append(record)
            print(f"  {TOOL_NAMES[tool]:<13} {name}: {record['note']}", file=sys.stderr, flush=True)
            continue
        walls = []
        for attempt in range(args.repeat):
            result = measure(commands(tool, meta, out_dir, args.format, args.cli), args.timeout, args.memory_cap_mb,
                             out_dir / f"{tool}-{attempt}")
            if result["timed_out"] or result["over_memory"] or result["returncode"] != 0:
                break
            walls.append(result)
        if result["timed_out"]:
            record.update(status="timeout", wall_s=result["wall_s"], peak_mb=result["peak_mb"],
                          note=f"> {args.timeout / 60:.0f} min")
        elif result["over_memory"]:
            record.update(status="out of memory", wall_s=result["wall_s"], peak_mb=result["peak_mb"],
                          note=f"stopped at the memory cap of {args.memory_cap_mb / 1024:.1f} GB "
                               f"after {result['wall_s']:.0f} s")
        elif result["returncode"] == -signal.SIGKILL:
            record.update(status="killed", wall_s=result["wall_s"], peak_mb=result["peak_mb"],
                          note=f"killed by SIGKILL after {result['wall_s']:.0f} s (the kernel's OOM killer?)")
        elif result["returncode"] != 0:
            record.update(status="failed", note=f"exit {result['returncode']}: {error_line(result['stderr'])}",
                          stderr=result["stderr"][-4000:])
        else:
            median = statistics.median(r["wall_s"] for r in walls)
            best = min(walls, key=lambda r: abs(r["wall_s"] - median))
            record.update(status="ok", wall_s=median, peak_mb=max(r["peak_mb"] for r in walls),
                          walls=[r["wall_s"] for r in walls], details=last_json_line(best["stdout"]))
        records.append(record)
        shown = f"{record['wall_s']:.2f} s, {record['peak_mb']:.0f} MB" if "wall_s" in record else record["note"]
        print(f"  {TOOL_NAMES[tool]:<13} {name}: {record['status']} {shown}", file=sys.stderr, flush=True)

    modeltrace_json, pandas_json = out_dir / "modeltrace.json", out_dir / "pandas.json"
    ran = {r["tool"] for r in records if r["status"] == "ok"}
    if {"modeltrace", "pandas"} <= ran and modeltrace_json.exists() and pandas_json.exists():
        for record in records:
            if record["tool"] == "modeltrace":
                record["agreement"] = agreement(modeltrace_json, pandas_json)
    return records


def format_seconds(record: dict) -> str:
    if record["status"] == "ok":
        return f"{record['wall_s']:.2f}"
    if record["status"] == "timeout":
        return record["note"]
    if record["status"] == "skipped":
        guess = record["estimate"]
        return f"skipped (est. ≥ {guess['wall_s'] / 60:.0f} min, ≥ {guess['peak_mb'] / 1024:.0f} GB)"
    if record["status"] == "out of memory":
        return "stopped at the memory cap"
    return record["status"]


def report(info: dict, records: list[dict], args) -> str:
    lines = [f"# Benchmark results {info['date']}", ""]
    lines += [
        f"Machine: {info['nproc']} cores ({info['cpu']}), {info['memory_gb']} GB, {info['os']}; "
        f"load average at start {info['load_average']}, at end {[round(x, 2) for x in os.getloadavg()]}.",
        f"ModelTrace {info['modeltrace']}, node {info['node']}, python {info['python']}; "
        + ", ".join(f"{k} {v}" for k, v in {**info["packages"], **info["node_packages"]}.items()) + ".",
        f"Input: the same {args.format} files for every tool; timeout {args.timeout / 60:.0f} min per tool; "
        f"memory cap {args.memory_cap_mb / 1024:.1f} GB; {args.repeat} run(s) per tool (median wall time); "
        "rows are per period (reference and current each).",
        "",
        "| tool | rows | features | wall s | peak MB | vs ModelTrace |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for record in records:
        modeltrace = next((r for r in records if r["tool"] == "modeltrace" and r["dataset"] == record["dataset"]
                           and r["status"] == "ok"), None)
        if record["status"] == "ok" and modeltrace:
            ratio = record["wall_s"] / modeltrace["wall_s"]
            if record["tool"] == "modeltrace":
                versus = "1.0×"
            else:
                versus = f"{ratio:.1f}× slower" if ratio >= 1 else f"{1 / ratio:.1f}× faster"
        elif record["status"] == "timeout" and modeltrace:
            versus = f"> {args.timeout / modeltrace['wall_s']:.0f}× slower"
        else:
            versus = "–"
        peak = f"{record['peak_mb']:.0f}" if record.get("peak_mb") is not None else "–"
        lines.append(f"| {TOOL_NAMES[record['tool']]} | {label_rows(record['rows'])} | {record['features']} | "
                     f"{format_seconds(record)} | {peak} | {versus} |")
    lines.append("")

    linear = {}
    for record in records:
        if record["tool"] == "modeltrace" and record["status"] == "ok":
            linear.setdefault(record["features"], []).append(
                f"{label_rows(record['rows'])}: {record['wall_s'] / (record['rows'] / 1e6):.2f} s")
    for features, parts in linear.items():
        lines.append(f"Linearity — ModelTrace wall time per 1e6 rows, {features} features: " + ", ".join(parts) + ".")
    if not linear:
        lines.append("Linearity — no ModelTrace run finished.")
    lines.append("")

    lines.append("Details:")
    for record in records:
        name = f"{TOOL_NAMES[record['tool']]} {record['dataset']}"
        if record.get("note"):
            lines.append(f"- {name}: {record['status']} — {record['note']}")
        details = record.get("details") or {}
        if record["tool"] == "pandas" and details:
            lines.append(f"- {name}: read {details['read_s']:.2f} s, compute {details['compute_s']:.2f} s "
                         f"(in-process); drifted {details.get('drifted')}, {details.get('alerts')} alerts.")
        if record["tool"] == "evidently" and details:
            html_mb = (details.get("html_bytes") or 0) / 2**20
            lines.append(f"- {name}: import {details['import_s']:.2f} s, read {details['read_s']:.2f} s, "
                         f"report.run {details['compute_s']:.2f} s (in-process); HTML {html_mb:.1f} MB saved in "
                         f"{details.get('html_s') or 0:.2f} s (excluded from wall s and peak MB; peak with it "
                         f"{details['peak_rss_mb']:.0f} MB).")
        if record.get("agreement"):
            a = record["agreement"]
            worst = a["worst"][0] if a["worst"] else None
            lines.append(f"- ModelTrace vs pandas+scipy {record['dataset']}: {a['compared']} shared numbers, "
                         f"{a['above_1e-9']} differ by > 1e-9 relative, {a['above_1e-6']} by > 1e-6"
                         + (f"; largest: {worst['key']} ({worst['relative']:.2e})" if worst else "")
                         + f"; same alerts: {'yes' if a['same_alerts'] else 'no'}, "
                         f"same drifted features: {'yes' if a['same_drifted'] else 'no'}.")
    lines.append("")
    return "\n".join(lines)


def adjust_evidently(record: dict) -> None:
    """Evidently's wall time excludes its HTML rendering (the report is computed by report.run)."""
    details = record.get("details") or {}
    if record["tool"] == "evidently" and record["status"] == "ok" and details.get("html_s"):
        record["wall_with_html_s"] = record["wall_s"]
        record["wall_s"] = record["wall_s"] - details["html_s"]
        record["peak_mb"] = details.get("peak_rss_before_html_mb", record["peak_mb"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1e5,1e6", help="rows per period, comma-separated (e.g. 1e5,1e6,1e7)")
    parser.add_argument("--features", default="8", help="feature counts, comma-separated (e.g. 8,20)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"subset of {','.join(TOOLS)}")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per tool run (default 30 min)")
    parser.add_argument("--memory-cap-gb", type=float,
                        help=f"stop a tool whose process tree passes this RSS, and skip runs estimated above it "
                             f"(default {MEMORY_SHARE:.0%} of the memory available at start)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool and size; the median is reported")
    parser.add_argument("--format", choices=("arrow", "parquet"), default="arrow", help="input files for every tool")
    parser.add_argument("--no-build", action="store_true", help="skip `npm run build:lib`")
    parser.add_argument("--out", type=Path, help="report path (default benchmarks/results/<date>.md)")
    args = parser.parse_args()
    args.memory_cap_mb = (args.memory_cap_gb * 1024 if args.memory_cap_gb
                          else psutil.virtual_memory().available / 2**20 * MEMORY_SHARE)
    tools = [t for t in args.tools.split(",") if t]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        raise SystemExit(f"--tools: unknown {sorted(unknown)}; choose from {','.join(TOOLS)}")

    if "modeltrace" in tools and not args.no_build:
        build = subprocess.run(["npm", "run", "build:lib"], cwd=ROOT, capture_output=True, text=True)
        if build.returncode != 0:
            print("npm run build:lib reported errors (running what was emitted):\n"
                  + (build.stdout + build.stderr)[-2000:], file=sys.stderr)

    info = machine_info()
    records: list[dict] = []
    work = Path(tempfile.mkdtemp(prefix="modeltrace-bench-"))
    args.cli = snapshot_cli(work) if "modeltrace" in tools and CLI.exists() else CLI
    for features in [int(f) for f in args.features.split(",")]:
        for rows in sorted(parse_sizes(args.sizes)):
            print(f"{dataset_name(rows, features)}:", file=sys.stderr, flush=True)
            dataset_records = run_dataset(rows, features, tools, args, records, work)
            for record in dataset_records:
                adjust_evidently(record)
            records.extend(dataset_records)

    text = report(info, records, args)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    out = args.out or RESULTS / f"{dt.date.today().isoformat()}.md"
    if args.out is None:
        suffix = 2
        while out.exists():
            out = RESULTS / f"{dt.date.today().isoformat()}-{suffix}.md"
            suffix += 1
    out.write_text(text)
    out.with_suffix(".json").write_text(json.dumps({"machine": info, "records": records}, indent=2, default=str))
    print(f"written {out} (outputs of the tools in {work})", file=sys.stderr)


if __name__ == "__main__":
    main()
