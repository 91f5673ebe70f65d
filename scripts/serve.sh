#!/usr/bin/env bash
# `make run`: the web server and the background worker together, stopped together (Ctrl+C).
# The worker makes the report's documents (PDFs, Word) whenever what they show changes.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python

$PY manage.py db_worker &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null || true' EXIT INT TERM

echo "Serving on http://127.0.0.1:${PORT}/ with the background worker (Ctrl+C stops both)"
$PY manage.py runserver "127.0.0.1:${PORT}"
