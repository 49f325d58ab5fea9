#!/usr/bin/env bash
# Install what the app needs into .venv and node_modules. Safe to run again: it only does
# what changed. `scripts/setup.sh dev` adds the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1)). Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
command -v npm >/dev/null || { echo "npm (Node.js) is needed to install the Socket.IO client." >&2; exit 1; }

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
req=requirements.txt
[ "${1:-}" = dev ] && req=requirements-dev.txt
stamp=".venv/.installed-$(cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)-${1:-app}"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
  touch "$stamp"
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
