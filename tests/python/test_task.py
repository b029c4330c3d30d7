"""Task inference (same rule as the TypeScript engine) and the positive class of binary tasks."""
import numpy as np
import pandas as pd
import pytest

import modeltrace as mt
from conftest import body


@pytest.mark.parametrize(
    "columns, expected",
    [
        ({"y": [0, 1, 1, 0], "p": [0.2, 0.8, 0.6, 0.1]}, "binary"),
        ({"y": [True, False, True, True], "y_hat": [True, True, True, False]}, "binary"),
        ({"y": ["yes", "no", "no", "yes"], "y_hat": ["yes", "no", "yes", "yes"]}, "binary"),
        ({"y": [0.0, 1.0, np.nan, 1.0], "y_hat": [0, 1, 1, 1]}, "binary"),
        ({"y": [0, 1, 2, 3], "y_hat": [0, 1, 2, 2]}, "multiclass"),
        ({"y": ["a", "b", "c", "a"], "y_hat": ["a", "b", "b", "a"]}, "multiclass"),
        ({"y": [0.5, 1.25, 3.0, 2.0], "y_hat": [0.4, 1.0, 2.5, 2.0]}, "regression"),
        ({"y": [1, 2, 3, 4], "y_hat": [1.2, 2.1, 2.9, 4.4]}, "regression"),
        ({"y": list(range(40)), "y_hat": list(range(40))}, "regression"),
        ({"y_hat": [0, 1, 1, 0]}, "binary"),
        ({"p": [0.1, 0.5, 0.7, 0.2], "f": [1, 2, 3, 4]}, "binary"),
        ({"f": [1, 2, 3, 4]}, None),
    ],
)
def test_task_is_inferred(columns, expected):
    trace = mt.trace(pd.DataFrame(columns))
    assert trace.task == expected
    assert body(trace)["task"] == expected


def test_twenty_integer_classes_are_multiclass_twenty_one_are_regression():
    assert mt.trace({"y": list(range(20)), "y_hat": list(range(20))}).task == "multiclass"
    assert mt.trace({"y": list(range(21)), "y_hat": list(range(21))}).task == "regression"


def test_classes_are_counted_over_current_and_reference():
    current = {"y": [0, 1, 0, 1], "y_hat": [0, 1, 1, 1]}
    reference = {"y": [0, 1, 2, 2], "y_hat": [0, 1, 2, 1]}
    assert mt.trace(current, reference=reference).task == "multiclass"


def test_given_task_is_kept():
    trace = mt.trace({"y": list(range(40)), "y_hat": list(range(40))}, task="multiclass")
    assert trace.task == "multiclass"


def test_positive_label_defaults_to_one_or_true():
    assert mt.trace({"y": [0, 1, 1], "y_hat": [0, 1, 0]}).positive_label == 1
    assert mt.trace({"y": [False, True], "y_hat": [False, True]}).positive_label is True
    assert mt.trace({"y": ["0", "1"], "y_hat": ["0", "1"]}).positive_label == "1"
    assert body(mt.trace({"y": [0, 1, 1], "y_hat": [0, 1, 0]}))["positive_label"] == 1


def test_positive_label_given_is_matched_to_the_label_values():
    trace = mt.trace({"y": ["no", "yes", "yes"], "y_hat": ["no", "yes", "no"]}, positive_label="yes")
    assert trace.positive_label == "yes"
    assert trace.warnings == []
    assert mt.trace({"y": [0, 1], "y_hat": [0, 1]}, positive_label="1").positive_label == 1
    assert mt.trace({"y": [0, 1], "y_hat": [0, 1]}, positive_label=np.int64(0)).positive_label == 0


def test_text_classes_without_one_or_true_take_the_greater_with_a_warning():
    trace = mt.trace({"y": ["no", "yes", "yes"], "y_hat": ["no", "yes", "no"]})
    assert trace.positive_label == "yes"
    assert any('has classes "no", "yes", none of them 1 or true' in warning for warning in trace.warnings)


def test_positive_label_not_in_the_data_is_a_warning():
    trace = mt.trace({"y": [0, 1], "y_hat": [0, 1]}, positive_label=2)
    assert any("positive_label 2 does not occur" in warning for warning in trace.warnings)


def test_no_positive_label_outside_binary_tasks():
    trace = mt.trace({"y": [0, 1, 2], "y_hat": [0, 1, 2]})
    assert trace.positive_label is None
    assert "positive_label" not in body(trace)


def test_positive_label_outside_binary_tasks_is_a_warning():
    trace = mt.trace({"y": [0, 1, 2], "y_hat": [0, 1, 2]}, positive_label=1)
    assert trace.positive_label is None
    assert trace.warnings == ["positive_label 1 is left unused: the task is multiclass, not binary"]
