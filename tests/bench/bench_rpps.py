"""Benchmark of the RPPS import (issue 14): a generated national-size extraction, streamed.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_rpps.py [LINES]

Reference measured in the same run on the same file: a plain ``csv.reader`` read of every
line (delimiter "|"), which is the least any import of this file does. Memory: the peak
resident size of a child process running the import, for the file at full size and at a
quarter of it; a streamed import keeps both about the same.
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.integration.test_offer import COLUMNS, HEADER

LINES = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 2_100_000
RUNS = 3
PROFESSIONS = [("10", "Médecin"), ("60", "Infirmier"), ("70", "Masseur-Kinésithérapeute"), ("21", "Pharmacien"),
               ("39", "Préparateur en pharmacie (officine)"), ("40", "Chirurgien-Dentiste"), ("96", "Psychomotricien")]  # fmt: skip


def make_file(folder: Path, lines: int, communes: list[tuple[str, str, str]]) -> Path:
    """A file shaped like the national one: one activity a line, a third without commune code."""
    rng = random.Random(14)
    position = {c: i for i, c in enumerate(COLUMNS)}
    path = folder / f"PS_LibreAcces_Personne_activite_{lines}.txt"
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(HEADER + "\n")
        for i in range(lines):
            values = [""] * len(COLUMNS)
            code, label = rng.choice(PROFESSIONS)
            insee, postal, name = rng.choice(communes)
            values[position["Identification nationale PP"]] = f"81{i:010d}"
            values[position["Nom d'exercice"]] = f"NOM{i % 5000}"
            values[position["Prénom d'exercice"]] = "CAMILLE"
            values[position["Code profession"]] = code
            values[position["Libellé profession"]] = label
            values[position["Libellé savoir-faire"]] = "Spécialiste en Médecine Générale" if code == "10" else ""
            values[position["Code mode exercice"]] = "L"
            values[position["Raison sociale site"]] = f"CABINET {i % 9973}"
            values[position["Libellé Voie (coord. structure)"]] = f"{i % 120} RUE DE LA REPUBLIQUE"
            values[position["Code postal (coord. structure)"]] = postal
            if i % 3:
                values[position["Code commune (coord. structure)"]] = insee
                values[position["Libellé commune (coord. structure)"]] = name.upper()
            else:
                values[position["Bureau cedex (coord. structure)"]] = f"{postal} {name.upper()}"
            values[position["Téléphone (coord. structure)"]] = "0386000000"
            out.write("|".join(values) + "|\n")
    return path


def baseline(path: Path) -> float:
    started = time.perf_counter()
    count = 0
    with path.open(encoding="utf-8", newline="") as stream:
        for _row in csv.reader(stream, delimiter="|"):
            count += 1
    return time.perf_counter() - started


CHILD = """
import json, resource, sys, time
from pathlib import Path
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import load_refdata
from santeloc.services.projects import create_project
from santeloc.services.rpps import import_rpps
from santeloc.services.territory import add_communes
refdata = load_refdata()
database = open_database(f"sqlite:///{sys.argv[2]}")
uow = UnitOfWork(database)
project = create_project(uow, "Bench").id
add_communes(uow, project, ["89419", "89053"], refdata=refdata)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
report = import_rpps(uow, project, Path(sys.argv[1]), refdata)
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "rss_before_kb": before,
                  "rss_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "lines": report.lines, "accounted": report.accounted, "imported": report.imported}))
"""


def import_in_child(path: Path, folder: Path, run: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(folder / f"bench-{run}.db")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    from santeloc.refdata.geo import load_refdata

    refdata = load_refdata()
    sample = [c for c in refdata.communes.values() if c.departement in ("89", "58", "21", "45", "77")]
    communes = [(c.code, c.postal_codes[0] if c.postal_codes else "", c.name) for c in sample]
    folder = Path(tempfile.mkdtemp(prefix="santeloc-bench-rpps-"))
    big = make_file(folder, LINES, communes)
    small = make_file(folder, LINES // 4, communes)
    bases, imports, results = [], [], []
    for run in range(RUNS):
        bases.append(baseline(big))
        outcome = import_in_child(big, folder, run)
        assert outcome["lines"] == outcome["accounted"] == LINES
        imports.append(outcome["seconds"])
        results.append(outcome)
    quarter = import_in_child(small, folder, 99)
    fr = lambda v: f"{v:.2f}".replace(".", ",")  # noqa: E731
    base, total = statistics.median(bases), statistics.median(imports)
    print(
        f"Import RPPS de {LINES:_} lignes ({big.stat().st_size / 1e6:.0f} Mo, médiane de {RUNS}) : {fr(total)} s ; "
        f"{results[0]['imported']} professionnels retenus".replace("_", " ")
    )
    print(f"Référence csv.reader sur le même fichier : {fr(base)} s — rapport {fr(total / base)}")
    mb = lambda kb: f"{(kb) / 1024:.0f}"  # noqa: E731
    print(
        f"Mémoire (pic du processus, Mo) : {mb(results[0]['rss_peak_kb'])} pour {LINES:_} lignes, "
        f"{mb(quarter['rss_peak_kb'])} pour {LINES // 4:,} lignes ; avant l'import "
        f"{mb(results[0]['rss_before_kb'])}".replace(",", " ")
    )


if __name__ == "__main__":
    main()
