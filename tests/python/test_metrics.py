"""The headline metrics of the text summary equal scikit-learn's."""
import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as sk

import modeltrace as mt


def close(value, expected):
    assert value == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("seed", range(5))
def test_binary_with_prediction(seed):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"y": rng.integers(0, 2, 500), "y_hat": rng.integers(0, 2, 500)})
    reference = pd.DataFrame({"y": rng.integers(0, 2, 300), "y_hat": rng.integers(0, 2, 300)})
    trace = mt.trace(frame, reference=reference)
    for period, data in (("current", frame), ("reference", reference)):
        computed = trace.metrics[period]
        close(computed["accuracy"], sk.accuracy_score(data.y, data.y_hat))
        close(computed["precision"], sk.precision_score(data.y, data.y_hat, zero_division=0))
        close(computed["recall"], sk.recall_score(data.y, data.y_hat, zero_division=0))
        close(computed["f1"], sk.f1_score(data.y, data.y_hat, zero_division=0))
    summary = repr(trace)
    assert f"accuracy {sk.accuracy_score(frame.y, frame.y_hat):.3f}" in summary
    assert f"reference: accuracy {sk.accuracy_score(reference.y, reference.y_hat):.3f}" in summary


def test_binary_text_labels_with_positive_label():
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"y": rng.choice(["churn", "stay"], 400), "y_hat": rng.choice(["churn", "stay"], 400)})
    trace = mt.trace(frame, positive_label="churn")
    close(trace.metrics["current"]["precision"], sk.precision_score(frame.y, frame.y_hat, pos_label="churn"))
    close(trace.metrics["current"]["recall"], sk.recall_score(frame.y, frame.y_hat, pos_label="churn"))
    close(trace.metrics["current"]["f1"], sk.f1_score(frame.y, frame.y_hat, pos_label="churn"))
    assert "(positive class 'churn')" in repr(trace)


def test_binary_from_score_only_uses_the_half_threshold():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"y": rng.integers(0, 2, 300), "p": rng.random(300)})
    predicted = (frame.p >= 0.5).astype(int)
    computed = mt.trace(frame).metrics["current"]
    close(computed["accuracy"], sk.accuracy_score(frame.y, predicted))
    close(computed["f1"], sk.f1_score(frame.y, predicted))


def test_binary_bool_label_and_int_prediction():
    frame = pd.DataFrame({"y": [True, False, True, True], "y_hat": [1, 0, 0, 1]})
    computed = mt.trace(frame).metrics["current"]
    close(computed["accuracy"], 0.75)
    close(computed["recall"], sk.recall_score(frame.y.astype(int), frame.y_hat))


def test_rows_with_a_missing_label_are_left_out():
    frame = pd.DataFrame({"y": [1, 0, None, 1, 0], "y_hat": [1, 1, 0, 1, 0]})
    kept = frame.dropna()
    close(mt.trace(frame).metrics["current"]["accuracy"], sk.accuracy_score(kept.y.astype(int), kept.y_hat))


def test_zero_division_gives_zero():
    computed = mt.trace({"y": [0, 0, 1], "y_hat": [0, 0, 0]}).metrics["current"]
    assert computed["precision"] == 0.0 and computed["f1"] == 0.0


def test_multiclass_accuracy():
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"y": rng.choice(["a", "b", "c", "d"], 600), "y_hat": rng.choice(["a", "b", "c", "d"], 600)})
    trace = mt.trace(frame)
    assert trace.task == "multiclass"
    assert list(trace.metrics["current"]) == ["accuracy"]
    close(trace.metrics["current"]["accuracy"], sk.accuracy_score(frame.y, frame.y_hat))


@pytest.mark.parametrize("seed", range(3))
def test_regression_mae_and_rmse(seed):
    rng = np.random.default_rng(seed)
    truth = rng.normal(100, 20, 800)
    frame = pd.DataFrame({"y": truth, "y_hat": truth + rng.normal(0, 5, 800)})
    trace = mt.trace(frame)
    assert trace.task == "regression"
    close(trace.metrics["current"]["mae"], sk.mean_absolute_error(frame.y, frame.y_hat))
    close(trace.metrics["current"]["rmse"], np.sqrt(sk.mean_squared_error(frame.y, frame.y_hat)))
    assert f"mae {sk.mean_absolute_error(frame.y, frame.y_hat):.4g}" in repr(trace)


def test_no_metrics_without_a_prediction():
    trace = mt.trace({"y": [1.5, 2.5], "x": [1, 2]}, label="y", features=["x"])
    assert trace.metrics == {"current": {}, "reference": None}
    assert "No headline metrics" in repr(trace)
