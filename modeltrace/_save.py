"""`modeltrace.save()`: a trace as files that `modeltrace analyze` and other tools read."""
import json
from pathlib import Path

import pyarrow as pa

from ._errors import TraceError

ARROW_SUFFIXES = (".arrow", ".feather", ".ipc")
METADATA_KEY = b"modeltrace"


def save(trace, path) -> list:
    """Write the current data to `path` and the reference, if any, to `<stem>.reference<suffix>` beside it.

    `.arrow` / `.feather` / `.ipc` write an Arrow IPC file, `.parquet` a Parquet file; folders are created as needed.
    The schema metadata key "modeltrace" holds the trace's roles, task and name as JSON. Returns the paths written.
    """
    if trace.kept_in is not None:
        raise TraceError(
            f'cannot save trace "{trace.name}" as rows: they stay in {trace.kept_in}, and the trace holds only their '
            "aggregates; write the rows from there"
        )
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (*ARROW_SUFFIXES, ".parquet"):
        raise TraceError(f'cannot save a trace as "{path.name}": use a .arrow, .feather or .parquet file name')
    path.parent.mkdir(parents=True, exist_ok=True)
    periods = [("current", trace.current, path)]
    if trace.reference is not None:
        periods.append(("reference", trace.reference, path.with_name(f"{path.stem}.reference{path.suffix}")))
    for period, table, target in periods:
        _write(table.replace_schema_metadata({METADATA_KEY: json.dumps(_metadata(trace, period))}), target, suffix)
    return [target for _, _, target in periods]


def _metadata(trace, period) -> dict:
    return {
        "version": 1,
        "id": trace.id,
        "name": trace.name,
        "created": trace.created,
        "period": period,
        "roles": trace.roles,
        "task": trace.task,
        "positive_label": trace.positive_label,
        "inferred": trace.inferred,
        "warnings": trace.warnings,
    }


def _write(table, target, suffix) -> None:
    if suffix == ".parquet":
        import pyarrow.parquet as parquet

        parquet.write_table(table, target)
        return
    with pa.ipc.new_file(target, table.schema) as writer:
        writer.write_table(table)
