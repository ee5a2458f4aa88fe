"""The official APL a project quotes: the demo's six communes as the DREES publishes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import projects as project_svc
from santeloc.services.demo_data import DEMO_COMMUNES
from santeloc.services.official_apl import import_official_apl
from santeloc.services.official_apl_figures import GP_THRESHOLD, official_apl_figures
from santeloc.services.territory import add_communes
from tests.integration.test_official_apl import workbook


@pytest.fixture
def project_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "Puisaye")
    add_communes(uow, info.id, list(DEMO_COMMUNES), refdata=refdata)
    return info.id


def test_demo_communes_from_the_shipped_baseline(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    [gp] = official_apl_figures(uow, project_id, refdata)
    assert gp.year == 2023 and gp.shipped and gp.threshold == GP_THRESHOLD == 2.5
    by_name = {c.name: c for c in gp.communes}
    assert by_name["Saint-Amand-en-Puisaye"].value == pytest.approx(3.383)
    assert gp.value_text(by_name["Saint-Amand-en-Puisaye"].value) == "3,38"
    # Mean weighted by standardised population (by hand: Σ APL × std / Σ std over the six communes).
    expected = sum(c.value * c.standardised_population for c in gp.communes) / sum(  # type: ignore[operator]
        c.standardised_population
        for c in gp.communes  # type: ignore[misc]
    )
    assert gp.mean == pytest.approx(expected) and gp.value_text(gp.mean) == "2,81"
    # Under 2,5 counted in total population: Bitry, Bouhy and Saint-Vérain.
    assert gp.communes_below == 3
    assert gp.population_below == 306 + 445 + 361
    assert gp.previous is not None and gp.previous[0] == 2022
    text = "\n".join(gp.sentences())
    assert "2,81 consultations ou visites accessibles par habitant standardisé et par an" in text
    assert "seuil de 2,5" in text and "DREES" in text and "2023" in text
    assert "ETP pour 100" not in text
    assert gp.national_mean is not None and 3.0 < gp.national_mean < 4.5
    assert gp.share_of_france_below_mean is not None and 0 < gp.share_of_france_below_mean < 0.5


def test_a_newer_imported_vintage_replaces_the_shipped_one(
    uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path
) -> None:
    path = workbook(tmp_path, {2024: [["58227", "Saint-Amand", 3.0, 2.0, 1.8, 1.4, 1000, 1100],
                                      ["58012", "Arquian", 2.0, 1.0, 0.9, 0.8, 3000, 2900]]})  # fmt: skip
    import_official_apl(uow, project_id, path, refdata)
    [gp] = official_apl_figures(uow, project_id, refdata)
    assert gp.year == 2024 and not gp.shipped
    assert gp.mean == pytest.approx((3.0 * 1000 + 2.0 * 3000) / 4000)
    assert gp.population_below == 2900  # Arquian only, total population from the workbook
    assert gp.previous == (2023, pytest.approx(2.8105, abs=1e-3))
    assert set(gp.missing) == {"Bitry", "Bouhy", "Dampierre-sous-Bouhy", "Saint-Vérain"}
    assert "2024" in gp.source and gp.national_mean is None


def test_another_profession_keeps_its_unit(uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = workbook(tmp_path, {2023: [["58227", "Saint-Amand", 150.0, 140.0, 0, 0, 1000, 1100]]})
    book = load_workbook(path)
    sheet = book["APL 2023"]
    for cell in sheet[9]:
        if cell.value and str(cell.value).startswith("APL aux médecins généralistes"):
            cell.value = str(cell.value).replace("médecins généralistes", "infirmiers")
    book.save(path)
    import_official_apl(uow, project_id, path, refdata)
    gp, nurses = official_apl_figures(uow, project_id, refdata)
    assert gp.year == 2023 and gp.shipped
    assert nurses.profession == "infirmiers" and nurses.threshold is None
    assert "ETP" in nurses.unit and "standardisés" in nurses.unit
    assert nurses.mean == pytest.approx(150.0)
