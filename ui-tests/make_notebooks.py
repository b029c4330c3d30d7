"""Generate the notebooks the UI tests open: saved traces made by the real emitter, and malformed payloads.

Run: .venv/bin/python ui-tests/make_notebooks.py  (writes ui-tests/notebooks/generated/, git-ignored)
"""
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd

import modeltrace as mt

OUT = Path(__file__).parent / "notebooks" / "generated"
MIME = "application/vnd.modeltrace.v1+json"


def frame(rows: int, seed: int, shift: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    income = rng.lognormal(10 + shift, 0.5, rows)
    debt_ratio = rng.beta(2, 5, rows) + shift / 4
    region = rng.choice(["north", "south", "east", "west"], rows)
    logit = 1.5 - 3 * debt_ratio + (income > 30000) * 0.5
    y = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int)
    p = 1 / (1 + np.exp(-(logit + rng.normal(0, 0.8, rows))))
    return pd.DataFrame(
        {
            "income": income,
            "debt_ratio": debt_ratio,
            "region": region,
            "y": y,
            "p": p,
            "y_hat": (p >= 0.5).astype(int),
            "ts": pd.date_range("2026-03-01", periods=rows, freq="min", tz="UTC"),
        }
    )


def trace_output(trace: "mt.Trace") -> nbformat.NotebookNode:
    bundle = trace._repr_mimebundle_()
    return nbformat.v4.new_output("execute_result", data=bundle, execution_count=1)


def notebook(cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = cells
    return nb


def code_cell(source: str, outputs) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, execution_count=1)
    cell.outputs = outputs
    return cell


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    reference, current = frame(2000, 1), frame(2000, 2, shift=0.4)
    run = mt.trace(current, reference=reference, label="y", prediction="y_hat", score="p", timestamp="ts",
                   features=["income", "debt_ratio", "region"], slices=["region"], name="saved-run")
    nbformat.write(notebook([code_cell("mt.trace(current, reference=reference, name='saved-run')", [trace_output(run)])]),
                   OUT / "saved-trace.ipynb")

    baseline = mt.trace(reference, label="y", prediction="y_hat", score="p", name="baseline-run")
    candidate = mt.trace(current, reference=reference, label="y", prediction="y_hat", score="p", name="candidate-run")
    nbformat.write(notebook([code_cell("mt.trace(reference, name='baseline-run')", [trace_output(baseline)]),
                             code_cell("mt.trace(current, reference=reference, name='candidate-run')",
                                       [trace_output(candidate)])]),
                   OUT / "two-traces.ipynb")

    # two models scored on the same rows (shared ids): model-b is worse on the "north" region
    rows = current.assign(id=[f"r{i}" for i in range(len(current))])
    broken = (rows["region"] == "north") & (np.arange(len(rows)) % 2 == 0)
    model_b = rows.assign(y_hat=np.where(broken, 1 - rows["y"], rows["y_hat"]))
    roles = dict(label="y", prediction="y_hat", score="p", timestamp="ts", id="id",
                 features=["income", "debt_ratio", "region"], slices=["region"])
    model_a_run = mt.trace(rows, reference=reference.assign(id=[f"s{i}" for i in range(len(reference))]),
                           name="model-a", **roles)
    model_b_run = mt.trace(model_b, reference=reference.assign(id=[f"s{i}" for i in range(len(reference))]),
                           name="model-b", **roles)
    nbformat.write(notebook([code_cell("mt.trace(rows, reference=reference, name='model-a')", [trace_output(model_a_run)]),
                             code_cell("mt.trace(model_b, reference=reference, name='model-b')",
                                       [trace_output(model_b_run)])]),
                   OUT / "two-models.ipynb")

    # a regression run with a latency column: residuals, predicted-vs-actual and latency percentiles
    def regression(rows: int, seed: int, shift: float) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        x = rng.normal(shift, 1, rows)
        target = 3 * x + rng.normal(0, 1, rows)
        return pd.DataFrame({"x": x, "target": target, "predicted": 3 * x + shift * (x > 0.5),
                             "latency_ms": rng.gamma(2, 15, rows) * (1 + shift),
                             "ts": pd.date_range("2026-03-01", periods=rows, freq="min", tz="UTC")})
    regression_run = mt.trace(regression(3000, 5, 0.8), reference=regression(3000, 6, 0.0), label="target",
                              prediction="predicted", timestamp="ts", latency="latency_ms", features=["x"],
                              task="regression", name="regression-run")
    nbformat.write(notebook([code_cell("mt.trace(current, reference=reference, task='regression', name='regression-run')",
                                       [trace_output(regression_run)])]), OUT / "regression-trace.ipynb")

    # hostile strings in every place a trace carries text: the trace name, feature names, slice values
    hostile = frame(2000, 2, shift=0.4).rename(columns={"income": "<img src=x onerror=alert(1)>"})
    hostile["region"] = np.where(hostile["region"] == "north", "<script>alert(2)</script>", hostile["region"])
    hostile_reference = frame(2000, 1).rename(columns={"income": "<img src=x onerror=alert(1)>"})
    hostile_run = mt.trace(hostile, reference=hostile_reference, label="y", prediction="y_hat", score="p", timestamp="ts",
                           features=["<img src=x onerror=alert(1)>", "debt_ratio", "region"], slices=["region"],
                           name="<b onmouseover=alert(3)>run</b>")
    nbformat.write(notebook([code_cell("mt.trace(hostile, ...)", [trace_output(hostile_run)])]), OUT / "hostile-trace.ipynb")

    # a trace embedding about 3 MB of Arrow (under the default 8 MB limit), for the embed-size limit setting
    wide = frame(60_000, 6)
    wide_run = mt.trace(wide, label="y", prediction="y_hat", score="p", features=["income", "debt_ratio", "region"],
                        name="wide-run")
    nbformat.write(notebook([code_cell("mt.trace(wide, name='wide-run')", [trace_output(wide_run)])]),
                   OUT / "embedded-3mb.ipynb")

    # fifty traces in one notebook
    small = frame(300, 4)
    cells = [code_cell(f"mt.trace(small, name='run-{i}')",
                       [trace_output(mt.trace(small.sample(frac=1, random_state=i), label="y", prediction="y_hat",
                                              score="p", features=["income", "region"], name=f"run-{i}"))])
             for i in range(50)]
    nbformat.write(notebook(cells), OUT / "fifty-traces.ipynb")

    good = run._repr_mimebundle_()[MIME]
    wrong_version = {**good, "version": 7}
    bad_base64 = {**good, "current": {"format": "arrow-ipc-base64", "data": "%%% not base64 %%%"}}
    bad_roles = {**good, "roles": ["y"]}
    outputs = [
        nbformat.v4.new_output("display_data", data={MIME: body, "text/plain": "a broken trace"})
        for body in (wrong_version, bad_base64, bad_roles)
    ]
    nbformat.write(notebook([code_cell("# outputs edited by hand", outputs)]), OUT / "malformed.ipynb")

    # a large trace as a saved notebook keeps it: only a reference to data held by a kernel that is gone now
    mt.config.embed_limit_mb = 0.01
    large = trace_output(run)
    mt.config.embed_limit_mb = None
    assert large.data[MIME]["current"]["format"] == "kernel-comm"
    saved = notebook([code_cell("mt.trace(current, reference=reference, name='saved-run')", [large])])
    nbformat.write(saved, OUT / "kernel-held-trace.ipynb")
    del saved.metadata["kernelspec"]
    nbformat.write(saved, OUT / "kernel-held-trace-no-kernelspec.ipynb")


if __name__ == "__main__":
    main()
