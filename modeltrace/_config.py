"""Runtime settings of the emitter: `modeltrace.config`."""
import os

DEFAULT_EMBED_LIMIT_MB = 8.0
EMBED_LIMIT_ENV = "MODELTRACE_EMBED_LIMIT_MB"


class Config:
    """Settings read when a trace is displayed.

    `embed_limit_mb`: largest trace (current + reference, Arrow IPC bytes, 1 MB = 2**20 bytes) embedded in the
    notebook. Set it here, or with the environment variable MODELTRACE_EMBED_LIMIT_MB; default 8.
    Setting it to None goes back to the environment variable or the default.
    """

    def __init__(self):
        self._embed_limit_mb = None

    @property
    def embed_limit_mb(self) -> float:
        if self._embed_limit_mb is not None:
            return self._embed_limit_mb
        text = os.environ.get(EMBED_LIMIT_ENV, "").strip()
        if not text:
            return DEFAULT_EMBED_LIMIT_MB
        return _check_limit(text, f"environment variable {EMBED_LIMIT_ENV}")

    @embed_limit_mb.setter
    def embed_limit_mb(self, value):
        self._embed_limit_mb = None if value is None else _check_limit(value, "modeltrace.config.embed_limit_mb")

    @property
    def embed_limit_bytes(self) -> int:
        return int(self.embed_limit_mb * 2**20)


def _check_limit(value, where: str) -> float:
    try:
        limit = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where} must be a number of megabytes, got {value!r}") from None
    if not limit >= 0 or limit == float("inf"):
        raise ValueError(f"{where} must be a finite number of megabytes >= 0, got {value!r}")
    return limit


config = Config()
