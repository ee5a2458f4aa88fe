"""Commune search that cannot surprise: namesakes nearest the territory first, far ones named."""

from __future__ import annotations

from santeloc.domain.formatting import parse_date
from santeloc.refdata.geo import RefData
from santeloc.services.commune_search import FAR_KM, far_from_territory, search_near
from santeloc.services.demo import DEMO_COMMUNES


def test_namesakes_come_nearest_the_territory_first_with_their_departement(refdata: RefData) -> None:
    found = search_near(refdata, "Ronchères", list(DEMO_COMMUNES))
    assert [c.commune.code for c in found[:2]] == ["89325", "02655"]  # the Yonne's, beside the Puisaye
    assert found[0].departement == "Yonne" and found[1].departement == "Aisne"
    assert found[0].distance_km is not None and found[0].distance_km < found[1].distance_km  # type: ignore[operator]
    privé = search_near(refdata, "Saint-Privé", list(DEMO_COMMUNES))
    assert privé[0].commune.code == "89365"


def test_without_a_territory_the_search_order_stays(refdata: RefData) -> None:
    assert [c.commune.code for c in search_near(refdata, "Ronchères", [])] == [
        c.code for c in refdata.search("Ronchères", 50)
    ]


def test_a_commune_far_from_every_other_is_named_with_its_distance(refdata: RefData) -> None:
    far = far_from_territory(refdata, list(DEMO_COMMUNES), ["30294", "89365"])  # Gard, then Yonne
    assert [commune.code for commune, _km in far] == ["30294"]
    assert far[0][1] > FAR_KM
    assert far_from_territory(refdata, [], ["30294"]) == []  # a first commune is never far


def test_dates_are_read_as_people_type_them() -> None:
    for text in ("1/9/2027", "01092027", "1 sept. 2027", "1er septembre 2027", "01/09/2027", "2027-09-01"):
        assert parse_date(text) is not None and parse_date(text).isoformat() == "2027-09-01", text  # type: ignore[union-attr]
