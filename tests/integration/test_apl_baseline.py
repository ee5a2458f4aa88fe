"""The DREES APL shipped with santeloc equals the DREES workbook, commune by commune."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from santeloc.refdata.apl import AplBaseline, load_apl_baseline, read_baseline

REAL = Path(__file__).resolve().parents[1] / "data" / "real" / "drees_apl_generalistes_extrait.xlsx"
# The full workbook lies beside the repository on the machines it was built on (shared/data).
FULL = Path(__file__).resolve().parents[3] / "shared" / "data" / "drees_apl_generalistes_2022_2023.xlsx"


def _rows(path: Path) -> dict[int, list[tuple[Any, ...]]]:
    book = load_workbook(path, read_only=True, data_only=True)
    years = {}
    for sheet in book.worksheets:
        match = re.fullmatch(r"APL (\d{4})", sheet.title)
        if match:
            rows = list(sheet.iter_rows(values_only=True))
            start = next(i for i, r in enumerate(rows) if r and r[0] == "Code commune INSEE") + 2
            years[int(match.group(1))] = [r for r in rows[start:] if r and r[0]]
    book.close()
    return years


def _compare(baseline: AplBaseline, years: dict[int, list[tuple[Any, ...]]]) -> int:
    checked = 0
    for year, rows in years.items():
        vintage = baseline.vintages[year]
        for row in rows:
            code = str(row[0])
            at = vintage._position(code)
            assert at is not None, (year, code)
            assert vintage.apl[at] == pytest.approx(float(row[2]), abs=1e-9), (year, code)
            assert vintage.apl_under_65[at] == pytest.approx(float(row[3]), abs=1e-9), (year, code)
            assert vintage.standardised[at] == pytest.approx(float(row[4]), abs=1e-9), (year, code)
            assert vintage.total[at] == float(row[5]), (year, code)
            checked += 1
    return checked


def test_real_extract_rows_are_the_shipped_values() -> None:
    """Always runs: the real rows kept in tests/data/real (Nièvre, Ain, Paris) are shipped as published."""
    assert _compare(load_apl_baseline(), _rows(REAL)) > 600


@pytest.mark.skipif(not FULL.exists(), reason="classeur complet de la DREES absent de cette machine")
def test_every_commune_of_the_full_workbook() -> None:
    years = _rows(FULL)
    baseline = load_apl_baseline()
    assert _compare(baseline, years) == sum(len(rows) for rows in years.values())
    assert {y: len(v.codes) for y, v in baseline.vintages.items()} == {y: len(r) for y, r in years.items()}


def test_build_script_reads_the_real_layout(tmp_path: Path) -> None:
    """The build script run on the real extract gives the same values and the « Paramètres » sheet."""
    import importlib.util

    script = Path(__file__).resolve().parents[2] / "scripts" / "build_apl_refdata.py"
    spec = importlib.util.spec_from_file_location("build_apl_refdata", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUTPUT = tmp_path / "apl.npz"
    module.SOURCES = tmp_path / "SOURCES.md"
    module.SOURCES.write_text("# Sources\n", encoding="utf-8")
    module.main(REAL)
    built = read_baseline(tmp_path / "apl.npz")
    assert _compare(built, _rows(REAL)) > 600
    params = built.parameters
    assert [a["counted"] for a in params["activity"]] == [0, 3600, "as is", 6000]
    assert "5 400" in params["exception"]
    assert [round(s["weight"], 4) for s in params["steps"]] == [1.0, 0.6667, 0.3333, 0.0]
    assert built.age_weights(2023)[0] == ("Moins de 5 ans", 1.12) and built.age_weights(2023)[-1][1] == 2.26
    assert "apl-drees:begin" in module.SOURCES.read_text(encoding="utf-8")
    # Rebuilding replaces the section instead of appending a second one.
    module.main(REAL)
    assert module.SOURCES.read_text(encoding="utf-8").count("apl-drees:begin") == 1


def test_cities_by_arrondissement_and_national_figures() -> None:
    vintage = load_apl_baseline().vintages[2023]
    paris = vintage.figures("75056")
    assert paris is not None and 2_000_000 < paris.total_population < 2_200_000
    parts = [vintage.figures(f"751{n:02d}") for n in range(1, 21)]
    assert paris.total_population == sum(p.total_population for p in parts if p)
    assert min(p.apl for p in parts if p) <= paris.apl <= max(p.apl for p in parts if p)
    assert vintage.figures("99999") is None
    # National mean weighted by standardised population; shares of the total population.
    assert 3.0 < vintage.national_mean < 4.5
    assert vintage.population_share_below(0.0) == 0.0
    assert vintage.population_share_below(1000.0) == pytest.approx(1.0)
    assert vintage.population_below(2.5) == pytest.approx(vintage.total[vintage.apl < 2.5].sum())
