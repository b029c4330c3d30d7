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
    if type(relation).__module__.split(".")[0] != "duckdb" or not hasattr(relation, "aggregate"):
        raise TraceError(f"{what}: pushdown needs a DuckDB relation, got {type(relation).__name__}")


def _rows(relation) -> int:
    return int(relation.aggregate("count(*)").fetchall()[0][0])


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def doane_edges(relation, name) -> list:
    """numpy.histogram_bin_edges(ref, bins="doane") of the non-missing values, from count, min, max and moments."""
    col = _q(name)
    n, low, high, mean = relation.filter(f"{col} IS NOT NULL").aggregate(
        f"count(*), min({col})::DOUBLE, max({col})::DOUBLE, avg({col}::DOUBLE)").fetchall()[0]
    if not n:
        raise TraceError(f"reference column {name!r} has no non-missing values: no bin edges for drift")
    m2, m3 = relation.filter(f"{col} IS NOT NULL").aggregate(
        f"avg(power({col}::DOUBLE - {mean!r}, 2)), avg(power({col}::DOUBLE - {mean!r}, 3))").fetchall()[0]
    if low == high:
        low, high = low - 0.5, high + 0.5
        return _linspace(low, high, 1)
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
    """unique(quantile(ref, 0.1 … 0.9, linear)) of the non-missing values."""
    col = _q(name)
    values = relation.filter(f"{col} IS NOT NULL").aggregate(
        f"quantile_cont({col}::DOUBLE, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])").fetchall()[0][0]
    return sorted(set(float(v) for v in values))


def bin_counts(relation, name, edges, kind) -> list:
    """Counts per bin. doane: numpy bins [e_i, e_i+1), last closed, plus one bucket (last) for values outside;
    deciles: (−∞, e1), [e1, e2), …, [ek, +∞)."""
    col = f"{_q(name)}::DOUBLE"
    if kind == "doane":
        cases = [f"WHEN {col} < {edges[0]!r} OR {col} > {edges[-1]!r} THEN {len(edges) - 1}",
                 f"WHEN {col} = {edges[-1]!r} THEN {len(edges) - 2}"]
        cases += [f"WHEN {col} < {edges[i + 1]!r} THEN {i}" for i in range(len(edges) - 1)]
        size = len(edges)
    else:
        cases = [f"WHEN {col} < {edge!r} THEN {i}" for i, edge in enumerate(edges)]
        cases.append(f"ELSE {len(edges)}")
        size = len(edges) + 1
    bucket = "CASE " + " ".join(cases) + " END"
    rows = relation.filter(f"{_q(name)} IS NOT NULL").aggregate(f"{bucket} AS b, count(*) AS n", "b").fetchall()
    counts = [0] * size
    for index, count in rows:
        counts[int(index)] += int(count)
    return counts


def confusion(relation, label, score, threshold, positive_label, slices) -> dict:
    """tp, fp, tn, fn at `score >= threshold`, overall and per value of each slice column."""
    actual = f"({_q(label)} = {positive_label!r})"
    predicted = f"({_q(score)} >= {threshold!r})"
    sums = (f"count_if({actual} AND {predicted}) AS tp, count_if(NOT {actual} AND {predicted}) AS fp, "
            f"count_if(NOT {actual} AND NOT {predicted}) AS tn, count_if({actual} AND NOT {predicted}) AS fn")
    keep = relation.filter(f"{_q(label)} IS NOT NULL AND {_q(score)} IS NOT NULL")
    tp, fp, tn, fn = keep.aggregate(sums).fetchall()[0]
    result = {"all": {"tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn)}, "slices": {}}
    for column in slices:
        groups = keep.aggregate(f"{_q(column)}::VARCHAR AS v, {sums}", _q(column)).fetchall()
        result["slices"][column] = [
            {"value": value, "tp": int(a), "fp": int(b), "tn": int(c), "fn": int(d)} for value, a, b, c, d in groups
        ]
    return result
