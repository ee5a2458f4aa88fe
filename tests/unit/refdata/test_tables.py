"""The communes table file: written and read back, and refused when damaged (real files on disk)."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pytest

from santeloc.refdata import tables
from santeloc.refdata.geo import RefData, load_refdata

HEADER = {
    "generated": "2026-12-03",
    "population_year": 2022,
    "source_label": "essai",
    "sources": {"decoupage_administratif": "6.0.0"},
    "regions": [["27", "Bourgogne-Franche-Comté"]],
    "departements": [["58", "Nièvre", "27"], ["89", "Yonne", "27"]],
    "epcis": [["200067106", "CC de Puisaye-Forterre", "CC"]],
}
COMMUNES = {
    "code": ["58227", "89001", "89002"],
    "name": ["Saint-Amand-en-Puisaye", "Aillant-sur-Tholon", "Île-à-l'essai"],
    "postal_codes": ["58310", "89110", ""],
    "epci": ["200067106", None, "200067106"],
    "departement": ["58", "89", "89"],
    "region": ["27", "27", "27"],
    "population": [1234, 0, 2_103_778],
    "lat": [47.52935, None, 47.1],
    "lon": [3.07353, None, 3.5],
}


def write(path: Path, header: dict[str, object] = HEADER) -> Path:
    tables.write(path, header, COMMUNES)
    return path


def raw_parts(path: Path) -> tuple[dict[str, object], bytes]:
    data = gzip.decompress(path.read_bytes())
    end = data.index(b"\n")
    return json.loads(data[:end]), data[end + 1 :]


def rewrite(path: Path, header: dict[str, object], body: bytes) -> None:
    path.write_bytes(gzip.compress(json.dumps(header).encode() + b"\n" + body))


def test_round_trip(tmp_path: Path) -> None:
    header, table = tables.read(write(tmp_path / "communes.tables.gz"))
    assert header["population_year"] == 2022 and header["count"] == 3
    assert table.codes == COMMUNES["code"] and table.names == COMMUNES["name"]
    assert table.postal_codes == ["58310", "89110", ""]
    assert list(table.population) == [1234, 0, 2_103_778]
    assert table.lat[0] == 47.52935 and math.isnan(table.lat[1])
    assert [table.epci_codes[i] if i != tables.NONE_INDEX else None for i in table.epci] == COMMUNES["epci"]
    refdata = RefData(header, table, tmp_path)
    assert refdata.epcis["200067106"].communes == ("58227", "89002")
    commune = refdata.commune("89001")
    assert commune.epci is None and commune.lat is None and commune.departement == "89"
    assert refdata.commune("89002").postal_codes == ()


def test_same_bytes_for_same_data(tmp_path: Path) -> None:
    assert write(tmp_path / "a.gz").read_bytes() == write(tmp_path / "b.gz").read_bytes()


def test_line_break_in_a_name_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="line break"):
        tables.write(tmp_path / "x.gz", HEADER, {**COMMUNES, "name": ["a\nb", "c", "d"]})


def test_damaged_files_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "communes.tables.gz")
    header, body = raw_parts(path)

    rewrite(path, {**header, "format": 1}, body)
    with pytest.raises(ValueError, match="format"):
        tables.read(path)

    rewrite(path, header, body[:-5])
    with pytest.raises(ValueError, match="cut short"):
        tables.read(path)

    rewrite(path, header, body + b"extra")
    with pytest.raises(ValueError, match="do not match"):
        tables.read(path)

    rewrite(path, {**header, "count": 4}, body)
    with pytest.raises(ValueError, match="values for 4"):
        tables.read(path)

    rewrite(path, {**header, "departements": header["departements"][:1]}, body)  # type: ignore[index]
    with pytest.raises(ValueError, match="not listed"):
        tables.read(path)

    path.write_bytes(gzip.compress(b"no header at all"))
    with pytest.raises(ValueError, match="no header"):
        tables.read(path)

    path.write_bytes(b"not gzip")
    with pytest.raises(OSError):
        tables.read(path)


def test_shipped_table_is_current() -> None:
    refdata = load_refdata()
    assert len(refdata.communes) > 34_000 and refdata.population_year >= 2021
    # Every EPCI has members and every member names its EPCI.
    assert all(e.communes for e in refdata.epcis.values())
    assert all(refdata.communes[c].epci == e.code for e in refdata.epcis.values() for c in e.communes)
