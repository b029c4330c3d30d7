"""Which column plays which role: as the caller says, or inferred from common column names.

Inference looks, for each role the caller left out, for a column named like one of ROLE_NAMES[role] (case-insensitive,
spaces and "-" read as "_", first name in the list wins) that no other role uses and whose type fits the role. Features, when not given, are all
remaining columns except slices; slices default to none. Roles follow the `Roles` interface of src/engine/types.ts.
"""
import difflib
import re

import pyarrow as pa

from ._errors import TraceError, column_ref
from ._wire import is_number, is_supported, is_temporal, is_text

ROLE_NAMES = {
    "label": ("y", "label", "target", "y_true", "actual", "ground_truth", "class"),
    "prediction": ("y_hat", "y_pred", "pred", "prediction", "predicted"),
    "score": ("p", "score", "proba", "probability", "y_score", "y_prob", "pred_proba"),
    "timestamp": ("ts", "timestamp", "time", "date", "datetime", "event_time"),
    "latency": ("latency", "latency_ms", "duration_ms"),
    "model_version": ("model_version", "model", "version"),
    "id": ("id", "row_id", "request_id"),
}
SINGLE_ROLES = tuple(ROLE_NAMES)
LIST_ROLES = ("scores", "features", "slices")
# how messages name one column of a list role
_SINGULAR = {"features": "feature", "slices": "slice"}
# key order of `roles` in the payload (DESIGN section 3)
ROLE_ORDER = ("label", "prediction", "score", "scores", "timestamp", "features", "slices", "latency", "model_version", "id")


def resolve_roles(table: pa.Table, given: dict, warnings: list) -> tuple:
    """Roles for `table` from the caller's `given` roles (None = not given); returns (roles, inferred role names)."""
    given = _normalized(given)
    columns = table.column_names
    for role, names in given.items():
        for name in _as_list(names):
            _require_column(name, _SINGULAR.get(role, role), columns, "data")
    _check_exclusive(given)

    roles = {role: names for role, names in given.items() if names is not None}
    inferred = []
    taken = {name for names in roles.values() for name in _as_list(names)}
    for role in SINGLE_ROLES:
        if role in roles or (role == "score" and "scores" in roles):
            continue
        column = _infer(role, table, taken)
        if column is not None:
            roles[role] = column
            inferred.append(role)
            taken.add(column)

    roles.setdefault("slices", [])
    if "features" not in roles:
        roles["features"] = _remaining_features(table, roles, warnings)
        inferred.append("features")
    return {role: roles[role] for role in ROLE_ORDER if role in roles}, inferred


def role_columns(roles: dict) -> list:
    """Every column the trace carries, each once, in role order."""
    columns = []
    for role in ROLE_ORDER:
        for name in _as_list(roles.get(role)):
            if name not in columns:
                columns.append(name)
    return columns


def column_roles(roles: dict) -> dict:
    """Column name → the first role it plays (for messages)."""
    found = {}
    for role in ROLE_ORDER:
        for name in _as_list(roles.get(role)):
            found.setdefault(name, _SINGULAR.get(role, role))
    return found


def check_reference_columns(roles: dict, reference: pa.Table) -> None:
    """The reference must hold every column the current data uses for a role."""
    present = set(reference.column_names)
    missing = [f'"{name}" ({role})' for name, role in column_roles(roles).items() if name not in present]
    if missing:
        raise TraceError(
            f"reference has no column {', '.join(missing)}, which data uses; "
            f"reference columns are: {_listing(reference.column_names)}"
        )


def _normalized(given: dict) -> dict:
    normalized = {}
    for role, value in given.items():
        if value is None:
            normalized[role] = None
        elif role in LIST_ROLES:
            values = [value] if isinstance(value, str) else value
            if not hasattr(values, "__iter__"):
                raise TraceError(f"{role} must be a list of column names, got {value!r}")
            normalized[role] = list(dict.fromkeys(str(name) for name in values))
        elif isinstance(value, (list, tuple, set, dict)):
            raise TraceError(f"{role} must be one column name, got {value!r}")
        else:
            normalized[role] = str(value)
    return normalized


def _require_column(name, role, columns, what) -> None:
    if name in columns:
        return
    message = f'column "{name}" ({role}) not found in {what}; columns are: {_listing(columns)}'
    lowered = {column.lower(): column for column in columns}
    close = [lowered[name.lower()]] if name.lower() in lowered else difflib.get_close_matches(name, columns, n=3)
    if close:
        message += "; did you mean " + " or ".join(f'"{column}"' for column in close) + "?"
    raise TraceError(message)


def _check_exclusive(given) -> None:
    if given.get("score") is not None and given.get("scores") is not None:
        raise TraceError("give either score (one probability column, binary) or scores (one column per class), not both")
    owner = {}
    for role in (*SINGLE_ROLES, "scores"):
        for name in _as_list(given.get(role)):
            if name in owner:
                raise TraceError(f'column "{name}" is given as both {owner[name]} and {role}')
            owner[name] = role
    for name in given.get("features") or []:
        if name in owner:
            raise TraceError(f'{column_ref(name, owner[name])} cannot also be a feature')


def _infer(role, table, taken):
    by_normalized_name = {}
    for name in table.column_names:
        if name not in taken:
            by_normalized_name.setdefault(_normalized_name(name), name)
    for candidate in ROLE_NAMES[role]:
        column = by_normalized_name.get(candidate)
        if column is not None and _fits(role, table.schema.field(column).type):
            return column
    return None


def _normalized_name(name: str) -> str:
    """A column name as matched against ROLE_NAMES: "Event Time" and "event-time" read as "event_time"."""
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _fits(role, arrow_type) -> bool:
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    if role == "score":
        return is_number(arrow_type)
    if role == "timestamp":
        return is_temporal(arrow_type) or is_text(arrow_type)
    if role == "latency":
        return is_number(arrow_type) or pa.types.is_duration(arrow_type)
    return is_supported(arrow_type)


def _remaining_features(table, roles, warnings) -> list:
    used = set(role_columns(roles))
    features = []
    for field in table.schema:
        if field.name in used:
            continue
        if is_supported(field.type):
            features.append(field.name)
        else:
            warnings.append(
                f'column "{field.name}" ({field.type}) is left out of the features: '
                "a trace carries numbers, booleans, text and date-times only"
            )
    return features


def _as_list(names) -> list:
    if names is None:
        return []
    return [names] if isinstance(names, str) else list(names)


def _listing(columns, limit=20) -> str:
    shown = ", ".join(columns[:limit])
    return shown if len(columns) <= limit else f"{shown}, ... ({len(columns)} columns)"
