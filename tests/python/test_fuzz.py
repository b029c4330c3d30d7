"""Random frames and random roles give either a valid bundle or a TraceError, never another exception."""
import datetime as dt
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import pandas as hpd

import modeltrace as mt
from conftest import MIME_TYPE, decode

# numpy must stay quiet too: a RuntimeWarning in the output of a cell is a bug
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

NAMES = ["y", "y_hat", "p", "ts", "label", "score", "x", "region", "Time", "id", "model", "latency_ms", "z"]
WIRE_TYPES = {pa.int32(), pa.int64(), pa.float64(), pa.bool_(), pa.string(), pa.timestamp("ms", tz="UTC")}

floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
cell = st.one_of(
    st.none(), st.integers(-5, 5), st.floats(0, 1), floats, st.booleans(), st.sampled_from(["a", "b", "2024-01-01", "x y", ""]),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)
column_values = st.one_of(
    st.lists(st.integers(0, 1), min_size=1, max_size=12),
    st.lists(st.integers(-1000, 1000), min_size=1, max_size=12),
    st.lists(st.floats(0, 1), min_size=1, max_size=12),
    st.lists(floats, min_size=1, max_size=12),
    st.lists(st.sampled_from(["cat", "dog", "bird", None]), min_size=1, max_size=12),
    st.lists(st.sampled_from(["2024-01-01", "2024-02-30", "2024-03-01T10:00:00Z", None]), min_size=1, max_size=12),
    st.lists(cell, min_size=1, max_size=12),
)


@st.composite
def columns(draw):
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True))
    rows = draw(st.integers(0, 12))
    data = {}
    for name in names:
        values = draw(column_values)
        data[name] = (values * (rows // len(values) + 1))[:rows]
    return data


@st.composite
def roles(draw, names):
    pick = st.one_of(st.none(), st.sampled_from(names + ["missing"]))
    chosen = {role: draw(pick) for role in ("label", "prediction", "score", "timestamp", "latency")}
    if draw(st.booleans()):
        chosen["features"] = draw(st.lists(st.sampled_from(names), max_size=3))
    if draw(st.booleans()):
        chosen["slices"] = draw(st.lists(st.sampled_from(names), max_size=2))
    chosen["task"] = draw(st.sampled_from([None, None, "binary", "multiclass", "regression"]))
    return {role: value for role, value in chosen.items() if value is not None}


OUTCOMES = {"bundle": 0, "error": 0}


def assert_valid_or_trace_error(data, reference, given_roles):
    try:
        trace = mt.trace(data, reference=reference, **given_roles)
    except mt.TraceError:
        OUTCOMES["error"] += 1
        return
    OUTCOMES["bundle"] += 1
    bundle = trace._repr_mimebundle_()
    payload = bundle[MIME_TYPE]
    json.dumps(payload, allow_nan=False)
    assert payload["task"] in ("binary", "multiclass", "regression", None)
    for period, table in (("current", trace.current), ("reference", trace.reference)):
        if table is None:
            assert payload[period] is None
            continue
        decoded = decode(payload[period])
        assert decoded.num_rows == payload[period]["rows"] == table.num_rows
        assert {field.type for field in decoded.schema} <= WIRE_TYPES
        assert decoded.equals(table)
    assert isinstance(bundle["text/plain"], str) and "\n" not in bundle["text/plain"]


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_dicts_of_lists_and_records(data):
    current = data.draw(columns())
    reference = data.draw(st.one_of(st.none(), columns()))
    given_roles = data.draw(roles(list(current) or ["y"]))
    as_records = data.draw(st.booleans())
    if as_records:
        rows = len(next(iter(current.values()), []))
        current = [{name: values[i] for name, values in current.items()} for i in range(rows)]
    assert_valid_or_trace_error(current, reference, given_roles)


frames = hpd.data_frames(
    columns=hpd.columns(
        ["y", "y_hat", "p", "x", "region"],
        elements=st.one_of(st.integers(0, 3), st.floats(0, 1), st.floats(allow_nan=True), st.sampled_from(["a", "b"])),
    ),
    index=hpd.range_indexes(min_size=0, max_size=15),
)
typed_frames = hpd.data_frames(
    columns=[
        hpd.column("y", dtype=np.int64, elements=st.integers(0, 2)),
        hpd.column("p", dtype=np.float64),
        hpd.column("ts", dtype="datetime64[ns]"),
        hpd.column("region", elements=st.sampled_from(["n", "s", "e"])),
        hpd.column("flag", dtype=bool),
    ],
    index=hpd.range_indexes(min_size=0, max_size=15),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(current=st.one_of(frames, typed_frames), reference=st.one_of(st.none(), frames, typed_frames), kind=st.sampled_from(["pandas", "arrow"]))
def test_random_pandas_frames(current, reference, kind):
    def convert(frame):
        if frame is None or kind == "pandas":
            return frame
        try:
            return pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return frame

    assert_valid_or_trace_error(convert(current), convert(reference), {})
    assert_valid_or_trace_error(convert(current), convert(reference), {"label": "y", "score": "p"})


def test_regression_cases_found_by_fuzzing():
    assert_valid_or_trace_error({"y": [float("nan")] * 3, "y_hat": [1, 2, 3]}, None, {})
    assert_valid_or_trace_error(pd.DataFrame({"y": [None, None], "p": [0.5, 0.5]}), None, {"task": "binary"})


def test_fuzzing_reaches_both_outcomes():
    if not sum(OUTCOMES.values()):
        pytest.skip("counts the outcomes of the fuzz tests above; run the whole module")
    assert OUTCOMES["bundle"] > 20 and OUTCOMES["error"] > 20, OUTCOMES
