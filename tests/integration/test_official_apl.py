"""The DREES APL workbook as published: a parameters sheet, one sheet per year, title and units rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from santeloc.domain.errors import ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import projects as project_svc
from santeloc.services.official_apl import import_official_apl, official_apl, territory_official_apl
from santeloc.services.territory import add_communes

HEADER = ["Code commune INSEE", "Commune", "APL aux médecins généralistes",
          "APL aux médecins généralistes de 65 ans et moins ", "APL aux médecins généralistes de 62 ans et moins",
          "APL aux médecins généralistes de 60 ans et moins", "Population standardisée 2021 pour la médecine générale",
          "Population totale 2021"]  # fmt: skip


def workbook(tmp_path: Path, years: dict[int, list[list[object]]]) -> Path:
    """A workbook laid out like the DREES's (8 title lines, header, units row, footnotes)."""
    book = Workbook()
    params = book.active
    assert params is not None
    params.title = "Paramètres"
    params.append(["Paramètres retenus pour le calcul de l'APL"])
    for year, rows in years.items():
        sheet = book.create_sheet(f"APL {year}")
        for line in ("Indicateur d'accessibilité potentielle localisée (APL) aux médecins généralistes", "", "",
                     "Source : SNIIR-AM, EGB, CNAM ; populations Insee", "", "", "", ""):  # fmt: skip
            sheet.append([line])
        sheet.append(HEADER)
        sheet.append(["", "", "en nombre de consultations/visites accessibles par habitant standardisé"])
        for row in rows:
            sheet.append(row)
        sheet.append(["Lecture : en 2023, les habitants de …"])
    path = tmp_path / "Indicateur_APL_medecins_generalistes.xlsx"
    book.save(path)
    return path


@pytest.fixture
def project_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "Puisaye")
    add_communes(uow, info.id, ["58227", "58012"], refdata=refdata)
    return info.id


def test_year_sheets_imported(uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
    path = workbook(tmp_path, {
        2022: [["58227", "Saint-Amand", 2.5, 2.1, 1.9, 1.5, 1000, 1100], ["58012", "Arquian", 1.5, 1.2, 1.0, 0.8, 3000, 3100],
               ["75056", "Paris", 4.0, 3.5, 3.2, 3.0, 2_000_000, 2_100_000]],
        2023: [["58227", "Saint-Amand", "2,4", 2.0, 1.8, 1.4, 1000, 1100]],
    })  # fmt: skip
    report = import_official_apl(uow, project_id, path, refdata)
    assert report.years == [2022, 2023] and report.skipped_sheets == ["Paramètres"] and report.communes == 2
    assert "APL aux médecins généralistes de 65 ans et moins" in report.variants
    rows = official_apl(uow, project_id)
    assert len(rows) == 4 * 3
    territory = territory_official_apl(rows)
    assert territory[(2022, "APL aux médecins généralistes")] == pytest.approx((2.5 * 1000 + 1.5 * 3000) / 4000)
    assert territory[(2023, "APL aux médecins généralistes")] == pytest.approx(2.4)
    assert "année(s) 2022, 2023" in report.summary()
    # A later workbook with 2023 only replaces 2023 and keeps 2022.
    again = workbook(tmp_path, {2023: [["58227", "Saint-Amand", 3.0, 2.0, 1.8, 1.4, 1000, 1100]]})
    import_official_apl(uow, project_id, again, refdata)
    rows = official_apl(uow, project_id)
    assert {r.year for r in rows} == {2022, 2023}
    assert territory_official_apl(rows)[(2023, "APL aux médecins généralistes")] == 3.0


def test_not_the_apl_workbook(uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
    path = workbook(tmp_path, {})
    with pytest.raises(ValidationError, match="APL AAAA"):
        import_official_apl(uow, project_id, path, refdata)
    empty = workbook(tmp_path, {2023: [["75056", "Paris", 4.0, 3.5, 3.2, 3.0, 2_000_000, 2_100_000]]})
    with pytest.raises(ValidationError, match="aucune commune du territoire"):
        import_official_apl(uow, project_id, empty, refdata)
    assert official_apl(uow, project_id) == []


def test_reimport_says_what_changed(uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
    rows = [
        ["58227", "Saint-Amand", 2.5, 2.1, 1.9, 1.5, 1000, 1100],
        ["58012", "Arquian", 1.5, 1.2, 1.0, 0.8, 3000, 3100],
    ]
    first = import_official_apl(uow, project_id, workbook(tmp_path, {2023: rows}), refdata)
    assert (first.added, first.updated, first.unchanged) == (8, 0, 0)
    again = import_official_apl(uow, project_id, workbook(tmp_path, {2023: rows}), refdata)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 8)
    assert again.summary().startswith("Rien de nouveau")
    assert len(official_apl(uow, project_id)) == 8  # nothing duplicated
    rows[0][2] = 2.7
    changed = import_official_apl(uow, project_id, workbook(tmp_path, {2023: rows}), refdata)
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 7)
    assert "1 mise(s) à jour" in changed.summary()
    assert {r.value for r in official_apl(uow, project_id) if r.commune_code == "58227"} >= {2.7}
