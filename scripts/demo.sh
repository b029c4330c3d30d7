#!/usr/bin/env bash
# Set everything up, then open JupyterLab on the quickstart notebook (bundled data, no download).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
extra=()
if [ "$(id -u)" = "0" ]; then
  extra+=(--allow-root)
fi
exec .venv/bin/jupyter lab examples/quickstart.ipynb "${extra[@]}" "$@"
