"""First start on a fresh account against the next start, in the same run (issue 28).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_first_start.py

Each round makes a new account (empty HOME, data folder, caches) and starts santeloc twice
there: the first start creates the database and, without a prepared cache, has matplotlib list
the fonts; the second is a normal start. Two end points, each the whole process:

- « prête » (``--quit-when-ready``): the project list usable;
- « chargée » (``--quit-when-loaded``): the start-up's loading over (reference data, modules of
  a project, matplotlib and its font cache).

Target: first start ≤ 1,5 × the next one. The font cache seed left by ``scripts/setup.sh``
(in ``.venv/share/santeloc``) is what a new account copies; the last line measures a first
start without it (the packaged app's first run, which builds the cache under its start-up
screen).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5


def timed(flag: str, home: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANTELOC_", "XDG_", "MPLCONFIGDIR"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home))
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "santeloc.gui.app", flag], env=env, capture_output=True, text=True,
                            timeout=600, cwd=ROOT)  # fmt: skip
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return elapsed


def rounds(flag: str) -> tuple[list[float], list[float]]:
    first, second = [], []
    for _ in range(ROUNDS):
        home = Path(tempfile.mkdtemp(prefix="santeloc-compte-"))
        first.append(timed(flag, home))
        second.append(timed(flag, home))
        shutil.rmtree(home, ignore_errors=True)
    return first, second


def fr(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def main() -> None:
    from santeloc.fontcache import seed_dir

    print(f"Graine du cache de polices : {'présente' if any(seed_dir().glob('fontlist-*.json')) else 'ABSENTE'}")
    for flag, label in (("--quit-when-ready", "prête"), ("--quit-when-loaded", "chargée")):
        first, second = rounds(flag)
        a, b = statistics.median(first), statistics.median(second)
        print(f"Premier démarrage ({label}) : médiane {fr(a)} s (de {fr(min(first))} à {fr(max(first))}) ; "
              f"démarrage suivant : {fr(b)} s — rapport {fr(a / b)} (cible ≤ 1,5)")  # fmt: skip
    seed = seed_dir()
    hidden = seed.with_name(seed.name + ".cache-bench")
    if seed.exists():
        seed.rename(hidden)
    try:
        first, second = rounds("--quit-when-loaded")
        print(f"Sans graine (application empaquetée, premier lancement) : {fr(statistics.median(first))} s, "
              f"suivant {fr(statistics.median(second))} s")  # fmt: skip
    finally:
        if hidden.exists():
            hidden.rename(seed)


if __name__ == "__main__":
    main()
