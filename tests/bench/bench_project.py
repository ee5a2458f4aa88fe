"""Benchmark: opening a project, navigating its steps and tabs, peak memory (issue 16).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_project.py [--before DIR]

santeloc runs from compiled bytecode, as installed (``installed.py``). Each run is a fresh
process (``project_session.py``) on a fresh copy of the demo: start, list ready, then (warm)
once the start-up's background loading is over — or (cold) at once — click the demo project,
then visit every step and every tab. Median of 5 runs of each.

Figures: time from the click to the first page painted (target ≤ 0,4 s), against a bare
``QWizard`` of nine pages built and painted in the same process (baseline); the longest
event-loop stall while opening and while navigating (10 ms heartbeat; target ≤ 0,1 s); each
step's first visit; peak memory VmHWM after visiting everything (target ≤ 250 Mio).
``--before DIR`` runs the same sessions on another checkout (e.g. ``/work/main``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import cast

from installed import checkouts_compiled  # this folder (the script's own)

ROOT = Path(__file__).resolve().parents[2]
RUNS = 5


def session(checkout: str, cold: bool) -> dict[str, object]:
    """One fresh process on a fresh demo database."""
    data = tempfile.mkdtemp(prefix="santeloc-bench-project-")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SANTELOC_DATA_DIR": data, "XDG_CONFIG_HOME": data}
    env["PYTHONPATH"] = checkout
    env.pop("SANTELOC_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "santeloc.cli", "demo"], env=env, cwd=checkout, check=True, capture_output=True
    )
    args = [sys.executable, str(Path(__file__).with_name("project_session.py"))] + (["--cold"] if cold else [])
    result = subprocess.run(args, env=env, cwd=checkout, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


LIBRARY_FLOOR = """
import sys
if sys.argv[1:] == ["--qt-binding"]:
    import santeloc.gui  # its workaround: PySide6 no longer keeps the source of each import
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([]); window = QMainWindow(); window.show(); app.processEvents()
import sqlalchemy, sqlmodel, numpy, matplotlib.figure, matplotlib.backends.backend_agg

import santeloc.domain.models
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(int(line.split()[1]) / 1024)
"""


def library_floor(checkout: str, qt_binding: bool) -> float:
    """Baseline: VmHWM of a process that only loads the libraries the steps use (no data, no page).

    ``qt_binding``: with santeloc's workaround of PySide6 (``santeloc/gui/qt_binding.py``);
    without it, the libraries as PySide6 leaves them, every imported module's source kept.
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": checkout}
    command = [sys.executable, "-c", LIBRARY_FLOOR, *(["--qt-binding"] if qt_binding else [])]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def fmt(value: float, unit: str = "s") -> str:
    """French decimal."""
    return (f"{value:.3f}" if unit == "s" else f"{value:.0f}").replace(".", ",") + f" {unit}"


def main() -> None:
    before = checkouts_compiled(str(ROOT))
    variants = [
        ("santeloc, clic après le chargement de fond", str(ROOT), False),
        ("santeloc, clic immédiat", str(ROOT), True),
    ]
    if before:
        variants.append(("avant (--before)", before, False))
    runs: dict[str, list[dict[str, object]]] = {name: [] for name, _, _ in variants}
    for _ in range(RUNS):  # interleaved: the same machine load for every variant
        for name, checkout, cold in variants:
            runs[name].append(session(checkout, cold))

    def med(name: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs[name])  # type: ignore[arg-type]

    print(f"Ouverture du projet d'exemple et navigation, processus neufs, médiane de {RUNS}")
    for name, _, _ in variants:
        base = med(name, "baseline_s")
        first = med(name, "first_page_s")
        per_run = [cast(dict[str, float], r["visits_s"]) for r in runs[name]]
        visits = {k: statistics.median(float(v[k]) for v in per_run) for k in per_run[0]}
        worst_visit = max(visits, key=lambda k: visits[k])
        print(f"  {name}")
        print(
            f"    première page affichée après le clic : {fmt(first)}  (QWizard nu de 9 pages : {fmt(base)}, ×{first / base:.1f})"
        )
        print(
            f"    plus longue attente de la boucle d'événements : ouverture {fmt(med(name, 'open_stall_s'))}, navigation {fmt(med(name, 'navigation_stall_s'))}"
        )
        print(
            "    première visite de chaque étape : "
            + ", ".join(f"{k} : {fmt(v)}" for k, v in visits.items())
            + f" (pire : étape {worst_visit})"
        )
        print(
            f"    mémoire max (VmHWM) après toutes les étapes et tous les onglets : {fmt(med(name, 'vm_hwm_mib'), 'Mio')}"
        )
    floor = statistics.median(library_floor(str(ROOT), qt_binding=True) for _ in range(3))
    as_pyside_leaves_them = statistics.median(library_floor(str(ROOT), qt_binding=False) for _ in range(3))
    first = med(variants[0][0], "first_page_s")
    memory = med(variants[0][0], "vm_hwm_mib")
    print(
        f"Plancher mémoire : Qt + SQLAlchemy/SQLModel + NumPy/matplotlib (Agg) + tables, "
        f"sans données ni page : {fmt(floor, 'Mio')} (sources gardées par PySide6 : "
        f"{fmt(as_pyside_leaves_them, 'Mio')}) ; santeloc {fmt(memory, 'Mio')} = plancher + {fmt(memory - floor, 'Mio')}"
    )
    print(f"Cible première page ≤ 0,4 s : {fmt(first)} — {'tenue' if first <= 0.4 else 'NON tenue'}")
    print(f"Cible mémoire ≤ 250 Mio : {fmt(memory, 'Mio')} — {'tenue' if memory <= 250 else 'NON tenue'}")


if __name__ == "__main__":
    main()
