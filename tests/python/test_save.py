"""mt.save(): Arrow IPC or Parquet files, with the reference beside the current data."""
import json

import pyarrow as pa
import pyarrow.parquet as parquet
import pytest

import modeltrace as mt
from conftest import binary_frame


def test_save_arrow_with_reference(tmp_path):
    frame = binary_frame()
    trace = mt.trace(frame, reference=frame.iloc[:50], name="val-run")
    written = mt.save(trace, tmp_path / "runs" / "x.arrow")
    assert written == [tmp_path / "runs" / "x.arrow", tmp_path / "runs" / "x.reference.arrow"]
    with pa.ipc.open_file(written[0]) as reader:
        current = reader.read_all()
    with pa.ipc.open_file(written[1]) as reader:
        reference = reader.read_all()
    assert current.equals(trace.current)
    assert reference.num_rows == 50
    metadata = json.loads(current.schema.metadata[b"modeltrace"])
    assert metadata["name"] == "val-run" and metadata["period"] == "current"
    assert metadata["roles"] == trace.roles and metadata["task"] == "binary"
    assert json.loads(reference.schema.metadata[b"modeltrace"])["period"] == "reference"


def test_save_parquet_without_reference(tmp_path):
    trace = mt.trace(binary_frame())
    written = mt.save(trace, str(tmp_path / "x.parquet"))
    assert written == [tmp_path / "x.parquet"]
    table = parquet.read_table(written[0])
    assert table.column("ts").type == pa.timestamp("ms", tz="UTC")
    assert table.column("p").to_pylist() == trace.current.column("p").to_pylist()


def test_save_refuses_unknown_suffix(tmp_path):
    with pytest.raises(mt.TraceError, match=r'cannot save a trace as "x.csv": use a .arrow, .feather or .parquet file name'):
        mt.save(mt.trace(binary_frame()), tmp_path / "x.csv")
