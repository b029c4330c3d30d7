#!/usr/bin/env bash
# Set up everything ModelTrace needs for development on a fresh machine; safe to run again.
# Python packages go into .venv, Node packages into node_modules (npm ci, from the committed lockfiles).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Python environment (.venv)"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# The repository's package.json says "type": "module"; the .js helpers Jupyter ships inside .venv are CommonJS.
echo '{"type": "commonjs"}' > .venv/package.json
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements-dev.txt

step "Node packages (npm ci)"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# npm ci runs it as postinstall; again here for a node_modules installed before it existed (idempotent)
node scripts/patch-flechette.mjs

step "Build the TypeScript and the JupyterLab extension"
npm run build

step "Install the modeltrace Python package (editable) and link the extension"
# (the editable install copies the extension's files; first drop the link below so the copy cannot land in the tree)
extension_dir=.venv/share/jupyter/labextensions/modeltrace
rm -rf "$extension_dir"
.venv/bin/python -m pip install --quiet --no-build-isolation --no-deps -e .
# what `jupyter labextension develop` does: point JupyterLab at the build output, so a rebuild is picked up on reload
rm -rf "$extension_dir"
ln -s "$PWD/modeltrace/labextension" "$extension_dir"
.venv/bin/jupyter labextension list 2>&1 | grep -i modeltrace
