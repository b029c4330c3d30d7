"""The one exception modeltrace raises for bad input."""


class TraceError(ValueError):
    """Input that cannot make a trace. The message names the column and the value at fault."""


def show(value) -> str:
    """A value as it should appear in a message: strings in double quotes, everything cut to 60 characters."""
    text = f'"{value}"' if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def column_ref(name: str, role: str, inferred: bool = False) -> str:
    """How messages name a column: `column "p" (score)` or `column "p" (score, inferred from its name)`."""
    how = f"{role}, inferred from its name" if inferred else role
    return f'column "{name}" ({how})'
