"""Step 3: the APL is computed once by the service, stored, and read back identically."""

from __future__ import annotations

import math

import pytest

from santeloc.analysis.accessibility import apl, supply_by_commune
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_int
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import access
from santeloc.services import offer as offer_svc
from santeloc.services import projects as project_svc
from santeloc.services.territory import add_communes

TERRITORY = ["58227", "58012", "58043", "58264"]


@pytest.fixture
def project_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "MSP de Puisaye")
    add_communes(uow, info.id, TERRITORY, refdata=refdata)
    offer_svc.add_professional(
        uow, info.id, refdata, last_name="MARTIN", commune_code="58227", fte=0.8, birth_year=1970
    )
    offer_svc.add_professional(
        uow, info.id, refdata, last_name="DURAND", commune_code="58227", secondary_commune_code="58012", birth_year=1980
    )
    offer_svc.add_professional(uow, info.id, refdata, last_name="ANCIEN", commune_code="58012", birth_year=1940)
    offer_svc.add_professional(uow, info.id, refdata, profession="infirmier", last_name="SOIN", commune_code="58264")
    return info.id


def test_nothing_stored_before_a_run(uow: UnitOfWork, refdata: RefData, project_id: int) -> None:
    assert access.latest_apl(uow, project_id, refdata) is None
    assert access.last_choice(uow, project_id) == access.AplChoice()


def test_a_run_is_stored_and_read_back_identically(uow: UnitOfWork, refdata: RefData, project_id: int) -> None:
    choice = access.AplChoice(max_minutes=30, age_cap=70, speed=50)
    shown = access.compute_apl(uow, project_id, refdata, choice)
    again = access.latest_apl(uow, project_id, refdata)
    assert again == shown
    assert shown.choice == choice and access.last_choice(uow, project_id) == choice
    assert sorted(c.code for c in shown.communes) == sorted(TERRITORY)
    assert shown.engine_version.startswith("2SFCA")
    assert "30" in shown.method
    # GPs in the DREES's unit, with its parameters stated.
    assert shown.unit_label == "consultations ou visites accessibles par habitant standardisé et par an"
    assert "population standardisée 2023 publiée par la DREES" in shown.method
    assert f"{format_int(5400)} consultations" in shown.method and "ETP pour" not in shown.method
    # The same figures as the engine on the same supply: 5 400 consultations × FTE (1 when unknown)
    # within the DREES's bounds, a second site halves, ANCIEN (86) left out by the age cap of 70.
    params, model = choice.engine_parameters()
    from santeloc.analysis.accessibility import SupplyPoint, calculation_area
    from santeloc.refdata.apl import load_apl_baseline

    points = [
        SupplyPoint("58227", 0.8, 4320.0, 56),
        SupplyPoint("58227", 0.5, 2700.0, 46),
        SupplyPoint("58012", 0.5, 2700.0, 46),
        SupplyPoint("58012", 1.0, 5400.0, 86),
    ]
    vintage = load_apl_baseline().latest
    demand = {}
    for code in calculation_area(TERRITORY, refdata, params, model):
        figures = vintage.figures(code)
        demand[code] = figures.standardised_population if figures else float(refdata.communes[code].population)
    expected = apl(TERRITORY, supply_by_commune(points, params), refdata, params, model, demand=demand)
    assert shown.territory_mean is not None
    assert math.isclose(shown.territory_mean, expected.territory_mean, rel_tol=1e-9)
    for commune in shown.communes:
        assert commune.value == pytest.approx(expected.by_commune[commune.code])
    lowest = shown.lowest(2)
    assert len(lowest) == 2 and lowest[0].value is not None and lowest[0].value <= (lowest[1].value or 0)
    assert shown.sites == ("58012", "58227")


def test_a_new_run_replaces_the_profession_s_previous_one(uow: UnitOfWork, refdata: RefData, project_id: int) -> None:
    access.compute_apl(uow, project_id, refdata, access.AplChoice(max_minutes=20))
    access.compute_apl(uow, project_id, refdata, access.AplChoice(profession="infirmier"))
    second = access.compute_apl(uow, project_id, refdata, access.AplChoice(max_minutes=40))
    nurses = access.latest_apl(uow, project_id, refdata, "infirmier")
    assert nurses is not None and nurses.unit_label == "ETP pour 100\u202f000 habitants"  # not standardised
    assert access.list_apl_professions(uow, project_id) == ["medecin_generaliste", "infirmier"]
    stored = access.latest_apl(uow, project_id, refdata, "medecin_generaliste")
    assert stored == second and stored is not None and stored.choice.max_minutes == 40


def test_refusals_are_french_and_store_nothing(uow: UnitOfWork, refdata: RefData, project_id: int) -> None:
    with pytest.raises(ValidationError, match="Aucun professionnel"):
        access.compute_apl(uow, project_id, refdata, access.AplChoice(profession="sage_femme"))
    with pytest.raises(ValidationError, match="entre 5 et 60"):
        access.compute_apl(uow, project_id, refdata, access.AplChoice(max_minutes=500))
    empty = project_svc.create_project(uow, "Vide")
    with pytest.raises(ValidationError, match="communes du territoire"):
        access.compute_apl(uow, empty.id, refdata, access.AplChoice())
    assert access.latest_apl(uow, project_id, refdata) is None


@pytest.mark.parametrize("stored", ["[]", "pas du json", '{"age_cap": "x", "max_minutes": 1e15, "activity": -3}'])
def test_damaged_stored_parameters_read_as_defaults(
    uow: UnitOfWork, refdata: RefData, project_id: int, stored: str
) -> None:
    """A crafted project file's APL run never breaks step 3, etat or the dossier."""
    from sqlalchemy import update

    from santeloc.domain.models import AplRun

    access.compute_apl(uow, project_id, refdata, access.AplChoice())
    with uow:
        uow.session.execute(update(AplRun).values(parameters=stored))
        uow.commit()
    assert access.last_choice(uow, project_id) == access.AplChoice()
    report = access.latest_apl(uow, project_id, refdata)
    assert report is not None and report.choice == access.AplChoice()
    assert access.compute_apl(uow, project_id, refdata, access.last_choice(uow, project_id)).territory_mean
