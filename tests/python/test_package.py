"""The package surface: imports, version, labextension paths, and display through IPython and nbconvert."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import modeltrace as mt
from conftest import MIME_TYPE, binary_frame

REPO = Path(__file__).resolve().parents[2]


def test_public_api():
    assert isinstance(mt.__version__, str) and mt.__version__
    assert mt._jupyter_labextension_paths() == [{"src": "labextension", "dest": "modeltrace"}]
    assert issubclass(mt.TraceError, ValueError)
    assert callable(mt.trace) and callable(mt.save) and isinstance(mt.trace(binary_frame()), mt.Trace)


def test_import_needs_only_numpy_and_pyarrow():
    code = "import sys, modeltrace; print(sorted({'pandas', 'polars', 'sklearn'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.stdout.strip() == "[]", result.stderr


def test_ipython_displays_the_bundle():
    formatters = pytest.importorskip("IPython.core.formatters")
    data, _ = formatters.DisplayFormatter().format(mt.trace(binary_frame(), name="shown"))
    assert set(data) >= {MIME_TYPE, "text/plain"}
    assert data[MIME_TYPE]["name"] == "shown"
    assert data["text/plain"].startswith('ModelTrace trace "shown"')


def test_an_executed_notebook_keeps_the_card_and_the_summary(monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(
            "import modeltrace as mt\n"
            "rows = [{'y': i % 2, 'y_hat': (i // 2) % 2, 'p': (i % 10) / 10, 'x': i} for i in range(40)]\n"
            "mt.trace(rows, name='nb-run')"
        )]
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    try:
        nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    except Exception as error:  # no usable kernel on this machine
        pytest.skip(f"cannot run a kernel: {error}")
    output = notebook.cells[0].outputs[0]
    assert output["output_type"] == "execute_result"
    assert output["data"][MIME_TYPE]["name"] == "nb-run"
    assert output["data"][MIME_TYPE]["current"]["rows"] == 40
    assert 'ModelTrace trace "nb-run": binary classification' in output["data"]["text/plain"]
