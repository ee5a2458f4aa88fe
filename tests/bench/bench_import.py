"""Benchmark of the indicator import (issue 3): a 10 000-row ORS-like file, end to end.

    .venv/bin/python tests/bench/bench_import.py

Baseline measured in the same run: the bare minimum any import does — decode the file,
split it with csv.reader and turn the numbers into floats — so the ratio shows what the
detection, checking and saving cost on top.
"""

from __future__ import annotations

import csv
import statistics
import tempfile
import time
from pathlib import Path

from santeloc.analysis.tabular import guess_mapping, read_table
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import indicators
from santeloc.services.projects import create_project

ROWS = 10_000
RUNS = 5


def make_file(folder: Path) -> Path:
    lines = [
        "Observatoire régional de santé — indicateurs du territoire",
        "Source : ORS ; exploitation 2024",
        "",
        "Thème;Indicateur;Unité;Année;Territoire;Département;Région;France;Observés;Attendus",
    ]
    for i in range(ROWS):
        lines.append(
            f"Causes de décès;Indicateur n° {i};pour 100 000;2019;{200 + i % 300},5;250,1;240,2;230,3;{i % 90};{40 + i % 7},2"
        )
    lines.append("* Taux standardisés")
    path = folder / "indicateurs.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    return path


def baseline(path: Path) -> float:
    started = time.perf_counter()
    with path.open(encoding="cp1252", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))[4:-1]
    for row in rows:
        [float(cell.replace(",", ".")) for cell in row[4:8]]
    return time.perf_counter() - started


def full_import(path: Path, folder: Path, run: int) -> tuple[float, float, float]:
    database = open_database(f"sqlite:///{folder}/bench-{run}.db")
    project_id = create_project(UnitOfWork(database), f"Bench {run}").id
    t0 = time.perf_counter()
    table = read_table(path)
    t1 = time.perf_counter()
    preview = indicators.prepare_import(table, guess_mapping(table.headers))
    assert preview.ok, preview.errors[:3]
    t2 = time.perf_counter()
    indicators.import_indicators(UnitOfWork(database), project_id, preview)
    t3 = time.perf_counter()
    database.dispose()
    return t1 - t0, t2 - t1, t3 - t2


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="santeloc-bench-import-"))
    path = make_file(folder)
    bases, reads, checks, saves = [], [], [], []
    for run in range(RUNS):
        bases.append(baseline(path))
        read, check, save = full_import(path, folder, run)
        reads.append(read)
        checks.append(check)
        saves.append(save)
    fr = lambda v: f"{v:.3f}".replace(".", ",")  # noqa: E731
    base = statistics.median(bases)
    total = statistics.median([r + c + s for r, c, s in zip(reads, checks, saves, strict=True)])
    print(
        f"Import de {ROWS} lignes (médiane de {RUNS}) : lecture {fr(statistics.median(reads))} s, "
        f"vérification {fr(statistics.median(checks))} s, enregistrement {fr(statistics.median(saves))} s, "
        f"total {fr(total)} s"
    )
    print(f"Référence csv.reader + float sur le même fichier : {fr(base)} s — rapport {fr(total / base)}")


if __name__ == "__main__":
    main()
