"""The wire types: every column a trace carries is cast to int32, int64, float64, bool, utf8 or timestamp[ms, UTC].

That small subset keeps the browser decoder (@uwdata/flechette) and the writers of other kernels simple:
- integers: up to 32 bits (and uint8/uint16) → int32; int64 and uint32 → int64; uint64 → int64, or float64 when a
  value does not fit;
- floats and decimals → float64; durations → float64 milliseconds;
- text (string, large_string, string_view), categoricals (dictionaries) and times of day → utf8;
- timestamps and dates → timestamp[ms, UTC]; a timestamp without time zone is read as UTC;
- an all-null column → float64.
Anything else (lists, structs, binary) is refused.
"""
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.compute as pc

from ._errors import TraceError, column_ref, show

WIRE_TIMESTAMP = pa.timestamp("ms", tz="UTC")
_INT64_MAX = 2**63 - 1
_MS_PER_UNIT = {"s": 1e3, "ms": 1.0, "us": 1e-3, "ns": 1e-6}


def is_text(arrow_type) -> bool:
    return pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) or str(arrow_type) == "string_view"


def is_number(arrow_type) -> bool:
    """Integers and floats (not booleans)."""
    return pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type)


def is_temporal(arrow_type) -> bool:
    return pa.types.is_timestamp(arrow_type) or pa.types.is_date(arrow_type)


def is_supported(arrow_type) -> bool:
    """Whether a column of this type can travel in a trace."""
    if pa.types.is_dictionary(arrow_type):
        return is_supported(arrow_type.value_type)
    return (
        pa.types.is_null(arrow_type)
        or pa.types.is_boolean(arrow_type)
        or is_number(arrow_type)
        or is_text(arrow_type)
        or is_temporal(arrow_type)
        or pa.types.is_duration(arrow_type)
        or pa.types.is_time(arrow_type)
    )


def missing_mask(column: pa.ChunkedArray):
    """numpy bool array, True where a value is null or NaN."""
    return pc.is_null(column, nan_is_null=True).to_numpy(zero_copy_only=False)


def wire_column(column: pa.ChunkedArray, name: str = "", role: str = "feature", inferred: bool = False) -> pa.ChunkedArray:
    """Cast one column to its wire type; `name` and `role` name it in the error for an unsupported type."""
    arrow_type = column.type
    if pa.types.is_dictionary(arrow_type):
        return _categories_as_text(column)
    if pa.types.is_null(arrow_type):
        return column.cast(pa.float64())
    if pa.types.is_boolean(arrow_type):
        return column
    if pa.types.is_integer(arrow_type):
        return _integers(column)
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return column.cast(pa.float64(), safe=False)
    if is_text(arrow_type) or pa.types.is_time(arrow_type):
        return column.cast(pa.string())
    if is_temporal(arrow_type):
        return _utc_milliseconds(column)
    if pa.types.is_duration(arrow_type):
        return pc.multiply(column.cast(pa.int64()).cast(pa.float64()), _MS_PER_UNIT[arrow_type.unit])
    raise TraceError(
        f"{column_ref(name, role, inferred)} has type {arrow_type}; "
        "a trace carries numbers, booleans, text and date-times only"
    )


def timestamp_column(column: pa.ChunkedArray, name: str, inferred: bool = False) -> pa.ChunkedArray:
    """The timestamp role: date-times as they are, text parsed as ISO 8601; numbers are refused."""
    described = column_ref(name, "timestamp", inferred)
    hint = "; if it is not a date-time, list it in features=[...]" if inferred else ""
    arrow_type = column.type
    if pa.types.is_dictionary(arrow_type):
        column = column.cast(arrow_type.value_type)
        arrow_type = column.type
    if is_temporal(arrow_type):
        return _utc_milliseconds(column)
    if is_text(arrow_type):
        return _parse_iso(column.cast(pa.string()), described, hint)
    if pa.types.is_null(arrow_type):
        return column.cast(WIRE_TIMESTAMP)
    raise TraceError(
        f"{described} holds {arrow_type}, not date-times; pass datetimes or ISO 8601 text, "
        f'for example pd.to_datetime(df["{name}"], unit="s") for Unix seconds'
    )


def _categories_as_text(column) -> pa.ChunkedArray:
    values = column.cast(column.type.value_type)
    return (values if is_text(values.type) else wire_column(values)).cast(pa.string())


def _integers(column) -> pa.ChunkedArray:
    arrow_type = column.type
    if arrow_type.bit_width <= 16 or arrow_type == pa.int32():
        return column.cast(pa.int32())
    if arrow_type != pa.uint64():
        return column.cast(pa.int64())
    largest = pc.max(column).as_py()
    return column.cast(pa.int64() if largest is None or largest <= _INT64_MAX else pa.float64(), safe=False)


def _utc_milliseconds(column) -> pa.ChunkedArray:
    return column.cast(WIRE_TIMESTAMP, safe=False)


def _parse_iso(text: pa.ChunkedArray, described: str, hint: str) -> pa.ChunkedArray:
    # fast path: Arrow parses the whole column when all values agree on having a zone offset or not
    for target in (pa.timestamp("ns"), pa.timestamp("ns", tz="UTC")):
        try:
            return _utc_milliseconds(text.cast(target))
        except pa.ArrowInvalid:
            pass
    # slow path: value by value, to accept mixed offsets or find the first value that is not a date-time
    parsed = []
    for row, value in enumerate(text.to_pylist()):
        parsed.append(None if value is None else _parse_one(value, row, described, hint))
    return pa.chunked_array([pa.array(parsed, type=WIRE_TIMESTAMP)])


def _parse_one(value: str, row: int, described: str, hint: str) -> datetime:
    cleaned = value.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise TraceError(
            f'{described}: cannot read {show(value)} at row {row} as a date-time; '
            f'use ISO 8601 text such as "2024-05-01T12:00:00Z" or datetime values{hint}'
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

