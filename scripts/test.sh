#!/usr/bin/env bash
# Run every ModelTrace test: engine and CLI (Node), emitter (pytest), packaging checks, UI (Galata in a real
# JupyterLab with headless Chromium). Sets up what is missing first, so it works on a fresh machine too.
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

bash scripts/setup.sh || { echo "setup failed"; exit 1; }

# Debian packages the tests need: Chromium (UI tests, the HTML report) and pdflatex with booktabs (LaTeX tables)
as_root() { if [ "$(id -u)" = "0" ]; then "$@"; else sudo "$@"; fi; }
if [ ! -x /usr/bin/chromium ] || ! command -v pdflatex > /dev/null; then
  step "Debian packages: Chromium, pdflatex"
  as_root apt-get update -qq
  [ -x /usr/bin/chromium ] || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
  command -v pdflatex > /dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends texlive-latex-base texlive-latex-recommended > /dev/null
fi

passed=0
failed=0
failures=()
suite() {
  local name="$1"
  shift
  step "$name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

fixtures() {
  for script in scripts/fixtures/*.py; do
    .venv/bin/python "$script" || return 1
  done
}

ui_tests() {
  .venv/bin/python ui-tests/make_notebooks.py || return 1
  (
    cd ui-tests || exit 1
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund || exit 1
    fi
    PATH="$PWD/../.venv/bin:$PATH" npx playwright test "$@"
  )
}

suite "Fixtures from numpy, scipy and scikit-learn" fixtures
suite "Engine and CLI tests (node --test)" npm test --silent
suite "Emitter tests (pytest)" .venv/bin/python -m pytest -q tests/python
suite "Packaging: wheel, installed extension, labextension list" .venv/bin/python -m pytest -q tests/packaging
suite "JupyterLab browser check (python -m jupyterlab.browser_check)" bash scripts/browser-check.sh
suite "UI tests (Galata, headless Chromium)" ui_tests

echo
if [ "$failed" -gt 0 ]; then
  printf 'failed suites: %s\n' "${failures[*]}"
fi
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
