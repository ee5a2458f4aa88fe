"""Territory: add by code, EPCI, département, radius; remove; summary — on both backends."""

from __future__ import annotations

import pytest

from santeloc.domain.enums import TerritorySource
from santeloc.domain.errors import ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import projects as project_svc
from santeloc.services import territory as svc

SAINT_AMAND = "58227"


@pytest.fixture
def project_id(uow: UnitOfWork) -> int:
    return project_svc.create_project(uow, "MSP de test").id


def test_add_and_remove_communes(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    change = svc.add_communes(uow, project_id, [SAINT_AMAND, " 58012 "], refdata=refdata)
    assert change.codes == [SAINT_AMAND, "58012"]
    again = svc.add_communes(uow, project_id, [SAINT_AMAND], refdata=refdata)
    assert again.codes == [] and again.skipped == [SAINT_AMAND]
    removed = svc.remove_communes(uow, project_id, ["58012", "99999"])
    assert removed.codes == ["58012"]
    assert removed.sources == {"58012": TerritorySource.MANUAL}
    assert svc.territory_codes(uow, project_id) == [SAINT_AMAND]


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (["58227", "99999"], "Code INSEE inconnu : « 99999 »"),
        (["58227", "5822"], "Code INSEE invalide : « 5822 »"),
        (["abcde"], "Code INSEE invalide"),
    ],
)
def test_one_bad_code_adds_nothing(
    uow: UnitOfWork, project_id: int, refdata: RefData, codes: list[str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        svc.add_communes(uow, project_id, codes, refdata=refdata)
    assert svc.territory_codes(uow, project_id) == []


def test_corsican_codes_stay_strings(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    svc.add_communes(uow, project_id, ["2a004"], refdata=refdata)
    assert svc.territory_codes(uow, project_id) == ["2A004"]


def test_add_epci(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    epci = refdata.communes[SAINT_AMAND].epci
    assert epci is not None
    change = svc.add_epci(uow, project_id, epci, refdata)
    members = {c.code for c in refdata.communes_of_epci(epci)}
    assert set(change.codes) == members and SAINT_AMAND in members
    assert all(source is TerritorySource.EPCI for source in change.sources.values())
    with pytest.raises(ValidationError, match="Intercommunalité inconnue"):
        svc.add_epci(uow, project_id, "000000000", refdata)


def test_add_departement_and_summary(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    svc.add_departement(uow, project_id, "58", refdata)
    summary = svc.territory_summary(uow, project_id, refdata)
    expected = sum(c.population for c in refdata.communes_of_departement("58"))
    assert summary.population == expected
    assert len(summary.communes) == len(refdata.communes_of_departement("58"))
    assert summary.reference_departement is not None and summary.reference_departement.code == "58"
    assert summary.reference_region is not None and summary.reference_region.code == "27"
    with pytest.raises(ValidationError, match="Département inconnu"):
        svc.add_departement(uow, project_id, "00", refdata)


def test_add_within_km(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    change = svc.add_within_km(uow, project_id, SAINT_AMAND, 10, refdata)
    assert SAINT_AMAND in change.codes
    assert change.sources[SAINT_AMAND] is TerritorySource.MANUAL
    for code in change.codes:
        distance = refdata.distance_km(SAINT_AMAND, code)
        assert distance is not None and distance <= 10
    # Communes across the border (Yonne, Loiret) are included: people cross borders.
    assert len({refdata.communes[c].departement for c in change.codes}) >= 2
    for km in (0, -5, 500):
        with pytest.raises(ValidationError, match="rayon"):
            svc.add_within_km(uow, project_id, SAINT_AMAND, km, refdata)


def test_summary_of_a_territory_across_departements(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    # Saint-Amand (Nièvre) and a small commune of the Yonne: the Nièvre weighs most.
    yonne = next(c for c in refdata.communes_of_departement("89") if c.population < 200)
    svc.add_communes(uow, project_id, [SAINT_AMAND, yonne.code], refdata=refdata)
    summary = svc.territory_summary(uow, project_id, refdata)
    assert [d.code for d in summary.departements] == ["58", "89"]
    assert summary.reference_departement is not None and summary.reference_departement.code == "58"
    assert summary.population_year == refdata.population_year


def test_empty_territory_summary(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    summary = svc.territory_summary(uow, project_id, refdata)
    assert summary.is_empty and summary.population == 0
    assert summary.reference_departement is None
