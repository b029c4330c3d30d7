"""The text/plain summary of a trace: one paragraph for nbconvert, GitHub and frontends without the extension."""

TASK_TEXT = {"binary": "binary classification", "multiclass": "multiclass classification", "regression": "regression"}
MAX_LISTED_FEATURES = 8
_SINGLE_ROLES = ("label", "prediction", "score", "timestamp", "latency", "model_version", "id")


def summarize(trace, note=None) -> str:
    """`note`: the sentence ending the summary (the data too large to embed, or kept in their engine), or None."""
    sentences = [f'ModelTrace trace "{trace.name}": {_task(trace.task)}, {_rows(trace)}.']
    sentences.append(f"Roles: {_roles(trace.roles, trace.inferred)}.")
    sentences.append(_metrics_sentence(trace))
    if trace.warnings:
        sentences.append(f"Warnings: {'; '.join(trace.warnings)}.")
    if note:
        sentences.append(note)
    return " ".join(sentences)


def pushdown_note(place: str, engine: str, current_rows: int, reference_rows: int) -> str:
    """The sentence saying the rows stay where they are (`place`) and only what `engine` computed came."""
    summariser = {"duckdb": "DuckDB", "spark": "Spark"}[engine]
    return (
        f"The rows stay in {place}: {summariser} summarised {current_rows:,} rows of data and {reference_rows:,} of "
        "reference, and only those aggregates are in the notebook."
    )


def too_large_note(total_bytes: int, limit_bytes: int) -> str:
    return (
        f"The data ({_megabytes(total_bytes)} of Arrow) is above the {_megabytes(limit_bytes)} embed limit, so it is "
        "not in the notebook: it lives only in this kernel, which sends it to the card over a comm, and is gone when "
        'the kernel stops; keep it with mt.save(trace, "runs/x.arrow") (or raise modeltrace.config.embed_limit_mb).'
    )


def _task(task) -> str:
    return TASK_TEXT.get(task, "task unknown (no label or prediction)")


def _rows(trace) -> str:
    current, reference = trace.row_counts()
    if reference is None:
        return f"{current:,} rows, no reference"
    return f"{current:,} rows (reference {reference:,})"


def _roles(roles, inferred) -> str:
    parts = [f'{role} "{roles[role]}"{_mark(role, inferred)}' for role in _SINGLE_ROLES if role in roles]
    if roles.get("scores"):
        parts.append("scores " + ", ".join(f'"{name}"' for name in roles["scores"]))
    features = roles["features"]
    listed = ", ".join(features[:MAX_LISTED_FEATURES]) + (", ..." if len(features) > MAX_LISTED_FEATURES else "")
    count = f"{len(features)} feature{'' if len(features) == 1 else 's'}{_mark('features', inferred)}"
    parts.append(count + (f": {listed}" if features else ""))
    if roles["slices"]:
        parts.append("slices " + ", ".join(f'"{name}"' for name in roles["slices"]))
    return "; ".join(parts)


def _mark(role, inferred) -> str:
    return " (inferred)" if role in inferred else ""


def _metrics_sentence(trace) -> str:
    current = trace.metrics["current"]
    if not current:
        return "No headline metrics: they need a label and a prediction (or a score for binary tasks)."
    sentence = f"Current: {_metric_values(current)}"
    if trace.metrics.get("reference"):
        sentence += f"; reference: {_metric_values(trace.metrics['reference'])}"
    if trace.task == "binary":
        positive = trace.positive_label
        sentence += f" (positive class {positive!r})"
    return sentence + "."


def _metric_values(metrics: dict) -> str:
    return ", ".join(f"{name} {_number(name, value)}" for name, value in metrics.items())


def _number(name, value) -> str:
    return f"{value:.4g}" if name in ("mae", "rmse") else f"{value:.3f}"


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"
