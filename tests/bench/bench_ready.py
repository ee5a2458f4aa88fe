"""Benchmark: start-up until the project list is usable (issue 16), against a bare window.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_ready.py [--before DIR]

santeloc runs from compiled bytecode, as installed (``installed.py``). Fresh processes, median
of 7, interleaved so that both see the same machine load. Each is timed from its spawn to the
moment it writes its "ready" line (read through a pipe): that is what the user waits for. The
whole process, interpreter teardown included, is printed too — a user never waits for santeloc
to exit, and its teardown (while the start-up's background thread is still importing) costs
0,2 to 0,3 s that the bare window does not pay.

- baseline: ``tests/bench/bare_wizard.py``, a bare PySide6 ``QWizard`` window shown, then quit;
- the floor: the same bare window importing SQLAlchemy once shown (any list read from the
  database through SQLAlchemy pays at least this);
- santeloc ``--quit-when-ready``: window shown, database opened, the project list (demo
  project) filled, events processed, then quit.

Also prints each process's peak memory (``ru_maxrss`` of that child, as VmHWM) and, with
``--before DIR``, the same figures for another checkout (e.g. ``/work/main``) on its own
database. Target: ready ≤ 3,5 × the bare window.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from installed import checkouts_compiled  # this folder (the script's own)

ROOT = Path(__file__).resolve().parents[2]
RUNS = 7


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Time to the child's first stdout line (s), whole-process wall time (s), peak memory (MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=env["PYTHONPATH"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    line = process.stdout.readline()
    ready = time.perf_counter() - started
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 or not line:
        raise SystemExit(stderr or "aucune ligne « prêt » reçue")
    return ready, elapsed, usage.ru_maxrss / 1024


def fmt(value: float, unit: str = "s") -> str:
    """French decimal."""
    digits = 3 if unit == "s" else 0
    return f"{value:.{digits}f}".replace(".", ",") + f" {unit}"


def main() -> None:
    before = checkouts_compiled(str(ROOT))
    envs: dict[str, dict[str, str]] = {}
    commands: dict[str, list[str]] = {}

    def setup(name: str, checkout: str, args: list[str]) -> None:
        data = tempfile.mkdtemp(prefix="santeloc-bench-ready-")
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "SANTELOC_DATA_DIR": data,
            "XDG_CONFIG_HOME": data,
            "PYTHONPATH": checkout,
        }
        env.pop("SANTELOC_DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "-m", "santeloc.cli", "demo"], env=env, cwd=checkout, check=True, capture_output=True
        )
        envs[name], commands[name] = env, args

    setup("fenêtre nue (QWizard)", str(ROOT), [sys.executable, str(Path(__file__).with_name("bare_wizard.py"))])
    bare = [sys.executable, str(Path(__file__).with_name("bare_wizard.py"))]
    setup("fenêtre nue + import sqlalchemy", str(ROOT), [*bare, "--import", "sqlalchemy"])
    ready = ["-m", "santeloc.gui.app", "--quit-when-ready"]
    setup("santeloc, liste utilisable", str(ROOT), [sys.executable, *ready])
    if before:
        setup("avant (--before), liste utilisable", before, [sys.executable, *ready])
    times: dict[str, list[float]] = {name: [] for name in commands}
    memory: dict[str, list[float]] = {name: [] for name in commands}
    whole: dict[str, list[float]] = {name: [] for name in commands}
    for name in commands:
        run(commands[name], envs[name])  # warm-up (file cache, Qt plugin cache)
    for _ in range(RUNS):
        for name in commands:
            ready, elapsed, mib = run(commands[name], envs[name])
            times[name].append(ready)
            whole[name].append(elapsed)
            memory[name].append(mib)
    base = statistics.median(times["fenêtre nue (QWizard)"])
    print(f"Démarrage jusqu'à la liste des projets utilisable (du lancement à la ligne « prêt »), médiane de {RUNS}")
    for name in commands:
        median = statistics.median(times[name])
        print(
            f"  {name:<36} {fmt(median):>9} ({fmt(min(times[name]))} à {fmt(max(times[name]))})  "
            f"×{median / base:5.2f}   mémoire max {fmt(statistics.median(memory[name]), 'Mio')}   "
            f"processus complet (fin comprise) {fmt(statistics.median(whole[name]))}"
        )
    ratio = statistics.median(times["santeloc, liste utilisable"]) / base
    floor = statistics.median(times["fenêtre nue + import sqlalchemy"]) / base
    print(f"Plancher (fenêtre nue + SQLAlchemy) : ×{floor:.2f} ; santeloc au-dessus du plancher : ×{ratio / floor:.2f}")
    print(f"Cible ≤ 3,5 × la fenêtre nue : ×{ratio:.2f} — {'tenue' if ratio <= 3.5 else 'NON tenue'}")


if __name__ == "__main__":
    main()
