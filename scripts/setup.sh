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
# Qt's xcb platform (a real X11 desktop): every X library PySide6's libqxcb.so loads.
# tests/integration/test_setup_script.py checks this list against `ldd` of the installed
# libqxcb.so, and qt_xcb_missing below installs any further one a newer PySide6 would need.
xcb_debs=(libx11-6 libx11-xcb1 libxau6 libxdmcp6 libxkbcommon0 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
          libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
          libxcb-util1 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0)
debs+=("${xcb_debs[@]}")
if [ "$want_test" = 1 ]; then
  debs+=(xvfb xauth postgresql libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-script-provider-python
         fonts-liberation2 fonts-crosextra-carlito poppler-utils)
fi
install_debs() {
  local missing=() deb
  for deb in "$@"; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then sudo_cmd=(); else sudo_cmd=(sudo); fi
    echo "Installation des paquets système : ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}
install_debs "${debs[@]}"

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

# Debian package of each library libqxcb.so needs and this machine lacks, named after the
# library (libxcb-icccm.so.4 -> libxcb-icccm4, libxkbcommon-x11.so.0 -> libxkbcommon-x11-0):
# a PySide6 upgrade that needs one more library than xcb_debs gets it here.
qt_xcb_missing() {
  local plugin
  plugin=$(.venv/bin/python -c 'import pathlib, PySide6; print(next(pathlib.Path(PySide6.__file__).parent.glob("Qt/plugins/platforms/libqxcb.so"), ""))')
  [ -n "$plugin" ] || return 0
  ldd "$plugin" | awk '/not found/ {print $1}' | sort -u | while read -r lib; do
    stem=${lib%%.so.*}; version=${lib##*.so.}; version=${version%%.*}
    case "$stem" in *[0-9]) echo "${stem,,}-$version" ;; *) echo "${stem,,}$version" ;; esac
  done
}
mapfile -t extra_debs < <(qt_xcb_missing)
if [ "${#extra_debs[@]}" -gt 0 ]; then install_debs "${extra_debs[@]}"; fi

# Matplotlib's font cache, built now rather than on the first start (about 20 s on a slow
# machine), in santeloc's data folder and as a seed in .venv for the machine's other accounts.
.venv/bin/python -m santeloc.fontcache --build
