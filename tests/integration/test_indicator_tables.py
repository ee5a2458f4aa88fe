"""Territory × indicators tables (INSEE Statistiques locales, CartoSanté…): detection, aggregation, import."""

from __future__ import annotations

from pathlib import Path

import pytest

from santeloc.analysis.tabular import read_table
from santeloc.analysis.wide_tables import detect_wide, is_missing, parse_period, split_header
from santeloc.domain.errors import ValidationError
from santeloc.domain.indicators import Unit
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import indicators as indicator_svc
from santeloc.services import projects as project_svc
from santeloc.services.indicator_tables import import_wide_table, prepare_wide_import
from santeloc.services.territory import add_communes

# The layout of an INSEE "Statistiques locales" export: two title lines, Code;Libellé, one column per
# indicator with its year in the header, N/A markers in the cells (values made up for the test).
STATISTIQUES_LOCALES = (
    "Statistiques locales - indicateurs : cartes, données et graphiques\n"
    "Découpage : Commune ; Niveau : Commune\n"
    "Code;Libellé;Population municipale 2021;Médecin généraliste (en nombre) 2024;Taux de pauvreté 2021;"
    "Taux de mortalité 2015-2019;Part des 75 ans ou plus (en %) 2021\n"
    "01248;Mionnay;2000;2;N/A - secret statistique;8,1;10,0\n"
    "01333;Saint-André-de-Corcy;3000;3;7,5;N/A - résultat non disponible;20,0\n"
    "01105;Civrieux;1500;0;N/A - division par 0;9,0;5,0\n"
    "FR;France;68000000;nd;14,5;9,5;10,2\n"
)


@pytest.fixture
def project_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "Dombes")
    add_communes(uow, info.id, ["01248", "01333"], refdata=refdata)
    return info.id


def test_helpers() -> None:
    assert parse_period("2015-2019") == ("2015-2019", 2019)
    assert parse_period(" 2015 / 2019 ") == ("2015-2019", 2019)
    assert parse_period("2022") == ("2022", 2022)
    assert parse_period("2019-2015") is None
    assert split_header("Taux de mortalité 2015-2019") == ("Taux de mortalité", "2015-2019", 2019)
    for marker in ("N/A - secret statistique", "N/A - résultat non disponible", "N/A - division par 0", "nd", "s",
                   "secret", "-", "…", "n.d."):  # fmt: skip
        assert is_missing(marker), marker
    assert not is_missing("0")


def test_statistiques_locales_export(uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
    path = tmp_path / "dossier_complet.csv"
    path.write_text(STATISTIQUES_LOCALES, encoding="utf-8")
    table = read_table(path)
    layout = detect_wide(table)
    assert layout is not None and layout.level == "commune" and table.headers[layout.code_column] == "Code"
    assert layout.source == "Insee, Statistiques locales"
    assert [c.label for c in layout.indicators][:2] == ["Population municipale", "Médecin généraliste (en nombre)"]
    territory = ["01248", "01333"]
    prepared = prepare_wide_import(table, layout, refdata, territory, level="commune", source="Insee")
    assert prepared.preview.errors == []
    rows = {r["label"]: r for r in prepared.preview.rows}
    assert rows["Population municipale"]["value_territory"] == 5000
    assert rows["Médecin généraliste (en nombre)"]["unit"] == Unit.COUNT.value
    assert rows["Médecin généraliste (en nombre)"]["value_territory"] == 5
    assert rows["Taux de pauvreté"]["value_territory"] == 7.5  # the secret cell is left out, not read as 0
    assert rows["Taux de pauvreté"]["value_france"] == 14.5
    mortality = rows["Taux de mortalité"]
    assert (mortality["period"], mortality["year"]) == ("2015-2019", 2019)
    share = rows["Part des 75 ans ou plus (en %)"]
    assert share["unit"] == Unit.PERCENT.value
    weights = [refdata.communes[c].population for c in territory]
    assert share["value_territory"] == pytest.approx((10 * weights[0] + 20 * weights[1]) / sum(weights))
    assert "pondérée par la population" in str(share["comment"])
    assert sum(prepared.missing.values()) == 2
    assert "2 case(s) « non disponible »" in prepared.summary()
    before = len(indicator_svc.list_indicators(uow, project_id))
    assert import_wide_table(uow, project_id, prepared) == 5
    assert len(indicator_svc.list_indicators(uow, project_id)) == before + 5


def test_other_zoning_rows_are_chosen(refdata: RefData, tmp_path: Path) -> None:
    path = tmp_path / "bassins.csv"
    path.write_text("Code;Libellé;Densité de médecins 2022\n01004;BV Ambérieu;6,5\n01053;BV Bourg;8,0\n", "utf-8")
    table = read_table(path)
    layout = detect_wide(table)
    assert layout is not None
    with pytest.raises(ValidationError, match="Choisissez dans la liste"):
        prepare_wide_import(table, layout, refdata, ["01248"], level="autre")
    prepared = prepare_wide_import(table, layout, refdata, ["01248"], level="autre", chosen_rows=["01053"])
    assert prepared.preview.rows[0]["value_territory"] == 8.0


def test_not_a_wide_table(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("Indicateur;Valeur;Unité\nTaux;12;%\n", encoding="utf-8")
    assert detect_wide(read_table(path)) is None


def test_geodes_rows_by_year_keep_the_latest(refdata: RefData, tmp_path: Path) -> None:
    path = tmp_path / "geodes.csv"
    path.write_text(
        "Code géographique;Libellé géographique;Année;Taux standardisé de mortalité prématurée\n"
        "58227;Saint-Amand;2015-2017;250,1\n58227;Saint-Amand;2018-2020;240,5\n"
        "58012;Arquian;2015-2017;nd\n58012;Arquian;2018-2020;s\n",
        encoding="utf-8",
    )
    table = read_table(path)
    layout = detect_wide(table)
    assert layout is not None and [c.label for c in layout.indicators] == ["Taux standardisé de mortalité prématurée"]
    assert layout.indicators[0].period == "2018-2020" and len(layout.data_rows) == 2
    prepared = prepare_wide_import(table, layout, refdata, ["58227", "58012"], level="commune")
    row = prepared.preview.rows[0]
    assert (row["value_territory"], row["period"], row["year"]) == (240.5, "2018-2020", 2020)
    assert sum(prepared.missing.values()) == 1


def test_rate_recomputed_from_numerator_and_denominator(refdata: RefData, tmp_path: Path) -> None:
    from santeloc.services.indicator_tables import Ratio

    path = tmp_path / "ald.csv"
    path.write_text(
        "Code;Libellé;Bénéficiaires ALD 2022;Population 2022\n01248;Mionnay;100;2000\n01333;Saint-André;300;3000\n"
        "01105;Civrieux;s;1500\nFR;France;12000000;68000000\n",
        encoding="utf-8",
    )
    table = read_table(path)
    layout = detect_wide(table)
    assert layout is not None
    ratio = Ratio(2, 3, 100.0, "Part des bénéficiaires d'une ALD")
    prepared = prepare_wide_import(table, layout, refdata, ["01248", "01333", "01105"], level="commune",
                                   columns=[], ratios=[ratio])  # fmt: skip
    (row,) = prepared.preview.rows
    assert row["value_territory"] == pytest.approx(400 / 5000 * 100)  # Civrieux's secret count is left out
    assert row["value_france"] == pytest.approx(12 / 68 * 100)
    assert row["unit"] == Unit.PERCENT.value and "recalculé" in str(row["comment"])
    assert prepared.missing["Part des bénéficiaires d'une ALD"] == 1
