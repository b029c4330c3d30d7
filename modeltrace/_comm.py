"""Large-trace transport: a trace above the embed limit stays in the kernel and the card fetches it over a comm.

The card opens a comm on target "modeltrace" with `{"trace": id}`. The kernel lays each period out as one Arrow IPC
stream (without copying the column buffers) and answers with a manifest (rows, bytes, chunk count per period); the
card then asks for chunks, and each answer carries binary buffers whose concatenation is the next slice of the
stream. A card that asks for them in its open message first gets the rows' aggregates (`table_aggregates`: a few MB
that it analyses while the rows travel). No base64 and no JSON for the data; the card keeps
only a couple of requests in flight, so it can stop at any time (cancel) and the kernel never queues more than the
card asked for. The streams live as long as the comm, the trace's tables as long as the kernel. The protocol is
in docs/trace-format.md, section "Kernel comm".
"""
import bisect
import itertools

import pyarrow as pa

from ._config import config
from ._table_aggregates import table_aggregates

COMM_TARGET = "modeltrace"
_SMALL_PIECE = 1 << 16
# chunks per period of the aggregates a card may ask for (its setting's range)
_MAX_CHUNK_COUNT = 1000

# traces displayed above the embed limit, by id: their data live only here until the kernel stops
_held = {}
# their aggregates, by trace id and chunk count, once a card asked for them
_aggregates = {}
_registered_with = None


def hold(trace) -> None:
    """Keep `trace` for the card to fetch, and make sure the kernel answers comms on our target."""
    _held[trace.id] = trace
    register_target()


def held_trace(trace_id):
    return _held.get(trace_id)


def register_target() -> bool:
    """Register the comm target with the running kernel's comm manager (once per kernel); False outside a kernel."""
    global _registered_with
    manager = _kernel_comm_manager()
    if manager is None:
        return False
    if _registered_with is not manager:
        manager.register_target(COMM_TARGET, open_transfer)
        _registered_with = manager
    return True


def kernel_comm_data(trace, table, size: int) -> dict:
    """The DATA block of a period held by the kernel."""
    return {"format": "kernel-comm", "target": COMM_TARGET, "trace": trace.id, "rows": table.num_rows, "bytes": size}


class Transfer:
    """The Arrow IPC streams of one trace, sent in slices of `chunk_bytes` straight from the tables' buffers."""

    def __init__(self, trace, chunk_bytes: int):
        self._chunk_bytes = chunk_bytes
        self._streams, self._rows = {}, {}
        for period, table in (("current", trace.current), ("reference", trace.reference)):
            if table is not None:
                # one record batch, so the browser reads float columns in place instead of gathering batches
                self._streams[period] = StreamPieces(table.combine_chunks())
                self._rows[period] = table.num_rows

    def manifest(self, trace_id: str) -> dict:
        periods = {"current": None, "reference": None}
        for period, stream in self._streams.items():
            count = max(1, -(-stream.size // self._chunk_bytes))
            periods[period] = {"rows": self._rows[period], "bytes": stream.size, "chunks": count}
        return {"kind": "manifest", "trace": trace_id, "chunk_bytes": self._chunk_bytes, "periods": periods}

    def release(self) -> None:
        self._streams.clear()

    def chunk(self, period: str, index: int) -> list:
        """Bytes [index × chunk_bytes, (index + 1) × chunk_bytes) of the period's stream, as buffers to concatenate."""
        if period not in self._streams:
            raise LookupError(f'this trace has no "{period}" data')
        stream = self._streams[period]
        count = max(1, -(-stream.size // self._chunk_bytes))
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < count:
            raise LookupError(f'chunk {index!r} of "{period}" does not exist (the period has {count} chunks)')
        return stream.slice(index * self._chunk_bytes, min(stream.size, (index + 1) * self._chunk_bytes))


class StreamPieces:
    """A table's Arrow IPC stream as the pieces the writer emits: small metadata and padding writes, and the
    column buffers themselves (pyarrow hands them over without a copy), so no copy of the data is ever made here."""

    def __init__(self, table):
        sink = _PieceSink()
        with pa.ipc.new_stream(pa.PythonFile(sink, mode="w"), table.schema) as writer:
            writer.write_table(table)
        self._pieces = [memoryview(piece).cast("B") for piece in sink.pieces]
        self._starts = list(itertools.accumulate((len(piece) for piece in self._pieces), initial=0))
        self.size = self._starts[-1]

    def slice(self, start: int, end: int) -> list:
        """memoryviews whose concatenation is bytes [start, end); small neighbours joined into one buffer."""
        buffers, small = [], []
        first = bisect.bisect_right(self._starts, start) - 1
        for index in range(first, len(self._pieces)):
            piece_start = self._starts[index]
            if piece_start >= end:
                break
            piece = self._pieces[index][max(0, start - piece_start):end - piece_start]
            if len(piece) < _SMALL_PIECE:
                small.append(piece)
                continue
            if small:
                buffers.append(memoryview(b"".join(small)))
                small = []
            buffers.append(piece)
        if small:
            buffers.append(memoryview(b"".join(small)))
        return buffers


class _PieceSink:
    """A write-only file for pyarrow that keeps what it is given instead of copying it."""

    closed = False
    mode = "wb"

    def __init__(self):
        self.pieces = []

    def write(self, data) -> int:
        self.pieces.append(data)
        return len(memoryview(data))

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def open_transfer(comm, open_msg) -> None:
    """Comm target handler: answer the manifest of the trace the card asked for, then chunks on request."""
    data = open_msg.get("content", {}).get("data") or {}
    trace_id = data.get("trace")
    trace = held_trace(trace_id) if isinstance(trace_id, str) else None
    if trace is None:
        comm.send({"kind": "error", "reason": "not-held", "message": _not_held_message(trace_id)})
        comm.close()
        return
    # laying out a large trace takes seconds (10 million rows: combining record batches), and a comm opened while a
    # cell runs is handled without the kernel reporting itself busy: say at once that the trace is here
    comm.send({"kind": "preparing", "trace": trace.id})
    if "aggregates" in data:
        # the rows' aggregates first: a few MB that the card analyses while the rows travel
        comm.send({"kind": "aggregates", "data": aggregates_for(trace, data["aggregates"])})
    try:
        transfer = Transfer(trace, config.comm_chunk_bytes)
    except Exception as error:  # e.g. MemoryError: the card must not wait for a manifest that never comes
        comm.send({"kind": "error", "reason": "failed", "message": f"the kernel could not lay out the trace: {error!r}"})
        comm.close()
        return
    comm.send(transfer.manifest(trace.id))

    def on_msg(msg) -> None:
        request = msg.get("content", {}).get("data") or {}
        if request.get("request") != "chunk":
            comm.send({"kind": "error", "reason": "bad-request", "message": f"unknown request {request!r}"})
            return
        period, index = request.get("period"), request.get("index")
        try:
            buffers = transfer.chunk(period, index)
        except LookupError as error:
            comm.send({"kind": "error", "reason": "bad-request", "message": str(error)})
            return
        comm.send({"kind": "chunk", "period": period, "index": index}, buffers=buffers)

    comm.on_msg(on_msg)
    comm.on_close(lambda msg: transfer.release())


def aggregates_for(trace, request):
    """The trace's "aggregates" DATA in the chunk count the card asked for (`{"chunk_count": m}`), computed once
    per count; None when aggregates cannot represent the trace (`table_aggregates`), the request is not one, or
    computing them failed (e.g. memory): the card then waits for the rows."""
    count = request.get("chunk_count") if isinstance(request, dict) else None
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= _MAX_CHUNK_COUNT:
        return None
    known = _aggregates.setdefault(trace.id, {})
    if count not in known:
        try:
            known.clear()  # one chunk count kept per trace: the card's setting
            known[count] = table_aggregates(trace, count)
        except Exception:  # noqa: BLE001 - the rows still travel; the aggregates are only a head start
            known[count] = None
    return known[count]


def _not_held_message(trace_id) -> str:
    return (
        f"this kernel does not hold trace {trace_id}: its data lived only in the kernel that made it, which has "
        "stopped or restarted since; run the cell again to fetch it, and keep large traces with "
        'mt.save(trace, "runs/x.arrow")'
    )


def _kernel_comm_manager():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    manager = getattr(shell.kernel, "comm_manager", None)
    if manager is None:
        from comm import get_comm_manager

        manager = get_comm_manager()
    return manager
