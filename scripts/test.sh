#!/bin/sh
# Run the whole test suite: lint, migrations check, tests on SQLite, and again on PostgreSQL when one answers on
# 127.0.0.1:5432 (or at $TEST_DATABASE_URL). Browser tests run when /usr/bin/chromium exists.
set -e
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python -c "import nq57, django, playwright, hypothesis" 2>/dev/null || [ pyproject.toml -nt .venv/.installed ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  touch .venv/.installed
fi
echo "== ruff"
.venv/bin/ruff check .
echo "== makemigrations --check"
NQ57_DATA_DIR="$(mktemp -d)" .venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
echo "== tests on SQLite"
.venv/bin/python -m pytest -n 2 "$@"
PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nq57}"
if .venv/bin/python - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable ({exc.__class__.__name__}); skipping the PostgreSQL run")
    sys.exit(1)
PY
then
  echo "== tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" .venv/bin/python -m pytest -n 2 "$@"
fi
