#!/usr/bin/env bash
# `python -m jupyterlab.browser_check` with Debian's Chromium. The check installs Playwright and then asks it to
# download its own browser build, which this network does not allow; so we give Playwright a browser registry in
# which its Chromium and headless shell are Debian's /usr/bin/chromium, and the download step finds them installed.
set -euo pipefail
cd "$(dirname "$0")/.."
venv_bin="$PWD/.venv/bin"
app_dir=$("$venv_bin/jupyter" lab path | sed -n 's/^Application directory: *//p')
target="$app_dir/browser_test"
if [ ! -d "$target/node_modules/playwright" ]; then
  mkdir -p "$target"
  (cd "$target" && npm init -y > /dev/null && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund playwright@1.60.0 > /dev/null)
fi

registry=$(mktemp -d)
trap 'rm -rf "$registry"' EXIT
revision() {
  node -e "const b = require('$target/node_modules/playwright-core/browsers.json').browsers;
           console.log(b.find(x => x.name === '$1').revision)"
}
wrap() {
  mkdir -p "$(dirname "$1")"
  printf '#!/bin/sh\nexec /usr/bin/chromium "$@"\n' > "$1"
  chmod +x "$1"
  touch "$(dirname "$(dirname "$1")")/INSTALLATION_COMPLETE"
}
wrap "$registry/chromium-$(revision chromium)/chrome-linux64/chrome"
wrap "$registry/chromium_headless_shell-$(revision chromium-headless-shell)/chrome-headless-shell-linux64/chrome-headless-shell"
mkdir -p "$registry/ffmpeg-$(revision ffmpeg)" && touch "$registry/ffmpeg-$(revision ffmpeg)/INSTALLATION_COMPLETE"

export PLAYWRIGHT_BROWSERS_PATH="$registry" PLAYWRIGHT_SKIP_BROWSER_GC=1
PATH="$venv_bin:$PATH" python -m jupyterlab.browser_check --allow-root
