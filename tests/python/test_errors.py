"""Every validation error is a TraceError (a ValueError) whose message names the column and the value at fault."""
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import modeltrace as mt
from conftest import binary_frame


def error_of(*args, **kwargs) -> str:
    with pytest.raises(mt.TraceError) as caught:
        mt.trace(*args, **kwargs)
    assert isinstance(caught.value, ValueError)
    return str(caught.value)


def test_missing_column_lists_columns_and_suggests_close_names():
    message = error_of(binary_frame(), label="lable")
    assert 'column "lable" (label) not found in data' in message
    assert "columns are: y, y_hat, p, ts, income, debt_ratio, region" in message

    message = error_of(binary_frame(), features=["debt_ration"])
    assert 'column "debt_ration" (feature) not found' in message
    assert 'did you mean "debt_ratio"?' in message

    message = error_of(binary_frame(), prediction="Y_HAT")
    assert 'did you mean "y_hat"?' in message


def test_missing_column_with_many_columns_is_shortened():
    frame = pd.DataFrame({f"c{i}": [1, 2] for i in range(30)})
    message = error_of(frame, label="nope")
    assert "... (30 columns)" in message


@pytest.mark.parametrize("kind", ["pandas", "arrow"])
def test_duplicate_column_names(kind):
    frame = pd.DataFrame([[1, 0, 0.5, 0.7]], columns=["y", "y_hat", "x", "x"])
    data = frame if kind == "pandas" else pa.Table.from_arrays([pa.array([v]) for v in frame.iloc[0]], names=list(frame.columns))
    message = error_of(data)
    assert message == 'data has duplicate column names: "x" (2 times)'


def test_duplicate_names_after_turning_names_into_text():
    message = error_of({1: [1, 2], "1": [3, 4]})
    assert '"1" (2 times)' in message


@pytest.mark.parametrize(
    "data", [pd.DataFrame({"y": [], "y_hat": []}), [], {"y": [], "y_hat": []}, pa.table({"y": pa.array([], pa.int64())})]
)
def test_empty_data(data):
    assert error_of(data) == "data is empty (0 rows)"


def test_empty_reference_and_no_columns():
    assert error_of(binary_frame(), reference=binary_frame().iloc[:0]) == "reference is empty (0 rows)"
    assert error_of(pd.DataFrame(index=range(3))) == "data has no columns"


def test_label_column_all_missing():
    message = error_of({"y": [None, None, None], "y_hat": [0, 1, 1]})
    assert message == 'column "y" (label, inferred from its name) in data has no values: all 3 rows are missing'
    frame = binary_frame(10)
    reference = frame.assign(y=np.nan)
    message = error_of(frame, reference=reference, label="y")
    assert message == 'column "y" (label) in reference has no values: all 10 rows are missing'


def test_scores_outside_zero_one():
    frame = binary_frame(100)
    frame.loc[88, "p"] = 1.3
    frame.loc[90, "p"] = -0.2
    message = error_of(frame, score="p")
    assert message == 'column "p" (score) in data: 2 values outside [0, 1], first at row 88 (1.3)'


def test_scores_nan_and_infinite():
    frame = binary_frame(20)
    frame.loc[5, "p"] = np.nan
    frame.loc[7, "p"] = math.inf
    frame.loc[9, "p"] = -math.inf
    message = error_of(frame, score="p")
    assert 'column "p" (score) in data: 1 missing or NaN value, first at row 5' in message
    assert "2 infinite values, first at row 7 (inf)" in message


def test_nan_stays_nan_in_arrow_input_and_is_still_refused():
    table = pa.table({"y": [0, 1, 1], "p": [0.2, float("nan"), 0.9]})
    assert "1 missing or NaN value, first at row 1" in error_of(table)


def test_inferred_score_out_of_range_says_how_to_opt_out():
    message = error_of({"y": [0, 1], "y_hat": [0, 1], "score": [712.0, 640.0]})
    assert 'column "score" (score, inferred from its name) in data: 2 values outside [0, 1], first at row 0 (712.0)' in message
    assert "list it in features=[...]" in message
    assert mt.trace({"y": [0, 1], "y_hat": [0, 1], "score": [712.0, 640.0]}, features=["score"]).roles["features"] == ["score"]


def test_scores_columns_are_checked_one_by_one():
    frame = pd.DataFrame({"y": ["a", "b", "c"], "p_a": [0.5, 0.2, 0.1], "p_b": [0.5, 1.7, 0.1], "p_c": [0.0, 0.1, 0.8]})
    message = error_of(frame, scores=["p_a", "p_b", "p_c"])
    assert message == 'column "p_b" (scores) in data: 1 value outside [0, 1], first at row 1 (1.7)'


def test_score_that_is_not_numeric():
    message = error_of({"y": [0, 1], "p": ["high", "low"]}, score="p")
    assert message == 'column "p" (score) in data must hold probabilities in [0, 1], got string values'


def test_reference_without_a_role_column():
    frame = binary_frame(10)
    message = error_of(frame, reference=frame.drop(columns=["p", "income"]))
    assert 'reference has no column "p" (score), "income" (feature), which data uses' in message
    assert "reference columns are: y, y_hat, ts, debt_ratio, region" in message


def test_unparseable_timestamp_names_value_and_row():
    frame = binary_frame(10)
    frame["ts"] = frame["ts"].astype(str)
    frame.loc[3, "ts"] = "yesterday"
    message = error_of(frame, timestamp="ts")
    assert message.startswith('column "ts" (timestamp): cannot read "yesterday" at row 3 as a date-time')


def test_unparseable_timestamp_in_reference():
    frame = binary_frame(10)
    reference = frame.assign(ts=["2024-01-01"] * 9 + ["13/01/2024"])
    message = error_of(frame, reference=reference, timestamp="ts")
    assert 'cannot read "13/01/2024" at row 9' in message


def test_numeric_timestamp_is_refused_with_a_hint():
    message = error_of({"y": [0, 1], "y_hat": [0, 1], "t": [1700000000, 1700003600]}, timestamp="t")
    assert message.startswith('column "t" (timestamp) holds int64, not date-times')
    assert 'pd.to_datetime(df["t"], unit="s")' in message


def test_one_column_in_two_roles():
    assert error_of(binary_frame(), label="y", prediction="y") == 'column "y" is given as both label and prediction'
    assert error_of(binary_frame(), label="y", features=["y", "income"]) == 'column "y" (label) cannot also be a feature'


def test_score_and_scores_together():
    assert "either score" in error_of(binary_frame(), score="p", scores=["p"])


def test_role_given_as_a_list():
    assert error_of(binary_frame(), label=["y", "y_hat"]) == "label must be one column name, got ['y', 'y_hat']"


def test_unknown_task_suggests_the_right_one():
    message = error_of(binary_frame(), task="clasification")
    assert message == 'task must be "binary", "multiclass" or "regression", got "clasification"'
    assert error_of(binary_frame(), task="regresion").endswith('; did you mean "regression"?')
    assert error_of(binary_frame(), task="Binary").endswith('; did you mean "binary"?')


def test_task_that_contradicts_the_label():
    message = error_of({"y": ["a", "b", "c"], "y_hat": ["a", "b", "b"]}, task="binary")
    assert message == 'task "binary" needs 2 classes, but column "y" (label, inferred from its name) has 3: "a", "b", "c"'
    message = error_of({"y": ["a", "b"], "y_hat": ["a", "b"]}, label="y", task="regression")
    assert message == 'task "regression" needs numbers, but column "y" (label) holds string'


def test_unsupported_type_of_a_given_feature():
    table = pa.table({"y": [0, 1], "y_hat": [0, 1], "blob": pa.array([b"a", b"b"])})
    message = error_of(table, features=["blob"])
    assert message == 'column "blob" (feature) has type binary; a trace carries numbers, booleans, text and date-times only'


def test_latency_that_is_not_numeric():
    message = error_of({"y": [0, 1], "y_hat": [0, 1], "wait": ["1s", "2s"]}, latency="wait")
    assert message == 'column "wait" (latency) in data must hold numbers or durations, got string'


def test_unsupported_input_types():
    assert "cannot read a str" in error_of("data.csv")
    assert "cannot read a pandas Series" in error_of(pd.Series([1, 2]))
    assert "row 1 is a int" in error_of([{"y": 1}, 5])
    assert 'column "y" must be a list of values, got 5' in error_of({"y": 5})


def test_columns_of_different_lengths():
    message = error_of({"y": [0, 1, 1], "y_hat": [0, 1]})
    assert message == 'data: columns must have the same number of values; "y" has 3, "y_hat" has 2'


def test_positive_label_of_an_odd_type():
    assert "positive_label must be" in error_of(binary_frame(), positive_label=[1])


def test_no_column_with_a_role():
    table = pa.table({"embedding": [[0.1], [0.2]]})
    assert error_of(table).startswith("no column of the data has a role: columns are embedding")


def test_inferred_timestamp_that_is_not_a_date_says_how_to_opt_out():
    message = error_of({"y": [0, 1], "y_hat": [0, 1], "time": ["morning", "evening"]})
    assert message.startswith('column "time" (timestamp, inferred from its name): cannot read "morning" at row 0')
    assert message.endswith("; if it is not a date-time, list it in features=[...]")


def test_infinite_label_values_are_refused():
    message = error_of(pd.DataFrame({"y": [0.0, float("inf"), 1.0], "y_hat": [0, 0, 1]}))
    assert message == 'column "y" (label, inferred from its name) in data: 1 infinite value, first at row 1 (inf)'
