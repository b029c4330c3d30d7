"""The MIME bundle: exactly the keys of trace format v1, data that decodes back, and the embed-size limit."""
import base64
import json
import platform
import re
import uuid

import numpy as np
import pyarrow as pa
import pytest

import modeltrace as mt
from conftest import MIME_TYPE, binary_frame, body, decode


def test_bundle_has_the_two_mime_types():
    trace = mt.trace(binary_frame())
    bundle = trace._repr_mimebundle_()
    assert set(bundle) == {MIME_TYPE, "text/plain"}
    assert bundle["text/plain"] == repr(trace)
    assert "\n" not in bundle["text/plain"]


def test_include_and_exclude():
    trace = mt.trace(binary_frame())
    assert set(trace._repr_mimebundle_(include=[MIME_TYPE])) == {MIME_TYPE}
    assert set(trace._repr_mimebundle_(exclude=[MIME_TYPE])) == {"text/plain"}


def test_body_keys_and_values():
    frame = binary_frame()
    trace = mt.trace(frame, reference=frame.iloc[:100], name="val-run", slices=["region"])
    payload = body(trace)
    assert list(payload) == [
        "version", "id", "name", "created", "roles", "task", "current", "reference", "source",
        "inferred", "warnings", "positive_label",
    ]
    assert payload["version"] == 1
    assert uuid.UUID(hex=payload["id"]).version == 4 and payload["id"] == trace.id
    assert payload["name"] == "val-run"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", payload["created"])
    assert payload["task"] == "binary"
    assert payload["source"] == {"kernel": "python", "language": f"python {platform.python_version()}"}
    assert set(payload["current"]) == {"format", "data", "rows", "bytes"}
    assert payload["current"]["rows"] == 200 and payload["reference"]["rows"] == 100
    json.dumps(payload, allow_nan=False)


def test_reference_is_null_without_one():
    assert body(mt.trace(binary_frame()))["reference"] is None


def test_default_name_is_unique():
    first, second = mt.trace(binary_frame()), mt.trace(binary_frame())
    assert first.name.startswith("trace-") and first.name != second.name
    assert first.id != second.id


def test_data_decodes_back_to_the_same_values():
    frame = binary_frame()
    trace = mt.trace(frame, reference=frame.iloc[::2], slices=["region"])
    current = decode(body(trace)["current"])
    reference = decode(body(trace)["reference"])
    assert current.equals(trace.current)
    assert reference.equals(trace.reference)
    assert current.column("y").to_pylist() == frame["y"].tolist()
    np.testing.assert_array_equal(current.column("p").to_numpy(), frame["p"].to_numpy())
    assert current.column("region").to_pylist() == frame["region"].tolist()
    expected_ms = frame["ts"].to_numpy().astype("datetime64[ms]").astype(np.int64)
    np.testing.assert_array_equal(current.column("ts").cast(pa.int64()).to_numpy(), expected_ms)
    assert reference.column("income").to_pylist() == frame["income"].iloc[::2].tolist()


def test_data_is_an_arrow_stream_without_schema_metadata():
    raw = base64.b64decode(body(mt.trace(binary_frame()))["current"]["data"])
    reader = pa.ipc.open_stream(raw)
    assert reader.schema.metadata is None
    with pytest.raises(pa.ArrowInvalid):
        pa.ipc.open_file(raw)


def test_above_the_limit_the_data_stay_in_the_kernel():
    frame = binary_frame(2000)
    trace = mt.trace(frame, reference=frame)
    total = body(trace)["current"]["bytes"] + body(trace)["reference"]["bytes"]
    mt.config.embed_limit_mb = (total - 1) / 2**20
    bundle = trace._repr_mimebundle_()
    payload = bundle[MIME_TYPE]
    held = {"format": "kernel-comm", "target": "modeltrace", "trace": trace.id, "rows": 2000, "bytes": total // 2}
    assert payload["current"] == held
    assert payload["reference"] == held
    summary = bundle["text/plain"]
    assert "it lives only in this kernel" in summary
    assert 'mt.save(trace, "runs/x.arrow")' in summary
    assert summary == repr(trace)
    mt.config.embed_limit_mb = total / 2**20
    assert body(trace)["current"]["format"] == "arrow-ipc-base64"


def test_kernel_held_payload_carries_the_headline_metrics_the_card_shows_at_once():
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

    frame = binary_frame(3000)
    reference = binary_frame(2000)
    trace = mt.trace(frame, reference=reference, label="y", prediction="y_hat", score="p")
    assert "headline" not in body(trace)  # embedded: the card analyses at once
    mt.config.embed_limit_mb = 0.001
    headline = body(trace)["headline"]
    assert set(headline) == {"current", "reference"}
    for period, data in (("current", frame), ("reference", reference)):
        expected = {
            "accuracy": accuracy_score(data["y"], data["y_hat"]),
            "precision": precision_score(data["y"], data["y_hat"], zero_division=0),
            "recall": recall_score(data["y"], data["y_hat"], zero_division=0),
            "f1": f1_score(data["y"], data["y_hat"], zero_division=0),
        }
        assert headline[period] == pytest.approx(expected, rel=1e-12)
    json.dumps(headline, allow_nan=False)


def test_limit_from_the_environment(monkeypatch):
    trace = mt.trace(binary_frame())
    monkeypatch.setenv("MODELTRACE_EMBED_LIMIT_MB", "0.001")
    assert body(trace)["current"]["format"] == "kernel-comm"
    monkeypatch.setenv("MODELTRACE_EMBED_LIMIT_MB", "8")
    assert body(trace)["current"]["format"] == "arrow-ipc-base64"


def test_config_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("MODELTRACE_EMBED_LIMIT_MB", "0")
    mt.config.embed_limit_mb = 8
    assert body(mt.trace(binary_frame()))["current"]["format"] == "arrow-ipc-base64"


def test_default_limit_is_eight_megabytes():
    assert mt.config.embed_limit_mb == 8
    assert mt.config.embed_limit_bytes == 8 * 2**20


def test_bad_limits_are_refused(monkeypatch):
    with pytest.raises(ValueError, match="modeltrace.config.embed_limit_mb must be a finite number of megabytes >= 0, got -1"):
        mt.config.embed_limit_mb = -1
    monkeypatch.setenv("MODELTRACE_EMBED_LIMIT_MB", "lots")
    with pytest.raises(ValueError, match="MODELTRACE_EMBED_LIMIT_MB must be a number of megabytes, got 'lots'"):
        mt.config.embed_limit_mb


def test_source_carries_the_executing_ipython_cell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    code = "import modeltrace as mt\nt = mt.trace(frame, name='c')"
    shell.user_ns["frame"] = binary_frame()
    result = shell.run_cell(code, store_history=True)
    assert result.success
    assert body(shell.user_ns["t"])["source"]["code"] == code


def test_source_data_fingerprints_the_inputs_not_the_predictions():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    frame = binary_frame()
    shell.user_ns.update(frame=frame, other_model=frame.assign(y_hat=1 - frame["y_hat"]), other_rows=binary_frame(seed=1))
    fingerprints = {}
    for name in ("frame", "other_model", "other_rows"):
        result = shell.run_cell(f"t = mt.trace({name}, label='y', prediction='y_hat', score='p')", store_history=True)
        assert result.success
        fingerprints[name] = body(shell.user_ns["t"])["source"]["data"]
    # another model on the same rows: the same data; other rows: other data
    assert fingerprints["frame"] == fingerprints["other_model"]
    assert fingerprints["frame"] != fingerprints["other_rows"]
    assert len(fingerprints["frame"]) == 32


def test_frames_returns_the_data_of_a_trace_made_in_this_kernel():
    frame = binary_frame()
    reference = binary_frame(seed=3)
    trace = mt.trace(frame, reference=reference, label="y", prediction="y_hat", score="p", features=["income", "region"])
    current, before = mt.frames(trace.id)
    assert list(current.columns) == list(trace.current.column_names)
    np.testing.assert_array_equal(current["income"].to_numpy(), frame["income"].to_numpy())
    np.testing.assert_array_equal(before["region"].to_numpy(), reference["region"].to_numpy())
    alone = mt.trace(frame)
    assert mt.frames(alone.id)[1] is None
    # a trace nobody keeps is forgotten (the kernel does not hold every run's data)
    forgotten = mt.trace(frame).id
    import gc

    gc.collect()
    with pytest.raises(mt.TraceError, match="is not in this kernel"):
        mt.frames(forgotten)
    with pytest.raises(mt.TraceError, match='trace "nope" is not in this kernel .*run the cell that makes it again'):
        mt.frames("nope")
