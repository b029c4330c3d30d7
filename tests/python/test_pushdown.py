"""Pushdown: DuckDB and Spark compute the "aggregates" DATA (/tmp spec, docs/trace-format.md), checked part by part
against numpy and pandas on the same generated rows."""
import json
from datetime import datetime, timezone

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import modeltrace as mt
from modeltrace import _pushdown
from modeltrace._pushdown import aggregates

MIME_TYPE = "application/vnd.modeltrace.v1+json"
ROWS = 200_000
EPSILON = 2.220446049250313e-16
BINARY = dict(label="y", prediction="y_hat", score="p", timestamp="ts", features=["x", "z", "c"],
              slices=["region", "channel"])
REGRESSION = dict(label="y", prediction="y_hat", timestamp="ts", features=["x"])


def binary_period(seed: int, current: bool) -> pa.Table:
    """One period: a UTC timestamp, a float feature with NaN and nulls (shifted, with outliers, in the current
    period), an integer feature with nulls, a text feature with nulls (and a value unseen in the reference), two
    slices (text, boolean), a binary label, prediction and score."""
    rng = np.random.default_rng(seed)
    p = rng.random(ROWS)
    x = rng.gamma(2.0, 1.5, ROWS) + (0.4 if current else 0.0)
    x[rng.random(ROWS) < 0.01] = np.nan
    if current:
        x[:50], x[50:60] = -3.0, 99.0  # beyond the reference range
    c = rng.choice(np.array(["a", "b", "c", "d"] if current else ["a", "b", "c"]), ROWS).astype(object)
    c[rng.random(ROWS) < 0.02] = None
    milliseconds = rng.integers(0, 30 * 86_400_000, ROWS) + (30 * 86_400_000 if current else 0)
    return pa.table({
        "ts": pa.array(np.datetime64("2024-01-01", "ms") + milliseconds.astype("timedelta64[ms]")).cast(
            pa.timestamp("ms", tz="UTC")),
        "x": pa.array(x, mask=rng.random(ROWS) < 0.01),
        "z": pa.array(rng.normal(50, 10, ROWS).round().astype(np.int64), mask=rng.random(ROWS) < 0.03),
        "c": pa.array(c, type=pa.string()),
        "region": rng.choice(np.array(["north", "south", "east"]), ROWS),
        "channel": rng.random(ROWS) < 0.3,
        "y": (rng.random(ROWS) < p).astype(np.int64),
        "y_hat": (rng.random(ROWS) < 0.5).astype(np.int64),
        "p": p,
    })


def regression_period(seed: int, current: bool) -> pa.Table:
    rng = np.random.default_rng(seed)
    x = rng.normal(0.3 if current else 0.0, 1.0, ROWS)
    y = 3.0 * x + rng.normal(0, 1, ROWS)
    milliseconds = rng.integers(0, 7 * 86_400_000, ROWS)
    return pa.table({
        "ts": pa.array(np.datetime64("2024-03-01", "ms") + milliseconds.astype("timedelta64[ms]")),
        "x": x,
        "y": y,
        "y_hat": 3.0 * x + rng.normal(0, 0.5, ROWS),
    })


def summarised(tables: dict, roles: dict) -> tuple:
    """The tables and the aggregates DuckDB computes of them."""
    connection = duckdb.connect()
    relations = {period: connection.from_arrow(table) for period, table in tables.items()}
    summary = aggregates(relations["current"], relations["reference"], roles=_roles(roles), task=None,
                         positive_label=None)
    return tables, summary


@pytest.fixture(scope="module")
def binary():
    return summarised({"reference": binary_period(1, False), "current": binary_period(2, True)}, BINARY)


@pytest.fixture(scope="module")
def regression():
    return summarised({"reference": regression_period(3, False), "current": regression_period(4, True)}, REGRESSION)


# numpy and pandas, on the rows


def numbers(table: pa.Table, name: str) -> np.ndarray:
    """A column as float64 with nulls as NaN."""
    return table.column(name).cast(pa.float64()).fill_null(np.nan).to_numpy()


def epoch_milliseconds(table: pa.Table) -> np.ndarray:
    return table.column("ts").cast(pa.timestamp("ms", tz="UTC")).cast(pa.int64()).to_numpy()


def numpy_edges(table: pa.Table, name: str) -> dict:
    """doane, deciles and grid as the spec defines them, by numpy on the non-missing reference values."""
    values = numbers(table, name)
    values = values[~np.isnan(values)]
    doane = np.histogram_bin_edges(values, bins="doane")
    deciles = np.unique(np.quantile(values, np.arange(1, 10) / 10))
    grid = np.unique(np.quantile(values, np.arange(1001) / 1000))
    return {"doane": doane, "deciles": deciles, "grid": grid, "edges": np.unique(np.concatenate([doane, deciles, grid]))}


def numpy_boundaries(table: pa.Table, chunk_count: int = 10) -> np.ndarray:
    """The chunk boundaries of the in-memory engine: the sorted timestamps at ranks i·⌊n/chunks⌋."""
    size = table.num_rows // chunk_count
    return np.sort(epoch_milliseconds(table))[[i * size for i in range(1, chunk_count)]]


def boundaries_of(period: dict) -> np.ndarray:
    """The boundaries an engine used, read back from its chunks: chunk i > 0 starts at boundary i."""
    return np.array([_milliseconds(chunk["start"]) for chunk in period["chunks"][1:]])


def expected_period(table: pa.Table, summary: dict, boundaries) -> dict:
    """The PERIOD numpy and pandas compute from the rows, on the edges of `summary` and the given chunk boundaries;
    group lists as {keys: [count, *sums]}."""
    frame = pd.DataFrame(index=range(table.num_rows))
    ts = epoch_milliseconds(table)
    frame["chunk"] = np.searchsorted(boundaries, ts, side="right")
    y, y_hat = numbers(table, "y"), numbers(table, "y_hat")
    if summary["task"] == "binary":
        actual = y == summary["positive_label"]
        predicted = y_hat == summary["positive_label"]
        frame["cell"] = np.select([actual & predicted, ~actual & predicted, ~actual & ~predicted], [0, 1, 2], 3)
        p = numbers(table, "p")
        clipped = np.clip(p, EPSILON, 1 - EPSILON)
        frame["score"], frame["brier"] = p, (p - actual) ** 2
        frame["log_loss"] = -(actual * np.log(clipped) + (1 - actual) * np.log(1 - clipped))
        frame["ece"] = np.minimum(np.floor(p * 10), 9).astype(int)
        frame["positive"] = actual.astype(int)
        frame["score_bin"] = np.minimum(np.floor(p * 1000), 999).astype(int)
        frame["chunk_score_bin"] = np.minimum(np.floor(p * 100), 99).astype(int)
    else:
        error, centered = y - y_hat, y - summary["center"]
        frame["cell"] = 0
        frame["abs"], frame["sq"] = np.abs(error), error**2
        frame["ape"] = np.abs(error) / np.maximum(np.abs(y), EPSILON)
        frame["y"], frame["y2"] = centered, centered**2
    sums, error_sums = summary["sums"], summary["error_sums"]
    frame["t"] = ts
    chunk_rows = frame.groupby("chunk")["t"].agg(["count", "min", "max"])
    period = {
        "rows": table.num_rows,
        "chunks": [
            {"rows": int(chunk_rows["count"].get(chunk, 0)), "start": _iso(chunk_rows["min"].get(chunk)),
             "end": _iso(chunk_rows["max"].get(chunk))}
            for chunk in range(summary["chunk_count"])
        ],
        "cells": groups(frame, ["chunk", "cell"], sums),
        "calibration": groups(frame, ["chunk", "positive", "ece"], ["score"]) if "score_bins" in summary else {},
        "scores": groups(frame, ["positive", "score_bin"], []) if "score_bins" in summary else {},
        "chunk_scores": groups(frame, ["chunk", "positive", "chunk_score_bin"], []) if "score_bins" in summary else {},
        "features": {},
        "cube": groups(frame, ["cell", *summary["slices"]], error_sums, table),
        "crosses": {},
    }
    for name, feature in summary["features"].items():
        if feature["type"] == "categorical":
            frame["value"] = table.column(name).to_pandas()
            if summary["slices"]:
                period["crosses"][name] = groups(frame, ["cell", "value", *summary["slices"]], error_sums, table)
            period["features"][name] = {"bins": groups(frame, ["cell", "value"], error_sums),
                                        "chunks": groups(frame, ["chunk", "value"], [])}
            continue
        values = numbers(table, name)
        present = ~np.isnan(values)
        frame["bucket"] = bucket_codes(values, feature)
        if summary["slices"]:
            frame["cause_bin"] = cause_bins(values, feature)
            period["crosses"][name] = groups(frame, ["cell", "cause_bin", *summary["slices"]], error_sums, table)
        frame["doane"] = doane_codes(values, feature["doane"])
        period["features"][name] = {
            "bins": groups(frame, ["cell", "bucket"], error_sums),
            "chunks": groups(frame, ["chunk", "doane"], []),
            "min": float(values[present].min()) if present.any() else None,
            "max": float(values[present].max()) if present.any() else None,
        }
    return period


def bucket_codes(values: np.ndarray, feature: dict) -> pd.arrays.IntegerArray:
    """#(m_j <= x) over the edges M, len(M) + 1 for x equal to the last doane edge, missing when missing."""
    edges = np.array(feature["edges"])
    codes = np.searchsorted(edges, values, side="right")
    codes[values == feature["doane"][-1]] = len(edges) + 1
    return pd.arrays.IntegerArray(codes, np.isnan(values))


def cause_bins(values: np.ndarray, feature: dict) -> pd.arrays.IntegerArray:
    """Root-cause bins: 0 below the reference min, 1 + #(deciles <= x) inside, len(deciles) + 2 above."""
    deciles, low, high = np.array(feature["deciles"]), feature["grid"][0], feature["grid"][-1]
    codes = 1 + np.searchsorted(deciles, values, side="right")
    codes[values < low] = 0
    codes[values > high] = len(deciles) + 2
    return pd.arrays.IntegerArray(codes, np.isnan(values))


def doane_codes(values: np.ndarray, doane: list) -> pd.arrays.IntegerArray:
    """numpy.histogram's bin of x over the doane edges (last bin closed), D outside, missing when missing."""
    doane = np.array(doane)
    last = len(doane) - 1
    codes = np.searchsorted(doane, values, side="right") - 1
    codes[values == doane[-1]] = last - 1
    codes[(values < doane[0]) | (values > doane[-1])] = last
    return pd.arrays.IntegerArray(codes, np.isnan(values))


def groups(frame: pd.DataFrame, keys: list, sums: list, table: pa.Table = None) -> dict:
    """{(key values): [count, *sums]}, missing keys as None; slice columns taken from `table` as text."""
    frame = frame.copy()
    for name in keys:
        if table is not None and name in table.column_names:
            frame[name] = table.column(name).cast(pa.string()).to_pandas()
    frame["count"] = 1
    totals = frame.groupby(keys, dropna=False)[["count", *sums]].sum().reset_index()
    key_columns = [[None if pd.isna(value) else value for value in totals[name].tolist()] for name in keys]
    values = totals[["count", *sums]].to_numpy(dtype=float)
    return {key: row for key, row in zip(zip(*key_columns), values)}


def keyed(rows: list, key_count: int) -> dict:
    return {tuple(row[:key_count]): row[key_count:] for row in rows}


def assert_groups(actual_rows: list, expected: dict, key_count: int, what: str) -> None:
    """Same groups, same counts, sums within 1e-9 relative; rows sorted by their keys, missing last."""
    actual = keyed(actual_rows, key_count)
    assert set(actual) == set(expected), what
    if not expected:
        return
    found = np.array([actual[key] for key in expected], dtype=float).reshape(len(expected), -1)
    wanted = np.array(list(expected.values())).reshape(len(expected), -1)
    np.testing.assert_array_equal(found[:, 0], wanted[:, 0], err_msg=f"{what} counts")
    np.testing.assert_allclose(found[:, 1:], wanted[:, 1:], rtol=1e-9, atol=1e-9, err_msg=f"{what} sums")
    order = [tuple((value is None, value if value is not None else 0) for value in row[:key_count]) for row in actual_rows]
    assert order == sorted(order), what


def assert_period(actual: dict, expected: dict, summary: dict) -> None:
    assert actual["rows"] == expected["rows"]
    assert actual["chunks"] == expected["chunks"]
    assert_groups(actual["cells"], expected["cells"], 2, "cells")
    assert_groups(actual["calibration"], expected["calibration"], 3, "calibration")
    assert_groups(actual["scores"], expected["scores"], 2, "scores")
    assert_groups(actual["chunk_scores"], expected["chunk_scores"], 3, "chunk scores")
    assert_groups(actual["cube"], expected["cube"], 1 + len(summary["slices"]), "cube")
    assert sorted(actual["crosses"]) == sorted(expected["crosses"])
    for name, rows in expected["crosses"].items():
        assert_groups(actual["crosses"][name], rows, 2 + len(summary["slices"]), f"{name} cross")
    assert list(actual["features"]) == list(expected["features"])
    for name, feature in expected["features"].items():
        assert_groups(actual["features"][name]["bins"], feature["bins"], 2, f"{name} bins")
        assert_groups(actual["features"][name]["chunks"], feature["chunks"], 2, f"{name} chunks")
        if "min" in feature:
            assert (actual["features"][name]["min"], actual["features"][name]["max"]) == (feature["min"], feature["max"])


# DuckDB against numpy


def test_header_names_the_format_task_and_features(binary):
    _, summary = binary
    assert {key: summary[key] for key in list(summary)[:11]} == {
        "format": "aggregates", "version": 1, "engine": "duckdb", "task": "binary", "positive_label": 1,
        "predicted_by": "prediction", "score_bins": 1000, "chunk_score_bins": 100, "chunk_count": 10,
        "sums": ["score", "brier", "log_loss"], "error_sums": [],
    }
    assert list(summary) == [*list(summary)[:11], "features", "slices", "reference", "current"]
    assert {name: feature["type"] for name, feature in summary["features"].items()} == {
        "x": "numeric", "z": "numeric", "c": "categorical"}
    assert summary["slices"] == ["region", "channel"]
    assert json.loads(json.dumps(summary, allow_nan=False)) == summary


@pytest.mark.parametrize("name", ["x", "z"])
def test_numeric_edges_are_numpys(binary, name):
    tables, summary = binary
    feature, expected = summary["features"][name], numpy_edges(tables["reference"], name)
    assert feature["doane"] == list(expected["doane"])  # same count, min, max and bin number: np.linspace's values
    for kind in ("deciles", "grid", "edges"):
        assert len(feature[kind]) == len(expected[kind]), kind
        assert feature[kind] == list(expected[kind]), kind  # numpy's interpolation, operation for operation
    assert feature["grid"][0] == feature["doane"][0] and feature["grid"][-1] == feature["doane"][-1]


@pytest.mark.parametrize("period", ["reference", "current"])
def test_binary_periods_are_numpys(binary, period):
    tables, summary = binary
    expected = expected_period(tables[period], summary, numpy_boundaries(tables[period]))
    assert_period(summary[period], expected, summary)


def test_chunks_split_each_period_in_time_order_into_near_equal_parts(binary):
    tables, summary = binary
    for period in ("reference", "current"):
        sizes = [chunk["rows"] for chunk in summary[period]["chunks"]]
        assert sizes[:-1] == [ROWS // 10] * 9 and sum(sizes) == ROWS, sizes
        np.testing.assert_array_equal(boundaries_of(summary[period]), numpy_boundaries(tables[period]))


def test_missing_values_are_the_null_bucket(binary):
    tables, summary = binary
    for period in ("reference", "current"):
        for name in ("x", "z", "c"):
            missing = pc.sum(tables[period].column(name).is_null(nan_is_null=True)).as_py()
            counted = sum(row[2] for row in summary[period]["features"][name]["bins"] if row[1] is None)
            assert counted == missing > 0, (period, name)


def test_current_values_beyond_the_reference_fall_in_the_outer_buckets(binary):
    tables, summary = binary
    feature, bins = summary["features"]["x"], summary["current"]["features"]["x"]["bins"]
    counts = {bucket: 0 for bucket in (0, len(feature["edges"]))}
    for _cell, bucket, count, *_sums in bins:
        if bucket in counts:
            counts[bucket] += count
    x = numbers(tables["current"], "x")
    assert counts == {0: int(np.sum(x < feature["doane"][0])), len(feature["edges"]): int(np.sum(x > feature["doane"][-1]))}
    assert counts[0] >= 50 and counts[len(feature["edges"])] >= 10
    outside = len(feature["doane"]) - 1
    assert sum(row[2] for row in summary["current"]["features"]["x"]["chunks"] if row[1] == outside) == sum(counts.values())


def test_unseen_categories_are_counted_by_value(binary):
    _, summary = binary
    values = {row[1] for row in summary["current"]["features"]["c"]["bins"]}
    assert values == {"a", "b", "c", "d", None}
    assert {row[1] for row in summary["reference"]["features"]["c"]["bins"]} == {"a", "b", "c", None}


def test_cube_values_are_text(binary):
    _, summary = binary
    assert {(row[1], row[2]) for row in summary["current"]["cube"]} == {
        (region, channel) for region in ("east", "north", "south") for channel in ("false", "true")}


def test_predicted_by_score_without_a_prediction_column(binary):
    tables, _ = binary
    connection = duckdb.connect()
    roles = _roles({**BINARY, "prediction": None})
    relations = [connection.from_arrow(tables[period]) for period in ("current", "reference")]
    summary = aggregates(*relations, roles=roles, task=None, positive_label=None)
    assert summary["predicted_by"] == "score"
    p, y = numbers(tables["current"], "p"), numbers(tables["current"], "y")
    cells = np.bincount(np.select([(y == 1) & (p >= 0.5), (y != 1) & (p >= 0.5), (y != 1) & (p < 0.5)], [0, 1, 2], 3))
    totals = np.zeros(4, dtype=int)
    for _chunk, cell, count, *_sums in summary["current"]["cells"]:
        totals[cell] += count
    assert list(totals) == list(cells)


@pytest.mark.parametrize("period", ["reference", "current"])
def test_regression_periods_are_numpys(regression, period):
    tables, summary = regression
    assert summary["task"] == "regression" and "positive_label" not in summary and "score_bins" not in summary
    assert summary["sums"] == ["abs", "sq", "ape", "y", "y2"]
    assert summary["center"] == pytest.approx(np.mean(numbers(tables["reference"], "y")), rel=1e-12)
    assert summary[period]["scores"] == []
    expected = expected_period(tables[period], summary, numpy_boundaries(tables[period]))
    assert_period(summary[period], expected, summary)
    assert summary["features"]["x"]["doane"] == list(numpy_edges(tables["reference"], "x")["doane"])


def test_without_a_timestamp_one_chunk():
    table = binary_period(5, False).slice(0, 5000)
    relation = duckdb.connect().from_arrow(table)
    summary = aggregates(relation, relation, roles=_roles({**BINARY, "timestamp": None}), task=None, positive_label=None)
    assert summary["chunk_count"] == 1
    assert summary["current"]["chunks"] == [{"rows": 5000, "start": None, "end": None}]
    assert {row[0] for row in summary["current"]["cells"]} == {0}


def test_a_parquet_file_whose_statistics_omit_nan_gives_the_same_aggregates(binary, tmp_path):
    # DuckDB folds isnan() to false when Parquet statistics (pyarrow's) omit NaN, while the rows hold NaN
    tables, summary = binary
    connection = duckdb.connect()
    relations = []
    for period in ("current", "reference"):
        pq.write_table(tables[period], tmp_path / f"{period}.parquet")
        relations.append(connection.read_parquet(str(tmp_path / f"{period}.parquet")))
    assert_same_aggregates(aggregates(*relations, roles=_roles(BINARY), task=None, positive_label=None), summary)


# the trace


def test_trace_of_duckdb_relations_displays_their_aggregates(binary):
    tables, _ = binary
    connection = duckdb.connect()
    trace = mt.trace(connection.from_arrow(tables["current"]), reference=connection.from_arrow(tables["reference"]),
                     **BINARY)
    bundle = trace._repr_mimebundle_()
    body = json.loads(json.dumps(bundle[MIME_TYPE], allow_nan=False))
    assert body["current"]["format"] == "aggregates" and body["reference"] is None
    assert body["task"] == "binary" and body["positive_label"] == 1
    assert body["roles"]["features"] == ["x", "z", "c"] and body["roles"]["slices"] == ["region", "channel"]
    assert "data" not in body["source"] and "headline" not in body
    text = bundle["text/plain"]
    assert "binary classification, 200,000 rows (reference 200,000)" in text
    assert "The rows stay in DuckDB: DuckDB summarised 200,000 rows of data and 200,000 of reference" in text
    assert repr(trace) == text
    assert trace.metrics["current"]["accuracy"] == pytest.approx(
        np.mean(numbers(tables["current"], "y") == numbers(tables["current"], "y_hat")), rel=1e-12)
    with pytest.raises(mt.TraceError, match="they stay in DuckDB"):
        mt.frames(trace.id)
    with pytest.raises(mt.TraceError, match="they stay in DuckDB"):
        mt.save(trace, "never.arrow")


def test_roles_are_inferred_from_the_relations_columns(regression):
    tables, summary = regression
    connection = duckdb.connect()
    trace = mt.trace(connection.from_arrow(tables["current"]), reference=connection.from_arrow(tables["reference"]))
    assert trace.roles == {"label": "y", "prediction": "y_hat", "timestamp": "ts", "features": ["x"], "slices": []}
    assert trace.inferred == ["label", "prediction", "timestamp", "features"]
    assert trace.task == "regression"
    assert trace.metrics["reference"]["mae"] == pytest.approx(
        np.mean(np.abs(numbers(tables["reference"], "y") - numbers(tables["reference"], "y_hat"))), rel=1e-9)
    assert_same_aggregates(trace.current, summary)


def test_polars_lazy_frames_are_scanned_by_duckdb(binary):
    tables, summary = binary
    trace = mt.trace(pl.from_arrow(tables["current"]).lazy(), reference=pl.from_arrow(tables["reference"]).lazy(),
                     **BINARY)
    assert trace.current["engine"] == "duckdb"
    assert "The rows stay in the Polars LazyFrame: DuckDB summarised" in repr(trace)
    assert_same_aggregates(trace.current, summary)


# refusals


def refusal(data, reference, **roles) -> str:
    with pytest.raises(mt.TraceError) as caught:
        mt.trace(data, reference=reference, **roles)
    return str(caught.value)


def test_a_pandas_reference_for_a_duckdb_relation_is_refused(binary):
    tables, _ = binary
    relation = duckdb.connect().from_arrow(tables["current"])
    assert refusal(relation, tables["reference"].to_pandas(), **BINARY) == (
        "reference is a pandas DataFrame but data is a DuckDB relation: pushdown needs data and reference of the "
        "same engine (both DuckDB relations)"
    )
    assert refusal(tables["current"].to_pandas(), relation, **BINARY).startswith(
        "reference is a DuckDB relation but data is a pandas DataFrame")
    assert "pushdown needs reference= a DuckDB relation too" in refusal(relation, None, **BINARY)
    assert ".collect() it" in refusal(pl.from_arrow(tables["current"]).lazy(), None, **BINARY)


def test_multiclass_is_refused_with_its_classes():
    table = pa.table({"y": [0, 1, 2] * 100, "y_hat": [0, 1, 1] * 100, "x": np.arange(300.0)})
    relation = duckdb.connect().from_arrow(table)
    assert refusal(relation, relation, label="y", prediction="y_hat") == (
        'column "y" (label) has 3 classes: 0, 1, 2: a multiclass task, which pushdown does not summarise (binary '
        "classification and regression only); trace the rows in memory instead"
    )
    assert refusal(relation, relation, label="y", prediction="y_hat", task="multiclass").startswith(
        'task "multiclass" is given: a multiclass task')


def test_a_third_class_the_profile_missed_is_refused_by_the_group_pass(monkeypatch):
    table = pa.table({"y": [0, 1, 2] * 100, "y_hat": [0, 1, 1] * 100})
    relation = duckdb.connect().from_arrow(table)
    monkeypatch.setattr(_pushdown, "_label_classes", lambda *args: ([0, 1], 2))
    assert refusal(relation, relation, label="y", prediction="y_hat", features=[]).startswith(
        'column "y" (label) has 3 classes: 0, 1, 2 in reference (100 rows beyond 0, 1): a multiclass task')


def test_missing_labels_are_refused_with_their_count_and_period(binary):
    tables, _ = binary
    connection = duckdb.connect()
    labels = tables["current"].column("y").to_pylist()[:-7] + [None] * 7
    current = tables["current"].set_column(6, "y", pa.array(labels, type=pa.int64()))
    message = refusal(connection.from_arrow(current), connection.from_arrow(tables["reference"]), **BINARY)
    assert message == (
        'column "y" (label) has 7 missing values (NULL or NaN) in data; pushdown needs a label on every row: filter '
        "them out in the query"
    )


def test_missing_timestamps_and_scores_outside_zero_one_are_refused():
    connection = duckdb.connect()
    reference = connection.from_arrow(pa.table({"ts": pa.array([datetime(2024, 1, 1)] * 3), "y": [0, 1, 1],
                                                "p": [0.1, 0.9, 0.8]}))
    timeless = connection.from_arrow(pa.table({"ts": pa.array([datetime(2024, 1, 1), None, None]), "y": [0, 1, 1],
                                               "p": [0.1, 0.9, 0.8]}))
    assert refusal(timeless, reference, label="y", score="p", timestamp="ts") == (
        'column "ts" (timestamp) has 2 missing values in data; pushdown splits each period in time order: filter '
        "or fill them in the query"
    )
    outside = connection.from_arrow(pa.table({"ts": pa.array([datetime(2024, 1, 1)] * 3), "y": [0, 1, 1],
                                              "p": [0.1, 1.5, float("nan")]}))
    assert refusal(outside, reference, label="y", score="p", timestamp="ts") == (
        'column "p" (score) in data: 1 missing or NaN value; 1 value outside [0, 1]')


def test_a_categorical_feature_with_too_many_values_is_refused():
    rng = np.random.default_rng(7)
    table = pa.table({"y": rng.integers(0, 2, 5000), "y_hat": rng.integers(0, 2, 5000),
                      "user": [f"user-{value}" for value in rng.integers(0, 3000, 5000)]})
    relation = duckdb.connect().from_arrow(table)
    message = refusal(relation, relation, label="y", prediction="y_hat", features=["user"])
    assert message.startswith('feature "user" has about ')
    assert "distinct values in reference (more than 1000): pushdown counts categorical features value by value" in message


def test_too_many_slice_combinations_leave_the_cube_out_with_a_warning():
    rng = np.random.default_rng(8)
    table = pa.table({"y": rng.integers(0, 2, 50_000), "y_hat": rng.integers(0, 2, 50_000),
                      "a": rng.integers(0, 700, 50_000), "b": rng.integers(0, 700, 50_000)})
    relation = duckdb.connect().from_arrow(table)
    trace = mt.trace(relation, reference=relation, label="y", prediction="y_hat", slices=["a", "b"], features=[])
    assert trace.current["slices"] == [] and trace.current["current"]["cube"] == []
    assert any('the slices "a", "b" make about' in warning and "their cube is left out" in warning
               for warning in trace.warnings)


# Spark in local mode


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("modeltrace-pushdown-test")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def spark_frames(spark, tables: dict, folder) -> list:
    frames = []
    for period in ("current", "reference"):
        pq.write_table(tables[period], folder / f"{period}.parquet")
        frames.append(spark.read.parquet(str(folder / f"{period}.parquet")))
    return frames


@pytest.mark.parametrize("case", ["binary", "regression"])
def test_spark_gives_duckdbs_counts_on_its_own_quantiles(spark, request, tmp_path, case):
    tables, duckdb_summary = request.getfixturevalue(case)
    roles = BINARY if case == "binary" else REGRESSION
    trace = mt.trace(*spark_frames(spark, tables, tmp_path), **roles)
    summary = trace.current
    assert summary["engine"] == "spark" and "The rows stay in Spark" in repr(trace)
    shared = [key for key in duckdb_summary if key not in ("engine", "center", "features", "reference", "current")]
    assert [summary[key] for key in shared] == [duckdb_summary[key] for key in shared]
    for name, feature in summary["features"].items():
        expected = duckdb_summary["features"][name]
        if feature["type"] == "categorical":
            assert feature == expected
            continue
        np.testing.assert_allclose(feature["doane"], expected["doane"], rtol=1e-12, atol=1e-12)
        values = numbers(tables["reference"], name)
        assert_approximate_quantiles(feature["deciles"], values[~np.isnan(values)], np.arange(1, 10) / 10)
        assert_approximate_quantiles(feature["grid"], values[~np.isnan(values)], np.arange(1001) / 1000)
    for period in ("reference", "current"):
        expected = expected_period(tables[period], summary, boundaries_of(summary[period]))
        assert_period(summary[period], expected, summary)
        # what depends on no quantile is DuckDB's exactly
        assert summary[period]["rows"] == duckdb_summary[period]["rows"]
        assert cell_totals(summary[period]) == cell_totals(duckdb_summary[period])
        assert [row[:-len(summary["error_sums"]) or None] for row in summary[period]["cube"]] == [
            row[:-len(summary["error_sums"]) or None] for row in duckdb_summary[period]["cube"]]
        for name, feature in summary["features"].items():
            if feature["type"] == "categorical":
                for part in ("bins", "chunks"):
                    assert totals_by_key(summary[period]["features"][name][part]) == totals_by_key(
                        duckdb_summary[period]["features"][name][part])
    if case == "regression":
        assert summary["center"] == pytest.approx(duckdb_summary["center"], rel=1e-12)


def assert_approximate_quantiles(found: list, values: np.ndarray, levels: np.ndarray) -> None:
    """Each value percentile_approx found is a value of the column whose ranks come within 1/100000 of the rows
    (its accuracy) of the exact quantile rank (numpy's inverted_cdf) at one of `levels`."""
    values = np.sort(values)
    targets = np.ceil(levels * len(values)).clip(1, len(values)) - 1
    tolerance = len(values) / 100_000 + 1
    for value in found:
        low, high = np.searchsorted(values, value, side="left"), np.searchsorted(values, value, side="right") - 1
        assert low <= high, value
        assert np.min(np.maximum(low - targets, 0) + np.maximum(targets - high, 0)) <= tolerance, value


def cell_totals(period: dict) -> dict:
    totals = {}
    for _chunk, cell, count, *_sums in period["cells"]:
        totals[cell] = totals.get(cell, 0) + count
    return totals


def totals_by_key(rows: list) -> dict:
    """count per value (the second key), over the first key (cells or chunks)."""
    totals = {}
    for _first, value, count, *_sums in rows:
        totals[value] = totals.get(value, 0) + count
    return totals


# helpers


def assert_same_aggregates(actual: dict, expected: dict) -> None:
    """Equal, except sums within 1e-9 relative (engines add in their own order)."""
    assert actual.keys() == expected.keys()
    for key in actual:
        if key in ("reference", "current"):
            _assert_close(actual[key], expected[key], key)
        elif key == "center":
            assert actual[key] == pytest.approx(expected[key], rel=1e-12)
        else:
            assert actual[key] == expected[key], key


def _assert_close(actual, expected, where):
    if isinstance(expected, dict):
        assert actual.keys() == expected.keys(), where
        for key in expected:
            _assert_close(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), where
        for index, (left, right) in enumerate(zip(actual, expected)):
            _assert_close(left, right, f"{where}[{index}]")
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-9), where
    else:
        assert actual == expected and type(actual) is type(expected), where


def _roles(given: dict) -> dict:
    roles = {role: value for role, value in given.items() if value is not None}
    roles.setdefault("features", [])
    roles.setdefault("slices", [])
    return roles


def _milliseconds(iso: str) -> int:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return round((moment - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds() * 1000)


def _iso(milliseconds):
    if milliseconds is None or pd.isna(milliseconds):
        return None
    moment = datetime.fromtimestamp(int(milliseconds) // 1000, tz=timezone.utc)
    return moment.replace(microsecond=int(milliseconds) % 1000 * 1000).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def test_ten_million_rows_stay_in_duckdb_and_their_aggregates_give_its_own_numbers(tmp_path):
    """1e7 rows per period generated inside DuckDB (never in Python): a trace of about a megabyte whose engine
    analysis gives DuckDB's own accuracy and f1 exactly, the in-memory chunks, and the planted cause."""
    import subprocess
    from pathlib import Path

    rows = 10_000_000
    connection = duckdb.connect()
    uniform = lambda k: f"((hash(i, {k}) % 1000000007)::DOUBLE / 1000000007)"  # noqa: E731
    periods = {}
    for name, offset, shift in (("reference", 0, 0.0), ("current", rows, 0.1)):
        connection.execute(f"""CREATE TABLE {name} AS
            SELECT i, TIMESTAMP '2026-01-01' + to_seconds(i) AS ts, {uniform(1)} + {shift} AS x,
                   ['north', 'south', 'east', 'west'][1 + (hash(i, 2) % 4)::INT] AS region,
                   {uniform(3)} AS p
            FROM range({offset}, {offset + rows}) t(i)""")
        flip = f"region = 'south' AND {uniform(4)} < 0.3" if shift else "false"
        # a latent score decides the label; the prediction reads it with noise; south's labels flip in current
        latent = f"(x + {uniform(5)} * 0.5)"
        truth = f"({latent} > 0.75)::INT"
        connection.execute(f"""CREATE TABLE {name}_rows AS SELECT * EXCLUDE (i),
            (({latent} + ({uniform(6)} - 0.5) * 0.2) > 0.75)::INT AS y_hat,
            CASE WHEN {flip} THEN 1 - {truth} ELSE {truth} END AS y FROM {name}""")
        periods[name] = connection.table(f"{name}_rows")
    trace = mt.trace(periods["current"], reference=periods["reference"], label="y", prediction="y_hat", score="p",
                     timestamp="ts", features=["x", "region"], slices=["region"], name="ten-million")
    payload = trace._repr_mimebundle_()["application/vnd.modeltrace.v1+json"]
    body = json.dumps(payload)
    assert len(body) < 2_000_000
    summary = payload["current"]
    assert [chunk["rows"] for chunk in summary["current"]["chunks"]] == [rows // 10] * 10

    path = tmp_path / "payload.json"
    path.write_text(body)
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "pushdown" / "analyze-payload.mjs"
    done = subprocess.run(["node", str(script), str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    accuracy, f1 = connection.execute(
        "SELECT avg((y = y_hat)::DOUBLE), 2 * sum((y = 1 AND y_hat = 1)::INT) / (sum(y) + sum(y_hat))::DOUBLE "
        "FROM current_rows").fetchone()
    assert result["metrics"]["current"]["accuracy"] == pytest.approx(accuracy, rel=1e-12)
    assert result["metrics"]["current"]["f1"] == pytest.approx(f1, rel=1e-12)
    assert result["rows"] == {"reference": rows, "current": rows}
    assert result["root_causes"][0]["slice"] == {"region": "south"}
