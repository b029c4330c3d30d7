"""The example in docs/trace-format.md is a valid payload that this package would emit."""
import json
import re
from pathlib import Path

import pyarrow as pa

import modeltrace as mt
from conftest import decode

DOC = Path(__file__).resolve().parents[2] / "docs" / "trace-format.md"


def example_payload() -> dict:
    block = re.search(r"```json\n(.*?)\n```", DOC.read_text(), re.S).group(1)
    return json.loads(block)


def test_example_decodes_to_the_documented_table():
    payload = example_payload()
    table = decode(payload["current"])
    assert table.column_names == ["y", "y_hat", "p", "ts", "debt_ratio", "region"]
    assert table.schema.field("ts").type == pa.timestamp("ms", tz="UTC")
    assert table.column("p").to_pylist() == [0.91, 0.12, 0.47]
    assert table.column("region").to_pylist() == ["north", "south", "north"]
    assert payload["current"]["rows"] == 3


def test_example_matches_what_the_package_emits():
    payload = example_payload()
    rows = decode(payload["current"]).to_pylist()
    for row in rows:
        row["ts"] = row["ts"].isoformat().replace("+00:00", "Z")
    trace = mt.trace(
        rows, label="y", prediction="y_hat", score="p", features=["debt_ratio"], slices=["region"], name="val-run"
    )
    emitted = trace._repr_mimebundle_()["application/vnd.modeltrace.v1+json"]
    for key in ("version", "name", "roles", "task", "inferred", "warnings", "positive_label"):
        assert emitted[key] == payload[key], key
    assert list(emitted) == list(payload)
    assert decode(emitted["current"]).equals(decode(payload["current"]))
    assert repr(trace) in DOC.read_text()
