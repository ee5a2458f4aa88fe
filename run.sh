#!/usr/bin/env bash
# Sets up everything santeloc needs and starts it on the local SQLite database, with the
# demo project (Saint-Amand-en-Puisaye) open. Extra arguments go to santeloc
# (e.g. --database-url postgresql://…).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh
exec .venv/bin/santeloc --demo "$@"
