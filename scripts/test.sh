#!/usr/bin/env bash
# Set up (first time only) and run the whole test suite. Extra arguments go to pytest.
# Tests that need PostgreSQL, Redis or Chromium skip with the reason where those are missing;
# with CI=true they fail instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
exec .venv/bin/python -m pytest "$@"
