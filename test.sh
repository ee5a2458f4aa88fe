#!/usr/bin/env bash
# Sets up everything (system packages, PostgreSQL, Python environment) and runs the whole
# test suite: unit, integration against SQLite and PostgreSQL, GUI offscreen, the packaged
# app's smoke test, and the static checks (layering, ruff, mypy).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh --test
source scripts/pg_test_server.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m pytest "$@"
