"""Roles: given ones are kept, missing ones inferred from common names, and the payload says which."""
import pandas as pd
import pytest

import modeltrace as mt
from modeltrace._roles import ROLE_NAMES
from conftest import binary_frame, body


def test_design_example_roles_are_used_as_given():
    frame = binary_frame()
    trace = mt.trace(
        frame, reference=frame, label="y", prediction="y_hat", score="p", timestamp="ts",
        features=["income", "debt_ratio"], slices=["region"], name="val-run",
    )
    assert trace.roles == {
        "label": "y", "prediction": "y_hat", "score": "p", "timestamp": "ts",
        "features": ["income", "debt_ratio"], "slices": ["region"],
    }
    assert trace.inferred == []
    assert body(trace)["inferred"] == []
    assert trace.name == "val-run"


def test_roles_are_inferred_and_recorded():
    trace = mt.trace(binary_frame(), slices=["region"])
    assert trace.roles == {
        "label": "y", "prediction": "y_hat", "score": "p", "timestamp": "ts",
        "features": ["income", "debt_ratio"], "slices": ["region"],
    }
    assert trace.inferred == ["label", "prediction", "score", "timestamp", "features"]
    assert body(trace)["inferred"] == trace.inferred
    summary = repr(trace)
    assert 'label "y" (inferred)' in summary
    assert "2 features (inferred): income, debt_ratio" in summary


CASES = [(role, name) for role, names in ROLE_NAMES.items() for name in names]


@pytest.mark.parametrize("role, name", CASES)
def test_every_common_name_is_recognised_case_insensitively(role, name):
    values = {
        "label": [0, 1, 1, 0],
        "prediction": [0, 1, 0, 0],
        "score": [0.1, 0.9, 0.4, 0.2],
        "timestamp": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"],
        "latency": [12.0, 15.5, 9.1, 11.0],
        "model_version": ["v1", "v1", "v2", "v2"],
        "id": ["a", "b", "c", "d"],
    }
    frame = pd.DataFrame({"feature_x": [1.0, 2.0, 3.0, 4.0], name.upper(): values[role]})
    roles = {} if role in ("label", "prediction") else {"label": "feature_x"}
    trace = mt.trace(frame, **roles, task="regression" if roles else None)
    assert trace.roles[role] == name.upper()
    assert role in trace.inferred


def test_given_role_wins_and_its_column_is_not_reused():
    frame = pd.DataFrame({"target": [0, 1, 1], "y": [0, 0, 1], "y_hat": [0, 1, 1]})
    trace = mt.trace(frame, label="target")
    assert trace.roles["label"] == "target"
    assert "label" not in trace.inferred
    assert trace.roles["features"] == ["y"]


def test_first_name_in_the_list_wins():
    frame = pd.DataFrame({"target": [0, 1], "label": [1, 0], "y": [0, 1], "pred": [0, 1]})
    assert mt.trace(frame).roles["label"] == "y"


def test_columns_named_as_features_or_slices_are_not_inferred():
    frame = pd.DataFrame({"y": [0, 1, 1], "y_hat": [0, 1, 1], "time": ["2024-01-01"] * 3, "model": ["a", "b", "a"]})
    trace = mt.trace(frame, features=["time"], slices=["model"])
    assert "timestamp" not in trace.roles
    assert "model_version" not in trace.roles
    assert trace.roles["features"] == ["time"]


def test_a_column_whose_type_does_not_fit_the_role_is_not_inferred():
    frame = pd.DataFrame({"y": [0, 1, 1], "y_hat": [0, 1, 1], "score": ["low", "high", "high"], "time": [1, 2, 3]})
    trace = mt.trace(frame)
    assert "score" not in trace.roles
    assert "timestamp" not in trace.roles
    assert trace.roles["features"] == ["score", "time"]


def test_slices_are_not_features_by_default_and_default_to_none():
    trace = mt.trace(binary_frame())
    assert trace.roles["slices"] == []
    assert "region" in trace.roles["features"]
    trace = mt.trace(binary_frame(), slices="region")
    assert trace.roles["slices"] == ["region"]
    assert "region" not in trace.roles["features"]


def test_scores_for_multiclass():
    frame = pd.DataFrame(
        {"y": ["cat", "dog", "bird", "cat"], "y_hat": ["cat", "dog", "cat", "cat"],
         "p_bird": [0.1, 0.1, 0.5, 0.2], "p_cat": [0.8, 0.2, 0.3, 0.7], "p_dog": [0.1, 0.7, 0.2, 0.1]}
    )
    trace = mt.trace(frame, scores=["p_bird", "p_cat", "p_dog"])
    assert trace.roles["scores"] == ["p_bird", "p_cat", "p_dog"]
    assert "score" not in trace.roles
    assert trace.task == "multiclass"
    assert trace.roles["features"] == []


def test_latency_model_version_and_id_travel():
    frame = pd.DataFrame(
        {"y": [1.0, 2.0], "y_hat": [1.5, 2.0], "latency_ms": [3, 4], "model_version": ["a", "b"], "request_id": ["r1", "r2"]}
    )
    trace = mt.trace(frame)
    assert trace.roles["latency"] == "latency_ms"
    assert trace.roles["model_version"] == "model_version"
    assert trace.roles["id"] == "request_id"
    assert trace.roles["features"] == []
    assert list(body(trace)["roles"]) == ["label", "prediction", "features", "slices", "latency", "model_version", "id"]


def test_spaces_and_dashes_read_as_underscores():
    frame = pd.DataFrame({"Y True": [0, 1], "y-pred": [0, 1], "Event Time": ["2024-01-01", "2024-01-02"]})
    trace = mt.trace(frame)
    assert (trace.roles["label"], trace.roles["prediction"], trace.roles["timestamp"]) == ("Y True", "y-pred", "Event Time")
