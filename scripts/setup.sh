#!/usr/bin/env bash
# Sets up everything santeloc needs on a Debian/Ubuntu machine with Python 3.11+:
# system libraries for Qt (and, with --test, PostgreSQL for the shared-database tests),
# then a virtual environment in .venv with santeloc installed in editable mode.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
  esac
done

# Libraries Qt needs even offscreen, fonts with French accents; PostgreSQL for the tests.
debs=(libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)
if [ "$want_test" = 1 ]; then
  debs+=(postgresql libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-script-provider-python
         fonts-liberation2 fonts-crosextra-carlito poppler-utils)
fi
missing=()
for deb in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo_cmd=(); else sudo_cmd=(sudo); fi
  echo "Installation des paquets système : ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
extras=""
if [ "$want_test" = 1 ]; then extras="[test,build]"; fi
stamp=".venv/.santeloc-installed$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".$extras"
  touch "$stamp"
fi
