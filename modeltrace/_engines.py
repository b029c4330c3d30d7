"""Where pushdown SQL runs: DuckDB (a relation, or a Polars LazyFrame that DuckDB scans) or Spark (a DataFrame).

One `Engine` per period: its rows as the table `engine.table`, its columns as Arrow types, and the few spellings the
two SQL dialects do not share (quoting, text type, string literals, NaN test, quantiles, epoch milliseconds).
Every other piece of SQL that pushdown writes reads the same in both.
"""
import math
import sys
import uuid

import pyarrow as pa

from ._errors import TraceError

# what the inputs whose rows stay where they are are called in messages
KINDS = {"duckdb": "a DuckDB relation", "spark": "a PySpark DataFrame", "polars": "a Polars LazyFrame"}
# where the rows stay, as the text summary says it
PLACES = {"duckdb": "DuckDB", "spark": "Spark", "polars": "the Polars LazyFrame"}
# rank error of Spark's percentile_approx: at most rows / SPARK_ACCURACY
SPARK_ACCURACY = 100_000


def lazy_kind(data):
    """"duckdb", "spark" or "polars" for an input whose rows stay in its engine, else None. Imports nothing: an
    input of these kinds means its library is already loaded."""
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(data, duckdb.DuckDBPyRelation):
        return "duckdb"
    spark_sql = sys.modules.get("pyspark.sql")
    if spark_sql is not None and isinstance(data, spark_sql.DataFrame):
        return "spark"
    polars = sys.modules.get("polars")
    if polars is not None and isinstance(data, polars.LazyFrame):
        return "polars"
    return None


def check_pushdown_pair(data, reference) -> str:
    """The kind shared by data and reference; a TraceError unless both are lazy inputs of the same kind."""
    kind, reference_kind = lazy_kind(data), lazy_kind(reference)
    if kind is None:
        raise TraceError(
            f"reference is {KINDS[reference_kind]} but data is {_described(data)}: pushdown needs data and reference "
            "of the same engine"
        )
    if reference is None:
        collect = "; or .collect() it to trace the rows in memory" if kind == "polars" else ""
        raise TraceError(
            f"data is {KINDS[kind]}: its rows stay in {PLACES[kind]}, which summarises them against a reference, "
            f"so pushdown needs reference= {KINDS[kind]} too{collect}"
        )
    if reference_kind != kind:
        raise TraceError(
            f"reference is {_described(reference)} but data is {KINDS[kind]}: pushdown needs data and reference "
            f"of the same engine (both {KINDS[kind][2:]}s)"
        )
    return kind


def schema_table(data) -> pa.Table:
    """An empty table with the columns of a lazy input, in Arrow types (what role inference reads)."""
    with open_engine(data, "data") as engine:
        return engine.schema.empty_table()


def open_engine(data, what: str) -> "Engine":
    """The engine holding `data` (named `what` in messages); use it as a context manager."""
    kind = lazy_kind(data)
    if kind == "spark":
        return SparkEngine(data, kind)
    if kind == "duckdb":
        return DuckDBEngine(data, kind)
    if kind == "polars":
        connection = _scanning_connection(data)
        return DuckDBEngine(connection.table("modeltrace_frame"), kind, connection)
    raise TraceError(f"{what}: pushdown needs {', '.join(KINDS.values())}, got {_described(data)}")


class Engine:
    """One period's rows where they live. `name` is the AGG "engine", `kind` the input's kind (KINDS)."""

    name = ""
    text_type = ""

    def __init__(self, kind: str):
        self.kind = kind
        self.table = ""
        self.schema = pa.schema([])

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        """Drop what was made to query the rows."""

    def fetch(self, sql: str) -> list:
        """Rows of a query over `self.table`, as tuples of Python values."""
        raise NotImplementedError

    def quote(self, name: str) -> str:
        raise NotImplementedError

    def string(self, text: str) -> str:
        """A string literal."""
        raise NotImplementedError

    def is_nan(self, expression: str) -> str:
        """True where a DOUBLE expression is NaN."""
        raise NotImplementedError

    def approximate_quantiles(self, expression: str, levels: list):
        """An aggregate giving approximate quantiles of a DOUBLE expression at `levels` as one array (Spark's
        percentile_approx), or None where the engine computes exact ones (`exact_quantiles`)."""
        raise NotImplementedError

    def exact_quantiles(self, values: dict, counts: dict, levels: list) -> dict:
        """Name → numpy's linear quantiles at `levels` of a DOUBLE expression (`values`: name → expression) over its
        `counts[name]` non-missing rows."""
        raise NotImplementedError

    def discrete_quantiles(self, expression: str, levels: list) -> str:
        """Quantiles that are values of the column (the chunk boundaries), as one array."""
        raise NotImplementedError

    def epoch_milliseconds(self, expression: str, arrow_type) -> str:
        """Milliseconds since 1970-01-01 UTC of a date or date-time column (one without a time zone read as UTC)."""
        raise NotImplementedError


class DuckDBEngine(Engine):
    name = "duckdb"
    text_type = "VARCHAR"

    def __init__(self, relation, kind: str, connection=None):
        super().__init__(kind)
        self._relation = relation
        self._connection = connection  # the one opened to scan a Polars LazyFrame
        self.table = "modeltrace_rows"
        self.schema = relation.limit(0).to_arrow_table().schema

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()

    def fetch(self, sql: str) -> list:
        return self._relation.query(self.table, sql).fetchall()

    def quote(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def string(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def is_nan(self, expression: str) -> str:
        # not isnan(): for a Parquet file whose statistics omit NaN (as pyarrow writes them), DuckDB's optimizer
        # folds isnan() to false while the rows do hold NaN
        return f"(NOT isfinite({expression}) AND NOT isinf({expression}))"

    def approximate_quantiles(self, expression: str, levels: list):
        return None

    def values_at_ranks(self, expression: str, ranks: list) -> dict:
        """0-based rank → value, of the sorted non-missing values of `expression` (exact chunk boundaries)."""
        sql = (
            f"SELECT position, value FROM (SELECT value, row_number() OVER (ORDER BY value) - 1 AS position FROM "
            f"(SELECT {expression} AS value FROM {self.table}) moments WHERE value IS NOT NULL) ranked "
            f"WHERE position IN ({', '.join(str(rank) for rank in ranks)})"
        )
        return dict(self.fetch(sql))

    def ranked(self, numbers: dict) -> tuple:
        """DuckDB ranks numbers with a nested CASE in the query itself (see `_rank`): nothing to add."""
        return self.table, {}

    def exact_quantiles(self, values: dict, counts: dict, levels: list) -> dict:
        # the order statistics each level needs, picked by row_number() over each sorted column, then interpolated
        # here: a window sort is several times faster than quantile_cont() at the 210 levels pushdown asks for
        selects = []
        for index, (name, expression) in enumerate(values.items()):
            positions = ", ".join(str(position) for position in sorted(_order_positions(counts[name], levels)))
            selects.append(
                f"SELECT {index} AS feature, position, value FROM (SELECT value, row_number() OVER (ORDER BY value) - 1 "
                f"AS position FROM (SELECT {expression} AS value FROM {self.table}) numbers WHERE value IS NOT NULL) "
                f"ranked WHERE position IN ({positions})"
            )
        names = list(values)
        found = {name: {} for name in names}
        for feature, position, value in self.fetch(" UNION ALL ".join(selects)):
            found[names[feature]][position] = value
        return {name: [_linear_quantile(found[name], counts[name], level) for level in levels] for name in names}

    def discrete_quantiles(self, expression: str, levels: list):
        return None  # DuckDB ranks the timestamps instead (`values_at_ranks`): the in-memory chunks exactly

    def epoch_milliseconds(self, expression: str, arrow_type) -> str:
        if pa.types.is_timestamp(arrow_type) and arrow_type.tz is not None:
            return f"epoch_ms({expression})"
        # as TIMESTAMP first: DuckDB 2.0 has no epoch_ms of TIMESTAMP_MS ("Unimplemented type for cast")
        return f"epoch_ms(CAST({expression} AS TIMESTAMP))"


class SparkEngine(Engine):
    name = "spark"
    text_type = "STRING"

    def __init__(self, frame, kind: str):
        super().__init__(kind)
        self._session = frame.sparkSession
        self.table = f"modeltrace_rows_{uuid.uuid4().hex}"
        self._views = []
        self.schema = pa.schema([(field.name, _arrow_type(field.dataType)) for field in frame.schema.fields])
        frame.createOrReplaceTempView(self.table)

    def close(self) -> None:
        for view in (self.table, *self._views):
            self._session.catalog.dropTempView(view)

    def values_at_ranks(self, expression: str, ranks: list) -> dict:
        return {}  # Spark's chunk boundaries are its approximate quantiles (`discrete_quantiles`)

    def ranked(self, numbers: dict) -> tuple:
        """(table, alias → SQL of its rank) with each number's rank #(edges <= value) computed by Spark ML's
        Bucketizer (a binary search per value): as a nested CASE of ~250 edges per feature, Spark's generated code
        grows past what the JVM compiles, and the query runs several times slower. `numbers`: alias → (DOUBLE
        expression, edges). Null stays null; NaN is null already."""
        if not numbers:
            return self.table, {}
        from pyspark.ml.feature import Bucketizer

        inputs = {alias: f"modeltrace_number_{alias}" for alias in numbers}
        outputs = {alias: f"modeltrace_rank_{alias}" for alias in numbers}
        frame = self._session.sql(
            "SELECT *, " + ", ".join(f"{expression} AS {inputs[alias]}" for alias, (expression, _) in numbers.items())
            + f" FROM {self.table}"
        )
        bucketizer = Bucketizer(
            splitsArray=[[-math.inf, *edges, math.inf] for _, edges in numbers.values()],
            inputCols=list(inputs.values()),
            outputCols=list(outputs.values()),
            handleInvalid="keep",
        )
        view = f"{self.table}_ranked"
        bucketizer.transform(frame).createOrReplaceTempView(view)
        self._views.append(view)
        return view, {alias: f"CAST({column} AS INT)" for alias, column in outputs.items()}

    def fetch(self, sql: str) -> list:
        return [tuple(row) for row in self._session.sql(sql).collect()]

    def quote(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def string(self, text: str) -> str:
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def is_nan(self, expression: str) -> str:
        return f"isnan({expression})"

    def approximate_quantiles(self, expression: str, levels: list):
        return f"percentile_approx({expression}, array({_levels(levels)}), {SPARK_ACCURACY})"

    def discrete_quantiles(self, expression: str, levels: list) -> str:
        return self.approximate_quantiles(expression, levels)

    def epoch_milliseconds(self, expression: str, arrow_type) -> str:
        if pa.types.is_date(arrow_type):
            return f"CAST(unix_date({expression}) AS BIGINT) * 86400000"
        if arrow_type.tz is None:
            return f"timestampdiff(MILLISECOND, TIMESTAMP_NTZ'1970-01-01 00:00:00', {expression})"
        return f"unix_millis({expression})"


def number(value: float) -> str:
    """A DOUBLE literal both dialects read as exactly `value` (the shortest repr round-trips)."""
    return f"CAST('{float(value)!r}' AS DOUBLE)"


def _levels(levels: list) -> str:
    return ", ".join(number(level) for level in levels)


def _order_positions(count: int, levels: list) -> set:
    """The 0-based ranks `_linear_quantile` reads."""
    positions = set()
    for level in levels:
        index = (count - 1) * level
        positions.update([count - 1] if index >= count - 1 else [math.floor(index), math.floor(index) + 1])
    return positions


def _linear_quantile(order_statistics: dict, count: int, level: float) -> float:
    """numpy.quantile(values, level) (method "linear") from the sorted values at the ranks it reads: index (n - 1)·q,
    the last value from n - 1 on, else numpy's interpolation between the ranks around it (from the upper one when
    the weight is 0.5 or more), operation for operation."""
    index = (count - 1) * level
    if index >= count - 1:
        return order_statistics[count - 1]
    below = math.floor(index)
    low, high = order_statistics[below], order_statistics[below + 1]
    weight = index - below
    difference = high - low
    return high - difference * (1 - weight) if weight >= 0.5 else low + difference * weight


def _scanning_connection(frame):
    try:
        import duckdb
    except ImportError:
        raise TraceError(
            "data is a Polars LazyFrame: DuckDB summarises its rows, so install duckdb (pip install duckdb), "
            "or .collect() the frames to trace the rows in memory"
        ) from None
    connection = duckdb.connect()
    connection.register("modeltrace_frame", frame)
    return connection


# Spark SQL types by class name → Arrow types of the same kind (all that role inference and pushdown read)
_SPARK_TYPES = {
    "BooleanType": pa.bool_(),
    "ByteType": pa.int8(),
    "ShortType": pa.int16(),
    "IntegerType": pa.int32(),
    "LongType": pa.int64(),
    "FloatType": pa.float32(),
    "DoubleType": pa.float64(),
    "StringType": pa.string(),
    "CharType": pa.string(),
    "VarcharType": pa.string(),
    "DateType": pa.date32(),
    "TimestampType": pa.timestamp("us", tz="UTC"),
    "TimestampNTZType": pa.timestamp("us"),
}


def _arrow_type(spark_type):
    name = type(spark_type).__name__
    if name == "DecimalType":
        return pa.decimal128(spark_type.precision, spark_type.scale)
    return _SPARK_TYPES.get(name, pa.binary())


def _described(data) -> str:
    kind = lazy_kind(data)
    if kind is not None:
        return KINDS[kind]
    library = type(data).__module__.partition(".")[0]
    return f"a {type(data).__name__}" if library == "builtins" else f"a {library} {type(data).__name__}"
