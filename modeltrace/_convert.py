"""Any accepted input → one pyarrow Table with unique column names, at least one column and one row.

Accepted: pandas DataFrame (index dropped), Polars DataFrame, pyarrow Table or RecordBatch, anything
with `__arrow_c_stream__`, a list of dicts (one per row) and a dict of lists (one per column). pandas and Polars
are imported only when the input comes from them. Missing values (None, NaN, pd.NA, NaT) become Arrow nulls,
except NaN inside Arrow or Polars float columns, which stays NaN. A column whose values mix types (1, "a") is
turned into text, with a warning.
"""
from collections import Counter

import pyarrow as pa

from ._errors import TraceError, show

ACCEPTED = "a pandas or Polars DataFrame, a pyarrow Table or RecordBatch, a list of dicts or a dict of lists"


def to_table(data, what: str, warnings: list) -> pa.Table:
    """Convert `data` (named `what` in messages: "data" or "reference") and check its shape."""
    table = _convert(data, what, warnings)
    _check_unique(table.column_names, what)
    if table.num_rows == 0:
        raise TraceError(f"{what} is empty (0 rows)")
    return table


def _convert(data, what, warnings) -> pa.Table:
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    library = type(data).__module__.partition(".")[0]
    if library == "pandas":
        return _from_pandas(data, what, warnings)
    if library == "polars":
        return _from_polars(data, what)
    if isinstance(data, dict):
        return _from_columns(data, what, warnings)
    if isinstance(data, (list, tuple)):
        return _from_records(data, what, warnings)
    if hasattr(data, "__arrow_c_stream__"):
        return pa.table(data)
    raise TraceError(f"{what}: cannot read a {type(data).__name__}; pass {ACCEPTED}")


def _from_pandas(frame, what, warnings) -> pa.Table:
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TraceError(f"{what}: cannot read a pandas {type(frame).__name__}; pass {ACCEPTED}")
    if frame.shape[1] == 0 and frame.shape[0] > 0:
        raise TraceError(f"{what} has no columns")
    names = [str(name) for name in frame.columns]
    _check_unique(names, what)
    arrays = [_array(frame.iloc[:, position], name, what, warnings) for position, name in enumerate(names)]
    return pa.Table.from_arrays(arrays, names=names)


def _from_polars(frame, what) -> pa.Table:
    import polars as pl

    if not isinstance(frame, pl.DataFrame):
        raise TraceError(f"{what}: cannot read a Polars {type(frame).__name__}; pass {ACCEPTED}")
    try:
        return frame.to_arrow()
    except Exception as error:
        raise TraceError(f"{what}: Polars could not convert the frame to Arrow ({error})") from None


def _from_records(rows, what, warnings) -> pa.Table:
    names = {}
    for position, row in enumerate(rows):
        if not isinstance(row, dict):
            raise TraceError(f"{what}: row {position} is a {type(row).__name__}; a list of rows must hold one dict per row")
        names.update(dict.fromkeys(row))
    return _from_columns({name: [row.get(name) for row in rows] for name in names}, what, warnings)


def _from_columns(columns: dict, what, warnings) -> pa.Table:
    names = [str(name) for name in columns]
    _check_unique(names, what)
    arrays = []
    for name, values in zip(names, columns.values()):
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
            raise TraceError(f'{what}: column "{name}" must be a list of values, got {show(values)}')
        arrays.append(_array(values, name, what, warnings))
    lengths = {name: len(array) for name, array in zip(names, arrays)}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f'"{name}" has {length}' for name, length in lengths.items())
        raise TraceError(f"{what}: columns must have the same number of values; {described}")
    return pa.Table.from_arrays(arrays, names=names)


def _array(values, name, what, warnings) -> pa.Array:
    try:
        return pa.array(values, from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return _as_text(values, name, what, warnings)


def _as_text(values, name, what, warnings) -> pa.Array:
    present = [value for value in values if not _is_missing(value)]
    kinds = sorted({type(value).__name__ for value in present})
    warnings.append(f'column "{name}" in {what} mixes value types ({", ".join(kinds)}); its values are read as text')
    return pa.array([None if _is_missing(value) else str(value) for value in values], type=pa.string())


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:
        return True
    except ValueError:
        return False


def _check_unique(names, what) -> None:
    counts = Counter(names)
    repeated = [f'"{name}" ({count} times)' for name, count in counts.items() if count > 1]
    if repeated:
        raise TraceError(f"{what} has duplicate column names: {', '.join(repeated)}")
