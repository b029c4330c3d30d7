"""What is only suspicious becomes a warning in the payload and the summary, never an exception."""
import numpy as np
import pandas as pd

import modeltrace as mt
from conftest import binary_frame, body


def warnings_of(*args, **kwargs) -> list:
    trace = mt.trace(*args, **kwargs)
    assert body(trace)["warnings"] == trace.warnings
    for warning in trace.warnings:
        assert warning in repr(trace)
    return trace.warnings


def test_one_class_only():
    warnings = warnings_of({"y": [1, 1, 1], "y_hat": [1, 0, 1], "p": [0.9, 0.4, 0.8]})
    assert warnings == ['column "y" (label, inferred from its name) has one class only in data (1): '
                        "precision, recall and ROC curves say little"]


def test_one_class_only_in_the_reference():
    current = {"y": [0, 1, 1], "y_hat": [0, 1, 0]}
    reference = {"y": [0, 0, 0], "y_hat": [0, 1, 0]}
    warnings = warnings_of(current, reference=reference, label="y")
    assert warnings == ['column "y" (label) has one class only in reference (0): precision, recall and ROC curves say little']


def test_all_nan_feature():
    frame = binary_frame(10).assign(income=np.nan)
    assert 'feature "income" has no values in data (all 10 rows missing)' in warnings_of(frame)


def test_some_labels_missing():
    frame = binary_frame(10)
    frame["y"] = frame["y"].astype(float)
    frame.loc[[2, 4], "y"] = np.nan
    warnings = warnings_of(frame)
    assert 'column "y" (label, inferred from its name) has 2 missing values in data; those rows are left out of the metrics' in warnings


def test_prediction_without_values():
    warnings = warnings_of({"y": [0, 1], "y_hat": [None, None]})
    assert 'column "y_hat" (prediction, inferred from its name) has no values in data' in warnings


def test_scores_that_do_not_sum_to_one():
    frame = pd.DataFrame({"y": ["a", "b", "c"], "p_a": [0.5, 0.6, 0.2], "p_b": [0.5, 0.6, 0.2], "p_c": [0.0, 0.0, 0.6]})
    warnings = warnings_of(frame, scores=["p_a", "p_b", "p_c"])
    assert warnings == ["the scores columns do not sum to 1 in 1 row of data, first at row 1 (sum 1.2)"]


def test_column_kind_differs_between_data_and_reference():
    current = {"y": [0, 1], "y_hat": [0, 1], "zip": ["75001", "10115"]}
    reference = {"y": [0, 1], "y_hat": [0, 1], "zip": [75001, 10115]}
    assert 'column "zip" holds text in data but numbers in reference' in warnings_of(current, reference=reference)


def test_a_clean_trace_has_no_warnings():
    frame = binary_frame()
    assert warnings_of(frame, reference=frame) == []
    assert "Warnings" not in repr(mt.trace(frame))
