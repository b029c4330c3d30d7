"""Headline metrics of one period, computed with numpy for the text summary (the card computes the full set), or
from the cells of "aggregates" DATA when the rows stay in their engine.

Rows with a missing label or prediction are left out. Conventions as scikit-learn with zero_division=0:
- binary: accuracy, precision, recall, f1 of the positive class; without a prediction column the prediction is
  "positive" when score >= 0.5;
- multiclass: accuracy;
- regression: mae, rmse.
A label and a prediction of different types are compared as numbers when both are numbers or booleans, else as text.
"""
import numpy as np
import pyarrow as pa

from ._wire import is_number, missing_mask

SCORE_THRESHOLD = 0.5


def headline_metrics(table: pa.Table, roles: dict, task, positive_label) -> dict:
    """Metric name → value; empty when the roles present do not allow any."""
    label, prediction, score = roles.get("label"), roles.get("prediction"), roles.get("score")
    if label is None or task is None:
        return {}
    if task == "binary" and prediction is None and score is not None:
        return _binary_from_score(table, label, score, positive_label)
    if prediction is None:
        return {}
    if task == "regression":
        return _regression(table.column(label), table.column(prediction))
    truth, predicted = _comparable(table.column(label), table.column(prediction))
    if len(truth) == 0:
        return {}
    metrics = {"accuracy": float(np.mean(truth == predicted))}
    if task == "binary":
        positive = _comparable_value(positive_label, table.column(label), table.column(prediction))
        metrics.update(_binary_counts(truth == positive, predicted == positive))
    return metrics


def aggregates_metrics(summary: dict, period: str) -> dict:
    """The headline metrics of one period ("current" or "reference") of "aggregates" DATA, from its cells."""
    cells = summary[period]["cells"]
    rows = sum(row[2] for row in cells)
    if summary["task"] == "regression":
        totals = [sum(row[3 + index] for row in cells) for index in range(len(summary["sums"]))]
        named = dict(zip(summary["sums"], totals))
        return {"mae": named["abs"] / rows, "rmse": float(np.sqrt(named["sq"] / rows))}
    counts = [0, 0, 0, 0]  # tp, fp, tn, fn
    for _chunk, cell, count, *_sums in cells:
        counts[cell] += count
    true_positives, false_positives, true_negatives, false_negatives = counts
    return {
        "accuracy": (true_positives + true_negatives) / rows,
        **_ratios(true_positives, false_positives, false_negatives),
    }


def _binary_from_score(table, label, score, positive_label) -> dict:
    present = ~(missing_mask(table.column(label)) | missing_mask(table.column(score)))
    truth = _values(table.column(label), text=not _numeric(table.column(label).type))[present]
    positive = _comparable_value(positive_label, table.column(label), table.column(label))
    actual = truth == positive
    predicted = table.column(score).cast(pa.float64()).to_numpy(zero_copy_only=False)[present] >= SCORE_THRESHOLD
    if len(actual) == 0:
        return {}
    return {"accuracy": float(np.mean(actual == predicted)), **_binary_counts(actual, predicted)}


def _binary_counts(actual: np.ndarray, predicted: np.ndarray) -> dict:
    true_positives = int(np.sum(actual & predicted))
    false_positives = int(np.sum(~actual & predicted))
    false_negatives = int(np.sum(actual & ~predicted))
    return _ratios(true_positives, false_positives, false_negatives)


def _ratios(true_positives: int, false_positives: int, false_negatives: int) -> dict:
    return {
        "precision": _ratio(true_positives, true_positives + false_positives),
        "recall": _ratio(true_positives, true_positives + false_negatives),
        "f1": _ratio(2 * true_positives, 2 * true_positives + false_positives + false_negatives),
    }


def _regression(label, prediction) -> dict:
    if not (is_number(label.type) and is_number(prediction.type)):
        return {}
    truth = label.cast(pa.float64()).to_numpy(zero_copy_only=False)
    predicted = prediction.cast(pa.float64()).to_numpy(zero_copy_only=False)
    present = np.isfinite(truth) & np.isfinite(predicted)
    errors = truth[present] - predicted[present]
    if len(errors) == 0:
        return {}
    with np.errstate(over="ignore", invalid="ignore"):  # huge values give inf, as in scikit-learn
        return {"mae": float(np.mean(np.abs(errors))), "rmse": float(np.sqrt(np.mean(errors**2)))}


def _comparable(label, prediction) -> tuple:
    """Label and prediction values of the rows where both are present, as numbers or as text."""
    text = not (_numeric(label.type) and _numeric(prediction.type))
    present = ~(missing_mask(label) | missing_mask(prediction))
    return _values(label, text)[present], _values(prediction, text)[present]


def _comparable_value(value, label, prediction):
    text = not (_numeric(label.type) and _numeric(prediction.type))
    if text:
        return _values(pa.chunked_array([pa.array([value])]), text=True)[0]
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _values(column, text: bool) -> np.ndarray:
    return column.cast(pa.string() if text else pa.float64()).to_numpy(zero_copy_only=False)


def _numeric(arrow_type) -> bool:
    return is_number(arrow_type) or pa.types.is_boolean(arrow_type)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0
