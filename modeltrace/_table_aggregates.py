"""The "aggregates" DATA of rows in memory (docs/trace-format.md, "Aggregates (pushdown)"), computed with numpy, so
that the kernel can send a large trace's analysis ahead of its rows (docs/trace-format.md, "Kernel comm").

`table_aggregates(trace)` gives what DuckDB's pushdown (`modeltrace._pushdown.aggregates`) computes from the same
tables, key for key: the same checks and decisions (`_pushdown`'s own, fed with profiles of the same keys), the same
edges (`_numeric_edges` on the exact order statistics), the same group keys, counts and row order; sums may differ
in their last digits (another order of addition). Instead of SQL, numpy and Arrow operations in three passes:
1. profile (Arrow compute): rows, missing values, label classes, extremes and counts of the numeric features; each
   text column (categorical features, slice columns) coded by the ranks of its values among its sorted distinct
   texts (the one per-row array kept for the whole period, in the smallest integer type), which gives its distinct
   count;
2. reference shape, by blocks of BLOCK_ROWS rows: moments (doane) and the order statistics of numpy's linear
   quantiles, the latter from a histogram over a uniform grid of the range, sorting only the values of the grid
   cells that hold a wanted rank;
3. groups, by blocks of BLOCK_ROWS rows: per row a chunk (its timestamp's count of chunk boundaries), a cell, each
   numeric value's interval among its feature's edges (a lookup over a uniform grid, then a comparison with the few
   edges of its grid cell) and its cube group; each grouping set is one integer key per row, whose groups are
   counted by numpy.bincount over the key space (over the block's distinct keys when that space is large) and
   added up block by block. Keys order as `_row_order` orders group rows (missing last), so rows come out sorted.
The two periods (pass 1 and 3) or the numeric features (pass 2) run on two threads. Memory: a few arrays of a block
per thread, and for the whole period the compact codes of the text columns and the cube's group of each row (at 1e7
rows per period, numpy peaks at under 3 float64 columns' worth).

Where the decisions can differ from DuckDB's: distinct counts are exact here, approx_count_distinct (HyperLogLog, a
few percent off) there. They decide whether a categorical feature has more than MAX_CATEGORIES values (None here, a
refusal there), whether the cube's combinations pass MAX_CUBE_COMBINATIONS and which features are crossed with it;
near those limits the two can differ. The means behind the regression center and the doane moments may differ in
their last bits (DuckDB adds in its threads' order), which changes a doane bin count only when it is an integer to
about 15 digits, and moves the centered sums Σ(y − center) by the rows times the centers' difference.
"""
import os
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ._engines import _linear_quantile, _order_positions
from ._errors import TraceError
from ._pushdown import (
    CHUNK_SCORE_BINS,
    DECILE_LEVELS,
    ECE_BINS,
    EPSILON,
    ERROR_SUMS,
    QUANTILE_LEVELS,
    SCORE_BINS,
    SCORE_THRESHOLD,
    _EPOCH,
    _as_text,
    _check_features,
    _check_profiles,
    _check_roles,
    _decide_cube,
    _decide_task,
    _doane_codes,
    _feature_kinds,
    _float,
    _header,
    _iso,
    _kind_of,
    _numeric_edges,
    _Plan,
)
from ._wire import is_number

ENGINE = "kernel"
# threads: the two periods, or the numeric features, side by side
WORKERS = max(1, min(2, os.cpu_count() or 1))
# rows of a block of pass 3
BLOCK_ROWS = 1 << 18
# largest key space counted over all its keys (an array of this many counts per grouping set)
DENSE_SPACE = 1 << 20
# largest key space of the cube's value tuples whose present keys are marked in an array of this many flags
PRESENCE_SPACE = 1 << 24
# cells of the uniform grids that locate values among edges and order statistics
GRID_CELLS = 1 << 16
# a grid cell holding more edges than this sends its feature to numpy.searchsorted instead of comparisons
MAX_EDGES_PER_CELL = 4
# cells: 0 tp, 1 fp, 2 tn, 3 fn, by 2·actual + predicted
CELLS = 4
_CELL_OF = np.array([2, 1, 3, 0], dtype=np.intp)
# codes of a numeric feature's root-cause bins: below, 1 + up to 9 deciles, above, and missing
CAUSE_CODES = len(DECILE_LEVELS) + 4


def table_aggregates(trace, chunk_count=10):
    """The "aggregates" DATA of `trace` (a `modeltrace._trace.Trace` with a reference) in `chunk_count` chunks per
    period, with "engine" "kernel"; None when aggregates cannot represent it: no reference, no label, a multiclass or
    unknown task, missing labels, predictions, scores or timestamps, scores outside [0, 1], a categorical feature of
    more than MAX_CATEGORIES values, whatever `aggregates()` refuses. Features `aggregates()` leaves out with a
    warning are left out (the returned "features" are the ones kept); nothing is warned."""
    if trace.reference is None or trace.task not in ("binary", "regression"):
        return None
    if not isinstance(chunk_count, int) or chunk_count < 1:
        return None
    try:
        if WORKERS == 1:
            return _aggregates(trace, chunk_count, None)
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            return _aggregates(trace, chunk_count, pool)
    except TraceError:
        return None


def _aggregates(trace, chunk_count: int, pool) -> dict:
    roles = {"features": [], "slices": [], **trace.roles}
    inferred = tuple(trace.inferred or ())
    periods = {"reference": _Period(trace.reference, "reference"), "current": _Period(trace.current, "data")}
    warnings = []  # aggregates()'s warnings, which nobody reads here
    _check_roles(roles, periods, inferred)
    plan = _Plan(roles=roles, inferred=inferred, chunk_count=chunk_count if roles.get("timestamp") else 1)
    plan.kinds = _feature_kinds(roles["features"], periods, "features" in inferred, warnings)
    plan.cube = list(dict.fromkeys(roles["slices"] + ([roles["model_version"]] if roles.get("model_version") else [])))

    # pass 1: the profiles, then what pushdown decides from them
    def profile(name):
        return periods[name].profile(plan, trace.task, name == "reference")

    profiles = dict(zip(periods, _map(pool, profile, periods)))
    _check_profiles(profiles, periods, plan)
    if trace.task == "binary" and max(profile["label", "distinct"] for profile in profiles.values()) > 2:
        raise TraceError("a binary task needs 2 classes")  # as aggregates() refuses it, after listing them
    _decide_task(plan, trace.task, trace.positive_label, periods, profiles, warnings)
    _check_features(plan, periods, profiles, warnings)
    _decide_cube(plan, profiles, warnings)

    # pass 2: the edges of the numeric features, from the reference
    numeric = [name for name, kind in plan.kinds.items() if kind == "numeric"]
    reference = periods["reference"]
    def edges(name):
        return reference.numeric_edges(name, profiles["reference"])

    plan.edges = dict(zip(numeric, _map(pool, edges, numeric)))

    # pass 3: the group rows of each period
    result = _header(plan, ENGINE)
    def groups(name):
        return periods[name].groups(plan, profiles[name])

    result.update(zip(periods, _map(pool, groups, periods)))
    return result


def _map(pool, function, items) -> list:
    """[function(item) for item in items], on the pool's threads if any (numpy and Arrow release the GIL in most of
    their loops), without numpy's floating-point warnings (NaN read as missing, probabilities clipped)."""

    def quietly(item):
        with np.errstate(all="ignore"):
            return function(item)

    return list(map(quietly, items) if pool is None else pool.map(quietly, items))


class _Period:
    """One period's table, read as pushdown's SQL reads it (`what`: "data" or "reference", as messages name it)."""

    def __init__(self, table: pa.Table, what: str):
        self.table = table
        self.what = what
        self.types = {field.name: field.type for field in table.schema}
        self.rows = table.num_rows
        self._texts = {}  # text column → (codes, texts)

    def column(self, name: str) -> pa.ChunkedArray:
        return self.table.column(name)

    def text_codes(self, name: str) -> tuple:
        """(codes, texts): the column's distinct texts as DuckDB writes them (CAST AS VARCHAR), sorted, and each
        row's rank among them (len(texts) for a missing value)."""
        if name not in self._texts:
            self._texts[name] = _text_codes(self.column(name))
        return self._texts[name]

    # pass 1

    def profile(self, plan: _Plan, task: str, reference: bool) -> dict:
        """The keys of `_pushdown._profile` that pushdown's checks and decisions read, counted exactly."""
        roles = plan.roles
        profile = {"rows": self.rows}
        if self.rows == 0:
            return profile  # refused by _check_profiles before anything else is read
        if roles.get("timestamp"):
            profile["timestamp", "missing"] = self.column(roles["timestamp"]).null_count
        for role in ("label", "prediction", "score"):
            name = roles.get(role)
            if name:
                column = self.column(name)
                extremes = pc.min_max(column)
                profile[role, "missing"] = column.null_count + _nan_count(column)
                profile[role, "min"], profile[role, "max"] = extremes["min"].as_py(), extremes["max"].as_py()
        if task == "binary":
            profile["label", "distinct"] = len(pc.unique(pc.drop_null(self.column(roles["label"]))))
        elif reference and is_number(self.types[roles["label"]]):
            profile["label", "mean"] = float(np.mean(_numbers(self.column(roles["label"]))))
        if roles.get("score"):
            score = self.column(roles["score"])
            profile["score", "outside"] = pc.sum(pc.or_(pc.less(score, 0), pc.greater(score, 1))).as_py() or 0
        for name, kind in plan.kinds.items():
            if kind == "numeric":
                column = self.column(name)
                count = len(column) - column.null_count - _nan_count(column)
                extremes = pc.min_max(column)
                profile[name, "count"] = count
                profile[name, "min"] = float(extremes["min"].as_py()) if count else None
                profile[name, "max"] = float(extremes["max"].as_py()) if count else None
        for name in dict.fromkeys([name for name, kind in plan.kinds.items() if kind == "categorical"] + plan.cube):
            profile["distinct", name] = len(self.text_codes(name)[1])
        return profile

    # pass 2

    def numeric_edges(self, name: str, profile: dict) -> dict:
        """The AGG "features" entry of a numeric feature (`_numeric_edges`) from this period's values: their moments
        about the mean and the order statistics numpy's linear quantiles read (`_linear_quantile`)."""
        column, count = self.column(name), profile[name, "count"]
        positions = np.array(sorted(_order_positions(count, QUANTILE_LEVELS)), dtype=np.intp)
        moments, statistics = _reference_shape(
            lambda: _present_blocks(column), count, profile[name, "min"], profile[name, "max"], positions
        )
        found = dict(zip(positions.tolist(), statistics.tolist()))
        quantiles = [_linear_quantile(found, count, level) for level in QUANTILE_LEVELS]
        return _numeric_edges(profile, name, moments, quantiles)

    # pass 3

    def groups(self, plan: _Plan, profile: dict) -> dict:
        """The PERIOD object: the group rows of every grouping set of `_pushdown._group_query`, counted block by
        block."""
        tallies = _PeriodTallies(self, plan)
        for start in range(0, self.rows, BLOCK_ROWS):
            tallies.add(self.table.slice(start, BLOCK_ROWS), start)
        return tallies.period(profile)

    def boundaries(self, plan: _Plan) -> np.ndarray:
        """The chunk boundaries (`_exact_boundaries`): the sorted epoch milliseconds at ranks i·⌊n/chunks⌋."""
        if plan.chunk_count == 1:
            return np.zeros(0, dtype=np.int64)
        column = self.column(plan.roles["timestamp"])
        size = self.rows // plan.chunk_count
        ranks = [i * size for i in range(1, plan.chunk_count)]
        if _in_order(column):  # as traces often are
            return _epoch_milliseconds(column.take(pa.array(ranks, type=pa.int64())))
        moments = _epoch_milliseconds(column)
        ordered = np.sort(moments) if len(ranks) > 32 else np.partition(moments, ranks)
        return ordered[ranks]

    def cube(self, plan: _Plan) -> "_Cube":
        codes, sizes, labels = [], [], []
        for name in plan.cube:
            column_codes, texts = self.text_codes(name)
            codes.append(column_codes)
            sizes.append(len(texts) + 1)
            labels.append(np.array([*texts, None], dtype=object))
        groups, group_codes = _dense_groups(codes, sizes, self.rows)
        count = len(group_codes[0]) if codes else 1
        return _Cube(groups, count, [values[found] for values, found in zip(labels, group_codes)])


class _PeriodTallies:
    """The grouping sets of one period, counted block by block (`add`), then its PERIOD object (`period`)."""

    def __init__(self, period: _Period, plan: _Plan):
        self.source, self.plan = period, plan
        chunk_count = plan.chunk_count
        self.scored = plan.task == "binary" and bool(plan.roles.get("score"))
        self.error_count = len(ERROR_SUMS.get(plan.task, []))
        self.boundaries = period.boundaries(plan)
        self.cube = period.cube(plan) if plan.with_cube else None
        self.codings = {
            name: _Intervals(plan.edges[name]) if kind == "numeric" else _Values(period.text_codes(name)[1])
            for name, kind in plan.kinds.items()
        }
        self.features = {
            name: _FeatureTally(coding, chunk_count, self.error_count) for name, coding in self.codings.items()
        }
        self.crosses = {
            name: _Tally(CELLS * len(self.codings[name].cause_labels) * self.cube.count, self.error_count)
            for name in plan.crossed
        }
        self.cube_groups = None if self.cube is None else _Tally(CELLS * self.cube.count, self.error_count)
        if self.scored:
            self.calibration = _Tally(chunk_count * CELLS * ECE_BINS, len(plan.sums))
            self.score_bins = _Tally(2 * SCORE_BINS, 0)
            self.chunk_score_bins = _Tally(chunk_count * 2 * CHUNK_SCORE_BINS, 0)
        else:
            self.cells = _Tally(chunk_count * CELLS, len(plan.sums))
        self.chunk_rows = np.zeros(chunk_count, dtype=np.int64)
        self.firsts = np.full(chunk_count, np.iinfo(np.int64).max)
        self.lasts = np.full(chunk_count, np.iinfo(np.int64).min)

    def add(self, block: pa.Table, start: int) -> None:
        """Count the rows of `block`, the period's rows from `start` on."""
        plan, rows = self.plan, block.num_rows
        chunk = self._chunks(block)
        if plan.task == "binary":
            actual = _actual(block, plan)
            cell = np.take(_CELL_OF, 2 * actual + _predicted(block, plan))
        else:
            actual, cell = None, np.zeros(rows, dtype=np.intp)
        chunk_cell = chunk * CELLS + cell
        sums = _row_sums(block, plan, actual)
        if self.scored:
            probability = _numbers(block.column(plan.roles["score"]))
            self.calibration.add(chunk_cell * ECE_BINS + _bins(probability, ECE_BINS), sums)
            self.score_bins.add(actual * SCORE_BINS + _bins(probability, SCORE_BINS))
            self.chunk_score_bins.add((chunk * 2 + actual) * CHUNK_SCORE_BINS + _bins(probability, CHUNK_SCORE_BINS))
        else:
            self.cells.add(chunk_cell, sums)
        error_sums = sums[: self.error_count]
        cube = self.cube
        if cube is not None:
            groups = cube.groups[start : start + rows]
            self.cube_groups.add(cell * cube.count + groups, error_sums)
            by_cause = cell * (CAUSE_CODES * cube.count) + groups  # a numeric cross's key before its cause bin
        for name, coding in self.codings.items():
            if plan.kinds[name] == "numeric":
                codes = coding.locate(_numbers(block.column(name)))
            else:
                codes = self.source.text_codes(name)[0][start : start + rows]
            self.features[name].add(chunk_cell, codes, error_sums)
            if name not in self.crosses:
                continue
            if coding.causes is None:
                keys = np.multiply(codes, cube.count, dtype=np.intp)
                keys += cell * (len(coding.cause_labels) * cube.count) + groups
            else:
                keys = np.take(coding.causes * cube.count, codes)
                keys += by_cause
            self.crosses[name].add(keys, error_sums)

    def _chunks(self, block: pa.Table) -> np.ndarray:
        """Each row's chunk, its count of boundaries <= its epoch milliseconds; the chunks' rows, first and last."""
        timestamp = self.plan.roles.get("timestamp")
        if timestamp:
            moments = _epoch_milliseconds(block.column(timestamp))
            chunk = np.searchsorted(self.boundaries, moments, side="right")
            np.minimum.at(self.firsts, chunk, moments)
            np.maximum.at(self.lasts, chunk, moments)
        else:
            chunk = np.zeros(block.num_rows, dtype=np.intp)
        self.chunk_rows += np.bincount(chunk, minlength=self.plan.chunk_count)
        return chunk

    def period(self, profile: dict) -> dict:
        plan, timed = self.plan, bool(self.plan.roles.get("timestamp"))
        chunks = []
        for rows, first, last in zip(self.chunk_rows.tolist(), self.firsts.tolist(), self.lasts.tolist()):
            seen = timed and rows > 0
            chunks.append({"rows": rows, "start": _iso(first) if seen else None, "end": _iso(last) if seen else None})
        period = {
            "rows": self.source.rows,
            "chunks": chunks,
            "cells": [],
            "calibration": [],
            "scores": [],
            "chunk_scores": [],
            "features": {},
            "cube": [],
            "crosses": {},
        }
        if self.scored:
            self._score_rows(period)
        else:
            keys, counts, totals = self.cells.result()
            period["cells"] = _rows([keys // CELLS, keys % CELLS], counts, totals)
        for name, kind in plan.kinds.items():
            feature = self.features[name].entry()
            if kind == "numeric":
                feature["min"], feature["max"] = _float(profile[name, "min"]), _float(profile[name, "max"])
            period["features"][name] = feature
            if name in self.crosses:
                period["crosses"][name] = self.cube.rows(self.crosses[name], self.codings[name].cause_labels)
        if self.cube is not None:
            period["cube"] = self.cube.rows(self.cube_groups)
        return period

    def _score_rows(self, period: dict) -> None:
        """Cells and calibration from the (chunk, cell, ece bin) groups; the score bins of the period and of each
        chunk."""
        chunk_count = self.plan.chunk_count
        keys, counts, totals = self.calibration.result()
        merged = _count(keys // ECE_BINS, chunk_count * CELLS, totals, counts)
        period["cells"] = _rows([merged[0] // CELLS, merged[0] % CELLS], *merged[1:])
        chunk_of, cell_of, ece_bin = keys // (CELLS * ECE_BINS), keys // ECE_BINS % CELLS, keys % ECE_BINS
        positive = ((cell_of == 0) | (cell_of == 3)).astype(np.intp)  # tp and fn
        size = 2 * ECE_BINS
        keys = (chunk_of * 2 + positive) * ECE_BINS + ece_bin
        keys, counts, totals = _count(keys, chunk_count * size, totals[:1], counts)
        period["calibration"] = _rows([keys // size, keys // ECE_BINS % 2, keys % ECE_BINS], counts, totals)
        keys, counts, _ = self.score_bins.result()
        period["scores"] = _rows([keys // SCORE_BINS, keys % SCORE_BINS], counts, [])
        keys, counts, _ = self.chunk_score_bins.result()
        size = 2 * CHUNK_SCORE_BINS
        columns = [keys // size, keys // CHUNK_SCORE_BINS % 2, keys % CHUNK_SCORE_BINS]
        period["chunk_scores"] = _rows(columns, counts, [])


def _in_order(column: pa.ChunkedArray) -> bool:
    """Whether the date-times never decrease, checked block by block."""
    last = None
    for start in range(0, len(column), BLOCK_ROWS):
        moments = _epoch_milliseconds(column.slice(start, BLOCK_ROWS))
        if (last is not None and moments[0] < last) or not np.all(moments[1:] >= moments[:-1]):
            return False
        last = moments[-1]
    return True


def _actual(block: pa.Table, plan: _Plan) -> np.ndarray:
    """1 where the label is the positive class, 0 where it is one of the others (`_group_query`'s "a"); a label that
    is neither is refused, as pass 3 refuses it."""
    label = block.column(plan.roles["label"])
    positive = _equals(label, plan.positive)
    known = positive.copy()
    for value in plan.negatives:
        known |= _equals(label, value)
    if not np.all(known):
        raise TraceError("a label beyond the classes")
    return positive.astype(np.intp)


def _predicted(block: pa.Table, plan: _Plan) -> np.ndarray:
    if plan.roles.get("prediction"):
        predicted = _equals(block.column(plan.roles["prediction"]), plan.positive)
    else:
        predicted = _numbers(block.column(plan.roles["score"])) >= SCORE_THRESHOLD
    return predicted.astype(np.intp)


def _row_sums(block: pa.Table, plan: _Plan, actual) -> list:
    """The per-row terms of `plan.sums` (`_pushdown._row_sums`)."""
    roles = plan.roles
    if plan.task == "regression":
        label = _numbers(block.column(roles["label"]))
        error = label - _numbers(block.column(roles["prediction"]))
        absolute = np.abs(error)
        centered = label - plan.center
        return [absolute, error * error, absolute / np.maximum(np.abs(label), EPSILON), centered, centered * centered]
    if not plan.sums:
        return []
    probability = _numbers(block.column(roles["score"]))
    clipped = np.minimum(np.maximum(probability, EPSILON), 1 - EPSILON)
    log_loss = -np.log(np.where(actual == 1, clipped, 1 - clipped))
    return [probability, (probability - actual) * (probability - actual), log_loss]


class _Tally:
    """Row counts and sums of the groups of rows with equal keys (integers in [0, space)), added block by block:
    over the whole key space when it is at most DENSE_SPACE, else over each block's distinct keys, merged at the
    end."""

    def __init__(self, space: int, sum_count: int):
        self.space = space
        self.dense = space <= DENSE_SPACE
        if self.dense:
            self.counts = np.zeros(space, dtype=np.int64)
            self.sums = [np.zeros(space) for _ in range(sum_count)]
        else:
            self.parts = []

    def add(self, keys: np.ndarray, sums: list = ()) -> None:
        if not self.dense:
            self.parts.append(_count(keys, self.space, list(sums)))
            return
        self.counts += np.bincount(keys, minlength=self.space)
        for total, terms in zip(self.sums, sums):
            total += np.bincount(keys, weights=terms, minlength=self.space)

    def result(self) -> tuple:
        """(keys, counts, sums) of the groups with rows, in key order."""
        if self.dense:
            present = np.flatnonzero(self.counts)
            return present, self.counts[present], [total[present] for total in self.sums]
        keys, counts, sums = zip(*self.parts)
        merged_sums = [np.concatenate(parts) for parts in zip(*sums)]
        return _count(np.concatenate(keys), self.space, merged_sums, np.concatenate(counts))


class _FeatureTally:
    """A feature's groups by chunk, cell and code (its interval or value); when that key space is large, its bins
    (cell, bucket or value) and its chunks (chunk, doane bin or value) apart."""

    def __init__(self, coding, chunk_count: int, error_count: int):
        self.coding = coding
        self.chunk_count = chunk_count
        self.whole = _Tally(chunk_count * CELLS * coding.size, error_count)
        if not self.whole.dense:
            self.whole = None
            self.bins = _Tally(CELLS * len(coding.bin_labels), error_count)
            self.chunks = _Tally(chunk_count * len(coding.chunk_labels), 0)

    def add(self, chunk_cell, codes, error_sums: list) -> None:
        coding = self.coding
        if self.whole is not None:
            self.whole.add(chunk_cell * coding.size + codes, error_sums)
            return
        bins = codes if coding.bins is None else np.take(coding.bins, codes)
        self.bins.add(chunk_cell % CELLS * len(coding.bin_labels) + bins, error_sums)
        chunks = codes if coding.chunks is None else np.take(coding.chunks, codes)
        self.chunks.add(chunk_cell // CELLS * len(coding.chunk_labels) + chunks)

    def entry(self) -> dict:
        """The PERIOD features entry: "bins" by cell and bucket or value, "chunks" by chunk and doane bin or value."""
        coding = self.coding
        if self.whole is not None:
            keys, counts, totals = self.whole.result()
            chunk_cell, codes = keys // coding.size, keys % coding.size
            bins, chunks = coding.bins, coding.chunks
            width = len(coding.bin_labels)
            merged = chunk_cell % CELLS * width + (codes if bins is None else bins[codes])
            found = _count(merged, CELLS * width, totals, counts)
            width = len(coding.chunk_labels)
            merged = chunk_cell // CELLS * width + (codes if chunks is None else chunks[codes])
            found_chunks = _count(merged, self.chunk_count * width, [], counts)
        else:
            found, found_chunks = self.bins.result(), self.chunks.result()
        entry = {}
        for part, (keys, counts, totals), labels in (
            ("bins", found, coding.bin_labels), ("chunks", found_chunks, coding.chunk_labels)
        ):
            entry[part] = _rows([keys // len(labels), labels[keys % len(labels)]], counts, totals)
        return entry


class _Cube:
    """A period's cube: each row's group (the tuple of its cube columns' values; groups numbered in the order of
    their values, missing last; one group without cube columns) and each group's values."""

    def __init__(self, groups: np.ndarray, count: int, values: list):
        self.groups = groups
        self.count = count
        self.values = values  # each cube column's value by group (object arrays)

    def rows(self, tally: _Tally, labels=None) -> list:
        """The group rows of the (cell, group) keys of `tally`, [cell, ...values, count, ...sums] (the AGG "cube"),
        or with codes, of its (cell, code, group) keys, [cell, label of the code, ...values, count, ...sums] (a
        cross)."""
        size = 1 if labels is None else len(labels)
        keys, counts, totals = tally.result()
        group = keys % self.count
        columns = [keys // (size * self.count)]
        if labels is not None:
            columns.append(labels[keys // self.count % size])
        return _rows([*columns, *(values[group] for values in self.values)], counts, totals)


class _Values:
    """The coding of a categorical feature: its texts' ranks (`_Period.text_codes`), missing last, as they are."""

    bins = chunks = causes = None

    def __init__(self, texts: list):
        self.size = len(texts) + 1
        self.bin_labels = self.chunk_labels = self.cause_labels = np.array([*texts, None], dtype=object)


class _Intervals:
    """Where numbers lie among a numeric feature's edges M (its AGG "features" entry), as intervals between cuts: M
    and the numbers just above the last doane edge and just above the reference max, so that each interval has one
    bucket (`_bucket`: #(m_j <= x), the last doane edge alone in its interval with its own bucket), one doane bin
    (`_doane_codes`) and one root-cause bin (`_cause_bin`). `locate` codes a value by its interval, #(cuts <= x), and
    a missing value size - 1; `bins`, `chunks` and `causes` map those codes to buckets, doane bins and root-cause
    bins, whose `*_labels` are the AGG's keys (the missing one last, None)."""

    def __init__(self, feature: dict):
        edges, doane, deciles = feature["edges"], feature["doane"], feature["deciles"]
        low, high = feature["grid"][0], feature["grid"][-1]
        self.cuts = np.unique(np.concatenate([edges, [np.nextafter(doane[-1], np.inf), np.nextafter(high, np.inf)]]))
        self.size = len(self.cuts) + 2
        buckets, causes = [0], [0]  # below every cut: below the edges and the reference min
        for value in self.cuts.tolist():
            buckets.append(len(edges) + 1 if value == doane[-1] else bisect_right(edges, value))
            if value < low:
                causes.append(0)
            else:
                causes.append(len(deciles) + 2 if value > high else 1 + bisect_right(deciles, value))
        doane_of = _doane_codes(feature)
        self.bins = np.array([*buckets, len(edges) + 2], dtype=np.intp)
        self.bin_labels = np.array([*range(len(edges) + 2), None], dtype=object)
        self.chunks = np.array([*(doane_of[bucket] for bucket in buckets), len(doane)], dtype=np.intp)
        self.chunk_labels = np.array([*range(len(doane)), None], dtype=object)
        self.causes = np.array([*causes, CAUSE_CODES - 1], dtype=np.intp)
        self.cause_labels = np.array([*range(CAUSE_CODES - 1), None], dtype=object)
        # #(cuts <= x) = #(edges <= x) + #(v in above: v < x); the edges by grid cell: those of the cells before a
        # value's cell are below it, those of the cells after it above it, so only those of its cell are compared
        self._above = [float(value) for value in np.unique([doane[-1], high])]
        edges = np.array(edges)
        self._grid = _Grid(edges[0], edges[-1])
        edge_cells = self._grid.cells(edges)
        self._first_edge = np.searchsorted(edge_cells, np.arange(GRID_CELLS), side="left")
        per_cell = np.bincount(edge_cells, minlength=GRID_CELLS)
        self.edges_per_cell = int(per_cell.max())
        # the cell's edges, by rank within their cell (+inf beyond its last): x counts those it reaches
        self._cell_edges = []
        for rank in range(self.edges_per_cell if self.edges_per_cell <= MAX_EDGES_PER_CELL else 0):
            thresholds = np.full(GRID_CELLS, np.inf)
            holding = per_cell > rank
            thresholds[holding] = edges[self._first_edge[holding] + rank]
            self._cell_edges.append(thresholds)
        self._edges = edges

    def locate(self, values: np.ndarray) -> np.ndarray:
        if not self._grid.usable or not self._cell_edges:
            codes = np.searchsorted(self._edges, values, side="right")
        else:
            cells = self._grid.cells(values)
            codes = np.take(self._first_edge, cells)
            for thresholds in self._cell_edges:
                codes += values >= np.take(thresholds, cells)
        for value in self._above:
            codes += values > value
        missing = np.isnan(values)
        if missing.any():
            codes[missing] = self.size - 1
        return codes


class _Grid:
    """GRID_CELLS equal cells over [start, stop]: a value's cell is floor((x - start)·scale) clipped to the grid,
    non-decreasing in x (each operation rounds monotonically); NaN falls in cell 0."""

    def __init__(self, start: float, stop: float):
        self.start = float(start)
        self.scale = GRID_CELLS / (float(stop) - self.start) if stop > start else 0.0
        self.usable = bool(np.isfinite(self.scale) and self.scale > 0)

    def cells(self, values: np.ndarray) -> np.ndarray:
        position = values - self.start
        position *= self.scale
        np.fmax(position, 0, out=position)
        np.fmin(position, GRID_CELLS - 1, out=position)
        return position.astype(np.intp)


def _present_blocks(column: pa.ChunkedArray):
    """The column's numbers by blocks of BLOCK_ROWS rows, without the missing ones."""
    for start in range(0, len(column), BLOCK_ROWS):
        values = _numbers(column.slice(start, BLOCK_ROWS))
        missing = np.isnan(values)
        yield values[~missing] if missing.any() else values


def _reference_shape(blocks, count: int, low: float, high: float, positions: np.ndarray) -> tuple:
    """(moments, order statistics) of the `count` numbers from `low` to `high` (no NaN) that `blocks()` yields block
    by block: their central moments m2 and m3 (None below 3 values, as numpy's doane rule ignores them), and
    numpy.sort(values)[positions] without sorting them all. A histogram over a uniform grid finds the cells that
    hold the positions, and only those cells' values are sorted; when they are many, not those of the cells that
    hold one value repeated (whose least value is their greatest). Three passes over the blocks at most."""
    grid = _Grid(low, high)
    if not grid.usable or count <= GRID_CELLS:  # few values, or all equal, or too spread for the grid
        values = np.concatenate(list(blocks()))
        moments = _Moments(float(np.sum(values)) / count)
        moments.add(values)
        return moments.result(count), np.sort(values)[positions]
    counts, total, cells_by_block = np.zeros(GRID_CELLS, dtype=np.int64), 0.0, []
    for values in blocks():
        cells = grid.cells(values)
        counts += np.bincount(cells, minlength=GRID_CELLS)
        total += float(np.sum(values))
        cells_by_block.append(cells.astype(np.uint16))  # GRID_CELLS <= 2^16
    ends = np.cumsum(counts)
    holding = np.searchsorted(ends, positions, side="right")  # the cell of each position
    sorting = np.zeros(GRID_CELLS, dtype=bool)
    sorting[holding] = True
    found = np.empty(len(positions))
    if np.sum(counts[sorting]) > count // 8:
        least, greatest = np.full(GRID_CELLS, np.inf), np.full(GRID_CELLS, -np.inf)
        for values, cells in zip(blocks(), cells_by_block):
            np.minimum.at(least, cells, values)
            np.maximum.at(greatest, cells, values)
        sorting &= least < greatest
        found = least[holding]
    picked, moments = [], _Moments(total / count)
    for values, cells in zip(blocks(), cells_by_block):
        picked.append(values[np.take(sorting, cells)])
        moments.add(values)
    # sorted, the values of the sorted cells are those cells' values in cell order
    sorted_values = np.sort(np.concatenate(picked))
    sorted_counts = np.where(sorting, counts, 0)
    offsets = np.cumsum(sorted_counts) - sorted_counts
    in_sorted = sorting[holding]
    sorted_cells = holding[in_sorted]
    found[in_sorted] = sorted_values[offsets[sorted_cells] + positions[in_sorted] - (ends - counts)[sorted_cells]]
    return moments.result(count), found


class _Moments:
    """The sums of squared and cubed deviations from `mean`, added block by block."""

    def __init__(self, mean: float):
        self.mean, self.squares, self.cubes = mean, 0.0, 0.0

    def add(self, values: np.ndarray) -> None:
        deviations = values - self.mean
        squared = deviations * deviations
        self.squares += float(np.sum(squared))
        self.cubes += float(np.dot(squared, deviations))

    def result(self, count: int):
        """(m2, m3), the mean squared and cubed deviations; None below 3 values (numpy's doane rule ignores them)."""
        return None if count <= 2 else (self.squares / count, self.cubes / count)


def _count(keys: np.ndarray, space: int, sums: list, counts=None) -> tuple:
    """(keys, counts, sums) of the groups of equal `keys` (integers in [0, space)), in key order, groups with rows
    only: rows counted, or `counts` added when the keys are those of groups being merged. numpy.bincount over the
    key space when it is no larger than the keys, else over the distinct keys (numpy.unique)."""
    if space > max(len(keys), 1 << 16):
        distinct, keys = np.unique(keys, return_inverse=True)
        found, found_counts, totals = _count(keys.reshape(-1), len(distinct), sums, counts)
        return distinct[found], found_counts, totals
    if counts is None:
        totals_of_counts = np.bincount(keys, minlength=space)
    else:
        totals_of_counts = np.rint(np.bincount(keys, weights=counts, minlength=space)).astype(np.int64)
    present = np.flatnonzero(totals_of_counts)
    totals = [np.bincount(keys, weights=terms, minlength=space)[present] for terms in sums]
    return present, totals_of_counts[present], totals


def _rows(columns: list, counts: np.ndarray, sums: list) -> list:
    """[...keys, count, ...sums] rows (Python values) from aligned arrays: integer arrays for integer keys, object
    arrays for keys that can be None or text."""
    table = np.empty((len(counts), len(columns) + 1 + len(sums)), dtype=object)
    for index, values in enumerate([*columns, counts, *sums]):
        table[:, index] = values
    return table.tolist()


def _dense_groups(codes: list, sizes: list, rows: int) -> tuple:
    """(each row's group, in the smallest integer type, and each group's codes per column) of rows by the tuple of
    their codes (column i's codes in [0, sizes[i])), groups numbered in tuple order. The tuple is one integer in
    mixed radix: over a key space of at most PRESENCE_SPACE, the keys present are marked block by block; else the
    keys of all rows are ranked at once (`_renumbered`), the groups so far renumbered whenever the next column
    would take the key past 62 bits."""
    space = int(np.prod(sizes, dtype=object))
    if space <= PRESENCE_SPACE:
        present = np.zeros(space, dtype=bool)
        blocks = [(start, min(start + BLOCK_ROWS, rows)) for start in range(0, rows, BLOCK_ROWS)]
        for start, stop in blocks:
            present[_mixed_radix(codes, sizes, start, stop)] = True
        distinct = np.flatnonzero(present)
        numbers = (np.cumsum(present) - 1).astype(_code_type(len(distinct)))
        groups = np.concatenate([np.take(numbers, _mixed_radix(codes, sizes, start, stop)) for start, stop in blocks])
        found = []
        for size in reversed(sizes):
            found.append(distinct % size)
            distinct = distinct // size
        return groups, found[::-1]
    key, space = np.zeros(rows, dtype=np.intp), 1
    for column, size in zip(codes, sizes):
        if space * size >= 1 << 62:
            key, space = _renumbered(key, space)
        key *= size
        key += column
        space *= size
    groups, count = _renumbered(key, space)
    any_row = np.zeros(count, dtype=np.intp)
    any_row[groups] = np.arange(rows)
    return groups.astype(_code_type(count)), [column[any_row] for column in codes]


def _mixed_radix(codes: list, sizes: list, start: int, stop: int) -> np.ndarray:
    """The tuples of codes of rows start … stop - 1 as integers in mixed radix (`sizes`)."""
    key = np.zeros(stop - start, dtype=np.intp)
    for column, size in zip(codes, sizes):
        key *= size
        key += column[start:stop]
    return key


def _renumbered(key: np.ndarray, space: int) -> tuple:
    """(each row's rank among the distinct keys, their number): bincount over the key space when it is no larger
    than the rows, else numpy.unique."""
    if space > max(len(key), 1 << 16):
        distinct, ranks = np.unique(key, return_inverse=True)
        return ranks.reshape(-1), len(distinct)
    present = np.bincount(key, minlength=space) > 0
    numbers = np.cumsum(present) - 1
    return np.take(numbers, key), int(np.count_nonzero(present))


def _text_codes(column: pa.ChunkedArray) -> tuple:
    """(codes, texts) of `_Period.text_codes`: the column dictionary-encoded (its chunks share one dictionary), the
    dictionary written as text and sorted, the codes mapped to ranks in it, in the smallest integer type."""
    encoded = pc.dictionary_encode(column)
    if encoded.num_chunks == 0:
        return np.zeros(0, dtype=np.int8), []
    texts = _as_texts(encoded.chunk(encoded.num_chunks - 1).dictionary)
    order = sorted(range(len(texts)), key=texts.__getitem__)
    rank = np.empty(len(texts), dtype=_code_type(len(texts) + 1))
    rank[order] = np.arange(len(texts))
    ranks = pa.array(rank)
    codes = [pc.take(ranks, chunk.indices).fill_null(len(texts)).to_numpy() for chunk in encoded.chunks]
    return np.concatenate(codes), [texts[index] for index in order]


def _code_type(count: int):
    """The smallest signed integer type holding 0 … count - 1."""
    for code_type in (np.int8, np.int16, np.int32):
        if count <= np.iinfo(code_type).max + 1:
            return code_type
    return np.int64


def _nan_count(column: pa.ChunkedArray) -> int:
    if not pa.types.is_floating(column.type):
        return 0
    return pc.sum(pc.is_nan(column)).as_py() or 0


def _as_texts(values: pa.Array) -> list:
    """Values as DuckDB's CAST(... AS VARCHAR) writes them (the wire types; time stamps in UTC, as DuckDB's session
    time zone UTC writes them): a TraceError for what it does not write alike."""
    arrow_type = values.type
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return values.to_pylist()
    if pa.types.is_boolean(arrow_type):
        return ["true" if value else "false" for value in values.to_pylist()]
    if pa.types.is_integer(arrow_type):
        return [str(value) for value in values.to_pylist()]
    if pa.types.is_floating(arrow_type):
        return [repr(float(value)) for value in values.to_pylist()]
    if pa.types.is_timestamp(arrow_type):
        return [_timestamp_text(value) for value in _epoch_milliseconds(values).tolist()]
    raise TraceError(f"no text form for {arrow_type}")


def _timestamp_text(milliseconds: int) -> str:
    """As DuckDB writes a TIMESTAMPTZ in UTC: "2024-05-01 12:00:00.25+00" (fraction without trailing zeros)."""
    try:
        moment = _EPOCH + timedelta(milliseconds=milliseconds)
    except OverflowError:
        raise TraceError("a time stamp beyond year 9999") from None
    text = f"{moment.year:04d}-{moment:%m-%d %H:%M:%S}"
    fraction = milliseconds % 1000
    return text + (f".{fraction:03d}".rstrip("0") if fraction else "") + "+00"


def _numbers(column) -> np.ndarray:
    """The column as float64, missing values as NaN (SQL's CAST AS DOUBLE, NaN being NULL there)."""
    if not pa.types.is_float64(column.type):
        column = column.cast(pa.float64(), safe=False)
    if column.null_count:
        column = column.fill_null(np.nan)
    return column.to_numpy()


def _epoch_milliseconds(column) -> np.ndarray:
    """Milliseconds since 1970-01-01 UTC of date-times (the wire's timestamp[ms, UTC])."""
    if not (pa.types.is_timestamp(column.type) and column.type.unit == "ms"):
        column = column.cast(pa.timestamp("ms", tz="UTC"), safe=False)
    return column.cast(pa.int64()).to_numpy()


def _equals(column: pa.ChunkedArray, value) -> np.ndarray:
    """True where the column equals `value` as `_Columns.equals` compares: as text when the column holds text, else
    as numbers."""
    if _kind_of(column.type) == "text":
        return pc.equal(column, _as_text(value)).to_numpy(zero_copy_only=False)
    try:
        target = float(value)
    except (TypeError, ValueError):
        return np.zeros(len(column), dtype=bool)
    return _numbers(column) == target


def _bins(probability: np.ndarray, bins: int) -> np.ndarray:
    """min(⌊p·bins⌋, bins - 1) of probabilities in [0, 1]."""
    return np.minimum((probability * bins).astype(np.intp), bins - 1)
