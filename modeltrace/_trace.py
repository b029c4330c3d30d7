"""`modeltrace.trace()` and the `Trace` it returns: checked data with roles, displayed as trace format v1.

Rows in memory travel with the trace (Arrow); rows in DuckDB, Spark or a Polars LazyFrame stay there, and the trace
carries the aggregates their engine computed (`AggregatesTrace`, see `modeltrace._pushdown`)."""
import uuid
from datetime import datetime, timezone

import pyarrow as pa

from ._comm import hold, kernel_comm_data
from ._config import config
from ._convert import to_table
from ._engines import PLACES, check_pushdown_pair, lazy_kind, schema_table
from ._errors import TraceError, column_ref
from ._frames import remember
from ._metrics import aggregates_metrics, headline_metrics
from ._payload import MIME_TYPE, arrow_stream_size, embedded_data, executing_cell_source, payload_body
from ._pushdown import aggregates
from ._roles import check_reference_columns, column_roles, resolve_roles, role_columns
from ._summary import pushdown_note, summarize, too_large_note
from ._task import label_classes, resolve_positive_label, resolve_task
from ._validate import check_values, compare_periods
from ._wire import timestamp_column, wire_column


class Trace:
    """One evaluation run: the columns with a role, in wire types, for the current data and an optional reference.

    Attributes: name, id (uuid4 hex), created (ISO 8601, UTC), roles (dict as the `Roles` of trace format v1),
    task ("binary", "multiclass", "regression" or None), current and reference (pyarrow Tables, reference may be
    None), inferred (roles inferred from column names), warnings, positive_label (binary tasks) and metrics
    ({"current": {...}, "reference": {...} or None}: the headline metrics of the text summary).
    Displaying a Trace in Jupyter shows the ModelTrace card; elsewhere its text summary.
    """

    # where the rows stay when only their aggregates travel (AggregatesTrace), else None
    kept_in = None

    def __init__(self, *, name, roles, task, current, reference, inferred, warnings, positive_label):
        self.id = uuid.uuid4().hex
        self.name = name if name is not None else f"trace-{self.id[:8]}"
        self.created = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        self.roles = roles
        self.task = task
        self.current = current
        self.reference = reference
        self.inferred = inferred
        self.warnings = warnings
        self.code = executing_cell_source()
        self.positive_label = positive_label
        self.metrics = self._headline_metrics()
        self._sizes = None
        remember(self)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        current, reference, note = self._data_blocks()
        bundle = {MIME_TYPE: payload_body(self, current, reference), "text/plain": summarize(self, note)}
        if include:
            bundle = {key: value for key, value in bundle.items() if key in include}
        if exclude:
            bundle = {key: value for key, value in bundle.items() if key not in exclude}
        return bundle

    def __repr__(self) -> str:
        return summarize(self, self._summary_note())

    def row_counts(self) -> tuple:
        """Rows of the current data and of the reference (None without one)."""
        return self.current.num_rows, None if self.reference is None else self.reference.num_rows

    def _headline_metrics(self) -> dict:
        roles, task, positive = self.roles, self.task, self.positive_label
        return {
            "current": headline_metrics(self.current, roles, task, positive),
            "reference": None if self.reference is None else headline_metrics(self.reference, roles, task, positive),
        }

    def _data_blocks(self) -> tuple:
        """DATA for current and reference: embedded, or both held by the kernel when their total passes the limit."""
        note = self._summary_note()
        current_size, reference_size = self._arrow_sizes()
        if note:
            hold(self)
            reference = None if self.reference is None else kernel_comm_data(self, self.reference, reference_size)
            return kernel_comm_data(self, self.current, current_size), reference, note
        reference = None if self.reference is None else embedded_data(self.reference)
        return embedded_data(self.current), reference, None

    def _summary_note(self):
        """The sentence ending the text summary: here, that the data are too large to embed; else None."""
        total, limit = sum(self._arrow_sizes()), config.embed_limit_bytes
        return too_large_note(total, limit) if total > limit else None

    def _arrow_sizes(self) -> tuple:
        if self._sizes is None:
            reference_size = 0 if self.reference is None else arrow_stream_size(self.reference)
            self._sizes = (arrow_stream_size(self.current), reference_size)
        return self._sizes


class AggregatesTrace(Trace):
    """A trace whose rows stay in their engine: `current` is the "aggregates" DATA of both periods (a dict, see
    `modeltrace._pushdown`) and `reference` is None. `kept_in` says where the rows are."""

    def __init__(self, *, kept_in: str, **fields):
        self.kept_in = kept_in
        super().__init__(reference=None, **fields)

    def row_counts(self) -> tuple:
        return self.current["current"]["rows"], self.current["reference"]["rows"]

    def _headline_metrics(self) -> dict:
        return {period: aggregates_metrics(self.current, period) for period in ("current", "reference")}

    def _data_blocks(self) -> tuple:
        return self.current, None, self._summary_note()

    def _summary_note(self):
        return pushdown_note(self.kept_in, self.current["engine"], *self.row_counts())


def trace(
    data,
    reference=None,
    *,
    label=None,
    prediction=None,
    score=None,
    scores=None,
    timestamp=None,
    features=None,
    slices=None,
    latency=None,
    model_version=None,
    id=None,
    task=None,
    positive_label=None,
    name=None,
) -> Trace:
    """Make a trace of one evaluation run; the returned Trace displays itself as a ModelTrace card.

    `data` and `reference`: pandas or Polars DataFrame, pyarrow Table or RecordBatch, list of dicts or dict of lists.
    Roles name columns of `data`; the ones left out are inferred from common column names (see `Trace.inferred`).
    A DuckDB relation, a PySpark DataFrame or a Polars LazyFrame (with a reference of the same kind) keeps its rows
    in its engine, which computes the aggregates the trace carries (binary and regression tasks; an AggregatesTrace).
    Raises TraceError, naming the column and value at fault, for input that cannot make a trace.
    """
    given = dict(
        label=label, prediction=prediction, score=score, scores=scores, timestamp=timestamp, features=features,
        slices=slices, latency=latency, model_version=model_version, id=id,
    )
    if lazy_kind(data) or lazy_kind(reference):
        return _pushdown_trace(data, reference, given, task=task, positive_label=_scalar(positive_label), name=name)
    warnings = []
    current_table = to_table(data, "data", warnings)
    reference_table = None if reference is None else to_table(reference, "reference", warnings)
    roles, inferred = resolve_roles(current_table, given, warnings)
    if reference_table is not None:
        check_reference_columns(roles, reference_table)

    # only the columns with a role travel, in wire types
    current = _wire_table(current_table, roles, inferred)
    reference_wire = None if reference_table is None else _wire_table(reference_table, roles, inferred)
    tables = [current] if reference_wire is None else [current, reference_wire]
    if reference_wire is not None:
        compare_periods(current, reference_wire, warnings)

    # task, value checks and positive class
    task = resolve_task(task, tables, roles, inferred)
    check_values(current, roles, task, inferred, "data", warnings)
    if reference_wire is not None:
        check_values(reference_wire, roles, task, inferred, "reference", warnings)
    target = roles.get("label")
    classes = label_classes(tables, target) if task == "binary" and target else []
    described = column_ref(target, "label", "label" in inferred) if target else "the label"
    positive = resolve_positive_label(_scalar(positive_label), classes, task, described, warnings)

    return Trace(
        name=None if name is None else str(name),
        roles=roles,
        task=task,
        current=current,
        reference=reference_wire,
        inferred=inferred,
        warnings=list(dict.fromkeys(warnings)),
        positive_label=positive,
    )


def _pushdown_trace(data, reference, given: dict, *, task, positive_label, name) -> AggregatesTrace:
    """The trace of rows that stay in DuckDB, Spark or a Polars LazyFrame: roles from the column names and types,
    everything else from the engine's aggregates."""
    kind = check_pushdown_pair(data, reference)
    warnings = []
    roles, inferred = resolve_roles(schema_table(data), given, warnings)
    check_reference_columns(roles, schema_table(reference))
    for role in ("latency", "id"):
        if roles.get(role):
            described = column_ref(roles.pop(role), role, role in inferred)
            warnings.append(f"{described} is left out: pushdown does not summarise it")
    summary = aggregates(
        data, reference, roles=roles, task=task, positive_label=positive_label, inferred=inferred, warnings=warnings
    )
    roles["features"] = list(summary["features"])
    return AggregatesTrace(
        kept_in=PLACES[kind],
        name=None if name is None else str(name),
        roles=roles,
        task=summary["task"],
        current=summary,
        inferred=[role for role in inferred if role in roles],
        warnings=list(dict.fromkeys(warnings)),
        positive_label=summary.get("positive_label"),
    )


def _wire_table(table: pa.Table, roles: dict, inferred: list) -> pa.Table:
    names = role_columns(roles)
    if not names:
        raise TraceError(
            f"no column of the data has a role: columns are {', '.join(table.column_names)}; "
            "name them with label=, prediction=, features=[...]"
        )
    owners = column_roles(roles)
    columns = []
    for name in names:
        role = owners[name]
        if role == "timestamp":
            columns.append(timestamp_column(table.column(name), name, "timestamp" in inferred))
        else:
            columns.append(wire_column(table.column(name), name, role, role in inferred))
    return pa.Table.from_arrays(columns, names=names)


def _scalar(value):
    """positive_label as a plain JSON scalar (numpy scalars unwrapped)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if hasattr(value, "item"):
        return _scalar(value.item())
    raise TraceError(f"positive_label must be a number, a boolean or a string, got {value!r}")
