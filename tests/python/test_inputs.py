"""Every accepted input type gives the same trace; conversion keeps values, nulls and simple wire types."""
import datetime as dt

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import modeltrace as mt
from conftest import binary_frame, body, decode

WIRE_TYPES = {pa.int32(), pa.int64(), pa.float64(), pa.bool_(), pa.string(), pa.timestamp("ms", tz="UTC")}
ROLES = dict(label="y", prediction="y_hat", score="p", timestamp="ts", features=["income", "debt_ratio"], slices=["region"])


def as_inputs(frame: pd.DataFrame) -> dict:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    records = frame.to_dict("records")
    return {
        "pandas": frame,
        "polars": pl.from_pandas(frame),
        "arrow-table": table,
        "arrow-batch": table.to_batches()[0],
        "records": records,
        "columns": {name: frame[name].tolist() for name in frame.columns},
        "numpy-columns": {name: frame[name].to_numpy() for name in frame.columns},
    }


@pytest.mark.parametrize("kind", list(as_inputs(binary_frame(5))))
def test_every_input_type_gives_the_same_wire_data(kind):
    frame = binary_frame(50)
    expected = mt.trace(frame, **ROLES).current
    data = as_inputs(frame)[kind]
    trace = mt.trace(data, reference=data, **ROLES)
    decoded = decode(body(trace)["current"])
    assert decoded.column_names == ["y", "y_hat", "p", "ts", "income", "debt_ratio", "region"]
    assert {field.type for field in decoded.schema} <= WIRE_TYPES
    for name in decoded.column_names:
        assert decoded.column(name).to_pylist() == expected.column(name).to_pylist(), name
    assert trace.task == "binary"


def test_pandas_index_is_dropped():
    frame = binary_frame(20).set_index("region")
    frame.index = frame.index + "-row"
    trace = mt.trace(frame, features=["income"])
    assert "region" not in decode(body(trace)["current"]).column_names
    assert "__index_level_0__" not in trace.current.column_names


def test_pandas_categorical_becomes_text():
    frame = binary_frame(20)
    frame["region"] = frame["region"].astype("category")
    frame["grade"] = pd.Categorical([1, 2] * 10)
    trace = mt.trace(frame, features=["income", "grade"], slices=["region"])
    decoded = decode(body(trace)["current"])
    assert decoded.schema.field("region").type == pa.string()
    assert decoded.schema.field("grade").type == pa.string()
    assert decoded.column("region").to_pylist() == frame["region"].astype(str).tolist()
    assert decoded.column("grade").to_pylist()[:2] == ["1", "2"]


def test_polars_categorical_and_strings_are_plain_utf8():
    frame = pl.DataFrame(
        {"y": [0, 1, 1, 0], "y_hat": [0, 1, 0, 0], "city": pl.Series(["a", "b", "a", "c"], dtype=pl.Categorical)}
    )
    decoded = decode(body(mt.trace(frame))["current"])
    assert decoded.schema.field("city").type == pa.string()
    assert decoded.column("city").to_pylist() == ["a", "b", "a", "c"]


def test_pandas_nullable_dtypes_keep_their_nulls():
    frame = pd.DataFrame(
        {
            "y": pd.array([1, 0, 1, 0], dtype="Int64"),
            "y_hat": pd.array([1, 0, None, 0], dtype="Int64"),
            "flag": pd.array([True, None, False, True], dtype="boolean"),
            "name": pd.array(["a", None, "c", "d"], dtype="string"),
            "amount": pd.array([1.5, None, 2.5, 3.0], dtype="Float64"),
            "plain": [1.0, np.nan, 3.0, 4.0],
        }
    )
    decoded = decode(body(mt.trace(frame))["current"])
    assert decoded.column("y_hat").to_pylist() == [1, 0, None, 0]
    assert decoded.column("flag").to_pylist() == [True, None, False, True]
    assert decoded.column("name").to_pylist() == ["a", None, "c", "d"]
    assert decoded.column("amount").to_pylist() == [1.5, None, 2.5, 3.0]
    assert decoded.column("plain").to_pylist() == [1.0, None, 3.0, 4.0]
    assert decoded.schema.field("flag").type == pa.bool_()


def test_numeric_types_are_narrowed_to_the_wire_subset():
    table = pa.table(
        {
            "y": pa.array([0, 1, 1], pa.int8()),
            "y_hat": pa.array([0, 1, 0], pa.uint16()),
            "big": pa.array([1, 2, 2**64 - 1], pa.uint64()),
            "count": pa.array([1, 2, 3], pa.uint32()),
            "ratio": pa.array([0.5, 0.25, 1.0], pa.float32()),
            "money": pa.array([1, 2, 3], pa.decimal128(10, 2)),
            "wait": pa.array([1_500_000, 2_000_000, 0], pa.duration("us")),
            "nothing": pa.nulls(3),
            "name": pa.array(["a", "b", "c"], pa.large_string()),
        }
    )
    schema = mt.trace(table).current.schema
    assert schema.field("y").type == pa.int32()
    assert schema.field("y_hat").type == pa.int32()
    assert schema.field("big").type == pa.float64()
    assert schema.field("count").type == pa.int64()
    assert schema.field("ratio").type == pa.float64()
    assert schema.field("money").type == pa.float64()
    assert schema.field("name").type == pa.string()
    assert schema.field("nothing").type == pa.float64()
    assert mt.trace(table).current.column("wait").to_pylist() == [1500.0, 2000.0, 0.0]


def test_timestamps_become_utc_milliseconds():
    paris = pd.Series(pd.date_range("2024-03-01 12:00", periods=3, freq="D", tz="Europe/Paris"))
    frame = pd.DataFrame({"y": [1, 0, 1], "y_hat": [1, 1, 1], "ts": paris, "day": [dt.date(2024, 1, d) for d in (1, 2, 3)]})
    trace = mt.trace(frame, features=["day"])
    decoded = decode(body(trace)["current"])
    assert decoded.schema.field("ts").type == pa.timestamp("ms", tz="UTC")
    assert decoded.column("ts")[0].as_py() == dt.datetime(2024, 3, 1, 11, 0, tzinfo=dt.timezone.utc)
    assert decoded.schema.field("day").type == pa.timestamp("ms", tz="UTC")


@pytest.mark.parametrize(
    "values, expected_hour",
    [
        (["2024-01-01T05:00:00", "2024-01-02T05:00:00"], 5),
        (["2024-01-01T05:00:00Z", "2024-01-02T05:00:00Z"], 5),
        (["2024-01-01T07:00:00+02:00", "2024-01-02T05:00:00Z"], 5),
        (["2024-01-01 05:00", "2024-01-02T05:00:00.123456789"], 5),
    ],
)
def test_iso_text_timestamps_are_parsed(values, expected_hour):
    trace = mt.trace({"y": [0, 1], "y_hat": [0, 1], "ts": values})
    assert trace.current.column("ts")[0].as_py().hour == expected_hour
    assert trace.current.schema.field("ts").type == pa.timestamp("ms", tz="UTC")


def test_mixed_types_are_read_as_text_with_a_warning():
    rows = [{"y": 1, "y_hat": 1, "code": 7}, {"y": 0, "y_hat": 0, "code": "A7"}, {"y": 1, "y_hat": 0}]
    trace = mt.trace(rows)
    assert trace.current.column("code").to_pylist() == ["7", "A7", None]
    assert any('column "code" in data mixes value types (int, str)' in warning for warning in trace.warnings)
    assert "mixes value types" in repr(trace)


def test_pandas_object_column_with_mixed_types():
    frame = pd.DataFrame({"y": [1, 0, 1], "y_hat": [1, 0, 0], "zip": [75001, "SW1A", None]})
    trace = mt.trace(frame)
    assert trace.current.column("zip").to_pylist() == ["75001", "SW1A", None]


def test_records_with_keys_missing_in_some_rows():
    rows = [{"y": 1, "y_hat": 1}, {"y": 0, "y_hat": 0, "extra": 2.5}]
    trace = mt.trace(rows)
    assert trace.current.column("extra").to_pylist() == [None, 2.5]


def test_only_role_columns_travel():
    frame = binary_frame(30)
    frame["unused"] = 1
    trace = mt.trace(frame, features=["income"], slices=["region"])
    assert trace.current.column_names == ["y", "y_hat", "p", "ts", "income", "region"]


def test_nested_feature_columns_are_left_out_when_features_are_inferred():
    table = pa.table({"y": [0, 1], "y_hat": [0, 1], "embedding": [[0.1, 0.2], [0.3, 0.4]], "age": [30, 40]})
    trace = mt.trace(table)
    assert trace.roles["features"] == ["age"]
    assert any('"embedding" (list<item: double>) is left out of the features' in w for w in trace.warnings)
