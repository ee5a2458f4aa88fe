"""Travel tables, INSEE age tables and headerless files, as users download them."""

from __future__ import annotations

from pathlib import Path

import pytest

from santeloc.domain.errors import ValidationError
from santeloc.refdata.geo import RefData
from santeloc.services import offer as svc
from santeloc.services.table_formats import guess_travel_columns, insee_age_groups, read_any_table


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("COM1,COM2,KM,HC,HP", ("COM1", "COM2", "HC")),
        ("origine;destination;distance_km;minutes", ("origine", "destination", "minutes")),
        ("idSrc;idDst;Distance;Duree", ("idSrc", "idDst", "Duree")),
        ("origin,destination,duration", ("origin", "destination", "duration")),
    ],
)
def test_travel_layouts(tmp_path: Path, header: str, expected: tuple[str, str, str]) -> None:
    separator = "," if "," in header else ";"
    path = tmp_path / "trajets.csv"
    path.write_text(
        header + "\n" + separator.join(["58227", "58012", "12", "14", "18"][: header.count(separator) + 1]) + "\n",
        "utf-8",
    )
    table, headerless = read_any_table(path)
    assert not headerless
    mapping = guess_travel_columns(table.headers, svc.MATRIX_FIELDS)
    assert tuple(table.headers[mapping[k]] for k in ("origin", "destination", "minutes")) == expected


def test_headerless_file_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "sans-titres.csv"
    path.write_text("58227;58012;12,3;10;11\n58227;58001;20,1;18;22\n", "utf-8")
    table, headerless = read_any_table(path)
    assert headerless and table.headers[0] == "Colonne 1" and len(table.rows) == 2
    assert table.rows[0].cells[:2] == ["58227", "58012"]


def test_insee_single_year_wide_table(tmp_path: Path, refdata: RefData) -> None:
    ages = [f"SEXE{s}_AGED100{a:03d}" for s in (1, 2) for a in range(101)]
    header = ["CODGEO", "LIBGEO", *ages]
    rows = [["58227", "Saint-Amand", *(["1"] * 101 + ["2"] * 101)], ["58012", "Arquian", *(["1"] * 202)],
            ["75056", "Paris", *(["9"] * 202)]]  # fmt: skip
    path = tmp_path / "BTX_TD_POP1B.csv"
    path.write_text("\n".join(";".join(r) for r in [header, *rows]) + "\n", "utf-8")
    table, _ = read_any_table(path)
    assert len(table.headers) == 204
    groups, found = insee_age_groups(table, ["58227", "58012"])
    assert found == 2 and len(groups) == 101
    assert (groups[0].label, groups[0].men, groups[0].women) == ("0 ans", 2, 3)
    assert groups[-1].label == "100 ans ou plus" and groups[-1].age_max is None


def test_insee_bands_and_long_tables(tmp_path: Path) -> None:
    path = tmp_path / "bandes.csv"
    path.write_text(
        "CODGEO;SEXE1_AGEQ65000;SEXE1_AGEQ65005;SEXE2_AGEQ65000;SEXE2_AGEQ65005\n58227;10;20;11;21\n", "utf-8"
    )
    groups, _ = insee_age_groups(read_any_table(path)[0], ["58227"])
    assert [(g.label, g.men, g.women) for g in groups] == [("0-4 ans", 10, 11), ("5 ans ou plus", 20, 21)]
    long = tmp_path / "long.csv"
    long.write_text("CODGEO;SEXE;AGED100;NB\n58227;1;000;4\n58227;2;000;5\n58227;1;001;6\n99999;1;000;100\n", "utf-8")
    groups, _ = insee_age_groups(read_any_table(long)[0], ["58227"])
    assert [(g.age_min, g.men, g.women) for g in groups] == [(0, 4, 5), (1, 6, 0)]
    with pytest.raises(ValidationError, match="aucune commune du territoire"):
        insee_age_groups(read_any_table(long)[0], ["01001"])
