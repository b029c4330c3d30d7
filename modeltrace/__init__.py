"""ModelTrace: ML performance tracing in Jupyter. `mt.trace(df, reference=ref_df, label="y", ...)` shows the card."""
from ._comm import register_target as _register_comm_target
from ._config import config
from ._errors import TraceError
from ._frames import frames
from ._save import save
from ._trace import Trace, trace

try:
    from importlib.metadata import PackageNotFoundError, version

    __version__ = version("modeltrace")
except PackageNotFoundError:
    __version__ = "0.1.0"

__all__ = ["Trace", "TraceError", "config", "frames", "save", "trace", "__version__"]

# in a kernel, answer the cards of large traces from the start (they then hear "not held" rather than silence)
_register_comm_target()


def _jupyter_labextension_paths():
    """Where Jupyter finds the prebuilt labextension shipped in this package."""
    return [{"src": "labextension", "dest": "modeltrace"}]
