"""Pushdown: the rows stay in DuckDB or Spark, which computes sufficient statistics; only those make the trace.

`aggregates()` returns the DATA object of format "aggregates", version 1 (docs/trace-format.md), for both periods.
The engine reads the rows in three passes, each one SQL query per period:
1. profile (both periods): rows, missing values, label classes, chunk boundaries (timestamp quantiles), per numeric
   feature count, min, max and, in the reference, mean (and Spark's approximate quantiles); distinct counts of the
   categorical features and slices;
2. reference shape: central moments m2 and m3 of the numeric features, for numpy's doane rule; in DuckDB, a second
   query picks the order statistics of numpy's linear quantiles (deciles and grid);
3. groups (both periods): one GROUP BY GROUPING SETS query returning every group row at once, one set for the
   score bins by chunk and cell (or the cells, without a score), one per feature by chunk, cell and bucket (or
   value), one for the cube of slices; the cells, and each feature's bins and chunks, are their sums here (fewer
   sets: each costs the engine a pass over its rows). A numeric bucket is a balanced nested CASE over the edges (a
   binary search of depth log2 of their count); a feature's doane buckets derive from it, since the doane edges
   are among the edges.
"""
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np
import pyarrow as pa

from ._engines import number, open_engine
from ._errors import TraceError, column_ref, show
from ._task import MAX_INFERRED_CLASSES, check_task_name, few, resolve_positive_label
from ._wire import is_number, is_temporal, is_text

FORMAT_VERSION = 1
SCORE_THRESHOLD = 0.5
SCORE_BINS = 1000
CHUNK_SCORE_BINS = 100
ECE_BINS = 10
GRID_SIZE = 1000
MAX_CATEGORIES = 1000
MAX_CUBE_COMBINATIONS = 200_000
# a feature's cross with the cube (its root-cause bins × the cube's groups) is kept up to this many combinations
MAX_CROSS_COMBINATIONS = 200_000
EPSILON = 2.220446049250313e-16
DECILE_LEVELS = [i / 10 for i in range(1, 10)]
GRID_LEVELS = [k / GRID_SIZE for k in range(GRID_SIZE + 1)]
QUANTILE_LEVELS = sorted(set(DECILE_LEVELS) | set(GRID_LEVELS))
SUMS = {"score": ["score", "brier", "log_loss"], "regression": ["abs", "sq", "ape", "y", "y2"]}
# the sums a feature's bins and the cube carry: the error of the primary metric (binary errors are their cells)
ERROR_SUMS = {"regression": ["abs", "sq"]}
# code of a binary row whose label is neither the positive class nor a negative one (pass 3 refuses it)
OTHER_CLASS_CELL = 4
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def aggregates(current, reference, *, roles, task, positive_label, chunk_count=10, inferred=(), warnings=None) -> dict:
    """The "aggregates" DATA of `current` against `reference`: DuckDB relations, PySpark DataFrames or Polars
    LazyFrames (both of one kind), with `roles` as `resolve_roles` gives them.

    `task` and `positive_label` are the caller's (None: inferred as for rows in memory); `inferred` lists the roles
    inferred from column names (for messages); `warnings` receives the warnings. Raises TraceError, naming the column
    and the period, for what pushdown cannot summarise. Features it cannot bin are left out with a warning (the
    returned "features" are the ones kept).
    """
    warnings = [] if warnings is None else warnings
    if not isinstance(chunk_count, int) or chunk_count < 1:
        raise TraceError(f"chunk_count must be a whole number >= 1, got {show(chunk_count)}")
    with open_engine(reference, "reference") as reference_engine, open_engine(current, "data") as current_engine:
        periods = {"reference": _Columns(reference_engine, "reference"), "current": _Columns(current_engine, "data")}
        _check_roles(roles, periods, inferred)
        plan = _Plan(roles=roles, inferred=inferred, chunk_count=chunk_count if roles.get("timestamp") else 1)
        plan.kinds = _feature_kinds(roles["features"], periods, "features" in inferred, warnings)
        plan.cube = list(dict.fromkeys(roles["slices"] + ([roles["model_version"]] if roles.get("model_version") else [])))

        # pass 1: profile both periods, then everything that decides what pass 3 groups by
        profiles = {name: _profile(columns, plan, name == "reference") for name, columns in periods.items()}
        _check_profiles(profiles, periods, plan)
        _exact_boundaries(profiles, periods, plan)
        _decide_task(plan, task, positive_label, periods, profiles, warnings)
        _check_features(plan, periods, profiles, warnings)
        _decide_cube(plan, profiles, warnings)

        # pass 2: the reference's moments and quantiles, for the edges of the numeric features
        reference_profile = profiles["reference"]
        numeric = [name for name, kind in plan.kinds.items() if kind == "numeric"]
        moments = _moments(periods["reference"], numeric, reference_profile)
        quantiles = _quantiles(periods["reference"], numeric, reference_profile)
        plan.edges = {
            name: _numeric_edges(reference_profile, name, moments.get(name), quantiles[name]) for name in numeric
        }

        # pass 3: the group rows of each period
        result = _header(plan, reference_engine.name)
        for name, columns in periods.items():
            result[name] = _period(columns, plan, profiles[name])
    return result


@dataclass
class _Plan:
    """What the passes compute, decided from the roles, the profiles and the reference."""

    roles: dict
    inferred: tuple
    chunk_count: int
    kinds: dict = field(default_factory=dict)  # feature → "numeric" or "categorical"
    cube: list = field(default_factory=list)  # the cube's columns
    with_cube: bool = True  # False when they make too many value combinations
    task: str = ""
    positive: object = None  # binary: the positive class and the other classes
    negatives: list = field(default_factory=list)
    center: float = 0.0  # regression: mean of the reference label
    sums: list = field(default_factory=list)
    edges: dict = field(default_factory=dict)  # numeric feature → its edges (the AGG "features" entry)
    crossed: list = field(default_factory=list)  # features crossed with the cube (root causes' overlaps)

    def described(self, role: str) -> str:
        return column_ref(self.roles[role], role, role in self.inferred)


class _Columns:
    """SQL expressions over the columns of one period (`what`: "data" or "reference", as messages name it)."""

    def __init__(self, engine, what: str):
        self.engine = engine
        self.what = what
        self.types = {column.name: column.type for column in engine.schema}

    def raw(self, name: str) -> str:
        return self.engine.quote(name)

    def number(self, name: str) -> str:
        """The column as DOUBLE, NaN read as NULL."""
        value = f"CAST({self.raw(name)} AS DOUBLE)"
        if pa.types.is_floating(self.types[name]):
            return f"CASE WHEN {self.engine.is_nan(value)} THEN NULL ELSE {value} END"
        return value

    def value(self, name: str) -> str:
        """The column as it is, except floats and decimals: as DOUBLE with NaN read as NULL (for missing counts,
        extremes and classes)."""
        arrow_type = self.types[name]
        exact = pa.types.is_integer(arrow_type) or not is_number(arrow_type)
        return self.raw(name) if exact else self.number(name)

    def text(self, name: str) -> str:
        return f"CAST({self.raw(name)} AS {self.engine.text_type})"

    def equals(self, name: str, value) -> str:
        """True where the column equals `value` as the in-memory metrics compare: as text when the column holds
        text, else as numbers."""
        if _kind_of(self.types[name]) == "text":
            return f"{self.text(name)} = {self.engine.string(_as_text(value))}"
        try:
            target = float(value)
        except (TypeError, ValueError):
            return "FALSE"
        return f"CAST({self.raw(name)} AS DOUBLE) = {number(target)}"


def _check_roles(roles: dict, periods: dict, inferred) -> None:
    """What pushdown needs of the role columns' types, before reading any row."""
    if not roles.get("label"):
        raise TraceError("pushdown needs a label column: name it with label=")
    if roles.get("scores"):
        raise TraceError(_multiclass_refusal("scores " + ", ".join(f'"{name}"' for name in roles["scores"]) + " are given"))
    for role in ("label", "prediction", "score", "timestamp"):
        name = roles.get(role)
        if not name:
            continue
        described = column_ref(name, role, role in inferred)
        kinds = {columns.what: _kind_of(columns.types[name]) for columns in periods.values()}
        if len(set(kinds.values())) > 1:
            raise TraceError(
                f"{described} holds {kinds['data']} in data but {kinds['reference']} in reference; "
                "pushdown needs one kind of value in both"
            )
        for columns in periods.values():
            arrow_type = columns.types[name]
            if role == "timestamp" and not is_temporal(arrow_type):
                raise TraceError(
                    f"{described} in {columns.what} holds {arrow_type}, not date-times; pushdown needs a date or "
                    "timestamp column: cast it in the query"
                )
            if role == "score" and not is_number(arrow_type):
                raise TraceError(f"{described} in {columns.what} must hold probabilities in [0, 1], got {arrow_type} values")
            if role in ("label", "prediction") and _kind_of(arrow_type) not in ("numbers", "booleans", "text"):
                raise TraceError(f"{described} in {columns.what} holds {arrow_type}, not classes or values")


def _feature_kinds(features: list, periods: dict, inferred: bool, warnings: list) -> dict:
    """Feature → "numeric" (numbers) or "categorical" (text, booleans); other types are refused, or left out with a
    warning when the features were inferred."""
    kinds = {}
    for name in features:
        found = {columns.what: _kind_of(columns.types[name]) for columns in periods.values()}
        if not set(found.values()) <= {"numbers", "booleans", "text"}:
            arrow_type = periods["current"].types[name]
            message = f'feature "{name}" has type {arrow_type}: pushdown summarises numbers, booleans and text only'
            if not inferred:
                raise TraceError(message + "; drop it from features=[...] or cast it in the query")
            warnings.append(message + "; it is left out")
            continue
        if found["data"] != found["reference"]:
            raise TraceError(
                f'feature "{name}" holds {found["data"]} in data but {found["reference"]} in reference; '
                "pushdown needs one kind of value in both"
            )
        kinds[name] = "numeric" if found["data"] == "numbers" else "categorical"
    return kinds


def _profile(columns: _Columns, plan: _Plan, reference: bool) -> dict:
    """Pass 1 over one period: one row of counts, extremes, quantiles and distinct counts."""
    roles, engine = plan.roles, columns.engine
    items = {"rows": "count(*)"}
    timestamp = roles.get("timestamp")
    if timestamp:
        items["timestamp", "missing"] = f"count_if({columns.raw(timestamp)} IS NULL)"
        if plan.chunk_count > 1:
            levels = [i / plan.chunk_count for i in range(1, plan.chunk_count)]
            boundaries = engine.discrete_quantiles(_epoch(columns, timestamp), levels)
            if boundaries is not None:
                items["boundaries"] = boundaries
    for role in ("label", "prediction", "score"):
        name = roles.get(role)
        if not name:
            continue
        value = columns.value(name)
        items[role, "missing"] = f"count_if({value} IS NULL)"
        items[role, "min"], items[role, "max"] = f"min({value})", f"max({value})"
        if pa.types.is_floating(columns.types[name]):
            items[role, "fractions"] = f"count_if({value} <> ROUND({value}))"
    items["label", "distinct"] = f"approx_count_distinct({columns.raw(roles['label'])})"
    if reference and is_number(columns.types[roles["label"]]):
        items["label", "mean"] = f"avg({columns.value(roles['label'])})"
    if roles.get("score"):
        probability = columns.number(roles["score"])
        items["score", "outside"] = f"count_if({probability} < 0 OR {probability} > 1)"
    for name, kind in plan.kinds.items():
        if kind == "numeric":
            value = columns.number(name)
            items[name, "count"] = f"count({value})"
            items[name, "min"], items[name, "max"] = f"min({value})", f"max({value})"
            if reference:
                items[name, "mean"] = f"avg({value})"
                quantiles = engine.approximate_quantiles(value, QUANTILE_LEVELS)
                if quantiles is not None:
                    items[name, "quantiles"] = quantiles
    distinct = [name for name, kind in plan.kinds.items() if kind == "categorical"] + plan.cube
    for name in dict.fromkeys(distinct):
        items["distinct", name] = f"approx_count_distinct({columns.text(name)})"
    return _fetch_one(engine, items)


def _exact_boundaries(profiles: dict, periods: dict, plan: _Plan) -> None:
    """Where the engine can rank rows (DuckDB), chunk boundaries at ranks i·⌊n/chunks⌋ of the sorted timestamps, so
    the chunks are the in-memory ones: ⌊n/chunks⌋ rows each, the last one the remainder (rows tied with a boundary
    go to the later chunk)."""
    if plan.chunk_count == 1:
        return
    for name, columns in periods.items():
        size = profiles[name]["rows"] // plan.chunk_count
        ranks = [i * size for i in range(1, plan.chunk_count)]
        found = columns.engine.values_at_ranks(_epoch(columns, plan.roles["timestamp"]), ranks)
        if found:
            profiles[name]["boundaries"] = [found[rank] for rank in ranks]


def _check_profiles(profiles: dict, periods: dict, plan: _Plan) -> None:
    """Refuse empty periods and the missing values pushdown cannot place: timestamps, labels, predictions, scores."""
    for period, profile in profiles.items():
        what = periods[period].what
        if profile["rows"] == 0:
            raise TraceError(f"{what} is empty (0 rows)")
        if plan.roles.get("timestamp") and profile["timestamp", "missing"]:
            raise TraceError(
                f"{plan.described('timestamp')} has {_count(profile['timestamp', 'missing'], 'missing value')} in "
                f"{what}; pushdown splits each period in time order: filter or fill them in the query"
            )
        for role in ("label", "prediction"):
            missing = profile.get((role, "missing"))
            if missing:
                raise TraceError(
                    f"{plan.described(role)} has {_count(missing, 'missing value')} (NULL or NaN) in {what}; "
                    f"pushdown needs a {role} on every row: filter them out in the query"
                )
        if plan.roles.get("score"):
            problems = [
                _count(count, noun, tail)
                for count, noun, tail in (
                    (profile["score", "missing"], "missing or NaN value", ""),
                    (profile["score", "outside"], "value", " outside [0, 1]"),
                )
                if count
            ]
            if problems:
                raise TraceError(f"{plan.described('score')} in {what}: {'; '.join(problems)}")


def _decide_task(plan: _Plan, task, positive_label, periods: dict, profiles: dict, warnings: list) -> None:
    """The caller's task checked, or the one inferred as in memory (modeltrace._task); then what the cells need."""
    label_type = periods["current"].types[plan.roles["label"]]
    described = plan.described("label")
    if task is not None:
        check_task_name(task)
    if task == "multiclass":
        raise TraceError(_multiclass_refusal('task "multiclass" is given'))
    if task == "regression" and not is_number(label_type):
        raise TraceError(f'task "regression" needs numbers, but {described} holds {label_type}')
    fractions = any(profile.get((role, "fractions"), 0) for profile in profiles.values() for role in ("label", "prediction"))
    if task is None and is_number(label_type) and fractions:
        task = "regression"
    if task != "regression":
        classes, count = _label_classes(plan, periods, profiles)
        if task == "binary" and count > 2:
            raise TraceError(f'task "binary" needs 2 classes, but {described} has {_classes_text(classes, count)}')
        if count <= 2:
            task = "binary"
        elif is_number(label_type) and count > MAX_INFERRED_CLASSES:
            task = "regression"
        else:
            raise TraceError(_multiclass_refusal(f"{described} has {_classes_text(classes, count)}"))
    plan.task = task
    if task == "binary":
        plan.positive = resolve_positive_label(positive_label, classes, "binary", described, warnings)
        plan.negatives = [value for value in classes if value != plan.positive]
        if not plan.roles.get("prediction") and not plan.roles.get("score"):
            raise TraceError(
                "pushdown needs a prediction or a score column for a binary task: name it with prediction= or score="
            )
        plan.sums = SUMS["score"] if plan.roles.get("score") else []
        return
    if positive_label is not None:
        warnings.append(f"positive_label {show(positive_label)} is left unused: the task is regression, not binary")
    if not plan.roles.get("prediction"):
        raise TraceError("pushdown needs a prediction column for a regression task: name it with prediction=")
    for role in ("label", "prediction"):
        for period, profile in profiles.items():
            if _kind_of(periods[period].types[plan.roles[role]]) != "numbers":
                raise TraceError(f"{plan.described(role)} in {periods[period].what} must hold numbers for regression")
            _require_finite(plan.described(role), profile[role, "min"], profile[role, "max"], periods[period].what)
    plan.center = float(profiles["reference"]["label", "mean"])
    plan.sums = SUMS["regression"]


def _label_classes(plan: _Plan, periods: dict, profiles: dict) -> tuple:
    """(classes, count): the label's distinct values over both periods, sorted. When each period has at most 2
    (approximate distinct count), they are the periods' min and max, and pass 3 refuses any row holding another
    value. Else they are queried, unless there are clearly more than MAX_INFERRED_CLASSES (classes then [] and count
    the estimate)."""
    estimate = max(profile["label", "distinct"] for profile in profiles.values())
    if estimate <= 2:
        classes = _sorted({profile["label", bound] for profile in profiles.values() for bound in ("min", "max")})
        return classes, len(classes)
    if estimate > 2 * MAX_INFERRED_CLASSES:
        return [], estimate
    label = plan.roles["label"]
    found = set()
    for columns in periods.values():
        found.update(_distinct(columns, label))
    classes = _sorted(found)
    return classes, len(classes)


def _check_features(plan: _Plan, periods: dict, profiles: dict, warnings: list) -> None:
    """Refuse infinite numbers and categorical features with too many values; leave out numeric features without
    any reference value (no edges), with a warning."""
    for name, kind in list(plan.kinds.items()):
        for period, profile in profiles.items():
            what = periods[period].what
            if kind == "numeric":
                _require_finite(f'feature "{name}"', profile[name, "min"], profile[name, "max"], what)
            elif profile["distinct", name] > MAX_CATEGORIES:
                raise TraceError(
                    f'feature "{name}" has about {profile["distinct", name]:,} distinct values in {what} (more than '
                    f"{MAX_CATEGORIES}): pushdown counts categorical features value by value; drop it from "
                    "features=[...] or group its values in the query"
                )
        if kind == "numeric" and profiles["reference"][name, "count"] == 0:
            warnings.append(f'feature "{name}" has no values in reference, so no bin edges: it is left out')
            del plan.kinds[name]


def _decide_cube(plan: _Plan, profiles: dict, warnings: list) -> None:
    """Keep the cube unless its columns' distinct counts multiply past MAX_CUBE_COMBINATIONS."""
    combinations = 1
    for name in plan.cube:
        combinations *= max(1, max(profile["distinct", name] for profile in profiles.values()))
    if combinations > MAX_CUBE_COMBINATIONS:
        listed = ", ".join(f'"{name}"' for name in plan.cube)
        warnings.append(
            f"the slices {listed} make about {combinations:,} value combinations (more than "
            f"{MAX_CUBE_COMBINATIONS:,}): their cube is left out of the aggregates"
        )
        plan.cube, plan.with_cube = [], False
        return
    if not plan.cube:
        return  # crossed with no column, a feature's bins are its bins
    # each feature's root-cause bins (numeric: below, deciles, above; categorical: values) by the cube's groups
    for name, kind in plan.kinds.items():
        codes = len(DECILE_LEVELS) + 3 if kind == "numeric" else max(profile["distinct", name] for profile in profiles.values())
        if combinations * (codes + 1) <= MAX_CROSS_COMBINATIONS:
            plan.crossed.append(name)


def _moments(columns: _Columns, names: list, profile: dict) -> dict:
    """Pass 2 over the reference: feature → (m2, m3), central moments about the mean, for features of 3 values or
    more (numpy's doane rule ignores skewness below)."""
    names = [name for name in names if profile[name, "count"] > 2]
    if not names:
        return {}
    deviations = ", ".join(
        f"{columns.number(name)} - {number(profile[name, 'mean'])} AS d{index}" for index, name in enumerate(names)
    )
    items = {}
    for index, name in enumerate(names):
        items[name, 2] = f"avg(d{index} * d{index})"
        items[name, 3] = f"avg(d{index} * d{index} * d{index})"
    values = _fetch_one(columns.engine, items, f"(SELECT {deviations} FROM {columns.engine.table}) deviations")
    return {name: (values[name, 2], values[name, 3]) for name in names}


def _quantiles(columns: _Columns, names: list, profile: dict) -> dict:
    """Feature → its reference quantiles at QUANTILE_LEVELS: the profile's approximations (Spark), else exact."""
    exact = [name for name in names if (name, "quantiles") not in profile]
    found = {name: profile[name, "quantiles"] for name in names if name not in exact}
    if exact:
        values = {name: columns.number(name) for name in exact}
        counts = {name: profile[name, "count"] for name in exact}
        found.update(columns.engine.exact_quantiles(values, counts, QUANTILE_LEVELS))
    return found


def _numeric_edges(profile: dict, name: str, moments, quantiles: list) -> dict:
    """The AGG "features" entry of a numeric feature, from its reference profile, moments and quantiles."""
    quantiles = dict(zip(QUANTILE_LEVELS, quantiles))
    low, high = profile[name, "min"], profile[name, "max"]
    doane = _doane_edges(profile[name, "count"], low, high, moments)
    deciles = np.unique([quantiles[level] for level in DECILE_LEVELS])
    grid = np.unique([low, *(quantiles[level] for level in GRID_LEVELS[1:-1]), high])
    edges = np.unique(np.concatenate([doane, deciles, grid]))
    return {
        "type": "numeric",
        "edges": _floats(edges),
        "doane": _floats(doane),
        "deciles": _floats(deciles),
        "grid": _floats(grid),
    }


def _doane_edges(count: int, low: float, high: float, moments) -> np.ndarray:
    """numpy.histogram_bin_edges(values, bins="doane"), from count, min, max and the central moments m2, m3."""
    first, last = (low - 0.5, high + 0.5) if low == high else (low, high)
    width = 0.0
    if moments is not None and moments[0] > 0:
        m2, m3 = moments
        skewness_scale = np.sqrt(6.0 * (count - 2) / ((count + 1.0) * (count + 3)))
        skewness = m3 / np.sqrt(m2) ** 3
        width = (high - low) / (1.0 + np.log2(count) + np.log2(1.0 + np.absolute(skewness) / skewness_scale))
    bins = int(np.ceil((last - first) / width)) if width else 1
    return np.linspace(first, last, bins + 1, endpoint=True)


def _header(plan: _Plan, engine_name: str) -> dict:
    """The AGG keys before the periods."""
    head = {"format": "aggregates", "version": FORMAT_VERSION, "engine": engine_name, "task": plan.task}
    if plan.task == "binary":
        head["positive_label"] = plan.positive
        head["predicted_by"] = "prediction" if plan.roles.get("prediction") else "score"
        if plan.roles.get("score"):
            head["score_bins"] = SCORE_BINS
            head["chunk_score_bins"] = CHUNK_SCORE_BINS
    else:
        head["center"] = plan.center
    head["chunk_count"] = plan.chunk_count
    head["sums"] = list(plan.sums)
    head["error_sums"] = ERROR_SUMS.get(plan.task, [])
    head["features"] = {name: plan.edges.get(name, {"type": "categorical"}) for name in plan.kinds}
    head["slices"] = list(plan.cube)
    return head


@dataclass(frozen=True)
class _Set:
    """One grouping set of pass 3: "cells", "scores", "feature" (with its name) or "cube"."""

    part: str
    keys: tuple
    feature: str = ""


def _period(columns: _Columns, plan: _Plan, profile: dict) -> dict:
    """Pass 3 over one period: the PERIOD object."""
    boundaries = profile.get("boundaries") or []
    sql, keys, sets = _group_query(columns, plan, boundaries)
    # a result row's set, by its GROUPING() flags (0 for the set's keys), and where its keys are in the row
    by_flags = {tuple(0 if key in group.keys else 1 for key in keys): index for index, group in enumerate(sets)}
    places = [[len(keys) + keys.index(key) for key in group.keys] for group in sets]
    found = [[] for _ in sets]
    timed = bool(plan.roles.get("timestamp"))
    for row in columns.engine.fetch(sql):
        index = by_flags[row[: len(keys)]]
        found[index].append(([row[place] for place in places[index]], row[2 * len(keys) :]))

    sums = len(plan.sums)
    error_sums = len(ERROR_SUMS.get(plan.task, []))
    scored = sets[0].part == "scores"
    cells = _rollup(found[0], (0, 1), sums) if scored else found[0]
    other = sum(rest[0] for key_values, rest in cells if key_values[1] == OTHER_CLASS_CELL)
    if other:
        _refuse_other_classes(plan, columns, other)
    period = {
        "rows": int(profile["rows"]),
        "chunks": _chunks(cells, plan.chunk_count, timed),
        "cells": _group_rows(cells, sums),
        "calibration": _calibration(found[0]) if scored else [],
        "scores": [],
        "chunk_scores": [],
        "features": {},
        "cube": [],
        "crosses": {},
    }
    for group, rows in zip(sets[1:], found[1:]):
        if group.part == "score_bins":
            period["scores"] = _group_rows(rows, 0)
            continue
        if group.part == "chunk_score_bins":
            period["chunk_scores"] = _group_rows(rows, 0)
            continue
        if group.part == "cube":
            period["cube"] = _group_rows(rows, error_sums)
            continue
        if group.part == "cross":
            period["crosses"][group.feature] = _group_rows(rows, error_sums)
            continue
        # rows by chunk, cell and bucket (or value): bins by cell and bucket, chunks by chunk and bucket
        feature = {"bins": _group_rows(_rollup(rows, (1, 2), sums), error_sums)}
        chunks = _rollup(rows, (0, 2), 0)
        if plan.kinds[group.feature] == "numeric":
            feature["chunks"] = _doane_chunks(chunks, plan.edges[group.feature])
            feature["min"], feature["max"] = _float(profile[group.feature, "min"]), _float(profile[group.feature, "max"])
        else:
            feature["chunks"] = _group_rows(chunks, 0)
        period["features"][group.feature] = feature
    return period


def _calibration(rows: list) -> list:
    """[chunk, positive, ece_bin, count, sum of scores] from the (chunk, cell, ece_bin) groups."""
    totals = {}
    for (chunk, cell, ece_bin), rest in rows:
        key = (chunk, 1 if cell in (0, 3) else 0, ece_bin)
        count, score = totals.get(key, (0, 0.0))
        totals[key] = (count + rest[0], score + rest[1])
    return sorted([[*key, int(count), float(score)] for key, (count, score) in totals.items()], key=_row_order)


def _rollup(rows: list, positions: tuple, sums: int) -> list:
    """Group rows summed over the keys not at `positions`: counts and the first `sums` sums added, first and last
    times (the last two values, when there are more) kept as min and max."""
    totals = {}
    for key_values, rest in rows:
        key = tuple(key_values[position] for position in positions)
        total = totals.get(key)
        if total is None:
            totals[key] = list(rest)
            continue
        for index in range(1 + sums):
            total[index] += rest[index]
        if len(rest) > 1 + sums:
            total[-2], total[-1] = min(total[-2], rest[-2]), max(total[-1], rest[-1])
    return [(list(key), total) for key, total in totals.items()]


def _group_query(columns: _Columns, plan: _Plan, boundaries: list) -> tuple:
    """(sql, keys, sets): the GROUPING SETS query of pass 3, over two nested selects: the values read from the rows,
    then their group keys and per-row sums. Each result row holds GROUPING(key) for every key, the keys, the row
    count, the sums and, with a timestamp, the first and last time (epoch milliseconds). The first set is the score
    bins (or the cells)."""
    roles = plan.roles
    values = {}  # alias → expression over the rows
    keys = {}  # alias → expression over `values`
    sets = [_Set("cells", ("k_chunk", "k_cell"))]
    if roles.get("timestamp"):
        values["t"] = _epoch(columns, roles["timestamp"])
        keys["k_chunk"] = _rank("t", boundaries)
    else:
        keys["k_chunk"] = "0"
    if plan.task == "binary":
        negatives = " OR ".join(columns.equals(roles["label"], value) for value in plan.negatives)
        values["a"] = (
            f"CASE WHEN {columns.equals(roles['label'], plan.positive)} THEN 1"
            + (f" WHEN {negatives} THEN 0" if negatives else "")
            + " END"
        )
        if roles.get("prediction"):
            predicted = columns.equals(roles["prediction"], plan.positive)
        else:
            predicted = f"{columns.number(roles['score'])} >= {number(SCORE_THRESHOLD)}"
        values["predicted"] = f"CASE WHEN {predicted} THEN 1 ELSE 0 END"
        keys["k_cell"] = (
            f"CASE WHEN a IS NULL THEN {OTHER_CLASS_CELL} WHEN a = 1 THEN CASE WHEN predicted = 1 THEN 0 ELSE 3 END "
            "ELSE CASE WHEN predicted = 1 THEN 1 ELSE 2 END END"
        )
        if roles.get("score"):
            values["p"] = columns.number(roles["score"])
            keys["k_ece"] = f"LEAST(CAST(FLOOR(p * {ECE_BINS}) AS INT), {ECE_BINS - 1})"
            keys["k_positive"] = "CASE WHEN a = 1 THEN 1 ELSE 0 END"
            keys["k_score"] = f"LEAST(CAST(FLOOR(p * {SCORE_BINS}) AS INT), {SCORE_BINS - 1})"
            keys["k_chunk_score"] = f"LEAST(CAST(FLOOR(p * {CHUNK_SCORE_BINS}) AS INT), {CHUNK_SCORE_BINS - 1})"
            # cells and calibration by chunk; score bins of the period (fine) and of each chunk (coarse)
            sets[0] = _Set("scores", ("k_chunk", "k_cell", "k_ece"))
            sets.append(_Set("score_bins", ("k_positive", "k_score")))
            sets.append(_Set("chunk_score_bins", ("k_chunk", "k_positive", "k_chunk_score")))
    else:
        values["y"], values["yhat"] = columns.number(roles["label"]), columns.number(roles["prediction"])
        keys["k_cell"] = "0"
    numbers = {
        f"v{index}": (columns.number(name), plan.edges[name]["edges"])
        for index, (name, kind) in enumerate(plan.kinds.items())
        if kind == "numeric"
    }
    source, ranks = columns.engine.ranked(numbers)
    for index, (name, kind) in enumerate(plan.kinds.items()):
        if kind == "numeric":
            values[f"v{index}"] = columns.number(name)
            if f"v{index}" in ranks:
                values[f"r{index}"] = ranks[f"v{index}"]
            keys[f"k_f{index}"] = _bucket(f"v{index}", plan.edges[name], f"r{index}" if f"v{index}" in ranks else None)
        else:
            values[f"c{index}"] = columns.text(name)
            keys[f"k_f{index}"] = f"c{index}"
        sets.append(_Set("feature", ("k_chunk", "k_cell", f"k_f{index}"), name))
    for index, name in enumerate(plan.cube):
        values[f"s{index}"] = columns.text(name)
        keys[f"k_s{index}"] = f"s{index}"
    if plan.with_cube:
        cube_keys = tuple(f"k_s{index}" for index in range(len(plan.cube)))
        sets.append(_Set("cube", ("k_cell", *cube_keys)))
        for index, name in enumerate(plan.kinds):
            if name not in plan.crossed:
                continue
            if plan.kinds[name] == "numeric":
                keys[f"k_q{index}"] = _cause_bin(f"v{index}", plan.edges[name])
                sets.append(_Set("cross", ("k_cell", f"k_q{index}", *cube_keys), name))
            else:
                sets.append(_Set("cross", ("k_cell", f"k_f{index}", *cube_keys), name))

    sums = _row_sums(plan)
    rows = ", ".join(f"{expression} AS {alias}" for alias, expression in values.items())
    grouped = [f"{expression} AS {alias}" for alias, expression in keys.items()]
    grouped += [f"{expression} AS u{index}" for index, expression in enumerate(sums)]
    outputs = [f"GROUPING({key})" for key in keys] + list(keys) + ["count(*)"]
    outputs += [f"sum(u{index})" for index in range(len(sums))]
    if "t" in values:
        grouped.append("t")
        outputs += ["min(t)", "max(t)"]
    grouping_sets = ", ".join("(" + ", ".join(group.keys) + ")" for group in sets)
    sql = (
        f"SELECT {', '.join(outputs)} FROM (SELECT {', '.join(grouped)} FROM (SELECT {rows} FROM "
        f"{source}) row_values) row_keys GROUP BY GROUPING SETS ({grouping_sets})"
    )
    return sql, list(keys), sets


def _row_sums(plan: _Plan) -> list:
    """The per-row terms of `plan.sums`, over the aliases of `_group_query`."""
    if plan.task == "regression":
        error, centered = "(y - yhat)", f"(y - {number(plan.center)})"
        return [
            f"ABS{error}",
            f"{error} * {error}",
            f"ABS{error} / GREATEST(ABS(y), {number(EPSILON)})",
            centered,
            f"{centered} * {centered}",
        ]
    if not plan.sums:
        return []
    clipped = f"LEAST(GREATEST(p, {number(EPSILON)}), {number(1 - EPSILON)})"
    return ["p", "(p - a) * (p - a)", f"CASE WHEN a = 1 THEN -LN({clipped}) ELSE -LN(1 - {clipped}) END"]


def _rank(value: str, edges: list) -> str:
    """SQL for #(edges[j] <= value) over sorted edges: a balanced nested CASE, a binary search of depth
    log2(len(edges) + 1)."""

    def search(low: int, high: int) -> str:  # the count lies in [low, high]
        if low == high:
            return str(low)
        middle = (low + high + 1) // 2
        edge = edges[middle - 1]
        literal = str(edge) if isinstance(edge, int) else number(edge)
        return f"CASE WHEN {value} >= {literal} THEN {search(middle, high)} ELSE {search(low, middle - 1)} END"

    return search(0, len(edges))


def _cause_bin(value: str, feature: dict) -> str:
    """The root-cause bin of a number: 0 below the reference min, 1 + #(deciles <= x) inside [min, max] (the decile
    bins), len(deciles) + 2 above the max; NULL for NULL."""
    low, high = feature["grid"][0], feature["grid"][-1]
    deciles = feature["deciles"]
    return (
        f"CASE WHEN {value} IS NULL THEN NULL WHEN {value} < {number(low)} THEN 0 WHEN {value} > {number(high)} "
        f"THEN {len(deciles) + 2} ELSE 1 + {_rank(value, deciles)} END"
    )


def _bucket(value: str, feature: dict, rank: str = None) -> str:
    """The bucket over the edges M = m_0..m_K: #(m_j <= x) (`rank` when the engine computed it, else a nested
    CASE), K + 2 for x equal to the last doane edge (the reference max, closed as numpy's last bin), NULL for NULL
    (NaN is NULL already)."""
    edges = feature["edges"]
    return (
        f"CASE WHEN {value} IS NULL THEN NULL WHEN {value} = {number(feature['doane'][-1])} THEN {len(edges) + 1} "
        f"ELSE {rank or _rank(value, edges)} END"
    )


def _doane_chunks(rows: list, feature: dict) -> list:
    """[chunk, doane_bucket, count] rows from the [chunk, bucket] groups (`_doane_codes`)."""
    codes = _doane_codes(feature)
    counts = {}
    for (chunk, bucket), rest in rows:
        key = (chunk, codes[bucket])
        counts[key] = counts.get(key, 0) + rest[0]
    return sorted(([chunk, code, int(count)] for (chunk, code), count in counts.items()), key=_row_order)


def _doane_codes(feature: dict) -> dict:
    """Bucket → doane bin: the doane edges d_0..d_D are among the edges, so bucket j in 1..K (m_(j-1) <= x < m_j)
    lies in doane bin #(d_i <= m_(j-1)) - 1; K + 2 (x = d_D) in D - 1; below or above the edges in D."""
    edges, doane = feature["edges"], feature["doane"]
    outside = len(doane) - 1
    codes = {0: outside, len(edges): outside, len(edges) + 1: outside - 1, None: None}
    codes.update({j: bisect_right(doane, edges[j - 1]) - 1 for j in range(1, len(edges))})
    return codes


def _group_rows(rows: list, sums: int) -> list:
    """[...keys, count, ...sums] rows, sorted by their keys (missing values last)."""
    listed = [[*key_values, int(rest[0]), *(float(value) for value in rest[1 : 1 + sums])] for key_values, rest in rows]
    return sorted(listed, key=_row_order)


def _chunks(cells: list, chunk_count: int, timed: bool) -> list:
    """Each chunk's rows and first and last time, from the cells' groups."""
    chunks = [{"rows": 0, "start": None, "end": None} for _ in range(chunk_count)]
    first = [None] * chunk_count
    last = [None] * chunk_count
    for (chunk, _cell), rest in cells:
        chunks[chunk]["rows"] += int(rest[0])
        if timed:
            earliest, latest = rest[-2], rest[-1]
            first[chunk] = earliest if first[chunk] is None else min(first[chunk], earliest)
            last[chunk] = latest if last[chunk] is None else max(last[chunk], latest)
    for chunk, moments in enumerate(zip(first, last)):
        chunks[chunk]["start"], chunks[chunk]["end"] = (_iso(moment) for moment in moments)
    return chunks


def _refuse_other_classes(plan: _Plan, columns: _Columns, rows: int) -> None:
    """Rows whose label is none of the classes taken from the profiles' extremes: list the classes and refuse."""
    classes = _sorted(_distinct(columns, plan.roles["label"]))
    raise TraceError(
        _multiclass_refusal(
            f"{plan.described('label')} has {_classes_text(classes, len(classes))} in {columns.what} "
            f"({_count(rows, 'row')} beyond {few(_sorted([plan.positive, *plan.negatives]))})"
        )
    )


def _distinct(columns: _Columns, name: str) -> set:
    """Up to MAX_INFERRED_CLASSES + 1 distinct non-missing values of a column."""
    value = columns.value(name)
    sql = f"SELECT DISTINCT {value} FROM {columns.engine.table} WHERE {value} IS NOT NULL LIMIT {MAX_INFERRED_CLASSES + 1}"
    return {row[0] for row in columns.engine.fetch(sql)}


def _multiclass_refusal(reason: str) -> str:
    return (
        f"{reason}: a multiclass task, which pushdown does not summarise (binary classification and regression "
        "only); trace the rows in memory instead"
    )


def _fetch_one(engine, items: dict, source: str = "") -> dict:
    """Run `SELECT <items> FROM <source or the rows>` (one result row) and return item key → value."""
    selects = ", ".join(f"{expression} AS a{index}" for index, expression in enumerate(items.values()))
    row = engine.fetch(f"SELECT {selects} FROM {source or engine.table}")[0]
    return dict(zip(items, row))


def _epoch(columns: _Columns, name: str) -> str:
    return columns.engine.epoch_milliseconds(columns.raw(name), columns.types[name])


def _kind_of(arrow_type) -> str:
    """The kind of value a column holds: "numbers", "booleans", "text", "date-times" or its type's name."""
    if pa.types.is_dictionary(arrow_type):
        return "text"
    if pa.types.is_boolean(arrow_type):
        return "booleans"
    if is_number(arrow_type):
        return "numbers"
    if is_text(arrow_type):
        return "text"
    if is_temporal(arrow_type):
        return "date-times"
    return str(arrow_type)


def _as_text(value) -> str:
    """A class as the in-memory metrics read it from a text column (numbers as Arrow writes them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _require_finite(described: str, low, high, what: str) -> None:
    for bound in (low, high):
        if bound is not None and not np.isfinite(bound):
            raise TraceError(
                f"{described} in {what} holds infinite values ({show(float(bound))}): pushdown needs finite "
                "numbers; replace them with NULL in the query"
            )


def _classes_text(classes: list, count: int) -> str:
    return f"{count} classes: {few(classes)}" if classes else f"about {count:,} classes"


def _sorted(values) -> list:
    values = [value for value in values if value is not None]
    try:
        return sorted(values)
    except TypeError:
        return values


def _row_order(row: list) -> tuple:
    return tuple((value is None, 0 if value is None else value) for value in row)


def _floats(values) -> list:
    return [float(value) for value in values]


def _float(value):
    return None if value is None else float(value)


def _iso(milliseconds):
    if milliseconds is None:
        return None
    moment = _EPOCH + timedelta(milliseconds=int(milliseconds))
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _count(number_of: int, noun: str, tail: str = "") -> str:
    return f"{number_of} {noun}{tail}" if number_of == 1 else f"{number_of} {noun}s{tail}"
