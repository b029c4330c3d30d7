"""Large-trace transport: the kernel side of the "modeltrace" comm, with a stand-in comm and with a real kernel."""
import json
import os
import uuid

import pyarrow as pa
import pytest

import modeltrace as mt
from modeltrace import _comm
from conftest import MIME_TYPE, REPO, binary_frame, body


class RecordingComm:
    """The part of a comm the target handler uses; records what the kernel sends."""

    def __init__(self):
        self.sent, self.closed, self.handler, self.close_handler = [], False, None, None

    def send(self, data, buffers=None):
        self.sent.append((data, [bytes(buffer) for buffer in buffers or []]))

    def close(self):
        self.closed = True

    def on_msg(self, handler):
        self.handler = handler

    def on_close(self, handler):
        self.close_handler = handler

    def ask(self, request):
        self.handler({"content": {"data": request}})
        return self.sent[-1]


def open_comm(trace_id):
    comm = RecordingComm()
    _comm.open_transfer(comm, {"content": {"data": {"trace": trace_id}}})
    return comm


def held_trace(rows=20_000, limit_mb=0.05):
    frame = binary_frame(rows)
    trace = mt.trace(frame, reference=binary_frame(rows, seed=1), name="big")
    mt.config.embed_limit_mb = limit_mb
    return trace, body(trace)


def fetch_period(comm, manifest, period) -> bytes:
    """All chunks of a period, asked one by one as the card does: their buffers, in order, are the Arrow stream."""
    stream = b""
    for index in range(manifest["periods"][period]["chunks"]):
        reply, buffers = comm.ask({"request": "chunk", "period": period, "index": index})
        assert reply == {"kind": "chunk", "period": period, "index": index}
        chunk = b"".join(buffers)
        assert len(chunk) == manifest["chunk_bytes"] or index == manifest["periods"][period]["chunks"] - 1
        stream += chunk
    return stream


def test_a_held_trace_arrives_in_chunks_that_make_its_arrow_stream():
    mt.config.comm_chunk_mb = 0.1
    trace, payload = held_trace()
    assert payload["current"]["format"] == "kernel-comm"
    comm = open_comm(payload["current"]["trace"])
    (preparing, _), (manifest, buffers) = comm.sent[:2]
    # the kernel first says it holds the trace (laying out a large one takes seconds), then sends the manifest
    assert preparing == {"kind": "preparing", "trace": trace.id}
    assert buffers == []
    assert manifest["kind"] == "manifest" and manifest["trace"] == trace.id
    for period, table in (("current", trace.current), ("reference", trace.reference)):
        assert manifest["periods"][period]["rows"] == table.num_rows
        assert manifest["periods"][period]["chunks"] > 3, "a 0.1 MB chunk size splits ~0.9 MB of Arrow"
        stream = fetch_period(comm, manifest, period)
        assert len(stream) == manifest["periods"][period]["bytes"]
        assert pa.ipc.open_stream(stream).read_all().equals(table)
        assert len(list(pa.ipc.open_stream(stream))) == 1, "one record batch: the browser reads floats in place"
    assert not comm.closed
    comm.close_handler({})
    reply, _ = comm.ask({"request": "chunk", "period": "current", "index": 0})
    assert reply["kind"] == "error", "a closed transfer has let its streams go"


def open_comm_with_aggregates(trace_id, request):
    comm = RecordingComm()
    _comm.open_transfer(comm, {"content": {"data": {"trace": trace_id, "aggregates": request}}})
    return comm


def test_the_kernel_sends_the_rows_aggregates_ahead_of_them():
    import duckdb
    from modeltrace._pushdown import aggregates

    trace, payload = held_trace()
    comm = open_comm_with_aggregates(payload["current"]["trace"], {"chunk_count": 7})
    (preparing, _), (reply, buffers), (manifest, _) = comm.sent[:3]
    assert preparing["kind"] == "preparing" and manifest["kind"] == "manifest"
    assert reply["kind"] == "aggregates" and buffers == []
    data = reply["data"]
    json.dumps(data, allow_nan=False)  # what the comm sends: plain JSON
    assert data["engine"] == "kernel" and data["chunk_count"] == 7
    assert [data[period]["rows"] for period in ("current", "reference")] == [20_000, 20_000]
    # the group rows DuckDB's pushdown computes from the same tables
    connection = duckdb.connect()
    expected = aggregates(
        connection.from_arrow(trace.current),
        connection.from_arrow(trace.reference),
        roles=trace.roles,
        task=trace.task,
        positive_label=trace.positive_label,
        chunk_count=7,
    )
    _same({**data, "engine": "duckdb"}, expected)
    reply, buffers = comm.ask({"request": "chunk", "period": "current", "index": 0})
    assert reply["kind"] == "chunk" and buffers
    # a chunk count the settings cannot give, or none, gets no aggregates; the rows still come
    for request in ({"chunk_count": 0}, {"chunk_count": 1001}, {"chunk_count": "7"}, {"chunk_count": True}, {}, 7, None):
        comm = open_comm_with_aggregates(trace.id, request)
        assert comm.sent[1][0] == {"kind": "aggregates", "data": None}
        assert comm.sent[2][0]["kind"] == "manifest"
    # without the key, no aggregates: the protocol of a card that does not ask
    assert [data["kind"] for data, _ in open_comm(trace.id).sent] == ["preparing", "manifest"]


def _same(found, expected, path="aggregates"):
    """found == expected, floats to 1e-12 relative (sums in another order); raises naming the first difference."""
    if isinstance(expected, dict):
        assert isinstance(found, dict) and found.keys() == expected.keys(), path
        return all(_same(found[key], expected[key], f"{path}.{key}") for key in expected)
    if isinstance(expected, list):
        assert isinstance(found, list) and len(found) == len(expected), path
        return all(_same(a, b, f"{path}[{index}]") for index, (a, b) in enumerate(zip(found, expected)))
    if isinstance(expected, float):
        assert found == pytest.approx(expected, rel=1e-12, abs=1e-300), path
        return True
    assert found == expected and type(found) is type(expected), path
    return True


def test_a_trace_aggregates_cannot_represent_gets_none():
    frame = binary_frame(20_000)
    frame["y"] = frame["y"] + (frame["p"] > 0.9)  # three classes
    trace = mt.trace(frame, reference=binary_frame(20_000, seed=1), name="multi")
    mt.config.embed_limit_mb = 0.05
    assert trace.task == "multiclass"
    comm = open_comm_with_aggregates(body(trace)["current"]["trace"], {"chunk_count": 10})
    assert comm.sent[1][0] == {"kind": "aggregates", "data": None}

    frame = binary_frame(20_000)
    frame.loc[5, "ts"] = None  # the chunks of aggregates need every timestamp
    trace = mt.trace(frame, reference=binary_frame(20_000, seed=1), name="gaps")
    comm = open_comm_with_aggregates(body(trace)["current"]["trace"], {"chunk_count": 10})
    assert comm.sent[1][0] == {"kind": "aggregates", "data": None}
    assert comm.sent[2][0]["kind"] == "manifest"


def test_column_buffers_travel_without_a_copy():
    import numpy as np

    trace, _ = held_trace(rows=50_000)
    transfer = _comm.Transfer(trace, 2**30)
    addresses = {np.frombuffer(buffer, dtype=np.uint8).ctypes.data for buffer in transfer.chunk("current", 0)}
    score = trace.current.column("p").chunk(0).buffers()[1]
    assert score.address in addresses, "the score column's buffer itself is sent"


def test_chunk_size_default_and_floor(monkeypatch):
    mt.config.comm_chunk_mb = None
    assert mt.config.comm_chunk_mb == 16
    monkeypatch.setenv("MODELTRACE_COMM_CHUNK_MB", "2")
    assert mt.config.comm_chunk_bytes == 2 * 2**20
    mt.config.comm_chunk_mb = 0
    assert mt.config.comm_chunk_bytes == 2**16
    with pytest.raises(ValueError, match="modeltrace.config.comm_chunk_mb must be a finite number"):
        mt.config.comm_chunk_mb = -3
    mt.config.comm_chunk_mb = None


def test_without_reference_the_manifest_says_so():
    frame = binary_frame(5000)
    trace = mt.trace(frame)
    mt.config.embed_limit_mb = 0.01
    payload = body(trace)
    assert payload["reference"] is None
    manifest, _ = open_comm(trace.id).sent[1]
    assert manifest["periods"]["reference"] is None
    assert manifest["periods"]["current"]["rows"] == 5000


def test_an_unknown_trace_gets_an_explanation_and_the_comm_closes():
    comm = open_comm("0" * 32)
    (reply, buffers), = comm.sent
    assert reply["kind"] == "error" and reply["reason"] == "not-held"
    assert f"does not hold trace {'0' * 32}" in reply["message"]
    assert 'mt.save(trace, "runs/x.arrow")' in reply["message"]
    assert comm.closed


def test_bad_requests_name_what_is_wrong():
    mt.config.comm_chunk_mb = None
    trace, payload = held_trace(rows=3000, limit_mb=0.01)
    comm = open_comm(trace.id)
    reply, _ = comm.ask({"request": "chunk", "period": "current", "index": 99})
    assert reply["kind"] == "error" and 'chunk 99 of "current" does not exist (the period has 1 chunks)' in reply["message"]
    reply, _ = comm.ask({"request": "everything"})
    assert reply["kind"] == "error" and "unknown request" in reply["message"]
    reply, _ = comm.ask({"request": "chunk", "period": "future", "index": 0})
    assert 'no "future" data' in reply["message"]


@pytest.fixture
def kernel():
    """A real IPython kernel with this checkout's modeltrace on its path."""
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    manager, client = start_new_kernel(kernel_name="python3", env=env, startup_timeout=60)
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def execute(client, code):
    reply = client.execute_interactive(code, timeout=60, output_hook=lambda msg: None)
    assert reply["content"]["status"] == "ok", reply["content"]


def comm_messages(client, comm_id, count):
    """The next `count` comm messages (data, buffers) on the comm, from iopub."""
    found = []
    while len(found) < count:
        msg = client.get_iopub_msg(timeout=30)
        if msg["msg_type"] in ("comm_msg", "comm_close") and msg["content"]["comm_id"] == comm_id:
            found.append((msg["msg_type"], msg["content"].get("data"), [bytes(b) for b in msg.get("buffers", [])]))
    return found


def test_a_real_kernel_serves_a_large_trace_over_the_comm(kernel):
    execute(kernel, (
        "import sys, json\n"
        f"sys.path.insert(0, {str(REPO / 'tests' / 'python')!r})\n"
        "import modeltrace as mt\n"
        "from conftest import binary_frame\n"
        "mt.config.embed_limit_mb = 0.05\n"
        "mt.config.comm_chunk_mb = 0.1\n"
        "trace = mt.trace(binary_frame(20000), reference=binary_frame(20000, seed=1))\n"
        "payload = trace._repr_mimebundle_()['" + MIME_TYPE + "']\n"
    ))
    outputs = []
    kernel.execute_interactive("print(json.dumps(payload['current']))", timeout=30, output_hook=outputs.append)
    current = json.loads(next(m["content"]["text"] for m in outputs if m["msg_type"] == "stream"))
    assert current["format"] == "kernel-comm" and current["rows"] == 20000

    comm_id = uuid.uuid4().hex
    kernel.shell_channel.send(kernel.session.msg(
        "comm_open", {"comm_id": comm_id, "target_name": "modeltrace", "data": {"trace": current["trace"]}}))
    (_, preparing, _), (kind, manifest, _) = comm_messages(kernel, comm_id, 2)
    assert preparing["kind"] == "preparing"
    assert kind == "comm_msg" and manifest["kind"] == "manifest"
    chunk_count = manifest["periods"]["current"]["chunks"]
    assert chunk_count > 3
    for index in range(chunk_count):
        kernel.shell_channel.send(kernel.session.msg(
            "comm_msg", {"comm_id": comm_id, "data": {"request": "chunk", "period": "current", "index": index}}))
    stream = b""
    for kind, data, buffers in comm_messages(kernel, comm_id, chunk_count):
        assert data["kind"] == "chunk"
        stream += b"".join(buffers)
    table = pa.ipc.open_stream(stream).read_all()
    assert table.num_rows == 20000
    assert table.column("y").to_pylist() == binary_frame(20000)["y"].tolist()

    # the aggregates, through the kernel's JSON, between "preparing" and the manifest
    with_aggregates = uuid.uuid4().hex
    kernel.shell_channel.send(kernel.session.msg(
        "comm_open", {"comm_id": with_aggregates, "target_name": "modeltrace",
                      "data": {"trace": current["trace"], "aggregates": {"chunk_count": 10}}}))
    (_, preparing, _), (_, reply, _), (_, manifest, _) = comm_messages(kernel, with_aggregates, 3)
    assert [preparing["kind"], reply["kind"], manifest["kind"]] == ["preparing", "aggregates", "manifest"]
    assert reply["data"]["engine"] == "kernel"
    assert reply["data"]["current"]["rows"] == 20000 and len(reply["data"]["current"]["chunks"]) == 10

    # a kernel that never made the trace (e.g. the notebook reopened later) explains instead of staying silent
    other = uuid.uuid4().hex
    kernel.shell_channel.send(kernel.session.msg(
        "comm_open", {"comm_id": other, "target_name": "modeltrace", "data": {"trace": "f" * 32}}))
    (kind, reply, _), (closing, _, _) = comm_messages(kernel, other, 2)
    assert reply["reason"] == "not-held" and closing == "comm_close"


def test_a_trace_the_kernel_cannot_lay_out_gets_an_error_not_silence(monkeypatch):
    trace, payload = held_trace()

    def out_of_memory(*args, **kwargs):
        raise MemoryError("no room for 2.7 GB")

    monkeypatch.setattr(_comm, "Transfer", out_of_memory)
    comm = open_comm(payload["current"]["trace"])
    (preparing, _), (error, _) = comm.sent
    assert preparing["kind"] == "preparing"
    assert error["kind"] == "error" and error["reason"] == "failed"
    assert "could not lay out the trace" in error["message"] and "no room for 2.7 GB" in error["message"]
    assert comm.closed
