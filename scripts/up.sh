#!/bin/sh
# Set up everything and run nq57 on its embedded default (SQLite + in-process job queue) with demo data.
# Needs only Python 3.11 with pip and venv. Usage: sh scripts/up.sh [--port 8000]
set -e
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
exec .venv/bin/nq57 up "$@"
