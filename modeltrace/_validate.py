"""Checks of the values a trace carries: a TraceError for what makes it unusable, a warning for what is only
suspicious (warnings travel in the payload and the text summary). Rows are counted from 0 in the order given."""
import numpy as np
import pyarrow as pa

from ._errors import TraceError, column_ref, show
from ._task import label_classes
from ._wire import is_number, missing_mask

# largest |sum of the scores columns − 1| of a row before it is reported
SCORES_SUM_TOLERANCE = 1e-3


def check_values(table: pa.Table, roles: dict, task, inferred: list, what: str, warnings: list) -> None:
    """Raise on unusable values in `table` (named `what`: "data" or "reference"), append warnings for suspicious ones."""
    if roles.get("label"):
        _check_label(table, roles["label"], task, "label" in inferred, what, warnings)
    if roles.get("prediction") and missing_mask(table.column(roles["prediction"])).all():
        warnings.append(f"{column_ref(roles['prediction'], 'prediction', 'prediction' in inferred)} has no values in {what}")
    if roles.get("score"):
        _check_probabilities(table, roles["score"], "score", "score" in inferred, what)
    for name in roles.get("scores", []):
        _check_probabilities(table, name, "scores", False, what)
    if roles.get("scores"):
        _check_scores_sum(table, roles["scores"], what, warnings)
    if roles.get("latency"):
        _check_latency(table, roles["latency"], "latency" in inferred, what)
    for name in roles["features"]:
        if missing_mask(table.column(name)).all():
            warnings.append(f'feature "{name}" has no values in {what} (all {table.num_rows} rows missing)')


def compare_periods(current: pa.Table, reference: pa.Table, warnings: list) -> None:
    """Warn about a column that holds a different kind of value in the reference than in the data."""
    for name in current.column_names:
        current_kind, reference_kind = _kind(current.column(name).type), _kind(reference.column(name).type)
        if current_kind != reference_kind:
            warnings.append(f'column "{name}" holds {current_kind} in data but {reference_kind} in reference')


def _check_label(table, name, task, inferred, what, warnings) -> None:
    described = column_ref(name, "label", inferred)
    missing = int(missing_mask(table.column(name)).sum())
    if missing == table.num_rows:
        raise TraceError(f"{described} in {what} has no values: all {_count(missing, 'row')} are missing")
    if missing:
        warnings.append(f"{described} has {_count(missing, 'missing value')} in {what}; those rows are left out of the metrics")
    if pa.types.is_floating(table.column(name).type):
        values = table.column(name).to_numpy()
        infinite = np.flatnonzero(np.isinf(values))
        if len(infinite):
            first = int(infinite[0])
            raise TraceError(
                f"{described} in {what}: {_count(len(infinite), 'infinite value')}, first at row {first} "
                f"({show(float(values[first]))})"
            )
    if task in ("binary", "multiclass"):
        classes = label_classes([table], name)
        if len(classes) == 1:
            warnings.append(
                f"{described} has one class only in {what} ({show(classes[0])}): "
                "precision, recall and ROC curves say little"
            )


def _check_probabilities(table, name, role, inferred, what) -> None:
    described = column_ref(name, role, inferred)
    column = table.column(name)
    if not is_number(column.type):
        raise TraceError(f"{described} in {what} must hold probabilities in [0, 1], got {column.type} values")
    values = column.cast(pa.float64()).to_numpy(zero_copy_only=False)
    finite = np.isfinite(values)
    problems = []
    for mask, noun, tail, with_value in (
        (np.isnan(values), "missing or NaN value", "", False),
        (np.isinf(values), "infinite value", "", True),
        (finite & ((values < 0) | (values > 1)), "value", " outside [0, 1]", True),
    ):
        rows = np.flatnonzero(mask)
        if len(rows):
            first = int(rows[0])
            shown = f" ({show(float(values[first]))})" if with_value else ""
            problems.append(f"{_count(len(rows), noun, tail)}, first at row {first}{shown}")
    if problems:
        hint = "; if it is not a probability, list it in features=[...]" if inferred else ""
        raise TraceError(f"{described} in {what}: {'; '.join(problems)}{hint}")


def _check_scores_sum(table, names, what, warnings) -> None:
    sums = np.sum([table.column(name).cast(pa.float64()).to_numpy(zero_copy_only=False) for name in names], axis=0)
    rows = np.flatnonzero(np.abs(sums - 1) > SCORES_SUM_TOLERANCE)
    if len(rows):
        first = int(rows[0])
        warnings.append(
            f"the scores columns do not sum to 1 in {_count(len(rows), 'row')} of {what}, "
            f"first at row {first} (sum {float(sums[first]):.6g})"
        )


def _check_latency(table, name, inferred, what) -> None:
    column = table.column(name)
    if not is_number(column.type):
        raise TraceError(f"{column_ref(name, 'latency', inferred)} in {what} must hold numbers or durations, got {column.type}")


def _kind(arrow_type) -> str:
    if pa.types.is_boolean(arrow_type):
        return "booleans"
    if is_number(arrow_type):
        return "numbers"
    if pa.types.is_timestamp(arrow_type):
        return "date-times"
    return "text"


def _count(number: int, noun: str, tail: str = "") -> str:
    """`_count(12, "value", " outside [0, 1]")` → "12 values outside [0, 1]"."""
    return f"{number} {noun}{tail}" if number == 1 else f"{number} {noun}s{tail}"
