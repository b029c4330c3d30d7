"""The task of a trace and, for binary tasks, the positive class.

Inference (docs/trace-format.md states the rule for the TypeScript reader and other kernels): the classes are the
distinct non-missing values of the label (or of the prediction without a label), over current and reference.
- booleans or text: 2 classes or fewer → binary, more → multiclass;
- numbers: any non-integer value in the label or the prediction → regression; else 2 classes or fewer → binary,
  up to MAX_INFERRED_CLASSES → multiclass, more → regression;
- `scores` columns make it a classification whatever the values; without label and prediction, a score column
  means binary, scores multiclass, and nothing leaves the task unknown (None).
"""
import difflib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ._errors import TraceError, column_ref, show
from ._wire import is_number

TASKS = ("binary", "multiclass", "regression")
MAX_INFERRED_CLASSES = 20


def label_classes(tables: list, column: str):
    """Distinct non-missing values of `column` over `tables` (Python values, sorted when comparable)."""
    distinct = [pc.unique(pc.drop_null(table.column(column))) for table in tables]
    types = {values.type for values in distinct}
    if len(types) > 1:
        common = pa.float64() if all(is_number(t) or pa.types.is_boolean(t) for t in types) else pa.string()
        distinct = [values.cast(common) for values in distinct]
    values = pc.unique(pa.chunked_array(distinct))
    if pa.types.is_floating(values.type):
        values = values.filter(pc.invert(pc.is_nan(values)))
    classes = values.to_pylist()
    try:
        return sorted(classes)
    except TypeError:
        return classes


def resolve_task(task, tables: list, roles: dict, inferred: list):
    """The task the caller gave (checked against the data) or the inferred one."""
    target = roles.get("label") or roles.get("prediction")
    target_role = "label" if roles.get("label") else "prediction"
    if task is not None:
        return _checked_task(task, tables, target, target_role, inferred)
    if target is None:
        return "binary" if roles.get("score") else "multiclass" if roles.get("scores") else None
    arrow_type = tables[0].column(target).type
    if pa.types.is_timestamp(arrow_type):
        raise TraceError(f"{column_ref(target, target_role, target_role in inferred)} holds date-times, not classes or values")
    if is_number(arrow_type) and not roles.get("scores"):
        if _has_fractions(tables, target) or (roles.get("prediction") and _has_fractions(tables, roles["prediction"])):
            return "regression"
    classes = label_classes(tables, target)
    if roles.get("scores") or not is_number(arrow_type):
        return "binary" if len(classes) <= 2 else "multiclass"
    if len(classes) <= 2:
        return "binary"
    return "multiclass" if len(classes) <= MAX_INFERRED_CLASSES else "regression"


def resolve_positive_label(given, classes: list, task, described: str, warnings: list):
    """The positive class of a binary task: the caller's, else 1 / true, else the greater of two classes."""
    if task != "binary":
        if given is not None:
            warnings.append(f"positive_label {show(given)} is left unused: the task is {task}, not binary")
        return None
    if given is not None:
        matches = [value for value in classes if value == given or str(value).lower() == str(given).lower()]
        if matches:
            return matches[0]
        warnings.append(f"positive_label {show(given)} does not occur in {described}: {few(classes)}")
        return given
    for value in classes:
        if _is_default_positive(value):
            return value
    if len(classes) == 2:
        warnings.append(
            f"{described} has classes {few(classes)}, none of them 1 or true; "
            f"{show(classes[-1])} is taken as the positive class (pass positive_label= to choose)"
        )
        return classes[-1]
    return 1


def check_task_name(task) -> None:
    """Refuse a task that is not one of TASKS, suggesting the closest."""
    if task not in TASKS:
        close = difflib.get_close_matches(str(task), TASKS, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        raise TraceError(f'task must be "binary", "multiclass" or "regression", got {show(task)}{hint}')


def few(classes, limit=5) -> str:
    """Up to `limit` classes, as messages list them."""
    shown = ", ".join(show(value) for value in classes[:limit])
    return shown if len(classes) <= limit else f"{shown}, ... ({len(classes)} in all)"


def _checked_task(task, tables, target, target_role, inferred):
    check_task_name(task)
    if target is None:
        return task
    described = column_ref(target, target_role, target_role in inferred)
    arrow_type = tables[0].column(target).type
    if task == "regression" and not is_number(arrow_type):
        raise TraceError(f'task "regression" needs numbers, but {described} holds {arrow_type}')
    if task == "binary":
        classes = label_classes(tables, target)
        if len(classes) > 2:
            raise TraceError(f'task "binary" needs 2 classes, but {described} has {len(classes)}: {few(classes)}')
    return task


def _has_fractions(tables, column) -> bool:
    for table in tables:
        values = table.column(column)
        if not pa.types.is_floating(values.type):
            continue
        numbers = values.to_numpy()
        finite = numbers[np.isfinite(numbers)]
        if np.any(finite != np.floor(finite)):
            return True
    return False


def _is_default_positive(value) -> bool:
    """1, true, "1" or "true": the positive class when the caller names none (as `positiveLabel` in src/engine/types.ts)."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true")
    return isinstance(value, (bool, int, float)) and value == 1
