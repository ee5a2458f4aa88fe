"""Matplotlib's configuration and font cache, kept in santeloc's own data folder.

Matplotlib lists the machine's fonts the first time it is imported and keeps the list in a
cache (``fontlist-v*.json``): about 20 s on a slow machine, with no word to the user. santeloc
points ``MPLCONFIGDIR`` at ``<user data dir>/matplotlib`` and fills it ahead of time:

- ``scripts/setup.sh`` runs ``python -m santeloc.fontcache --build``, which builds the cache
  there and leaves a copy (the *seed*) in ``<sys.prefix>/share/santeloc/matplotlib`` for the
  machine's other accounts;
- on start-up, :func:`configure` copies the seed into a new account's folder (a few
  milliseconds) and says whether the cache is still to build (the packaged app's first run),
  so that the start-up screen can say so while it is built.

No Qt and no matplotlib import here: this runs before both.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ENV_MPLCONFIGDIR = "MPLCONFIGDIR"
CACHE_GLOB = "fontlist-v*.json"


def config_dir() -> Path:
    """santeloc's matplotlib folder, inside the user's data folder (created on demand)."""
    from santeloc.persistence.config import user_data_dir

    folder = user_data_dir() / "matplotlib"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def seed_dir() -> Path:
    """Where set-up leaves a built cache for the machine's other accounts."""
    return Path(sys.prefix) / "share" / "santeloc" / "matplotlib"


def _has_cache(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob(CACHE_GLOB))


def configure() -> bool:
    """Point matplotlib at santeloc's folder; True when its font cache is ready there.

    A folder chosen by the user (``MPLCONFIGDIR`` already set) is kept. A new account gets the
    seed's cache copied; False means matplotlib will build it on its first import.
    """
    if os.environ.get(ENV_MPLCONFIGDIR):
        return _has_cache(Path(os.environ[ENV_MPLCONFIGDIR]))
    try:
        folder = config_dir()
    except OSError:  # no writable data folder: matplotlib falls back to its own choice
        return False
    os.environ[ENV_MPLCONFIGDIR] = str(folder)
    if _has_cache(folder):
        return True
    seed = seed_dir()
    if not _has_cache(seed):
        return False
    try:
        for cache in seed.glob(CACHE_GLOB):
            partial = folder / (cache.name + ".partial")
            shutil.copyfile(cache, partial)
            os.replace(partial, folder / cache.name)  # never a half-copied cache
    except OSError:
        return False
    return True


def build() -> Path:
    """Build the font cache in santeloc's folder now, and copy it as the seed when possible."""
    configure()
    import matplotlib.font_manager  # noqa: F401  (builds the cache on first import)

    folder = Path(os.environ[ENV_MPLCONFIGDIR])
    seed = seed_dir()
    try:
        seed.mkdir(parents=True, exist_ok=True)
        for cache in folder.glob(CACHE_GLOB):
            shutil.copyfile(cache, seed / cache.name)
    except OSError:  # a read-only installation: each account builds its own
        pass
    return folder


if __name__ == "__main__":
    if "--build" in sys.argv[1:]:
        print("Préparation des polices des graphiques (Matplotlib)…", flush=True)
        print(f"Polices prêtes dans {build()}")
