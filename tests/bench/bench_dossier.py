"""Benchmark of the dossier (issue 8): the demo's full dossier against its charts alone.

    .venv/bin/python tests/bench/bench_dossier.py

Full dossier: every Word document (diagnostic, one grant application per funder, délibération)
and the workbook, with their charts and maps, without PDF, as ``export_dossier`` writes them.
Baseline measured in the same run: reading the project and rendering the very same charts and
maps to PNG, alone (figures built and saved at the same resolution), as the GUI does to show
them. Runs alternate between the two, after a warm-up of each. The target is a
document assembly adding at most 50 % on top of the charts.

Two projects: the demo as shipped (map and financing chart only: it has no indicator yet) and
the demo filled with the example files of ``docs/exemples`` plus a loan (all six charts).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SANTELOC_DATA_DIR", tempfile.mkdtemp(prefix="santeloc-bench-"))

from santeloc.analysis.tabular import guess_mapping, read_table
from santeloc.domain.formatting import format_decimal
from santeloc.exports.context import ChartSet, load_project_data
from santeloc.exports.dossier import CHART_LABELS, export_dossier
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData, load_refdata
from santeloc.services import financing, indicators
from santeloc.services.demo import create_demo_project
from santeloc.services.projects import duplicate_project

RUNS = 9
DOCUMENTS = {"diagnostic", "subventions", "deliberation", "classeur"}
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "exemples"


def filled_copy(uow: UnitOfWork, demo_id: int) -> int:
    """The demo with the example indicators, age table, two constats and a loan."""
    project_id = duplicate_project(uow, demo_id, "Démo enrichie").id
    table = read_table(EXAMPLES / "indicateurs-ors-exemple.csv")
    indicators.import_indicators(uow, project_id, indicators.prepare_import(table, guess_mapping(table.headers)))
    for row in indicators.list_indicators(uow, project_id):
        if row.label.startswith(("Mortalité prématurée", "Décès par suicide")):
            indicators.constat_from_indicator(uow, row)
    ages = indicators.age_groups_from_table(read_table(EXAMPLES / "ages-territoire-exemple.csv"))
    indicators.set_age_table(uow, project_id, "territoire", ages, year=2021, source="exemple")
    plan = financing.ensure_plan(uow, project_id).id
    financing.set_loan(uow, plan, principal_cents=24_094_300, rate_bp=375, years=20, start_year=2006)
    return project_id


def charts_alone(uow: UnitOfWork, project_id: int, refdata: RefData, keys: list[str]) -> float:
    """Read the project and render the same charts to PNG, nothing else (what the GUI does to show them)."""
    started = time.perf_counter()
    charts = ChartSet(load_project_data(uow, project_id, refdata), refdata)
    for key in keys:
        charts.png(key)
    return time.perf_counter() - started


def dossier(uow: UnitOfWork, project_id: int, refdata: RefData, folder: Path) -> float:
    """The full dossier, from reading the project to the files in place."""
    for path in folder.iterdir():
        path.unlink()
    started = time.perf_counter()
    export_dossier(uow, project_id, refdata, folder, DOCUMENTS, False)
    return time.perf_counter() - started


def seconds(value: float) -> str:
    """French seconds with two decimals."""
    return f"{format_decimal(value, 2)} s"


def main() -> None:
    """Measure and print the figures in French."""
    folder = Path(tempfile.mkdtemp(prefix="santeloc-bench-dossier-"))
    database = open_database(f"sqlite:///{folder}/bench.db")
    uow = UnitOfWork(database)
    refdata = load_refdata()
    demo = create_demo_project(uow, refdata).id
    projects = {"démo telle que livrée": demo, "démo enrichie (exemples et emprunt)": filled_copy(uow, demo)}
    output = folder / "dossier"
    output.mkdir()
    print(f"Dossier complet sans PDF ({', '.join(sorted(DOCUMENTS))}), médiane de {RUNS} exécutions\n")
    for label, project_id in projects.items():
        probe = ChartSet.load(uow, project_id, refdata)
        keys = [key for key in ("carte", "pyramide", "comparaison", "significativite", "ressources", "emprunt")
                if probe.available(key)]  # fmt: skip
        dossier(uow, project_id, refdata, output)  # warm-up: fonts, commune outlines, imports
        charts_alone(uow, project_id, refdata, keys)
        totals, baselines = [], []
        for _ in range(RUNS):
            baselines.append(charts_alone(uow, project_id, refdata, keys))
            totals.append(dossier(uow, project_id, refdata, output))
        total, baseline = statistics.median(totals), statistics.median(baselines)
        # Paired ratios (each dossier against the charts measured just before it) resist the
        # load of a shared machine better than a ratio of two medians.
        ratio = statistics.median(t / b for t, b in zip(totals, baselines, strict=True))
        best = min(totals) / min(baselines)
        files = sorted(p.name for p in output.iterdir())
        size = sum(p.stat().st_size for p in output.iterdir()) / 1024
        charts = ", ".join(CHART_LABELS[k].lower() for k in keys)
        print(f"— {label} : {len(files)} fichiers, {format_decimal(size, 0)} Kio ; graphiques : {charts}")
        print(f"  dossier complet            : {seconds(total)} (de {seconds(min(totals))} à {seconds(max(totals))})")
        print(f"  graphiques et cartes seuls : {seconds(baseline)} (de {seconds(min(baselines))} à "
              f"{seconds(max(baselines))})")  # fmt: skip
        extra = 100 * (ratio - 1)
        verdict = "objectif tenu" if round(extra) <= 50 else "objectif NON tenu"
        print(f"  rapport (médiane des exécutions appariées) {format_decimal(ratio, 2)}, des meilleurs temps "
              f"{format_decimal(best, 2)} : l'assemblage ajoute {format_decimal(extra, 0)} % au temps des graphiques "
              f"(cible ≤ 50 %) — {verdict}\n")  # fmt: skip
    database.dispose()


if __name__ == "__main__":
    main()
