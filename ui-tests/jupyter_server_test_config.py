"""JupyterLab server configuration for the Galata UI tests."""
import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is the config object Jupyter provides)

c.ServerApp.allow_root = True
c.ServerApp.port = int(os.environ.get("MODELTRACE_UI_PORT", "8888"))
c.ServerApp.port_retries = 0
c.LabApp.expose_app_in_browser = True
