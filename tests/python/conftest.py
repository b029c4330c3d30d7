"""Shared helpers: seeded example frames (generated here, not pasted) and decoding of the MIME bundle."""
import base64

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis.configuration import set_hypothesis_home_dir

import modeltrace as mt

MIME_TYPE = "application/vnd.modeltrace.v1+json"
REPO = Path(__file__).resolve().parents[2]

# hypothesis keeps its examples under the (git-ignored) pytest cache, not in a .hypothesis folder at the top
set_hypothesis_home_dir(str(REPO / ".pytest_cache" / "hypothesis"))


def binary_frame(rows=200, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    score = rng.random(rows)
    label = (rng.random(rows) < score).astype(int)
    return pd.DataFrame(
        {
            "y": label,
            "y_hat": (score >= 0.5).astype(int),
            "p": score,
            "ts": pd.date_range("2024-01-01", periods=rows, freq="h"),
            "income": rng.normal(50_000, 10_000, rows),
            "debt_ratio": rng.random(rows),
            "region": rng.choice(["north", "south", "east"], rows),
        }
    )


def body(trace) -> dict:
    return trace._repr_mimebundle_()[MIME_TYPE]


def decode(data: dict) -> pa.Table:
    """A DATA block of format arrow-ipc-base64 back to a table, as a reader in another language would."""
    assert data["format"] == "arrow-ipc-base64"
    raw = base64.b64decode(data["data"])
    assert len(raw) == data["bytes"]
    return pa.ipc.open_stream(raw).read_all()


@pytest.fixture(autouse=True)
def default_config(monkeypatch):
    """Every test starts from the default embed limit and comm chunk size."""
    monkeypatch.delenv("MODELTRACE_EMBED_LIMIT_MB", raising=False)
    monkeypatch.delenv("MODELTRACE_COMM_CHUNK_MB", raising=False)
    mt.config.embed_limit_mb = None
    mt.config.comm_chunk_mb = None
    yield
    mt.config.embed_limit_mb = None
    mt.config.comm_chunk_mb = None
