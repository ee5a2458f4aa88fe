"""FINESS etalab extraction as published: Latin-1, structureet + geolocalisation, Lambert-93."""

from __future__ import annotations

from pathlib import Path

import pytest

from santeloc.analysis.projection import lambert93_to_wgs84
from santeloc.domain.errors import ValidationError
from santeloc.domain.models import Establishment
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import projects as project_svc
from santeloc.services.finess import establishment_kind, import_finess, insee_code
from santeloc.services.offer import list_establishments
from santeloc.services.territory import add_communes

REAL = Path(__file__).parents[1] / "data" / "real" / "etalab-cs1100507-stock-extrait.csv"


@pytest.fixture
def project_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "Bresse")
    add_communes(uow, info.id, ["01451"], refdata=refdata)  # Viriat
    return info.id


def test_projection_matches_pyproj_within_a_metre() -> None:
    pyproj = pytest.importorskip("pyproj")
    to_wgs84 = pyproj.Transformer.from_crs(2154, 4326, always_xy=True)
    geod = pyproj.Geod(ellps="WGS84")
    for x, y in ((870215.7, 6571590.5), (652000, 6862000), (1_200_000, 6_100_000), (150_000, 6_800_000)):
        ours, theirs = lambert93_to_wgs84(x, y), to_wgs84.transform(x, y)
        assert geod.inv(ours[0], ours[1], theirs[0], theirs[1])[2] < 1.0


def test_helpers() -> None:
    assert (
        insee_code("01", "451") == "01451" and insee_code("9D", "411") == "97411" and insee_code("2A", "4") == "2A004"
    )
    assert establishment_kind("500", "") == "ehpad"
    assert establishment_kind("999", "Maison de Santé (L.6223-3)") == "msp"
    assert establishment_kind("223", "Protection Maternelle et Infantile (P.M.I.)") == "autre"


def test_real_extraction(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    report = import_finess(uow, project_id, REAL, refdata)
    assert (report.structures, report.geolocations, report.imported, report.outside) == (6, 1, 1, 5)
    (row,) = list_establishments(uow, project_id)
    assert (row.kind, row.commune_code, row.finess) == ("hopital", "01451", "010000024")
    assert row.name == "CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT"
    with uow:
        saved = uow.session.get(Establishment, row.id)
        assert saved is not None and saved.latitude == pytest.approx(46.2227, abs=1e-3)
        assert saved.longitude == pytest.approx(5.2086, abs=1e-3)
        assert "Centre Hospitalier (C.H.)" in saved.notes
    again = import_finess(uow, project_id, REAL, refdata)
    assert again.imported == 0 and again.already_present == 1
    assert "1 établissement(s) importé(s)" in report.summary()


def test_commune_from_routing_line_and_unknown_category(
    uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path
) -> None:
    base = REAL.read_bytes().decode("cp1252").splitlines()
    cells = base[1].split(";")
    cells[1], cells[12], cells[18], cells[19] = "010999999", "", "223", "Protection Maternelle et Infantile (P.M.I.)"
    odd = ";".join(cells)
    path = tmp_path / "etalab.csv"
    path.write_bytes("\n".join([base[0], odd, "structureet;trop;court", "autre;x"]).encode("cp1252"))
    report = import_finess(uow, project_id, path, refdata)
    assert (report.imported, report.malformed, report.other_records) == (1, 1, 1)
    (row,) = list_establishments(uow, project_id)
    assert (row.kind, row.commune_code) == ("autre", "01451")
    assert "Protection Maternelle" in report.summary()


def test_not_a_finess_file(uow: UnitOfWork, project_id: int, tmp_path: Path, refdata: RefData) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="etalab"):
        import_finess(uow, project_id, path, refdata)
