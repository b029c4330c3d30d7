"""The bundle decodes in the browser's decoder (arquero over @uwdata/flechette, run in Node) to the same values."""
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import modeltrace as mt
from conftest import body

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE.parents[1] / "node_modules"


@pytest.mark.skipif(shutil.which("node") is None or not (NODE_MODULES / "arquero").is_dir(), reason="needs node and npm install")
def test_arquero_reads_every_wire_type(tmp_path):
    frame = pd.DataFrame(
        {
            "y": [1, 0, 1],
            "y_hat": pd.array([1, None, 0], dtype="Int64"),
            "p": [0.91, 0.12, 0.47],
            "ts": pd.to_datetime(["2024-05-01T12:00:00Z", "2024-05-01T12:05:00Z", "2024-05-01T12:10:00Z"]),
            "debt_ratio": [0.31, np.nan, 0.77],
            "region": pd.Categorical(["north", "south", "north"]),
            "ok": pd.array([True, False, None], dtype="boolean"),
            "small": np.array([1, 2, 3], dtype=np.int16),
        }
    )
    payload_file = tmp_path / "payload.json"
    payload_file.write_text(json.dumps(body(mt.trace(frame, reference=frame.iloc[:2]))))
    result = subprocess.run(
        ["node", str(HERE / "decode_with_arquero.mjs"), str(payload_file)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    decoded = json.loads(result.stdout)
    assert decoded["current"] == [
        {"y": 1, "y_hat": 1, "p": 0.91, "ts": "2024-05-01T12:00:00.000Z", "debt_ratio": 0.31, "region": "north", "ok": True, "small": 1},
        {"y": 0, "y_hat": None, "p": 0.12, "ts": "2024-05-01T12:05:00.000Z", "debt_ratio": None, "region": "south", "ok": False, "small": 2},
        {"y": 1, "y_hat": 0, "p": 0.47, "ts": "2024-05-01T12:10:00.000Z", "debt_ratio": 0.77, "region": "north", "ok": None, "small": 3},
    ]
    assert decoded["reference"] == decoded["current"][:2]
