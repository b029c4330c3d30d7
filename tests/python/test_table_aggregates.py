"""Aggregates of rows in memory (`table_aggregates`, numpy): on the same tables, exactly DuckDB's pushdown aggregates
(`_pushdown.aggregates`) with "engine" "kernel", or None where pushdown refuses the trace."""
import json
import warnings
from types import SimpleNamespace

import duckdb
import numpy as np
import pyarrow as pa
import pytest

import modeltrace as mt
from modeltrace import _table_aggregates
from modeltrace._pushdown import aggregates
from modeltrace._table_aggregates import GRID_CELLS, _dense_groups, _reference_shape, table_aggregates

# above GRID_CELLS, so that the reference quantiles come from the grid, not from a full sort
ROWS = 70_000
DAY = 86_400_000
BINARY = dict(label="y", prediction="y_hat", score="p", timestamp="ts", features=["x", "z", "k", "c", "flag"],
              slices=["region", "channel", "tier"], model_version="version")


def binary_period(seed: int, current: bool, rows: int = ROWS, in_time_order: bool = True) -> pa.Table:
    """One period in two record batches: a float feature with NaN and nulls (shifted, with values beyond the
    reference range, in the current period), an integer feature with nulls, a small-range integer feature, a text
    feature with nulls (a value unseen in the reference), a boolean feature with nulls; slices of text, booleans and
    floats (with NaN and nulls), an integer model version; a binary label, prediction and score."""
    rng = np.random.default_rng(seed)
    p = rng.random(rows)
    x = rng.gamma(2.0, 1.5, rows) + (0.4 if current else 0.0)
    x[rng.random(rows) < 0.01] = np.nan
    if current:
        x[:50], x[50:60] = -3.0, 99.0
    c = rng.choice(np.array(["a", "b", "c", "d"] if current else ["a", "b", "c"]), rows).astype(object)
    c[rng.random(rows) < 0.02] = None
    milliseconds = rng.integers(0, 30 * DAY, rows) + (30 * DAY if current else 0)
    if in_time_order:
        milliseconds.sort()
    tier = rng.choice(np.array([1.0, 2.5, np.nan]), rows)
    table = pa.table({
        "ts": pa.array(milliseconds, type=pa.int64()).cast(pa.timestamp("ms", tz="UTC")),
        "x": pa.array(x, mask=rng.random(rows) < 0.01),
        "z": pa.array(rng.normal(50, 10, rows).round().astype(np.int64), mask=rng.random(rows) < 0.03),
        "k": pa.array(rng.integers(0, 16, rows).astype(np.int32)),
        "c": pa.array(c, type=pa.string()),
        "flag": pa.array(rng.random(rows) < 0.4, mask=rng.random(rows) < 0.05),
        "region": rng.choice(np.array(["north", "south", "east"]), rows),
        "channel": rng.random(rows) < 0.3,
        "tier": pa.array(tier, mask=rng.random(rows) < 0.01),
        "version": rng.choice(np.array([3, 4]), rows),
        "y": (rng.random(rows) < p).astype(np.int64),
        "y_hat": (rng.random(rows) < 0.5).astype(np.int64),
        "p": p,
    })
    half = rows // 2
    return pa.concat_tables([table.slice(0, half), table.slice(half)])


def regression_period(seed: int, current: bool, rows: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    x = rng.normal(0.3 if current else 0.0, 1.0, rows)
    y = 3.0 * x + rng.normal(0, 1, rows) + 100.0
    return pa.table({
        "ts": pa.array(np.datetime64("2024-03-01", "ms") + rng.integers(0, 7 * DAY, rows).astype("timedelta64[ms]")),
        "x": x,
        "segment": rng.choice(np.array(["retail", "pro"]), rows),
        "y": y,
        "y_hat": 3.0 * x + rng.normal(0, 0.5, rows) + 100.0,
    })


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch):
    """Blocks of 5,000 rows, so that every test counts groups over several blocks, split anywhere (record batches,
    chunks)."""
    monkeypatch.setattr(_table_aggregates, "BLOCK_ROWS", 5000)


def make_trace(current: pa.Table, reference, **roles):
    return mt.trace(current, reference=reference, **roles)


def kernel(trace, chunk_count: int = 10):
    """table_aggregates, which must warn of nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return table_aggregates(trace, chunk_count)


def duckdb_aggregates(trace, chunk_count: int = 10) -> dict:
    """DuckDB's aggregates of the trace's own tables, as the kernel's ("engine" "kernel")."""
    connection = duckdb.connect()
    summary = aggregates(
        connection.from_arrow(trace.current), connection.from_arrow(trace.reference), roles=trace.roles,
        task=trace.task, positive_label=trace.positive_label, chunk_count=chunk_count, inferred=trace.inferred,
    )
    summary["engine"] = "kernel"
    return summary


def assert_same(actual, expected, where: str = "aggregates") -> None:
    """Equal key for key and in the same order; integers, texts, None and booleans identical (in type too), floats
    within 1e-12 relative (sums add in another order)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and list(actual) == list(expected), where
        for key in expected:
            assert_same(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {len(actual)} != {len(expected)}"
        for index, (left, right) in enumerate(zip(actual, expected)):
            assert_same(left, right, f"{where}[{index}]")
    elif isinstance(expected, float):
        assert isinstance(actual, float) and actual == pytest.approx(expected, rel=1e-12, abs=1e-12), where
    else:
        assert type(actual) is type(expected) and actual == expected, where


def assert_as_duckdb(trace, chunk_count: int = 10) -> dict:
    found = kernel(trace, chunk_count)
    assert found is not None
    assert json.loads(json.dumps(found, allow_nan=False)) == found
    expected = duckdb_aggregates(trace, chunk_count)
    if expected["task"] == "regression":
        recenter(expected, found["center"])
    assert_same(found, expected)
    return found


def recenter(summary: dict, center: float) -> None:
    """Move the centered label sums Σ(y − c) of the "cells" onto another center. DuckDB's mean label is a plain sum
    in its threads' order, numpy's a pairwise one: their last bits can differ, and with them these sums, by the
    rows times the difference (far more than 1e-12 of a sum near 0; the squares' sums move much less)."""
    shift = summary["center"] - center
    position = 3 + summary["sums"].index("y")  # after chunk, cell and count
    for period in ("reference", "current"):
        for row in summary[period]["cells"]:
            row[position] += row[2] * shift


def assert_refused(trace, chunk_count: int = 10) -> None:
    """None here, and a TraceError from DuckDB's pushdown on the same tables."""
    assert kernel(trace, chunk_count) is None
    if trace.reference is not None:
        with pytest.raises(mt.TraceError):
            duckdb_aggregates(trace, chunk_count)


@pytest.fixture(scope="module")
def binary():
    """Reference in time order, current not (both ways of chunking)."""
    return make_trace(binary_period(2, True, in_time_order=False), binary_period(1, False), **BINARY)


# the same aggregates as DuckDB


def test_binary_with_score_and_prediction(binary):
    found = assert_as_duckdb(binary)
    assert found["engine"] == "kernel" and found["predicted_by"] == "prediction"
    assert list(found["features"]) == ["x", "z", "k", "c", "flag"]
    assert found["slices"] == ["region", "channel", "tier", "version"]
    assert set(found["current"]["crosses"]) == {"x", "z", "k", "c", "flag"}
    values = {tuple(row[1:5]) for row in found["current"]["cube"]}
    assert ("east", "false", "nan", "3") in values and ("south", "true", None, "4") in values
    assert {row[1] for row in found["current"]["features"]["flag"]["bins"]} == {"false", "true", None}


def test_large_key_spaces_counted_by_distinct_keys_and_on_one_thread(binary, monkeypatch):
    """Key spaces above DENSE_SPACE: each block's distinct keys, merged; the features' bins and chunks apart."""
    monkeypatch.setattr(_table_aggregates, "DENSE_SPACE", 2000)
    monkeypatch.setattr(_table_aggregates, "WORKERS", 1)
    assert_as_duckdb(binary, chunk_count=30)


def test_binary_with_score_only(binary):
    roles = {**BINARY, "prediction": None}
    trace = make_trace(binary.current.drop_columns(["y_hat"]), binary.reference.drop_columns(["y_hat"]), **roles)
    assert assert_as_duckdb(trace)["predicted_by"] == "score"


def test_binary_with_prediction_only_in_chunks_that_do_not_divide_the_rows():
    roles = {**BINARY, "score": None}
    trace = make_trace(binary_period(4, True, 3001, False).drop_columns(["p"]),
                       binary_period(3, False, 2999).drop_columns(["p"]), **roles)
    found = assert_as_duckdb(trace, chunk_count=7)
    assert found["current"]["scores"] == [] and found["current"]["calibration"] == []
    assert [chunk["rows"] for chunk in found["current"]["chunks"]] == [428] * 6 + [3001 - 6 * 428]


def test_text_labels_with_a_positive_label_that_is_not_the_default():
    rng = np.random.default_rng(5)

    def period(rows):
        return pa.table({
            "outcome": rng.choice(np.array(["churn", "stay"]), rows),
            "guess": rng.choice(np.array(["churn", "stay"]), rows),
            "p": rng.random(rows),
            "x": rng.normal(0, 1, rows),
        })

    trace = make_trace(period(14_000), period(13_000), label="outcome", prediction="guess", score="p",
                       features=["x"], positive_label="stay")
    found = assert_as_duckdb(trace)
    assert found["positive_label"] == "stay" and found["chunk_count"] == 1


def test_boolean_labels():
    rng = np.random.default_rng(6)

    def period(rows):
        return pa.table({"y": rng.random(rows) < 0.3, "y_hat": rng.random(rows) < 0.4, "x": rng.random(rows)})

    found = assert_as_duckdb(make_trace(period(2000), period(2500), label="y", prediction="y_hat", features=["x"]))
    assert found["positive_label"] is True


def test_regression():
    trace = make_trace(regression_period(8, True, 20_000), regression_period(7, False, 30_000), label="y",
                       prediction="y_hat", timestamp="ts", features=["x", "segment"], slices=["segment"])
    found = assert_as_duckdb(trace)
    assert found["task"] == "regression" and found["sums"] == ["abs", "sq", "ape", "y", "y2"]
    assert set(found["current"]["crosses"]) == {"x", "segment"}


def test_without_a_timestamp_one_chunk(binary):
    current, reference = (table.drop_columns(["ts"]) for table in (binary.current.slice(0, 5000), binary.reference))
    trace = make_trace(current, reference.slice(0, 4000), **{**BINARY, "timestamp": None})
    found = assert_as_duckdb(trace)
    assert found["chunk_count"] == 1 and found["current"]["chunks"] == [{"rows": 5000, "start": None, "end": None}]


@pytest.mark.parametrize("in_time_order", [True, False])
def test_timestamps_tied_at_the_chunk_boundaries(in_time_order):
    rng = np.random.default_rng(9)

    def period(rows, day):
        hours = np.sort(rng.integers(0, 4, rows)) if in_time_order else rng.integers(0, 4, rows)
        return pa.table({
            "ts": pa.array(np.datetime64(day, "ms") + (hours * 3_600_000).astype("timedelta64[ms]")),
            "y": rng.integers(0, 2, rows), "y_hat": rng.integers(0, 2, rows), "x": rng.normal(0, 1, rows),
        })

    trace = make_trace(period(1000, "2024-02-01"), period(999, "2024-01-01"), label="y", prediction="y_hat",
                       timestamp="ts", features=["x"])
    found = assert_as_duckdb(trace)
    assert 0 in [chunk["rows"] for chunk in found["current"]["chunks"]]  # ties empty some chunks


@pytest.mark.parametrize("rows", [1, 2])
def test_one_or_two_rows_per_period(rows):
    def period(seed):
        rng = np.random.default_rng(seed)
        return pa.table({
            "ts": pa.array(np.datetime64("2024-01-01", "ms") + rng.integers(0, DAY, rows).astype("timedelta64[ms]")),
            "y": [1, 0][:rows], "y_hat": [1, 1][:rows], "p": rng.random(rows), "x": rng.normal(0, 1, rows),
            "c": ["a", None][:rows], "region": ["north", "south"][:rows],
        })

    trace = make_trace(period(11), period(10), label="y", prediction="y_hat", score="p", timestamp="ts",
                       features=["x", "c"], slices=["region"])
    assert_as_duckdb(trace)


def test_numeric_features_without_spread_or_with_far_outliers():
    """A constant reference feature (its doane edges min ± 0.5), and one whose outlier squeezes its edges into a
    few grid cells (located by numpy.searchsorted then)."""
    rng = np.random.default_rng(12)

    def period(rows, current):
        spread = rng.random(rows)
        spread[0] = 1e12
        constant = np.full(rows, 2.0)
        if current:
            constant[:30], constant[30:60] = 1.0, 2.2
        return pa.table({"y": rng.integers(0, 2, rows), "y_hat": rng.integers(0, 2, rows), "constant": constant,
                         "spread": spread})

    trace = make_trace(period(3000, True), period(3000, False), label="y", prediction="y_hat",
                       features=["constant", "spread"], slices=[])
    found = assert_as_duckdb(trace)
    assert found["features"]["constant"]["doane"] == [1.5, 2.5]
    intervals = _table_aggregates._Intervals(found["features"]["spread"])
    assert intervals.edges_per_cell > _table_aggregates.MAX_EDGES_PER_CELL


def test_slices_of_every_wire_type_are_text_as_duckdb_writes_them():
    rng = np.random.default_rng(13)

    def period(rows):
        moments = np.array(["2024-01-01T00:00:00", "2024-01-01T01:02:03.450", "1969-12-31T23:59:59.999"],
                           dtype="datetime64[ms]")
        return pa.table({
            "y": rng.integers(0, 2, rows), "y_hat": rng.integers(0, 2, rows),
            "batch": pa.array(rng.choice(moments, rows)).cast(pa.timestamp("ms", tz="UTC")),
            "weight": rng.choice(np.array([0.1, 1e20, -0.0, 1.0]), rows),
            "shard": rng.choice(np.array([-5, 10, 9], dtype=np.int32), rows),
        })

    trace = make_trace(period(3000), period(2000), label="y", prediction="y_hat", features=[],
                       slices=["batch", "weight", "shard"])
    found = assert_as_duckdb(trace)
    batches = {row[1] for row in found["current"]["cube"]}
    assert batches == {"2024-01-01 00:00:00+00", "2024-01-01 01:02:03.45+00", "1969-12-31 23:59:59.999+00"}
    assert {row[2] for row in found["current"]["cube"]} == {"0.1", "1e+20", "-0.0", "1.0"}


@pytest.mark.parametrize("values, crossed", [(300, []), (100, ["x"])])
def test_large_cubes_and_the_features_crossed_with_them(values, crossed):
    """values × 1.5·values slice combinations, more than the rows: keys counted by numpy.unique rather than bincount.
    The categorical feature's 900 values are too many to cross with either cube; the numeric feature's 13 root-cause
    bins are crossed with 15,000 combinations, not with 135,000."""
    rng = np.random.default_rng(14)

    def period(rows):
        return pa.table({
            "y": rng.integers(0, 2, rows), "y_hat": rng.integers(0, 2, rows), "x": rng.normal(0, 1, rows),
            "item": pa.array([f"item-{value}" for value in rng.integers(0, 900, rows)]),
            "a": rng.integers(0, values, rows),
            "b": pa.array([f"b{value}" for value in rng.integers(0, values * 3 // 2, rows)]),
        })

    trace = make_trace(period(6000), period(5000), label="y", prediction="y_hat", features=["x", "item"],
                       slices=["a", "b"])
    found = assert_as_duckdb(trace)
    assert found["slices"] == ["a", "b"] and list(found["current"]["crosses"]) == crossed


def test_too_many_slice_combinations_leave_the_cube_out():
    rng = np.random.default_rng(15)
    table = pa.table({"y": rng.integers(0, 2, 50_000), "y_hat": rng.integers(0, 2, 50_000),
                      "a": rng.integers(0, 700, 50_000), "b": rng.integers(0, 700, 50_000), "x": rng.random(50_000)})
    found = assert_as_duckdb(make_trace(table, table, label="y", prediction="y_hat", features=["x"], slices=["a", "b"]))
    assert found["slices"] == [] and found["current"]["cube"] == [] and found["current"]["crosses"] == {}


def test_features_left_out_as_duckdb_leaves_them_out():
    """A numeric feature without reference values, and an inferred date-time feature."""
    rng = np.random.default_rng(16)

    def period(rows, empty):
        return pa.table({
            "y": rng.integers(0, 2, rows), "y_hat": rng.integers(0, 2, rows), "x": rng.normal(0, 1, rows),
            "unknown": pa.array(np.full(rows, np.nan) if empty else rng.random(rows)),
            "opened": pa.array(np.datetime64("2024-01-01", "ms") + rng.integers(0, DAY, rows).astype("m8[ms]")),
        })

    trace = make_trace(period(500, False), period(400, True), label="y", prediction="y_hat")
    assert "features" in trace.inferred and "opened" in trace.roles["features"]
    assert list(assert_as_duckdb(trace)["features"]) == ["x"]
    assert_refused(make_trace(period(500, False), period(400, False), label="y", prediction="y_hat",
                              features=["x", "opened"]))


# None where pushdown refuses


def test_refused_without_reference_or_label(binary):
    assert kernel(make_trace(binary.current, None, **BINARY)) is None
    unlabelled = [table.drop_columns(["y"]) for table in (binary.current, binary.reference)]
    scored = make_trace(*unlabelled, score="p", timestamp="ts", features=["x"])
    assert scored.roles.get("label") is None
    assert kernel(scored) is None


def test_refused_multiclass():
    rng = np.random.default_rng(17)
    table = pa.table({"y": rng.integers(0, 3, 600), "y_hat": rng.integers(0, 3, 600), "x": rng.random(600)})
    trace = make_trace(table, table, label="y", prediction="y_hat")
    assert trace.task == "multiclass"
    assert_refused(trace)


@pytest.mark.parametrize("role", ["y", "y_hat", "ts"])
def test_refused_with_missing_labels_predictions_or_timestamps(binary, role):
    current = binary.current
    values = current.column(role).to_pylist()
    values[7] = None
    field = current.schema.get_field_index(role)
    current = current.set_column(field, role, pa.array(values, current.schema.field(role).type))
    assert_refused(make_trace(current, binary.reference, **BINARY))


def test_refused_with_nan_labels():
    rng = np.random.default_rng(18)
    labels = rng.integers(0, 2, 500).astype(float)
    labels[3] = np.nan
    table = pa.table({"y": labels, "y_hat": rng.integers(0, 2, 500).astype(float), "x": rng.random(500)})
    assert_refused(make_trace(table, table, label="y", prediction="y_hat"))


def test_refused_with_scores_outside_zero_one_or_missing(binary):
    """trace() refuses such scores itself; a trace made otherwise gets None."""
    for bad in (1.5, np.nan):
        scores = binary.current.column("p").to_numpy().copy()
        scores[11] = bad
        current = binary.current.set_column(binary.current.schema.get_field_index("p"), "p", pa.array(scores))
        stand_in = SimpleNamespace(current=current, reference=binary.reference, roles=binary.roles,
                                   task=binary.task, positive_label=binary.positive_label, inferred=binary.inferred)
        assert_refused(stand_in)


def test_refused_with_too_many_categories():
    rng = np.random.default_rng(19)
    table = pa.table({"y": rng.integers(0, 2, 5000), "y_hat": rng.integers(0, 2, 5000),
                      "user": [f"user-{value}" for value in rng.integers(0, 3000, 5000)]})
    assert_refused(make_trace(table, table, label="y", prediction="y_hat", features=["user"]))


def test_refused_with_infinite_feature_values_or_without_what_the_task_needs():
    rng = np.random.default_rng(20)
    x = rng.random(500)
    x[4] = np.inf
    table = pa.table({"outcome": rng.integers(0, 2, 500), "guess": rng.integers(0, 2, 500), "x": x})
    assert_refused(make_trace(table, table, label="outcome", prediction="guess", features=["x"]))
    assert_refused(make_trace(table, table, label="outcome", features=[]))  # binary without prediction or score
    amounts = pa.table({"amount": rng.normal(0, 1, 500), "x": rng.random(500)})
    assert_refused(make_trace(amounts, amounts, label="amount", features=["x"]))  # regression without prediction


def test_refused_chunk_counts(binary):
    assert kernel(binary, 0) is None and kernel(binary, "10") is None


# the order statistics behind the quantiles


def test_groups_of_many_columns_are_numbered_in_the_order_of_their_codes():
    """Eight columns of 256 codes: 2^64 combinations, more than one integer key holds."""
    rng = np.random.default_rng(22)
    codes = [rng.integers(0, 4, 5000) * 64 for _ in range(8)]
    groups, found = _dense_groups(codes, [256] * 8, 5000)
    expected = sorted(set(zip(*(column.tolist() for column in codes))))
    assert list(zip(*(column.tolist() for column in found))) == expected
    assert [expected[group] for group in groups.tolist()] == list(zip(*(column.tolist() for column in codes)))


@pytest.mark.parametrize("draw", [
    lambda rng, rows: rng.gamma(2.0, 1.5, rows),
    lambda rng, rows: rng.lognormal(10, 2, rows),
    lambda rng, rows: rng.integers(-5, 12, rows).astype(float),
    lambda rng, rows: np.round(rng.random(rows), 3),
    lambda rng, rows: np.where(rng.random(rows) < 0.6, 0.0, rng.normal(0, 1, rows)),
    lambda rng, rows: np.concatenate([rng.random(rows - 1), [1e15]]),
])
def test_reference_shape_is_numpys_sorted_values_and_moments(draw):
    rng = np.random.default_rng(21)
    values = draw(rng, 4 * GRID_CELLS)
    positions = np.unique(rng.integers(0, len(values), 2000))
    blocks = lambda: iter(np.array_split(values, 7))  # noqa: E731
    moments, found = _reference_shape(blocks, len(values), float(values.min()), float(values.max()), positions)
    assert np.array_equal(found, np.sort(values)[positions])
    deviations = values - values.mean()
    np.testing.assert_allclose(moments, [np.mean(deviations**2), np.mean(deviations**3)], rtol=1e-9, atol=1e-12)
