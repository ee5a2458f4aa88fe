"""Benchmark: the demo's dossier with its PDFs, against the sum of its parts (issue 16).

    .venv/bin/python tests/bench/bench_dossier_pdf.py

Measured in the same run, alternating, median of 3 (LibreOffice is slow to start):

- part 1: the dossier without PDF (Word and Excel files, charts and maps), ``export_dossier``;
- part 2: converting those very files to PDF alone, ``convert_to_pdf`` (LibreOffice started
  for it, one run for all files);
- total: ``export_dossier(..., pdf=True)``, where LibreOffice is started before the Word files
  are written (``PdfConverter``) and converts everything in one run.

Every LibreOffice launch goes through a wrapper (``SANTELOC_SOFFICE``) that counts them: the
script checks that a dossier with PDFs launches LibreOffice exactly once.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SANTELOC_DATA_DIR", tempfile.mkdtemp(prefix="santeloc-bench-"))

from santeloc.domain.formatting import format_decimal
from santeloc.exports import pdf
from santeloc.exports.dossier import export_dossier
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import load_refdata
from santeloc.services.demo import create_demo_project

RUNS = 3
DOCUMENTS = {"diagnostic", "subventions", "deliberation", "classeur"}


def counting_soffice(real: str, log: Path) -> Path:
    """A wrapper script that records each launch, then runs the real LibreOffice."""
    wrapper = log.with_name("soffice-compte")
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return wrapper


def fresh(folder: Path) -> Path:
    """An empty folder."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def seconds(value: float) -> str:
    """French seconds with two decimals."""
    return f"{format_decimal(value, 2)} s"


def main() -> None:
    real = pdf.find_soffice()
    if real is None:
        raise SystemExit("LibreOffice est introuvable : ce banc en a besoin.")
    work = Path(tempfile.mkdtemp(prefix="santeloc-bench-pdf-"))
    log = work / "lancements.txt"
    os.environ[pdf.ENV_SOFFICE] = str(counting_soffice(real, log))
    database = open_database(f"sqlite:///{work / 'santeloc.db'}")
    refdata = load_refdata()
    project_id = create_demo_project(UnitOfWork(database), refdata).id

    def launches() -> int:
        return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0

    # Warm-up: fonts, templates, LibreOffice's first start on its profile.
    export_dossier(UnitOfWork(database), project_id, refdata, fresh(work / "w"), DOCUMENTS, True)
    parts1: list[float] = []
    parts2: list[float] = []
    totals: list[float] = []
    launches_per_total: list[int] = []
    files = 0
    for _ in range(RUNS):
        folder = fresh(work / "sans-pdf")
        started = time.perf_counter()
        written = export_dossier(UnitOfWork(database), project_id, refdata, folder, DOCUMENTS, False)
        parts1.append(time.perf_counter() - started)
        started = time.perf_counter()
        pdf.convert_to_pdf(written, fresh(work / "pdf-seuls"))
        parts2.append(time.perf_counter() - started)
        before = launches()
        started = time.perf_counter()
        produced = export_dossier(UnitOfWork(database), project_id, refdata, fresh(work / "avec-pdf"), DOCUMENTS, True)
        totals.append(time.perf_counter() - started)
        launches_per_total.append(launches() - before)
        files = len(produced)
    part1, part2, total = statistics.median(parts1), statistics.median(parts2), statistics.median(totals)
    print(f"Dossier du projet d'exemple avec PDF ({files} fichiers), médiane de {RUNS}")
    print(f"  partie 1 — Word et Excel sans PDF           : {seconds(part1)}")
    print(f"  partie 2 — conversion PDF seule (LibreOffice) : {seconds(part2)}")
    print(f"  somme des parties                            : {seconds(part1 + part2)}")
    print(
        f"  dossier avec PDF, LibreOffice lancé d'avance : {seconds(total)} — "
        f"{format_decimal(total / (part1 + part2), 2)} × la somme des parties, "
        f"gain {seconds(part1 + part2 - total)}"
    )
    once = all(n == 1 for n in launches_per_total)
    print(f"  lancements de LibreOffice par dossier : {launches_per_total} — {'un seul' if once else 'PLUSIEURS'}")
    database.dispose()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
