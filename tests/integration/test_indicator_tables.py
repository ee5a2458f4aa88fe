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
    with pytest.raises(ValidationError, match="indiquez quelles lignes forment votre territoire"):
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


# --- issue 23: a figure stays at its level, a rate is never summed, re-imports never double ---

LAYOUTS = Path(__file__).parents[1] / "data" / "layouts"
REAL = Path(__file__).parents[1] / "data" / "real"
DREES_WORKBOOK = Path("/work/shared/data/drees_apl_generalistes_2022_2023.xlsx")
DEMO_COMMUNES = ["58012", "58033", "58036", "58094", "58227", "58270"]


@pytest.fixture
def nievre_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "Puisaye")
    add_communes(uow, info.id, DEMO_COMMUNES, refdata=refdata)
    return info.id


def _prepare(path: Path, refdata: RefData, territory: list[str], **options: object):
    from santeloc.services.indicator_tables import detect_table

    table = read_table(path, sheet=options.pop("sheet", None))  # type: ignore[arg-type]
    layout = detect_table(table, refdata)
    assert layout is not None
    level = options.pop("level", layout.level)
    return table, layout, prepare_wide_import(table, layout, refdata, territory, level=level, **options)  # type: ignore[arg-type]


def test_a_departement_table_leaves_the_territory_empty(refdata: RefData) -> None:
    """The Ain's row is the Ain's, not the Dombes' (issue 23: 439 GPs for a territory of 78 516)."""
    _table, layout, prepared = _prepare(LAYOUTS / "statistiques_locales_departements.csv", refdata, ["01248", "01333"])
    assert layout.level == "departement"
    rows = {r["label"]: r for r in prepared.preview.rows}
    assert all(r["value_territory"] is None for r in rows.values())
    assert rows["Médecin généraliste (en nombre)"]["value_departement"] == 439
    assert rows["Population municipale"]["value_departement"] == 688626
    assert rows["Médiane du niveau de vie"]["unit"] == Unit.EUROS.value
    assert rows["Taux de pauvreté"]["unit"] == Unit.PERCENT.value
    assert rows["Taux de mortalité prématurée (avant 65 ans)"]["unit"] == Unit.PER_100000.value
    # Auvergne-Rhône-Alpes is not covered by the file: no regional value is made up.
    assert all(r["value_region"] is None and r["value_france"] is None for r in rows.values())
    summary = prepared.summary()
    assert (
        "Niveau géographique : départements (d'après la ligne « Référentiel géographique : France par département »)"
        in summary
    )
    assert "Valeur du territoire laissée vide : la ligne 01 Ain couvre plus que le territoire" in summary
    assert prepared.rows_used == 0


def test_departements_of_a_region_give_its_value(refdata: RefData) -> None:
    """Counts summed over the région's départements, rates weighted by their population."""
    _table, _layout, prepared = _prepare(LAYOUTS / "statistiques_locales_departements.csv", refdata, DEMO_COMMUNES)
    rows = {r["label"]: r for r in prepared.preview.rows}
    region = {"21": 512, "25": 478, "39": 211, "58": 180, "70": 150, "71": 449, "89": 253, "90": 115}
    assert {d.code for d in refdata.departements.values() if d.region == "27"} == set(region)
    gps = rows["Médecin généraliste (en nombre)"]
    assert (gps["value_territory"], gps["value_departement"], gps["value_region"]) == (None, 180, sum(region.values()))
    poverty = {"21": 12.1, "25": 12.8, "39": 12.0, "58": 16.4, "70": 14.6, "71": 14.0, "89": 14.9, "90": 15.7}
    weights = {code: sum(c.population for c in refdata.communes_of_departement(code)) for code in poverty}
    expected = sum(poverty[c] * weights[c] for c in poverty) / sum(weights.values())
    assert rows["Taux de pauvreté"]["value_region"] == pytest.approx(expected)
    assert max(poverty.values()) > rows["Taux de pauvreté"]["value_region"] > min(poverty.values())
    assert "Région : moyenne pondérée par la population des départements du fichier" in str(
        rows["Taux de pauvreté"]["comment"]
    )


def test_a_bassin_de_vie_table_asks_which_rows_make_the_territory(refdata: RefData) -> None:
    from santeloc.services.indicator_tables import RowsNeededError

    path = LAYOUTS / "cartosante_bassins_de_vie.csv"
    with pytest.raises(RowsNeededError) as asked:
        _prepare(path, refdata, DEMO_COMMUNES)
    assert "Ce tableau donne des bassins de vie, pas des communes" in asked.value.message
    assert asked.value.candidates == [("58227", "Saint-Amand-en-Puisaye")]  # coded like its main commune
    _table, layout, prepared = _prepare(path, refdata, DEMO_COMMUNES, chosen_rows=["58227", "58086"])
    assert layout.level == "autre" and layout.zoning is not None and layout.zoning.label == "bassins de vie"
    rows = {r["label"]: r for r in prepared.preview.rows}
    assert rows["Médecins généralistes libéraux (en nombre)"]["value_territory"] == 14 + 3
    density = rows["Densité de médecins généralistes libéraux pour 10 000 habitants"]
    assert density["unit"] == Unit.PER_10000.value and density["value_france"] == 8.4
    assert density["value_territory"] == pytest.approx((6.1 * 22950 + 4.7 * 6383) / (22950 + 6383))
    assert "moyenne pondérée par la population de chaque ligne (colonne du fichier)" in str(density["comment"])
    summary = prepared.summary()
    assert "Niveau géographique : bassins de vie" in summary
    assert "Territoire = 2 lignes choisies : 58086 Cosne-Cours-sur-Loire, 58227 Saint-Amand-en-Puisaye" in summary


def test_a_rate_without_weights_is_refused_not_summed(refdata: RefData, tmp_path: Path) -> None:
    path = tmp_path / "cantons.csv"
    path.write_text(
        "CartoSanté\nRéférentiel géographique : France par canton-ville\n\n"
        "Code;Libellé;Médecins généralistes (en nombre) 2023;Part des médecins de 60 ans et plus 2023\n"
        "5801;Canton A;4;50,0\n5802;Canton B;6;20,0\n",
        encoding="utf-8",
    )
    _table, layout, both = _prepare(path, refdata, DEMO_COMMUNES, chosen_rows=["5801", "5802"])
    assert layout.zoning is not None and layout.zoning.label == "cantons-villes"
    assert [r["label"] for r in both.preview.rows] == ["Médecins généralistes (en nombre)"]
    assert both.preview.rows[0]["value_territory"] == 10
    assert any(
        "« Part des médecins de 60 ans et plus » non importé : ce n'est pas un effectif" in r
        and "moyenne pondérée" in r
        for r in both.refused
    )
    _table, _layout, one = _prepare(path, refdata, DEMO_COMMUNES, chosen_rows=["5801"])
    assert {r["label"]: r["value_territory"] for r in one.preview.rows}["Part des médecins de 60 ans et plus"] == 50.0


def test_an_epci_larger_than_the_territory_is_not_its_value(refdata: RefData, tmp_path: Path) -> None:
    epci = refdata.communes["58227"].epci
    assert epci and len(refdata.epcis[epci].communes) > len(DEMO_COMMUNES)
    path = tmp_path / "epci.csv"
    path.write_text(f"Code;Libellé;Taux de pauvreté 2021\n{epci};CC;15,2\n", encoding="utf-8")
    from santeloc.services.indicator_tables import RowsNeededError

    with pytest.raises(RowsNeededError) as asked:
        _prepare(path, refdata, DEMO_COMMUNES)
    assert "la ligne " + epci + " CC couvre plus que le territoire" in asked.value.message
    assert asked.value.candidates == [(epci, "CC")]
    path.write_text(f"Code;Libellé;Taux de pauvreté 2021\n{epci};CC;15,2\nFR;France;14,5\n", encoding="utf-8")
    _table, layout, prepared = _prepare(path, refdata, DEMO_COMMUNES)
    assert layout.level == "epci" and prepared.preview.rows[0]["value_territory"] is None
    assert prepared.preview.rows[0]["value_france"] == 14.5
    assert prepared.rows_hint == [epci] and "couvre plus que le territoire" in prepared.summary()
    _table, _layout, chosen = _prepare(path, refdata, DEMO_COMMUNES, chosen_rows=[epci])
    assert chosen.preview.rows[0]["value_territory"] == 15.2  # the user said this row is the territory


def _drees_rows(path: Path, sheet: str) -> dict[str, tuple[float, float]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    found = {str(r[0]): (float(r[2]), float(r[4])) for r in book[sheet].iter_rows(min_row=11, values_only=True)
             if r[0] and isinstance(r[2], int | float)}  # fmt: skip
    book.close()
    return found


def test_the_drees_apl_sheet_is_averaged_by_standardised_population(refdata: RefData) -> None:
    """The real DREES sheet read as indicators: never summed (issue 23: territory 20,4, département 910)."""
    path = REAL / "drees_apl_generalistes_extrait.xlsx"
    _table, layout, prepared = _prepare(path, refdata, DEMO_COMMUNES, sheet="APL 2023")
    assert layout.level == "commune" and layout.source == "DREES"
    rows = {r["label"]: r for r in prepared.preview.rows}
    apl = rows["APL aux médecins généralistes"]
    assert (apl["unit"], apl["year"], apl["source"]) == (Unit.RATIO.value, 2023, "DREES")
    sheet = _drees_rows(path, "APL 2023")
    mine = [sheet[c] for c in DEMO_COMMUNES]
    expected = sum(a * p for a, p in mine) / sum(p for _a, p in mine)
    assert apl["value_territory"] == pytest.approx(expected) and round(expected, 2) == 2.81  # as the issue says
    nievre = [v for c, v in sheet.items() if c.startswith("58")]
    assert apl["value_departement"] == pytest.approx(sum(a * p for a, p in nievre) / sum(p for _a, p in nievre))
    highest = max(a for a, _p in sheet.values())
    assert all(apl[k] is None or apl[k] <= highest for k in ("value_territory", "value_departement"))
    assert "moyenne pondérée par la population standardisée (règle de la source)" in str(apl["comment"])
    assert "« En nombre de consultations/visites accessibles par habitant standardisé »" in str(apl["comment"])
    population = rows["Population totale"]
    assert population["unit"] == Unit.COUNT.value and population["year"] == 2021  # a count is summed
    assert population["value_territory"] == sum(float(r.cells[5]) for r in _table.rows if r.cells[0] in DEMO_COMMUNES)


@pytest.mark.skipif(not DREES_WORKBOOK.exists(), reason="classeur DREES complet absent (/work/shared/data)")
def test_the_whole_drees_workbook_never_exceeds_a_real_apl(refdata: RefData) -> None:
    _table, _layout, prepared = _prepare(DREES_WORKBOOK, refdata, DEMO_COMMUNES, sheet="APL 2023")
    highest = max(a for a, _p in _drees_rows(DREES_WORKBOOK, "APL 2023").values())
    for row in prepared.preview.rows:
        if str(row["label"]).startswith("APL"):
            values = [row[k] for k in ("value_territory", "value_departement", "value_region", "value_france")]
            assert all(v is not None and 1 < v <= highest for v in values), values


def test_reimporting_updates_never_doubles(uow: UnitOfWork, nievre_id: int, refdata: RefData, tmp_path: Path) -> None:
    path = tmp_path / "sl.csv"
    text = (LAYOUTS / "statistiques_locales_departements.csv").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    _t, _l, first = _prepare(path, refdata, DEMO_COMMUNES)
    assert import_wide_table(uow, nievre_id, first) == 6
    assert first.saved is not None and (first.saved.added, first.saved.updated, first.saved.unchanged) == (6, 0, 0)
    listed = indicator_svc.list_indicators(uow, nievre_id)
    gps = next(r for r in listed if r.label == "Médecin généraliste (en nombre)")
    constat = indicator_svc.add_constat(uow, nievre_id, "Peu de généralistes", indicator_id=gps.id)
    _t, _l, again = _prepare(path, refdata, DEMO_COMMUNES)
    assert import_wide_table(uow, nievre_id, again) == 6
    assert again.saved is not None and not again.saved.changed
    assert "Rien de nouveau : le projet avait déjà ces valeurs (0 indicateur mis à jour, 0 ajouté, 6 inchangés)" in (
        again.summary()
    )
    assert len(indicator_svc.list_indicators(uow, nievre_id)) == len(listed)
    path.write_text(text.replace("58;Nièvre;180;", "58;Nièvre;182;"), encoding="utf-8")
    _t, _l, changed = _prepare(path, refdata, DEMO_COMMUNES)
    import_wide_table(uow, nievre_id, changed)
    assert "1 indicateur mis à jour, 0 ajouté, 5 inchangés" in changed.summary()
    after = {r.id: r for r in indicator_svc.list_indicators(uow, nievre_id)}
    assert len(after) == len(listed) and after[gps.id].value_departement == 182  # same row, same constat
    assert after[gps.id].version == gps.version + 1
    assert next(c for c in indicator_svc.list_constats(uow, nievre_id) if c.id == constat).indicator_id == gps.id


def test_duplicates_of_an_earlier_double_import_are_merged(uow: UnitOfWork, nievre_id: int, refdata: RefData) -> None:
    from santeloc.domain.models import IndicatorValue

    _t, _l, prepared = _prepare(LAYOUTS / "statistiques_locales_departements.csv", refdata, DEMO_COMMUNES)
    import_wide_table(uow, nievre_id, prepared)
    kept = next(r for r in indicator_svc.list_indicators(uow, nievre_id) if r.label == "Taux de pauvreté")
    with uow:  # what the old import left after a second run: the same indicator twice
        copy = IndicatorValue(project_id=nievre_id, label="Taux de pauvreté", unit="pourcent", year=2021,
                              source="Insee, Statistiques locales", value_departement=16.4, position=99)  # fmt: skip
        uow.session.add(copy)
        uow.commit()
        copy_id = copy.id
    constat = indicator_svc.add_constat(uow, nievre_id, "Pauvreté", indicator_id=copy_id)
    _t, _l, again = _prepare(LAYOUTS / "statistiques_locales_departements.csv", refdata, DEMO_COMMUNES)
    import_wide_table(uow, nievre_id, again)
    assert again.saved is not None and again.saved.duplicates_removed == 1
    assert "1 doublon supprimé" in again.summary()
    labels = [r.label for r in indicator_svc.list_indicators(uow, nievre_id)]
    assert labels.count("Taux de pauvreté") == 1
    assert next(c for c in indicator_svc.list_constats(uow, nievre_id) if c.id == constat).indicator_id == kept.id
