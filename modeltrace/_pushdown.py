"""Pushdown: sufficient statistics computed by the engine that holds the data (DuckDB today), only aggregates kept.

`aggregates(current, reference, ...)` runs SQL on the engine and returns the DATA object of format "aggregates"
(docs/trace-format.md): row counts, binary confusion counts at the threshold per slice value, and per numeric feature
histograms on reference-derived edges — numpy's doane edges (for jensen_shannon) and the reference deciles (for psi),
with the exact bin semantics of DESIGN section 4, so binned drift computed from them equals the in-memory analysis.
"""
import math

from ._errors import TraceError


def aggregates(current, reference, *, label=None, score=None, threshold=0.5, positive_label=1, features=(),
               slices=()) -> dict:
    """Aggregates of a DuckDB relation `current` against the DuckDB relation `reference` (the edges come from it)."""
    _check_relation(current, "data")
    _check_relation(reference, "reference")
    body = {"format": "aggregates", "version": 1, "threshold": threshold,
            "current": {"rows": _rows(current)}, "reference": {"rows": _rows(reference)}, "features": {}}
    for name in features:
        edges = {"doane": doane_edges(reference, name), "deciles": decile_edges(reference, name)}
        body["features"][name] = {
            "edges": edges,
            "reference": {kind: bin_counts(reference, name, e, kind) for kind, e in edges.items()},
            "current": {kind: bin_counts(current, name, e, kind) for kind, e in edges.items()},
        }
    if label is not None and score is not None:
        for period, relation in (("current", current), ("reference", reference)):
            body[period]["confusion"] = confusion(relation, label, score, threshold, positive_label, slices)
    return body


def _check_relation(relation, what) -> None:
    if _library(relation) not in ("duckdb", "pyspark"):
        raise TraceError(f"{what}: pushdown needs a DuckDB relation or a PySpark DataFrame, got {type(relation).__name__}")


def _library(relation) -> str:
    return type(relation).__module__.split(".")[0]


def _run(relation, where, selects, group=None) -> list:
    """Rows of `SELECT selects FROM relation WHERE where [GROUP BY group]`, run by the relation's engine."""
    if _library(relation) == "pyspark":
        from pyspark.sql import functions as F

        kept = relation.filter(where) if where else relation
        if group is None:
            return [tuple(row) for row in kept.selectExpr(*selects).collect()]
        return [tuple(row) for row in kept.groupBy(F.expr(group)).agg(*[F.expr(e) for e in selects]).collect()]
    kept = relation.filter(where) if where else relation
    if group is None:
        return kept.aggregate(", ".join(selects)).fetchall()
    return kept.aggregate(", ".join([group] + selects), group).fetchall()


def _number(value) -> str:
    """A float64 literal both dialects read exactly (the shortest repr round-trips)."""
    return f"CAST('{float(value)!r}' AS DOUBLE)"


def _check_relation(relation, what) -> None:
    if _library(relation) not in ("duckdb", "pyspark"):
        raise TraceError(f"{what}: pushdown needs a DuckDB relation or a PySpark DataFrame, got {type(relation).__name__}")


def _library(relation) -> str:
    return type(relation).__module__.split(".")[0]


def _run(relation, where, selects, group=None) -> list:
    """Rows of `SELECT selects FROM relation WHERE where [GROUP BY group]`, run by the relation's engine."""
    if _library(relation) == "pyspark":
        from pyspark.sql import functions as F

        kept = relation.filter(where) if where else relation
        if group is None:
            return [tuple(row) for row in kept.selectExpr(*selects).collect()]
        return [tuple(row) for row in kept.groupBy(F.expr(group)).agg(*[F.expr(e) for e in selects]).collect()]
    kept = relation.filter(where) if where else relation
    if group is None:
        return kept.aggregate(", ".join(selects)).fetchall()
    return kept.aggregate(", ".join([group] + selects), group).fetchall()


def _number(value) -> str:
    """A float64 literal both dialects read exactly (the shortest repr round-trips)."""
    return f"CAST('{float(value)!r}' AS DOUBLE)"


def _rows(relation) -> int:
    return int(_run(relation, None, ["count(*)"])[0][0])


def _q(relation, name: str) -> str:
    if _library(relation) == "pyspark":
        return "`" + str(name).replace("`", "``") + "`"
    return '"' + str(name).replace('"', '""') + '"'


def doane_edges(relation, name) -> list:
    """numpy.histogram_bin_edges(ref, bins="doane") of the non-missing values, from count, min, max and moments."""
    col = f"CAST({_q(relation, name)} AS DOUBLE)"
    present = f"{_q(relation, name)} IS NOT NULL"
    n, low, high, mean = _run(relation, present, ["count(*)", f"min({col})", f"max({col})", f"avg({col})"])[0]
    if not n:
        raise TraceError(f"reference column {name!r} has no non-missing values: no bin edges for drift")
    m2, m3 = _run(relation, present, [f"avg(power({col} - {_number(mean)}, 2))",
                                      f"avg(power({col} - {_number(mean)}, 3))"])[0]
    if low == high:
        return _linspace(low - 0.5, high + 0.5, 1)
    bins = 1
    if n > 2:
        sg1 = math.sqrt(6.0 * (n - 2) / ((n + 1.0) * (n + 3)))
        sigma = math.sqrt(m2)
        g1 = 0.0 if sigma == 0 else m3 / sigma ** 3
        width = (high - low) / (1.0 + math.log2(n) + math.log2(1.0 + abs(g1) / sg1))
        bins = int(math.ceil((high - low) / width)) if width > 0 else 1
    return _linspace(low, high, bins)


def _linspace(low, high, bins) -> list:
    import numpy as np

    return [float(v) for v in np.linspace(low, high, bins + 1, endpoint=True)]


def decile_edges(relation, name) -> list:
    """unique(quantile(ref, 0.1 … 0.9, linear)) of the non-missing values (exact in both engines)."""
    col = f"CAST({_q(relation, name)} AS DOUBLE)"
    levels = "0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9"
    if _library(relation) == "pyspark":
        select = f"percentile({col}, array({levels}))"
    else:
        select = f"quantile_cont({col}, [{levels}])"
    values = _run(relation, f"{_q(relation, name)} IS NOT NULL", [select])[0][0]
    return sorted(set(float(v) for v in values))


def bin_counts(relation, name, edges, kind) -> list:
    """Counts per bin. doane: numpy bins [e_i, e_i+1), last closed, plus one bucket (last) for values outside;
    deciles: (−∞, e1), [e1, e2), …, [ek, +∞)."""
    col = f"CAST({_q(relation, name)} AS DOUBLE)"
    if kind == "doane":
        cases = [f"WHEN {col} < {_number(edges[0])} OR {col} > {_number(edges[-1])} THEN {len(edges) - 1}",
                 f"WHEN {col} = {_number(edges[-1])} THEN {len(edges) - 2}"]
        cases += [f"WHEN {col} < {_number(edges[i + 1])} THEN {i}" for i in range(len(edges) - 1)]
        size = len(edges)
    else:
        cases = [f"WHEN {col} < {_number(edge)} THEN {i}" for i, edge in enumerate(edges)]
        cases.append(f"ELSE {len(edges)}")
        size = len(edges) + 1
    bucket = "CASE " + " ".join(cases) + " END"
    rows = _run(relation, f"{_q(relation, name)} IS NOT NULL", ["count(*)"], bucket)
    counts = [0] * size
    for index, count in rows:
        counts[int(index)] += int(count)
    return counts


def confusion(relation, label, score, threshold, positive_label, slices) -> dict:
    """tp, fp, tn, fn at `score >= threshold`, overall and per value of each slice column."""
    actual = f"({_q(relation, label)} = {positive_label!r})"
    predicted = f"({_q(relation, score)} >= {_number(threshold)})"
    sums = [f"count_if({actual} AND {predicted})", f"count_if(NOT {actual} AND {predicted})",
            f"count_if(NOT {actual} AND NOT {predicted})", f"count_if({actual} AND NOT {predicted})"]
    keep = f"{_q(relation, label)} IS NOT NULL AND {_q(relation, score)} IS NOT NULL"
    tp, fp, tn, fn = _run(relation, keep, sums)[0]
    result = {"all": {"tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn)}, "slices": {}}
    for column in slices:
        groups = _run(relation, keep, sums, f"CAST({_q(relation, column)} AS STRING)")
        result["slices"][column] = [
            {"value": value, "tp": int(a), "fp": int(b), "tn": int(c), "fn": int(d)} for value, a, b, c, d in groups
        ]
    return result
