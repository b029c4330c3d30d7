"""Runtime settings of the emitter: `modeltrace.config`."""
import os

DEFAULT_EMBED_LIMIT_MB = 8.0
EMBED_LIMIT_ENV = "MODELTRACE_EMBED_LIMIT_MB"
DEFAULT_COMM_CHUNK_MB = 16.0
COMM_CHUNK_ENV = "MODELTRACE_COMM_CHUNK_MB"


class Config:
    """Settings read when a trace is displayed.

    `embed_limit_mb`: largest trace (current + reference, Arrow IPC bytes, 1 MB = 2**20 bytes) embedded in the
    notebook. Set it here, or with the environment variable MODELTRACE_EMBED_LIMIT_MB; default 8.
    Above it the data stay in the kernel and the card fetches them over a comm.
    `comm_chunk_mb`: size of the binary chunks a large trace travels in over the comm (environment variable
    MODELTRACE_COMM_CHUNK_MB; default 16).
    Setting either to None goes back to the environment variable or the default.
    """

    def __init__(self):
        self._embed_limit_mb = None
        self._comm_chunk_mb = None

    @property
    def embed_limit_mb(self) -> float:
        return _read(self._embed_limit_mb, EMBED_LIMIT_ENV, DEFAULT_EMBED_LIMIT_MB)

    @embed_limit_mb.setter
    def embed_limit_mb(self, value):
        self._embed_limit_mb = None if value is None else _check_limit(value, "modeltrace.config.embed_limit_mb")

    @property
    def embed_limit_bytes(self) -> int:
        return int(self.embed_limit_mb * 2**20)

    @property
    def comm_chunk_mb(self) -> float:
        return _read(self._comm_chunk_mb, COMM_CHUNK_ENV, DEFAULT_COMM_CHUNK_MB)

    @comm_chunk_mb.setter
    def comm_chunk_mb(self, value):
        self._comm_chunk_mb = None if value is None else _check_limit(value, "modeltrace.config.comm_chunk_mb")

    @property
    def comm_chunk_bytes(self) -> int:
        """At least 64 KB, so a tiny setting cannot make one message per row."""
        return max(2**16, int(self.comm_chunk_mb * 2**20))


def _read(value, variable: str, default: float) -> float:
    if value is not None:
        return value
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    return _check_limit(text, f"environment variable {variable}")


def _check_limit(value, where: str) -> float:
    try:
        limit = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where} must be a number of megabytes, got {value!r}") from None
    if not limit >= 0 or limit == float("inf"):
        raise ValueError(f"{where} must be a finite number of megabytes >= 0, got {value!r}")
    return limit


config = Config()
