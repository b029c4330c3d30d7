"""`modeltrace.frames()`: the data of a trace made in this kernel, as pandas DataFrames, for probe cells.

Traces are remembered by id without being kept alive: a trace whose object is gone (not displayed, not assigned)
is forgotten. Traces held for a card (above the embed limit) stay, as `_comm` keeps them.
"""
import hashlib
import os
import weakref
from concurrent.futures import ThreadPoolExecutor

from ._errors import TraceError

_made = weakref.WeakValueDictionary()

# roles whose columns are the evaluation's inputs: the same inputs with other predictions are "the same data"
_INPUT_ROLES = ("label", "timestamp", "id", "features", "slices")


def remember(trace) -> None:
    _made[trace.id] = trace


def frames(trace_id: str):
    """The current and reference data (reference None without one) of trace `trace_id` as pandas DataFrames,
    with the trace's columns in their wire types. Raises TraceError when this kernel does not have the trace."""
    trace = _made.get(str(trace_id))
    if trace is None:
        from ._comm import held_trace

        trace = held_trace(str(trace_id))
    if trace is None:
        raise TraceError(
            f'trace "{trace_id}" is not in this kernel (it was made before a restart, or its object is gone): '
            "run the cell that makes it again"
        )
    if trace.kept_in is not None:
        raise TraceError(f'trace "{trace_id}" has no rows in this kernel: they stay in {trace.kept_in}; query them there')
    return trace.current.to_pandas(), None if trace.reference is None else trace.reference.to_pandas()


def inputs_fingerprint(trace) -> str:
    """A digest of the evaluation's inputs (label, timestamp, id, features and slices of both periods), not of the
    predictions: two runs of a cell on the same data with another model get the same fingerprint. Computed once.

    Each column's buffers are hashed on their own (BLAKE2b, in threads: hashlib releases the GIL while it hashes a
    large buffer, and 10 million rows hold about 2 GB of inputs), then the column digests in order."""
    known = getattr(trace, "_inputs_fingerprint", None)
    if known is not None:
        return known
    columns = []
    for role in _INPUT_ROLES:
        value = trace.roles.get(role)
        columns.extend(value if isinstance(value, list) else [] if value is None else [value])
    parts = []  # (header bytes, column or None), in order
    for period, table in (("current", trace.current), ("reference", trace.reference)):
        parts.append((period.encode(), None))
        if table is None:
            continue
        parts.append((str(table.num_rows).encode(), None))
        for name in dict.fromkeys(columns):
            if name in table.column_names:
                column = table.column(name)
                parts.append((name.encode() + str(column.type).encode(), column))
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        column_digests = list(pool.map(_column_digest, [column for _, column in parts]))
    digest = hashlib.blake2b(digest_size=16)
    for (header, _), column_digest in zip(parts, column_digests):
        digest.update(header)
        if column_digest is not None:
            digest.update(column_digest)
    trace._inputs_fingerprint = digest.hexdigest()
    return trace._inputs_fingerprint


def _column_digest(column):
    if column is None:
        return None
    digest = hashlib.blake2b(digest_size=16)
    for chunk in column.chunks:
        for buffer in chunk.buffers():
            if buffer is not None:
                digest.update(memoryview(buffer))
    return digest.digest()
