#!/usr/bin/env bash
# Set up (first time only) and run the app on the embedded defaults: SQLite under instance/,
# http://localhost:5000. Settings come from the environment (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python app.py
